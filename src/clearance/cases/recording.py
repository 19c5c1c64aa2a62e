"""Recording: every screening through the facade kept as it was asked and answered; hits become alerts.

A recorded screening keeps its input (or, with `CLEARANCE_RECORD_INPUT=digest`, only the input's
SHA-256), its result as the facade returned it, the list version and the snapshot of each source,
the algorithm and its config digest, the threshold, who asked and when. Its hits at or above the
review threshold become alerts (a partial-name hit never does: a family name given alone is shown,
not alerted on), grouped into one case per screened subject: a party, a batch row
(by its `id`), a text, a payment message, a shipment. An alert that a remembered false positive
covers is recorded as suppressed, linked to that decision, and opens no case.

Each alert is keyed by the record that matched (`decisions.record_digest`): for a party or a batch
row the party itself; for a payment the party field or free-text field; for a shipment the party;
for a text the whole text. A subject's alerts join its undecided case; once that case is decided
(or waits for approval) a new alert opens a new case.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from clearance.cases import decisions
from clearance.cases.audit import canonical, stamp
from clearance.cases.models import AlertStatus, CaseStatus
from clearance.cases.store import CaseStore, Write
from clearance.errors import ConflictError, IntegrityError
from clearance.matching.screener import Band
from clearance.results import BatchRecord, HitResult, PartyQuery, PartyScreening, Screening

EntityDigests = Callable[[Sequence[tuple[int, str]]], dict[tuple[int, str], str]]
"""(snapshot id, entity id) -> the SHA-256 the list store keeps the entity's record under."""
CHUNK = 500
"""Batch rows recorded per transaction."""

_ACTOR: ContextVar[str | None] = ContextVar("clearance_actor", default=None)


@contextmanager
def acting_as(user: str | None) -> Iterator[None]:
    """Screenings recorded within are recorded as asked by `user` (a request's API key, a command's user)."""
    token = _ACTOR.set(user)
    try:
        yield
    finally:
        _ACTOR.reset(token)


@dataclass(frozen=True)
class Finding:
    """One listed entity a screened record may be."""

    record: dict[str, Any]
    matched: str
    hit: HitResult


@dataclass(frozen=True)
class Subject:
    key: str
    label: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Prepared:
    """A screening ready to write: everything but the ids the database gives."""

    kind: str
    batch: str | None
    subject: Subject
    input: str | None
    input_sha256: str
    result: str
    result_sha256: str
    list_version: str | None
    snapshots: dict[str, int]
    algorithm: str
    config: str
    threshold: float
    screened_at: str


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def party_record(query: PartyQuery) -> dict[str, Any]:
    return query.model_dump()


def party_key(query: PartyQuery) -> str:
    return "party:" + str(decisions.normalised(query.name))


def subject_of(kind: str, result: Any, input_sha256: str) -> Subject:
    """What a screening's cases group by, and each record that matched with its hits."""
    if isinstance(result, PartyScreening):
        record = party_record(result.query)
        found = tuple(Finding(record, result.query.name, hit) for hit in result.hits)
        return Subject(party_key(result.query), result.query.name, found)
    if isinstance(result, BatchRecord):
        if result.query is None:
            return Subject(f"row:{result.id}", f"{result.id} (not screened)", ())
        record = party_record(result.query)
        key = party_key(result.query) if result.id.startswith("line ") else f"row:{result.id}"
        return Subject(
            key,
            f"{result.id}: {result.query.name}",
            tuple(Finding(record, result.query.name, hit) for hit in result.hits),
        )
    from clearance.goods.results import ShipmentScreening
    from clearance.text.results import PaymentScreening, TextScreening

    if isinstance(result, TextScreening):
        query = result.query
        text_record = {"text_sha256": query.sha256}
        found = tuple(Finding(text_record, m.text, hit) for m in result.mentions for hit in m.hits)
        return Subject(f"text:{query.sha256}", f"text of {query.characters:,} characters ({query.sha256[:12]})", found)
    if isinstance(result, PaymentScreening):
        findings: list[Finding] = []
        for party in result.parties:
            record = {
                "name": party.name or party.text,
                "country": party.country,
                "bic": party.bic,
                "account": party.account,
                "address": list(party.address),
            }
            for designation in party.hits:
                findings += [Finding(record, f"{party.field} {party.text}", e) for e in designation.entities]
        for text in result.texts:
            for designation in text.hits:
                findings += [
                    Finding({"text": text.text}, f"{text.field} {designation.query}", e) for e in designation.entities
                ]
        reference = result.reference or input_sha256[:16]
        return Subject(f"payment:{reference}", f"{result.message} {reference}", tuple(findings))
    if isinstance(result, ShipmentScreening):
        reference = result.reference or input_sha256[:16]
        found = tuple(
            Finding({"name": party.name, "country": party.country}, f"{party.role.value}: {party.name}", hit)
            for party in result.parties
            for hit in party.hits
        )
        return Subject(f"shipment:{reference}", f"shipment {reference}", found)
    raise TypeError(f"not a screening result: {type(result).__name__}")


