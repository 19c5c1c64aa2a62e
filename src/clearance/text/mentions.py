"""Listed parties named in free text: news, trade documents, payment remittance fields.

The text is tokenised once; every listed-name token in it (exact, or the same
romanisation skeleton) seeds a span, which grows over neighbouring tokens of the
same listed name separated by nothing but spaces, commas or line breaks
("MEDVEDEV, Dmitry", "Dmitry\\nMedvedev"). Each span is scored against that
name by the party scorer; no span is ever scored against every name.

Precision rules, each reported when it rules a candidate out:
- names are capitalised: in mixed-case text a span of lower-case words
  ("advanced technologies") is no mention;
- a span must name an organisation whole, a person by two or more names (middle
  names and patronymics may be missing), or be all of a rare one-word
  organisation name; a country or nationality word is never a mention;
- a country or nationality right before the span ("the British Ministry of
  Defense") or after it ("... of Belarus") that is not among the listed entity's
  countries rules that entity out;
- a surname alone ("Mr Medvedev", "Putin's") is a mention when the same text
  names that person in full; otherwise it is only a weak candidate, and not even
  that after a preposition of place ("near Kazan") or beside another
  capitalised name ("Vladimir Astapkovich" names someone else).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

import numpy as np

from clearance.countries import to_iso2
from clearance.errors import InputError
from clearance.matching import Hit, Screener
from clearance.matching.index import IndexedName
from clearance.matching.names import TITLES, NameForm
from clearance.matching.normalize import normalize
from clearance.matching.phonetic import skeleton
from clearance.memo import memoised
from clearance.model import EntityKind, Name
from clearance.text.tokens import GLUE, Token, tokenize

_NONE = np.zeros(0, dtype=np.int64)

MAX_TEXT = 1_048_576
"""Characters of text screened at once (1 MiB); longer input is refused. Screening takes time and memory
in proportion to the text: a megabyte of news naming listed parties in every paragraph takes about 2.5 s
and 150 MB beside the index (bench/text_memory.py). A document to screen is rarely a tenth of that, and
a longer one can be screened in parts."""
SEED_WEIGHT = 4.5
"""Tokens more common than this among listed names do not start a span."""
SURNAME_WEIGHT = 6.0
"""A lone surname must be at least this rare to be worth a weak candidate."""
ONE_WORD_WEIGHT = 8.5
"""A one-word listed name must be this rare to be a mention on its own."""
_JOINERS = re.compile(r"^[\s,]*$")
_PLACE_WORDS = frozenset("near in at from to outside around across into via".split())


def check_length(text: str, what: str = "text") -> None:
    """Refuse text over `MAX_TEXT` before any work on it, naming the input (`what`)."""
    if len(text) > MAX_TEXT:
        raise InputError(f"{what}: too long ({len(text):,} characters; at most {MAX_TEXT:,})")


@dataclass(frozen=True)
class Mention:
    """A place in the text that names a listed party."""

    start: int
    end: int
    text: str
    kind: str
    """`full` (the name), `surname` (a surname whose full name the text gives), or `weak`."""
    hits: tuple[Hit, ...]
    linked_to: int | None = None
    """For a surname: the start offset of the full-name mention it refers to."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuledOut:
    """A candidate the precision rules rejected, with the reason: shown so an analyst can check it."""

    start: int
    end: int
    text: str
    entity_id: str
    reason: str


@dataclass(frozen=True)
class TextResult:
    mentions: tuple[Mention, ...]
    weak: tuple[Mention, ...]
    ruled_out: tuple[RuledOut, ...]
    words: int
    algorithm: str
    snapshots: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Span:
    first: int
    last: int
    name_ids: frozenset[int]


