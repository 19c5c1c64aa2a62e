"""Every list parser, given a damaged real file or arbitrary bytes, parses it or raises one ClearanceError line.

A load that dies with a KeyError or an XML library's exception leaves the operator a
traceback instead of the file and field to fix, and the service a 500 with no code.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clearance.lists import custom, eu_annex_iv
from clearance.lists.ofac_advanced import parse_enhanced
from clearance.lists.registry import SOURCES
from clearance.lists.source import ParsedList
from tests.fuzz.strategies import (
    FUZZ,
    LISTS,
    byte_mutation,
    csv_excerpt,
    mutated_csv,
    mutated_xml,
    ofac_advanced_excerpt,
    ofac_csv_excerpt,
    ofac_enhanced_excerpt,
    read_csv,
    refused_cleanly,
    scratch,
    un_excerpt,
    values,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class Form:
    """One file format a source reads: how to get a real (excerpted) file of it, and how to parse it."""

    id: str
    name: str
    """The name the file is written under."""
    real: Callable[[], str]
    parse: Callable[[Path], ParsedList]
    records: tuple[str, ...] = ()
    """XML: the record elements, which a mutation may drop or repeat. Empty for CSV."""


def _file(relative: str) -> Callable[[], str]:
    return lambda: (LISTS / relative).read_text(encoding="utf-8")


XML_FORMS = [
    Form("un", "consolidated.xml", un_excerpt, SOURCES["un"].parse, ("INDIVIDUAL", "ENTITY", "INDIVIDUAL_ALIAS")),
    Form(
        "eu",
        "eu_fsf.xml",
        _file("eu/eu_fsf_1_1_excerpt_2026-08-05.xml"),
        SOURCES["eu"].parse,
        ("sanctionEntity", "nameAlias", "birthdate", "identification", "citizenship", "address", "regulation"),
    ),
    Form(
        "uk",
        "UK-Sanctions-List.xml",
        _file("uk/uk_sanctions_list_excerpt_2026-08-14.xml"),
        SOURCES["uk"].parse,
        ("Designation", "Name", "Address", "IndividualDetails"),
    ),
    Form(
        "ofac-advanced",
        "cons_advanced.xml",
        ofac_advanced_excerpt,
        SOURCES["ofac-cons"].parse,
        ("DistinctParty", "Feature", "Alias", "IDRegDocument", "Location", "SanctionsEntry", "ProfileRelationship"),
    ),
    Form(
        "ofac-enhanced",
        "CONS_ENHANCED.XML",
        ofac_enhanced_excerpt,
        partial(parse_enhanced, "ofac-cons"),
        ("entity", "feature", "name", "identityDocument", "address", "relationship", "referenceValue"),
    ),
]
CSV_FORMS = [
    Form("us-csl", "consolidated.csv", _file("us-csl/fixture_consolidated.csv"), SOURCES["us-csl"].parse),
    Form(
        "us-csl-2019",
        "consolidated.csv",
        lambda: csv_excerpt(LISTS / "us-csl/csl_2019.csv", 15),
        SOURCES["us-csl"].parse,
    ),
    Form("eu-annex-iv", "annex_iv.csv", lambda: csv_excerpt(eu_annex_iv.BUNDLED, 25), SOURCES["eu-annex-iv"].parse),
    Form(
        "custom",
        "watchlist.csv",
        lambda: (EXAMPLES / "parties.csv").read_text(encoding="utf-8"),
        custom.custom_source("fuzz").parse,
    ),
]
FORMS = {form.id: form for form in XML_FORMS + CSV_FORMS}


@cache
def _real(form_id: str) -> str:
    return FORMS[form_id].real()


def _parses_or_refuses(form: Form, data: bytes) -> None:
    with scratch() as folder:
        path = folder / form.name
        path.write_bytes(data)
        refused_cleanly(lambda: form.parse(path), str(path))


def test_every_excerpt_parses() -> None:
    """The mutations start from files that parse, so a refusal is the mutation's doing."""
    for form in FORMS.values():
        _parses_or_refuses(form, _real(form.id).encode("utf-8"))
        with scratch() as folder:
            path = folder / form.name
            path.write_text(_real(form.id), encoding="utf-8")
            assert form.parse(path).entities, form.id


@pytest.mark.parametrize("form_id", [form.id for form in XML_FORMS])
@FUZZ
@given(data=st.data())
def test_mutated_xml_lists(form_id: str, data: st.DataObject) -> None:
    form = FORMS[form_id]
    _parses_or_refuses(form, data.draw(mutated_xml(_real(form_id), form.records)))


