"""The official sources clearance knows, by name."""

from __future__ import annotations

from clearance.errors import UnknownSourceError
from clearance.lists import eu, eu_annex_iv, ofac_cons, ofac_sdn, uk, un, us_csl
from clearance.lists.custom import PREFIX, custom_source
from clearance.lists.source import ListSource

SOURCES: dict[str, ListSource] = {
    source.name: source
    for source in (ofac_sdn.SOURCE, ofac_cons.SOURCE, eu.SOURCE, uk.SOURCE, un.SOURCE, us_csl.SOURCE)
}
SOURCES[eu_annex_iv.NAME] = eu_annex_iv.SOURCE

OFFICIAL: tuple[str, ...] = tuple(name for name, source in SOURCES.items() if source.bundled is None)
"""The publishers' own lists: what screening is expected to cover. Data shipped in the package (the EU
Annex IV table) and watchlists of one's own never count as one."""


def get_source(name: str) -> ListSource:
    """The source called `name` (or `custom:NAME`, a watchlist); a clear error otherwise."""
    if name.startswith(PREFIX):
        return custom_source(name[len(PREFIX) :])
    try:
        return SOURCES[name]
    except KeyError:
        known = ", ".join([*SOURCES, "custom:NAME"])
        raise UnknownSourceError(f"unknown list source {name!r} (known: {known})") from None
