"""The UN consolidated list parser, on the real UN files."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from functools import cache
from pathlib import Path

import pytest

from clearance.lists import un
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
from tests.lists.conftest import Fails

FILES = ("UN_consolidated_2018-10-29.xml", "UN_consolidated_2025-11-20.xml", "UN_consolidated_2026-02-27.xml")
LATEST = "UN_consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def un_dir(lists_dir: Path) -> Path:
    return lists_dir / "un"


@cache
def _parsed(path: Path) -> ParsedList:
    return un.parse(path)


def _by_id(path: Path) -> dict[str, Entity]:
    return {e.id: e for e in _parsed(path).entities}


@pytest.fixture(scope="module")
def latest(un_dir: Path) -> dict[str, Entity]:
    return _by_id(un_dir / LATEST)


def _record(path: Path, reference: str) -> str:
    """The raw text of one real record, to build small malformed files from."""
    data = path.read_text(encoding="utf-8")
    at = data.index(f"<REFERENCE_NUMBER>{reference}</REFERENCE_NUMBER>")
    start = data.rindex("<INDIVIDUAL>", 0, at)
    end = data.index("</INDIVIDUAL>", at) + len("</INDIVIDUAL>")
    return data[start:end]


def _small_file(tmp_path: Path, *records: str) -> Path:
    """A list of just these INDIVIDUAL records."""
    path = tmp_path / "consolidated.xml"
    path.write_text(
        f"<CONSOLIDATED_LIST><INDIVIDUALS>{''.join(records)}</INDIVIDUALS></CONSOLIDATED_LIST>", encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("name", FILES)
def test_counts_match_the_records_in_the_file(un_dir: Path, name: str) -> None:
    data = (un_dir / name).read_text(encoding="utf-8")
    people, organisations = len(re.findall(r"<INDIVIDUAL>", data)), len(re.findall(r"<ENTITY>", data))
    parsed = _parsed(un_dir / name)
    kinds = [e.kind for e in parsed.entities]
    assert kinds.count(EntityKind.PERSON) == people
    assert kinds.count(EntityKind.ORGANIZATION) == organisations
    assert len(parsed.entities) == people + organisations
    assert len({e.id for e in parsed.entities}) == len(parsed.entities)
    assert parsed.files == (un_dir / name,)


def test_published_counts_are_the_documented_ones(un_dir: Path) -> None:
    counts = {}
    for name in FILES:
        kinds = [e.kind for e in _parsed(un_dir / name).entities]
        counts[name] = (kinds.count(EntityKind.PERSON), kinds.count(EntityKind.ORGANIZATION))
    assert counts == {FILES[0]: (703, 390), FILES[1]: (727, 273), FILES[2]: (730, 273)}


def test_published_is_the_generation_date(un_dir: Path) -> None:
    assert _parsed(un_dir / LATEST).published == dt.datetime(2026, 2, 27, 0, 0, 9, 554000, tzinfo=dt.UTC)
    old = _parsed(un_dir / FILES[0]).published
    assert old == dt.datetime(2018, 10, 29, 23, 9, 49, 856000, tzinfo=dt.UTC)


def test_versions_differ_by_the_real_change_set(un_dir: Path) -> None:
    before = {e.id: e.to_json() for e in un.parse(un_dir / FILES[1]).entities}
    after = {e.id: e.to_json() for e in un.parse(un_dir / LATEST).entities}
    assert sorted(after.keys() - before.keys()) == ["un:SDi.007", "un:SDi.008", "un:SDi.009", "un:SDi.010"]
    assert sorted(before.keys() - after.keys()) == ["un:IQi.074"]
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    assert changed == ["un:HTi.006", "un:SOi.022"]


def test_the_changed_entry_differs_in_its_comments_only(un_dir: Path) -> None:
    before = _by_id(un_dir / FILES[1])["un:HTi.006"]
    after = _by_id(un_dir / LATEST)["un:HTi.006"]
    assert after.remarks == "Gender: Male."
    assert before.model_copy(update={"remarks": after.remarks}) == after


def test_parsing_twice_gives_equal_entities(un_dir: Path) -> None:
    assert un.parse(un_dir / LATEST).entities == un.parse(un_dir / LATEST).entities


def test_no_bookkeeping_reaches_the_entity(latest: dict[str, Entity]) -> None:
    text = repr([e.to_json() for e in latest.values()])
    assert "6908555" not in text  # DATAID of KPi.033
    assert "2016-10-13" not in repr(latest["un:CDi.001"].to_json())  # its LAST_DAY_UPDATED


def test_dprk_individual_field_by_field(latest: dict[str, Entity]) -> None:
    entity = latest["un:KPi.033"]
    assert entity.source == "un"
    assert entity.kind is EntityKind.PERSON
    assert entity.names == (
        Name(full="RI WON HO", quality=NameQuality.PRIMARY, first="RI", last="WON HO", script="Latn"),
    )
    assert entity.dates_of_birth == (DateOfBirth(date=PartialDate(year=1964, month=7, day=17)),)
    assert entity.places_of_birth == ()
    assert entity.nationalities == ("KP",)
    assert entity.citizenships == ()
    assert entity.addresses == ()
    assert entity.identifiers == (Identifier(type=IdentifierType.PASSPORT, value="381310014", label="Passport"),)
    assert entity.programmes == ("DPRK",)
    assert entity.listed_on == dt.date(2016, 11, 30)
    assert entity.gender is None
    assert entity.positions == ("DPRK Ministry of State Security Official",)
    assert entity.remarks == (
        "Ri Won Ho is a DPRK Ministry of State Security Official stationed in Syria supporting KOMID."
    )
    assert entity.flag is None
    assert entity.linked_to == ()


def test_arabic_original_script_and_arabic_in_an_alias_note(latest: dict[str, Entity]) -> None:
    entity = latest["un:QDi.001"]
    assert entity.names[0] == Name(
        full="MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE",
        quality=NameQuality.PRIMARY,
        first="MOHAMMED",
        middle="SALAHALDIN ABD EL HALIM",
        last="ZIDANE",
        script="Latn",
    )
    assert entity.names[1] == Name(full="محمد صلاح الدين عبدالحليم زيدان", script="Arab")
    assert entity.names[2] == Name(full="Sayf-Al Adl", script="Latn")
    assert entity.names[3] == Name(full="سيف العدل", script="Arab")
    assert Name(full="Seif al Adel", quality=NameQuality.WEAK, script="Latn") in entity.names
    assert entity.dates_of_birth == (
        DateOfBirth(date=PartialDate(year=1963, month=4, day=11)),
        DateOfBirth(date=PartialDate(year=1960, month=4, day=11)),
    )
    assert entity.places_of_birth == (Address(region="Monufia Governate", country="EG"),)


def test_cyrillic_original_script_and_alias_birth_dates(latest: dict[str, Entity]) -> None:
    entity = latest["un:QDi.290"]
    assert Name(full="Умаров Доку Хаматович", script="Cyrl") in entity.names
    assert [n.full for n in entity.names].count("Dokka Umarov") == 1
    assert entity.dates_of_birth == (
        DateOfBirth(date=PartialDate(year=1964, month=4, day=13)),
        DateOfBirth(date=PartialDate(year=1965, month=4, day=13)),
        DateOfBirth(date=PartialDate(year=1964, month=5, day=12)),
        DateOfBirth(date=PartialDate(year=1955)),
    )
    assert entity.nationalities == ("RU",)
    assert entity.identifiers == (
        Identifier(
            type=IdentifierType.PASSPORT, value="96 03 464086", country="RU", label="Passport", note="issued 2003-06-01"
        ),
    )


def test_approximate_range_and_titles(latest: dict[str, Entity]) -> None:
    entity = latest["un:TAi.002"]
    assert entity.dates_of_birth == (
        DateOfBirth(start=PartialDate(year=1955), end=PartialDate(year=1958), circa=True),
        DateOfBirth(start=PartialDate(year=1945), end=PartialDate(year=1950), circa=True),
    )
    assert entity.names[0].title == "Mullah, Haji"
    assert entity.names[1] == Name(full="محمد حسن آخوند", script="Arab")
    assert entity.places_of_birth == (
        Address(city="Pashmul village, Panjwai District", region="Kandahar Province", country="AF"),
    )


def test_approximate_year_and_exact_date(latest: dict[str, Entity]) -> None:
    entity = latest["un:CDi.014"]
    assert entity.dates_of_birth == (
        DateOfBirth(date=PartialDate(year=1962, month=3, day=17)),
        DateOfBirth(date=PartialDate(year=1966), circa=True),
    )
    assert entity.gender is Gender.MALE
    assert entity.addresses == (
        Address(region="Kinshasa", country="CD", full="Kinshasa, Democratic Republic of the Congo (as of June 2016)"),
    )


def test_birth_dates_written_as_text(latest: dict[str, Entity]) -> None:
    assert latest["un:LYi.022"].dates_of_birth == (DateOfBirth(text="30-35 years old", circa=True),)
    assert latest["un:QDi.306"].dates_of_birth[0] == DateOfBirth(text="Between Aug. and Sep. 1977")
    assert latest["un:QDi.291"].dates_of_birth[2] == DateOfBirth(text="24/06/1402 (Hijri Calendar)")


def test_range_without_circa(latest: dict[str, Entity]) -> None:
    assert latest["un:CDi.030"].dates_of_birth == (
        DateOfBirth(start=PartialDate(year=1973), end=PartialDate(year=1974)),
    )


def test_passport_issued_abroad_keeps_the_issuing_state(latest: dict[str, Entity]) -> None:
    passport = latest["un:QDi.096"].identifiers[0]
    assert passport == Identifier(
        type=IdentifierType.PASSPORT,
        value="L335915",
        country="TN",
        label="Passport",
        note="issued 1996-11-08 in Milan, Italy; expired on 7 Nov. 2001",
    )


def test_document_without_number_goes_to_remarks(latest: dict[str, Entity]) -> None:
    entity = latest["un:QDi.037"]
    assert entity.remarks is not None
    assert entity.remarks.endswith("\nNational Identification Number: SSN 156-92-9858 (United States of America)")


def test_gender_stated_in_comments(latest: dict[str, Entity]) -> None:
    assert latest["un:SDi.007"].gender is Gender.MALE
    assert latest["un:SDi.007"].names[0] == Name(
        full="GEDO HAMDAN AHMED",
        quality=NameQuality.PRIMARY,
        first="GEDO",
        middle="HAMDAN",
        last="AHMED",
        script="Latn",
    )


def test_entity_with_imo_company_number_and_former_names(latest: dict[str, Entity]) -> None:
    company = latest["un:KPe.022"]
    assert company.kind is EntityKind.ORGANIZATION
    assert company.names == (
        Name(full="CHONGCHONGANG SHIPPING COMPANY", quality=NameQuality.PRIMARY, script="Latn"),
        Name(full="Chong Chon Gang Shipping Co. Ltd.", script="Latn"),
        Name(full="Chongchongang Shipping Co LTD", script="Latn"),
    )
    assert company.identifiers == (
        Identifier(type=IdentifierType.IMO, value="5342883", label="IMO number", note="from COMMENTS1"),
    )
    assert company.addresses == (
        Address(street="817 Haeun, Donghung-dong, Central District", city="Pyongyang", country="KP"),
        Address(street="817, Haeum, Tonghun-dong, Chung-gu", city="Pyongyang", country="KP"),
    )
    former = [n.full for n in latest["un:CDe.001"].names if n.quality is NameQuality.FORMER]
    assert former[:2] == ["Forces Démocratiques Alliées-Armée Nationale de Libération de l’Ouganda", "ADF/NALU"]


def test_two_scripts_in_one_alias_are_two_names(latest: dict[str, Entity]) -> None:
    assert latest["un:QDi.279"].names[2:] == (
        Name(full="Abdelali Abou Dher", quality=NameQuality.WEAK, script="Latn"),
        Name(full="عبد العالي ابو ذر", quality=NameQuality.WEAK, script="Arab"),
        Name(full="El Harrachi", quality=NameQuality.WEAK, script="Latn"),
        Name(full="الحراشي", quality=NameQuality.WEAK, script="Arab"),
    )
    fulls = [n.full for n in latest["un:QDi.306"].names]
    at = fulls.index("حسن غول")
    assert fulls[at : at + 4] == ["حسن غول", "Hassan Ghul", "Hassan Gul", "Hasan Gul"]
    assert Name(full="Абу Мухаммад Аль-Кадари", quality=NameQuality.WEAK, script="Cyrl") in latest["un:QDi.398"].names
    assert Name(full="Ezatullah Haqqani", script="Latn") in latest["un:TAi.064"].names


def test_dates_with_a_zone_in_the_2018_file(un_dir: Path) -> None:
    entity = _by_id(un_dir / FILES[0])["un:SSi.005"]
    assert DateOfBirth(date=PartialDate(year=1960, month=1, day=1)) in entity.dates_of_birth


def test_libyan_arab_jamahiriya_is_libya(un_dir: Path) -> None:
    entity = _by_id(un_dir / FILES[0])["un:QDi.231"]
    assert entity.addresses == (Address(city="Bab Ben Ghasheer, Tripoli", country="LY"),)


def test_folder_holding_consolidated_xml(un_dir: Path, tmp_path: Path) -> None:
    shutil.copy(un_dir / LATEST, tmp_path / "consolidated.xml")
    parsed = un.parse(tmp_path)
    assert isinstance(parsed, ParsedList)
    assert parsed.files == (tmp_path / "consolidated.xml",)
    assert len(parsed.entities) == 1003


def test_source_declares_the_official_download() -> None:
    assert un.SOURCE.name == "un"
    assert un.SOURCE.downloads[0].url == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    assert un.SOURCE.downloads[0].filename == "consolidated.xml"


def test_missing_file(tmp_path: Path, fails: Fails) -> None:
    fails(un.parse, tmp_path / "consolidated.xml", "no such file")


def test_cp1252_file(un_dir: Path, tmp_path: Path, fails: Fails) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_bytes((un_dir / LATEST).read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    fails(un.parse, path)


def test_record_without_reference_number(un_dir: Path, tmp_path: Path, fails: Fails) -> None:
    record = _record(un_dir / LATEST, "KPi.033").replace("<REFERENCE_NUMBER>KPi.033</REFERENCE_NUMBER>", "")
    fails(un.parse, _small_file(tmp_path, record), "record INDIVIDUAL #1, field REFERENCE_NUMBER")


def test_duplicate_reference_number(un_dir: Path, tmp_path: Path, fails: Fails) -> None:
    record = _record(un_dir / LATEST, "KPi.033")
    fails(un.parse, _small_file(tmp_path, record, record), "record un:KPi.033, field REFERENCE_NUMBER")


def test_unreadable_listing_date(un_dir: Path, tmp_path: Path, fails: Fails) -> None:
    record = _record(un_dir / LATEST, "KPi.033").replace("2016-11-30", "30 Nowember")
    fails(un.parse, _small_file(tmp_path, record), "record KPi.033, field LISTED_ON")


def test_unreadable_generation_date(tmp_path: Path, fails: Fails) -> None:
    path = tmp_path / "consolidated.xml"
    path.write_text('<CONSOLIDATED_LIST dateGenerated="yesterday"><INDIVIDUALS/></CONSOLIDATED_LIST>')
    fails(un.parse, path, "field dateGenerated")


def test_record_without_a_name(un_dir: Path, tmp_path: Path, fails: Fails) -> None:
    record = _record(un_dir / LATEST, "KPi.033")
    record = record.replace("<FIRST_NAME>RI</FIRST_NAME>", "").replace("<SECOND_NAME>WON HO</SECOND_NAME>", "")
    fails(un.parse, _small_file(tmp_path, record), "record KPi.033, field FIRST_NAME")
