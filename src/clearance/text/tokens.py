"""Words of a free text with their character offsets, normalised like listed names.

Scraped text glues words where links were removed ("Beijingwith",
"microchipsthe"); a word that is not a listed-name token but starts with one
followed by a common short word is split there, so the name inside is found.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from enum import IntEnum
from itertools import accumulate
from typing import NamedTuple

import numpy as np

from clearance.matching.names import rewritten
from clearance.matching.normalize import INVISIBLE
from clearance.matching.normalize import tokens as normalized_tokens
from clearance.matching.phonetic import canonical
from clearance.memo import memo
from clearance.text.spellings import other_spellings

_WORD = re.compile(r"([^\W_]+(?:[-'’][^\W_]+)*)", re.UNICODE)
"""A word, captured: `split` gives the gaps and the words in turn, with no match object per word."""
_MARKS = (
    "\u0300-\u036f"
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
"""Combining accents, as dictionaries and encyclopaedias put stress marks on Russian words (`Лавро́в`), and
the format characters (Unicode Cf) names never hold beside those `INVISIBLE` lists (tag characters,
interlinear annotation marks): taken out, or they would cut a word in two."""
_HIDDEN = re.compile(f"[{INVISIBLE}{_MARKS}]+|(?<=[^\\W\\d_])-[ \\t]*\\r?\\n[ \\t]*(?=[^\\W\\d_])")
"""Invisible characters, and a hyphen at a line's end between letters (kept when the next line starts with
a capital: then it belongs to the name)."""
_INVISIBLE = re.compile(f"[{INVISIBLE}{_MARKS}]")
_LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n")
"""Cheap looks for what `_HIDDEN` finds, each a plain scan: one pattern for both scans several times slower."""
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
    alts: tuple[str, ...] = ()
    """Listed-name words this one may stand for besides `norm` (`spellings.other_spellings`)."""


_Piece = tuple[int, int, str, str, str, tuple[str, ...]]
"""A token of a written word: start and end within the word, text, norm, raw, alts (as `Token`)."""


class Seed(IntEnum):
    """How a word may start a name in `tokens_near`."""

    NO = 0
    BESIDE = 1
    """Only beside a word that joins it."""
    ALONE = 2
    """Even alone."""


def tokenize(text: str, known: Callable[[str], bool] | None = None) -> list[Token]:
    """Tokens with offsets into `text`; possessives dropped; glued words split when `known` recognises the head.

    Words are read as a reader sees them: invisible characters inside a word ("Pu\u200btin", "Ma\u00adhan")
    and a hyphen that breaks a word across lines ("Pu-\ntin") are taken out first. Offsets still point into
    `text`, so a mention is reported as written.
    """
    visible, shifts = _visible(text)
    words = _WORD.split(visible)
    offsets = list(accumulate(map(len, words)))
    found = [token for k in range(1, len(words), 2) for token in _placed(words[k], offsets[k - 1], known)]
    return _restored(found, shifts)


def tokens_near(
    text: str,
    seeds: Callable[[str, str, tuple[str, ...]], Seed],
    joins: Callable[[str, str, tuple[str, ...]], bool],
    known: Callable[[str], bool],
    margin: int = 2,
) -> tuple[list[list[Token]], int]:
    """The tokens around each word that may start a name, one list per neighbourhood, and how many tokens the
    whole text has.

    Most words of a text are in no listed name, so only the neighbourhoods of those that are get tokens:
    a word `seeds(written, norm, alts)` picks (alone, or when a word next to it joins it), the words next to it
    that `joins(written, norm, alts)` says may go on with a name ("Bank of the Russian Federation"), and `margin`
    words either side, which hold what qualifies a name (a title, a country, "of Belarus"). Neighbourhoods
    are returned in order; two of them never touch, so their tokens are never read as one name. `known`
    tells a listed-name word, for splitting glued words (see `tokenize`). Each distinct word is looked at
    once, and a text is split into words by one regular expression: reading a text costs about as much as
    searching it.
    """
    visible, shifts = _visible(text)
    parts = _WORD.split(visible)
    written = parts[1::2]
    distinct = Counter(written)
    pieces = {word: _word_pieces(word, known) for word in distinct}
    count = sum(len(pieces[word]) * times for word, times in distinct.items())
    # Per distinct word: 1 if it may start a name beside a joining word, 2 even alone; 4 if it joins one.
    kinds = {
        w: max((seeds(*p[2:4], p[5]) for p in found), default=0)
        | (4 if any(joins(*p[2:4], p[5]) for p in found) else 0)
        for w, found in pieces.items()
    }
    if not any(kind & 3 for kind in kinds.values()):
        return [], count
    windows = _windows(np.fromiter(map(kinds.__getitem__, written), np.int8, len(written)), margin)
    found: list[list[Token]] = []
    at = done = 0  # the offset of part `done` (parts alternate gap, word: word k is part 2k + 1)
    for first, last in windows:
        at += sum(map(len, parts[done : 2 * first + 1]))  # up to word `first`, summed only between windows
        done = 2 * first + 1
        window: list[Token] = []
        for word, gap in zip(written[first : last + 1], parts[2 * first + 2 : 2 * last + 3 : 2], strict=True):
            window += [
                _token(Token, (at + a, at + b, piece_text, norm, raw, alts))
                for a, b, piece_text, norm, raw, alts in pieces[word]
            ]
            at += len(word) + len(gap)
            done += 2
        if window:
            found.append(_restored(window, shifts))
    return found, count


def _windows(kinds: np.ndarray, margin: int) -> list[tuple[int, int]]:
    """The word ranges (first, last) `tokens_near` keeps, in order and merged where they touch, from each
    word's kind; worked out on arrays, as a long text has tens of thousands of words that may start a name."""
    size = len(kinds)
    at = np.arange(size)
    other = (kinds & 4) == 0
    beside = np.zeros(size, bool)
    beside[1:] |= ~other[:-1]
    beside[:-1] |= ~other[1:]
    picks = np.flatnonzero(((kinds & 3) == Seed.ALONE) | (((kinds & 3) == Seed.BESIDE) & beside))
    if not len(picks):
        return []
    # For each word, the nearest word that does not join a name at or before it, and at or after it.
    before = np.maximum.accumulate(np.where(other, at, -1))
    after = np.minimum.accumulate(np.where(other, at, size)[::-1])[::-1]
    first = np.where(picks > 0, before[np.maximum(picks - 1, 0)] + 1, 0)
    last = np.where(picks + 1 < size, after[np.minimum(picks + 1, size - 1)] - 1, size - 1)
    first = np.maximum(np.minimum(first, picks), picks - _NAME_WORDS) - margin
    last = np.minimum(np.maximum(last, picks), picks + _NAME_WORDS) + margin
    order = np.argsort(first, kind="stable")
    first, last = np.maximum(first[order], 0), np.minimum(last[order], size - 1)
    reach = np.maximum.accumulate(last)
    starts = np.flatnonzero(np.r_[True, first[1:] > reach[:-1] + 1])
    ends = np.r_[starts[1:] - 1, len(first) - 1]
    return list(zip(first[starts].tolist(), reach[ends].tolist(), strict=True))


