"""Restricted destinations from country fields and from the place names of addresses, in Latin and local scripts."""

from __future__ import annotations

import pytest

from clearance.goods.decision import Decision
from clearance.goods.destinations import RussiaBans
from clearance.goods.rules import Coverage, RegimeKind, load_rules

RULES = load_rules()
DESTINATIONS = RULES.destinations


@pytest.mark.parametrize(
    ("text", "code"),
    [("DE", "DE"), ("ru", "RU"), ("Germany", "DE"), ("Россия", "RU"), ("UA-43", "UA-43"), ("ua-14", "UA-14")],
)
def test_country_fields_resolve_to_codes(text: str, code: str) -> None:
    assert DESTINATIONS.resolve(text) == code


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("XX", "unknown country code 'XX'"),
        ("ZZ", "unknown"),
        ("EU", "unknown"),
        ("Atlantis", "unknown country 'Atlantis'"),
    ],
)
def test_unknown_countries_are_refused(text: str, phrase: str) -> None:
    with pytest.raises(ValueError, match=phrase):
        DESTINATIONS.resolve(text)


def test_restricted_codes() -> None:
    assert DESTINATIONS.by_code("DE") is None
    russia, crimea, donetsk = (DESTINATIONS.by_code(c) for c in ("RU", "UA-43", "UA-14"))
    assert russia and russia.restricted and russia.russia_bans is RussiaBans.OWN
    assert crimea and crimea.restricted and crimea.legal_basis.act == "Council Regulation (EU) No 692/2014"
    assert donetsk and not donetsk.restricted  # only partly occupied: review, not a ban
    iran = DESTINATIONS.by_code("IR")
    assert iran and iran.russia_bans is RussiaBans.NONE


@pytest.mark.parametrize(
    ("address", "code", "restricted"),
    [
        ("ул. Кирова 1, Симферополь", "UA-43", True),
        ("vul. Lenina 5, Simferopol, Crimea", "UA-43", True),
        ("Севастополь", "UA-40", True),
        ("пр. Ильича 10, Донецк, ДНР", "UA-14", True),
        ("Donetsk People's Republic", "UA-14", True),
        ("Kramatorsk, Donetsk Oblast, Ukraine", "UA-14", False),
        ("Mariupol", "UA-14", True),
        ("Луганськ", "UA-09", True),
        ("Melitopol, Zaporizhzhia oblast", "UA-23", True),
        ("Запоріжжя", "UA-23", False),
        ("Нова Каховка", "UA-65", True),
        ("Kherson", "UA-65", False),
        ("Tverskaya 1, Moscow, Russian Federation", "RU", True),
        ("Minsk, Беларусь", "BY", True),
    ],
)
def test_places_in_addresses(address: str, code: str, restricted: bool) -> None:
    found = DESTINATIONS.in_address(address)
    assert [(f.code, f.restricted) for f in found] == [(code, restricted)]


@pytest.mark.parametrize(
    "address", ["Unter den Linden 1, Berlin", "Sebastopol, CA 95472, USA", "Tokmok, Kyrgyzstan", ""]
)
def test_other_places_are_not_restricted(address: str) -> None:
    assert DESTINATIONS.in_address(address) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SU", "RU"),
        ("su", "RU"),
        ("USSR", "RU"),
        ("Soviet Union", "RU"),
        ("СССР", "RU"),
        ("Persia", "IR"),
        ("Burma", "MM"),
        ("Zaire", "CD"),
        ("ZR", "CD"),
        ("Byelorussia", "BY"),
        ("Belorussia", "BY"),
        ("DPRK", "KP"),
        ("North Korea", "KP"),
        ("Democratic People's Republic of Korea", "KP"),
        ("조선", "KP"),
        ("북한", "KP"),
        ("سوريا", "SY"),
        ("Cuba", "CU"),
        ("Venezuela", "VE"),
        ("Myanmar", "MM"),
    ],
)
def test_current_and_historical_names_resolve_to_todays_country(text: str, code: str) -> None:
    assert DESTINATIONS.resolve(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SU", "RU"),
        ("СССР", "RU"),
        ("Soviet Union", "RU"),
        ("Persia", "IR"),
        ("Burma", "MM"),
        ("Zaire", "CD"),
        ("Byelorussia", "BY"),
        ("Russia", None),
        ("Iran", None),
        ("DE", None),
    ],
)
def test_historical_tells_whether_a_name_was_historical(text: str, code: str | None) -> None:
    assert DESTINATIONS.historical(text) == code


