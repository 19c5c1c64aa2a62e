"""Restricted destinations: Russia, Belarus, Iran and the Russia-occupied regions of Ukraine.

A destination is given away by a country field (ISO alpha-2, an ISO 3166-2 code of
a Ukrainian region such as `UA-43` for Crimea, or a country name) or by the place
names of an address, in Latin, Russian and Ukrainian spellings. Which names mean
what is data (`data/destinations.yaml`, part of the rules version), because
occupation lines move and a name list is reviewed more easily than code.

Four oblasts are only partly occupied: the EU measures cover their
non-government-controlled areas. An oblast's code or name alone therefore calls
for review, while the names of the Russian-installed entities (DNR, LNR) and of
places occupied since 2014 or 2022 mark an address as restricted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import countrynames
from pydantic import BaseModel, ConfigDict, Field

from clearance.goods.decision import LegalBasis

_NOT_COUNTRIES = frozenset({"EU", "UN", "ZZ"})
"""Codes `countrynames` knows that name no country a shipment can go to."""
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_NON_WORD = re.compile(r"[\W_]+")


class RussiaBans(StrEnum):
    """How the EU Russia export-ban regimes apply to a destination (see destinations.yaml)."""

    OWN = "own"
    EQUIVALENT = "equivalent"
    NONE = "none"


class Occupation(StrEnum):
    WHOLE = "whole"
    PART = "part"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RestrictedCountry(_Model):
    code: str
    name: str
    russia_bans: RussiaBans
    legal_basis: LegalBasis
    names: tuple[str, ...] = ()


class RestrictedRegion(_Model):
    code: str
    name: str
    occupation: Occupation
    legal_basis: LegalBasis
    codes: tuple[str, ...]
    occupied_codes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    occupied_names: tuple[str, ...] = ()
    occupied_places: tuple[str, ...] = ()


class DestinationsFile(_Model):
    countries: tuple[RestrictedCountry, ...] = Field(min_length=1)
    regions: tuple[RestrictedRegion, ...] = ()


@dataclass(frozen=True)
class Restriction:
    """A restricted country or region found in a country field or an address.

    `restricted` is False for a partly occupied oblast named without a place that
    settles which side of the line it is on: that calls for review, not a ban.
    """

    code: str
    name: str
    restricted: bool
    russia_bans: RussiaBans
    legal_basis: LegalBasis
    evidence: str

    @property
    def label(self) -> str:
        return self.name if self.restricted else f"{self.name}, possibly"


def fold(text: str) -> tuple[str, ...]:
    """Words of `text` for name matching: NFKC, case folded, apostrophes dropped, split on anything else."""
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
    return tuple(_NON_WORD.sub(" ", text).split())


class Destinations:
    """Looks up restricted destinations by code and by the place names of an address."""

    def __init__(self, data: DestinationsFile) -> None:
        self.countries = {c.code: c for c in data.countries}
        self.regions = data.regions
        self._codes: dict[str, Restriction] = {}
        self._names: dict[tuple[str, ...], Restriction] = {}
        for country in data.countries:
            self._codes[country.code] = self._make(country.code, country.name, True, country.russia_bans, country)
            for name in country.names:
                self._add_name(name, self._make(country.code, country.name, True, country.russia_bans, country))
        for region in data.regions:
            whole = region.occupation is Occupation.WHOLE
            occupied = self._make(region.code, region.name, True, RussiaBans.EQUIVALENT, region)
            named = occupied if whole else self._make(region.code, region.name, False, RussiaBans.EQUIVALENT, region)
            for code in region.codes:
                self._codes[code] = named
            for code in region.occupied_codes:
                self._codes[code] = occupied
            for name in region.names:
                self._add_name(name, named)
            for name in (*region.occupied_names, *region.occupied_places):
                self._add_name(name, occupied)
        self._longest = max((len(key) for key in self._names), default=1)

    @staticmethod
    def _make(
        code: str, name: str, restricted: bool, bans: RussiaBans, item: RestrictedCountry | RestrictedRegion
    ) -> Restriction:
        return Restriction(code, name, restricted, bans, item.legal_basis, evidence="")

    def _add_name(self, name: str, restriction: Restriction) -> None:
        key = fold(name)
        if key in self._names and self._names[key].code != restriction.code:
            raise ValueError(f"place name {name!r} given for both {self._names[key].code} and {restriction.code}")
        self._names[key] = restriction

    def resolve(self, text: str) -> str:
        """A country field as a code: ISO alpha-2, or a restricted region's code; ValueError otherwise."""
        value = " ".join(str(text).split())
        if not value:
            raise ValueError("empty country")
        if value.upper() in self._codes:
            return value.upper()
        code = countrynames.to_code(value)
        if code is not None and code.upper() in self._codes:
            return code.upper()
        if code is not None:
            code = code.split("-", 1)[0][:2].upper()
        if code is None or len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
            if len(value) == 2:
                raise ValueError(f"unknown country code {value!r} (ISO 3166 alpha-2, such as DE or RU)")
            raise ValueError(f"unknown country {value!r} (give an ISO 3166 alpha-2 code, such as DE or RU)")
        return code

    def by_code(self, code: str | None) -> Restriction | None:
        """The restriction a resolved country code carries, if any."""
        if code is None or code not in self._codes:
            return None
        found = self._codes[code]
        return Restriction(
            found.code, found.name, found.restricted, found.russia_bans, found.legal_basis, f"code {code}"
        )

    def in_address(self, text: str | None) -> list[Restriction]:
        """Restricted places an address names, longest name first (`Donetsk oblast` before `Donetsk`)."""
        if not text:
            return []
        words = fold(text)
        found: dict[str, Restriction] = {}
        i = 0
        while i < len(words):
            for size in range(min(self._longest, len(words) - i), 0, -1):
                key = words[i : i + size]
                hit = self._names.get(key)
                if hit is not None:
                    previous = found.get(hit.code)
                    if previous is None or (hit.restricted and not previous.restricted):
                        found[hit.code] = Restriction(
                            hit.code, hit.name, hit.restricted, hit.russia_bans, hit.legal_basis, " ".join(key)
                        )
                    i += size
                    break
            else:
                i += 1
        return list(found.values())


def country_of(code: str) -> str:
    """The ISO alpha-2 country of a code (`UA-43` -> `UA`)."""
    return code[:2]
