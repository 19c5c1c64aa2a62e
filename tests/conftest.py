"""Shared fixtures: the real list files in ../shared/data."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def all_entities(lists_dir: Path) -> list[Entity]:
    """Every entity of the newest real file of each official source here."""
    entities: list[Entity] = []
    for name, source in SOURCES.items():
        entities += source.parse(mirror_path(lists_dir, name)).entities
    return entities


@pytest.fixture(scope="session")
def index_file(all_entities: list[Entity]) -> bytes:
    """The name index of every real list, built once for the session: screeners open it afresh."""
    return NameIndex.build(all_entities, index_meta(None))


def fresh_screener(index_file: bytes) -> Screener:
    """A screener of its own over the session's index, as a new process would open it."""
    index = NameIndex(TableFile.from_bytes(index_file))
    index.warm()
    return Screener(index)


@pytest.fixture(scope="session")
def screener(index_file: bytes) -> Screener:
    return fresh_screener(index_file)


@pytest.fixture(scope="session")
def listed_home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """A home holding every official list of the mirror (and, before it, an older UN list), loaded and indexed
    once for the session: read it only, or copy it."""
    from clearance.app import Clearance

    home = tmp_path_factory.mktemp("listed-home")
    with Clearance.open(home, list_dir=lists_dir) as clearance:
        clearance.load("un", lists_dir / "un" / "UN_consolidated_2025-11-20.xml")
        outcomes = clearance.update()
    assert all(outcome.result is not None for outcome in outcomes), [o.error for o in outcomes]
    return home
