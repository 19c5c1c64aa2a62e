"""The review page in a real browser (Debian's Chromium, driven by Playwright): an analyst decides a case a
real recorded screening opened, an approver approves it, and the audit trail holds both and verifies."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.cases.models import CaseStatus, DecisionKind, DecisionState
from clearance.settings import Settings
from tests.web.conftest import PASSWORD, make_review_home, running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's package", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (`make chromium` installs it); CI runs these", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, listed_home: Path) -> Path:
    return make_review_home(listed_home, tmp_path_factory.mktemp("browser") / "home")


@pytest.fixture(scope="module")
def url(home: Path) -> Iterator[str]:
    with running(home) as served:
        yield served


def log_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/review/")
    expect(page).to_have_url(f"{url}/review/login?next=%2Freview%2F")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")  # the keyboard submits the form
    expect(page).to_have_url(f"{url}/review/")
    expect(page.get_by_text(f"Signed in as {name}")).to_be_visible()


def test_an_analyst_decides_and_an_approver_approves(browser: Browser, url: str, home: Path) -> None:
    analyst = browser.new_context().new_page()
    log_in(analyst, url, "alice")
    analyst.get_by_role("link", name="Vladimir Putin").click()  # a case the recorded screening opened
    expect(analyst.get_by_role("heading", level=1)).to_have_text("Case 1: Vladimir Putin")
    expect(analyst.get_by_role("heading", name="Why it matched").first).to_be_visible()
    expect(analyst.get_by_role("heading", name="The listed entry").first).to_be_visible()
    expect(analyst.get_by_text("RUSSIA-EO14024").first).to_be_visible()
    analyst.get_by_label("True match").check()
    analyst.get_by_label("Reason (required)").fill("Same name, date of birth and country as the listed president.")
    analyst.get_by_role("button", name="Record decision").click()
    expect(analyst.get_by_role("status")).to_have_text("Decision recorded.")
    expect(analyst.get_by_text("pending approval").first).to_be_visible()
    expect(analyst.get_by_role("button", name="Approve decision")).to_have_count(0)  # an analyst has none

    approver = browser.new_context().new_page()
    log_in(approver, url, "bob")
    approver.get_by_role("link", name="Awaiting approval").click()
    approver.get_by_role("link", name="Vladimir Putin").click()
    expect(approver.get_by_text("Pending: true match by alice")).to_be_visible()
    approve = approver.get_by_role("button", name="Approve decision")
    approve.focus()
    approver.keyboard.press("Enter")
    expect(approver.get_by_role("status")).to_have_text("Decision approved.")
    expect(approver.locator(".facts .status").first).to_have_text("decided")
    history = approver.get_by_role("table", name="Audit records of this case, in order")
    expect(history).to_contain_text("decision proposed")
    expect(history).to_contain_text("decision approved")

    with Clearance(Settings(home=home)) as app:
        case = app.cases.workflow.show(1)
        verification = app.cases.verify()
    assert case.status is CaseStatus.DECIDED and case.decision is DecisionKind.TRUE_MATCH
    assert [(d.decided_by, d.state, d.approved_by) for d in case.decisions] == [("alice", DecisionState.FINAL, "bob")]
    events = [(e.actor, e.event) for e in case.events]
    assert ("alice", "decision_proposed") in events and events[-1] == ("bob", "decision_approved")
    assert verification.sound and verification.records >= len(case.events)


def test_the_pages_work_from_the_keyboard_with_a_visible_focus(browser: Browser, url: str) -> None:
    page = browser.new_context().new_page()
    page.goto(f"{url}/review/login")
    expect(page.locator("#name")).to_be_focused()  # the form takes the focus, once the page has loaded
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill("not the password")
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Wrong user name or password.")
