"""The EU FSF (XML v1.1) parser, on the real excerpt of the EU export and its XSD."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clearance.lists import eu
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

EXCERPT = "eu_fsf_1_1_excerpt_2026-08-05.xml"


@pytest.fixture(scope="module")
def excerpt(lists_dir: Path) -> Path:
    return lists_dir / "eu" / EXCERPT


@pytest.fixture(scope="module")
def entities(excerpt: Path) -> dict[str, Entity]:
    return {e.id: e for e in eu.parse(excerpt).entities}


def test_counts_match_the_records_in_the_file(excerpt: Path) -> None:
    data = excerpt.read_text(encoding="utf-8")
    parsed = eu.parse(excerpt)
    assert len(parsed.entities) == len(re.findall(r"<sanctionEntity\b", data)) == 4
    assert [e.id for e in parsed.entities] == ["eu:13", "eu:191", "eu:980", "eu:330"]
    assert sum(len(e.names) for e in parsed.entities) == len(re.findall(r"<nameAlias\b", data)) == 23
    assert sum(len(e.dates_of_birth) for e in parsed.entities) == len(re.findall(r"<birthdate\b", data)) == 3
    assert sum(len(e.addresses) for e in parsed.entities) == len(re.findall(r"<address\b", data)) == 13
    assert sum(len(e.identifiers) for e in parsed.entities) == len(re.findall(r"<identification\b", data)) == 1
    assert sum(len(e.citizenships) for e in parsed.entities) == len(re.findall(r"<citizenship\b", data)) == 1
    assert parsed.files == (excerpt,)


def test_published_is_the_generation_date(excerpt: Path) -> None:
    published = eu.parse(excerpt).published
    assert published == dt.datetime(2026, 8, 5, 16, 47, 4, 449000, tzinfo=dt.timezone(dt.timedelta(hours=2)))


def test_saddam_hussein_field_by_field(entities: dict[str, Entity]) -> None:
    entity = entities["eu:13"]
    assert entity.source == "eu"
    assert entity.kind is EntityKind.PERSON
    assert entity.names == (
        Name(
            full="Saddam Hussein Al-Tikriti",
            quality=NameQuality.PRIMARY,
            first="Saddam",
            last="Hussein Al-Tikriti",
            script="Latn",
        ),
        Name(full="Abu Ali", quality=NameQuality.STRONG, script="Latn"),
        Name(full="Abou Ali", quality=NameQuality.STRONG, script="Latn", lang="fr"),
    )
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1937, month=4, day=28)),)
    assert entity.places_of_birth == (Address(city="al-Awja, near Tikrit", country="IQ"),)
    assert entity.citizenships == ("IQ",)
    assert entity.nationalities == ()
    assert entity.addresses == ()
    assert entity.identifiers == ()
    assert entity.programmes == ("IRQ",)
    assert entity.listed_on is None
    assert entity.gender is Gender.MALE
    assert entity.positions == ()
    assert entity.remarks == "UNSC RESOLUTION 1483"
    assert entity.source_url == "http://eur-lex.europa.eu/LexUriServ/LexUriServ.do?uri=OJ:L:2003:169:0006:0023:EN:PDF"
    assert entity.name == "Saddam Hussein Al-Tikriti"


def test_cyrillic_alias(entities: dict[str, Entity]) -> None:
    alias = entities["eu:330"].names[3]
    assert alias == Name(
        full="Организация за подпомагане на Ulema, Пакистан", quality=NameQuality.STRONG, script="Cyrl", lang="bg"
    )


def test_primary_prefers_the_split_name(entities: dict[str, Entity]) -> None:
    entity = entities["eu:191"]
    assert [n.quality for n in entity.names].count(NameQuality.PRIMARY) == 1
    assert entity.name == "Khalid Sheikh MOHAMMED"
    assert entity.names[5] == Name(
        full="Khalid Sheikh MOHAMMED",
        quality=NameQuality.PRIMARY,
        first="Khalid Sheikh",
        last="MOHAMMED",
        script="Latn",
        lang="en",
    )
    assert entity.names[0] == Name(full="Bin Khalid Fahd Bin Adballah", script="Latn", lang="fr")


def test_unknown_country_and_placeholder_city(entities: dict[str, Entity]) -> None:
    entity = entities["eu:191"]
    assert entity.identifiers == (Identifier(type=IdentifierType.PASSPORT, value="488555", label="National passport"),)
    assert entity.places_of_birth == (Address(country="PK"),)
    assert entity.dates_of_birth == (
        DateOfBirth(date=PartialDate(year=1965, month=4, day=14)),
        DateOfBirth(date=PartialDate(year=1964, month=3, day=1)),
    )
    assert entity.programmes == ("TERR",)
    assert entity.gender is Gender.MALE


def test_enterprise_with_addresses(entities: dict[str, Entity]) -> None:
    entity = entities["eu:980"]
    assert entity.kind is EntityKind.ORGANIZATION
    assert entity.names == (Name(full="Global Relief Foundation (GRF)", quality=NameQuality.PRIMARY, script="Latn"),)
    assert entity.addresses == (
        Address(city="Bridgeview, Illinois", postal_code="PO Box 1406 - 60455", country="US"),
        Address(
            street="9935 South 76th Avenue, Unit 1", city="Bridgeview, Illinois", postal_code="60455", country="US"
        ),
    )
    assert entity.programmes == ("TAQA",)
    assert entity.gender is None


def test_designation_date_contacts_and_alias_remark(entities: dict[str, Entity]) -> None:
    entity = entities["eu:330"]
    assert entity.listed_on == dt.date(2001, 10, 6)
    assert entity.addresses[0] == Address(
        street="302b-40 Good Earth Court, Opposite Pia Planitarium, Block 13a, Gushan-I Igbal",
        city="Karachi",
        country="PK",
        full="302b-40 Good Earth Court, Opposite Pia Planitarium, Block 13a, Gushan-I Igbal, Karachi, PAKISTAN; "
        "phone 497 92 63",
    )
    assert entity.addresses[1] == Address(street="Kitas Ghar, Nazimabad 4, Dahgel-Iftah", city="Karachi", country="PK")
    assert entity.remarks is not None
    assert entity.remarks.startswith("Banned in Pakistan since October 2001. Reportedly defunct.")
    assert entity.remarks.endswith("The two entries were consolidated into this entry on 21 October 2008.")


def test_partial_birth_date_attributes(excerpt: Path, variant: Variant) -> None:
    path = variant(excerpt, 'birthdate="1937-04-28"', "")
    entity = {e.id: e for e in eu.parse(path).entities}["eu:13"]
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1937, month=4, day=28)),)
    path = variant(excerpt, 'circa="false" calendarType="GREGORIAN" city="al-Awja', 'circa="true" city="al-Awja')
    entity = {e.id: e for e in eu.parse(path).entities}["eu:13"]
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1937, month=4, day=28), circa=True),)


def test_xsd_classifies_subjects_as_person_or_enterprise(lists_dir: Path) -> None:
    schema = ET.parse(lists_dir / "eu" / "eu_fsf_schema_1_1.xsd").getroot()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    simple = next(e for e in schema.iter(f"{xs}simpleType") if e.get("name") == "SubjectTypeClassificationCodeType")
    assert {e.get("value") for e in simple.iter(f"{xs}enumeration")} == {"P", "E"}


def test_folder_holding_eu_fsf_xml(excerpt: Path, tmp_path: Path) -> None:
    shutil.copy(excerpt, tmp_path / "eu_fsf.xml")
    assert len(eu.parse(tmp_path).entities) == 4


def test_source_declares_the_official_download() -> None:
    assert eu.SOURCE.name == "eu"
    assert eu.SOURCE.downloads[0].url == (
        "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
    )
    assert eu.SOURCE.downloads[0].filename == "eu_fsf.xml"


def test_missing_file(tmp_path: Path, fails: Fails) -> None:
    fails(eu.parse, tmp_path / "eu_fsf.xml", "no such file")


def test_cp1252_file(excerpt: Path, tmp_path: Path, fails: Fails) -> None:
    path = tmp_path / "eu_fsf.xml"
    path.write_bytes(excerpt.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    fails(eu.parse, path)


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        pytest.param('xmlns="http://eu.europa.ec/fpi/fsd/export"', "", "not an eu file", id="outside-the-eu-namespace"),
        pytest.param(
            'euReferenceNumber="EU.27.28" logicalId="13"',
            "",
            "record sanctionEntity #1, field logicalId",
            id="record-without-logical-id",
        ),
        pytest.param('logicalId="191"', 'logicalId="13"', "record eu:13, field logicalId", id="duplicate-logical-id"),
        pytest.param(
            'designationDate="2001-10-06"',
            'designationDate="6 Oct"',
            "record 330, field designationDate",
            id="unreadable-designation-date",
        ),
        pytest.param(
            '<subjectType code="enterprise" classificationCode="E"/>',
            "",
            "record 980, field subjectType",
            id="record-without-subject-type",
        ),
        pytest.param(
            'generationDate="2026-08-05T16:47:04.449+02:00"',
            'generationDate="August"',
            "field generationDate",
            id="unreadable-generation-date",
        ),
        pytest.param(
            'wholeName="Global Relief Foundation (GRF)"', "", "record 980, field nameAlias", id="record-without-a-name"
        ),
    ],
)
def test_broken_value_is_located(excerpt: Path, variant: Variant, fails: Fails, old: str, new: str, said: str) -> None:
    fails(eu.parse, variant(excerpt, old, new), said)
