"""OFAC's Specially Designated Nationals (SDN) list: the legacy CSV set, or the advanced XML."""

from __future__ import annotations

from pathlib import Path

from clearance.lists.ofac_csv import SDN_SET, parse_csv_set
from clearance.lists.source import Download, ListSource, ParsedList

_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"


def parse(path: Path) -> ParsedList:
    """A folder or a file of the CSV set reads as CSV; an `.xml` file as OFAC's advanced XML."""
    if path.suffix.lower() == ".xml" and not path.is_dir():
        from clearance.lists.ofac_advanced import parse_advanced

        return parse_advanced(SDN_SET.source, path)
    return parse_csv_set(SDN_SET, path)


SOURCE = ListSource(
    name=SDN_SET.source,
    title="US Treasury OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
    parser=parse,
    downloads=tuple(
        Download(url=_EXPORTS + name.upper(), filename=name)
        for name in (SDN_SET.primary, SDN_SET.add, SDN_SET.alt, SDN_SET.comments)
    ),
    homepage="https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
)
