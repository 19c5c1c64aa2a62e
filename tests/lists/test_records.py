"""The helpers every parser shares: record errors, repeats dropped, the collector paused."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.gcpause import gc_paused
from clearance.lists.records import Record, unique
from clearance.model import Address, Entity, EntityKind, Name

RECORD = Record("un", Path("/lists/consolidated.xml"), "KPi.033")


def test_fail_names_source_file_record_and_field() -> None:
    error = RECORD.fail("LISTED_ON", "unreadable date '30 Nowember'")
    assert str(error) == "un: /lists/consolidated.xml, record KPi.033, field LISTED_ON: unreadable date '30 Nowember'"
    assert (error.source, error.record, error.field) == ("un", "KPi.033", "LISTED_ON")


def test_build_returns_the_model() -> None:
    assert RECORD.build(Address, "ADDRESS", city="Pyongyang", country="KP") == Address(city="Pyongyang", country="KP")


def test_build_names_the_field_and_what_the_model_refused() -> None:
    with pytest.raises(ListFormatError) as caught:
        RECORD.build(Address, "INDIVIDUAL_ADDRESS", city="Pyongyang", country="North Korea")
    assert caught.value.record == "KPi.033"
    assert caught.value.field == "INDIVIDUAL_ADDRESS"
    assert "invalid Address.country: Value error, not an ISO 3166 alpha-2 code: 'NORTH KOREA'" in str(caught.value)


def test_build_of_a_whole_record_names_the_model_at_fault() -> None:
    def entity() -> Entity:
        return Entity(id="un:KPi.033", source="un", kind=EntityKind.PERSON, names=(Name(full=" "),))

    with pytest.raises(ListFormatError) as caught:
        RECORD.build(entity, None)
    assert caught.value.field is None
    assert str(caught.value).endswith("record KPi.033: invalid Name.full: Value error, name is empty")


def test_unique_keeps_the_first_of_each_in_order() -> None:
    assert unique(["b", "a", "b", "c", "a"]) == ("b", "a", "c")
    assert unique(iter(["x", "x"])) == ("x",)
    assert unique([]) == ()


def test_gc_paused_nests_and_restores() -> None:
    assert gc.isenabled()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_gc_paused_as_a_decorator() -> None:
    @gc_paused()
    def parse() -> bool:
        return gc.isenabled()

    assert parse() is False
    assert gc.isenabled()
