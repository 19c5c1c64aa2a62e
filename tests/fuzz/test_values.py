"""Values read from untrusted files and requests: dates, identifier labels, goods codes, countries, OFAC remarks.

Each reader is total over text: it answers (a value, None, or text kept as written) or,
where it documents one, raises its ClearanceError; nothing else escapes.
"""

from __future__ import annotations

import csv
import io

from hypothesis import example, given
from hypothesis import strategies as st

from clearance.countries import to_iso2
from clearance.goods.codes import HS_FILE, LENGTHS, Nomenclature, format_code, normalize_code
from clearance.lists.dates import parse_date, parse_day, parse_dob, parse_published
from clearance.lists.identifiers import identifier_type
from clearance.lists.ofac_remarks import parse_remarks
from clearance.model import DateOfBirth, IdentifierType, PartialDate
from tests.fuzz.strategies import FUZZ, mutated_csv, refused_cleanly, scratch, values

dates = st.one_of(
    values,
    st.from_regex(
        r"(circa |ca\. |c\. )?[0-9]{1,4}([-/ ][0-9]{1,4}){0,2}( (to|-) [0-9]{1,4}([-/][0-9]{1,2}){0,2})?",
        fullmatch=True,
    ),
    st.from_regex(r"[0-9]{1,2} [A-Za-z]{3,9}\.? [0-9]{4}", fullmatch=True),
    st.dates().map(lambda d: d.strftime("%d %b %Y")),
    st.datetimes().map(str),
)


@FUZZ
@given(dates)
def test_dates_read_or_none(text: str) -> None:
    date = parse_date(text)
    assert date is None or parse_date(str(date)) == date
    day = parse_day(text)
    assert day is None or parse_day(day.isoformat()) == day


@FUZZ
@given(dates.filter(str.strip))
@example(".")  # stripped to nothing: pydantic's ValidationError
def test_birth_dates_keep_what_they_cannot_read(text: str) -> None:
    """Every caller passes text that is not blank (a blank birth date is no birth date)."""
    dob = parse_dob(text)
    assert isinstance(dob, DateOfBirth)
    assert dob.date is not None or dob.start is not None or dob.text


@FUZZ
@given(st.one_of(st.none(), dates))
def test_publication_stamps_read_or_refused(text: str | None) -> None:
    refused_cleanly(lambda: parse_published("un", "list.xml", text, "dateGenerated"), "list.xml", "dateGenerated")


@FUZZ
@given(values)
def test_identifier_labels_always_have_a_type(label: str) -> None:
    assert isinstance(identifier_type(label), IdentifierType)


codes = st.one_of(values, st.from_regex(r"[0-9][0-9 .\u00a0]{0,14}", fullmatch=True))


@FUZZ
@given(codes)
def test_goods_codes_are_read_or_refused(text: str) -> None:
    code = refused_cleanly(lambda: normalize_code(text))
    if code is not None:
        assert code.isascii() and code.isdigit() and len(code) in LENGTHS
        assert normalize_code(code) == code == normalize_code(format_code(code))


@FUZZ
@given(
    st.one_of(
        st.none(), values, st.sampled_from(["Russia", "Korea, North", "UA-CRI", "SUHH", "Iran (Islamic Republic of)"])
    )
)
def test_countries_are_a_code_or_none(text: str | None) -> None:
    code = to_iso2(text)
    assert code is None or (len(code) == 2 and code.isascii() and code.isalpha() and code.isupper())


@FUZZ
@given(st.one_of(st.none(), values, st.lists(st.one_of(values, dates.map("DOB {}".format)), max_size=5).map("; ".join)))
def test_ofac_remarks_never_fail(text: str | None) -> None:
    parse_remarks(text)


def _hs_excerpt() -> str:
    rows = list(csv.reader(io.StringIO(HS_FILE.read_text(encoding="utf-8"), newline="")))[:40]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


HS_EXCERPT = _hs_excerpt()


@FUZZ
@given(data=st.data())
def test_a_named_hs_nomenclature_is_read_or_refused(data: st.DataObject) -> None:
    raw = data.draw(mutated_csv(HS_EXCERPT, newline="\n"))
    with scratch() as folder:
        path = folder / "hs.csv"
        path.write_bytes(raw)
        read = refused_cleanly(lambda: Nomenclature.read(path), str(path))
        assert read is None or all(len(code) in (2, 4, 6) for code in read.descriptions)


def test_partial_dates_print_as_they_are_read() -> None:
    assert str(PartialDate.parse("1954-08-30")) == "1954-08-30"
