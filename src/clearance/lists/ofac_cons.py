"""OFAC's Consolidated Sanctions List (non-SDN lists): the legacy CSV set, or the advanced XML."""

from __future__ import annotations

from pathlib import Path

from clearance.lists.ofac_csv import CONS_SET, parse_csv_set
from clearance.lists.source import Download, ListSource, ParsedList

_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"


def parse(path: Path) -> ParsedList:
    """A folder or a file of the CSV set reads as CSV; an `.xml` file as OFAC's advanced XML."""
    if path.suffix.lower() == ".xml" and not path.is_dir():
        from clearance.lists.ofac_advanced import parse_advanced

        return parse_advanced(CONS_SET.source, path)
    return parse_csv_set(CONS_SET, path)


SOURCE = ListSource(
    name=CONS_SET.source,
    title="US Treasury OFAC Consolidated Sanctions List (non-SDN)",
    parser=parse,
    downloads=tuple(
        Download(url=_EXPORTS + name.upper(), filename=name)
        for name in (CONS_SET.primary, CONS_SET.add, CONS_SET.alt, CONS_SET.comments)
    ),
    homepage="https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists",
)
