"""Helpers the parser tests share: bad input, and real files with one piece changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.errors import ListFormatError

Fails = Callable[..., ListFormatError]
Variant = Callable[..., Path]


def _fails(
    parse: Callable[[Path], object],
    path: Path,
    *phrases: str,
    error: type[ListFormatError] = ListFormatError,
    file: Path | None = None,
) -> ListFormatError:
    """`parse(path)` raises `error`: one line that names `file` (`path` by default) and holds each phrase."""
    with pytest.raises(error) as caught:
        parse(path)
    message = str(caught.value)
    assert str(file or path) in message
    assert "\n" not in message
    for phrase in phrases:
        assert phrase in message
    return caught.value


@pytest.fixture
def fails() -> Fails:
    return _fails


@pytest.fixture
def variant(tmp_path: Path) -> Variant:
    """A real file with the first `old` (which must be in it) replaced by `new`, written to `tmp_path`."""

    def write(real: Path, old: str, new: str, name: str | None = None) -> Path:
        text = real.read_text(encoding="utf-8")
        assert old in text
        path = tmp_path / (name or real.name)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return write
