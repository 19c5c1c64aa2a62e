"""OFAC advanced XML (and enhanced XML) against the real Consolidated list files."""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from functools import partial
from pathlib import Path

import pytest

from clearance.lists.ofac_advanced import _period, parse_advanced, parse_enhanced
from clearance.lists.source import ParsedList
from clearance.model import (
    Address,
    DateOfBirth,
    Entity,
    EntityKind,
    Gender,
    Identifier,
    IdentifierType,
    Name,
    NameQuality,
    PartialDate,
)
from tests.lists.conftest import Fails, Variant

CONS_XML = "ofac/xml/cons_advanced_2020-03-17.xml"


@pytest.fixture(scope="module")
def cons_path(lists_dir: Path) -> Path:
    return lists_dir / CONS_XML


@pytest.fixture(scope="module")
def cons(cons_path: Path) -> ParsedList:
    return parse_advanced("ofac-cons", cons_path)


@pytest.fixture(scope="module")
def by_id(cons: ParsedList) -> dict[str, Entity]:
    return {entity.id: entity for entity in cons.entities}


@pytest.fixture(scope="module")
def enhanced_path(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("enhanced")
    with zipfile.ZipFile(lists_dir / "ofac/cons_csv_2025-12-19/CONS_ENHANCED.ZIP") as archive:
        archive.extract("CONS_ENHANCED.XML", folder)
    return folder / "CONS_ENHANCED.XML"


@pytest.fixture(scope="module")
def enhanced(enhanced_path: Path) -> dict[str, Entity]:
    return {entity.id: entity for entity in parse_enhanced("ofac-cons", enhanced_path).entities}


def test_count_matches_distinct_parties(cons: ParsedList, cons_path: Path) -> None:
    raw = cons_path.read_text(encoding="utf-8")
    refs = re.findall(r'<DistinctParty FixedRef="(\d+)"', raw)
    assert len(refs) == 375
    assert len(cons.entities) == len(refs)
    assert [e.id for e in cons.entities] == [f"ofac-cons:{ref}" for ref in refs]


def test_published_and_files(cons: ParsedList, cons_path: Path) -> None:
    assert cons.source == "ofac-cons"
    assert cons.files == (cons_path,)
    assert cons.published == dt.datetime(2020, 3, 17, tzinfo=dt.UTC)


def test_kinds_follow_party_subtypes(cons: ParsedList, cons_path: Path) -> None:
    raw = cons_path.read_text(encoding="utf-8")
    individuals = len(re.findall(r'<Profile ID="\d+" PartySubTypeID="4"', raw))
    assert sum(e.kind is EntityKind.PERSON for e in cons.entities) == individuals
    assert sum(e.kind is EntityKind.ORGANIZATION for e in cons.entities) == len(cons.entities) - individuals


def test_every_document_and_birthdate_is_kept(cons: ParsedList, cons_path: Path) -> None:
    raw = cons_path.read_text(encoding="utf-8")
    documents = len(re.findall(r"<IDRegDocument ID=", raw))
    birthdates = len(re.findall(r'<Feature ID="\d+" FeatureTypeID="8">', raw))
    kept = [i for e in cons.entities for i in e.identifiers if i.label not in ("SWIFT/BIC", "BIK (RU)")]
    assert len(kept) == documents == 573
    assert sum(len(e.dates_of_birth) for e in cons.entities) == birthdates == 77


def test_programmes_are_the_program_measures(cons: ParsedList, cons_path: Path) -> None:
    raw = cons_path.read_text(encoding="utf-8")
    programmes = set(re.findall(r'SanctionsTypeID="1">\s*<Comment>([^<]+)</Comment>', raw))
    assert {p for e in cons.entities for p in e.programmes} == programmes
    assert all(e.programmes and e.listed_on for e in cons.entities)


def test_ids_are_the_legacy_csv_ent_nums(by_id: dict[str, Entity], lists_dir: Path) -> None:
    with (lists_dir / "ofac/cons_csv_2025-12-19/cons_prim.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row[0].strip(): row for row in csv.reader(handle) if row and row[0].strip().isdigit()}
    common = {key.split(":", 1)[1] for key in by_id} & set(rows)
    assert len(common) == 365
    for ent_num in ("9639", "9640", "9659", "9668", "15268"):
        assert by_id[f"ofac-cons:{ent_num}"].name == rows[ent_num][1]


def test_person_with_birth_date_and_passport(by_id: dict[str, Entity]) -> None:
    entity = by_id["ofac-cons:26182"]
    assert entity.kind is EntityKind.PERSON
    assert entity.names == (
        Name(full="KAYAKIRAN, Evren", quality=NameQuality.PRIMARY, first="Evren", last="KAYAKIRAN", script="Latn"),
    )
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1980, month=2, day=8)),)
    assert entity.citizenships == ("TR",)
    assert entity.gender is Gender.MALE
    assert entity.addresses == (Address(country="TR"),)
    assert entity.identifiers == (
        Identifier(type=IdentifierType.PASSPORT, value="U00242309", country="TR", label="Passport"),
    )
    assert entity.programmes == ("FSE-IR",)
    assert entity.sub_list == "FSE List"
    assert entity.listed_on == dt.date(2019, 2, 7)
    assert entity.source_url == "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=26182"


