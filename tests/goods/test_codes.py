"""Goods codes: read in any usual spelling, refused when malformed, matched by prefix, described from HS 2022."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clearance
from clearance.goods.codes import (
    HS_FILE,
    CodeError,
    Nomenclature,
    format_code,
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


def test_the_packaged_nomenclature_is_read_whatever_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, goods_dir: Path
) -> None:
    monkeypatch.setenv("CLEARANCE_HS_FILE", str(tmp_path / "missing.csv"))  # the library reads no environment
    monkeypatch.chdir(tmp_path)
    hs = load_nomenclature()
    assert hs.path == HS_FILE and hs.path.is_relative_to(Path(clearance.__file__).resolve().parent)
    assert goods_dir.resolve() not in hs.path.parents
    assert hs.describe("852589") == "Television cameras; n.e.c. in item no 8525.8"
    # shipped verbatim, as its README says
    assert hs.path.read_bytes() == (goods_dir / "harmonized-system.csv").read_bytes()


def test_a_nomenclature_file_named_by_the_caller_is_read(tmp_path: Path) -> None:
    own = tmp_path / "hs.csv"
    own.write_text("section,hscode,description,parent,level\nXVI,8542,Electronic integrated circuits,85,4\n")
    hs = load_nomenclature(own)
    assert hs.path == own.resolve() and hs.describe("854231") == "Electronic integrated circuits"
    assert not hs.known("854231")


@pytest.mark.parametrize(
    ("name", "content", "phrase"),
    [
        ("missing.csv", None, "cannot read: No such file or directory"),
        ("bad.csv", "code,text\n01,Animals\n", "expected columns section, hscode, description, parent, level"),
        ("letters.csv", "section,hscode,description,parent,level\nI,01a,Animals,TOTAL,2\n", "line 2: hscode '01a'"),
        ("latin1.csv", "section,hscode,description,parent,level\nI,01,Caf\xe9,TOTAL,2\n", "not UTF-8 text"),
    ],
)
def test_a_bad_nomenclature_file_is_one_line_naming_it(
    tmp_path: Path, name: str, content: str | None, phrase: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content.encode("latin-1"))
    with pytest.raises(CodeError) as caught:
        load_nomenclature(path)
    message = str(caught.value)
    assert message.startswith(f"HS nomenclature {path}: ") and phrase in message and "\n" not in message
    with pytest.raises(CodeError, match="Is a directory"):
        Nomenclature.read(tmp_path)
