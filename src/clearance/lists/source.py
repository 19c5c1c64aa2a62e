"""What every list source provides: where to download it and how to parse it.

A source is data plus one parse function, so the store, the CLI and later the
HTTP service treat every official list alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from clearance.model import Entity

DEFAULT_MAX_AGE_DAYS = 7.0
"""Official lists change weekly or faster; one a week older than its publisher's date may miss listings."""


@dataclass(frozen=True)
class Download:
    """One official file of a source; `filename` is the name the parser expects."""

    url: str
    filename: str


@dataclass(frozen=True)
class ParsedList:
    """The result of parsing one version of a source."""

    source: str
    entities: tuple[Entity, ...]
    files: tuple[Path, ...]
    published: dt.datetime | None = None
    """The publication date the source states in its own file, where it states one."""


@dataclass(frozen=True)
class ListSource:
    """An official list: its name in clearance, its title, its downloads and its parser."""

    name: str
    title: str
    parser: Callable[[Path], ParsedList] = field(repr=False)
    downloads: tuple[Download, ...] = ()
    homepage: str | None = None
    bundled: Path | None = None
    """For lists compiled by the clearance project from legal texts and shipped in the package
    (EU Annex IV): the packaged file, which `lists update` loads instead of downloading."""
    max_age_days: float = DEFAULT_MAX_AGE_DAYS
    """Days after its publisher's date (for a bundled list, the date of the latest act it encodes)
    a version of this source is current."""

    def parse(self, path: Path) -> ParsedList:
        """Parse a file (or the folder of a multi-file source such as OFAC's CSV set)."""
        return self.parser(path)
