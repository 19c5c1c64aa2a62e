"""Words of a free text with their character offsets, normalised like listed names.

Scraped text glues words where links were removed ("Beijingwith",
"microchipsthe"); a word that is not a listed-name token but starts with one
followed by a common short word is split there, so the name inside is found.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from clearance.matching.normalize import tokens as normalized_tokens
from clearance.matching.phonetic import canonical

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$|['’]$", re.IGNORECASE)
GLUE = frozenset(
    "the with and set even to of in on for as at is was from that this by an a or but has had have he she it "
    "its his her their who which will would said says after before".split()
)


class Token(NamedTuple):
    """A word of the text (a named tuple: texts have hundreds of thousands of them)."""

    start: int
    end: int
    text: str
    """As written in the text."""
    norm: str
    """Normalised and in its canonical spelling, comparable with listed-name tokens."""
    raw: str
    """Normalised, before canonical spelling (for explanations)."""


def tokenize(text: str, known: Callable[[str], bool] | None = None) -> list[Token]:
    """Tokens with offsets; possessives dropped; glued words split when `known` recognises the head."""
    found: list[Token] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if "'" in word or "’" in word:
            word = _POSSESSIVE.sub("", word)
        offset = match.start()
        if "-" not in word:
            found.extend(_part_tokens(word, offset, known))
            continue
        for part in word.split("-"):
            if part:
                found.extend(_part_tokens(part, offset, known))
            offset += len(part) + 1
    return found


@lru_cache(maxsize=200_000)
def _forms(part: str) -> tuple[tuple[str, str], ...]:
    """(canonical, normalised) forms of one written word; cached, as texts repeat their words."""
    if part.isascii() and part.isalnum():  # most words: normalisation is lower-casing
        lower = part.lower()
        return ((canonical(lower), lower),)
    return tuple((canonical(n), n) for n in normalized_tokens(part))


def _part_tokens(part: str, start: int, known: Callable[[str], bool] | None) -> list[Token]:
    return [Token(start + a, start + b, written, norm, raw) for a, b, written, norm, raw in _pieces(part, known)]


@lru_cache(maxsize=200_000)
def _pieces(part: str, known: Callable[[str], bool] | None) -> tuple[tuple[int, int, str, str, str], ...]:
    """One written word as tokens with offsets relative to it; cached, as texts repeat their words."""
    forms = _forms(part)
    if len(forms) != 1:
        # A word that normalises to several tokens (CJK syllables) keeps one span for all of them.
        return tuple((0, len(part), part, c, n) for c, n in forms)
    norm = forms[0][1]
    if known is not None and len(part) >= 7 and part.isascii() and not known(canonical(norm)):
        for cut in range(len(part) - 1, 3, -1):
            head, tail = norm[:cut], norm[cut:]
            if tail in GLUE and known(canonical(head)):
                return ((0, cut, part[:cut], canonical(head), head), (cut, len(part), part[cut:], tail, tail))
    return ((0, len(part), part, forms[0][0], norm),)
