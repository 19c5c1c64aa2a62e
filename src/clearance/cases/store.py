"""The case store: the database, and write transactions that hold the audit trail's head.

Every write takes the audit head first (SQLite: the write lock of `BEGIN IMMEDIATE`;
PostgreSQL: `SELECT ... FOR UPDATE` on the head row), so writers queue in one order, never
deadlock, and append to the trail in the order they commit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from clearance.cases.audit import AuditTrail
from clearance.cases.database import Database, Row, Transaction
from clearance.cases.models import AlertView, CaseSummary, CommentView, DecisionView, EventView


@dataclass(frozen=True)
class Write:
    tx: Transaction
    audit: AuditTrail


class CaseStore:
    def __init__(self, url: str, timeout: float = 60.0) -> None:
        self.url = url
        self.db = Database.open(url, timeout)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Write]:
        with self.db.write() as tx:
            trail = AuditTrail.locked(tx)
            yield Write(tx, trail)
            trail.flush()

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        with self.db.read() as tx:
            yield tx


CASE_COLUMNS = (
    "c.id, c.subject, c.label, c.kind, c.status, c.decision, c.assignee, c.opened_at, c.updated_at, c.decided_at,"
    " (SELECT COUNT(*) FROM alerts a WHERE a.case_id = c.id),"
    " (SELECT MAX(a.score) FROM alerts a WHERE a.case_id = c.id)"
)
ALERT_COLUMNS = (
    "id, case_id, screening_id, entity_id, source, name, score, programmes, matched, subject_sha256, entity_sha256,"
    " snapshot_id, status, decision_id, reopens, created_at"
)
DECISION_COLUMNS = (
    "id, decision, reason, decided_by, decided_at, state, approved_by, approved_at, rejected_by, rejected_at, rejection"
)


def time_of(text: object) -> dt.datetime:
    return dt.datetime.fromisoformat(str(text))


def case_summary(row: Row, now: dt.datetime) -> CaseSummary:
    cid, subject, label, kind, status, decision, assignee, opened, updated, decided, alerts, top = row
    opened_at = time_of(opened)
    decided_at = time_of(decided) if decided else None
    return CaseSummary(
        id=int(cid),
        subject=subject,
        label=label,
        kind=kind,
        status=status,
        decision=decision,
        assignee=assignee,
        opened_at=opened_at,
        updated_at=time_of(updated),
        decided_at=decided_at,
        age_days=round(((decided_at or now) - opened_at).total_seconds() / 86400, 2),
        alerts=int(alerts),
        top_score=float(top) if top is not None else None,
    )


def alert_view(row: Row) -> AlertView:
    (aid, case_id, sid, entity, source, name, score, programmes, matched, subject_sha, entity_sha, snapshot) = row[:12]
    status, decision_id, reopens, created = row[12:]
    return AlertView(
        id=int(aid),
        case_id=case_id,
        screening_id=int(sid),
        entity_id=entity,
        source=source,
        name=name,
        score=float(score),
        programmes=tuple(json.loads(programmes)),
        matched=matched,
        subject_sha256=subject_sha,
        entity_sha256=entity_sha,
        snapshot_id=snapshot,
        status=status,
        decision_id=decision_id,
        reopens=reopens,
        created_at=time_of(created),
    )


def decision_view(row: Row) -> DecisionView:
    did, decision, reason, by, at, state, approved_by, approved_at, rejected_by, rejected_at, rejection = row
    return DecisionView(
        id=int(did),
        decision=decision,
        reason=reason,
        decided_by=by,
        decided_at=time_of(at),
        state=state,
        approved_by=approved_by,
        approved_at=time_of(approved_at) if approved_at else None,
        rejected_by=rejected_by,
        rejected_at=time_of(rejected_at) if rejected_at else None,
        rejection=rejection,
    )


def comment_view(row: Row) -> CommentView:
    cid, author, body, at = row
    return CommentView(id=int(cid), author=author, body=body, at=time_of(at))


def event_view(row: Row) -> EventView:
    seq, at, actor, event, body = row
    return EventView(seq=int(seq), at=time_of(at), actor=actor, event=event, data=json.loads(body)["data"])