class TextScreener:
    """Finds listed parties in text with a party `Screener`'s index and scorer."""

    def __init__(self, screener: Screener, threshold: float | None = None) -> None:
        self.screener = screener
        self.index = screener.index
        self.threshold = screener.threshold if threshold is None else threshold
        # Per listed name, worked out when a text first touches it (a text touches few of the 60,000):
        # built up front for all, these sets took some 80 MB before the first word was read.
        self._name_tokens = memoised(self._tokens_of, 200_000)
        self._name_skeletons = memoised(self._skeletons_of, 200_000)
        # Memos of this screener, cached by the run's or span's words: texts name the same parties again and again.
        self._extend = memoised(self._extend_run, 100_000)
        self._reach = memoised(self._reach_of, 100_000)
        self._names_of = memoised(self._find_names_of, 100_000)
        self._scored = memoised(self._score_span, 50_000)

    def _tokens_of(self, name_id: int) -> frozenset[str]:
        return frozenset(self.index.signal(name_id))

    def _skeletons_of(self, name_id: int) -> frozenset[str]:
        return frozenset(skeleton(t) for t in self.index.signal(name_id))

    def screen(self, text: str, surnames: bool = True) -> TextResult:
        """Every mention of a listed party in `text`, with its offsets and hits; with `surnames` False, only
        full names (a caller looking for listed names inside a company's name has no use for a lone surname)."""
        check_length(text)
        words = tokenize(text, known=self._known)
        case_matters = any(c.islower() for c in text) and any(c.isupper() for c in text)
        spans = self._spans(text, words, case_matters)
        mentions: list[Mention] = []
        ruled_out: list[RuledOut] = []
        lone: list[tuple[int, frozenset[int]]] = []
        for span in spans:
            if span.first == span.last and not self._one_word_name(words[span.first], span.name_ids):
                lone.append((span.first, span.name_ids))
                continue
            mention, rejected = self._full_mention(text, words, span, case_matters)
            ruled_out += rejected
            if mention is not None:
                mentions.append(mention)
        mentions = _outermost(mentions)
        found, weak = self._lone_surnames(text, words, lone, mentions) if surnames else ([], [])
        mentions = sorted(mentions + found, key=lambda m: (m.start, m.end))
        return TextResult(
            mentions=tuple(mentions),
            weak=tuple(weak),
            ruled_out=tuple(ruled_out),
            words=len(words),
            algorithm=self.screener.algorithm,
            snapshots=dict(self.screener.snapshots),
        )

    # -- finding spans --------------------------------------------------------------

    def _known(self, token: str) -> bool:
        return token in self.index.names_of

    def _find_names_of(self, token: str) -> frozenset[int]:
        """The listed names holding `token`, or a word of its skeleton; cached, and shared by the spans it seeds."""
        found: set[int] = set(self.index.names_of.get(token, _NONE).tolist())
        if len(token) >= 5:
            skel = skeleton(token)
            if len(skel) >= 3:
                for other in self.index.tokens_of.get("~" + skel, ()):
                    found.update(self.index.names_of[other].tolist())
        return frozenset(found)

    def _reach_of(self, token: str) -> int:
        """The most words a span seeded by `token` can have: the longest listed name holding it."""
        return max((len(self.index.signal(name_id)) for name_id in self._names_of(token)), default=1)

    def _extend_run(self, window: tuple[str, ...], seed: int) -> tuple[tuple[int, int, frozenset[int]], ...]:
        """Grow a span from `window[seed]` over the neighbours in the same listed name, for each such name.

        A span holds each word of the name at most as often as the name does, so a name repeated
        without a full stop ("MAHAN AIR MAHAN AIR ...") is as many spans, not one that grows over
        them all. `window` is the seed's run cut to its reach: keys stay small and work per word bounded.
        Cached by the window's words, with the names of each span in one set: texts name the same parties
        again and again, and every mention of a party then shares that set.
        """
        skels = [skeleton(n) for n in window]
        found: dict[tuple[int, int], set[int]] = {}
        for name_id in self._names_of(window[seed]):
            left = self._name_keys(name_id)
            left[self._key(window[seed], skels[seed], name_id)] -= 1
            left[""] -= 1
            first = last = seed
            while first > 0 and self._takes(window[first - 1], skels[first - 1], name_id, left):
                first -= 1
            while last + 1 < len(window) and self._takes(window[last + 1], skels[last + 1], name_id, left):
                last += 1
            found.setdefault((first, last), set()).add(name_id)
        return tuple((first, last, frozenset(ids)) for (first, last), ids in found.items())

    def _name_keys(self, name_id: int) -> Counter[str]:
        """What a span of a listed name may still use: each word (as written, or by its skeleton), and
        under "" the number of words."""
        signal = self.index.signal(name_id)
        keys = Counter([*signal, *("~" + skeleton(t) for t in signal)])
        keys[""] = len(signal)
        return keys

    def _key(self, norm: str, skel: str, name_id: int) -> str:
        return norm if norm in self._name_tokens(name_id) else "~" + skel

    def _takes(self, norm: str, skel: str, name_id: int, left: Counter[str]) -> bool:
        """Whether a neighbour continues the span: a word of the name that the span has not used up yet."""
        if not self._in_name(norm, skel, name_id):
            return False
        key = self._key(norm, skel, name_id)
        if left[key] <= 0 or left[""] <= 0:
            return False
        left[key] -= 1
        left[""] -= 1
        return True

    def _in_name(self, norm: str, skel: str, name_id: int) -> bool:
        return norm in self._name_tokens(name_id) or (len(norm) >= 5 and skel in self._name_skeletons(name_id))

    def _spans(self, text: str, words: Sequence[Token], case_matters: bool) -> list[_Span]:
        norms = [t.norm for t in words]
        skels = [skeleton(n) for n in norms]
        joined = [_joined(text, a, b) for a, b in zip(words, words[1:], strict=False)]
        vocabulary = self.index.names_of
        # Could this word continue a name? A listed-name word that is capitalised (when case tells),
        # or a lower-case particle inside names ("of", "al", "bin") followed by one.
        capital = [not case_matters or t.text[:1].isupper() for t in words]
        known = [
            n in vocabulary or (len(n) >= 5 and "~" + k in self.index.tokens_of)
            for n, k in zip(norms, skels, strict=True)
        ]
        nameish = [
            known[j] and (capital[j] or (j + 1 < len(words) and joined[j] and capital[j + 1] and known[j + 1]))
            for j in range(len(words))
        ]
        # Runs of listed-name words joined by spaces or commas: a span never crosses a run's ends.
        runs: list[tuple[int, int]] = []
        for j in range(len(words)):
            start = runs[j - 1][0] if j > 0 and joined[j - 1] and known[j - 1] and known[j] else j
            runs.append((start, j))
        for j in range(len(words) - 2, -1, -1):
            if runs[j + 1][0] == runs[j][0]:
                runs[j] = (runs[j][0], runs[j + 1][1])
        grown: dict[tuple[int, int], frozenset[int]] = {}
        for i, token in enumerate(words):
            if (
                token.norm in GLUE
                or (case_matters and not token.text[:1].isupper())
                or self.index.weight(token.norm) < SEED_WEIGHT
                or _is_country(token)
            ):
                continue
            if not (i > 0 and joined[i - 1] and nameish[i - 1]) and not (
                i + 1 < len(words) and joined[i] and nameish[i + 1]
            ):
                # Nothing name-like beside it: a lone word, worth keeping only if rare enough to matter alone.
                if self.index.weight(token.norm) >= SURNAME_WEIGHT:
                    _grow(grown, (i, i), self._names_of(token.norm))
                continue
            run_start, run_end = runs[i]
            reach = self._reach(token.norm) - 1
            low, high = max(run_start, i - reach), min(run_end, i + reach)
            for first, last, name_ids in self._extend(tuple(norms[low : high + 1]), i - low):
                _grow(grown, (low + first, low + last), name_ids)
        spans = [_Span(first, last, ids) for (first, last), ids in grown.items()]
        return sorted(spans, key=lambda s: (s.first, -s.last))

    def _one_word_name(self, token: Token, name_ids: frozenset[int]) -> bool:
        """A rare organisation, vessel or aircraft whose whole name is this one capitalised word."""
        return (
            token.text[:1].isupper()
            and self.index.weight(token.norm) >= ONE_WORD_WEIGHT
            and any(self._lone_word_of(name_id) == token.norm for name_id in name_ids)
        )

    def _lone_word_of(self, name_id: int) -> str | None:
        """The one identifying word of an organisation's, vessel's or aircraft's name that has only one."""
        signal = self.index.signal(name_id)
        kind = self.index.entity_kind(self.index.name_entity(name_id))
        return signal[0] if len(signal) == 1 and kind not in (EntityKind.PERSON, EntityKind.UNKNOWN) else None

    # -- full names -----------------------------------------------------------------

    def _hits(self, words: Sequence[Token], first: int, last: int, name_ids: frozenset[int]) -> list[Hit]:
        span = words[first : last + 1]
        return list(self._scored(tuple((t.text, t.norm, t.raw) for t in span), name_ids))

    def _score_span(self, span: tuple[tuple[str, str, str], ...], name_ids: frozenset[int]) -> tuple[Hit, ...]:
        """The best hit per entity for a span as written; cached, as texts repeat names."""
        form = NameForm(
            text=" ".join(text for text, _, _ in span),
            tokens=tuple(norm for _, norm, _ in span),
            raw=tuple(raw for _, _, raw in span),
            noise=tuple(False for _ in span),
            signal=tuple(norm for _, norm, _ in span),
            edge=tuple(False for _ in span),
            abjad=tuple(False for _ in span),
        )
        query = self.screener.query(form)
        best: dict[str, Hit] = {}
        for name_id in name_ids:
            hit = self.screener.hit(query, name_id)
            known = best.get(hit.entity.id)
            if known is None or hit.score > known.score:
                best[hit.entity.id] = hit
        return tuple(sorted(best.values(), key=lambda h: (-h.score, h.entity.id)))

    def _full_mention(
        self, text: str, words: Sequence[Token], span: _Span, case_matters: bool
    ) -> tuple[Mention | None, list[RuledOut]]:
        start, end = words[span.first].start, words[span.last].end
        written = text[start:end]
        if to_iso2(written) is not None:
            return None, []
        if case_matters and not all(
            t.text[:1].isupper() or t.norm in GLUE or not t.text[:1].isalpha()
            for t in words[span.first : span.last + 1]
        ):
            return None, []  # names are capitalised; "advanced technologies" in running text is no company
        size = span.last - span.first + 1
        coverable = frozenset(
            n
            for n in span.name_ids
            if len(self.index.names[n].form.signal) <= size + 1
            or self.index.entities[self.index.names[n].entity].kind is EntityKind.PERSON
        )
        hits = [
            h
            for h in self._hits(words, span.first, span.last, coverable)
            if h.score >= self.threshold and _covers_name(h)
        ]
        kept: list[Hit] = []
        rejected: list[RuledOut] = []
        qualifiers = _qualifiers(words, span.first, span.last)
        for hit in hits:
            countries = set(hit.entity.countries)
            clash = [(word, code) for word, code in qualifiers if countries and code not in countries]
            if clash:
                word, code = clash[0]
                listed = ", ".join(sorted(countries))
                reason = f"'{word}' names {code}, but the listed entity is tied to {listed}"
                rejected.append(RuledOut(start, end, written, hit.entity.id, reason))
            else:
                kept.append(hit)
        if not kept:
            return None, rejected
        return Mention(start, end, written, "full", tuple(kept)), rejected

    # -- surnames ---------------------------------------------------------------------

    def _lone_surnames(
        self, text: str, words: Sequence[Token], lone: list[tuple[int, frozenset[int]]], full: list[Mention]
    ) -> tuple[list[Mention], list[Mention]]:
        surnames: list[Mention] = []
        weak: list[Mention] = []
        starts = [m.start for m in full]  # `full` is in order of start
        reaches = list(accumulate((m.end for m in full), max, initial=0))
        by_surname: dict[str, list[Mention]] = {}
        for mention in full:
            for surname in {t for h in mention.hits if h.entity.kind is EntityKind.PERSON for t in _surname_tokens(h)}:
                by_surname.setdefault(surname, []).append(mention)
        ends = {surname: [m.end for m in found] for surname, found in by_surname.items()}
        for i, name_ids in lone:
            token = words[i]
            if reaches[bisect.bisect_right(starts, token.start)] > token.start:
                continue  # inside a full mention
            if (
                token.norm in GLUE
                or not token.text[:1].isupper()
                or self.index.weight(token.norm) < SURNAME_WEIGHT
                or _is_country(token)
                or _beside_other_name(text, words, i, self.index.names_of)
            ):
                continue
            antecedent = _antecedent(token, by_surname.get(token.norm, []), ends.get(token.norm, []))
            title = _title_before(words, i)
            notes = (f"after the title '{title}'",) if title else ()
            if antecedent is not None:
                hits = tuple(h for h in antecedent.hits if token.norm in _surname_tokens(h))
                surnames.append(
                    Mention(
                        token.start,
                        token.end,
                        token.text,
                        "surname",
                        hits,
                        antecedent.start,
                        notes + (f"refers to '{antecedent.text}' at {antecedent.start}",),
                    )
                )
                continue
            if i > 0 and words[i - 1].norm in _PLACE_WORDS:
                continue
            persons = frozenset(
                n
                for n in name_ids
                if self.index.entities[self.index.names[n].entity].kind is EntityKind.PERSON
                and token.norm in _surname_of(self.index.names[n])
            )
            if not persons:
                continue
            weak_hits = tuple(self._hits(words, i, i, persons)[:3])
            weak.append(
                Mention(
                    token.start,
                    token.end,
                    token.text,
                    "weak",
                    weak_hits,
                    notes=notes + ("a surname alone, and the text names no such person in full",),
                )
            )
        return surnames, weak


