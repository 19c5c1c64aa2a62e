"""Screenshots of the review page for docs/review.md: the queue and a case, from a real home.

Screens real listed names with recording on (each opens a case), adds two users, serves the home on
a free loopback port and drives Debian's Chromium (Playwright for Python, no browser download) to log
in and photograph the queue and one case page:

    .venv/bin/python bench/review_screenshots.py [--home HOME] [--out docs/images]

Without `--home`, a temporary home is made and every official list of `CLEARANCE_LIST_DIR` (by default
the shared mirror, ../shared/data/lists) is loaded into it (about a minute). With `--home`, the home is
copied first, so its own case database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from clearance.app import Clearance
from clearance.cases.models import DecisionKind
from clearance.cases.users import UserRole, Users
from clearance.matching import Party
from clearance.service import create_app
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
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
PARTIES = (
    Party("Vladimir Putin", dob="1952-10-07", country="RU"),
    Party("Mahan Air"),
    Party("Kim Jong Un", dob="1984-01-08"),
    Party("Ali Khamenei"),
    Party("Bashar al-Assad", country="SY"),
    Party("Ramzan Kadyrov", dob="1976-10-05"),
    Party("Aleksandr Lukashenko"),
    Party("Rosneft"),
    Party("Yevgeny Prigozhin"),
    Party("Islamic Revolutionary Guard Corps"),
    Party("Hezbollah"),
    Party("Sberbank"),
)


def loaded_home(folder: Path, given: Path | None) -> Path:
    home = folder / "home"
    if given is not None:
        shutil.copytree(given, home, ignore=shutil.ignore_patterns("*-wal", "*-shm", "cases.sqlite*"))
        return home
    lists = Path(os.environ.get("CLEARANCE_LIST_DIR") or ROOT.parent / "shared" / "data" / "lists")
    with Clearance.open(home, list_dir=lists) as app:
        app.update()
    return home


def prepare(home: Path) -> tuple[dict[str, str], int]:
    """Record the screenings, add the users, and act on a few cases so the queue shows every state."""
    passwords = {"alice": secrets.token_urlsafe(18), "bob": secrets.token_urlsafe(18)}
    with Clearance(Settings(home=home, record=True, user="onboarding")) as app:
        for party in PARTIES:
            app.screen(party)
        users = Users(app.cases.store.db)
        users.add("alice", UserRole.ANALYST, passwords["alice"])
        users.add("bob", UserRole.APPROVER, passwords["bob"])
        workflow = app.cases.workflow
        cases = {case.label: case.id for case in workflow.list_cases()}
        workflow.assign(cases["Mahan Air"], "alice", "bob")
        workflow.start_review(cases["Rosneft"], "bob")
        workflow.decide(cases["Hezbollah"], DecisionKind.TRUE_MATCH, "the listed organisation itself", "alice")
        workflow.comment(
            cases["Vladimir Putin"], "Date of birth and country agree: asked the client for a passport.", "bob"
        )
        return passwords, cases["Vladimir Putin"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(home: Path) -> Iterator[str]:
    """The real service over `home`, in a thread, on a free loopback port."""
    port = free_port()
    app = create_app(Settings(home=home), ServiceSettings(rate_limit=0))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the service did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def photograph(url: str, passwords: dict[str, str], case_id: int, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots = [out / "review-queue.png", out / "review-case.png"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
        page.goto(f"{url}/review/")
        page.get_by_label("User name").fill("alice")
        page.get_by_label("Password").fill(passwords["alice"])
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{url}/review/")
        page.screenshot(path=str(shots[0]), full_page=True)
        page.goto(f"{url}/review/cases/{case_id}")
        page.screenshot(path=str(shots[1]), full_page=True)
        browser.close()
    return shots


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="A home with the lists loaded (copied, not changed).")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: `make chromium` installs Debian's package")
    with tempfile.TemporaryDirectory() as folder:
        home = loaded_home(Path(folder), args.home)
        passwords, case_id = prepare(home)
        with serving(home) as url:
            for shot in photograph(url, passwords, case_id, args.out):
                print(shot)


if __name__ == "__main__":
    main()
