"""Country names and codes as lists write them, read into ISO 3166 alpha-2.

`countrynames` (OpenSanctions' table of country names in many languages and
spellings) does the lookup; this module only folds its non-alpha-2 answers:
former countries (ISO 3166-3 `SUHH`, `YUCS`) keep their old alpha-2 (`SU`, `YU`)
and subdivisions (`UA-CRI`) their country, so the model holds alpha-2 only. The
few names the lists use that `countrynames` lacks are in `_ALIASES`.
"""

from __future__ import annotations

from functools import lru_cache

import countrynames
from countrynames.util import normalize_name

_ALIASES = {
    # Libya's official name until 2011, still in the UN list's older addresses.
    "libyan arab jamahiriya": "LY",
    "socialist people's libyan arab jamahiriya": "LY",
    "great socialist people's libyan arab jamahiriya": "LY",
}


@lru_cache(maxsize=65_536)
def to_iso2(text: str | None) -> str | None:
    """ISO alpha-2 for a country name or code; None when it names no country."""
    if text is None:
        return None
    text = " ".join(text.split()).strip(" .,;")
    if not text or text.upper() in {"00", "UNKNOWN", "-0-", "NONE", "N/A"}:
        return None
    code = _ALIASES.get(text.casefold().replace("\u2019", "'")) or _lookup(text)
    if code is None:
        return None
    code = code.split("-", 1)[0][:2].upper()
    return code if len(code) == 2 and code.isalpha() else None


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], frozenset[str]]:
    countrynames.to_code("Germany")  # loads the table
    names = countrynames.COUNTRY_NAMES
    return names, frozenset(names.values())


def _lookup(text: str) -> str | None:
    """`countrynames.to_code` without its scan of every code per call (a third of a millisecond).

    Text screening asks this of every capitalised word, so the scan matters.
    """
    names, codes = _table()
    upper = text.upper()
    if upper in codes:
        return upper
    name = normalize_name(upper)
    code = names.get(name) if name is not None else None
    return None if code == "FAIL" else code
