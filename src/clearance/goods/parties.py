"""A shipment party screened so that a listed company cannot hide behind a suffix: one finding per designation.

A listed company trades under its listed name and something more: a branch ("Rosoboronexport Moscow
Branch"), a line of business ("Mahan Air Cargo"), a place in brackets ("Kalashnikov Concern
(Izhevsk)"), a longer business word ("Mahan Airlines" for MAHAN AIR). The full name then scores below
the threshold against the listed one. So besides the full name, two more screenings run:

- the name's core: brackets taken out, trailing trading-name words taken off (with the place a branch
  word names), long business words shortened; the words are data (`data/trading-name-words.yaml`),
  reviewed like the rules. Legal forms stay, as the party matcher sets them aside itself;
- with a text screener, and only when the full name hit nothing: listed names within the party's name.

A hit found only through these is partial: its finding says how it was found (`via`), and calls for
review, never the list's own decision; a full-name hit keeps that decision.

Hits on one designation are one finding. OFAC numbers a record once for all of its lists, and the US
Consolidated Screening List keeps that number for its Treasury rows: ofac-sdn:N, ofac-cons:N, us-csl:N
and us-csl:N:SSI are one OFAC record on four lists. The Commerce and State rows of that list carry a
hash of their own, and the EU, UK, UN and EU Annex IV lists their own numbering: each of their entries
is a designation of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict

from clearance.countries import to_iso2
from clearance.goods.destinations import fold
from clearance.goods.rules import load_rules
from clearance.matching import Hit, Party, Screener
from clearance.matching.designation import designation_keys
from clearance.matching.names import LEGAL_FORMS, analyze, form_key
from clearance.matching.normalize import tokens
from clearance.matching.screener import checked
from clearance.model import EntityKind

if TYPE_CHECKING:
    from clearance.text import TextScreener

HITS_PER_PARTY = 5
"""Findings kept per party by default."""
ENTRIES_PER_DESIGNATION = 4
"""Hits asked for per finding kept: one OFAC record is on up to four lists (SDN, consolidated, CSL, CSL SSI)."""
MAX_CORES = 4
"""Cores screened per name at most: each stage of taking a name apart is one screening."""
MIN_CORE_LETTERS = 4
"""Letters a core must keep beside its legal form: "Day" or "甘" (gan) alone say too little to screen."""
CORE_SIMILARITY = 0.9
"""How alike each word of a core and of the listed name must be for a core hit."""
WORDS_FILE = "trading-name-words.yaml"

_BRACKETS = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|\([^()]*$)")
_TRAILING = " \t,;:/&-\u2013\u2014"
_DANGLING = frozenset("of and for the de du des del la le el et und y".split())
"""Words a name cannot end with: a place after them is part of the name ("Bank of Moscow")."""
_NOT_PLACES = frozenset({"EU", "UN", "ZZ"})
_NOT_COMPANIES = frozenset({EntityKind.PERSON, EntityKind.VESSEL, EntityKind.AIRCRAFT})
"""What a company's trading name never names; a listed company, or a listed party of unknown kind, it may."""


class FoundBy(StrEnum):
    """How a finding's listed name was found in the party's name."""

    FULL_NAME = "full name"
    CORE = "core"
    """The name without brackets or trailing trading-name words, or with a business word shortened."""
    WITHIN = "within"
    """A listed name that is part of the party's name."""


FULL_NAME_VIA = "full name"
WITHIN_VIA = "listed name within the party's name"


@dataclass(frozen=True)
class PartyFinding:
    """One designation the party may be: each list entry of it that hit, and how the name was found."""

    designation: str
    """`ofac:N` for an OFAC record on any of its lists, else the entry's own id."""
    hits: tuple[Hit, ...]
    """One per list entry, best first: the reason can name every list the designation is on."""
    found_by: FoundBy
    via: str
    """How, in words: "full name", "name without 'Cargo'", "listed name within the party's name"."""
    query: str
    """The name that hit: the party's full name, its core, or the part of it that names a listed party."""

    @property
    def partial(self) -> bool:
        """Found only through the core or within the name: calls for review, not the list's own decision."""
        return self.found_by is not FoundBy.FULL_NAME

    @property
    def best(self) -> Hit:
        return self.hits[0]

    @property
    def score(self) -> float:
        return self.hits[0].score


