"""The review workflow: what a reviewer may do to a case, and the four-eyes rule.

A case is `open` when its first alert is raised, `in_review` once assigned or taken up, and
`decided` with a decision (true match, false positive or escalated) and a reason. A decision that
needs four eyes waits as `pending_approval` until a second user approves it (it becomes final) or
rejects it (the case goes back to review): every true match, and a false positive on an alert of a
high-risk programme (`CLEARANCE_FOUR_EYES_PROGRAMMES`). Every action is an audit record.

This is the service layer a review page calls: each method takes the acting user, checks the
rule, writes in one transaction and returns what the case now looks like.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from clearance.cases import decisions
from clearance.cases.audit import stamp
from clearance.cases.failures import WorkflowError
from clearance.cases.models import (
    AlertStatus,
    CaseDetail,
    CasePage,
    CaseStatus,
    CaseSummary,
    DecisionKind,
    DecisionState,
    RecordedHit,
)
from clearance.cases.store import (
    ALERT_COLUMNS,
    CASE_COLUMNS,
    DECISION_COLUMNS,
    CaseStore,
    Write,
    alert_view,
    case_summary,
    comment_view,
    decision_view,
    event_view,
)
from clearance.errors import InputError, NotFoundError
from clearance.results import HitResult

MAX_TEXT = 10_000
"""Longest reason or comment, in characters."""
UNDECIDED = (CaseStatus.OPEN, CaseStatus.IN_REVIEW)


@dataclass(frozen=True)
class FourEyes:
    """Which decisions need a second user's approval."""

    programmes: tuple[str, ...]
    """Patterns of high-risk programmes, case-insensitive; `*` matches any run (`DPRK*`, `IRAN*`)."""

    def high_risk(self, programmes: Sequence[str]) -> list[str]:
        return [p for p in programmes if any(fnmatch.fnmatchcase(p.upper(), pat.upper()) for pat in self.programmes)]

    def needed(self, decision: DecisionKind, programmes: Sequence[str]) -> bool:
        if decision is DecisionKind.TRUE_MATCH:
            return True
        return decision is DecisionKind.FALSE_POSITIVE and bool(self.high_risk(programmes))


def _text(value: str, name: str) -> str:
    text = " ".join(value.split()) if name != "comment" else value.strip()
    if not text:
        raise InputError(f"{name}: empty: give one")
    if len(text) > MAX_TEXT:
        raise InputError(f"{name}: too long ({len(text):,} characters; at most {MAX_TEXT:,})")
    return text


def _user(value: str | None, name: str = "by") -> str:
    user = (value or "").strip()
    if not user:
        raise InputError(f"{name}: empty: name the user")
    if len(user) > 200 or any(c.isspace() and c != " " for c in user):
        raise InputError(f"{name}: not a user name: {user[:40]!r}")
    return user


