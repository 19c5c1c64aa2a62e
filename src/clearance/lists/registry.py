"""The official sources clearance knows, by name."""

from __future__ import annotations

from clearance.errors import UnknownSourceError
from clearance.lists import eu, ofac_cons, ofac_sdn, uk, un, us_csl
from clearance.lists.source import ListSource

SOURCES: dict[str, ListSource] = {
    source.name: source
    for source in (ofac_sdn.SOURCE, ofac_cons.SOURCE, eu.SOURCE, uk.SOURCE, un.SOURCE, us_csl.SOURCE)
}


def get_source(name: str) -> ListSource:
    """The source called `name`; a clear error naming the known ones otherwise."""
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join(SOURCES)
        raise UnknownSourceError(f"unknown list source {name!r} (known: {known})") from None