def _grow(grown: dict[tuple[int, int], frozenset[int]], span: tuple[int, int], name_ids: frozenset[int]) -> None:
    """Add names to a span, keeping the (shared, cached) set itself when the span has no other."""
    known = grown.get(span)
    grown[span] = name_ids if known is None or known >= name_ids else known | name_ids


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Drop a mention lying inside a longer one ("Kalashnikov" inside "Kalashnikov Concern"), and one
    overlapping the mention before it of the same parties: "Vladimir Putin, Vladimir Putin" names him
    twice, not a third time as "Putin, Vladimir" between them."""
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept: list[Mention] = []
    for mention in ordered:
        if kept and kept[-1].start <= mention.start and mention.end <= kept[-1].end:
            continue
        if kept and mention.start < kept[-1].end and _parties(mention) <= _parties(kept[-1]):
            continue
        kept.append(mention)
    return kept


def _parties(mention: Mention) -> set[str]:
    return {hit.entity.id for hit in mention.hits}


def _antecedent(token: Token, matching: list[Mention], ends: list[int]) -> Mention | None:
    """The full mention a surname refers to: the nearest before it, else the first after it (`ends`: theirs)."""
    position = bisect.bisect_left(ends, token.start + 1)
    if position > 0:
        return matching[position - 1]
    return matching[0] if matching else None


def _surname_of(listed: IndexedName) -> frozenset[str]:
    """The surname tokens of a listed person name: its `last` part, the part before a comma, or the last word."""
    name = listed.name
    if name.last:
        return frozenset(normalize(name.last).split())
    if "," in name.full:
        return frozenset(normalize(name.full.split(",", 1)[0]).split())
    return frozenset(listed.form.signal[-1:])


def _surname_tokens(hit: Hit) -> frozenset[str]:
    return _surname_of_name(hit.explanation.matched_name)


@lru_cache(maxsize=65_536)
def _surname_of_name(matched: Name) -> frozenset[str]:
    if matched.last:
        return frozenset(normalize(matched.last).split())
    if "," in matched.full:
        return frozenset(normalize(matched.full.split(",", 1)[0]).split())
    words = normalize(matched.full).split()
    return frozenset(words[-1:])


def _covers_name(hit: Hit) -> bool:
    """In text, an organisation's name must be named whole; a person's may lack middle names."""
    why = hit.explanation
    if hit.entity.kind is EntityKind.PERSON:
        return len(why.tokens) >= 2
    return not why.unmatched_listed and not why.unmatched_query


def _joined(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end : right.start]
    return gap == " " or bool(_JOINERS.match(gap))


_REGIONS = frozenset("asia europe africa america americas oceania arctic antarctica eurasia caucasus balkans".split())


def _is_country(token: Token) -> bool:
    """Countries, nationalities and world regions: places, never parties."""
    return token.norm in _REGIONS or to_iso2(token.text) is not None


def _qualifiers(words: Sequence[Token], first: int, last: int) -> list[tuple[str, str]]:
    """Country or nationality words qualifying a span: right before it, or `of X` right after it."""
    found = []
    before = first - 1
    if before >= 0 and words[before].norm == "the":
        before -= 1
    if before >= 0 and words[before].text[:1].isupper() and (code := to_iso2(words[before].text)):
        found.append((words[before].text, code))
    if last + 2 < len(words) and words[last + 1].norm == "of" and (code := to_iso2(words[last + 2].text)):
        found.append((words[last + 2].text, code))
    return found


def _title_before(words: Sequence[Token], i: int) -> str | None:
    return words[i - 1].text if i > 0 and words[i - 1].norm in TITLES else None


def _beside_other_name(text: str, words: Sequence[Token], i: int, vocabulary: Container[str]) -> bool:
    """Is the word part of a longer capitalised name that is not a listed one (a photographer's credit)?"""
    for j in (i - 1, i + 1):
        if 0 <= j < len(words):
            other = words[j]
            left, right = (other, words[i]) if j < i else (words[i], other)
            if (
                _joined(text, left, right)
                and text[left.end : right.start].strip() == ""
                and other.text[:1].isupper()
                and other.norm not in TITLES
                and to_iso2(other.text) is None
                and other.norm not in vocabulary
            ):
                return True
    return False
