"""One party screener over every real list and the shipped EU Annex IV, built once for the goods tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.goods.screening import ShipmentScreener
from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import Screener
from clearance.model import Entity

GOODS = Path(__file__).resolve().parents[3] / "shared" / "data" / "goods"


@pytest.fixture(scope="session")
def goods_dir() -> Path:
    if not GOODS.is_dir():
        pytest.fail(f"the team-compiled goods tables are missing: {GOODS}")
    return GOODS


@pytest.fixture(scope="session")
def listed(lists_dir: Path) -> list[Entity]:
    entities: list[Entity] = []
    for name, source in SOURCES.items():
        entities += source.parse(source.bundled or mirror_path(lists_dir, name)).entities
    return entities


@pytest.fixture(scope="session")
def shipments(screener: Screener) -> ShipmentScreener:
    """Over the party screener of tests/conftest.py, whose lists are these: the index is built once."""
    return ShipmentScreener(screener)
