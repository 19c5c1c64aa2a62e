"""A text screener over the lists the article is screened against."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.matching import Screener
from clearance.text import TextScreener

ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "text" / "news-russia-weapons-sanctions-2023-02.txt"


@pytest.fixture(scope="session")
def text_screener(screener: Screener) -> TextScreener:
    """Over the party screener of tests/conftest.py: the name index is built once for the session."""
    return TextScreener(screener)


@pytest.fixture(scope="session")
def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")
