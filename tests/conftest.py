"""Shared fixtures: the real list files in ../shared/data."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import Screener
from clearance.matching.index import NameIndex
from clearance.matching.persisted import index_meta
from clearance.matching.tables import TableFile
from clearance.model import Entity

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
LISTS = SHARED / "lists"


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    if not LISTS.is_dir():
        pytest.fail(f"the real list files are missing: {LISTS}")
    return LISTS


def real_entities(lists_dir: Path) -> list[Entity]:
    """Every entity of the newest real file of each official source here."""
    return [
        entity for name, source in SOURCES.items() for entity in source.parse(mirror_path(lists_dir, name)).entities
    ]


@pytest.fixture(scope="session")
def all_entities(lists_dir: Path) -> list[Entity]:
    return real_entities(lists_dir)


def built_once(factory: pytest.TempPathFactory, worker_id: str, name: str, build: Callable[[Path], None]) -> Path:
    """`root/name`, built by `build` once for the whole run, whatever the number of test workers: the
    first worker to ask builds it while the others wait, then all read it."""
    root = factory.getbasetemp()
    if worker_id != "master":  # each xdist worker has a base folder of its own under one shared by the run
        root = root.parent
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / f"{name}.done").exists():
            build(root / name)
            (root / f"{name}.done").touch()
    return root / name


@pytest.fixture(scope="session")
def index_file(tmp_path_factory: pytest.TempPathFactory, worker_id: str, lists_dir: Path) -> bytes:
    """The name index of every real list, built once for the run: screeners open it afresh."""

    def build(path: Path) -> None:
        path.write_bytes(NameIndex.build(real_entities(lists_dir), index_meta(None)))

    return built_once(tmp_path_factory, worker_id, "index.idx", build).read_bytes()


def fresh_screener(index_file: bytes) -> Screener:
    """A screener of its own over the session's index, as a new process would open it."""
    index = NameIndex(TableFile.from_bytes(index_file))
    index.warm()
    return Screener(index)


@pytest.fixture(scope="session")
def screener(index_file: bytes) -> Screener:
    return fresh_screener(index_file)


def copy_home(home: Path, target: Path) -> Path:
    """A copy of a home that other processes may be reading: without SQLite's read-side files (its
    write-ahead log is empty once loading is done), which come and go with each reader."""
    shutil.copytree(home, target, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return target


@pytest.fixture(scope="session")
def listed_home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path, worker_id: str) -> Path:
    """A home holding every official list of the mirror (and, before it, an older UN list), loaded and indexed
    once for the run, with the index of the version with the older UN list kept too: read it only, or copy
    it (`copy_home`)."""
    from clearance.app import Clearance

    def build(home: Path) -> None:
        with Clearance.open(home, list_dir=lists_dir) as clearance:
            older = clearance.load("un", lists_dir / "un" / "UN_consolidated_2025-11-20.xml").snapshot
            outcomes = clearance.update()
            newer = clearance.store.active_snapshots()["un"]
            clearance.activate(older.id)  # a roll-back and back: both versions' indexes are kept
            clearance.activate(newer.id)
        assert all(outcome.result is not None for outcome in outcomes), [o.error for o in outcomes]

    return built_once(tmp_path_factory, worker_id, "listed-home", build)


@pytest.fixture
def listed_copy(tmp_path: Path, listed_home: Path) -> Path:
    """A copy of the run's loaded home, for a test to load into, break or lock."""
    return copy_home(listed_home, tmp_path / "home")
