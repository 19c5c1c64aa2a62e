"""Words of a free text with their character offsets, normalised like listed names.

Scraped text glues words where links were removed ("Beijingwith",
"microchipsthe"); a word that is not a listed-name token but starts with one
followed by a common short word is split there, so the name inside is found.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import NamedTuple

from clearance.matching.normalize import INVISIBLE
from clearance.matching.normalize import tokens as normalized_tokens
from clearance.matching.phonetic import canonical
from clearance.memo import memo

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_HIDDEN = re.compile(f"[{INVISIBLE}]+|(?<=[^\\W\\d_])-[ \\t]*\\r?\\n[ \\t]*(?=[^\\W\\d_])")
"""Invisible characters, and a hyphen at a line's end between letters (kept when the next line starts with
a capital: then it belongs to the name)."""
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
    """Tokens with offsets into `text`; possessives dropped; glued words split when `known` recognises the head.

    Words are read as a reader sees them: invisible characters inside a word ("Pu\u200btin", "Ma\u00adhan")
    and a hyphen that breaks a word across lines ("Pu-\ntin") are taken out first. Offsets still point into
    `text`, so a mention is reported as written.
    """
    visible, shifts = _visible(text)
    found = _tokens(visible, known)
    if not shifts:
        return found
    starts = [at for at, _ in shifts]

    def original(at: int) -> int:
        k = bisect.bisect_right(starts, at) - 1
        return at + (shifts[k][1] if k >= 0 else 0)

    return [t._replace(start=original(t.start), end=original(t.end - 1) + 1) for t in found]


def _visible(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` without what a reader does not see inside words, and where it was cut: (position in the result
    from which on, characters taken out before it)."""
    if not _HIDDEN.search(text):
        return text, []
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []
    last = removed = 0
    for match in _HIDDEN.finditer(text):
        if match.group().startswith("-") and not text[match.end() : match.end() + 1].islower():
            continue  # "Jean-\nPierre": a hyphen of the name that fell at the end of a line
        pieces.append(text[last : match.start()])
        removed += match.end() - match.start()
        shifts.append((match.end() - removed, removed))
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), shifts


def _tokens(text: str, known: Callable[[str], bool] | None) -> list[Token]:
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


@memo(200_000)
def _forms(part: str) -> tuple[tuple[str, str], ...]:
    """(canonical, normalised) forms of one written word; cached, as texts repeat their words."""
    if part.isascii() and part.isalnum():  # most words: normalisation is lower-casing
        lower = part.lower()
        return ((canonical(lower), lower),)
    return tuple((canonical(n), n) for n in normalized_tokens(part))


def _part_tokens(part: str, start: int, known: Callable[[str], bool] | None) -> list[Token]:
    return [Token(start + a, start + b, written, norm, raw) for a, b, written, norm, raw in _pieces(part, known)]


@memo(200_000)
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
