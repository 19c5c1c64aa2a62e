"""What the fuzz tests share: the real files cut to a few records, mutations of them, and the rule they check.

Mutating a real file reaches the code that reads each field (a fully random file stops at the
first syntax check); the excerpts keep a parse to milliseconds, so a bounded budget still tries
many variants.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

from hypothesis import settings
from hypothesis import strategies as st

from clearance.errors import ClearanceError
from tests.conftest import LISTS

_T = TypeVar("_T")

FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
"""The budget of every fuzz test, registered in conftest.py: `ci` unless HYPOTHESIS_PROFILE names another."""


def refused_cleanly(call: Callable[[], _T], *names: str) -> _T | None:
    """`call()`'s result, or None when it raised the documented root with one line naming each of `names`.

    Any other exception propagates, and so fails the test: it is a bug in the parser.
    """
    try:
        return call()
    except ClearanceError as exc:
        message = str(exc)
        assert message and "\n" not in message, repr(message)
        for name in names:
            assert name in message, (name, message)
        return None


@contextmanager
def scratch() -> Iterator[Path]:
    """A fresh folder per example (pytest's tmp_path is one per test, shared by every example)."""
    with tempfile.TemporaryDirectory(prefix="clearance-fuzz-") as folder:
        yield Path(folder)


# --- values -----------------------------------------------------------------------------------

ODD_VALUES = (
    "",
    " ",
    "\t",
    "0",
    "00",
    "-0-",
    "-1",
    "1e309",
    "NaN",
    "9" * 30,
    "9" * 5_000,
    "A" * 3_000,
    "x" * 140_000,  # over the csv module's limit for one cell
    "true",
    "false",
    "null",
    "\u00b2",  # a digit to str.isdigit, not to int()
    "\u0661\u0669\u0668\u0660",  # Arabic-Indic 1980
    "\u200b",
    "\ufeff",
    "0000-00-00",
    "2021-02-30",
    "1900-13-01",
    "0001-01-01",
    "9999-12-31",
    "31/02/2020",
    "dd/mm/1970",
    "circa 1960",
    "1958 to 1960",
    "1960 - 1958",
    "12 Foo 1970",
    "2020-01-01T25:61:00",
    "2020-01-01T00:00:00+99:00",
    "ZZ",
    "XX",
    "None",
    "Region: Crimea",
    "Linked To: X",
    "a.k.a. 'X'",
    "DOB ",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    ":",
    "/",
    "IMO 1234567",
)
_XML_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
values = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=40),
    st.text(_XML_CHARS, max_size=40),
    st.from_regex(r"[0-9]{1,5}([-/. ][0-9]{1,4}){0,2}", fullmatch=True),
)
"""A value to put in a field: odd ones files really hold or could, and arbitrary text."""


# --- excerpts of real files ---------------------------------------------------------------------


def _element(tag: str) -> re.Pattern[str]:
    """An element named `tag` (any namespace prefix) with everything in it; record tags do not nest."""
    name = rf"(?:[\w.-]+:)?{tag}"
    return re.compile(rf"<{name}(?=[\s>/])[^>]*?(?:/>|>.*?</{name}\s*>)\s*", re.S)


def drop_elements(text: str, tag: str, keep: Callable[[int, str], bool]) -> str:
    """`text` without the `tag` elements for which `keep(index, element)` is false."""
    index = -1

    def one(match: re.Match[str]) -> str:
        nonlocal index
        index += 1
        return match.group(0) if keep(index, match.group(0)) else ""

    return _element(tag).sub(one, text)


def every(step: int) -> Callable[[int, str], bool]:
    return lambda index, _element: index % step == 0


def un_excerpt() -> str:
    text = (LISTS / "un" / "UN_consolidated_2026-02-27.xml").read_text(encoding="utf-8")
    text = drop_elements(text, "INDIVIDUAL", every(110))
    return drop_elements(text, "ENTITY", every(45))


def ofac_advanced_excerpt() -> str:
    """A few parties of the 2020 Consolidated advanced XML, with the entries, documents, places and links of them."""
    text = (LISTS / "ofac" / "xml" / "cons_advanced_2020-03-17.xml").read_text(encoding="utf-8")
    text = drop_elements(text, "DistinctParty", every(60))
    profiles = set(re.findall(r'<Profile ID="(\d+)"', text))
    identities = set(re.findall(r'<Identity ID="(\d+)"', text))
    locations = set(re.findall(r'LocationID="(\d+)"', text))
    text = drop_elements(text, "SanctionsEntry", lambda _, e: re.search(r'ProfileID="(\d+)"', e)[1] in profiles)  # type: ignore[index]
    text = drop_elements(text, "IDRegDocument", lambda _, e: re.search(r'IdentityID="(\d+)"', e)[1] in identities)  # type: ignore[index]
    text = drop_elements(text, "Location", lambda _, e: re.search(r'ID="(\d+)"', e)[1] in locations)  # type: ignore[index]
    return drop_elements(
        text, "ProfileRelationship", lambda _, e: set(re.findall(r'-ProfileID="(\d+)"', e)) <= profiles
    )


def read_csv(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data, newline="")))


def write_csv(rows: Sequence[Sequence[str]], newline: str = "\r\n") -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue()


