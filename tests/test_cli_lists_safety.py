"""Safe by default, through the real command: freshness, guarded activation, integrity and store failures.

Each test copies the session's loaded home (every list of the mirror) and breaks it the way an
operator, a bad download or an attacker would; real processes wherever locking or limits matter.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import copy_home
from tests.test_cli import run

UN_2018 = "un/UN_consolidated_2018-10-29.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"
SDN = "ofac/sdn_csv_2021-07-07"


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The error line of a failed command; asserts that it is one line and no traceback."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def status(home: Path) -> dict[str, dict[str, object]]:
    result = run(home, "lists", "status", "--json")
    assert result.returncode == 0, result.stderr
    return {row["source"]: row for row in json.loads(result.stdout)["lists"]}


def active_ids(home: Path) -> dict[str, int]:
    return {name: row["snapshot"]["id"] for name, row in status(home).items() if row["snapshot"]}  # type: ignore[index]


def hit_ids(home: Path, name: str) -> list[str]:
    result = run(home, "screen", name, "--json")
    assert result.returncode == 0, result.stderr
    return [hit["entity_id"] for hit in json.loads(result.stdout)["hits"]]


@pytest.fixture
def home(tmp_path: Path, listed_home: Path) -> Path:
    copy = tmp_path / "home"
    copy_home(listed_home, copy)
    return copy


# -- freshness ------------------------------------------------------------------------------------


def test_status_tells_current_stale_and_undated_apart(home: Path) -> None:
    rows = status(home)
    assert rows["ofac-sdn"]["freshness"] == "date unknown" and rows["ofac-sdn"]["age_days"] is None
    assert rows["us-csl"]["freshness"] == "date unknown"
    assert rows["un"]["freshness"] == "stale"  # published 2026-02-27, older than 7 days
    annex = rows["eu-annex-iv"]
    assert annex["bundled"] and annex["snapshot"]["published"].startswith("2023-12-18")  # type: ignore[index]
    assert annex["max_age_days"] == 365.0
    assert run(home, "lists", "status", "--check").returncode == 4
    everything = {"CLEARANCE_MAX_AGE_DAYS": "100000"}
    undated = run(home, "lists", "status", "--check", env=everything)
    assert undated.returncode == 4 and "ofac-sdn states no publication date" in undated.stderr
    current = status_with(home, {"CLEARANCE_MAX_AGE_DAYS": "100000,un=1"})
    assert current["eu"]["freshness"] == "current" and current["un"]["freshness"] == "stale"
    rules = json.loads(run(home, "lists", "status", "--json").stdout)["rules"]
    assert {"regime": "chpl", "as_of": "2024-02-23"}.items() <= next(r for r in rules if r["regime"] == "chpl").items()


def status_with(home: Path, env: dict[str, str]) -> dict[str, dict[str, object]]:
    result = run(home, "lists", "status", "--json", env=env)
    return {row["source"]: row for row in json.loads(result.stdout)["lists"]}


def test_a_stated_publication_date_makes_a_list_dated(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    cons = str(lists_dir / "ofac/cons_csv_2025-12-19")  # the OFAC CSV set states no date
    assert run(home, "lists", "load", "ofac-cons", cons).returncode == 0
    assert status(home)["ofac-cons"]["freshness"] == "date unknown"
    again = run(home, "lists", "load", "ofac-cons", cons, "--published", "2025-12-19")
    assert again.returncode == 0 and "unchanged" in again.stdout  # a snapshot never changes once stored
    other = tmp_path / "home2"
    assert run(other, "lists", "load", "ofac-cons", cons, "--published", "2025-12-19").returncode == 0
    row = status(other)["ofac-cons"]
    assert row["freshness"] == "stale" and row["snapshot"]["published"].startswith("2025-12-19")  # type: ignore[index]
    assert status_with(other, {"CLEARANCE_MAX_AGE_DAYS": "ofac-cons=100000"})["ofac-cons"]["freshness"] == "current"
    future = run(tmp_path / "home3", "lists", "load", "ofac-cons", cons, "--published", "2999-01-01")
    assert "in the future" in one_line_error(future)


def test_every_screening_warns_of_undated_and_stale_lists(home: Path) -> None:
    result = run(home, "screen", "Vladimir Putin", "--json")
    warnings = json.loads(result.stdout)["warnings"]
    assert any(w.startswith("ofac-sdn states no publication date") for w in warnings)
    assert any(w.startswith("eu-annex-iv is as of 2023-12-18") for w in warnings)
    assert run(home, "screen", "Vladimir Putin", "--strict").returncode == 4


# -- guarded activation ---------------------------------------------------------------------------


def test_a_truncated_ofac_file_is_stored_but_not_activated(home: Path, tmp_path: Path, lists_dir: Path) -> None:
    before = active_ids(home)
    cut = tmp_path / "sdn_cut"
    shutil.copytree(lists_dir / SDN, cut)
    rows = (cut / "sdn.csv").read_bytes().splitlines(keepends=True)
    (cut / "sdn.csv").write_bytes(b"".join(rows[:5]))
    result = run(home, "lists", "load", "ofac-sdn", str(cut))
    assert result.returncode == 4, result.stderr
    assert "did not activate it" in result.stderr and "against 8,976 in the active snapshot" in result.stderr
    assert active_ids(home) == before
    assert "ofac-sdn:9760" in hit_ids(home, "Alyaksandr Lukashenka")
    stored = json.loads(run(home, "lists", "snapshots", "ofac-sdn", "--json").stdout)
    held = next(s for s in stored if s["entity_count"] == 5)
    assert not held["active"]
    forced = run(home, "lists", "activate", str(held["id"]))
    assert forced.returncode == 0 and active_ids(home)["ofac-sdn"] == held["id"]


def test_a_three_row_csl_is_held_back(home: Path, tmp_path: Path, lists_dir: Path) -> None:
    with gzip.open(lists_dir / "us-csl/consolidated.csv.gz", "rt", encoding="utf-8-sig") as handle:
        head = [next(handle) for _ in range(4)]
    small = tmp_path / "consolidated.csv"
    small.write_text("".join(head), encoding="utf-8")
    before = active_ids(home)
    result = run(home, "lists", "load", "us-csl", str(small))
    assert result.returncode == 4 and "against 14,159" in result.stderr
    assert active_ids(home) == before
    assert run(home, "lists", "load", "us-csl", str(small), "--activate").returncode == 0
    assert status(home)["us-csl"]["snapshot"]["entity_count"] == 3  # type: ignore[index]


def test_an_older_un_list_does_not_replace_a_newer_one(home: Path, lists_dir: Path) -> None:
    before = active_ids(home)
    result = run(home, "lists", "load", "un", str(lists_dir / UN_2018))
    assert result.returncode == 4
    assert "published on 2018-10-29, before the active snapshot" in result.stderr
    assert active_ids(home) == before


def test_reloading_a_stored_file_never_switches_silently(home: Path, lists_dir: Path) -> None:
    before = active_ids(home)
    older = run(home, "lists", "load", "un", str(lists_dir / "un/UN_consolidated_2025-11-20.xml"))
    assert older.returncode == 4 and "already stored as snapshot" in older.stderr
    assert active_ids(home) == before
    same = run(home, "lists", "load", "un", str(lists_dir / UN_NEW))
    assert same.returncode == 0 and "unchanged" in same.stdout


def test_identical_concurrent_loads_end_as_one_snapshot(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "CLEARANCE_HOME": str(home)}
    command = [sys.executable, "-m", "clearance", "lists", "load", "un", str(lists_dir / UN_NEW)]
    loads = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    codes = [load.wait(timeout=300) for load in loads]
    assert codes == [0, 0, 0], [load.stderr.read() for load in loads if load.stderr]
    snapshots = json.loads(run(home, "lists", "snapshots", "un", "--json").stdout)
    assert len(snapshots) == 1 and snapshots[0]["active"]


# -- integrity ------------------------------------------------------------------------------------


def _sql(home: Path, statement: str) -> int:
    with sqlite3.connect(home / "lists.sqlite") as db:
        return db.execute(statement).rowcount


def test_a_tampered_record_is_named_by_verify_and_never_screened_against(home: Path) -> None:
    assert run(home, "lists", "verify").returncode == 0
    changed = _sql(
        home, "UPDATE entity_records SET data = replace(data, 'PUTIN', 'PUTYX') WHERE data LIKE '%PUTIN, Vladimir%'"
    )
    assert changed >= 1
    assert run(home, "lists", "status").returncode == 0  # SQLite's own check cannot see it
    verify = run(home, "lists", "verify")
    assert verify.returncode == 1 and "us-csl:35096" in verify.stderr and "fails its digest" in verify.stderr
    assert "fails its digest" in one_line_error(run(home, "lists", "show", "us-csl:35096"))
    kept = run(home, "screen", "Vladimir Putin", "--json")  # the kept index was built from verified records
    assert "us-csl:35096" in [h["entity_id"] for h in json.loads(kept.stdout)["hits"]]
    shutil.rmtree(home / "indexes")
    refused = one_line_error(run(home, "screen", "Vladimir Putin"))
    assert "us-csl:35096" in refused and "fails its digest" in refused


def test_a_dropped_snapshot_row_is_found(home: Path) -> None:
    assert _sql(home, "DELETE FROM snapshot_entities WHERE entity_id = 'us-csl:35096'") == 1
    verify = run(home, "lists", "verify")
    assert verify.returncode == 1 and "holds 14,158 entities, but 14,159 were stored" in verify.stderr
    shutil.rmtree(home / "indexes")
    assert "14,158 entities" in one_line_error(run(home, "screen", "Vladimir Putin"))


# -- store failures -------------------------------------------------------------------------------


def test_a_held_lock_is_one_line_and_update_goes_on(home: Path, lists_dir: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"db = sqlite3.connect({str(home / 'lists.sqlite')!r}, isolation_level=None)\n"
            "db.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = active_ids(home)  # readers are not blocked
        wait = {"CLEARANCE_LOCK_TIMEOUT": "1", "CLEARANCE_LIST_DIR": str(lists_dir)}
        load = run(home, "lists", "load", "un", str(lists_dir / UN_2018), env=wait)
        assert "locked by another process (waited 1 s" in one_line_error(load)
        update = run(home, "lists", "update", "un", "eu", "uk", env=wait)
        assert update.returncode == 1 and "Traceback" not in update.stderr
        assert update.stderr.count("locked by another process") == 3  # each source tried, each reported
        assert hit_ids(home, "Vladimir Putin")  # screening reads on meanwhile
    finally:
        holder.kill()
        holder.wait()
    assert active_ids(home) == before


def test_a_deleted_store_is_an_error_not_an_empty_store(home: Path) -> None:
    for path in home.glob("lists.sqlite*"):
        path.unlink()
    assert "no list store here" in one_line_error(run(home, "lists", "status"))
    assert "no list store here" in one_line_error(run(home, "screen", "Vladimir Putin"))
    assert not (home / "lists.sqlite").exists()


def test_a_damaged_page_is_one_line(home: Path) -> None:
    path = home / "lists.sqlite"
    assert run(home, "lists", "status").returncode == 0  # the write-ahead log is folded into the file
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema's page, after the file header
    path.write_bytes(bytes(data))
    for command in (("lists", "status"), ("lists", "verify"), ("screen", "Vladimir Putin")):
        line = one_line_error(run(home, *command))
        assert "the list store is damaged" in line and "restore it from a backup" in line, line


def test_a_full_disk_is_one_line_and_changes_nothing(home: Path, lists_dir: Path) -> None:
    before = active_ids(home)

    def small_disk() -> None:  # a file size limit: writes past it fail as on a full disk
        limit = 512 * 1024  # the write-ahead log of a list of 1,093 entities grows past it
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run(home, "lists", "load", "un", str(lists_dir / UN_2018), "--activate", before=small_disk)
    line = one_line_error(result)
    assert "disk is full or a file size limit was reached" in line or "cannot be read or written" in line, line
    assert active_ids(home) == before
    assert run(home, "lists", "verify").returncode == 0


def _read_only(path: Path) -> Callable[[], None]:
    """Make the store file read-only to this process, root included; returns how to undo it."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return lambda: path.chmod(0o644)
    immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if immutable.returncode != 0:
        pytest.skip(f"root, and this file system cannot mark a file immutable: {immutable.stderr!r}")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_store_is_one_line(home: Path, lists_dir: Path) -> None:
    before = active_ids(home)  # a read also folds the write-ahead log into the file
    older = json.loads(run(home, "lists", "snapshots", "un", "--json").stdout)[0]
    assert not older["active"]
    undo = _read_only(home / "lists.sqlite")
    try:
        assert active_ids(home) == before  # reading still works
        load = run(home, "lists", "load", "us-csl", str(lists_dir / "us-csl/fixture_consolidated.csv"), "--activate")
        activate = run(home, "lists", "activate", str(older["id"]))
        for result in (load, activate):
            assert "cannot be written by this user" in one_line_error(result)
        assert active_ids(home) == before
    finally:
        undo()
    assert run(home, "lists", "verify").returncode == 0


# -- offline first run ----------------------------------------------------------------------------


def test_an_offline_first_run_says_how_to_go_on(tmp_path: Path) -> None:
    offline = {
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
        "CLEARANCE_LIST_DIR": "",
    }
    start = time.monotonic()
    result = run(tmp_path / "home", "lists", "update", env=offline)
    took = time.monotonic() - start
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert sorted(line.split(":")[1].strip() for line in errors) == sorted(
        ["ofac-sdn", "ofac-cons", "eu", "uk", "un", "us-csl"]
    )
    assert "CLEARANCE_LIST_DIR" in result.stderr and "clearance lists load" in result.stderr
    assert "Vladimir Putin" not in result.stderr
    refused = run(tmp_path / "home", "screen", "Vladimir Putin")
    assert "no official list is loaded" in one_line_error(refused)
    print(f"offline update took {took:.1f} s")  # no retries with back-off for a connection that cannot be made
