"""The service over the run's loaded home, in process (Starlette's TestClient runs its lifespan)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from clearance.service import create_app
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings


def service_client(home: Path, **service: object) -> TestClient:
    """A client of a service over `home`; service settings as `ServiceSettings` names them."""
    return TestClient(create_app(Settings(home=home), ServiceSettings(**service)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def open_client(listed_home: Path) -> Iterator[TestClient]:
    """A service that asks for no API key, over the run's home (read only)."""
    with service_client(listed_home, auth=False) as client:
        yield client


def wait_for(predicate: Callable[[], object], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds:g} s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def running_service(home: Path, workers: int = 2, **env: str) -> Iterator[str]:
    """A real `clearance serve` process over `home` on a free loopback port, ready; yields its URL. Its log
    is `serve.log` beside the home."""
    port = _free_port()
    settings = {"CLEARANCE_HOME": str(home), "CLEARANCE_REFRESH_SECONDS": "0.2", **env}
    with (home.parent / "serve.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "clearance", "serve", "--port", str(port), "--workers", str(workers)],
            env={**os.environ, **settings},
            stdout=log,
            stderr=log,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _ready(url) or process.poll() is not None, 60)
        if process.poll() is not None:
            raise AssertionError((home.parent / "serve.log").read_text(errors="replace")[-2000:])
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