@pytest.mark.parametrize("form_id", [form.id for form in CSV_FORMS])
@FUZZ
@given(data=st.data())
def test_mutated_csv_lists(form_id: str, data: st.DataObject) -> None:
    _parses_or_refuses(FORMS[form_id], data.draw(mutated_csv(_real(form_id))))


@pytest.mark.parametrize("form_id", list(FORMS))
@FUZZ
@given(data=st.one_of(st.binary(max_size=512), st.text(max_size=256).map(str.encode)))
@example(data=b'<?xml version="1.0" encoding="ttf-8"?><r/>')  # LookupError
@example(data=b'<?xml version="1.0" encoding="shift_jis"?><r/>')  # ValueError from expat
@example(data=b"id,name,ids,dob\n1,X,passport:,\n")  # ValidationError: an identifier without a number
@example(data=b"id,name,dob\n1,X,.\n")  # ValidationError: a birth date of nothing
@example(data=b"entry_no,name\n1," + b"x" * 140_000 + b"\n")  # csv.Error: over the csv module's cell limit
def test_arbitrary_bytes_as_a_list(form_id: str, data: bytes) -> None:
    _parses_or_refuses(FORMS[form_id], data)


@FUZZ
@given(data=st.data())
def test_mutated_us_csl_gzip(data: st.DataObject) -> None:
    """The gzip form: a damaged CSV compressed, or a damaged compressed stream."""
    text = data.draw(mutated_csv(_real("us-csl"), raw=False))
    packed = gzip.compress(text)
    if data.draw(st.booleans()):
        packed = data.draw(byte_mutation(packed))
    _parses_or_refuses(FORMS["us-csl"], packed)


_SET_FILES = {
    "ofac-sdn": ("sdn_csv_2021-07-07", ""),
    "ofac-cons": ("cons_csv_2025-12-19", "cons_"),
}


@cache
def _csv_set(source: str) -> dict[str, str]:
    folder, prefix = _SET_FILES[source]
    return ofac_csv_excerpt(folder, prefix, 400 if source == "ofac-sdn" else 30)


@cache
def _remark_statements() -> list[str]:
    """Every statement of the real SDN remarks: what a mutated remark is made of."""
    rows = (LISTS / "ofac" / "sdn_csv_2021-07-07" / "sdn.csv").read_text(encoding="utf-8")
    return sorted({part.strip() for row in read_csv(rows) if len(row) > 11 for part in row[11].split(";")} - {""})


def _remarks() -> st.SearchStrategy[str]:
    statements = st.sampled_from(_remark_statements())
    return st.lists(st.one_of(statements, statements.map(lambda s: s[: len(s) // 2]), values), max_size=6).map(
        "; ".join
    )


@pytest.mark.parametrize("source", list(_SET_FILES))
@FUZZ
@given(data=st.data())
def test_mutated_ofac_csv_sets(source: str, data: st.DataObject) -> None:
    """One file of the set damaged (its cells, or the remarks OFAC writes facts into), or one left out."""
    files = dict(_csv_set(source))
    name = data.draw(st.sampled_from(sorted(files)))
    cells = st.one_of(values, _remarks()) if name.endswith(("sdn.csv", "prim.csv")) else values
    if data.draw(st.integers(0, 9)) == 0:
        del files[name]
    else:
        files[name] = data.draw(mutated_csv(files[name], cells)).decode("utf-8", "surrogateescape")
    with scratch() as folder:
        for file_name, text in files.items():
            (folder / file_name).write_bytes(text.encode("utf-8", "surrogateescape"))
        refused_cleanly(lambda: SOURCES[source].parse(folder), str(folder))


@pytest.mark.parametrize("ent_num", ["\u00b2", "9" * 5_000])
def test_an_ent_num_that_is_no_number_is_refused(ent_num: str) -> None:
    """str.isdigit took both; int() then failed with ValueError."""
    files = dict(_csv_set("ofac-sdn"))
    files["sdn.csv"] = ent_num + files["sdn.csv"][files["sdn.csv"].index(",") :]
    with scratch() as folder:
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        assert refused_cleanly(lambda: SOURCES["ofac-sdn"].parse(folder), "sdn.csv", "ent_num") is None


@pytest.mark.parametrize("year", ["\u00b2", "9" * 30])
def test_an_advanced_xml_year_that_is_no_number_is_refused(year: str) -> None:
    """ValueError from int(), OverflowError from a date of a 30-digit year."""
    text = _real("ofac-advanced").replace("<Year>2020</Year>", f"<Year>{year}</Year>", 1)
    with scratch() as folder:
        path = folder / "cons_advanced.xml"
        path.write_text(text, encoding="utf-8")
        assert refused_cleanly(lambda: SOURCES["ofac-cons"].parse(path), str(path), "Year") is None