@dataclass(frozen=True)
class NameCore:
    """A party's name with brackets and trailing trading-name words taken out, and business words shortened."""

    text: str
    removed: tuple[str, ...] = ()
    """What was taken out, as written: "(Izhevsk)", "Moscow Branch"."""
    shortened: tuple[tuple[str, str], ...] = ()
    """(as written, short form) for each business word shortened: ("Airlines", "Air")."""
    company: bool = False
    """Taken apart at trading-name words, which only a company's name has: screened as an organisation's."""

    @property
    def via(self) -> str:
        parts = []
        if self.removed:
            parts.append("without " + " and ".join(f"'{part}'" for part in self.removed))
        if self.shortened:
            parts.append("with " + " and ".join(f"'{short}' for '{long}'" for long, short in self.shortened))
        return "name " + ", ".join(parts)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TradingNameWordsFile(_Model):
    """The shape of data/trading-name-words.yaml."""

    branch_words: tuple[str, ...]
    trade_words: tuple[str, ...]
    place_connectors: tuple[str, ...]
    variants: dict[str, str]
    places: tuple[str, ...]


Key = tuple[str, ...]


@dataclass(frozen=True)
class TradingNameWords:
    """The vocabulary of trading names, as normalised token sequences."""

    branch: frozenset[Key]
    trade: frozenset[Key]
    connectors: frozenset[str]
    variants: Mapping[Key, str]
    places: frozenset[Key]
    longest: int
    """Words in the longest phrase."""

    @classmethod
    def of(cls, data: TradingNameWordsFile) -> TradingNameWords:
        def keys(phrases: tuple[str, ...]) -> frozenset[Key]:
            return frozenset(key for key in (tuple(tokens(p)) for p in phrases) if key)

        branch, trade, places = keys(data.branch_words), keys(data.trade_words), keys(data.places)
        variants = {tuple(tokens(long)): short for long, short in data.variants.items()}
        return cls(
            branch=branch,
            trade=trade,
            connectors=frozenset(word for c in data.place_connectors for word in tokens(c)),
            variants=variants,
            places=places,
            longest=max(len(key) for key in (*branch, *trade, *variants, *places)),
        )


@lru_cache(maxsize=1)
def trading_name_words() -> TradingNameWords:
    """The shipped vocabulary, read once per process."""
    text = files("clearance.goods").joinpath(f"data/{WORDS_FILE}").read_text(encoding="utf-8")
    return TradingNameWords.of(TradingNameWordsFile.model_validate(yaml.safe_load(text)))


@dataclass(frozen=True)
class _Word:
    text: str
    key: Key


def _words(text: str) -> list[_Word]:
    return [_Word(word, tuple(tokens(word))) for word in text.split()]


def _key(words: list[_Word]) -> Key:
    return tuple(token for word in words for token in word.key)


class _Cores:
    """Takes one name apart into its successive cores."""

    def __init__(self, vocabulary: TradingNameWords, mixed_case: bool) -> None:
        self.v = vocabulary
        self.mixed_case = mixed_case
        self.longest = vocabulary.longest

    def ends_with(self, words: list[_Word], phrases: frozenset[Key]) -> int:
        """How many trailing words make the longest phrase of `phrases` (0: none), leaving a word before them."""
        found = 0
        for size in range(1, min(self.longest, len(words) - 1) + 1):
            if _key(words[-size:]) in phrases:
                found = size
        return found

    def place_end(self, words: list[_Word]) -> int:
        """How many trailing words name a place (a country, a listed city, a restricted place), leaving one."""
        for size in range(min(3, len(words) - 1), 0, -1):
            tail = words[-size:]
            if self.mixed_case and not all(w.text[:1].isupper() for w in tail):
                continue
            if _is_place(" ".join(w.text for w in tail), _key(tail), self.v.places):
                return size
        return 0

    def step(self, body: list[_Word]) -> int:
        """How many trailing words of `body` a branch or trading name adds (0: none)."""
        place = self.place_end(body)
        if place:
            # "Branch Moscow", "Branch in Moscow": the place goes first, the branch word next.
            before = body[:-place]
            joined = 1 if len(before) > 1 and before[-1].key and before[-1].key[-1] in self.v.connectors else 0
            if self.ends_with(before[: len(before) - joined], self.v.branch):
                return place + joined
        if len(body) >= 3 and body[-2].key and body[-2].key[-1] in self.v.connectors and self.capitalised(body[-1]):
            if self.ends_with(body[:-2], self.v.branch):  # "Office in Izhevsk": a name after "in" is a place
                return 2
        branch = self.ends_with(body, self.v.branch)
        if branch:
            rest = body[:-branch]
            place = self.place_end(rest)  # "Moscow Branch", but not "Bank of Moscow Branch"
            if place and not _dangling(rest[:-place]):
                return branch + place
            return branch
        return self.ends_with(body, self.v.trade)

    def names(self, words: list[_Word]) -> bool:
        """Whether the words hold one that is more than a trading-name word or a place ("Global Trading" does not)."""
        generic = self.v.branch | self.v.trade | self.v.places
        return any(w.key and w.key not in generic and not _is_place(w.text, w.key, self.v.places) for w in words)

    def capitalised(self, word: _Word) -> bool:
        return bool(word.key) and (not self.mixed_case or word.text[:1].isupper())

    def shorten(self, body: list[_Word]) -> tuple[list[_Word], tuple[tuple[str, str], ...]]:
        """Long business words in their short form ("Airlines" -> "Air")."""
        out: list[_Word] = []
        shortened: list[tuple[str, str]] = []
        i = 0
        while i < len(body):
            for size in range(min(2, len(body) - i), 0, -1):
                short = self.v.variants.get(_key(body[i : i + size]))
                if short is not None:
                    written = " ".join(w.text for w in body[i : i + size])
                    short = _case_like(written, short)
                    out.append(_Word(short, tuple(tokens(short))))
                    shortened.append((written.strip(_TRAILING), short))
                    i += size
                    break
            else:
                out.append(body[i])
                i += 1
        return out, tuple(shortened)