def test_organisation_with_registration_number(by_id: dict[str, Entity]) -> None:
    entity = by_id["ofac-cons:23552"]
    assert entity.kind is EntityKind.ORGANIZATION
    assert entity.name == "LENGIPRONEFTEKHIM OOO"
    assert Name(full="LLC LENGIPRONEFTEKHIM", script="Latn") in entity.names
    assert len(entity.names) == 4
    assert entity.identifiers == (
        Identifier(
            type=IdentifierType.REGISTRATION,
            value="1057803105755",
            country="RU",
            label="Registration ID",
            note="Issuing Authority OGRN",
        ),
        Identifier(
            type=IdentifierType.TAX_ID,
            value="7810327462",
            country="RU",
            label="Tax ID No.",
            note="Issuing Authority INN",
        ),
    )
    assert entity.nationalities == ("RU",)
    assert entity.addresses == (
        Address(street="D. 94, Obvodnogo Kanala, nab", city="St. Petersburg", postal_code="196084", country="RU"),
    )
    assert entity.linked_to == ("SURGUTNEFTEGAS",)
    assert entity.programmes == ("UKRAINE-EO13662",)
    assert entity.sub_list == "Sectoral Sanctions Identifications List"
    assert entity.listed_on == dt.date(2018, 1, 26)
    assert entity.remarks is not None
    assert entity.remarks.startswith(
        "Email Address lgnch@lgnch.spb.ru; Executive Order 13662 Directive Determination - Subject to Directive 4; "
    )


def test_programme_listing_date_and_year_of_birth(by_id: dict[str, Entity]) -> None:
    entity = by_id["ofac-cons:9639"]
    assert [(n.full, n.quality) for n in entity.names] == [
        ("HANIYA, Ismail Abdul Salah", NameQuality.PRIMARY),
        ("HANIYA, Ismail", NameQuality.STRONG),
        ("HANIYYA, Ismaeel", NameQuality.STRONG),
    ]
    assert entity.names[0].first == "Ismail Abdul Salah"
    assert entity.names[0].last == "HANIYA"
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1962)),)
    assert entity.places_of_birth == (Address(full="Shati"),)
    assert entity.programmes == ("NS-PLC",)
    assert entity.sub_list == "Non-SDN Palestinian Legislative Council List"
    assert entity.listed_on == dt.date(2006, 4, 12)
    assert entity.addresses == ()


