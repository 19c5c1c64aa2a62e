"""Goods descriptions to HS-6 codes: lexical search over the nomenclature, steered by a lexicon of trade terms.

Invoices and shipment records often carry a description and no code ("STM32F407 microcontroller",
"uncooled thermal imaging camera 640x512"). The words of the Harmonized System are not the words of
trade: no HS text says microcontroller, FPGA, drone or MLCC. So ranking combines three kinds of evidence,
each reported with the candidate it supports:

1. **Lexical**: BM25 over every six-digit subheading, its text weighted above its heading's and its
   chapter's. Clauses that exclude goods ("other than remote-controlled", "not roasted", "excluding ...")
   are cut from the HS text first, so naming a thing never favours the subheading that excludes it.
   Query words after the first preposition ("ink cartridge *for inkjet printer*") count half: in
   English goods names the head noun comes first, its purpose or material after.
2. **Lexicon** (`data/lexicon.csv`): about 650 curated trade terms, acronyms and part-number patterns,
   each mapped to the HS codes it belongs to, best first, with a note on why (checked against HS 2022).
   The rightmost term before the first preposition is taken as the head noun and weighs most
   ("camera objective lens" is a lens; "drone with camera" is a drone). A phrase also matches with one
   other word inside it ("lead-acid *starter* battery"), at lower weight and never over an exact match.
   The other subheadings of a heading a term names stay in the running at low weight.
3. **Quantities**: the ranges the nomenclature draws by weight, power, thrust, cylinder capacity,
   voltage or volume ("maximum take-off weight of more than 250g but not more than 7kg") are parsed,
   and a quantity stated in the description ("895 g", "15 kN", "1600cc") rewards the subheadings whose
   range holds it and penalises those whose range does not.

`confidence` is a softmax over the candidates' scores with a "none of these" alternative, so a
description that matches nothing well gets low confidence everywhere. bench/classify.py measures
accuracy (top-1 and top-3, heading and subheading) on tests/goods/data/labelled_descriptions.csv, and
the same measurement with sentence embeddings; see docs/classification.md.

`find_goods` marks the goods a free text names (news, end-use statements) with the same lexicon:
only entries marked `text=y` (specific enough to be goods in prose), upper-case acronyms matched in
upper case only, and words glued by scraping ("microchipsthe") still found.

The nomenclature is the packaged HS 2022 table (PDDL, see `clearance.goods.codes`) unless a caller
names another file; nothing here reads the environment, so a call ranks alike wherever it runs.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path

import numpy as np
from anyascii import anyascii
from numpy.typing import NDArray

from clearance.errors import InputError, IntegrityError
from clearance.goods.codes import hs_file as resolve_hs_file
from clearance.goods.codes import load_nomenclature as read_nomenclature
from clearance.text.tokens import GLUE

MAX_DESCRIPTION = 2_000
"""Characters; a goods description is one line of an invoice, longer input is refused."""
MAX_TEXT = 10_000_000
"""Characters of free text `find_goods` accepts."""

ALGORITHM = "clearance-goods-v1"
"""Name of this ranking; a change of scoring gets a new name."""

# Field weights: a subheading's own words, its heading's and its chapter's.
_OWN, _HEADING, _CHAPTER = 1.0, 0.5, 0.2
_K1, _B = 1.2, 0.5
_MODIFIER = 0.5
"""Weight of query words after the first preposition."""
_LEXICON_WEIGHT = 1.2
_HEAD, _HEAD_OTHER, _MODIFIER_TERM = 1.0, 0.6, 0.35
"""Weight of a lexicon term: the head noun, another term before the first preposition, a term after it."""
_QTY_FIT, _QTY_MISS = 0.6, -1.0
_SIBLING = 0.3
"""Lexicon weight of the other subheadings of a heading that a term names."""
_GAPPED = 0.7
"""Lexicon weight of a phrase found with another word inside it."""
_TEMPERATURE = 0.1
_NONE_SCORE = 0.6
"""Score of the implicit 'none of these' alternative in the confidence softmax."""
_POOL = 60
"""Lexical candidates rescored per description."""

_PREPOSITIONS = frozenset("for with of in on from to without by".split())
_NEGATIONS = frozenset("not without excluding except".split())
_STOPWORDS = frozenset(
    """a an and or the of for in on to by with without from as at its their this that these those such
    other than whether not including excluding except n e c nec nes item heading subheading chapter no
    kind kinds used use type types etc thereof incl put up similar specified included elsewhere being
    be is are has have any all only more less exceeding but than per""".split()
    # Units: the quantity ranges weigh them, as words they only add noise.
    + "kg g t w kw mw kva va kn cc cm cm3 mm m ml l kv v volt volts litre litres pc pcs".split()
)
_VARIANTS = {
    "antenna": "aerial",
    "antennas": "aerials",
    "antennae": "aerials",
    "polyethylene": "ethylene",
    "aluminum": "aluminium",
    "fiber": "fibre",
    "fibers": "fibres",
    "tire": "tyre",
    "tires": "tyres",
    "mold": "mould",
    "molds": "moulds",
    "molding": "moulding",
    "molded": "moulded",
    "color": "colour",
    "colors": "colours",
    "colored": "coloured",
    "sulfur": "sulphur",
    "sulfuric": "sulphuric",
    "liter": "litre",
    "liters": "litres",
    "center": "centre",
    "centers": "centres",
    "jewelry": "jewellery",
    "airplane": "aeroplane",
    "airplanes": "aeroplanes",
    "fertiliser": "fertilizer",
    "fertilisers": "fertilizers",
    "vulcanized": "vulcanised",
    "analyzer": "analyser",
    "analyzers": "analysers",
    "armored": "armoured",
    "gray": "grey",
}
_TOKEN = re.compile(r"[a-z0-9]+")
_NEGATED_CLAUSE = re.compile(r"\b(?:other than|excluding|except|not|without)\b[^;,()]*", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_NUMBER = r"(\d+(?:[.,]\d+)*)"
_UNIT = (
    r"(kg|g|tonnes?|tons?|t|kw|mw|w|kva|mva|va|kn|cc|cm3|cm³|litres?|liters?|ml|l|kv|volts?|v|mm|cm|m|%)"
    r"(?![a-z0-9])"
)
_UNITS: dict[str, tuple[str, float]] = {
    "g": ("mass", 1.0),
    "kg": ("mass", 1e3),
    "t": ("mass", 1e6),
    "ton": ("mass", 1e6),
    "tons": ("mass", 1e6),
    "tonne": ("mass", 1e6),
    "tonnes": ("mass", 1e6),
    "w": ("power", 1.0),
    "kw": ("power", 1e3),
    "mw": ("power", 1e6),
    "va": ("apparent power", 1.0),
    "kva": ("apparent power", 1e3),
    "mva": ("apparent power", 1e6),
    "kn": ("thrust", 1e3),
    "cc": ("cylinder capacity", 1.0),
    "cm3": ("cylinder capacity", 1.0),
    "cm³": ("cylinder capacity", 1.0),
    "l": ("volume", 1.0),
    "litre": ("volume", 1.0),
    "litres": ("volume", 1.0),
    "liter": ("volume", 1.0),
    "liters": ("volume", 1.0),
    "ml": ("volume", 1e-3),
    "v": ("voltage", 1.0),
    "volt": ("voltage", 1.0),
    "volts": ("voltage", 1.0),
    "kv": ("voltage", 1e3),
    "mm": ("length", 1e-3),
    "cm": ("length", 1e-2),
    "m": ("length", 1.0),
    "%": ("share by weight", 1.0),
}
_QUANTITY = re.compile(r"(?<![\w.])" + _NUMBER + r"\s?" + _UNIT, re.IGNORECASE)
_BOUND = re.compile(
    r"(?:\b(not exceeding|not more than|not over|not less than|at least|less than|exceeding|more than|over|of)\s+)?"
    + r"(?<![\w.])"
    + _NUMBER
    + r"\s?(?:"
    + _UNIT
    + r")?(\s+or (?:more|less))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """One HS-6 subheading suggested for a description."""

    code: str
    description: str
    confidence: float
    """0..1; the share of belief in this code against the others and against 'none of these'."""
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class GoodsMention:
    """A place in a free text that names goods of known HS codes."""

    start: int
    end: int
    text: str
    """The phrase as written, `text[start:end]` of the input."""
    term: str
    """The lexicon entry that matched."""
    codes: tuple[str, ...]
    """HS codes of the goods, as the lexicon gives them: six-digit subheadings or four-digit headings."""
    note: str


@dataclass(frozen=True)
class LexiconEntry:
    """A trade term (or `re:` pattern) and the HS codes of the goods it names, best first."""

    term: str
    codes: tuple[str, ...]
    in_text: bool
    """Specific enough to mark as goods in free text."""
    note: str

    @property
    def case_sensitive(self) -> bool:
        """Acronyms written in capitals ("IC", "UAV") match only in capitals in free text."""
        word = self.term.removeprefix("re:")
        return not self.term.startswith("re:") and word.isupper() and len(word) <= 5


@dataclass(frozen=True)
class _Interval:
    low: float
    low_inclusive: bool
    high: float
    high_inclusive: bool
    text: str

    def holds(self, value: float) -> bool:
        above = value > self.low or (self.low_inclusive and math.isclose(value, self.low))
        below = value < self.high or (self.high_inclusive and math.isclose(value, self.high))
        return above and below


@dataclass(frozen=True)
class _Quantity:
    value: float
    dimension: str
    text: str


@dataclass
class _Score:
    lexical: float = 0.0
    words: list[str] = field(default_factory=list)
    lexicon: list[tuple[float, str]] = field(default_factory=list)
    quantity: float = 0.0
    quantity_notes: list[str] = field(default_factory=list)


def fold(text: str) -> str:
    """Lower-case ASCII with control characters removed: the form both sides are compared in."""
    return anyascii(_CONTROL.sub(" ", unicodedata.normalize("NFKC", text))).lower()


def _stem(word: str) -> str:
    word = _VARIANTS.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    """Stemmed content words; numbers and HS boilerplate dropped."""
    return [_stem(w) for w in _TOKEN.findall(text) if len(w) > 1 and not w.isdigit() and w not in _STOPWORDS]


def _number(raw: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
        return float(raw.replace(",", ""))
    return float(raw.replace(",", "."))


def _unit(raw: str) -> tuple[str, float] | None:
    if raw in ("G", "M"):  # 5G networks, 4 M(illion); grams and metres are written in lower case
        return None
    return _UNITS.get(raw.lower())


def _quantities(description: str) -> list[_Quantity]:
    """Quantities stated in a description: '895 g', '15 kN', '1600cc', '750ml'."""
    found: list[_Quantity] = []
    for match in _QUANTITY.finditer(description):
        unit = _unit(match.group(2))
        if unit is None:
            continue
        try:
            value = _number(match.group(1)) * unit[1]
        except ValueError:
            continue
        found.append(_Quantity(value, unit[0], match.group(0)))
    return found


def _intervals(description: str) -> dict[str, _Interval]:
    """The ranges an HS text draws ('exceeding 250g but not exceeding 7kg'), one per dimension."""
    bounds: list[tuple[str, str, float, str | None, str]] = []
    for match in _BOUND.finditer(description):
        keyword, raw, unit_text, open_end = match.groups()
        keyword = (keyword or "").lower()
        tail = (open_end or "").strip().lower()
        if not keyword and not tail:
            continue
        if keyword == "of" and not tail:
            continue
        try:
            value = _number(raw)
        except ValueError:
            continue
        if tail == "or more":
            kind = "low="
        elif tail == "or less":
            kind = "high="
        elif keyword in ("not exceeding", "not more than", "not over"):
            kind = "high="
        elif keyword == "less than":
            kind = "high<"
        elif keyword in ("not less than", "at least"):
            kind = "low="
        elif keyword in ("exceeding", "more than", "over"):
            kind = "low>"
        else:
            continue
        bounds.append((kind, raw, value, unit_text, match.group(0).strip()))
    # "over 1500 but not over 3000cc": a bound without a unit takes the next bound's unit.
    resolved: list[tuple[str, float, str, str]] = []
    for i, (kind, _raw, value, unit_text, text) in enumerate(bounds):
        unit_name = unit_text or next((b[3] for b in bounds[i + 1 :] if b[3]), None)
        unit = _unit(unit_name) if unit_name else None
        if unit is None:
            continue
        resolved.append((kind, value * unit[1], unit[0], text))
    intervals: dict[str, _Interval] = {}
    for dimension in {r[2] for r in resolved}:
        low, low_inc, high, high_inc, texts = -math.inf, False, math.inf, False, []
        for kind, value, dim, text in resolved:
            if dim != dimension:
                continue
            if kind.startswith("low") and low == -math.inf:
                low, low_inc = value, kind.endswith("=")
                texts.append(text)
            elif kind.startswith("high") and high == math.inf:
                high, high_inc = value, kind.endswith("=")
                texts.append(text)
        intervals[dimension] = _Interval(low, low_inc, high, high_inc, " ".join(texts))
    return intervals


def _split_head(folded: str) -> int:
    """Character offset where the modifier part of a description starts (its first preposition)."""
    for match in _TOKEN.finditer(folded):
        if match.start() > 0 and match.group() in _PREPOSITIONS:
            return match.start()
    return len(folded)


_GAP = r"(?:(?!(?:for|with|of|in|on|and|or|to|from|by|without|not)\b)[a-z0-9]+[\s\-]+)?"
"""One other word allowed inside a phrase of a description ("lead-acid *starter* battery"), not a preposition."""


def _phrase_pattern(term: str, gap: bool) -> str:
    """A lexicon phrase as a regex: any separator between words, plurals of every word."""
    parts = []
    for word in term.split():
        chunks = [re.escape(c) for c in word.split("-")]
        body = r"[\s\-]?".join(chunks)
        last = word[-1]
        if last.isalpha():
            if word.endswith("y") and len(word) > 2 and word[-2].lower() not in "aeiou":
                body = body[:-1] + "(?:y|ies)"
            elif word.lower().endswith(("s", "x", "ch", "sh")):
                body += "(?:es)?"
            else:
                body += "(?:s|es)?"
        parts.append(body)
    return (r"[\s\-]*" + (_GAP if gap else "")).join(parts)


def _entry_pattern(entry: LexiconEntry, gap: bool) -> str:
    if entry.term.startswith("re:"):
        return entry.term[3:]
    return _phrase_pattern(entry.term, gap)


_WORDS_SPLIT = re.compile(r"([^\W_]+)")


def _beginnings(entries: list[LexiconEntry]) -> frozenset[str] | None:
    """The lower-cased beginnings (two or three letters) every match of one of `entries` in a text starts
    with, so a text is searched only at the words that begin so; None when a pattern does not say."""
    found: set[str] = set()
    for entry in entries:
        if not entry.term.startswith("re:"):
            head = entry.term.split()[0].split("-")[0]
            size = min(3, len(head) - 1 if head.endswith("y") else len(head))  # y may be ies
            if size < 2 or not head[:size].isalnum():
                return None
            found.add(head[:size].lower())
            continue
        pattern = entry.term[3:]
        alternatives = [pattern]
        if pattern.startswith("(?:") and (close := pattern.find(")")) > 0 and "(" not in pattern[3:close]:
            alternatives = pattern[3:close].split("|")
        for alternative in alternatives:
            letters = re.match(r"[A-Za-z]{3}", alternative)
            if letters is None:
                return None
            found.add(letters.group().lower())
    return frozenset(found)


def _matches(
    pattern: re.Pattern[str], text: str, words: list[tuple[int, str]] | None, starts: frozenset[str] | None
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, tried only at the words beginning as a match must (`starts`): the pattern
    matches at word starts only, and trying its hundred alternatives at every character was most of the
    time of finding goods in a long text."""
    if words is None or starts is None:
        yield from pattern.finditer(text)
        return
    done = 0
    for start, word in words:
        if start < done or (word[:3] not in starts and word[:2] not in starts):
            continue
        match = pattern.match(text, start)
        if match is not None:
            done = match.end()
            yield match


