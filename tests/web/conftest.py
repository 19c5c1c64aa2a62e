"""A service over a copy of the run's loaded home, with cases opened by real recorded screenings of real
listed names, and users of every role, for the review page and the case routes."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from clearance.app import Clearance
from clearance.cases.users import UserRole, Users
from clearance.matching import Party
from clearance.service import create_app
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings
from tests.cases.conftest import case_url, postgres_server  # noqa: F401  (both case databases, as there)
from tests.conftest import copy_home
from tests.service.conftest import _free_port, service_client, wait_for

PASSWORD = "correct horse battery staple"
USERS = {"alice": UserRole.ANALYST, "bob": UserRole.APPROVER, "carol": UserRole.ADMIN}
SCREENED = ("Vladimir Putin", "Mahan Air", "Kim Jong Un", "Ali Khamenei", "Bashar al-Assad")
"""Real listed names (OFAC SDN, UN, EU, UK): each recorded screening opens a case."""


def record(home: Path, names: tuple[str, ...] = SCREENED, user: str = "screening") -> None:
    """Screen each name on the home's lists, recorded: its alerts open a case."""
    with Clearance(Settings(home=home, record=True, user=user)) as app:
        for name in names:
            app.screen(Party(name))


def add_users(home: Path) -> None:
    with Clearance(Settings(home=home)) as app:
        users = Users(app.cases.store.db)
        for name, role in USERS.items():
            users.add(name, role, PASSWORD)


def make_review_home(listed_home: Path, target: Path) -> Path:
    home = copy_home(listed_home, target)
    record(home)
    add_users(home)
    return home


@pytest.fixture(scope="module")
def review_home(tmp_path_factory: pytest.TempPathFactory, listed_home: Path) -> Path:
    return make_review_home(listed_home, tmp_path_factory.mktemp("review") / "home")


@pytest.fixture(scope="module")
def client(review_home: Path) -> Iterator[TestClient]:
    with service_client(review_home, rate_limit=0) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found[1]


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    """Log in through the form, as a browser does; the client keeps the session cookie."""
    page = client.get("/review/login")
    answer: httpx.Response = client.post(
        "/review/login",
        data={"csrf": csrf_of(page.text), "name": name, "password": password, "next": "/review/"},
        follow_redirects=False,
    )
    return answer


def case_id_of(client: TestClient, label: str) -> int:
    page = client.get("/review/", params={"q": label, "status": "any"})
    found = re.search(r'href="/review/cases/(\d+)">' + re.escape(label) + "<", page.text)
    assert found, page.text[-2000:]
    return int(found[1])


@contextmanager
def running(home: Path) -> Iterator[str]:
    """The real service over `home` (uvicorn, in a thread) on a free loopback port; yields its URL."""
    port = _free_port()
    app = create_app(Settings(home=home), ServiceSettings(rate_limit=0))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="review-service", daemon=True)
    thread.start()
    wait_for(lambda: server.started or not thread.is_alive(), 60)
    assert server.started, "the service did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
