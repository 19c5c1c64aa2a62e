"""Organisation names abbreviated to fit a 35-character field, and sector words, against the real lists."""

from __future__ import annotations

import pytest

from clearance.matching import DEFAULT_THRESHOLD, Party, Screener
from clearance.matching.names import REWRITES, SECTORS, analyze
from tests.matching.test_name_forms import best


@pytest.mark.parametrize(
    ("abbreviated", "full"),
    [
        ("CNOOC ENERGY TECH & SRVCES LTD", "CNOOC Energy Technology & Services Limited"),
        ("GUANGZHOU HAIGE COMM GRP", "Guangzhou Haige Communications Group"),
        ("LUKOIL OIL COMP", "Lukoil Oil Company"),
        ("SEMICONDUCTOR MFG INTL CORP", "Semiconductor Manufacturing International Corporation"),
        ("ABC HLDGS", "ABC Holdings"),
        ("ABC ENG SVCS", "ABC Engineering Services"),
        ("ABC INV MGMT", "ABC Investment Management"),
        ("ABC NATL IND", "ABC National Industries"),
    ],
)
def test_an_abbreviated_organisation_name_has_the_full_names_tokens(abbreviated: str, full: str) -> None:
    assert analyze(abbreviated).tokens == analyze(full).tokens


def test_the_abbreviation_is_kept_as_written_for_explanations() -> None:
    form = analyze("CNOOC ENERGY TECH & SRVCES LTD")
    assert form.raw == ("cnooc", "energy", "tech", "srvces")
    assert form.removed == ("legal form ltd",)


@pytest.mark.parametrize("abbreviation", ["comp", "grp", "comm", "tech", "srvces", "svcs", "intl", "mfg", "ind"])
def test_the_table_reads_the_common_abbreviations(abbreviation: str) -> None:
    assert (abbreviation,) in REWRITES


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("LUKOIL OIL COMP", "Lukoil Oil Company"),
        ("GUANGZHOU HAIGE COMM GRP", "Guangzhou Haige Communication Group Co., Ltd.,"),
        # the list abbreviates, the query does not
        ("Semiconductor Manufacturing International Corporation", "SEMICONDUCTOR MFG INTL CORP"),
        ("Guizhou Liyang International Manufacturing", "Guizhou Liyang Intl Manufacturing Co Ltd."),
    ],
)
def test_abbreviations_match_both_ways(screener: Screener, query: str, listed: str) -> None:
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("written", ["Mahan Air", "Mahan Airlines", "Mahan Air Lines", "Mahan Airways"])
def test_sector_words_stand_for_one_another(written: str) -> None:
    assert analyze(written).tokens == ("mahan", "air")
    assert "air" in SECTORS


@pytest.mark.parametrize("query", ["Mahan Airlines", "Mahan Air Lines", "MAHAN AIRWAYS"])
def test_mahan_air_however_its_sector_is_written(screener: Screener, query: str) -> None:
    assert best(screener, query, "MAHAN AIR") >= DEFAULT_THRESHOLD


def test_the_words_of_a_sector_read_as_one() -> None:
    assert analyze("Mahan Airlines").tokens == analyze("MAHAN AIR LINES").tokens == analyze("MAHAN AIR").tokens


def test_a_shared_sector_word_alone_is_no_hit(screener: Screener) -> None:
    hits = screener.screen(Party(name="Kish Airlines"))
    assert all("MAHAN" not in h.entity.names[0].full.upper() for h in hits)


@pytest.mark.parametrize(
    ("query", "listed", "form"),
    [
        ("VTB BANK AZERBAIJAN OPEN JT STK COM", "VTB BANK AZERBAIJAN OPEN JOINT STOCK COMPANY", "jsc"),
        ("INTL HELICOPTERS PROGRAMS LTD LIABI", "INTERNATIONAL HELICOPTERS PROGRAMS LIMITED LIABILITY COMPANY", "llc"),
    ],
)
def test_a_legal_form_cut_at_35_characters_is_still_a_legal_form(
    screener: Screener, query: str, listed: str, form: str
) -> None:
    assert len(query) == 35 and analyze(query).legal_forms == (form,)
    assert best(screener, query, listed) == 1.0


def test_only_a_name_of_a_cut_length_ends_in_the_start_of_a_legal_form() -> None:
    assert analyze("VTB BANK AZERBAIJAN OPEN JT STK").legal_forms == ()  # 31 characters: not cut
    one_word = "AZERBAIJAN TRADING AND SHIPING OPEN"
    assert len(one_word) == 35 and analyze(one_word).tokens[-1] == "open"  # one word is no form's start
