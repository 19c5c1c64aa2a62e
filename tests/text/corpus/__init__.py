"""The annotated corpus of real published texts for text screening: loading it, and scoring a screening of it.

Every `.txt` here is one document, exactly as published (excerpts of whole paragraphs); `annotations.json`
says, for each document, every listed party it names (`mentions`) and the text that looks like a listed name
but names none (`negatives`). README.md gives the provenance of each document and how annotations are written.
Only the standard library is used, so that tests and benchmarks can both load it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
KINDS = ("full", "short")
"""`full`: the party's name as written (in any script, inflected, with initials); `short`: a surname alone or
an organisation's short name, whether or not the text names the party in full."""


@dataclass(frozen=True)
class Span:
    """An annotated place in a document: `text` is `document[start:start + len(text)]`."""

    start: int
    text: str
    ids: tuple[str, ...]
    """Entity ids of the real lists (every source's record of the one designation)."""
    kind: str = "full"
    party: str = ""
    why: str = ""

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    mentions: tuple[Span, ...]
    negatives: tuple[Span, ...]

    @property
    def language(self) -> str:
        return self.name.split("-", 1)[0]


@dataclass(frozen=True)
class Found:
    """A place a screener reports as naming a listed party, with the entity ids it names there."""

    start: int
    end: int
    text: str
    ids: frozenset[str]


@dataclass(frozen=True)
class Score:
    """How one screening of one document compares with its annotations."""

    found: tuple[Span, ...]
    missed: tuple[Span, ...]
    false_hits: tuple[Found, ...]
    """Reported places that overlap no annotated mention of one of the entities they name."""
    traps_hit: tuple[Span, ...]


def _spans(rows: Iterable[dict[str, Any]]) -> tuple[Span, ...]:
    return tuple(
        Span(
            start=int(row["start"]),
            text=str(row["text"]),
            ids=tuple(str(i) for i in row.get("ids") or ()),
            kind=str(row.get("kind", "full")),
            party=str(row.get("party", "")),
            why=str(row.get("why", "")),
        )
        for row in rows
    )


def load(folder: Path = HERE) -> list[Document]:
    """Every document of the corpus with its annotations, by file name."""
    annotations = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))["documents"]
    return [
        Document(
            name=path.name,
            text=path.read_text(encoding="utf-8"),
            mentions=_spans(annotations.get(path.name, {}).get("mentions", [])),
            negatives=_spans(annotations.get(path.name, {}).get("negatives", [])),
        )
        for path in sorted(folder.glob("*.txt"))
    ]


def score(document: Document, reported: Sequence[Found]) -> Score:
    """An annotated mention is found when a reported place overlaps it and names one of its ids; a reported
    place is a false hit when it overlaps no annotated mention of an entity it names (a right place for the
    wrong party is a false hit and a miss); a negative is hit when any reported place overlaps it."""
    found: list[Span] = []
    missed: list[Span] = []
    for span in document.mentions:
        ok = any(span.overlaps(r.start, r.end) and r.ids & set(span.ids) for r in reported)
        (found if ok else missed).append(span)
    false_hits = [
        r for r in reported if not any(s.overlaps(r.start, r.end) and r.ids & set(s.ids) for s in document.mentions)
    ]
    traps = [n for n in document.negatives if any(n.overlaps(r.start, r.end) for r in reported)]
    return Score(tuple(found), tuple(missed), tuple(false_hits), tuple(traps))