def _text_pattern(entries: list[LexiconEntry], flags: int) -> re.Pattern[str] | None:
    """The free-text terms as one alternation, longest first so they win over the words inside them.

    Phrases match as written; a common short word glued to a term by scraping ("microchipsthe")
    does not stop it matching.
    """
    if not entries:
        return None
    ordered = sorted(range(len(entries)), key=lambda i: -len(entries[i].term))
    alternatives = "|".join(f"(?P<t{i}>{_entry_pattern(entries[i], gap=False)})" for i in ordered)
    glued = "|".join(sorted(GLUE, key=len, reverse=True))
    end = r"(?:(?![^\W_])|(?=(?:" + glued + r")(?![^\W_])))"
    return re.compile(r"(?<![^\W_])(?:" + alternatives + ")" + end, flags)


_WORD_START = re.compile(r"(?<![a-z0-9])[a-z0-9]")


class _Matcher:
    """Lexicon terms at the word starts of a folded description, longest match first, without overlaps.

    Phrases are bucketed by first character, so each word start tries a few dozen patterns rather
    than all of them: this is most of the classifier's time.
    """

    def __init__(self, entries: list[LexiconEntry], gap: bool) -> None:
        self.entries = entries
        buckets: dict[str, list[int]] = defaultdict(list)
        patterns: list[int] = []
        for i, entry in enumerate(entries):
            if entry.term.startswith("re:"):
                patterns.append(i)
            else:
                buckets[entry.term[0].lower()].append(i)
        self._buckets = {char: self._compile(indices, gap) for char, indices in buckets.items()}
        self._patterns = self._compile(patterns, gap) if patterns else None

    def _compile(self, indices: list[int], gap: bool) -> re.Pattern[str]:
        ordered = sorted(indices, key=lambda i: -len(self.entries[i].term))
        alternatives = "|".join(f"(?P<t{i}>{_entry_pattern(self.entries[i], gap)})" for i in ordered)
        return re.compile(r"(?:" + alternatives + r")(?![a-z0-9])", re.IGNORECASE)

    def find(self, folded: str) -> list[tuple[int, int, LexiconEntry, str]]:
        found: list[tuple[int, int, LexiconEntry, str]] = []
        consumed = 0
        for word in _WORD_START.finditer(folded):
            start = word.start()
            if start < consumed:
                continue
            best: re.Match[str] | None = None
            for pattern in (self._buckets.get(folded[start]), self._patterns):
                match = pattern.match(folded, start) if pattern is not None else None
                if match is not None and (best is None or match.end() > best.end()):
                    best = match
            if best is not None:
                entry = self.entries[int((best.lastgroup or "t0")[1:])]
                found.append((start, best.end(), entry, best.group()))
                consumed = best.end()
        return found