@pytest.mark.parametrize(("code", "authority"), [("KP", "EU"), ("SY", "EU"), ("CU", "US")])
def test_comprehensively_sanctioned_countries_are_restricted_with_no_russia_lists(code: str, authority: str) -> None:
    found = DESTINATIONS.by_code(code)
    assert found is not None and found.restricted and found.encoded
    assert found.russia_bans is RussiaBans.NONE and found.authority == authority
    assert found.unencoded_reason is None and found.evidence == f"code {code}"


def test_the_acts_behind_north_korea_syria_and_cuba() -> None:
    acts = {code: DESTINATIONS.countries[code].legal_basis.act for code in ("KP", "SY", "CU")}
    assert acts["KP"] == "Council Regulation (EU) 2017/1509"
    assert "No 36/2012" in acts["SY"] and "2025/1098" in acts["SY"]  # the May 2025 lifting, security measures kept
    assert "15 CFR 746.2" in acts["CU"] and "31 CFR Part 515" in acts["CU"]


UNENCODED = {
    "MM": "Myanmar",
    "VE": "Venezuela",
    "LY": "Libya",
    "SD": "Sudan",
    "SS": "South Sudan",
    "SO": "Somalia",
    "CF": "Central African Republic",
    "CD": "Democratic Republic of the Congo",
    "IQ": "Iraq",
    "LB": "Lebanon",
    "YE": "Yemen",
    "AF": "Afghanistan",
    "HT": "Haiti",
    "ZW": "Zimbabwe",
}


@pytest.mark.parametrize(("code", "name"), UNENCODED.items())
def test_countries_under_measures_the_rules_do_not_encode(code: str, name: str) -> None:
    found = DESTINATIONS.by_code(code)
    assert found is not None and found.restricted and not found.encoded
    assert found.russia_bans is RussiaBans.NONE and found.name == name
    assert found.unencoded_reason == f"no rules encoded for {name}: {found.measures}"
    assert found.measures and "arms" in found.measures
    basis = found.legal_basis
    assert ("Decision" in basis.act or "Common Position" in basis.act) and basis.url
    assert basis.url.startswith("https://eur-lex.europa.eu/eli/")


def test_the_unencoded_countries_are_exactly_those_checked() -> None:
    assert set(DESTINATIONS.unencoded) == set(UNENCODED)
    assert not set(DESTINATIONS.unencoded) & set(DESTINATIONS.countries)


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("Tverskaya 1, 125009 Moscow", "RU"),
        ("Москва", "RU"),
        ("Moskva", "RU"),
        ("Moskau", "RU"),
        ("St. Petersburg", "RU"),
        ("Saint Petersburg", "RU"),
        ("Sankt-Peterburg", "RU"),
        ("Санкт-Петербург", "RU"),
        ("ул. Тверская 1, г. Москва, 125009", "RU"),
        ("Minsk", "BY"),
        ("Мінск", "BY"),
        ("Минск", "BY"),
        ("Tehran", "IR"),
        ("Teheran", "IR"),
        ("تهران", "IR"),
        ("Pyongyang", "KP"),
        ("평양시 중구역", "KP"),
        ("Damascus", "SY"),
        ("دمشق، سوريا", "SY"),
        ("La Habana", "CU"),
        ("Havana", "CU"),
        ("Av. Urdaneta, Caracas, Venezuela", "VE"),
        ("Plaza Venezuela, Caracas", "VE"),
        ("Yangon", "MM"),
        ("Rangoon, Burma", "MM"),
        ("Kinshasa", "CD"),
        ("Kinshasa, Zaire", "CD"),
        ("Baghdad", "IQ"),
        ("Beirut, Lebanon", "LB"),
        ("Khartoum", "SD"),
        ("Tverskaya 1, Moscow, USSR", "RU"),
        ("Yalta", "UA-43"),
    ],
)
def test_cities_and_countries_named_in_addresses(address: str, code: str) -> None:
    assert [found.code for found in DESTINATIONS.in_address(address)] == [code]


def test_an_address_says_how_it_was_recognised() -> None:
    (moscow,) = DESTINATIONS.in_address("Tverskaya 1, 125009 Moscow")
    assert moscow.evidence == "moscow (GeoNames city Moscow in RU)" and moscow.restricted
    (soviet,) = DESTINATIONS.in_address("Leninsky prospekt 5, USSR")
    assert soviet.code == "RU" and soviet.evidence == "ussr (historical name of Russia)"
    (myanmar,) = DESTINATIONS.in_address("Yangon")
    assert myanmar.unencoded_reason is not None and myanmar.unencoded_reason.startswith("no rules encoded for Myanmar")


