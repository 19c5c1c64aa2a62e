"""Shared fixtures: the real list files in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import Screener
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
def screener(all_entities: list[Entity]) -> Screener:
    return Screener(all_entities)
