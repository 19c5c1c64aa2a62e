"""Parsing untrusted XML.

Official list files travel through mirrors and e-mail before they reach us, so a
file is parsed as hostile: no DTD, no entity declarations, no external references.
defusedxml refuses all three before anything is expanded or fetched (billion
laughs, XXE, DTD retrieval); the refusal becomes a one-line `UnsafeXMLError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from defusedxml.ElementTree import parse as _parse

from clearance.errors import ListFormatError, UnsafeXMLError


def local(tag: str) -> str:
    """An element or attribute name without its namespace."""
    return tag.rsplit("}", 1)[-1]


@contextmanager
def reading(source: str, path: Path) -> Iterator[None]:
    """Reading `path` as hostile XML: a refusal or a syntax error becomes a one-line list error."""
    try:
        yield
    except DefusedXmlException as exc:
        raise UnsafeXMLError(source, path, f"refused unsafe XML ({type(exc).__name__}): {exc}") from None
    except ParseError as exc:
        raise ListFormatError(source, path, f"not well-formed XML: {exc}") from None
    except (LookupError, ValueError) as exc:  # the declared encoding is unknown (`ttf-8`) or one expat cannot read
        raise ListFormatError(source, path, f"unreadable XML encoding: {exc}") from None


def parse_xml(source: str, path: Path, root: str) -> Element:
    """Parse a whole XML file and check the name of its root element."""
    if path.stat().st_size == 0:
        raise ListFormatError(source, path, "file is empty")
    with reading(source, path):
        tree = _parse(str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    element = tree.getroot()
    if element is None or local(element.tag) != root:
        found = local(element.tag) if element is not None else "nothing"
        raise ListFormatError(source, path, f"expected root element <{root}>, found <{found}>: not a {source} file")
    return element


def parse_xml_bytes(source: str, data: bytes, where: str, root: str) -> Element:
    """Parse XML received as bytes (a request body, say), `where` naming it in errors."""
    path = Path(where)
    if not data.strip():
        raise ListFormatError(source, path, "empty")
    with reading(source, path):
        element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    if local(element.tag) != root:
        raise ListFormatError(
            source, path, f"expected root element <{root}>, found <{local(element.tag)}>: not a {source}"
        )
    return element


def iter_elements(source: str, path: Path, tag: str) -> Iterator[Element]:
    """Stream the elements named `tag` (namespace ignored), freeing each once read."""
    if path.stat().st_size == 0:
        raise ListFormatError(source, path, "file is empty")
    with reading(source, path):
        for _event, element in iterparse(
            str(path), events=("end",), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ):
            if local(element.tag) == tag:
                yield element
                element.clear()


def text(element: Element | None, path: str | None = None) -> str | None:
    """The stripped text of `element` (or of its child at `path`), None when blank."""
    if element is None:
        return None
    node = element if path is None else find(element, path)
    if node is None or node.text is None:
        return None
    value = " ".join(node.text.split())
    return value or None


def find(element: Element, path: str) -> Element | None:
    """Find a descendant by a `/`-separated path of local names (namespaces ignored)."""
    node: Element | None = element
    for step in path.split("/"):
        if node is None:
            return None
        node = next((child for child in node if local(child.tag) == step), None)
    return node


def findall(element: Element, name: str) -> list[Element]:
    """The direct children named `name` (namespace ignored)."""
    return [child for child in element if local(child.tag) == name]