@pytest.mark.parametrize(
    "address",
    [
        "Berlin",
        "Paris",
        "Hauptstrasse 12, 70173 Stuttgart",
        "Mariahilfer Strasse 1, 1060 Wien",
        "London",
        "Springfield",
        "Victoria",
        "Alexandria, VA",
        "Valencia",  # Spain's and Venezuela's are of a size
        "Brest",  # France's and Belarus's
        "Santiago",
        "Minsk Mazowiecki",  # another city containing a restricted one's name
        "Friedrich-Engels-Str. 5, 01069 Dresden",  # Engels, a Russian city, as a street
        "Via Palmiro Togliatti 12, Roma",
        "12 Rue Carnot, 75017 Paris",
        "Avenida Cuba 12, Panama",
        "Marks & Spencer, Oxford Street, London",
    ],
)
def test_places_elsewhere_are_not_restricted(address: str) -> None:
    assert DESTINATIONS.in_address(address) == []


@pytest.mark.parametrize(
    "address",
    [
        "Moscow, Idaho 83843, USA",
        "Moscow, Idaho 83843",  # a US state and a ZIP code are the United States
        "Moscow, ID 83843",
        "St. Petersburg, FL 33701",
        "Tverskaya 1, Moscow, Kazakhstan",
        "Chita, Aichi, Japan",
        "Armavir, Armenia",
        "123 Main St, Lebanon, PA 17042, USA",  # Lebanon, a country, is a city in Pennsylvania too
        "Persia Trading LLC, Deira, Dubai, UAE",  # a historical name, outranked as a city is
    ],
)
def test_a_country_named_in_the_address_outranks_a_city_of_another(address: str) -> None:
    assert DESTINATIONS.in_address(address) == []


def test_the_partys_country_field_outranks_a_city_of_another_country() -> None:
    assert [r.code for r in DESTINATIONS.in_address("Moscow")] == ["RU"]
    assert DESTINATIONS.in_address("Moscow", country="US") == []
    assert [r.code for r in DESTINATIONS.in_address("Moscow", country="RU")] == ["RU"]
    # Names of destinations.yaml are not outranked: an occupied place stays restricted in "Ukraine".
    assert [r.code for r in DESTINATIONS.in_address("Simferopol", country="UA")] == ["UA-43"]
    assert [r.code for r in DESTINATIONS.in_address("Beirut, Lebanon", country="DE")] == ["LB"]


def test_cities_of_occupied_regions_come_from_geonames_too() -> None:
    (crimea,) = DESTINATIONS.in_address("Dzhankoi, Ukraine")  # not in destinations.yaml, a city of Crimea
    assert crimea.code == "UA-43" and crimea.restricted
    (donetsk,) = DESTINATIONS.in_address("Kramatorsk")  # Donetsk oblast, held by Ukraine: review
    assert donetsk.code == "UA-14" and not donetsk.restricted


def test_arms_embargo_regime() -> None:
    regime = RULES.regime("eu-arms-embargo")
    assert regime.kind is RegimeKind.EXPORT_BAN and regime.effect is Decision.PROHIBITED
    assert set(regime.applies_to) == {"RU", "BY", "IR", "KP"}  # Syria's ended in 2013; see coverage
    assert regime.authority == "EU" and "2014/512/CFSP" in regime.legal_basis.act
    assert all(f"ML{n} " in regime.coverage for n in range(1, 23))
    assert "C/2024/1945" in regime.coverage
    codes = {rule.code: rule for rule in regime.rules}
    assert set(codes) == {"9301", "9302", "9303", "9304", "9305", "9306", "9307", "8710", "890610", "8802", "8806"}
    assert {code for code, rule in codes.items() if rule.ex} == {"9304", "9307", "8802", "8806"}
    found = [m for m in RULES.matches("930690") if m.regime.id == "eu-arms-embargo"]
    assert [(m.rule.code, m.coverage) for m in found] == [("9306", Coverage.FULL)]
    drone = [m for m in RULES.matches("880699") if m.regime.id == "eu-arms-embargo"]
    assert [(m.rule.code, m.coverage) for m in drone] == [("8806", Coverage.PART_OF_CODE)]
    assert [m.rule.code for m in RULES.matches("890610") if m.regime.id == "eu-arms-embargo"] == ["890610"]
    assert not [m for m in RULES.matches("890690") if m.regime.id == "eu-arms-embargo"]  # other vessels
