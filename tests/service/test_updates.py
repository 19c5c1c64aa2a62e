"""Hot list updates: a new version is swapped in whole, requests in flight finish on the old one, and an
update that fails or is held back leaves the old version serving, saying so."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from clearance.app import Clearance
from clearance.matching import Party
from clearance.service import create_app
from clearance.service.settings import ServiceSettings
from clearance.service.updates import JobState
from clearance.settings import Settings
from tests.service.conftest import running_service, service_client, wait_for


def _un_snapshots(home: Path) -> list[int]:
    with Clearance.open(home) as app:
        return [s.id for s in app.snapshots("un")]


def test_a_refresh_swaps_the_version_and_a_screener_in_hand_keeps_its_own(listed_copy: Path) -> None:
    older, newer = _un_snapshots(listed_copy)
    with Clearance(Settings(home=listed_copy), pinned=True) as app:
        app.refresh()
        before = app.screener()
        with Clearance.open(listed_copy) as other:  # another process's roll-back, as the store sees it
            other.activate(older)
        assert app.screener() is before, "pinned: no swap until refresh"
        assert app.refresh() is True
        after = app.screener()
        assert after is not before and after.version != before.version
        assert before.screen(Party("Vladimir Putin")), "the old index still screens for a request that holds it"
        assert app.refresh() is False


@pytest.fixture
def server(listed_copy: Path) -> Iterator[str]:
    """A real `clearance serve` with two workers over a copy of the run's home."""
    with running_service(listed_copy, CLEARANCE_SERVICE_AUTH="0", CLEARANCE_RATE_LIMIT="0") as url:
        yield url


def test_a_roll_back_mid_traffic_swaps_every_worker_without_an_error(server: str, listed_copy: Path) -> None:
    older, _ = _un_snapshots(listed_copy)
    seen: dict[str, int] = {}
    errors: list[str] = []
    stop = threading.Event()

    def traffic() -> None:
        with httpx.Client(base_url=server, timeout=30) as client:
            while not stop.is_set():
                response = client.post("/screen/party", json={"name": "Vladimir Putin"})
                if response.status_code != 200 or not response.json()["hits"]:
                    errors.append(f"{response.status_code} {response.text[:200]}")
                    continue
                digest = response.json()["list_version"]["digest"]
                seen[digest] = seen.get(digest, 0) + 1

    threads = [threading.Thread(target=traffic) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: sum(seen.values()) >= 50)
        first = set(seen)
        activated = httpx.post(f"{server}/admin/activate/{older}", timeout=10)
        assert activated.status_code == 202, activated.text
        wait_for(lambda: len(seen) > 1 and min(seen.values()) >= 50)
        after = httpx.get(f"{server}/lists", timeout=10).json()["serving"]["digest"]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not errors, errors[:3]
    assert len(first) == 1 and after not in first
    assert set(seen) == first | {after}


def _mirror(tmp_path: Path, un_file: str | None, broken: bytes | None = None) -> Path:
    """The real list mirror, except that its UN entry is an older real file, or a broken one."""
    from tests.conftest import LISTS

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    mapping = {name: str(LISTS / path) for name, path in json.loads((LISTS / "latest.json").read_text()).items()}
    if broken is not None:
        (mirror / "un.xml").write_bytes(broken)
        mapping["un"] = "un.xml"
    else:
        mapping["un"] = str(LISTS / "un" / str(un_file))
    (mirror / "latest.json").write_text(json.dumps(mapping))
    return mirror


def _job_finished(client: object) -> dict[str, object] | None:
    update = client.get("/lists").json()["update"]  # type: ignore[attr-defined]
    return update if update and update["state"] != JobState.RUNNING else None


def test_a_failed_update_keeps_the_old_version_serving_and_says_so(listed_copy: Path, tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, None, broken=b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>")
    with service_client(listed_copy, auth=False) as client:
        client.app.state.serving.settings = Settings(home=listed_copy, list_dir=mirror)  # type: ignore[attr-defined]
        before = client.get("/readyz").json()["list_version"]
        started = client.post("/admin/update", json={"sources": ["un"]})
        assert started.status_code == 202 and started.json()["state"] == "running"
        wait_for(lambda: _job_finished(client))
        job = _job_finished(client)
        assert job is not None and job["state"] == "failed"
        assert "un" in str(job["error"])
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["list_version"] == before
        assert any("failed" in p for p in ready.json()["problems"])
        assert any("failed" in p for p in client.get("/lists").json()["problems"])
        hit = client.post("/screen/party", json={"name": "Vladimir Putin"}).json()
        assert hit["hits"] and hit["list_version"]["digest"] == before


def test_an_update_held_back_by_the_regression_guard_says_so(listed_copy: Path, tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, "UN_consolidated_2018-10-29.xml")
    with service_client(listed_copy, auth=False) as client:
        client.app.state.serving.settings = Settings(home=listed_copy, list_dir=mirror)  # type: ignore[attr-defined]
        before = client.get("/readyz").json()["list_version"]
        assert client.post("/admin/update", json={"sources": ["un"]}).status_code == 202
        wait_for(lambda: _job_finished(client))
        job = _job_finished(client)
        assert job is not None and job["state"] == "held", job
        problems = client.get("/readyz").json()["problems"]
        assert any("held back" in p for p in problems), problems
        assert client.get("/readyz").json()["list_version"] == before


def test_a_second_update_while_one_runs_is_a_conflict(listed_copy: Path, tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, "UN_consolidated_2026-02-27.xml")
    with service_client(listed_copy, auth=False) as client:
        client.app.state.serving.settings = Settings(home=listed_copy, list_dir=mirror)  # type: ignore[attr-defined]
        first = client.post("/admin/update", json={"sources": ["un"]})
        second = client.post("/admin/activate/1")
        assert first.status_code == 202
        assert second.status_code == 409 and second.json()["code"] == "conflict"
        wait_for(lambda: _job_finished(client))
        assert client.post("/admin/update", json={"sources": ["nope"]}).status_code == 422
        assert client.post("/admin/activate/99999").status_code == 404


def test_scheduled_updates_start_by_themselves(listed_copy: Path, tmp_path: Path) -> None:
    mirror = _mirror(tmp_path, "UN_consolidated_2026-02-27.xml")
    settings = Settings(home=listed_copy, list_dir=mirror)

    app = create_app(settings, ServiceSettings(auth=False, update_every_hours=24, refresh_seconds=0.2))
    with TestClient(app) as client:
        wait_for(lambda: _job_finished(client))
        job = _job_finished(client)
        assert job is not None and job["state"] == "succeeded", job


def test_settings_reach_the_update_job_as_they_are(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path,
        list_dir=tmp_path / "mirror",
        max_age_days=10,
        max_age_by_source=(("un", 30.0),),
        expected_sources=("un", "eu"),
        strict=True,
        max_shrink=0.2,
    )
    env = settings.to_env()
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        assert Settings.from_env() == settings
    finally:
        os.environ.clear()
        os.environ.update(saved)
