"""Safe by default, through the real command: a store altered, locked, read-only, full, damaged or gone,
and an offline first run. Each test breaks a copy of the run's loaded home the way an attacker, another
process or the machine would, in real processes.
"""

from __future__ import annotations

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

from tests.test_cli import run
from tests.test_cli_lists_guard import UN_2018, active_ids, hit_ids, one_line_error

# -- integrity ------------------------------------------------------------------------------------


def _sql(home: Path, statement: str) -> int:
    with sqlite3.connect(home / "lists.sqlite") as db:
        return db.execute(statement).rowcount


def test_a_tampered_record_is_named_by_verify_and_never_screened_against(listed_copy: Path) -> None:
    assert run(listed_copy, "lists", "verify").returncode == 0
    changed = _sql(
        listed_copy,
        "UPDATE entity_records SET data = replace(data, 'PUTIN', 'PUTYX') WHERE data LIKE '%PUTIN, Vladimir%'",
    )
    assert changed >= 1
    assert run(listed_copy, "lists", "status").returncode == 0  # SQLite's own check cannot see it
    verify = run(listed_copy, "lists", "verify")
    assert verify.returncode == 1 and "us-csl:35096" in verify.stderr and "fails its digest" in verify.stderr
    assert "fails its digest" in one_line_error(run(listed_copy, "lists", "show", "us-csl:35096"))
    kept = run(listed_copy, "screen", "Vladimir Putin", "--json")  # the kept index was built from verified records
    assert "us-csl:35096" in [h["entity_id"] for h in json.loads(kept.stdout)["hits"]]
    shutil.rmtree(listed_copy / "indexes")
    refused = one_line_error(run(listed_copy, "screen", "Vladimir Putin"))
    assert "us-csl:35096" in refused and "fails its digest" in refused


def test_a_dropped_snapshot_row_is_found(listed_copy: Path) -> None:
    assert _sql(listed_copy, "DELETE FROM snapshot_entities WHERE entity_id = 'us-csl:35096'") == 1
    verify = run(listed_copy, "lists", "verify")
    assert verify.returncode == 1 and "holds 14,158 entities, but 14,159 were stored" in verify.stderr
    shutil.rmtree(listed_copy / "indexes")
    assert "14,158 entities" in one_line_error(run(listed_copy, "screen", "Vladimir Putin"))


# -- store failures -------------------------------------------------------------------------------


def test_a_held_lock_is_one_line_and_update_goes_on(listed_copy: Path, lists_dir: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"db = sqlite3.connect({str(listed_copy / 'lists.sqlite')!r}, isolation_level=None)\n"
            "db.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = active_ids(listed_copy)  # readers are not blocked
        wait = {"CLEARANCE_LOCK_TIMEOUT": "1", "CLEARANCE_LIST_DIR": str(lists_dir)}
        load = run(listed_copy, "lists", "load", "un", str(lists_dir / UN_2018), env=wait)
        assert "locked by another process (waited 1 s" in one_line_error(load)
        update = run(listed_copy, "lists", "update", "un", "eu", "uk", env=wait)
        assert update.returncode == 1 and "Traceback" not in update.stderr
        assert update.stderr.count("locked by another process") == 3  # each source tried, each reported
        assert hit_ids(listed_copy, "Vladimir Putin")  # screening reads on meanwhile
    finally:
        holder.kill()
        holder.wait()
    assert active_ids(listed_copy) == before


def test_a_deleted_store_is_an_error_not_an_empty_store(listed_copy: Path) -> None:
    for path in listed_copy.glob("lists.sqlite*"):
        path.unlink()
    assert "no list store here" in one_line_error(run(listed_copy, "lists", "status"))
    assert "no list store here" in one_line_error(run(listed_copy, "screen", "Vladimir Putin"))
    assert not (listed_copy / "lists.sqlite").exists()


def test_a_damaged_page_is_one_line(listed_copy: Path) -> None:
    path = listed_copy / "lists.sqlite"
    assert run(listed_copy, "lists", "status").returncode == 0  # the write-ahead log is folded into the file
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema's page, after the file header
    path.write_bytes(bytes(data))
    for command in (("lists", "status"), ("lists", "verify"), ("screen", "Vladimir Putin")):
        line = one_line_error(run(listed_copy, *command))
        assert "the list store is damaged" in line and "restore it from a backup" in line, line


def test_a_full_disk_is_one_line_and_changes_nothing(listed_copy: Path, lists_dir: Path) -> None:
    before = active_ids(listed_copy)

    def small_disk() -> None:  # a file size limit: writes past it fail as on a full disk
        limit = 512 * 1024  # the write-ahead log of a list of 1,093 entities grows past it
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run(listed_copy, "lists", "load", "un", str(lists_dir / UN_2018), "--activate", before=small_disk)
    line = one_line_error(result)
    assert "disk is full or a file size limit was reached" in line or "cannot be read or written" in line, line
    assert active_ids(listed_copy) == before
    assert run(listed_copy, "lists", "verify").returncode == 0


def _read_only(path: Path) -> Callable[[], None]:
    """Make the store file read-only to this process, root included; returns how to undo it."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        return lambda: path.chmod(0o644)
    immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if immutable.returncode != 0:
        pytest.skip(f"root, and this file system cannot mark a file immutable: {immutable.stderr!r}")
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_store_is_one_line(listed_copy: Path, lists_dir: Path) -> None:
    before = active_ids(listed_copy)  # a read also folds the write-ahead log into the file
    older = json.loads(run(listed_copy, "lists", "snapshots", "un", "--json").stdout)[0]
    assert not older["active"]
    undo = _read_only(listed_copy / "lists.sqlite")
    try:
        assert active_ids(listed_copy) == before  # reading still works
        load = run(
            listed_copy, "lists", "load", "us-csl", str(lists_dir / "us-csl/fixture_consolidated.csv"), "--activate"
        )
        activate = run(listed_copy, "lists", "activate", str(older["id"]))
        for result in (load, activate):
            assert "cannot be written by this user" in one_line_error(result)
        assert active_ids(listed_copy) == before
    finally:
        undo()
    assert run(listed_copy, "lists", "verify").returncode == 0


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
