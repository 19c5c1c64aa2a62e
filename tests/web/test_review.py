"""The review page over HTTP, without a browser: login, CSRF, sessions, roles, the queue and the case page,
on a service over real lists whose cases real recorded screenings opened."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearance.app import Clearance
from clearance.cases.models import CaseStatus
from clearance.settings import Settings
from tests.service.conftest import service_client
from tests.web.conftest import PASSWORD, case_id_of, csrf_of, log_in

GENERIC = "Wrong user name or password."


@pytest.fixture
def fresh(review_home: Path) -> Iterator[TestClient]:
    """A client of its own (its own cookies) on the module's service home."""
    with service_client(review_home, rate_limit=0) as client:
        yield client


def status_of(home: Path, case_id: int) -> CaseStatus:
    with Clearance(Settings(home=home)) as app:
        return app.cases.workflow.show(case_id).status


def test_a_page_without_a_session_sends_to_the_login_form_and_back(fresh: TestClient) -> None:
    answer = fresh.get("/review/cases/1?x=1", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/review/login?next=%2Freview%2Fcases%2F1%3Fx%3D1"
    form = fresh.get(answer.headers["location"])
    assert form.status_code == 200 and 'value="/review/cases/1?x=1"' in form.text
    assert "default-src 'none'" in form.headers["content-security-policy"]
    assert form.headers["x-frame-options"] == "DENY"


def test_a_failed_login_gives_one_generic_message_and_no_session(fresh: TestClient) -> None:
    for name, password in (("alice", "not her password"), ("mallory", PASSWORD), ("alice", "")):
        answer = log_in(fresh, name, password)
        assert answer.status_code == 401
        assert GENERIC in answer.text
        assert "clearance_review=" not in answer.headers.get("set-cookie", "")
    assert fresh.get("/review/", follow_redirects=False).status_code == 303


def test_login_sets_an_http_only_same_site_cookie_secure_over_https(review_home: Path) -> None:
    with service_client(review_home, rate_limit=0) as client:
        answer = log_in(client, "alice")
        assert answer.status_code == 303 and answer.headers["location"] == "/review/"
        cookie = answer.headers["set-cookie"]
        assert "clearance_review=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie
    with service_client(review_home, rate_limit=0) as client:
        client.base_url = client.base_url.copy_with(scheme="https")
        answer = log_in(client, "alice")
        assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]


