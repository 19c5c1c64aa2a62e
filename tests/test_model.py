"""Invariants of the entity model and the shared parsing helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from clearance.countries import to_iso2
from clearance.lists.dates import parse_dob
from clearance.model import DateOfBirth, Entity, EntityKind, Name, PartialDate
from clearance.scripts import detect_script


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)), st.integers(0, 2))
def test_partial_dates_round_trip(day: dt.date, precision: int) -> None:
    date = PartialDate(year=day.year, month=day.month if precision else None, day=day.day if precision == 2 else None)
    assert PartialDate.parse(str(date)) == date
    assert parse_dob(str(date)) == DateOfBirth(date=date)


def test_impossible_dates_are_refused() -> None:
    with pytest.raises(ValidationError):
        PartialDate(year=1954, month=2, day=30)
    with pytest.raises(ValidationError):
        PartialDate(year=1954, day=3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 Aug 1954", "1954-08-30"),
        ("circa 1960", "circa 1960"),
        ("1958 to 1960", "1958..1960"),
        ("dd/mm/1970", "1970"),
        ("12/03/1980", "1980-03-12"),
        ("Aug 1960", "1960-08"),
        ("unknown", "unknown"),
    ],
)
def test_birth_dates_as_lists_write_them(text: str, expected: str) -> None:
    assert str(parse_dob(text)) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Belarus", "BY"),
        ("Russian Federation", "RU"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Korea, North", "KP"),
        ("Soviet Union", "SU"),
        ("Crimea", "UA"),
        ("ru", "RU"),
        ("00", None),
        ("Atlantis", None),
    ],
)
def test_country_names_to_iso2(text: str, code: str | None) -> None:
    assert to_iso2(text) == code


@given(st.text(max_size=40))
def test_country_lookup_is_idempotent(text: str) -> None:
    code = to_iso2(text)
    if code is not None:
        assert to_iso2(code) == code


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Лукашенко", "Cyrl"),
        ("محمد", "Arab"),
        ("金正恩", "Hani"),
        ("김정은", "Hang"),
        ("Lukashenka", "Latn"),
        ("123", None),
    ],
)
def test_scripts(text: str, script: str | None) -> None:
    assert detect_script(text) == script


def test_entities_are_frozen_and_need_a_name() -> None:
    entity = Entity(id="un:KPi.033", source="un", kind=EntityKind.PERSON, names=(Name(full="Kim"),))
    with pytest.raises(ValidationError):
        entity.kind = EntityKind.VESSEL  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Entity(id="un:KPi.033", source="un", kind=EntityKind.PERSON, names=())
    with pytest.raises(ValidationError):
        Entity(id="KPi.033", source="un", kind=EntityKind.PERSON, names=(Name(full="Kim"),))
