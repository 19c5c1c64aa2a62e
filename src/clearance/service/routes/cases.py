"""`/cases`: the review workflow over HTTP, for a program (a case manager, a ticketing bridge).

Routes only translate: each calls `clearance.cases.workflow.Workflow`, which checks the rules (a reason
for every decision, four eyes) and writes the audit record. Who acts is the API key: its label, or its id
when it has none, never a name sent in the body; label keys by who uses them, since four eyes holds
between acting names. A browser user reviews on the review page (`/review`) instead, under their login.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from clearance.cases.models import CaseDetail, CasePage, CaseStatus, DecisionKind
from clearance.cases.workflow import MAX_TEXT, Workflow
from clearance.service.auth import Caller, Role, require
from clearance.service.deps import Served
from clearance.service.keys import KeyStore
from clearance.service.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/cases", tags=["cases"], responses=PROBLEM_RESPONSES)

CaseId = Annotated[int, PathParam(title="Case", description="The case's number.", ge=1, le=2**63 - 1)]


class Body(BaseModel):
    """Strict: a field not declared (such as a user name) is refused, never silently used or ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Decide(Body):
    decision: Literal["false_positive", "true_match", "escalate"]
    reason: str = Field(min_length=1, max_length=MAX_TEXT, description="Why: every decision needs one.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"decision": "false_positive", "reason": "a travel agency in Lyon"}]}
    )


class Reject(Body):
    reason: str = Field(min_length=1, max_length=MAX_TEXT, description="Why the pending decision does not stand.")


class Comment(Body):
    body: str = Field(min_length=1, max_length=MAX_TEXT)


class Assign(Body):
    to: str = Field(min_length=1, max_length=200, description="The reviewer the case is given to.")


class KeyNames:
    """Each API key's acting name, read from the key store when a key is first seen: a label never changes."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def name(self, key_id: str) -> str:
        with self._lock:
            if key_id not in self._names:
                with KeyStore.of_home(self.home, create=False) as store:
                    self._names.update({key.id: key.label.strip() or f"key:{key.id}" for key in store.keys()})
            return self._names.get(key_id, f"key:{key_id}")


def acting(request: Request, caller: Annotated[Caller, Depends(require(Role.SCREEN))]) -> str:
    """Who acts: the key's name, or, when the service takes no keys, the service's user (`CLEARANCE_USER`).
    A plain function, so the key store is read in the thread pool, not on the event loop."""
    serving = request.app.state.serving
    if caller.key_id is None:
        return str(serving.settings.user)
    names: KeyNames | None = getattr(request.app.state, "key_names", None)
    if names is None:
        names = request.app.state.key_names = KeyNames(serving.settings.home)
    return names.name(caller.key_id)


Actor = Annotated[str, Depends(acting)]


def _workflow(serving: Served) -> Workflow:
    return serving.app.cases.workflow


@router.get("", summary="Cases, oldest first, filtered by status, assignee and age; a page at a time")
def list_cases(
    serving: Served,
    _: Actor,
    status: Annotated[CaseStatus | None, Query(title="Status", description="Only cases of this status.")] = None,
    assignee: Annotated[
        str | None, Query(title="Assignee", max_length=200, description="Only this reviewer's cases.")
    ] = None,
    min_age_days: Annotated[
        float | None, Query(title="Age", ge=0, le=100_000, description="Only cases opened at least this many days ago.")
    ] = None,
    q: Annotated[str | None, Query(title="Search", max_length=200, description="Subject contains this.")] = None,
    limit: Annotated[int, Query(title="Page size", ge=1, le=500)] = 50,
    offset: Annotated[int, Query(title="Offset", ge=0, le=10_000_000)] = 0,
) -> CasePage:
    return _workflow(serving).queue((status,) if status else (), assignee, min_age_days, q, limit=limit, offset=offset)


@router.get("/{case_id}", summary="A case: its alerts, decisions, comments and audit records")
def show_case(serving: Served, _: Actor, case_id: CaseId) -> CaseDetail:
    return _workflow(serving).show(case_id)


@router.post("/{case_id}/decide", summary="Decide the case's open alerts, with a reason; four eyes may apply")
def decide(serving: Served, by: Actor, case_id: CaseId, body: Decide) -> CaseDetail:
    return _workflow(serving).decide(case_id, DecisionKind.parse(body.decision), body.reason, by)


@router.post("/{case_id}/approve", summary="Approve the pending decision as a second user")
def approve(serving: Served, by: Actor, case_id: CaseId) -> CaseDetail:
    return _workflow(serving).approve(case_id, by)


@router.post("/{case_id}/reject", summary="Reject the pending decision as a second user: back into review")
def reject(serving: Served, by: Actor, case_id: CaseId, body: Reject) -> CaseDetail:
    return _workflow(serving).reject(case_id, body.reason, by)


@router.post("/{case_id}/comments", summary="Add a comment")
def comment(serving: Served, by: Actor, case_id: CaseId, body: Comment) -> CaseDetail:
    return _workflow(serving).comment(case_id, body.body, by)


@router.post("/{case_id}/assign", summary="Assign the case to a reviewer; an open case goes into review")
def assign(serving: Served, by: Actor, case_id: CaseId, body: Assign) -> CaseDetail:
    return _workflow(serving).assign(case_id, body.to, by)
