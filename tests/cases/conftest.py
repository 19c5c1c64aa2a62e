"""Case tests run on both databases: SQLite in a temporary folder, and a throwaway PostgreSQL cluster.

The cluster is started once per test process from Debian's `postgresql` package (`make postgresql`
installs it), in a temporary folder on a free port; as root, `initdb` and `postgres` run as the
`postgres` user. `CLEARANCE_TEST_DATABASE_URL` names a server to use instead. Each test gets a
database of its own. Where PostgreSQL is missing, its tests are skipped, except under CI, where
that fails the run: CI must test both.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.settings import Settings
from tests.test_cli import run

DATABASES = ("sqlite", "postgresql")


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("postgres"):
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _connects(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str | None]:
    """An admin URL of a PostgreSQL server for the run; None when there is none (outside CI only)."""
    given = os.environ.get("CLEARANCE_TEST_DATABASE_URL")
    if given:
        yield given
        return
    bindir = _bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (no initdb): `make postgresql` installs Debian's package")
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="clearance-pg-"))
    data = folder / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_user,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "clearance",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    port = _free_port()
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [
            *as_user,
            str(bindir / "postgres"),
            "-D",
            str(data),
            "-p",
            str(port),
            "-k",
            str(folder),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"postgresql://clearance@127.0.0.1:{port}/postgres"
    try:
        deadline = time.monotonic() + 60
        while not _connects(url):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"PostgreSQL did not start: {(folder / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=DATABASES)
def case_url(request: pytest.FixtureRequest, tmp_path: Path, postgres_server: str | None) -> Iterator[str]:
    """A new, empty case database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cases.sqlite'}"
        return
    if postgres_server is None:
        pytest.skip("PostgreSQL is not installed here (`make postgresql`); CI runs these")
    import psycopg

    name = f"cases_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base = postgres_server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def app(listed_home: Path, case_url: str) -> Iterator[Clearance]:
    """The facade over the run's loaded home, recording every screening in a new case database."""
    settings = Settings(home=listed_home, database_url=case_url, record=True, user="analyst")
    with Clearance(settings) as opened:
        yield opened


def cli(home: Path, url: str, *args: str, user: str = "analyst") -> subprocess.CompletedProcess[str]:
    """The `clearance` command on a home, with its cases in the database at `url`."""
    return run(home, *args, env={"CLEARANCE_DATABASE_URL": url, "CLEARANCE_USER": user})
