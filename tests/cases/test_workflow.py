"""The review workflow on real alerts: reasons, four eyes, assignment, comments and ages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.cases.failures import WorkflowError
from clearance.cases.models import CaseStatus, DecisionKind, DecisionState
from clearance.cases.workflow import FourEyes, Workflow
from clearance.errors import InputError, NotFoundError
from clearance.matching import Party

FP, TM = DecisionKind.FALSE_POSITIVE, DecisionKind.TRUE_MATCH


def opened(app: Clearance, name: str) -> int:
    app.screen(Party(name))
    return next(c.id for c in app.cases.workflow.list_cases() if c.label == name)


def test_a_false_positive_outside_high_risk_programmes_is_final_at_once(app: Clearance) -> None:
    case_id = opened(app, "Vladimir Putin")  # RUSSIA-EO14024: not high risk by default
    case = app.cases.workflow.decide(case_id, FP, "our customer is another Vladimir Putin, born 1980", "alice")
    assert case.status is CaseStatus.DECIDED and case.decision is FP and not case.needs_approval
    assert [d.state for d in case.decisions] == [DecisionState.FINAL]
    assert all(a.status.value == "decided" and a.decision_id == case.decisions[0].id for a in case.alert_list)
    assert [e.event for e in case.events][-2:] == ["case_decided", "decision_remembered"]


def test_four_eyes_on_a_high_risk_false_positive(app: Clearance) -> None:
    case_id = opened(app, "Mahan Air")  # SDGT, NPWMD
    workflow = app.cases.workflow
    case = workflow.decide(case_id, FP, "a travel agency of the same name", "alice")
    assert case.status is CaseStatus.PENDING_APPROVAL and case.needs_approval
    with pytest.raises(WorkflowError, match="four eyes: alice made this decision"):
        workflow.approve(case_id, "alice")
    with pytest.raises(WorkflowError, match="pending approval: cannot decide"):
        workflow.decide(case_id, TM, "changed my mind", "alice")
    case = workflow.approve(case_id, "bob")
    assert case.status is CaseStatus.DECIDED and case.decisions[0].approved_by == "bob"
    events = [e.event for e in case.events]
    assert events[-3:] == ["decision_proposed", "decision_approved", "decision_remembered"]


def test_a_true_match_always_needs_a_second_user_who_may_reject_it(app: Clearance) -> None:
    case_id = opened(app, "Vladimir Putin")
    workflow = app.cases.workflow
    case = workflow.decide(case_id, TM, "same name, the president", "alice")
    assert case.status is CaseStatus.PENDING_APPROVAL
    case = workflow.reject(case_id, "no identifier was checked", "bob")
    assert case.status is CaseStatus.IN_REVIEW and case.decision is None
    assert case.decisions[0].state is DecisionState.REJECTED and case.decisions[0].rejection
    workflow.decide(case_id, DecisionKind.ESCALATED, "to the head of compliance", "alice")
    assert workflow.show(case_id).status is CaseStatus.DECIDED  # escalation needs no second user


def test_the_programmes_needing_four_eyes_are_configurable(app: Clearance) -> None:
    case_id = opened(app, "Vladimir Putin")
    strict = Workflow(app.cases.store, FourEyes(("RUSSIA-*",)))
    assert strict.decide(case_id, FP, "another man", "alice").status is CaseStatus.PENDING_APPROVAL


def test_every_decision_needs_a_reason_and_a_user(app: Clearance) -> None:
    case_id = opened(app, "Vladimir Putin")
    workflow = app.cases.workflow
    with pytest.raises(InputError, match="^reason: empty"):
        workflow.decide(case_id, FP, "   ", "alice")
    with pytest.raises(InputError, match="^by: empty"):
        workflow.decide(case_id, FP, "another man", " ")
    with pytest.raises(NotFoundError, match="no case 999"):
        workflow.decide(999, FP, "another man", "alice")
    workflow.decide(case_id, FP, "another man", "alice")
    with pytest.raises(WorkflowError, match=f"case {case_id} is decided: cannot decide"):
        workflow.decide(case_id, FP, "again", "alice")


def test_assignment_comments_and_ages(app: Clearance) -> None:
    first, second = opened(app, "Vladimir Putin"), opened(app, "Mahan Air")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    workflow = Workflow(app.cases.store, app.cases.workflow.four_eyes, now=lambda: later)
    case = workflow.assign(first, "carol", "lead")
    assert case.status is CaseStatus.IN_REVIEW and case.assignee == "carol"
    case = workflow.comment(first, "asked the branch for a passport copy", "carol")
    assert case.comments[0].author == "carol" and case.comments[0].body.startswith("asked the branch")
    assert workflow.start_review(second, "dave").assignee == "dave"
    assert [c.id for c in workflow.list_cases(CaseStatus.IN_REVIEW)] == [first, second]
    assert [c.id for c in workflow.list_cases(assignee="carol")] == [first]
    assert all(2.99 <= c.age_days <= 3.01 for c in workflow.list_cases())
    assert [e.event for e in workflow.show(first).events][-2:] == ["case_assigned", "comment_added"]
    with pytest.raises(WorkflowError, match="in review: cannot take up"):
        workflow.start_review(first, "dave")


def test_a_case_store_of_another_home_starts_empty(listed_home: Path, case_url: str) -> None:
    from clearance.settings import Settings

    with Clearance(Settings(home=listed_home, database_url=case_url)) as app:
        assert app.cases.workflow.list_cases() == []
        assert app.cases.verify().sound and app.cases.verify().records == 0
