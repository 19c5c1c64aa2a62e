"""What the case store shows a person or a program: cases, their alerts, decisions, comments and events.

The command line prints these models with `--json`, and a review page serves the same ones.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clearance.results import HitResult


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CaseStatus(StrEnum):
    OPEN = "open"
    """Alerts raised; nobody has taken the case yet."""
    IN_REVIEW = "in_review"
    """Assigned or taken up for review."""
    PENDING_APPROVAL = "pending_approval"
    """Decided by one user; the decision needs a second user's approval (four eyes)."""
    DECIDED = "decided"


class DecisionKind(StrEnum):
    TRUE_MATCH = "true_match"
    """The subject is the listed party."""
    FALSE_POSITIVE = "false_positive"
    """The subject is not the listed party: remembered, so re-screening it does not alert again."""
    ESCALATED = "escalated"
    """Handed on for a decision above the reviewer's."""

    @classmethod
    def parse(cls, text: str) -> DecisionKind:
        """`escalate` is accepted for `escalated`, as the command line spells the action."""
        value = {"escalate": "escalated"}.get(text.strip().lower(), text.strip().lower())
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"decision: {text!r} is not false_positive, true_match or escalate") from None


class AlertStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"
    SUPPRESSED = "suppressed"
    """Matched a remembered false positive (same subject record, same listed entity, unchanged): not raised."""


class DecisionState(StrEnum):
    PENDING = "pending"
    FINAL = "final"
    REJECTED = "rejected"


class AlertView(View):
    id: int
    case_id: int | None
    screening_id: int
    entity_id: str
    source: str
    name: str = Field(description="The listed entity's name.")
    score: float
    programmes: tuple[str, ...]
    matched: str = Field(description="What was screened when it matched: the party's name, a field, a mention.")
    subject_sha256: str = Field(description="SHA-256 of the normalised subject record that matched.")
    entity_sha256: str = Field(description="SHA-256 of the listed entity's record as the list store keeps it.")
    snapshot_id: int | None
    status: AlertStatus
    decision_id: int | None = Field(description="The decision that closed or (suppressed) suppresses it.")
    reopens: int | None = Field(
        description="An earlier decision on this subject and entity that no longer holds: the subject's record "
        "or the listed entity changed since."
    )
    created_at: dt.datetime


class DecisionView(View):
    id: int
    decision: DecisionKind
    reason: str
    decided_by: str
    decided_at: dt.datetime
    state: DecisionState
    approved_by: str | None
    approved_at: dt.datetime | None
    rejected_by: str | None
    rejected_at: dt.datetime | None
    rejection: str | None


class CommentView(View):
    id: int
    author: str
    body: str
    at: dt.datetime


class EventView(View):
    seq: int = Field(description="The audit record's number.")
    at: dt.datetime
    actor: str
    event: str
    data: dict[str, Any]


class CaseSummary(View):
    id: int
    subject: str = Field(description="What alerts are grouped by: a party, a batch row's id, a text, a message.")
    label: str
    kind: str = Field(description="The screening that opened it: party, batch, text, payment or shipment.")
    status: CaseStatus
    decision: DecisionKind | None = Field(description="The decision made (or, pending approval, proposed).")
    assignee: str | None
    opened_at: dt.datetime
    updated_at: dt.datetime
    decided_at: dt.datetime | None
    age_days: float = Field(description="Days from opening to the decision, or to now while undecided.")
    alerts: int
    top_score: float | None


class CaseDetail(CaseSummary):
    needs_approval: bool = Field(description="Whether a decision of the kind pending or made needs a second user.")
    alert_list: tuple[AlertView, ...]
    decisions: tuple[DecisionView, ...]
    comments: tuple[CommentView, ...]
    events: tuple[EventView, ...]


class CasePage(View):
    """One page of a filtered queue of cases, and how many cases the filters match in all."""

    cases: tuple[CaseSummary, ...]
    total: int
    offset: int
    limit: int


class RecordedHit(View):
    """An alert's hit as its screening recorded it: the explanation, and what was screened."""

    alert_id: int
    screening_id: int
    hit: HitResult | None = Field(description="The hit with its explanation; None when only a digest was kept.")
    query: dict[str, Any] | None = Field(description="The party screened, when the screening kept it.")
    list_version: str | None
    screened_at: dt.datetime