_token = tuple.__new__
"""Makes a `Token` from its fields as a tuple without the named tuple's Python-level constructor: a long
text has tens of thousands of them."""

_NAME_WORDS = 12
"""Words a name may run on for beyond the word that picked it."""


def _restored(found: list[Token], shifts: list[tuple[int, int]]) -> list[Token]:
    """Tokens of the visible text with their offsets into the text as written."""
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
    if not _INVISIBLE.search(text) and not _LINE_END_HYPHEN.search(text):
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


def _placed(word: str, offset: int, known: Callable[[str], bool] | None) -> list[Token]:
    return [
        Token(offset + a, offset + b, text, norm, raw, alts)
        for a, b, text, norm, raw, alts in _word_pieces(word, known)
    ]


@memo(200_000)
def _word_pieces(word: str, known: Callable[[str], bool] | None) -> tuple[_Piece, ...]:
    """A written word's tokens as (start, end, text, norm, raw, alts), offsets relative to the word: possessive
    dropped, split at hyphens, a glued word split where `known` recognises its head; cached, as texts repeat
    their words."""
    if "'" in word or "’" in word:
        word = _POSSESSIVE.sub("", word)
    if "-" not in word:
        return _pieces(word, known)
    found: list[_Piece] = []
    offset = 0
    for part in word.split("-"):
        if part:
            found.extend(
                (offset + a, offset + b, text, norm, raw, alts) for a, b, text, norm, raw, alts in _pieces(part, known)
            )
        offset += len(part) + 1
    return tuple(found)


@memo(200_000)
def _forms(part: str) -> tuple[tuple[str, str], ...]:
    """(canonical, normalised) forms of one written word, abbreviations and sector words read as listed names read
    them (AIRLINES as AIR); cached, as texts repeat their words."""
    if part.isascii() and part.isalnum():  # most words: normalisation is lower-casing
        lower = part.lower()
        return ((canonical(rewritten(lower)), lower),)
    return tuple((canonical(rewritten(n)), n) for n in normalized_tokens(part))


@memo(200_000)
def _pieces(part: str, known: Callable[[str], bool] | None) -> tuple[_Piece, ...]:
    """One written word as tokens with offsets relative to it; cached, as texts repeat their words."""
    forms = _forms(part)
    if len(forms) != 1:
        # A word that normalises to several tokens (CJK syllables) keeps one span for all of them.
        return tuple((0, len(part), part, c, n, ()) for c, n in forms)
    norm = forms[0][1]
    if known is not None and len(part) >= 7 and part.isascii() and not known(canonical(norm)):
        for cut in range(len(part) - 1, 3, -1):
            head, tail = norm[:cut], norm[cut:]
            if tail in GLUE and known(canonical(head)):
                return (
                    (0, cut, part[:cut], canonical(head), head, ()),
                    (cut, len(part), part[cut:], tail, tail, ()),
                )
    alts = tuple(a for a in other_spellings(part) if known(a)) if known is not None else ()
    return ((0, len(part), part, forms[0][0], norm, alts),)