def test_former_names_swift_and_remarks(by_id: dict[str, Entity]) -> None:
    entity = by_id["ofac-cons:15268"]
    assert entity.name == "BANK OF KUNLUN CO LTD"
    assert [n.full for n in entity.names if n.quality is NameQuality.FORMER] == [
        "KARAMAY URBAN CREDIT COOPERATIVES",
        "KARAMAY CITY COMMERCIAL BANK CO LTD.",
    ]
    assert entity.identifiers == (Identifier(type=IdentifierType.SWIFT_BIC, value="CKLBCNBJ", label="SWIFT/BIC"),)
    assert entity.programmes == ("561-Related",)
    assert entity.sub_list == "CAPTA List"
    assert entity.listed_on == dt.date(2014, 10, 10)
    assert len(entity.addresses) == 4
    assert entity.addresses[1] == Address(
        street="9 Dongzhimen North Street, Dongcheng District, (Head Office)",
        city="Beijing",
        postal_code="100007",
        country="CN",
    )
    assert entity.remarks is not None
    assert entity.remarks.startswith("United States financial institutions are prohibited")


def test_low_quality_alias_is_weak_and_country_of_place_of_birth(by_id: dict[str, Entity]) -> None:
    weak = [n.full for n in by_id["ofac-cons:18769"].names if n.quality is NameQuality.WEAK]
    assert weak == ["VYSOKOTOCHNYE KOMPLEKSY", "HIGH PRECISION SYSTEMS"]
    assert by_id["ofac-cons:9659"].places_of_birth == (Address(full="Jabaliya, Gaza Strip", country="PS"),)
    assert by_id["ofac-cons:9659"].programmes == ("NS-PLC", "SDGT")
    assert by_id["ofac-cons:9659"].sub_list == "Non-SDN Palestinian Legislative Council List; SDN List"


# --- bad input (the kinds every parser meets are in test_bad_input.py) -------------------------

_parse_cons = partial(parse_advanced, "ofac-cons")


def test_sdn_source_refuses_the_consolidated_file(cons_path: Path, fails: Fails) -> None:
    fails(partial(parse_advanced, "ofac-sdn"), cons_path, "not a ofac-sdn file")


def test_legacy_sdn_xml_is_refused(lists_dir: Path, fails: Fails) -> None:
    fails(_parse_cons, lists_dir / "ofac/xml/sdn_xml_excerpt_2020-10-29.xml", "not a ofac-cons file")


def test_enhanced_file_is_refused_by_the_advanced_parser(enhanced_path: Path, fails: Fails) -> None:
    fails(_parse_cons, enhanced_path, "not a ofac-cons file")


def test_sanctions_root_without_parties(tmp_path: Path, fails: Fails) -> None:
    path = tmp_path / "cons_advanced.xml"
    path.write_text('<Sanctions xmlns="http://www.un.org/sanctions/1.0" Version="3"/>', encoding="utf-8")
    fails(_parse_cons, path, "not a ofac-cons file")


def test_dangling_reference_names_record_and_field(cons_path: Path, variant: Variant, fails: Fails) -> None:
    path = variant(cons_path, '<Feature ID="30602" FeatureTypeID="8">', '<Feature ID="30602" FeatureTypeID="7">')
    error = fails(_parse_cons, path, "unknown FeatureType reference")
    assert error.record == "26182"
    assert error.field == "FeatureTypeID"


def test_duplicate_party_is_refused(cons_path: Path, variant: Variant, fails: Fails) -> None:
    party = re.search(
        r'    <DistinctParty FixedRef="26182">.*?</DistinctParty>\n', cons_path.read_text(encoding="utf-8"), re.DOTALL
    )
    assert party is not None
    error = fails(_parse_cons, variant(cons_path, party.group(0), party.group(0) * 2), "duplicate DistinctParty")
    assert error.record == "26182"


def test_invalid_birth_date_is_kept_as_text(cons_path: Path, variant: Variant) -> None:
    party = re.search(
        r'<DistinctParty FixedRef="26182">.*?</DistinctParty>', cons_path.read_text(encoding="utf-8"), re.DOTALL
    )
    assert party is not None
    path = variant(cons_path, party.group(0), party.group(0).replace("<Day>8</Day>", "<Day>31</Day>"))
    entity = next(e for e in parse_advanced("ofac-cons", path).entities if e.id == "ofac-cons:26182")
    assert entity.dates_of_birth == (DateOfBirth(text="1980-02-31"),)