def input_json(request: dict[str, Any]) -> str:
    """A screening's input as canonical JSON; bytes as UTF-8 text, or base64 when they are not UTF-8."""
    plain: dict[str, Any] = {}
    for name, value in request.items():
        if isinstance(value, bytes):
            try:
                plain[name] = value.decode("utf-8")
            except UnicodeDecodeError:
                plain[name + "_base64"] = base64.b64encode(value).decode()
        else:
            plain[name] = value
    return canonical(plain)


def request_value(request: dict[str, Any], name: str) -> Any:
    """A recorded input's value, decoded back to bytes if it was kept as base64."""
    if name + "_base64" in request:
        return base64.b64decode(request[name + "_base64"])
    return request.get(name)


class Recorder:
    def __init__(
        self,
        store: CaseStore,
        entity_digests: EntityDigests,
        *,
        keep_input: bool,
        review_threshold: float,
        user: str,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.store = store
        self.entity_digests = entity_digests
        self.keep_input = keep_input
        self.review_threshold = review_threshold
        self.user = user
        self.now = now

    def alerts(self, hit: HitResult) -> bool:
        """A hit raises an alert from the review threshold up; a partial-name hit (a family name given alone)
        is reported for the analyst to see, never an alert."""
        return hit.score >= self.review_threshold and hit.band is not Band.PARTIAL

    @property
    def actor(self) -> str:
        return _ACTOR.get() or self.user

    def record(self, kind: str, request: dict[str, Any], result: Screening) -> int:
        """Record one screening and raise its alerts; returns the screening's id."""
        snapshots = {s.source: s.snapshot_id for s in result.list_version.sources}
        prepared = self._prepared(kind, None, request, result, result.list_version.digest, snapshots)
        return self._write([prepared])[0]

    def rows(self, records: Iterator[BatchRecord], request: dict[str, Any], version: Any) -> Iterator[BatchRecord]:
        """Record a batch's rows, `CHUNK` to a transaction, each row before it is passed on."""
        batch = _sha256(f"{stamp(self.now())}:{id(records)}")[:16]
        snapshots: dict[str, int] = version.snapshot_ids if version is not None else {}
        digest = version.digest if version is not None else None
        held: list[tuple[BatchRecord, Prepared]] = []
        for record in records:
            if record.list_version != digest:
                raise ConflictError(
                    f"batch row {record.id}: screened on list version {record.list_version}, "
                    f"not {digest}: the lists changed during the batch; run it again"
                )
            row_request = {**request, "row": record.id, "party": record.query.model_dump() if record.query else None}
            if record.error is not None:
                row_request["error"] = record.error
            held.append((record, self._prepared("batch", batch, row_request, record, digest, snapshots)))
            if len(held) >= CHUNK:
                self._write([p for _, p in held])
                yield from (r for r, _ in held)
                held = []
        if held:
            self._write([p for _, p in held])
            yield from (r for r, _ in held)

    def _prepared(
        self,
        kind: str,
        batch: str | None,
        request: dict[str, Any],
        result: Screening | BatchRecord,
        list_version: str | None,
        snapshots: dict[str, int],
    ) -> Prepared:
        data = input_json(request)
        data_sha = _sha256(data)
        keep_query = self.keep_input or not isinstance(result, PartyScreening | BatchRecord)
        stored = result.model_dump_json() if keep_query else result.model_dump_json(exclude={"query"})
        return Prepared(
            kind=kind,
            batch=batch,
            subject=subject_of(kind, result, data_sha),
            input=data if self.keep_input else None,
            input_sha256=data_sha,
            result=stored,
            result_sha256=_sha256(stored),
            list_version=list_version,
            snapshots=snapshots,
            algorithm=result.algorithm,
            config=result.config,
            threshold=result.threshold,
            screened_at=stamp(result.screened_at),
        )

    def _write(self, screenings: Sequence[Prepared]) -> list[int]:
        wanted = {
            (f.hit.snapshot_id, f.hit.entity_id)
            for p in screenings
            for f in p.subject.findings
            if self.alerts(f.hit) and f.hit.snapshot_id is not None
        }
        digests = self.entity_digests(sorted(wanted)) if wanted else {}
        actor = self.actor
        at = stamp(self.now())
        ids = []
        with self.store.write() as w:
            for prepared in screenings:
                ids.append(self._write_one(w, prepared, digests, actor, at))
        return ids

    def _write_one(self, w: Write, p: Prepared, digests: dict[tuple[int, str], str], actor: str, at: str) -> int:
        screening_id = w.tx.insert(
            "INSERT INTO screenings (kind, batch, subject, label, input, input_sha256, result, result_sha256,"
            " list_version, snapshots, algorithm, config_digest, threshold, requested_by, screened_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.kind,
                p.batch,
                p.subject.key,
                p.subject.label,
                p.input,
                p.input_sha256,
                p.result,
                p.result_sha256,
                p.list_version,
                json.dumps(p.snapshots, sort_keys=True),
                p.algorithm,
                p.config,
                p.threshold,
                actor,
                p.screened_at,
            ),
        )
        w.audit.append(
            "screening_recorded",
            actor,
            at,
            {
                "kind": p.kind,
                "batch": p.batch,
                "subject": p.subject.key,
                "input_sha256": p.input_sha256,
                "input_kept": p.input is not None,
                "result_sha256": p.result_sha256,
                "list_version": p.list_version,
                "snapshots": p.snapshots,
                "algorithm": p.algorithm,
                "config": p.config,
                "threshold": p.threshold,
                "screened_at": p.screened_at,
            },
            screening=screening_id,
        )
        best: dict[tuple[str, str], Finding] = {}
        for finding in p.subject.findings:
            if not self.alerts(finding.hit):
                continue
            key = (decisions.record_digest(finding.record), finding.hit.entity_id)
            if key not in best or finding.hit.score > best[key].hit.score:
                best[key] = finding
        case_id: int | None = None
        for (subject_sha, entity_id), finding in best.items():
            hit = finding.hit
            entity_sha = digests.get((hit.snapshot_id, entity_id)) if hit.snapshot_id is not None else None
            if entity_sha is None:
                raise IntegrityError(f"listed entity {entity_id} (snapshot {hit.snapshot_id}) is not in the list store")
            if self._already_open(w, p.subject.key, subject_sha, entity_id, entity_sha):
                continue
            alert = {
                "entity_id": entity_id,
                "entity_sha256": entity_sha,
                "subject_sha256": subject_sha,
                "score": hit.score,
                "programmes": list(hit.programmes),
                "matched": finding.matched,
            }
            suppressed_by = decisions.suppressing(w.tx, subject_sha, entity_id, entity_sha)
            if suppressed_by is not None:
                alert_id = self._alert(
                    w,
                    None,
                    screening_id,
                    p.subject.key,
                    finding,
                    subject_sha,
                    entity_sha,
                    AlertStatus.SUPPRESSED,
                    suppressed_by,
                    None,
                    at,
                )
                decided_case = w.tx.one("SELECT case_id FROM decisions WHERE id = ?", (suppressed_by,))
                w.audit.append(
                    "alert_suppressed",
                    actor,
                    at,
                    {**alert, "alert": alert_id, "decision_id": suppressed_by},
                    case=int(decided_case[0]) if decided_case else None,
                    screening=screening_id,
                )
                continue
            if case_id is None:
                case_id = self._case(w, p, screening_id, actor, at)
            before = decisions.earlier(w.tx, p.subject.key, entity_id)
            reopens = before[0] if before is not None else None
            alert_id = self._alert(
                w,
                case_id,
                screening_id,
                p.subject.key,
                finding,
                subject_sha,
                entity_sha,
                AlertStatus.OPEN,
                None,
                reopens,
                at,
            )
            if before is not None:
                alert["reopens"] = reopens
                alert["why"] = decisions.why_reopened(subject_sha, entity_sha, before)
            w.audit.append(
                "alert_raised", actor, at, {**alert, "alert": alert_id}, case=case_id, screening=screening_id
            )
        return screening_id

    @staticmethod
    def _already_open(w: Write, subject: str, subject_sha: str, entity_id: str, entity_sha: str) -> bool:
        """The same alert is open already (raised by an earlier screening, not yet decided): not raised twice."""
        return (
            w.tx.one(
                "SELECT 1 FROM alerts WHERE subject = ? AND status = ? AND entity_id = ? AND subject_sha256 = ?"
                " AND entity_sha256 = ? LIMIT 1",
                (subject, AlertStatus.OPEN.value, entity_id, subject_sha, entity_sha),
            )
            is not None
        )

    @staticmethod
    def _case(w: Write, p: Prepared, screening_id: int, actor: str, at: str) -> int:
        """The subject's undecided case, or a new one."""
        row = w.tx.one(
            "SELECT id FROM cases WHERE subject = ? AND status IN (?, ?) ORDER BY id DESC LIMIT 1",
            (p.subject.key, CaseStatus.OPEN.value, CaseStatus.IN_REVIEW.value),
        )
        if row is not None:
            w.tx.run("UPDATE cases SET updated_at = ? WHERE id = ?", (at, int(row[0])))
            return int(row[0])
        case_id = w.tx.insert(
            "INSERT INTO cases (subject, label, kind, status, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (p.subject.key, p.subject.label, p.kind, CaseStatus.OPEN.value, at, at),
        )
        w.audit.append(
            "case_opened",
            actor,
            at,
            {"subject": p.subject.key, "label": p.subject.label, "kind": p.kind},
            case=case_id,
            screening=screening_id,
        )
        return case_id

    @staticmethod
    def _alert(
        w: Write,
        case_id: int | None,
        screening_id: int,
        subject: str,
        finding: Finding,
        subject_sha: str,
        entity_sha: str,
        status: AlertStatus,
        decision_id: int | None,
        reopens: int | None,
        at: str,
    ) -> int:
        hit = finding.hit
        return w.tx.insert(
            "INSERT INTO alerts (case_id, screening_id, subject, subject_sha256, entity_id, entity_sha256,"
            " snapshot_id, source, name, score, programmes, matched, status, decision_id, reopens, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                screening_id,
                subject,
                subject_sha,
                hit.entity_id,
                entity_sha,
                hit.snapshot_id,
                hit.source,
                hit.name,
                hit.score,
                json.dumps(list(hit.programmes)),
                finding.matched,
                status.value,
                decision_id,
                reopens,
                at,
            ),
        )
