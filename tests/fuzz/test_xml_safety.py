"""Every XML format refuses DTDs, entity declarations and external references before expanding or fetching them.

A billion-laughs document would take the parser's memory, and an external entity would put a
local file (or the answer of an internal URL) into a name that clearance then stores and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.errors import ClearanceError
from clearance.lists.ofac_advanced import parse_enhanced
from clearance.lists.registry import SOURCES
from clearance.text.payments import read_payment
from tests.fuzz.strategies import FUZZ, scratch

# (format, file name, root start tag, parser)
FORMATS: list[tuple[str, str, str, Callable[[Path], object]]] = [
    ("un", "consolidated.xml", "CONSOLIDATED_LIST", SOURCES["un"].parse),
    ("eu", "eu_fsf.xml", 'export xmlns="http://eu.europa.ec/fpi/fsd/export"', SOURCES["eu"].parse),
    ("uk", "UK-Sanctions-List.xml", "Designations", SOURCES["uk"].parse),
    (
        "ofac-sdn-advanced",
        "sdn_advanced.xml",
        'Sanctions xmlns="http://www.un.org/sanctions/1.0"',
        SOURCES["ofac-sdn"].parse,
    ),
    (
        "ofac-cons-advanced",
        "cons_advanced.xml",
        'Sanctions xmlns="http://www.un.org/sanctions/1.0"',
        SOURCES["ofac-cons"].parse,
    ),
    ("ofac-enhanced", "CONS_ENHANCED.XML", "sanctionsData", partial(parse_enhanced, "ofac-cons")),
    ("pacs.008", "payment.xml", 'Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"', read_payment),
]
IDS = [name for name, *_ in FORMATS]


def billion_laughs(name: str, levels: int = 9) -> str:
    declared = "".join(f'<!ENTITY {name}{i} "{f"&{name}{i - 1};" * 10}">' for i in range(1, levels + 1))
    return f'<!ENTITY {name}0 "lol">{declared}', f"&{name}{levels};"


def external(name: str, target: str = "file:///etc/passwd") -> tuple[str, str]:
    return f'<!ENTITY {name} SYSTEM "{target}">', f"&{name};"


def _attack(root: str, subset: str, reference: str, in_attribute: bool, declaration: bool) -> bytes:
    tag = root.split()[0]
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if declaration else ""
    body = f'<{root} note="{reference}"/>' if in_attribute else f"<{root}>{reference}</{tag}>"
    return f"{head}<!DOCTYPE {tag} [{subset}]>\n{body}".encode()


def _refused(parse: Callable[[Path], object], name: str, data: bytes) -> str:
    with scratch() as folder:
        path = folder / name
        path.write_bytes(data)
        with pytest.raises(ClearanceError) as caught:
            parse(path)
    message = str(caught.value)
    assert "unsafe XML" in message and "\n" not in message and "root:" not in message, message
    return message


@pytest.mark.parametrize(("fmt", "name", "root", "parse"), FORMATS, ids=IDS)
def test_billion_laughs_and_external_entities_are_refused(
    fmt: str, name: str, root: str, parse: Callable[[Path], object]
) -> None:
    for subset, reference in (billion_laughs("lol"), external("xxe")):
        _refused(parse, name, _attack(root, subset, reference, in_attribute=False, declaration=True))


entity_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
subsets = st.one_of(
    st.builds(billion_laughs, entity_names, st.integers(1, 9)),
    st.builds(
        external,
        entity_names,
        st.sampled_from(
            [
                "file:///etc/passwd",
                "file:///etc/hostname",
                "http://169.254.169.254/latest/meta-data/",
                "passwd",
                "//x/y",
            ]
        ),
    ),
    st.builds(lambda n: (f'<!ENTITY % {n} SYSTEM "file:///etc/passwd"> %{n};', ""), entity_names),
    st.just(("", "")),  # a DTD with nothing in it is refused as well
)


@pytest.mark.parametrize(("fmt", "name", "root", "parse"), FORMATS, ids=IDS)
@FUZZ
@given(subset=subsets, in_attribute=st.booleans(), declaration=st.booleans())
def test_any_dtd_is_refused(
    fmt: str,
    name: str,
    root: str,
    parse: Callable[[Path], object],
    subset: tuple[str, str],
    in_attribute: bool,
    declaration: bool,
) -> None:
    _refused(parse, name, _attack(root, subset[0], subset[1], in_attribute, declaration))