def name_cores(name: str, vocabulary: TradingNameWords | None = None) -> list[NameCore]:
    """The name's successive cores, shortest last: each a name a listed company may trade under with more.

    Brackets go first, then trailing trading-name words one phrase at a time (a branch word with its
    place), then long business words are shortened. A legal form at the end stays there. Taking apart
    stops before a core would be nothing but such words or places ("Global Trading Group" has no core),
    and a core of fewer than `MIN_CORE_LETTERS` letters is not screened.
    """
    cores = _Cores(
        vocabulary or trading_name_words(), any(c.islower() for c in name) and any(c.isupper() for c in name)
    )
    stages: list[NameCore] = []
    bracketed = [part.strip() for part in _BRACKETS.findall(name)]
    words = _words(_BRACKETS.sub("", name))
    removed: list[str] = [part for part in bracketed if part]
    form = _legal_form_end(words)
    body, tail = words[: len(words) - form], words[len(words) - form :]
    if removed:
        stages.append(NameCore(_text(body, tail), tuple(removed)))
    cut = len(body)
    while True:
        size = cores.step(body[:cut])
        if not size or not cores.names(body[: cut - size]) or _dangling(body[: cut - size]):
            break
        cut -= size
        suffix = " ".join(w.text for w in body[cut:]).strip(_TRAILING)
        stages.append(NameCore(_text(body[:cut], tail), (*removed, suffix), company=True))
    short, shortened = cores.shorten(body[:cut])
    if shortened:
        last = stages[-1].removed if stages else tuple(removed)
        stages.append(NameCore(_text(short, tail), last, shortened, company=True))
    seen = {" ".join(tokens(name))}
    distinct = []
    for stage in stages:
        key = " ".join(tokens(stage.text))
        if key not in seen and len("".join(analyze(stage.text, organization=True).signal)) >= MIN_CORE_LETTERS:
            seen.add(key)
            distinct.append(stage)
    return distinct[:MAX_CORES]


def screen_party(
    parties: Screener, text: TextScreener | None, party: Party, limit: int = HITS_PER_PARTY
) -> list[PartyFinding]:
    """The designations `party` may be, full-name findings first, then partial ones, each best first.

    The full name is screened as the party screener does it; the name's cores too where they differ
    from it; and, with `text`, listed names within the name where the full name hit nothing. The cores
    and the names within are for organisations and parties of unknown kind: a person's, vessel's or
    aircraft's name only loses its brackets. `ScreeningError` for a party that cannot be screened.

    A core hit must be on the whole listed name, closely (the core is that name, the rest only trading
    words), and a core taken apart at trading-name words, like a name within, is held to listed
    companies and parties of unknown kind: a company named after a person or a ship is neither.
    """
    name, _, _ = checked(party)
    wide = limit * ENTRIES_PER_DESIGNATION
    found: dict[str, _Found] = {}

    def add(hits: Iterable[Hit], rank: int, by: FoundBy, via: str, query: str) -> None:
        for hit in hits:  # an entry keeps the most direct way it was found
            found.setdefault(hit.entity.id, _Found(hit, rank, by, via, query))

    full = parties.screen(party, limit=wide)
    add(full, 0, FoundBy.FULL_NAME, FULL_NAME_VIA, name)
    unknown = party.kind in (None, EntityKind.UNKNOWN)
    company = unknown or party.kind is EntityKind.ORGANIZATION
    cores = name_cores(name) if company else [c for c in name_cores(name) if not c.company][:1]
    # Identifiers were screened with the full name: a core adds only what its name says.
    plain = replace(party, identifiers=())
    for rank, core in enumerate(cores, start=1):
        kind = EntityKind.ORGANIZATION if core.company and unknown else party.kind
        hits = parties.screen(replace(plain, name=core.text, kind=kind), limit=wide)
        kept = (h for h in hits if _close(h) and not (core.company and h.entity.kind in _NOT_COMPANIES))
        add(kept, rank, FoundBy.CORE, core.via, core.text)
    vocabulary = trading_name_words()
    # Text screening costs several single screenings: only for a name that reads as a company's.
    if text is not None and company and not full and _trading_words(name, vocabulary):
        for mention in text.screen(name, surnames=False).mentions:
            rest = f"{name[: mention.start]} {name[mention.end :]}"
            if mention.kind == "full" and _trading_words(rest, vocabulary):
                kept = (h for h in mention.hits if h.entity.kind not in _NOT_COMPANIES)
                add(kept, len(cores) + 1, FoundBy.WITHIN, WITHIN_VIA, mention.text)
    return _findings(found.values(), limit)