class Workflow:
    def __init__(
        self, store: CaseStore, four_eyes: FourEyes, now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    ) -> None:
        self.store = store
        self.four_eyes = four_eyes
        self.now = now

    # -- reading -------------------------------------------------------------------------

    def list_cases(
        self, status: CaseStatus | None = None, assignee: str | None = None, limit: int = 1000
    ) -> list[CaseSummary]:
        """Cases, oldest first, of one status and assignee if given."""
        where, params = [], []
        if status is not None:
            where.append("c.status = ?")
            params.append(status.value)
        if assignee is not None:
            where.append("c.assignee = ?")
            params.append(assignee)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        now = self.now()
        with self.store.read() as tx:
            rows = tx.all(f"SELECT {CASE_COLUMNS} FROM cases c{clause} ORDER BY c.id LIMIT ?", (*params, limit))
        return [case_summary(row, now) for row in rows]

    def queue(
        self,
        statuses: Sequence[CaseStatus] = (),
        assignee: str | None = None,
        min_age_days: float | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = False,
    ) -> CasePage:
        """A page of cases, oldest first: of these statuses (any if none), this assignee (`""`: nobody's),
        opened at least `min_age_days` ago, whose subject holds `search`; with the number matching in all.

        The page's ids are read with LIMIT and OFFSET over the indexes of status, assignee and id, and only
        those rows' alerts are counted, so a queue of ten thousand open cases answers in milliseconds at any
        page."""
        where: list[str] = []
        params: list[Any] = []
        if statuses:
            where.append(f"c.status IN ({', '.join('?' for _ in statuses)})")
            params += [s.value for s in statuses]
        if assignee == "":
            where.append("c.assignee IS NULL")
        elif assignee is not None:
            where.append("c.assignee = ?")
            params.append(assignee)
        now = self.now()
        if min_age_days is not None:
            where.append("c.opened_at <= ?")
            params.append(stamp(now - dt.timedelta(days=min_age_days)))
        if search and search.strip():
            escaped = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("(LOWER(c.label) LIKE ? ESCAPE '\\' OR LOWER(c.subject) LIKE ? ESCAPE '\\')")
            params += [f"%{escaped}%"] * 2
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        order = "DESC" if newest_first else "ASC"
        limit, offset = max(1, min(limit, 500)), max(0, offset)
        with self.store.read() as tx:
            counted = tx.one(f"SELECT COUNT(*) FROM cases c{clause}", params)
            # the page's ids first, from the indexes alone; then the columns (alert counts, scores) of those only
            rows = tx.all(
                f"SELECT {CASE_COLUMNS} FROM cases c WHERE c.id IN"
                f" (SELECT c.id FROM cases c{clause} ORDER BY c.id {order} LIMIT ? OFFSET ?) ORDER BY c.id {order}",
                (*params, limit, offset),
            )
        return CasePage(
            cases=tuple(case_summary(row, now) for row in rows),
            total=int(counted[0]) if counted else 0,
            offset=offset,
            limit=limit,
        )

    def recorded_hits(self, case: CaseDetail) -> list[RecordedHit]:
        """Each alert's hit as its screening recorded it, explanation included, beside what was screened."""
        ids = sorted({alert.screening_id for alert in case.alert_list})
        screenings: dict[int, tuple[Any, str | None, str]] = {}
        with self.store.read() as tx:
            for screening_id in ids:
                row = tx.one("SELECT result, list_version, screened_at FROM screenings WHERE id = ?", (screening_id,))
                if row is not None:
                    screenings[screening_id] = (json.loads(row[0]), row[1], str(row[2]))
        found = []
        for alert in case.alert_list:
            result, version, at = screenings.get(alert.screening_id, ({}, None, stamp(alert.created_at)))
            query = result.get("query") if isinstance(result, dict) else None
            found.append(
                RecordedHit(
                    alert_id=alert.id,
                    screening_id=alert.screening_id,
                    hit=_hit_of(result, alert.entity_id),
                    query=query if isinstance(query, dict) and "name" in query else None,
                    list_version=version,
                    screened_at=dt.datetime.fromisoformat(at),
                )
            )
        return found

    def show(self, case_id: int) -> CaseDetail:
        now = self.now()
        with self.store.read() as tx:
            row = tx.one(f"SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = ?", (case_id,))
            if row is None:
                raise NotFoundError(f"no case {case_id}")
            alerts = [
                alert_view(r)
                for r in tx.all(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE case_id = ? ORDER BY id", (case_id,))
            ]
            made = [
                decision_view(r)
                for r in tx.all(f"SELECT {DECISION_COLUMNS} FROM decisions WHERE case_id = ? ORDER BY id", (case_id,))
            ]
            comments = [
                comment_view(r)
                for r in tx.all("SELECT id, author, body, at FROM comments WHERE case_id = ? ORDER BY id", (case_id,))
            ]
            events = [
                event_view(r)
                for r in tx.all(
                    "SELECT seq, at, actor, event, body FROM audit_log WHERE case_id = ? ORDER BY seq", (case_id,)
                )
            ]
        summary = case_summary(row, now)
        programmes = [p for alert in alerts for p in alert.programmes]
        kind = summary.decision or DecisionKind.FALSE_POSITIVE
        return CaseDetail(
            **summary.model_dump(),
            needs_approval=self.four_eyes.needed(kind, programmes),
            alert_list=tuple(alerts),
            decisions=tuple(made),
            comments=tuple(comments),
            events=tuple(events),
        )

    # -- acting --------------------------------------------------------------------------

    def assign(self, case_id: int, to: str, by: str) -> CaseDetail:
        """Give an undecided case to a reviewer: an open case goes into review."""
        to, by = _user(to, "to"), _user(by)
        at = stamp(self.now())
        with self.store.write() as w:
            status = self._status(w, case_id, UNDECIDED + (CaseStatus.PENDING_APPROVAL,), "assign")
            new = CaseStatus.IN_REVIEW if status is CaseStatus.OPEN else status
            w.tx.run(
                "UPDATE cases SET assignee = ?, status = ?, updated_at = ? WHERE id = ?", (to, new.value, at, case_id)
            )
            w.audit.append("case_assigned", by, at, {"assignee": to, "status": new.value}, case=case_id)
        return self.show(case_id)

    def start_review(self, case_id: int, by: str) -> CaseDetail:
        """Take up an open case: it is in review, assigned to `by` unless it has an assignee."""
        by = _user(by)
        at = stamp(self.now())
        with self.store.write() as w:
            self._status(w, case_id, (CaseStatus.OPEN,), "take up")
            w.tx.run(
                "UPDATE cases SET status = ?, assignee = COALESCE(assignee, ?), updated_at = ? WHERE id = ?",
                (CaseStatus.IN_REVIEW.value, by, at, case_id),
            )
            w.audit.append("review_started", by, at, {"status": CaseStatus.IN_REVIEW.value}, case=case_id)
        return self.show(case_id)

    def comment(self, case_id: int, body: str, by: str) -> CaseDetail:
        body, by = _text(body, "comment"), _user(by)
        at = stamp(self.now())
        with self.store.write() as w:
            self._status(w, case_id, tuple(CaseStatus), "comment on")
            comment_id = w.tx.insert(
                "INSERT INTO comments (case_id, author, body, at) VALUES (?, ?, ?, ?)", (case_id, by, body, at)
            )
            w.tx.run("UPDATE cases SET updated_at = ? WHERE id = ?", (at, case_id))
            w.audit.append("comment_added", by, at, {"comment": comment_id, "body": body}, case=case_id)
        return self.show(case_id)

    def decide(self, case_id: int, decision: DecisionKind, reason: str, by: str) -> CaseDetail:
        """Decide every open alert of an undecided case; final at once, or pending a second user's approval."""
        reason, by = _text(reason, "reason"), _user(by)
        at = stamp(self.now())
        with self.store.write() as w:
            self._status(w, case_id, UNDECIDED, "decide")
            alerts = self._open_alerts(w, case_id)
            programmes = [p for *_, alert_programmes in alerts for p in alert_programmes]
            four_eyes = self.four_eyes.needed(decision, programmes)
            state = DecisionState.PENDING if four_eyes else DecisionState.FINAL
            decision_id = w.tx.insert(
                "INSERT INTO decisions (case_id, decision, reason, decided_by, decided_at, state)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (case_id, decision.value, reason, by, at, state.value),
            )
            data: dict[str, Any] = {
                "decision_id": decision_id,
                "decision": decision.value,
                "reason": reason,
                "alerts": [alert[0] for alert in alerts],
                "four_eyes": four_eyes,
            }
            if four_eyes:
                data["high_risk_programmes"] = sorted(set(self.four_eyes.high_risk(programmes)))
                w.tx.run(
                    "UPDATE cases SET status = ?, decision = ?, updated_at = ? WHERE id = ?",
                    (CaseStatus.PENDING_APPROVAL.value, decision.value, at, case_id),
                )
                w.audit.append("decision_proposed", by, at, data, case=case_id)
            else:
                w.audit.append("case_decided", by, at, data, case=case_id)
                self._finalise(w, case_id, decision_id, decision, alerts, by, at)
        return self.show(case_id)

    def approve(self, case_id: int, by: str) -> CaseDetail:
        """A second user approves the pending decision: it becomes final."""
        by = _user(by)
        at = stamp(self.now())
        with self.store.write() as w:
            self._status(w, case_id, (CaseStatus.PENDING_APPROVAL,), "approve a decision on")
            decision_id, decision, decided_by = self._pending(w, case_id)
            if decided_by == by:
                raise WorkflowError(
                    f"case {case_id}: four eyes: {by} made this decision, so another user must approve it"
                )
            w.tx.run(
                "UPDATE decisions SET state = ?, approved_by = ?, approved_at = ? WHERE id = ?",
                (DecisionState.FINAL.value, by, at, decision_id),
            )
            w.audit.append(
                "decision_approved",
                by,
                at,
                {"decision_id": decision_id, "decision": decision.value, "decided_by": decided_by},
                case=case_id,
            )
            self._finalise(w, case_id, decision_id, decision, self._open_alerts(w, case_id), by, at)
        return self.show(case_id)

    def reject(self, case_id: int, reason: str, by: str) -> CaseDetail:
        """A second user rejects the pending decision: the case goes back into review."""
        reason, by = _text(reason, "reason"), _user(by)
        at = stamp(self.now())
        with self.store.write() as w:
            self._status(w, case_id, (CaseStatus.PENDING_APPROVAL,), "reject a decision on")
            decision_id, decision, decided_by = self._pending(w, case_id)
            if decided_by == by:
                raise WorkflowError(f"case {case_id}: four eyes: {by} made this decision; another user reviews it")
            w.tx.run(
                "UPDATE decisions SET state = ?, rejected_by = ?, rejected_at = ?, rejection = ? WHERE id = ?",
                (DecisionState.REJECTED.value, by, at, reason, decision_id),
            )
            w.tx.run(
                "UPDATE cases SET status = ?, decision = NULL, updated_at = ? WHERE id = ?",
                (CaseStatus.IN_REVIEW.value, at, case_id),
            )
            w.audit.append(
                "decision_rejected",
                by,
                at,
                {"decision_id": decision_id, "decision": decision.value, "reason": reason},
                case=case_id,
            )
        return self.show(case_id)

    # -- inside a transaction ------------------------------------------------------------

    @staticmethod
    def _status(w: Write, case_id: int, allowed: Sequence[CaseStatus], doing: str) -> CaseStatus:
        row = w.tx.one("SELECT status FROM cases WHERE id = ?", (case_id,))
        if row is None:
            raise NotFoundError(f"no case {case_id}")
        status = CaseStatus(row[0])
        if status not in allowed:
            raise WorkflowError(f"case {case_id} is {status.value.replace('_', ' ')}: cannot {doing} it now")
        return status

    @staticmethod
    def _open_alerts(w: Write, case_id: int) -> list[tuple[int, str, str, str, str, list[str]]]:
        """(id, subject, subject digest, entity id, entity digest, programmes) of each open alert."""
        rows = w.tx.all(
            "SELECT id, subject, subject_sha256, entity_id, entity_sha256, programmes FROM alerts"
            " WHERE case_id = ? AND status = ? ORDER BY id",
            (case_id, AlertStatus.OPEN.value),
        )
        return [(int(r[0]), r[1], r[2], r[3], r[4], json.loads(r[5])) for r in rows]

    @staticmethod
    def _pending(w: Write, case_id: int) -> tuple[int, DecisionKind, str]:
        row = w.tx.one(
            "SELECT id, decision, decided_by FROM decisions WHERE case_id = ? AND state = ? ORDER BY id DESC LIMIT 1",
            (case_id, DecisionState.PENDING.value),
        )
        if row is None:
            raise WorkflowError(f"case {case_id}: no decision is pending")
        return int(row[0]), DecisionKind(row[1]), str(row[2])

    @staticmethod
    def _finalise(
        w: Write,
        case_id: int,
        decision_id: int,
        decision: DecisionKind,
        alerts: list[tuple[int, str, str, str, str, list[str]]],
        by: str,
        at: str,
    ) -> None:
        w.tx.many(
            "UPDATE alerts SET status = ?, decision_id = ? WHERE id = ?",
            [(AlertStatus.DECIDED.value, decision_id, alert[0]) for alert in alerts],
        )
        w.tx.run(
            "UPDATE cases SET status = ?, decision = ?, decided_at = ?, updated_at = ? WHERE id = ?",
            (CaseStatus.DECIDED.value, decision.value, at, at, case_id),
        )
        keys = [(subject, subject_sha, entity, entity_sha) for _, subject, subject_sha, entity, entity_sha, _ in alerts]
        remembered = decisions.settle(w.tx, decision_id, decision, keys, at)
        if remembered:
            w.audit.append(
                "decision_remembered",
                by,
                at,
                {
                    "decision_id": decision_id,
                    "keys": [
                        {"subject_sha256": s_sha, "entity_id": entity, "entity_sha256": e_sha}
                        for _, s_sha, entity, e_sha in keys
                    ],
                },
                case=case_id,
            )


def _hit_of(result: Any, entity_id: str) -> HitResult | None:
    """The best-scored hit on `entity_id` anywhere in a recorded result: a party's hits, a text's mentions, a
    payment's fields, a shipment's parties all hold hits of the same shape."""
    best: dict[str, Any] | None = None
    stack = [result]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("entity_id") == entity_id and "explanation" in item:
                if best is None or item.get("score", 0) > best.get("score", 0):
                    best = item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    if best is None:
        return None
    try:
        return HitResult.model_validate(best)
    except ValueError:
        return None
