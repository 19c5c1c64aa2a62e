"""The versioned list store on the real UN lists: snapshots, diffs, atomic loads, concurrent readers."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from clearance.errors import NotFoundError, StoreError
from clearance.lists import un
from clearance.lists.files import digest_files
from clearance.lists.update import LoadOptions, load_path
from clearance.store import ListStore
from clearance.store.failures import StoreCorruptError
from clearance.store.schema import MIGRATIONS

UN_OLD = "un/UN_consolidated_2025-11-20.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"


@pytest.fixture
def store(tmp_path: Path) -> ListStore:
    return ListStore(tmp_path / "lists.sqlite")


def test_each_load_is_a_snapshot_and_the_newest_is_active(store: ListStore, lists_dir: Path) -> None:
    old = load_path(store, un.SOURCE, lists_dir / UN_OLD).snapshot
    new = load_path(store, un.SOURCE, lists_dir / UN_NEW).snapshot
    assert (old.entity_count, new.entity_count) == (1000, 1003)
    assert old.published is not None and old.published.date().isoformat() == "2025-11-20"
    assert new.published is not None and new.published.date().isoformat() == "2026-02-27"
    assert [s.id for s in store.snapshots("un")] == [old.id, new.id]
    assert store.active_snapshots()["un"].id == new.id
    assert new.sha256 != old.sha256
    assert new.files[0].sha256 == digest_files([lists_dir / UN_NEW])[0].sha256


def test_diff_of_the_two_recent_un_lists(store: ListStore, lists_dir: Path) -> None:
    old = load_path(store, un.SOURCE, lists_dir / UN_OLD).snapshot
    new = load_path(store, un.SOURCE, lists_dir / UN_NEW).snapshot
    diff = store.diff(old.id, new.id)
    assert [e.id for e in diff.added] == ["un:SDi.007", "un:SDi.008", "un:SDi.009", "un:SDi.010"]
    assert [e.id for e in diff.removed] == ["un:IQi.074"]
    assert [c.entity_id for c in diff.changed] == ["un:HTi.006", "un:SOi.022"]
    assert all(change.fields for change in diff.changed)


def test_loading_the_same_files_again_writes_nothing_and_never_switches_silently(
    store: ListStore, lists_dir: Path
) -> None:
    first = load_path(store, un.SOURCE, lists_dir / UN_OLD)
    newer = load_path(store, un.SOURCE, lists_dir / UN_NEW)
    again = load_path(store, un.SOURCE, lists_dir / UN_OLD)
    assert first.created and not again.created
    assert again.snapshot.id == first.snapshot.id and not again.snapshot.active
    assert again.held is not None and f"already stored as snapshot {first.snapshot.id}" in again.held
    assert store.active_snapshots()["un"].id == newer.snapshot.id
    forced = load_path(store, un.SOURCE, lists_dir / UN_OLD, options=LoadOptions(force=True))
    assert forced.held is None and forced.switched and forced.snapshot.active
    assert len(store.snapshots("un")) == 2


def test_activate_rolls_back_to_a_kept_snapshot(store: ListStore, lists_dir: Path) -> None:
    old = load_path(store, un.SOURCE, lists_dir / UN_OLD).snapshot
    load_path(store, un.SOURCE, lists_dir / UN_NEW)
    store.activate(old.id)
    assert store.active_snapshots()["un"].id == old.id
    assert store.entity("un:IQi.074").id == "un:IQi.074"
    with pytest.raises(NotFoundError):
        store.entity("un:SDi.007")


def test_a_load_that_fails_midway_leaves_the_previous_snapshot(store: ListStore, lists_dir: Path) -> None:
    old = load_path(store, un.SOURCE, lists_dir / UN_OLD).snapshot

    def crash(done: int) -> None:
        raise RuntimeError(f"disk full after {done} entities")

    with pytest.raises(RuntimeError, match="disk full after 500"):
        load_path(store, un.SOURCE, lists_dir / UN_NEW, progress=crash)
    assert [s.id for s in store.snapshots("un")] == [old.id]
    assert store.active_snapshots()["un"].id == old.id
    assert sum(1 for _ in store.active_entities(["un"])) == 1000
    assert store.entity("un:IQi.074").name


def test_schema_is_versioned(tmp_path: Path) -> None:
    path = tmp_path / "lists.sqlite"
    with ListStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer than this clearance understands"):
        ListStore(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lists.sqlite"
    path.write_text("not a database " * 100)
    with pytest.raises(StoreCorruptError, match="the list store is damaged"):
        ListStore(path)
    assert path.read_text().startswith("not a database")


_SLOW_LOADER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from clearance.lists import un
    from clearance.lists.update import load_path
    from clearance.store import ListStore

    store_path, list_path, paused, resume = map(Path, sys.argv[1:5])

    def pause(done: int) -> None:
        if not paused.exists():
            paused.write_text(str(done))
            while not resume.exists():
                time.sleep(0.05)

    load_path(ListStore(store_path), un.SOURCE, list_path, progress=pause)
    """
)


def _start_paused_load(tmp_path: Path, store_path: Path, list_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    paused, resume = tmp_path / "paused", tmp_path / "resume"
    loader = subprocess.Popen(
        [sys.executable, "-c", _SLOW_LOADER, str(store_path), str(list_path), str(paused), str(resume)]
    )
    deadline = time.monotonic() + 60
    while not paused.exists():
        assert loader.poll() is None, "the loader exited before writing"
        assert time.monotonic() < deadline, "the loader never reached the middle of its write"
        time.sleep(0.05)
    return loader, resume


def _status(store_home: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "clearance", "lists", "status", "--json"],
        env={**os.environ, "CLEARANCE_HOME": str(store_home)},
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(result.stdout)["lists"]
    return {row["source"]: row["snapshot"] for row in rows}


def test_readers_never_see_a_half_loaded_list(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    with ListStore(home / "lists.sqlite") as store:
        old = load_path(store, un.SOURCE, lists_dir / UN_OLD).snapshot
    loader, resume = _start_paused_load(tmp_path, home / "lists.sqlite", lists_dir / UN_NEW)
    try:
        during = _status(home)["un"]
        assert isinstance(during, dict) and during["id"] == old.id and during["entity_count"] == 1000
        with ListStore(home / "lists.sqlite") as reader:
            assert [s.id for s in reader.snapshots("un")] == [old.id]
            assert sum(1 for _ in reader.active_entities(["un"])) == 1000
    finally:
        resume.write_text("go")
        assert loader.wait(timeout=120) == 0
    after = _status(home)["un"]
    assert isinstance(after, dict) and after["entity_count"] == 1003


def test_a_load_killed_midway_leaves_the_store_intact(tmp_path: Path, lists_dir: Path) -> None:
    path = tmp_path / "lists.sqlite"
    with ListStore(path) as store:
        old = load_path(store, un.SOURCE, lists_dir / UN_OLD).snapshot
    loader, _ = _start_paused_load(tmp_path, path, lists_dir / UN_NEW)
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=30)
    with ListStore(path) as store:
        assert store.integrity_errors() == []
        assert [s.id for s in store.snapshots("un")] == [old.id]
        assert store.active_snapshots()["un"].id == old.id
        assert sum(1 for _ in store.active_entities(["un"])) == 1000
        again = load_path(store, un.SOURCE, lists_dir / UN_NEW)
        assert again.created and again.snapshot.entity_count == 1003
