"""Restricted destinations from country fields and from the place names of addresses, Latin and Cyrillic."""

from __future__ import annotations

import pytest

from clearance.goods.destinations import RussiaBans
from clearance.goods.rules import load_rules

DESTINATIONS = load_rules().destinations


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