def _close(hit: Hit) -> bool:
    """Whether the core is the listed name: every word of it matched, each closely (no initials, no loose
    spellings), and a person by two names at least. Taking words off leaves little of the name, so what is
    left must match well: "Martin (Dubai)" is not the listed person one of whose names is MARTIN."""
    explanation = hit.explanation
    return (
        not explanation.unmatched_listed
        and all(t.similarity >= CORE_SIMILARITY for t in explanation.tokens)
        and (hit.entity.kind is not EntityKind.PERSON or len(explanation.tokens) >= 2)
    )


def _trading_words(text: str, vocabulary: TradingNameWords) -> bool:
    """Whether the text around a listed name makes a company's name of it: a trading-name word, a place, a
    legal form or a bracketed part ("Rosoboronexport Moscow Rep", "Representative Office of Rosoboronexport")."""
    if _BRACKETS.search(text):
        return True
    words = _words(text)
    generic = vocabulary.branch | vocabulary.trade | frozenset(vocabulary.variants)
    for i, word in enumerate(words):
        for size in range(1, min(3, len(words) - i) + 1):
            key = _key(words[i : i + size])
            if key in generic or tuple(form_key(t) for t in key) in LEGAL_FORMS:
                return True
        if word.key and _is_place(word.text, word.key, vocabulary.places):
            return True
    return False


@dataclass(frozen=True)
class _Found:
    hit: Hit
    rank: int
    """0 for the full name, then each core in turn, then the names within."""
    by: FoundBy
    via: str
    query: str


def _findings(found: Iterable[_Found], limit: int) -> list[PartyFinding]:
    """Hits grouped by designation; a finding is as direct as its most direct hit."""
    entries = list(found)
    key_of = designation_keys(entry.hit for entry in entries)
    groups: dict[str, list[_Found]] = {}
    for entry in entries:
        groups.setdefault(key_of[entry.hit.entity.id], []).append(entry)
    findings = []
    for key, entries in groups.items():
        first = min(entries, key=lambda e: e.rank)
        hits = sorted((e.hit for e in entries), key=lambda hit: (-hit.score, hit.entity.id))
        findings.append(PartyFinding(key, tuple(hits), first.by, first.via, first.query))
    findings.sort(key=lambda f: (f.partial, -f.score, f.designation))
    return findings[:limit]


def _legal_form_end(words: list[_Word]) -> int:
    """How many trailing words are legal forms ("Co. Ltd", "LLC"), leaving at least one word before them."""
    end = len(words)
    while end > 1:
        for size in range(min(4, end - 1), 0, -1):
            key = tuple(form_key(token) for token in _key(words[end - size : end]))
            if key and key in LEGAL_FORMS:
                end -= size
                break
        else:
            break
    return len(words) - end


def _is_place(written: str, key: Key, places: frozenset[Key]) -> bool:
    """A place of the vocabulary, a country, or a restricted place of data/destinations.yaml."""
    return key in places or _known_place(written.strip(_TRAILING))


@lru_cache(maxsize=65_536)
def _known_place(written: str) -> bool:
    if len(written) < 3:  # "CO" is Colombia, and a company
        return False
    code = to_iso2(written)
    if code is not None and code not in _NOT_PLACES:
        return True
    return any(place.evidence == " ".join(fold(written)) for place in load_rules().destinations.in_address(written))


def _dangling(words: list[_Word]) -> bool:
    """Whether the words end in one a name cannot end with."""
    last = next((w for w in reversed(words) if w.key), None)
    return last is not None and last.key[-1] in _DANGLING


def _text(body: list[_Word], tail: list[_Word]) -> str:
    kept = " ".join(w.text for w in body).rstrip(_TRAILING)
    return " ".join(part for part in (kept, " ".join(w.text for w in tail)) if part)


def _case_like(written: str, word: str) -> str:
    """`word` in the case of `written`: AIRLINES -> AIR, Airlines -> Air."""
    if written.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if written[:1].isupper() else word
