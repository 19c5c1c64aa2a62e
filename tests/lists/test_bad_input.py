"""Bad files every parser refuses alike: one ListFormatError line that names the file.

Each source is tried in every form it reads (OFAC's lists as a legacy CSV set and, given
an `.xml` file, as advanced XML), with a real file of that form spoilt in one way. The
errors a parser finds inside a record differ by format and are tested with each parser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from clearance.errors import ListFormatError, UnsafeXMLError
from clearance.lists.registry import SOURCES
from tests.lists.conftest import Fails

SANCTIONS = 'Sanctions xmlns="http://www.un.org/sanctions/1.0" Version="3"'
"""The root of OFAC's advanced XML."""


@dataclass(frozen=True)
class Form:
    """One form of a source's file, and what its parser says of each kind of bad file."""

    id: str
    source: str
    real: str
    """A real file of this form, under the shared list folder."""
    name: str
    """The name the file is given; a CSV set's file is put in a folder, which is what is parsed."""
    foreign: str
    """What the parser says of another source's file of its own kind (XML, or any for a CSV reader)."""
    root: str | None = None
    """The start tag of an XML form's root element; None for a CSV form."""
    folder: bool = False
    truncated: str = "not well-formed"
    utf16: str = "not well-formed"

    def write(self, tmp_path: Path, data: bytes) -> tuple[Path, Path]:
        """`data` put where this form's parser reads it: what to parse, and the file its errors name."""
        file = tmp_path / self.name
        file.write_bytes(data)
        return (tmp_path if self.folder else file), file


def _csv_set(source: str, real: str) -> Form:
    return Form(
        source,
        source,
        real,
        Path(real).name,
        f"not a {source} file (OFAC legacy CSV)",
        folder=True,
        truncated="malformed CSV",
        utf16="UTF-16",
    )


def _advanced_xml(source: str) -> Form:
    # The only real advanced XML file kept is the Consolidated one: for the SDN list it breaks alike.
    return Form(
        f"{source}.xml",
        source,
        "ofac/xml/cons_advanced_2020-03-17.xml",
        f"{source}.xml",
        f"not a {source} file",
        SANCTIONS,
    )


FORMS = [
    _csv_set("ofac-sdn", "ofac/sdn_csv_fixture_17/sdn.csv"),
    _csv_set("ofac-cons", "ofac/cons_csv_2025-12-19/cons_prim.csv"),
    _advanced_xml("ofac-sdn"),
    _advanced_xml("ofac-cons"),
    Form(
        "eu",
        "eu",
        "eu/eu_fsf_1_1_excerpt_2026-08-05.xml",
        "eu_fsf.xml",
        "not an eu file",
        'export xmlns="http://eu.europa.ec/fpi/fsd/export"',
    ),
    Form("un", "un", "un/UN_consolidated_2026-02-27.xml", "consolidated.xml", "not a un file", "CONSOLIDATED_LIST"),
    Form(
        "uk",
        "uk",
        "uk/uk_sanctions_list_excerpt_2026-08-14.xml",
        "UK-Sanctions-List.xml",
        "not a uk file",
        "Designations",
    ),
    Form(
        "us-csl",
        "us-csl",
        "us-csl/fixture_consolidated.csv",
        "consolidated.csv",
        "not a us-csl file",
        truncated="row",
        utf16="UTF-16",
    ),
]
ALL = [pytest.param(form, id=form.id) for form in FORMS]
XML = [pytest.param(form, id=form.id) for form in FORMS if form.root is not None]
FOREIGN = [
    pytest.param(form, other, id=f"{form.id}<-{other.id}")
    for form in FORMS
    for other in FORMS
    # OFAC's two CSV sets share one layout and are told apart by their file names (test_ofac_csv.py).
    if other.real != form.real and not (form.folder and other.folder)
]


def _refused(
    form: Form, tmp_path: Path, data: bytes, fails: Fails, phrase: str, error: type[ListFormatError] = ListFormatError
) -> None:
    """`data`, put where `form` is read, fails with `error`: one line naming the file and saying `phrase`."""
    target, file = form.write(tmp_path, data)
    fails(SOURCES[form.source].parse, target, phrase, error=error, file=file)


@pytest.mark.parametrize("form", ALL)
def test_empty_file(form: Form, tmp_path: Path, fails: Fails) -> None:
    _refused(form, tmp_path, b"", fails, "empty")


@pytest.mark.parametrize("form", ALL)
def test_truncated_file(form: Form, lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    data = (lists_dir / form.real).read_bytes()
    _refused(form, tmp_path, data[: len(data) // 2], fails, form.truncated)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
@pytest.mark.parametrize("form", ALL)
def test_utf16_file(form: Form, encoding: str, lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    text = (lists_dir / form.real).read_text(encoding="utf-8")
    _refused(form, tmp_path, text.encode(encoding), fails, form.utf16)


@pytest.mark.parametrize(("form", "other"), FOREIGN)
def test_another_sources_file(form: Form, other: Form, lists_dir: Path, tmp_path: Path, fails: Fails) -> None:
    said = form.foreign if form.root is None or other.root is not None else "not well-formed"
    _refused(form, tmp_path, (lists_dir / other.real).read_bytes(), fails, said)


def _xxe(root: str, tag: str) -> str:
    return f'<!DOCTYPE {tag} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><{root}>&xxe;</{tag}>'


def _billion_laughs(root: str, tag: str) -> str:
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return f'<!DOCTYPE {tag} [<!ENTITY l0 "lol">{levels}]><{root}>&l9;</{tag}>'


def _remote_dtd(root: str, tag: str) -> str:
    return f'<!DOCTYPE {tag} SYSTEM "http://example.com/{tag}.dtd"><{root}/>'


@pytest.mark.parametrize("attack", [_xxe, _billion_laughs, _remote_dtd], ids=["xxe", "billion-laughs", "remote-dtd"])
@pytest.mark.parametrize("form", XML)
def test_unsafe_xml_is_refused(form: Form, attack: Callable[[str, str], str], tmp_path: Path, fails: Fails) -> None:
    assert form.root is not None
    data = '<?xml version="1.0"?>\n' + attack(form.root, form.root.split()[0])
    _refused(form, tmp_path, data.encode(), fails, "unsafe XML", UnsafeXMLError)