def load_nomenclature(path: Path | str | None = None) -> dict[str, str]:
    """HS code (2, 4 or 6 digits) -> official short description, from `path` or the packaged table."""
    nomenclature = read_nomenclature(path)
    if not any(len(c) == 6 for c in nomenclature.descriptions):
        raise InputError(f"HS nomenclature {nomenclature.path}: no six-digit subheadings")
    return dict(nomenclature.descriptions)  # a copy: the parsed table is cached and shared


def load_lexicon(path: Path | str | None = None) -> list[LexiconEntry]:
    """The curated trade terms (columns term,codes,text,note)."""
    try:
        if path is None:
            text = resources.files("clearance.goods").joinpath("data/lexicon.csv").read_text(encoding="utf-8")
            where = "lexicon.csv"
        else:
            text = Path(path).read_text(encoding="utf-8")
            where = str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise IntegrityError(f"cannot read the goods lexicon: {exc}") from None
    entries = []
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        term = (row.get("term") or "").strip()
        codes = tuple((row.get("codes") or "").split())
        if not term or not codes or any(not re.fullmatch(r"\d{4}|\d{6}", c) for c in codes):
            raise IntegrityError(f"{where}: line {line}: a term and HS-4 or HS-6 codes are required: {row}")
        if term.startswith("re:"):
            try:
                re.compile(term[3:])
            except re.error as exc:
                raise IntegrityError(f"{where}: line {line}: bad pattern {term!r}: {exc}") from None
        entries.append(LexiconEntry(term, codes, (row.get("text") or "").strip() == "y", (row.get("note") or "")))
    return entries


