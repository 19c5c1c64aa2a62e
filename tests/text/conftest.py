"""A text screener over the lists the article is screened against."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.matching import Screener
from clearance.model import Entity
from clearance.text import TextScreener

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "text" / "news-russia-weapons-sanctions-2023-02.txt"


@pytest.fixture(scope="session")
def text_screener(all_entities: list[Entity]) -> TextScreener:
    return TextScreener(Screener(all_entities))


@pytest.fixture(scope="session")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")
