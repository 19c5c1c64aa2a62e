"""The queue's query and each alert's recorded explanation, on both case databases, over real screenings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.cases.models import CaseStatus, DecisionKind
from clearance.matching import Party
from clearance.settings import Settings
from tests.web.conftest import SCREENED


@pytest.fixture
def app(listed_home: Path, case_url: str) -> Iterator[Clearance]:
    with Clearance(Settings(home=listed_home, database_url=case_url, record=True, user="screening")) as opened:
        for name in SCREENED:
            opened.screen(Party(name))
        yield opened


def labels(app: Clearance, **filters: object) -> list[str]:
    return [case.label for case in app.cases.workflow.queue(**filters).cases]  # type: ignore[arg-type]


def test_the_queue_filters_by_status_assignee_age_and_subject(app: Clearance) -> None:
    workflow = app.cases.workflow
    assert labels(app) == list(SCREENED)
    assert labels(app, newest_first=True) == list(reversed(SCREENED))
    page = workflow.queue(limit=2, offset=2)
    assert [c.label for c in page.cases] == list(SCREENED[2:4]) and page.total == len(SCREENED)
    cases = {case.label: case.id for case in page.cases}
    workflow.assign(cases["Kim Jong Un"], "alice", "bob")
    workflow.decide(cases["Ali Khamenei"], DecisionKind.ESCALATED, "to the head of compliance", "alice")
    assert labels(app, assignee="alice") == ["Kim Jong Un"]
    assert "Kim Jong Un" not in labels(app, assignee="") and "Mahan Air" in labels(app, assignee="")
    assert labels(app, statuses=(CaseStatus.DECIDED,)) == ["Ali Khamenei"]
    undecided = (CaseStatus.OPEN, CaseStatus.IN_REVIEW, CaseStatus.PENDING_APPROVAL)
    assert "Ali Khamenei" not in labels(app, statuses=undecided)
    assert labels(app, search="MAHAN") == ["Mahan Air"]
    assert labels(app, search="al-assad") == ["Bashar al-Assad"]
    assert labels(app, search="100%") == [] and labels(app, search="_") == []  # LIKE's wildcards taken literally
    assert labels(app, min_age_days=1) == [] and len(labels(app, min_age_days=0)) == len(SCREENED)


def test_each_alert_comes_with_its_recorded_explanation(app: Clearance) -> None:
    workflow = app.cases.workflow
    case_id = next(c.id for c in workflow.list_cases() if c.label == "Mahan Air")
    case = workflow.show(case_id)
    recorded = workflow.recorded_hits(case)
    assert [r.alert_id for r in recorded] == [a.id for a in case.alert_list]
    for alert, found in zip(case.alert_list, recorded, strict=True):
        assert found.hit is not None and found.hit.entity_id == alert.entity_id and found.hit.score == alert.score
        assert found.query is not None and found.query["name"] == "Mahan Air"
        aligned = [(t.query, t.listed) for t in found.hit.explanation.tokens][:2]
        assert aligned in ([("mahan", "mahan"), ("air", "air")], [("mahan", "mahan"), ("air", "airways")])
