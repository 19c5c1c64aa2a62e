"""Goods codes: read in any usual spelling, refused when malformed, matched by prefix, described from HS 2022."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.goods.codes import (
    CodeError,
    Nomenclature,
    format_code,
    hs_path,
    load_nomenclature,
    normalize_code,
    prefixes,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("854231", "854231"),
        ("8542.31", "854231"),
        ("8542 31", "854231"),
        (" 8542.31.90 ", "85423190"),
        ("8542 31 90 00", "8542319000"),
        ("8542", "8542"),
        ("85", "85"),
        ("0101", "0101"),
    ],
)
def test_dotted_spaced_and_plain_codes_are_one_code(text: str, code: str) -> None:
    assert normalize_code(text) == code


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("", "empty"),
        ("8542x1", "not a goods code"),
        ("85423", "5 digits"),
        ("8542311", "7 digits"),
        ("854231901234", "12 digits"),
        ("８５４２３１", "not a goods code"),
        ("-854231", "not a goods code"),
    ],
)
def test_malformed_codes_are_refused(text: str, phrase: str) -> None:
    with pytest.raises(CodeError, match=phrase):
        normalize_code(text)


def test_a_code_is_matched_along_the_nomenclature() -> None:
    assert prefixes("85423190") == ["85", "8542", "854231", "85423190"]
    assert format_code("854231") == "8542 31"
    assert format_code("84717098") == "8471 70 98"


@given(st.text(alphabet="0123456789", min_size=1, max_size=5).map(lambda s: s * 2).filter(lambda s: len(s) <= 10))
def test_normalising_is_idempotent_and_keeps_the_digits(digits: str) -> None:
    dotted = ".".join(digits[i : i + 2] for i in range(0, len(digits), 2))
    code = normalize_code(dotted)
    assert code == digits == normalize_code(code)
    assert prefixes(code)[-1] == code


def test_official_descriptions_come_from_hs_2022() -> None:
    hs = load_nomenclature()
    assert hs is not None
    assert hs.describe("854231").startswith("Electronic integrated circuits; processors and controllers")
    assert hs.describe("85423190") == hs.describe("854231")
    assert hs.describe("852589") == "Television cameras; n.e.c. in item no 8525.8"
    assert hs.describe("8806") == "Unmanned aircraft"
    assert hs.known("854231") and hs.known("8542")
    assert not hs.known("441860")  # printed in Annex XXIII; HS 2022 moved posts and beams to 4418 30
    assert not hs.known("854299")


def test_the_hs_file_is_taken_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLEARANCE_HS_FILE", str(tmp_path / "missing.csv"))
    with pytest.raises(CodeError, match="CLEARANCE_HS_FILE"):
        hs_path()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,text\n01,Animals\n", encoding="utf-8")
    with pytest.raises(CodeError, match="expected columns"):
        Nomenclature.read(bad)
