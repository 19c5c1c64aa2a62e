"""Remembered decisions: a false positive is not raised again until the subject or the listed entity changes.

A final false-positive decision is remembered per alert, keyed by three digests' worth of fact:
the subject's normalised record (SHA-256 of its canonical JSON), the listed entity's id, and the
listed entity's record as the list store keeps it (the SHA-256 it is stored under). A later
screening that meets the same three is recorded as a suppressed alert linked to the decision. A
change to the subject's record (a new date of birth, another country) or to the listed entry (an
alias added, a programme changed) gives another key, so the alert is raised again, and it names
the earlier decision it re-opens. A later final decision on the same three that is not a false
positive (a true match after all) forgets the false positive.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from typing import Any

from clearance.cases.audit import canonical
from clearance.cases.database import Transaction
from clearance.cases.models import DecisionKind


def normalised(value: Any) -> Any:
    """Strings in NFKC, case-folded, with runs of white space as one space; containers item by item;
    empty values dropped, so `{"dob": null}` and `{}` are the same record."""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFKC", value).casefold().split())
    if isinstance(value, dict):
        return {str(k): normalised(v) for k, v in value.items() if v not in (None, "", (), [])}
    if isinstance(value, list | tuple):
        return [normalised(v) for v in value]
    return value


def record_digest(record: dict[str, Any]) -> str:
    """SHA-256 of a subject's normalised record."""
    return hashlib.sha256(canonical(normalised(record)).encode()).hexdigest()


def suppressing(tx: Transaction, subject_sha256: str, entity_id: str, entity_sha256: str) -> int | None:
    """The false-positive decision that covers these three, if one does."""
    row = tx.one(
        "SELECT decision_id FROM remembered WHERE subject_sha256 = ? AND entity_id = ? AND entity_sha256 = ?",
        (subject_sha256, entity_id, entity_sha256),
    )
    return int(row[0]) if row is not None else None


def earlier(tx: Transaction, subject: str, entity_id: str) -> tuple[int, str, str] | None:
    """The latest false positive remembered for this subject and entity, under whatever digests:
    (decision, subject digest, entity digest)."""
    row = tx.one(
        "SELECT decision_id, subject_sha256, entity_sha256 FROM remembered WHERE subject = ? AND entity_id = ?"
        " ORDER BY decision_id DESC LIMIT 1",
        (subject, entity_id),
    )
    return (int(row[0]), str(row[1]), str(row[2])) if row is not None else None


def why_reopened(subject_sha256: str, entity_sha256: str, before: tuple[int, str, str]) -> str:
    changed = []
    if before[1] != subject_sha256:
        changed.append("the subject's record changed")
    if before[2] != entity_sha256:
        changed.append("the listed entity changed")
    return " and ".join(changed) or "the decision no longer applies"


def settle(
    tx: Transaction,
    decision_id: int,
    decision: DecisionKind,
    alerts: Iterable[tuple[str, str, str, str]],
    at: str,
) -> int:
    """Remember (a false positive) or forget (any other decision) each alert's three; returns how many
    are remembered. `alerts`: (subject, subject digest, entity id, entity digest)."""
    remembered = 0
    for subject, subject_sha, entity_id, entity_sha in alerts:
        if decision is DecisionKind.FALSE_POSITIVE:
            tx.run(
                "INSERT INTO remembered (subject_sha256, entity_id, entity_sha256, subject, decision_id, remembered_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (subject_sha256, entity_id, entity_sha256)"
                " DO UPDATE SET decision_id = excluded.decision_id, remembered_at = excluded.remembered_at",
                (subject_sha, entity_id, entity_sha, subject, decision_id, at),
            )
            remembered += 1
        else:
            tx.run(
                "DELETE FROM remembered WHERE subject_sha256 = ? AND entity_id = ? AND entity_sha256 = ?",
                (subject_sha, entity_id, entity_sha),
            )
    return remembered