class Classifier:
    """Ranks HS-6 subheadings for goods descriptions; loads the nomenclature and the lexicon once."""

    def __init__(
        self,
        hs_file: Path | str | None = None,
        lexicon: Iterable[LexiconEntry] | None = None,
        *,
        use_lexicon: bool = True,
        use_quantities: bool = True,
    ) -> None:
        self.hs_file = resolve_hs_file(hs_file)
        """The nomenclature the candidates come from (the packaged one unless a caller named another)."""
        self.nomenclature = load_nomenclature(self.hs_file)
        self.lexicon = list(lexicon) if lexicon is not None else load_lexicon()
        self.use_lexicon = use_lexicon
        self.use_quantities = use_quantities
        self.codes = sorted(c for c in self.nomenclature if len(c) == 6)
        self._children: dict[str, list[str]] = defaultdict(list)
        for code in self.codes:
            self._children[code[:4]].append(code)
        for entry in self.lexicon:
            for code in entry.codes:
                if code not in self.nomenclature:
                    raise IntegrityError(f"lexicon term {entry.term!r}: {code} is not in the HS nomenclature")
        self._index()
        self._intervals = {code: _intervals(self.nomenclature[code]) for code in self.codes}
        self._exact = _Matcher(self.lexicon, gap=False)
        self._gapped = _Matcher([e for e in self.lexicon if not e.term.startswith("re:") and " " in e.term], gap=True)
        text_entries = [e for e in self.lexicon if e.in_text]
        self._text_entries = {
            False: [e for e in text_entries if not e.case_sensitive],
            True: [e for e in text_entries if e.case_sensitive],
        }
        self._text_re = {
            False: _text_pattern(self._text_entries[False], re.IGNORECASE),
            True: _text_pattern(self._text_entries[True], 0),
        }
        self._text_starts = {case: _beginnings(entries) for case, entries in self._text_entries.items()}

    def _index(self) -> None:
        """BM25 weights per (word, subheading), precomputed so a query only sums postings."""
        docs: list[dict[str, float]] = []
        for code in self.codes:
            tf: dict[str, float] = defaultdict(float)
            for text, weight in (
                (self.nomenclature[code], _OWN),
                (self.nomenclature.get(code[:4], ""), _HEADING),
                (self.nomenclature.get(code[:2], ""), _CHAPTER),
            ):
                for word in _words(_NEGATED_CLAUSE.sub(" ", fold(text))):
                    tf[word] += weight
            docs.append(tf)
        lengths = [sum(d.values()) for d in docs]
        average = sum(lengths) / len(lengths)
        df: dict[str, int] = defaultdict(int)
        for d in docs:
            for word in d:
                df[word] += 1
        n = len(docs)
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, d in enumerate(docs):
            norm = _K1 * (1 - _B + _B * lengths[i] / average)
            for word, freq in d.items():
                idf = math.log(1 + (n - df[word] + 0.5) / (df[word] + 0.5))
                postings[word].append((i, idf * freq * (_K1 + 1) / (freq + norm)))
        # As arrays, a query adds a word's postings in one step: a common word names thousands of subheadings.
        self._postings: dict[str, tuple[NDArray[np.intp], NDArray[np.float64]]] = {
            word: (np.array([d for d, _ in found], dtype=np.intp), np.array([v for _, v in found]))
            for word, found in postings.items()
        }

    def description(self, code: str) -> str:
        return self.nomenclature.get(code, "")

    def lexicon_matches(self, description: str) -> list[tuple[LexiconEntry, float, str]]:
        """Lexicon terms in a description with their weight: head noun, other head term or modifier."""
        folded = fold(description)
        split = _split_head(folded)
        found = [(start, end, entry, text, 1.0) for start, end, entry, text in self._exact.find(folded)]
        exact = [(start, end) for start, end, *_ in found]
        for start, end, entry, text in self._gapped.find(folded):
            if not any(start < e and s < end for s, e in exact):
                found.append((start, end, entry, text, _GAPPED))
        found.sort(key=lambda f: f[0])
        head = [f for f in found if f[0] < split]
        head_noun = head[-1][0] if head else -1
        weighted = []
        for start, _end, entry, text, factor in found:
            weight = _HEAD if start == head_noun else _HEAD_OTHER if start < split else _MODIFIER_TERM
            weighted.append((entry, weight * factor, text))
        return weighted

    def _scores(self, description: str) -> dict[str, _Score]:
        folded = fold(description)
        split = _split_head(folded)
        scores: dict[str, _Score] = defaultdict(_Score)
        count = len(self.codes)
        lexical = np.zeros(count)
        untouched = np.iinfo(np.intp).max
        first = np.full(count, untouched, dtype=np.intp)
        """When each subheading was first reached (word, then subheading order): equal scores rank in that order."""
        used: list[tuple[str, NDArray[np.intp]]] = []
        negated = False
        seen: set[str] = set()
        for match in _TOKEN.finditer(folded):
            raw = match.group()
            if raw in _NEGATIONS:
                negated = True
                continue
            if negated and folded[match.start() - 1 : match.start()] in ",;(":
                negated = False
            if negated or len(raw) < 2 or raw.isdigit() or raw in _STOPWORDS:
                continue
            word = _stem(raw)
            if word in seen:
                continue
            seen.add(word)
            weight = 1.0 if match.start() < split else _MODIFIER
            posting = self._postings.get(word)
            if posting is None:
                continue
            docs, values = posting
            lexical[docs] += weight * values
            new = docs[first[docs] == untouched]
            first[new] = len(used) * count + new
            used.append((raw, docs))
        reached = np.flatnonzero(first != untouched)
        top = reached[np.lexsort((first[reached], -lexical[reached]))][:_POOL]
        best = float(lexical[top[0]]) if len(top) else 0.0
        mask = np.zeros(count, dtype=bool)
        words = []
        for raw, docs in used:
            mask[docs] = True
            words.append((raw, mask[top]))
            mask[docs] = False
        for place, doc in enumerate(top):
            score = scores[self.codes[doc]]
            score.lexical = float(lexical[doc]) / best
            score.words = [raw for raw, hit in words if hit[place]]
        if self.use_lexicon:
            for entry, weight, text in self.lexicon_matches(description):
                for position, code in enumerate(entry.codes):
                    rank = max(0.6, 1.0 - 0.1 * position)
                    targets = [code] if len(code) == 6 else self._children.get(code, [])
                    factor = 1.0 if len(code) == 6 else 0.9
                    for target in targets:
                        scores[target].lexicon.append((weight * rank * factor, f"{text!r}: {entry.note}"))
                # The rest of each heading named stays in reach, so a wrong subheading leaves the right one near.
                for heading in dict.fromkeys(code[:4] for code in entry.codes if len(code) == 6):
                    for sibling in self._children.get(heading, ()):
                        if sibling not in entry.codes:
                            scores[sibling].lexicon.append((weight * _SIBLING, f"{text!r} names heading {heading}"))
        if self.use_quantities:
            stated = _quantities(description)
            if stated:
                for code, score in scores.items():
                    for quantity in stated:
                        interval = self._intervals[code].get(quantity.dimension)
                        if interval is None:
                            continue
                        if interval.holds(quantity.value):
                            score.quantity += _QTY_FIT
                            score.quantity_notes.append(f"{quantity.text} fits '{interval.text}'")
                        else:
                            score.quantity += _QTY_MISS
                            score.quantity_notes.append(f"{quantity.text} does not fit '{interval.text}'")
        return scores

    @staticmethod
    def _total(score: _Score) -> float:
        lexicon = 0.0
        if score.lexicon:
            weights = sorted((w for w, _ in score.lexicon), reverse=True)
            lexicon = weights[0] + 0.25 * min(1.0, sum(weights[1:]))
        return score.lexical + _LEXICON_WEIGHT * lexicon + score.quantity

    def classify(self, description: str, limit: int = 5) -> list[Candidate]:
        """The `limit` most likely HS-6 subheadings for a goods description, best first."""
        if not isinstance(description, str):
            raise InputError(f"a goods description must be text, not {type(description).__name__}")
        if limit < 1:
            raise InputError(f"limit must be at least 1, not {limit}")
        if not description.strip():
            raise InputError("the goods description is empty")
        if len(description) > MAX_DESCRIPTION:
            raise InputError(
                f"the goods description has {len(description):,} characters; at most {MAX_DESCRIPTION:,} are classified"
            )
        scores = self._scores(description)
        if not scores:
            return []
        totals = {code: self._total(score) for code, score in scores.items()}
        ranked = sorted(totals, key=lambda c: (-totals[c], c))
        top = totals[ranked[0]]
        denominator = math.exp((_NONE_SCORE - top) / _TEMPERATURE) + sum(
            math.exp((t - top) / _TEMPERATURE) for t in totals.values()
        )
        candidates = []
        for code in ranked[:limit]:
            score = scores[code]
            reasons = dict.fromkeys(why for _, why in sorted(score.lexicon, reverse=True))
            evidence = [f"lexicon: {why}" for why in list(reasons)[:3]]
            if score.words:
                evidence.append("HS words: " + ", ".join(dict.fromkeys(score.words)))
            evidence += [f"quantity: {note}" for note in score.quantity_notes]
            candidates.append(
                Candidate(
                    code=code,
                    description=self.nomenclature[code],
                    confidence=math.exp((totals[code] - top) / _TEMPERATURE) / denominator,
                    evidence=tuple(evidence),
                )
            )
        return candidates

    def find_goods(self, text: str) -> list[GoodsMention]:
        """Goods that a free text names, with character offsets into `text`, in order of appearance."""
        if not isinstance(text, str):
            raise InputError(f"text to search for goods must be text, not {type(text).__name__}")
        if len(text) > MAX_TEXT:
            raise InputError(f"the text has {len(text):,} characters; at most {MAX_TEXT:,} are searched")
        found: list[GoodsMention] = []
        words: list[tuple[int, str]] | None = None
        for case_sensitive, pattern in self._text_re.items():
            if pattern is None:
                continue
            entries = self._text_entries[case_sensitive]
            starts = self._text_starts[case_sensitive]
            if starts is not None and words is None:
                parts = _WORDS_SPLIT.split(text)  # gaps and words in turn
                offsets = list(accumulate(map(len, parts)))[0::2]
                words = [(start, word.lower()) for start, word in zip(offsets, parts[1::2], strict=False)]
            for match in _matches(pattern, text, words if starts is not None else None, starts):
                entry = entries[int((match.lastgroup or "t0")[1:])]
                found.append(
                    GoodsMention(match.start(), match.end(), match.group(), entry.term, entry.codes, entry.note)
                )
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[GoodsMention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        return kept


def default_classifier(hs_file: Path | str | None = None) -> Classifier:
    """The classifier on `hs_file` (the packaged nomenclature by default), built once per file and process."""
    return _classifier(resolve_hs_file(hs_file))


@lru_cache(maxsize=2)
def _classifier(hs_file: Path) -> Classifier:
    return Classifier(hs_file)


def classify(description: str, limit: int = 5, *, hs_file: Path | str | None = None) -> list[Candidate]:
    """The most likely HS-6 codes for a goods description, best first (see `Classifier.classify`)."""
    return default_classifier(hs_file).classify(description, limit)


def find_goods(text: str, *, hs_file: Path | str | None = None) -> list[GoodsMention]:
    """Goods named in a free text, with character offsets (see `Classifier.find_goods`)."""
    return default_classifier(hs_file).find_goods(text)
