"""The UK Sanctions List parser against the real FCDO excerpt (4 designations)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from clearance.lists import uk
from clearance.model import (
    Address,
    DateOfBirth,
    Entity,
    EntityKind,
    Identifier,
    IdentifierType,
    Name,
    NameQuality,
    PartialDate,
)
from tests.lists.conftest import Fails, Variant

EXCERPT = "uk/uk_sanctions_list_excerpt_2026-08-14.xml"


@pytest.fixture(scope="module")
def excerpt(lists_dir: Path) -> Path:
    return lists_dir / EXCERPT


@pytest.fixture(scope="module")
def entities(excerpt: Path) -> dict[str, Entity]:
    return {entity.id: entity for entity in uk.parse(excerpt).entities}


def test_source_is_registered_with_the_official_download() -> None:
    assert uk.SOURCE.name == "uk"
    assert uk.SOURCE.downloads[0].url == "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
    assert uk.SOURCE.downloads[0].filename == "UK-Sanctions-List.xml"


def test_count_matches_designation_elements(excerpt: Path, entities: dict[str, Entity]) -> None:
    raw = excerpt.read_text(encoding="utf-8")
    assert len(entities) == len(re.findall(r"<Designation>", raw)) == 4


def test_every_name_element_becomes_a_name(excerpt: Path, entities: dict[str, Entity]) -> None:
    raw = excerpt.read_text(encoding="utf-8")
    latin = len(re.findall(r"<Name>", raw))
    non_latin = len(re.findall(r"<NameNonLatinScript>", raw))
    assert latin == 14
    assert sum(len(entity.names) for entity in entities.values()) == latin + non_latin


def test_published_and_files(excerpt: Path) -> None:
    parsed = uk.parse(excerpt)
    assert parsed.source == "uk"
    assert parsed.files == (excerpt,)
    assert parsed.published == dt.datetime(2026, 8, 14, 23, 0, 4, 744000, tzinfo=dt.UTC)


def test_kinds(entities: dict[str, Entity]) -> None:
    assert entities["uk:AFG0011"].kind is EntityKind.PERSON
    assert entities["uk:AQD0128"].kind is EntityKind.PERSON
    assert entities["uk:AQD0377"].kind is EntityKind.ORGANIZATION
    assert entities["uk:DPR0075"].kind is EntityKind.VESSEL


def test_afg0011_names(entities: dict[str, Entity]) -> None:
    names = entities["uk:AFG0011"].names
    assert names[0] == Name(
        full="ABDUL LATIF MANSUR",
        quality=NameQuality.PRIMARY,
        first="ABDUL",
        middle="LATIF",
        last="MANSUR",
        script="Latn",
    )
    assert names[1] == Name(
        full="Abdul Latif MANSOOR",
        quality=NameQuality.STRONG,
        first="Abdul",
        middle="Latif",
        last="MANSOOR",
        script="Latn",
    )
    assert names[2] == Name(full="Wali MOHAMMAD", first="Wali", last="MOHAMMAD", script="Latn")
    assert names[3] == Name(full="عبد اللطيف منصور", script="Arab")
    assert len(names) == 4
    assert entities["uk:AFG0011"].name == "ABDUL LATIF MANSUR"


def test_afg0011_dates_of_birth_are_partial_and_deduplicated(entities: dict[str, Entity]) -> None:
    assert entities["uk:AFG0011"].dates_of_birth == (
        DateOfBirth(date=PartialDate(year=1968)),
        DateOfBirth(date=PartialDate(year=1967, month=11, day=12)),
    )


def test_afg0011_places_nationality_address(entities: dict[str, Entity]) -> None:
    entity = entities["uk:AFG0011"]
    assert entity.places_of_birth == (
        Address(
            full="Zurmat District, Paktia Province, Afghanistan", city="Zurmat District, Paktia Province", country="AF"
        ),
        Address(
            full="Garda Saray District, Paktia Province, Afghanistan",
            city="Garda Saray District, Paktia Province",
            country="AF",
        ),
        Address(country="AF"),
    )
    assert entity.nationalities == ("AF",)
    assert entity.addresses == (Address(full="Darul Aman, Kabul, Afghanistan", country="AF"),)


def test_afg0011_passports(entities: dict[str, Entity]) -> None:
    assert entities["uk:AFG0011"].identifiers == (
        Identifier(
            type=IdentifierType.PASSPORT,
            value="D0009720",
            label="Passport",
            note="Afghanistan diplomatic passport number D0009720, issued on 12 Oct. 2021 issued in Kabul, "
            "Afghanistan, expires 12 Oct. 2026 (Name in Latin script: ABDUL LATIF MANSOOR)",
        ),
        Identifier(
            type=IdentifierType.PASSPORT,
            value="D0010442",
            label="Passport",
            note="Afghanistan diplomatic passport D0010442, issued on 13 Nov. 2024, expires 13 Nov. 2029",
        ),
    )


def test_afg0011_regime_listing_positions(entities: dict[str, Entity]) -> None:
    entity = entities["uk:AFG0011"]
    assert entity.programmes == ("The Afghanistan (Sanctions) (EU Exit) Regulations 2020",)
    assert entity.listed_on == dt.date(2001, 1, 31)
    assert entity.positions == ("Maulavi", "Minister of Agriculture under the previous Taliban regime (1996-2001)")
    assert entity.gender is None
    assert entity.sub_list is None


def test_afg0011_remarks_keep_other_information_not_last_updated(entities: dict[str, Entity]) -> None:
    remarks = entities["uk:AFG0011"].remarks
    assert remarks is not None
    assert remarks.startswith("Taliban Shadow Governor for Logar Province as of late 2012.")
    assert "Sanctions imposed: Asset freeze, Travel Ban" in remarks
    assert "UN reference: TAi.007" in remarks
    assert "29/04/2026" not in remarks
    assert "2026-04-29" not in str(entities["uk:AFG0011"].to_json())


def test_aqd0128_alias_strength_and_partial_dates(entities: dict[str, Entity]) -> None:
    entity = entities["uk:AQD0128"]
    assert [(n.full, n.quality) for n in entity.names] == [
        ("AKRAM TURKI HISHAN AL-MAZIDIH", NameQuality.PRIMARY),
        ("Abu Akram", NameQuality.WEAK),
        ("Akram Turki Al-Hishan", NameQuality.STRONG),
        ("Abu Jarrah", NameQuality.WEAK),
        ("أكرم تركي هاشم المزيده", NameQuality.STRONG),
    ]
    assert entity.names[0].middle == "TURKI HISHAN"
    assert [str(d) for d in entity.dates_of_birth] == ["1974", "1975", "1979", "1958-09", "1985"]
    assert entity.addresses == (
        Address(country="IQ"),
        Address(full="Deir ez-Zor Governorate, Syria", country="SY"),
    )
    assert entity.identifiers == (
        Identifier(
            type=IdentifierType.NATIONAL_ID, value="0075258", label="National identifier", note="Ration card no."
        ),
    )
    assert entity.listed_on == dt.date(2010, 3, 11)


def test_aqd0377_entity_with_cyrillic_name(entities: dict[str, Entity]) -> None:
    entity = entities["uk:AQD0377"]
    assert entity.name == "Khatiba al-Tawhid wal-Jihad (KTJ)"
    assert entity.names[-1] == Name(full="Катиба ат-Таухид валь-Джихад", script="Cyrl")
    assert entity.names[2].full == "Jannat Oshiklari"
    assert entity.names[2].first is None and entity.names[2].last is None
    assert entity.remarks is not None and "Type of entity: Terrorist Group" in entity.remarks
    assert entity.listed_on == dt.date(2022, 3, 7)


def test_dpr0075_ship(entities: dict[str, Entity]) -> None:
    entity = entities["uk:DPR0075"]
    assert [n.full for n in entity.names] == ["Petrel 8", "Jal Vahini", "Jal_Vahini", "Tian Tai 36"]
    assert entity.names[0].quality is NameQuality.PRIMARY
    assert entity.identifiers == (Identifier(type=IdentifierType.IMO, value="9562233", label="IMO number"),)
    assert entity.flag == "KM"
    assert entity.linked_to == ("Global United Shipping India",)
    assert entity.listed_on == dt.date(2017, 10, 3)
    assert entity.programmes == ("The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019",)
    assert entity.remarks is not None
    assert "Previous flags: India" in entity.remarks
    assert "Type of ship: Bulk Carrier" in entity.remarks
    assert "Sanctions imposed: Prohibition of port entry" in entity.remarks
    assert entity.dates_of_birth == ()


def test_parse_is_deterministic(excerpt: Path) -> None:
    assert uk.parse(excerpt).entities == uk.parse(excerpt).entities


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        pytest.param(
            "<UniqueID>AQD0128</UniqueID>", "", "record #2, field UniqueID", id="designation-without-unique-id"
        ),
        pytest.param(
            "<IndividualEntityShip>Ship<",
            "<IndividualEntityShip>Aircraft<",
            "record DPR0075, field IndividualEntityShip",
            id="unknown-kind",
        ),
        pytest.param("<UniqueID>AQD0128<", "<UniqueID>AFG0011<", "record AFG0011", id="duplicate-unique-id"),
        pytest.param(
            "<DateDesignated>03/10/2017<",
            "<DateDesignated>03/13/2017<",
            "record DPR0075, field DateDesignated",
            id="unreadable-listing-date",
        ),
    ],
)
def test_broken_value_is_located(excerpt: Path, variant: Variant, fails: Fails, old: str, new: str, said: str) -> None:
    fails(uk.parse, variant(excerpt, old, new), said)
