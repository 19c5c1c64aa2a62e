"""The audit trail: every case event as an append-only, hash-chained record.

A record is canonical JSON (sorted keys, no spaces, UTF-8) of its number, time, actor, event,
case, screening and data; its hash is SHA-256 over the previous record's hash (hex) and that
JSON. So each record holds its predecessor's hash, and editing, deleting or reordering any record
breaks the chain at that record: `verify` reads the trail in order, recomputes every hash and
names the first record that fails. Rewriting the tail and every hash after it is caught only by
an anchor kept elsewhere (`clearance audit anchor` prints one; `verify --anchor SEQ:HASH` checks
it), which is why anchors are meant to be printed and kept outside the database.

The query columns beside the record (time, actor, event, case, screening) are checked against
the record too, so a column edited to hide a record from a search shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from clearance.cases.database import Transaction
from clearance.errors import InputError

GENESIS = "0" * 64
"""The previous hash of the first record."""


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chained(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def stamp(when: dt.datetime) -> str:
    """A time as the case store keeps it: UTC, ISO 8601, microseconds; text sorts as time does."""
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")


class Anchor(BaseModel):
    """A record's number and hash, kept outside the database to pin the trail up to it."""

    model_config = ConfigDict(frozen=True)

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, _, digest = text.partition(":")
        if not seq.strip().isdigit() or len(digest.strip()) != 64:
            raise InputError(f"--anchor: {text!r} is not SEQ:HASH (a record number and its 64-digit hash)")
        return cls(seq=int(seq), hash=digest.strip().lower())


class Verification(BaseModel):
    """What `verify` found: the records read, the head, and the first bad record (None when sound)."""

    model_config = ConfigDict(frozen=True)

    records: int
    head: Anchor | None
    sound: bool
    first_bad: int | None = None
    problem: str | None = None
    anchors_checked: int = 0


@dataclass
class AuditTrail:
    """Appends to the trail inside one write transaction, which has locked the head row first."""

    tx: Transaction
    seq: int
    hash: str
    pending: list[tuple[Any, ...]] = field(default_factory=list)

    @classmethod
    def locked(cls, tx: Transaction) -> AuditTrail:
        lock = " FOR UPDATE" if tx.database.dialect == "postgresql" else ""
        row = tx.one("SELECT seq, hash FROM audit_head WHERE id = 1" + lock)
        assert row is not None, "the audit head row is missing"
        return cls(tx, int(row[0]), str(row[1]))

    def append(
        self,
        event: str,
        actor: str,
        at: str,
        data: dict[str, Any],
        case: int | None = None,
        screening: int | None = None,
    ) -> int:
        self.seq += 1
        record = {
            "seq": self.seq,
            "at": at,
            "actor": actor,
            "event": event,
            "case": case,
            "screening": screening,
            "data": data,
        }
        body = canonical(record)
        digest = chained(self.hash, body)
        self.pending.append((self.seq, at, actor, event, case, screening, body, self.hash, digest))
        self.hash = digest
        if len(self.pending) >= 1000:
            self.flush()
        return self.seq

    def flush(self) -> None:
        if not self.pending:
            return
        self.tx.many(
            "INSERT INTO audit_log (seq, at, actor, event, case_id, screening_id, body, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.pending,
        )
        self.pending = []
        self.tx.run("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (self.seq, self.hash))


_COLUMNS = "seq, at, actor, event, case_id, screening_id, body, prev_hash, hash"


def verify(tx: Transaction, anchors: Sequence[Anchor] = ()) -> Verification:
    """Read the whole trail in order and check every link; stops at the first bad record and names it."""
    wanted = {anchor.seq: anchor.hash for anchor in anchors}
    running, last, count, checked = GENESIS, 0, 0, 0

    def bad(seq: int, problem: str) -> Verification:
        head = Anchor(seq=last, hash=running) if last else None
        return Verification(
            records=count, head=head, sound=False, first_bad=seq, problem=problem, anchors_checked=checked
        )

    loads = json.loads
    sha256 = hashlib.sha256
    for seq, at, actor, event, case_id, screening_id, body, prev_hash, digest in tx.stream(
        f"SELECT {_COLUMNS} FROM audit_log ORDER BY seq"
    ):
        count += 1
        if seq != last + 1:
            return bad(last + 1, f"record {last + 1} is missing: the trail goes from record {last} to record {seq}")
        if sha256((prev_hash + body).encode()).hexdigest() != digest:
            return bad(seq, f"record {seq} was altered: its hash does not match its contents")
        try:
            record = loads(body)
        except ValueError:
            return bad(seq, f"record {seq} does not read as JSON")
        if record.get("seq") != seq:
            return bad(seq, f"record {seq} holds the contents of record {record.get('seq')}: records were reordered")
        if prev_hash != running:
            if last == 0:
                return bad(seq, f"record {seq} does not start the trail: records before it were removed")
            return bad(
                last,
                f"record {last} was altered or replaced: record {seq} chains to another hash than record {last}'s",
            )
        columns = {"at": at, "actor": actor, "event": event, "case": case_id, "screening": screening_id}
        for name, value in columns.items():
            if record.get(name) != value:
                said = record.get(name)
                return bad(seq, f"record {seq}: its {name} column was altered ({value!r}; the record says {said!r})")
        if seq in wanted:
            checked += 1
            if wanted[seq] != digest:
                return bad(seq, f"record {seq} does not match the anchor kept for it: the trail was rewritten")
        running, last = digest, seq
    head = tx.one("SELECT seq, hash FROM audit_head WHERE id = 1")
    if head is not None and int(head[0]) > last:
        return bad(last + 1, f"records {last + 1} to {head[0]} are missing: the trail ends at record {last}")
    if head is not None and (int(head[0]) != last or str(head[1]) != running):
        return bad(last, f"the trail's head was altered: it names record {head[0]}, the trail ends at record {last}")
    beyond = sorted(seq for seq in wanted if seq > last)
    if beyond:
        return bad(last + 1, f"record {beyond[0]} is missing: an anchor was kept for it, the trail ends at {last}")
    return Verification(
        records=count, head=Anchor(seq=last, hash=running) if last else None, sound=True, anchors_checked=checked
    )


def head(tx: Transaction) -> Anchor | None:
    row = tx.one("SELECT seq, hash FROM audit_head WHERE id = 1")
    return Anchor(seq=int(row[0]), hash=str(row[1])) if row is not None and int(row[0]) else None


def anchors(tx: Transaction, every: int) -> list[Anchor]:
    """Every `every`-th record's hash, and the head's: what to keep elsewhere."""
    found = [
        Anchor(seq=int(seq), hash=str(digest))
        for seq, digest in tx.stream("SELECT seq, hash FROM audit_log ORDER BY seq")
        if int(seq) % every == 0
    ]
    last = head(tx)
    if last is not None and (not found or found[-1].seq != last.seq):
        found.append(last)
    return found


def export(tx: Transaction, start: str | None, end: str | None) -> Iterator[dict[str, Any]]:
    """The records from `start` (inclusive) to `end` (exclusive), as stamped times, each with its hashes:
    a reader can recompute every hash from `prev_hash` and the record's canonical JSON."""
    where, params = [], []
    if start is not None:
        where.append("at >= ?")
        params.append(start)
    if end is not None:
        where.append("at < ?")
        params.append(end)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    for seq, body, prev_hash, digest in tx.stream(
        f"SELECT seq, body, prev_hash, hash FROM audit_log{clause} ORDER BY seq", params
    ):
        yield {"seq": seq, "prev_hash": prev_hash, "hash": digest, "record": json.loads(body)}