def ofac_csv_excerpt(folder: str, prefix: str, step: int) -> dict[str, str]:
    """Every `step`-th entry of an OFAC CSV set, with the address, alias and comment rows of those entries."""
    names = {"": ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv")}.get(
        prefix, tuple(f"{prefix}{n}.csv" for n in ("prim", "add", "alt", "comments"))
    )
    files = {name: (LISTS / "ofac" / folder / name).read_text(encoding="utf-8") for name in names}
    continued = {row[0] for row in read_csv(files[names[3]].rstrip("\x1a"))[:3] if row}
    primary = [
        row
        for i, row in enumerate(read_csv(files[names[0]].rstrip("\x1a")))
        if i % step == 0 or row[:1] and row[0] in continued
    ]
    kept = {row[0] for row in primary if row}
    excerpt = {names[0]: write_csv(primary)}
    for name in names[1:]:
        excerpt[name] = write_csv([row for row in read_csv(files[name].rstrip("\x1a")) if row and row[0] in kept])
    return excerpt


def csv_excerpt(path: Path, rows: int) -> str:
    """The header and the first `rows` records of a CSV file."""
    return write_csv(read_csv(path.read_text(encoding="utf-8-sig"))[: rows + 1], "\n")


# --- mutations ----------------------------------------------------------------------------------


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` truncated, or with bytes flipped, inserted or deleted."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
    at = draw(st.integers(0, len(data)))
    if kind == "truncate":
        return data[:at]
    if kind == "flip" and at < len(data):
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    if kind == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    return data[:at] + data[at + draw(st.integers(1, 64)) :]


_TEXT_NODE = re.compile(r">([^<]*[^<\s][^<]*)<")
"""A text node with something in it (not the indentation between elements)."""
_ATTRIBUTE = re.compile(r"""(\s[\w:.-]+=)("[^"]*"|'[^']*')""")
_LEAF = re.compile(r"<([\w:.-]+)(?:\s[^<>]*)?(?:/>|>[^<]*</\1\s*>)")


def _pick(draw: st.DrawFn, pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = list(pattern.finditer(text))
    return draw(st.sampled_from(found)) if found else None


@st.composite
def xml_mutation(draw: st.DrawFn, text: str, records: Sequence[str] = ()) -> str:
    """One change to an XML document: a text or attribute value replaced, an element dropped or repeated.

    The new value is escaped, so the file mostly stays well-formed and its parser reads on to the field.
    """
    kind = draw(st.sampled_from(["text", "text", "attribute", "drop", "repeat", "record", "raw"]))
    value = draw(values)
    if kind == "text" and (match := _pick(draw, _TEXT_NODE, text)):
        return text[: match.start(1)] + escape(value) + text[match.end(1) :]
    if kind == "attribute" and (match := _pick(draw, _ATTRIBUTE, text)):
        return text[: match.start(2)] + quoteattr(value) + text[match.end(2) :]
    if kind in ("drop", "repeat") and (match := _pick(draw, _LEAF, text)):
        element = match.group(0) * (2 if kind == "repeat" else 0)
        return text[: match.start()] + element + text[match.end() :]
    if kind == "record" and records:
        tag = draw(st.sampled_from(list(records)))
        if match := _pick(draw, _element(tag), text):
            times = draw(st.sampled_from([0, 2]))
            return text[: match.start()] + match.group(0) * times + text[match.end() :]
    if kind == "raw" and (match := _pick(draw, _TEXT_NODE, text)):
        return text[: match.start(1)] + value + text[match.end(1) :]  # unescaped: may break the syntax
    return text


@st.composite
def mutated_xml(draw: st.DrawFn, text: str, records: Sequence[str] = ()) -> bytes:
    """A real XML document with one to three changes, and sometimes damaged bytes as well."""
    for _ in range(draw(st.integers(1, 3))):
        text = draw(xml_mutation(text, records))
    data = text.encode("utf-8")
    return draw(byte_mutation(data)) if draw(st.integers(0, 3)) == 0 else data


@st.composite
def csv_mutation(draw: st.DrawFn, rows: list[list[str]], cell: st.SearchStrategy[str] = values) -> list[list[str]]:
    """One change to CSV rows: a cell replaced, a cell added or removed, a row dropped or repeated."""
    rows = [list(row) for row in rows]
    if not rows:
        return [[draw(cell)]]
    r = draw(st.integers(0, len(rows) - 1))
    kind = draw(st.sampled_from(["cell", "cell", "cell", "widen", "narrow", "drop", "repeat"]))
    if kind == "cell" and rows[r]:
        rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(cell)
    elif kind == "widen":
        rows[r].insert(draw(st.integers(0, len(rows[r]))), draw(cell))
    elif kind == "narrow" and rows[r]:
        del rows[r][draw(st.integers(0, len(rows[r]) - 1))]
    elif kind == "drop":
        del rows[r]
    elif kind == "repeat":
        rows.insert(r, list(rows[r]))
    return rows


@st.composite
def mutated_csv(
    draw: st.DrawFn, text: str, cell: st.SearchStrategy[str] = values, newline: str = "\r\n", raw: bool = True
) -> bytes:
    """A real CSV file with one to three changes, and sometimes damaged bytes as well."""
    rows = read_csv(text)
    for _ in range(draw(st.integers(1, 3))):
        rows = draw(csv_mutation(rows, cell))
    data = write_csv(rows, newline).encode("utf-8")
    return draw(byte_mutation(data)) if raw and draw(st.integers(0, 3)) == 0 else data


def ofac_enhanced_excerpt() -> str:
    with zipfile.ZipFile(LISTS / "ofac" / "cons_csv_2025-12-19" / "CONS_ENHANCED.ZIP") as archive:
        text = archive.read("CONS_ENHANCED.XML").decode("utf-8")
    return drop_elements(text, "entity", every(40))
