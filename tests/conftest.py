"""Shared fixtures: the real list files in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
LISTS = SHARED / "lists"


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    if not LISTS.is_dir():
        pytest.fail(f"the real list files are missing: {LISTS}")
    return LISTS
