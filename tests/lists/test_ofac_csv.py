"""OFAC's legacy CSV sets (SDN and Consolidated) parsed from the real files in shared/data."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.lists import ofac_cons, ofac_sdn
from clearance.lists.source import ParsedList
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
from tests.lists.conftest import Fails

SDN_2021 = "ofac/sdn_csv_2021-07-07"


@pytest.fixture(scope="module")
def sdn_2021(lists_dir: Path) -> dict[str, Entity]:
    return {e.id: e for e in ofac_sdn.parse(lists_dir / SDN_2021).entities}


@pytest.fixture(scope="module")
def cons(lists_dir: Path) -> ParsedList:
    return ofac_cons.parse(lists_dir / "ofac/cons_csv_2025-12-19")


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="ascii") as handle:
        return [row for row in csv.reader(handle) if len(row) > 1]


def _copy_set(lists_dir: Path, folder: str, target: Path) -> Path:
    target.mkdir()
    for item in (lists_dir / folder).iterdir():
        shutil.copyfile(item, target / item.name)
    return target


@pytest.mark.parametrize(
    ("folder", "primary", "expected"),
    [
        ("ofac/sdn_csv_2019", "sdn.csv", 7379),
        (SDN_2021, "sdn.csv", 8976),
        ("ofac/sdn_csv_fixture_17", "sdn.csv", 17),
        ("ofac/cons_csv_2025-12-19", "cons_prim.csv", 442),
    ],
)
def test_entity_count_matches_csv_rows(lists_dir: Path, folder: str, primary: str, expected: int) -> None:
    module = ofac_cons if primary.startswith("cons") else ofac_sdn
    parsed = module.parse(lists_dir / folder)
    assert len(_csv_rows(lists_dir / folder / primary)) == expected
    assert len(parsed.entities) == expected
    assert len({e.id for e in parsed.entities}) == expected
    assert parsed.published is None
    assert [p.name for p in parsed.files][0] == primary


def test_every_alt_row_is_a_name(lists_dir: Path, sdn_2021: dict[str, Entity]) -> None:
    rows = _csv_rows(lists_dir / SDN_2021 / "alt.csv")
    assert len(rows) == 11910
    listed = {(e.id, n.full) for e in sdn_2021.values() for n in e.names if n.quality is not NameQuality.PRIMARY}
    # names are stored with runs of spaces collapsed (`IJHA TURATH  AL-ISLAMI` in alt.csv)
    assert {(f"ofac-sdn:{row[0]}", " ".join(row[3].split())) for row in rows} <= listed


def test_kinds_2021(sdn_2021: dict[str, Entity]) -> None:
    kinds = [e.kind for e in sdn_2021.values()]
    assert kinds.count(EntityKind.PERSON) == 4620
    assert kinds.count(EntityKind.ORGANIZATION) == 3673
    assert kinds.count(EntityKind.VESSEL) == 406
    assert kinds.count(EntityKind.AIRCRAFT) == 277


def test_lukashenka(sdn_2021: dict[str, Entity]) -> None:
    e = sdn_2021["ofac-sdn:9760"]
    assert e.kind is EntityKind.PERSON
    assert e.names[0] == Name(
        full="LUKASHENKA, Alyaksandr Hryhoryavich",
        quality=NameQuality.PRIMARY,
        last="LUKASHENKA",
        first="Alyaksandr Hryhoryavich",
        script="Latn",
    )
    aliases = [n.full for n in e.names[1:]]
    assert len(aliases) == 31
    assert aliases[0] == "LUKASHENKA, Aliaksandr Grigorievich"
    assert "LUKASHENKO, Alexander Grigoryevich" not in aliases
    assert "LUKASHENKO, Alexander Grigoriyevich" in aliases
    assert "LUKASHENKO, Alexander Grigorievich" in aliases
    assert all(n.quality is NameQuality.STRONG for n in e.names[1:])
    assert e.programmes == ("BELARUS",)
    assert e.dates_of_birth == (DateOfBirth(date=PartialDate(year=1954, month=8, day=30)),)
    assert e.places_of_birth == (Address(full="Kopys, Vitebsk oblast, Belarus", country="BY"),)
    assert e.positions == ("President",)
    assert e.remarks is None
    assert e.addresses == ()
    assert e.source_url == "https://sanctionssearch.ofac.treas.gov/Details.aspx?id=9760"


def test_vessel_with_imo_and_link(sdn_2021: dict[str, Entity]) -> None:
    e = sdn_2021["ofac-sdn:18337"]
    assert e.kind is EntityKind.VESSEL
    assert e.name == "BLUE DREAM"
    assert e.flag == "KN"
    assert e.identifiers == (
        Identifier(type=IdentifierType.IMO, value="8002664", label="Vessel Registration Identification IMO"),
    )
    assert e.linked_to == ("MILENYUM ENERGY S.A.",)
    assert e.programmes == ("SYRIA",)


def test_vessel_columns(sdn_2021: dict[str, Entity]) -> None:
    e = sdn_2021["ofac-sdn:4243"]
    assert e.name == "SAND SWAN"
    assert e.flag == "CY"
    assert e.identifiers == (Identifier(type=IdentifierType.CALL_SIGN, value="P3QG3", label="Call Sign"),)
    assert e.names[1] == Name(full="ANA I", quality=NameQuality.FORMER, script="Latn")
    assert (
        e.remarks == "Vessel Type General Cargo; Tonnage 2595; GRT 1116; Vessel Owner Sand & Swan Navigation Co. Ltd."
    )


def test_digital_currency(sdn_2021: dict[str, Entity]) -> None:
    e = sdn_2021["ofac-sdn:25308"]
    assert e.name == "YAN, Xiaobing"
    crypto = [i.value for i in e.identifiers if i.type is IdentifierType.CRYPTO]
    assert crypto[0] == "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"
    assert len(crypto) == 6
    assert (
        Identifier(
            type=IdentifierType.NATIONAL_ID, value="421002197703250019", country="CN", label="Citizen's Card Number"
        )
        in e.identifiers
    )
    assert e.citizenships == ("CN",)
    assert e.gender is not None and e.gender.value == "male"
    assert e.addresses == (Address(full="Wuhan, Hubei, China", city="Wuhan, Hubei", country="CN"),)
    assert [n.full for n in e.names if n.quality is NameQuality.WEAK] == ["ZHOU, William", "YAN, Steven"]
    assert e.remarks == "Chinese Commercial Code 7346 2556 0365"


def test_linked_names_follow_the_list(sdn_2021: dict[str, Entity]) -> None:
    # Remarks end "Linked To: GALAPAGOS S.A." but the list names it "GALAPAGOS S.A" (ent 6826).
    assert sdn_2021["ofac-sdn:6836"].linked_to == ("GALAPAGOS S.A",)
    assert sdn_2021["ofac-sdn:6826"].name == "GALAPAGOS S.A"
    # and "... LTD." keeps its period when the list names the company so
    assert sdn_2021["ofac-sdn:13124"].linked_to == ("NEW AHMADI LTD.",)


def test_comments_continue_remarks(sdn_2021: dict[str, Entity]) -> None:
    # sdn.csv cuts ent 12300's Remarks after "Linked To: PROMO RAI"; sdn_comments.csv goes on "Z S.A.S.; ..."
    linked = sdn_2021["ofac-sdn:12300"].linked_to
    assert "PROMO RAIZ S.A.S." in linked
    assert "RED MUNDIAL INMOBILIARIA, S.A. DE C.V." in linked


def test_several_programmes(sdn_2021: dict[str, Entity]) -> None:
    assert sdn_2021["ofac-sdn:12057"].programmes == (
        "SDGT",
        "NPWMD",
        "IRGC",
        "IFSR",
        "IRAN-HR",
        "IRAN-EO13876",
    )
    assert len(sdn_2021["ofac-sdn:12057"].positions) == 3


def test_consolidated_person(cons: ParsedList) -> None:
    e = next(e for e in cons.entities if e.id == "ofac-cons:9639")
    assert e.source == "ofac-cons"
    assert e.kind is EntityKind.PERSON
    assert [n.full for n in e.names] == ["HANIYA, Ismail Abdul Salah", "HANIYA, Ismail", "HANIYYA, Ismaeel"]
    assert e.programmes == ("NS-PLC",)
    assert e.dates_of_birth == (DateOfBirth(date=PartialDate(year=1962)),)
    assert e.places_of_birth == (Address(full="Shati"),)


def test_consolidated_entity_with_comments(cons: ParsedList) -> None:
    e = next(e for e in cons.entities if e.id == "ofac-cons:17016")
    assert e.kind is EntityKind.ORGANIZATION
    assert e.name == "GAZPROMBANK JOINT STOCK COMPANY"
    assert e.programmes == ("UKRAINE-EO13662", "RUSSIA-EO14024")
    assert Name(full="BANK GPB JSC", script="Latn") in e.names
    assert Name(full="GAZPROMBANK OPEN JOINT STOCK COMPANY", quality=NameQuality.FORMER, script="Latn") in e.names
    # these two come from cons_comments.csv, the continuation of the Remarks
    assert Identifier(type=IdentifierType.TAX_ID, value="7744001497", country="RU", label="Tax ID No.") in e.identifiers
    assert (
        Identifier(type=IdentifierType.REGISTRATION, value="1027700167110", country="RU", label="Registration Number")
        in e.identifiers
    )
    assert e.addresses[0] == Address(
        full="16 Nametkina Street, Bldg. 1, Moscow 117420, Russia",
        street="16 Nametkina Street, Bldg. 1",
        city="Moscow 117420",
        country="RU",
    )


def test_fixture_person(lists_dir: Path) -> None:
    parsed = ofac_sdn.parse(lists_dir / "ofac/sdn_csv_fixture_17")
    e = next(e for e in parsed.entities if e.id == "ofac-sdn:10278")
    assert e.name == "LOGAN MOREY, Elvis Angus"
    assert e.programmes == ("SDNT",)
    assert Identifier(type=IdentifierType.PASSPORT, value="P0017003", country="BZ", label="Passport") in e.identifiers
    assert e.names[-1] == Name(full="BURTON BURGESS", quality=NameQuality.WEAK, script="Latn")


def test_partial_set_without_primary_file(lists_dir: Path) -> None:
    with pytest.raises(ListFormatError, match=r"primary file sdn\.csv is missing"):
        ofac_sdn.parse(lists_dir / "ofac/sdn_csv_2025-12_partial")


def test_single_file_path_reads_its_folder(lists_dir: Path) -> None:
    parsed = ofac_sdn.parse(lists_dir / "ofac/sdn_csv_fixture_17/sdn.csv")
    assert len(parsed.entities) == 17
    assert len(parsed.files) == 4


def test_upper_case_names_and_optional_files(lists_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "set"
    target.mkdir()
    shutil.copyfile(lists_dir / "ofac/sdn_csv_fixture_17/sdn.csv", target / "SDN.CSV")
    shutil.copyfile(lists_dir / "ofac/sdn_csv_fixture_17/alt.csv", target / "ALT.CSV")
    parsed = ofac_sdn.parse(target)
    assert [p.name for p in parsed.files] == ["SDN.CSV", "ALT.CSV"]
    assert all(e.addresses == () for e in parsed.entities)
    assert sum(len(e.names) for e in parsed.entities) > 17


def test_other_lists_file(lists_dir: Path) -> None:
    with pytest.raises(ListFormatError, match="belongs to ofac-cons"):
        ofac_sdn.parse(lists_dir / "ofac/cons_csv_2025-12-19/cons_prim.csv")


def test_xml_goes_to_advanced_parser(lists_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, Path]] = []

    def fake(source: str, path: Path) -> ParsedList:
        calls.append((source, path))
        return ParsedList(source=source, entities=(), files=(path,))

    monkeypatch.setattr("clearance.lists.ofac_advanced.parse_advanced", fake)
    xml = lists_dir / "ofac/xml/cons_advanced_2020-03-17.xml"
    assert ofac_cons.parse(xml).source == "ofac-cons"
    assert ofac_sdn.parse(xml).source == "ofac-sdn"
    assert calls == [("ofac-cons", xml), ("ofac-sdn", xml)]


def test_sources() -> None:
    assert ofac_sdn.SOURCE.name == "ofac-sdn"
    assert ofac_cons.SOURCE.name == "ofac-cons"
    assert [d.filename for d in ofac_sdn.SOURCE.downloads] == ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    assert ofac_cons.SOURCE.downloads[0].url.endswith("/exports/CONS_PRIM.CSV")


# Bad input: each is a one-line ListFormatError naming the file (the kinds every parser
# meets are in test_bad_input.py).


def _fails_on_primary(tmp_path: Path, data: bytes, fails: Fails, *phrases: str) -> None:
    """A set whose sdn.csv holds `data` fails, naming that file and saying each phrase."""
    (tmp_path / "sdn.csv").write_bytes(data)
    fails(ofac_sdn.parse, tmp_path, *phrases, file=tmp_path / "sdn.csv")


def test_only_end_of_file_byte(tmp_path: Path, fails: Fails) -> None:
    _fails_on_primary(tmp_path, b"\x1a", fails, "empty")


def test_file_cut_inside_a_quoted_field(lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    data = (lists_dir / SDN_2021 / "sdn.csv").read_bytes()
    cut = data.index(b'"DOB 30 Aug 1954; POB Kopys') + 20  # inside ent 9760's quoted Remarks
    _fails_on_primary(tmp_path, data[:cut], fails, "malformed CSV", "truncated?")


def test_row_with_missing_columns(lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    lines = (lists_dir / "ofac/sdn_csv_fixture_17/sdn.csv").read_bytes().split(b"\r\n")
    lines[2] = lines[2].rsplit(b",", 1)[0]  # drop the Remarks column of the third row
    _fails_on_primary(tmp_path, b"\r\n".join(lines), fails, "line 3 has 11 columns, expected 12", "record 12685")


def test_duplicate_ent_num(lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    first = (lists_dir / "ofac/sdn_csv_fixture_17/sdn.csv").read_bytes().split(b"\r\n")[0]
    _fails_on_primary(tmp_path, first + b"\r\n" + first + b"\r\n", fails, "ent_num 10278 repeats line 1")


def test_text_file_of_a_list_clearance_does_not_read(lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    data = (lists_dir / "us-bis-dpl/dpl.txt").read_bytes()
    _fails_on_primary(tmp_path, data, fails, "not a ofac-sdn file (OFAC legacy CSV)")


def test_cp1252(lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    # OFSI's ConList CSV is a real cp1252 file (names with accented letters)
    data = (lists_dir / "uk/ofsi_conlist_excerpt_2020-03.csv").read_bytes()
    line = data.count(b"\n", 0, next(i for i, b in enumerate(data) if b > 127)) + 1
    _fails_on_primary(tmp_path, data, fails, "is not UTF-8", f"line {line}:")


def test_missing_folder(tmp_path: Path, fails: Fails) -> None:
    fails(ofac_sdn.parse, tmp_path / "nowhere", "no such file or folder")


def test_bad_companion_file(lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    folder = _copy_set(lists_dir, "ofac/sdn_csv_fixture_17", tmp_path / "set")
    (folder / "add.csv").write_bytes(b"")
    fails(ofac_sdn.parse, folder, "add.csv: file is empty", file=folder / "add.csv")