def test_login_goes_back_only_to_a_review_page(fresh: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/review/", "/review//evil.example", "/docs"):
        page = fresh.get("/review/login")
        answer = fresh.post(
            "/review/login",
            data={"csrf": csrf_of(page.text), "name": "alice", "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/review/", target


def test_a_post_without_the_csrf_token_is_refused(fresh: TestClient, review_home: Path) -> None:
    page = fresh.get("/review/login")
    refused = fresh.post("/review/login", data={"name": "alice", "password": PASSWORD}, follow_redirects=False)
    assert refused.status_code == 403 and "clearance_review=" not in refused.headers.get("set-cookie", "")
    forged = fresh.post(
        "/review/login", data={"csrf": "made-up", "name": "alice", "password": PASSWORD}, follow_redirects=False
    )
    assert forged.status_code == 403
    assert csrf_of(page.text)
    assert log_in(fresh, "alice").status_code == 303
    case_id = case_id_of(fresh, "Ali Khamenei")
    decision = {"decision": "false_positive", "reason": "another man"}
    for sent in ({}, {"csrf": ""}, {"csrf": "x" * 43}):
        answer = fresh.post(f"/review/cases/{case_id}/decide", data={**decision, **sent}, follow_redirects=False)
        assert answer.status_code == 403 and "did not come from this site" in answer.text
    logout = fresh.post("/review/logout", data={}, follow_redirects=False)
    assert logout.status_code == 403
    assert status_of(review_home, case_id) is CaseStatus.OPEN


def test_logout_revokes_the_session_on_the_server(fresh: TestClient) -> None:
    log_in(fresh, "carol")
    token = fresh.cookies.get("clearance_review")
    page = fresh.get("/review/")
    assert page.status_code == 200 and "carol" in page.text
    answer = fresh.post("/review/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/review/login"
    fresh.cookies.set("clearance_review", str(token), path="/review")  # the old cookie, kept by a thief
    assert fresh.get("/review/", follow_redirects=False).status_code == 303


def test_a_session_expires(review_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_REVIEW_SESSION_HOURS", str(1.5 / 3600))  # a second and a half
    with service_client(review_home, rate_limit=0) as client:
        assert log_in(client, "alice").status_code == 303
        assert client.get("/review/", follow_redirects=False).status_code == 200
        time.sleep(2)
        assert client.get("/review/", follow_redirects=False).status_code == 303


def test_a_bad_session_length_stops_the_service(review_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clearance.errors import InputError

    monkeypatch.setenv("CLEARANCE_REVIEW_SESSION_HOURS", "forever")
    with pytest.raises(InputError, match="^CLEARANCE_REVIEW_SESSION_HOURS: 'forever'"):
        service_client(review_home)


def test_the_queue_filters_searches_and_pages(fresh: TestClient) -> None:
    log_in(fresh, "alice")
    page = fresh.get("/review/")
    assert page.status_code == 200
    assert '<th scope="col">Subject</th>' in page.text and "<nav" in page.text and "<main" in page.text
    labels = re.findall(r'href="/review/cases/\d+">([^<]+)</a></td>', page.text)
    assert "Vladimir Putin" in labels and "Mahan Air" in labels
    found = fresh.get("/review/", params={"q": "MAHAN"})
    assert re.findall(r'href="/review/cases/\d+">([^<]+)</a></td>', found.text) == ["Mahan Air"]
    assert "Cases 1 to 1 of 1" in found.text
    assert "No cases match." in fresh.get("/review/", params={"min_age_days": "30"}).text
    assert "is not a number of days" in fresh.get("/review/", params={"min_age_days": "soon"}).text
    assert "No cases match." in fresh.get("/review/", params={"assignee": "nobody-at-all"}).text


def test_an_analyst_may_not_approve(client: TestClient, review_home: Path) -> None:
    with service_client(review_home, rate_limit=0) as analyst:
        log_in(analyst, "alice")
        case_id = case_id_of(analyst, "Kim Jong Un")
        page = analyst.get(f"/review/cases/{case_id}")
        answer = analyst.post(
            f"/review/cases/{case_id}/decide",
            data={"csrf": csrf_of(page.text), "decision": "true_match", "reason": "the listed man"},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert status_of(review_home, case_id) is CaseStatus.PENDING_APPROVAL
        page = analyst.get(f"/review/cases/{case_id}")
        assert "An approver or an admin approves or rejects it." in page.text
        refused = analyst.post(f"/review/cases/{case_id}/approve", data={"csrf": csrf_of(page.text)})
        assert refused.status_code == 403 and "Only an approver or an admin" in refused.text
        assert status_of(review_home, case_id) is CaseStatus.PENDING_APPROVAL


def test_no_one_approves_their_own_decision(review_home: Path) -> None:
    with service_client(review_home, rate_limit=0) as approver:
        log_in(approver, "bob")
        case_id = case_id_of(approver, "Bashar al-Assad")
        page = approver.get(f"/review/cases/{case_id}")
        csrf = csrf_of(page.text)
        missing = approver.post(f"/review/cases/{case_id}/decide", data={"csrf": csrf, "decision": "true_match"})
        assert missing.status_code == 422 and "reason: empty" in missing.text
        approver.post(f"/review/cases/{case_id}/decide", data={"csrf": csrf, "decision": "true_match", "reason": "him"})
        own = approver.post(f"/review/cases/{case_id}/approve", data={"csrf": csrf})
        assert own.status_code == 409
        assert "four eyes: bob made this decision, so another user must approve it" in own.text
        assert 'role="alert"' in own.text
        assert status_of(review_home, case_id) is CaseStatus.PENDING_APPROVAL


def test_the_case_page_explains_each_hit_beside_the_listed_entry(client: TestClient) -> None:
    log_in(client, "alice")
    case_id = case_id_of(client, "Mahan Air")
    page = client.get(f"/review/cases/{case_id}")
    assert page.status_code == 200
    text = page.text
    assert "Name tokens, screened beside listed" in text and "<td>mahan</td><td>mahan</td><td>exact</td>" in text
    assert "The listed entry" in text and "From list version:" in text and "snapshot" in text
    assert "SDGT" in text and "NPWMD" in text  # the programmes, from the listed record
    assert "History (audit trail)" in text and "case opened" in text and "alert raised" in text
    assert re.search(r'<label for="reason">Reason \(required\)</label>\s*<textarea id="reason" name="reason"', text)
    for input_id in re.findall(r'<(?:input|textarea|select) id="([^"]+)"', text):
        assert f'<label for="{input_id}">' in text, input_id


def test_comment_and_assign_from_the_case_page(client: TestClient, review_home: Path) -> None:
    log_in(client, "alice")
    case_id = case_id_of(client, "Vladimir Putin")
    csrf = csrf_of(client.get(f"/review/cases/{case_id}").text)
    answer = client.post(f"/review/cases/{case_id}/comment", data={"csrf": csrf, "body": "asked for a passport"})
    assert answer.status_code == 200 and "Comment added." in answer.text and "asked for a passport" in answer.text
    answer = client.post(f"/review/cases/{case_id}/assign", data={"csrf": csrf, "to": "bob"})
    assert "Case assigned." in answer.text
    with Clearance(Settings(home=review_home)) as app:
        case = app.cases.workflow.show(case_id)
    assert case.assignee == "bob" and case.status is CaseStatus.IN_REVIEW
    assert [(e.actor, e.event) for e in case.events][-2:] == [("alice", "comment_added"), ("alice", "case_assigned")]
    mine = client.get("/review/", params={"assignee": "bob"})
    assert "Vladimir Putin" in mine.text
    assert client.get("/review/cases/999999").status_code == 404