# --- enhanced XML ----------------------------------------------------------------------------


def test_enhanced_count_and_date(enhanced_path: Path, enhanced: dict[str, Entity]) -> None:
    raw = enhanced_path.read_text(encoding="utf-8")
    ids = re.findall(r'<entity id="(\d+)"', raw)
    assert len(ids) == 443
    assert list(enhanced) == [f"ofac-cons:{i}" for i in ids]
    published = parse_enhanced("ofac-cons", enhanced_path).published
    assert published == dt.datetime(2025, 1, 10, tzinfo=dt.UTC)


def test_enhanced_person(enhanced: dict[str, Entity]) -> None:
    entity = enhanced["ofac-cons:50476"]
    assert entity.kind is EntityKind.PERSON
    assert [(n.full, n.quality) for n in entity.names] == [
        ("MARTELLY, Michel Joseph", NameQuality.PRIMARY),
        ("MARTELLY, Michael", NameQuality.STRONG),
        ("Sweet Micky", NameQuality.WEAK),
    ]
    assert (entity.names[0].first, entity.names[0].middle, entity.names[0].last) == ("Michel", "Joseph", "Martelly")
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1961, month=2, day=12)),)
    assert entity.places_of_birth == (Address(full="Port-au-Prince, Haiti", country="HT"),)
    assert entity.nationalities == ("HT",)
    assert entity.gender is Gender.MALE
    assert entity.addresses[0] == Address(city="Miami", region="FL", country="US")
    assert entity.addresses[3] == Address(country="DO")
    assert entity.identifiers == (
        Identifier(type=IdentifierType.NATIONAL_ID, value="0032768386", country="HT", label="National ID No."),
        Identifier(type=IdentifierType.OTHER, value="M634550610520", country="US", label="Driver's License No."),
    )
    assert entity.programmes == ("ILLICIT-DRUGS-EO14059",)
    assert entity.listed_on == dt.date(2024, 8, 20)


def test_enhanced_and_advanced_agree_on_a_party(enhanced: dict[str, Entity], by_id: dict[str, Entity]) -> None:
    assert enhanced["ofac-cons:9639"] == by_id["ofac-cons:9639"]
    assert enhanced["ofac-cons:18267"].linked_to == ("OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY",)


def test_enhanced_file_refused_as_sdn(enhanced_path: Path, fails: Fails) -> None:
    fails(partial(parse_enhanced, "ofac-sdn"), enhanced_path, "not a ofac-sdn file")


def test_enhanced_parser_refuses_the_advanced_file(cons_path: Path, fails: Fails) -> None:
    fails(partial(parse_enhanced, "ofac-cons"), cons_path, "not a ofac-cons file")


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ((1962, 1, 1), (1962, 12, 31), DateOfBirth(date=PartialDate(year=1962))),
        ((1958, 1, 1), (1960, 12, 31), DateOfBirth(start=PartialDate(year=1958), end=PartialDate(year=1960))),
        ((1970, 2, 1), (1970, 2, 28), DateOfBirth(date=PartialDate(year=1970, month=2))),
        ((1980, 2, 8), (1980, 2, 8), DateOfBirth(date=PartialDate(year=1980, month=2, day=8))),
        (
            (1980, 2, 8),
            (1980, 3, 9),
            DateOfBirth(start=PartialDate(year=1980, month=2, day=8), end=PartialDate(year=1980, month=3, day=9)),
        ),
    ],
)
def test_date_periods_fold_back_to_their_precision(
    low: tuple[int, int, int], high: tuple[int, int, int], expected: DateOfBirth
) -> None:
    assert _period(low, high, False) == expected
    assert _period(low, high, True).circa
