"""`/cases`: the review workflow over HTTP, on cases real recorded screenings opened; who acts is the API key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearance.app import Clearance
from clearance.settings import Settings
from tests.service.conftest import service_client
from tests.service.test_auth import api_key, assert_problem, create_key
from tests.web.conftest import record

FIRST, SECOND = "case manager", "second line"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, listed_home: Path) -> Path:
    from tests.conftest import copy_home

    home = copy_home(listed_home, tmp_path_factory.mktemp("case-routes") / "home")
    record(home)
    return home


@pytest.fixture(scope="module")
def keys(home: Path) -> dict[str, dict[str, str]]:
    return {
        FIRST: api_key(create_key(home, "screen", FIRST)),
        SECOND: api_key(create_key(home, "admin", SECOND)),
        "unlabelled": api_key(key := create_key(home, "screen")) | {"id": key.split("_")[1]},
    }


@pytest.fixture(scope="module")
def client(home: Path, keys: dict[str, dict[str, str]]) -> Iterator[TestClient]:
    with service_client(home, rate_limit=0) as client:
        yield client


def case_of(client: TestClient, headers: dict[str, str], label: str) -> int:
    page = client.get("/cases", params={"q": label}, headers=headers).json()
    return int(next(case["id"] for case in page["cases"] if case["label"] == label))


def test_cases_are_listed_filtered_and_paged(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    headers = keys[FIRST]
    page = client.get("/cases", headers=headers).json()
    assert page["total"] == 5 and page["offset"] == 0 and page["limit"] == 50
    assert [case["label"] for case in page["cases"]] == [
        "Vladimir Putin",
        "Mahan Air",
        "Kim Jong Un",
        "Ali Khamenei",
        "Bashar al-Assad",
    ]
    assert all(case["status"] == "open" and case["alerts"] >= 1 for case in page["cases"])
    second = client.get("/cases", params={"limit": 2, "offset": 2}, headers=headers).json()
    assert [case["label"] for case in second["cases"]] == ["Kim Jong Un", "Ali Khamenei"] and second["total"] == 5
    assert client.get("/cases", params={"status": "decided"}, headers=headers).json()["total"] == 0
    assert client.get("/cases", params={"min_age_days": 1}, headers=headers).json()["total"] == 0
    assert client.get("/cases", params={"assignee": "nobody"}, headers=headers).json()["total"] == 0
    assert_problem(client.get("/cases", params={"status": "closed"}, headers=headers), 422, "bad_input")
    assert_problem(client.get("/cases"), 401, "unauthorized")


def test_a_case_is_shown_with_its_alerts_and_audit_records(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    case_id = case_of(client, keys[FIRST], "Mahan Air")
    case = client.get(f"/cases/{case_id}", headers=keys[FIRST]).json()
    assert case["label"] == "Mahan Air" and case["needs_approval"] is True  # SDGT, NPWMD
    assert {alert["source"] for alert in case["alert_list"]} and [e["event"] for e in case["events"]][
        0
    ] == "case_opened"
    assert_problem(client.get("/cases/999999", headers=keys[FIRST]), 404, "not_found")
    assert_problem(client.get("/cases/0", headers=keys[FIRST]), 422, "bad_input")


def test_the_acting_user_is_the_api_key_never_the_body(
    client: TestClient, keys: dict[str, dict[str, str]], home: Path
) -> None:
    case_id = case_of(client, keys[FIRST], "Vladimir Putin")
    forged = {"decision": "true_match", "reason": "the president", "by": SECOND}
    assert_problem(client.post(f"/cases/{case_id}/decide", json=forged, headers=keys[FIRST]), 422, "bad_input")
    decided = client.post(
        f"/cases/{case_id}/decide", json={"decision": "true_match", "reason": "the president"}, headers=keys[FIRST]
    )
    assert decided.status_code == 200
    case = decided.json()
    assert case["status"] == "pending_approval" and case["decisions"][0]["decided_by"] == FIRST
    own = client.post(f"/cases/{case_id}/approve", headers=keys[FIRST])
    assert "four eyes: case manager made this decision" in str(assert_problem(own, 409, "case_state")["detail"])
    approved = client.post(f"/cases/{case_id}/approve", headers=keys[SECOND]).json()
    assert approved["status"] == "decided" and approved["decision"] == "true_match"
    assert approved["decisions"][0]["approved_by"] == SECOND
    with Clearance(Settings(home=home)) as app:
        events = [(e.actor, e.event) for e in app.cases.workflow.show(case_id).events]
        assert app.cases.verify().sound
    assert events[-2:] == [(FIRST, "decision_proposed"), (SECOND, "decision_approved")]


def test_comment_assign_and_reject(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    case_id = case_of(client, keys[FIRST], "Kim Jong Un")
    unlabelled = keys["unlabelled"]
    headers = {k: v for k, v in unlabelled.items() if k != "id"}
    commented = client.post(f"/cases/{case_id}/comments", json={"body": "born 1984?"}, headers=headers).json()
    assert commented["comments"][-1] == {**commented["comments"][-1], "author": f"key:{unlabelled['id']}"}
    assigned = client.post(f"/cases/{case_id}/assign", json={"to": "alice"}, headers=keys[FIRST]).json()
    assert assigned["assignee"] == "alice" and assigned["status"] == "in_review"
    mine = client.get("/cases", params={"assignee": "alice"}, headers=keys[FIRST]).json()
    assert [case["id"] for case in mine["cases"]] == [case_id]
    client.post(f"/cases/{case_id}/decide", json={"decision": "true_match", "reason": "him"}, headers=keys[FIRST])
    rejected = client.post(f"/cases/{case_id}/reject", json={"reason": "check the DOB"}, headers=keys[SECOND]).json()
    assert rejected["status"] == "in_review" and rejected["decisions"][0]["rejected_by"] == SECOND
    empty = client.post(f"/cases/{case_id}/decide", json={"decision": "escalate", "reason": ""}, headers=keys[FIRST])
    assert_problem(empty, 422, "bad_input")
    wrong = client.post(f"/cases/{case_id}/decide", json={"decision": "maybe", "reason": "x"}, headers=keys[FIRST])
    assert_problem(wrong, 422, "bad_input")
    escalated = client.post(
        f"/cases/{case_id}/decide",
        json={"decision": "escalate", "reason": "to the head of compliance"},
        headers=keys[FIRST],
    ).json()
    assert escalated["status"] == "decided" and escalated["decision"] == "escalated"
    again = client.post(f"/cases/{case_id}/decide", json={"decision": "escalate", "reason": "x"}, headers=keys[FIRST])
    assert_problem(again, 409, "case_state")
