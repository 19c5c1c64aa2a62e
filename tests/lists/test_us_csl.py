"""The US Consolidated Screening List parser against the real trade.gov CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from clearance.lists import us_csl
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

FULL = "us-csl/consolidated.csv.gz"
OLD = "us-csl/csl_2019.csv"
FIXTURE = "us-csl/fixture_consolidated.csv"
_NON_SDN_TREASURY = re.compile(r"^(?!Specially Designated Nationals).*Treasury Department$")


def _dict_rows(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _distinct_keys(rows: list[dict[str, str]]) -> int:
    """Rows counted without the parser: one per (_id, list) for the non-SDN Treasury lists, per _id otherwise."""
    return len({(row["_id"], row["source"] if _NON_SDN_TREASURY.match(row["source"]) else "") for row in rows})


@pytest.fixture(scope="module")
def full_rows(lists_dir: Path) -> list[dict[str, str]]:
    return _dict_rows(lists_dir / FULL)


@pytest.fixture(scope="module")
def full(lists_dir: Path) -> dict[str, Entity]:
    return {entity.id: entity for entity in us_csl.parse(lists_dir / FULL).entities}


@pytest.fixture(scope="module")
def old(lists_dir: Path) -> dict[str, Entity]:
    return {entity.id: entity for entity in us_csl.parse(lists_dir / OLD).entities}


@pytest.fixture(scope="module")
def fixture_entities(lists_dir: Path) -> dict[str, Entity]:
    return {entity.id: entity for entity in us_csl.parse(lists_dir / FIXTURE).entities}


def test_source_is_registered_with_the_official_download() -> None:
    assert us_csl.SOURCE.name == "us-csl"
    download = us_csl.SOURCE.downloads[0]
    assert download.url == "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
    assert download.filename == "consolidated.csv"


# --- counts -----------------------------------------------------------------


def test_full_file_row_count(full_rows: list[dict[str, str]]) -> None:
    assert len(full_rows) == 14160
    counts = Counter(row["source"] for row in full_rows)
    assert counts["Specially Designated Nationals (SDN) - Treasury Department"] == 10026
    assert counts["Entity List (EL) - Bureau of Industry and Security"] == 2001


def test_full_file_duplicate_ids_are_all_treasury_rows(full_rows: list[dict[str, str]]) -> None:
    by_id = Counter(row["_id"] for row in full_rows)
    duplicated = [row for row in full_rows if by_id[row["_id"]] > 1]
    assert len({row["_id"] for row in duplicated}) == 71
    assert len(duplicated) == 183
    assert all(row["source"].endswith("Treasury Department") for row in duplicated)


def test_full_file_entity_count(full_rows: list[dict[str, str]], full: dict[str, Entity]) -> None:
    assert len(full) == _distinct_keys(full_rows) == 14159


def test_full_file_sub_list_counts(full_rows: list[dict[str, str]], full: dict[str, Entity]) -> None:
    counts = Counter(entity.sub_list for entity in full.values())
    assert counts["SDN"] == 10026
    assert counts["EL"] == 2001
    assert counts["DTC"] == 727
    assert counts["DPL"] == 462
    assert counts["CAP"] == 52  # 53 rows, BANK OF KUNLUN listed twice
    assert sum(counts.values()) == len(full)


def test_old_file_count(lists_dir: Path, old: dict[str, Entity]) -> None:
    assert len(old) == len(_dict_rows(lists_dir / OLD)) == 115


def test_fixture_count(lists_dir: Path, fixture_entities: dict[str, Entity]) -> None:
    assert len(fixture_entities) == len(_dict_rows(lists_dir / FIXTURE)) == 13


def test_files_and_no_published_date(lists_dir: Path) -> None:
    parsed = us_csl.parse(lists_dir / FIXTURE)
    assert parsed.source == "us-csl"
    assert parsed.files == (lists_dir / FIXTURE,)
    assert parsed.published is None


# --- spot checks, 2022 file ---------------------------------------------------


def test_medvedev(full: dict[str, Entity]) -> None:
    entity = full["us-csl:36407"]
    assert entity.kind is EntityKind.PERSON
    assert entity.sub_list == "SDN"
    assert entity.names == (
        Name(
            full="MEDVEDEV, Dmitry Anatolievich",
            quality=NameQuality.PRIMARY,
            first="Dmitry",
            middle="Anatolievich",
            last="MEDVEDEV",
            script="Latn",
        ),
        Name(full="MEDVEDEV, Dmitry", quality=NameQuality.STRONG, first="Dmitry", last="MEDVEDEV", script="Latn"),
    )
    assert entity.programmes == ("RUSSIA-EO14024",)
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1965, month=9, day=14)),)
    assert entity.places_of_birth == (Address(full="St. Petersburg, Russia", country="RU"),)
    assert entity.nationalities == ("RU",)
    assert entity.addresses == (Address(full="Moscow, RU", country="RU"),)
    assert entity.gender is Gender.MALE
    assert entity.identifiers == ()
    assert entity.source_url == "http://bit.ly/1MLgpye"


def test_putin(full: dict[str, Entity]) -> None:
    entity = full["us-csl:35096"]
    assert entity.name == "PUTIN, Vladimir Vladimirovich"
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1952, month=10, day=7)),)
    assert entity.places_of_birth == (Address(full="Leningrad, Russia", country="RU"),)
    assert entity.positions == ("President of the Russian Federation",)
    assert entity.citizenships == ("RU",)


def test_lukashenko(full: dict[str, Entity]) -> None:
    entity = full["us-csl:9760"]
    assert entity.name == "LUKASHENKA, Alyaksandr Ryhorovich"
    assert "LUKASHENKO, Alexander Grigoryevich" in [n.full for n in entity.names]
    assert entity.dates_of_birth == (
        DateOfBirth(date=PartialDate(year=1954, month=8, day=30)),
        DateOfBirth(date=PartialDate(year=1954, month=8, day=31)),
    )
    assert entity.programmes == ("BELARUS",)
    assert entity.places_of_birth == (Address(full="Kopys, Vitebsk oblast, Belarus", country="BY"),)


def test_entity_list_huawei(full: dict[str, Entity]) -> None:
    entity = full["us-csl:d05d55fa214aff19c1eb3270d54905e4e362d445"]
    assert entity.sub_list == "EL"
    assert entity.kind is EntityKind.ORGANIZATION
    assert [n.full for n in entity.names] == [
        "Huawei Technologies Co., Ltd. (Huawei)",
        "Shenzhen Huawei Technologies",
        "Huawei Technology",
    ]
    assert entity.addresses == (
        Address(full="Bantian Huawei Base, Longgang District, Shenzhen, 518129, CN", country="CN"),
    )
    assert entity.listed_on == dt.date(2019, 5, 21)
    assert entity.programmes == ()
    assert entity.source_url == "http://bit.ly/1L47xrV"
    assert entity.remarks is not None
    assert "Federal Register notice: 84 FR 22963, 84 FR 43495, 85 FR 29853, 85 FR 36720, 85 FR 51603" in entity.remarks
    assert "License policy: Presumption of denial" in entity.remarks


def test_vessel_with_imo(full: dict[str, Entity]) -> None:
    entity = full["us-csl:15040"]
    assert entity.kind is EntityKind.VESSEL
    assert [n.full for n in entity.names] == ["APAMA", "ASTARA", "JUPITER", "ABELIA"]
    assert entity.identifiers == (
        Identifier(type=IdentifierType.IMO, value="9187631", label="Vessel Registration Identification"),
        Identifier(type=IdentifierType.MMSI, value="256845000", label="MMSI"),
        Identifier(type=IdentifierType.CALL_SIGN, value="9HDS9", label="Call Sign"),
    )
    assert entity.flag == "IR"
    assert entity.linked_to == ("NATIONAL IRANIAN TANKER COMPANY",)
    assert entity.remarks is not None
    assert "Former Vessel Flag: Tuvalu" in entity.remarks
    assert "Vessel type: Crude/Oil Products Tanker" in entity.remarks


def test_company_imo_number(full: dict[str, Entity]) -> None:
    entity = full["us-csl:23763"]
    assert entity.name == "CHANG AN SHIPPING & TECHNOLOGY"
    assert entity.kind is EntityKind.ORGANIZATION
    assert Identifier(type=IdentifierType.IMO, value="5938411", label="Company Number") in entity.identifiers


def test_identifier_with_country_and_two_dates(full: dict[str, Entity]) -> None:
    passports = [
        identifier
        for entity in full.values()
        for identifier in entity.identifiers
        if identifier.value == "K475336" and identifier.type is IdentifierType.PASSPORT
    ]
    assert passports == [
        Identifier(
            type=IdentifierType.PASSPORT,
            value="K475336",
            country="JO",
            label="Passport",
            note="expires 2014-08-30, issued 2009-08-31",
        )
    ]


def test_party_on_several_treasury_lists(full: dict[str, Entity]) -> None:
    sdn, cap = full["us-csl:34616"], full["us-csl:34616:CAP"]
    assert (sdn.sub_list, cap.sub_list) == ("SDN", "CAP")
    assert sdn.name == cap.name == "ARIMERO HOLDING LIMITED"
    assert sdn.identifiers == (
        Identifier(type=IdentifierType.REGISTRATION, value="C146742", country="CY", label="Registration Number"),
    )
    assert sdn.linked_to == ("PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA",)


def test_repeated_row_of_one_list_is_merged(full_rows: list[dict[str, str]], full: dict[str, Entity]) -> None:
    assert sum(row["_id"] == "15268" for row in full_rows) == 2
    entity = full["us-csl:15268:CAP"]
    assert entity.name == "BANK OF KUNLUN CO LTD"
    assert entity.identifiers == (Identifier(type=IdentifierType.SWIFT_BIC, value="CKLBCNBJ", label="SWIFT/BIC"),)
    assert len(entity.addresses) == 4


def test_untyped_rows(full: dict[str, Entity]) -> None:
    kinds = Counter(entity.kind for entity in full.values() if entity.sub_list == "MEU")
    assert kinds == Counter({EntityKind.ORGANIZATION: 71})
    dpl = {entity.name: entity.kind for entity in full.values() if entity.sub_list == "DPL"}
    assert dpl["AIR FREIGHT LTD"] is EntityKind.ORGANIZATION
    assert dpl["MEHDI BAHRAMI"] is EntityKind.UNKNOWN


def test_c1_control_characters_are_repaired(full: dict[str, Entity]) -> None:
    names = {name.full for entity in full.values() for name in entity.names}
    assert "XAIC Tech (Xi\u2019an) Industrial Co., Ltd." in names
    assert not any(re.search("[\x80-\x9f]", name) for name in names)


def test_no_bookkeeping_or_duplicates_in_lists(full: dict[str, Entity]) -> None:
    for entity in full.values():
        assert len(set(entity.names)) == len(entity.names)
        assert len(set(entity.identifiers)) == len(entity.identifiers)


# --- spot checks, 2019 file (no _id column) and 2025 fixture (new ids order) ---


def test_old_file_ids(old: dict[str, Entity], lists_dir: Path) -> None:
    entity = old["us-csl:20264"]
    assert entity.name == "200G PSA HOLDINGS LLC"
    assert entity.sub_list == "SDN"
    assert entity.programmes == ("SDNTK",)
    assert entity.identifiers == (
        Identifier(type=IdentifierType.TAX_ID, value="80-0890696", country="US", label="Tax ID No."),
    )
    assert entity.addresses == (Address(full="80 SW 8th Street Suite 2000, Miami, FL, 33130, US", country="US"),)
    hashed = [key for key in old if key.startswith("us-csl:EL-")]
    assert len(hashed) == 22
    assert all(re.fullmatch(r"us-csl:EL-[0-9a-f]{16}", key) for key in hashed)
    assert {e.id for e in us_csl.parse(lists_dir / OLD).entities} == set(old)


def test_old_file_denied_person(old: dict[str, Entity]) -> None:
    entity = next(e for e in old.values() if e.name == "ADRIAN MANUEL HERNANDEZ")
    assert entity.sub_list == "DPL"
    assert entity.kind is EntityKind.UNKNOWN
    assert entity.listed_on == dt.date(2017, 10, 16)
    assert entity.addresses == (Address(full="3037 S. 69TH DRIVE, PHONEIX, AZ, 85043"),)
    assert entity.remarks is not None
    assert "End date: 2020-10-13" in entity.remarks


def test_fixture_label_first_ids(fixture_entities: dict[str, Entity]) -> None:
    entity = fixture_entities["us-csl:52291"]
    assert entity.name == "RIM, Ryong Nam"
    assert entity.identifiers == (
        Identifier(type=IdentifierType.PASSPORT, value="836238033", country="KP", label="Passport"),
    )
    assert entity.gender is Gender.MALE
    assert entity.nationalities == ("KP",)
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1978, month=12, day=5)),)
    assert entity.addresses == (
        Address(full="Shenyang, CN", country="CN"),
        Address(full="Pyongyang, KP", country="KP"),
    )
    assert entity.remarks is not None
    assert "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210" in entity.remarks


def test_fixture_treasury_non_sdn_ids(fixture_entities: dict[str, Entity]) -> None:
    plc = fixture_entities["us-csl:9673:PLC"]
    assert plc.sub_list == "PLC"
    assert plc.name == "Mohammed ABU JHEISHEH"
    assert plc.programmes == ("NS-PLC",)
    assert plc.places_of_birth == (Address(full="Izna, Hebron"),)
    ssi = fixture_entities["us-csl:28603:SSI"]
    assert ssi.identifiers == (
        Identifier(type=IdentifierType.TAX_ID, value="CHE-267.936.404", country="CH", label="V.A.T. Number"),
        Identifier(
            type=IdentifierType.REGISTRATION,
            value="CH-660.0.559.011-2",
            country="CH",
            label="Business Registration Number",
        ),
    )
    assert ssi.programmes == ("VENEZUELA-EO13850", "UKRAINE-EO13662")


def test_gzip_is_read_by_magic_bytes(tmp_path: Path, lists_dir: Path) -> None:
    path = tmp_path / "consolidated.csv"
    path.write_bytes(gzip.compress((lists_dir / FIXTURE).read_bytes()))
    assert us_csl.parse(path).entities == us_csl.parse(lists_dir / FIXTURE).entities


# --- bad input (the kinds every parser meets are in test_bad_input.py) -----------


def test_truncated_gzip(tmp_path: Path, lists_dir: Path, fails: Fails) -> None:
    path = tmp_path / "consolidated.csv.gz"
    data = (lists_dir / FULL).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    fails(us_csl.parse, path, "gzip")


def test_cp1252_file(tmp_path: Path, lists_dir: Path, fails: Fails) -> None:
    path = tmp_path / "consolidated.csv"
    text = (lists_dir / FIXTURE).read_text(encoding="utf-8")
    assert "§" in text
    path.write_bytes(text.encode("cp1252"))
    fails(us_csl.parse, path, "not UTF-8")


def test_row_with_missing_columns(tmp_path: Path, lists_dir: Path, fails: Fails) -> None:
    path = tmp_path / "consolidated.csv"
    lines = (lists_dir / FIXTURE).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rstrip("\n").rsplit(",", 1)[0] + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    fails(us_csl.parse, path, "record row 4", "28 columns, expected 29")


def test_unknown_type_names_record_and_field(lists_dir: Path, variant: Variant, fails: Fails) -> None:
    path = variant(lists_dir / FIXTURE, ',"Individual","NS-PLC"', ',"Robot","NS-PLC"')
    fails(us_csl.parse, path, "record 9673", "field type")
