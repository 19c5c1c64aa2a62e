"""The candidate index over every name variant of every listed entity.

A query must score a few dozen candidates, never the whole list. Every name is
indexed under these keys per token: the canonical token, its folded form and
its consonant skeleton (romanisation variants), and its one-letter deletions
(typos, after SymSpell: two strings within one edit share a deletion key; a
query token of nine letters or more also looks up its two-letter deletions).
The spelling as written is indexed too where the variants table rewrites it,
titles under their own keys, and tokens by their bare consonants for names
written in an abjad. Adjacent tokens are also indexed joined, for names written
split or run together (Jin Ping / Jinping, Abd al-Rahman / Abdulrahman).

A query token reaches the listed tokens sharing one of its keys; each is scored
once with `similarity` (a shared key that is no real likeness, Jones / Janus,
reaches nothing), and the names holding it collect that similarity times the
listed token's rarity (inverse document frequency), so a shared "Mohammed"
counts for little and a shared "Lukashenka" for much. A name's listed tokens
the query does not reach count against it, as in scoring; an initial counts for
names with a token it begins, and a date of birth or country the entity shares
with the query lifts it, which keeps the right "Ahmad Hassan" among thousands.

Candidates are scored on numpy arrays over all names, so a query with a common
token ("Mohammed" reaches some 3,000 names) costs about what a rare one does;
entities estimated alike at the candidate limit are taken in list order. What
each listed spelling reaches is worked out as the index is built (a few
seconds and 90 MB for every list here), so a query token spelled as some listed
name spells it, as most of a true hit's are, costs a lookup.
Given a threshold, names estimated below FLOOR_MARGIN of the score they need are
not returned: the estimate runs high, and of 14,281 benchmark queries screened
both ways it changed the default-threshold hits of two (one hit lost).
"""

from __future__ import annotations

import marshal
import math
import re
import sys
import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt

from clearance.gcpause import gc_paused
from clearance.matching.config import CURRENT
from clearance.matching.designation import authority, linked, listing_keys, organization_keys, person_keys
from clearance.matching.designation import keys as designation_keys
from clearance.matching.names import NOISE_WEIGHT, NameForm, analyze, is_patronymic, is_title
from clearance.matching.normalize import READ_FROM_SYLLABLES, WRITTEN_IN_ABJAD, Spelling
from clearance.matching.phonetic import (
    canonical,
    coarse_consonants,
    consonants,
    fold,
    heard,
    loosen,
    skeleton,
    spoken,
    spoken_language,
    unsaid_r,
    unwritten_h,
)
from clearance.matching.similarity import (
    INITIAL,
    LOOSE_PHONETIC,
    MIN_SKELETON,
    MISTYPED_LETTERS,
    READ_PAIR,
    UNLISTED_TYPO,
    Similarity,
    Token,
    final_z_as_s,
    joinable,
    query_token,
    read_likeness,
    remembered,
    similarity,
)
from clearance.matching.tables import Rows, TableFile, TableWriter
from clearance.memo import forgets, memoised
from clearance.model import DateOfBirth, Entity, EntityKind, Identifier, Name, NameQuality

_C = CURRENT.config
TWO_EDITS = _C.two_edits
"""Tokens this long may be two edits from a listed one (see `similarity`)."""
LOOSE_LOOKUP = _C.loose_lookup
"""Abjad-written and syllable-read query tokens reach listed ones by their loose consonants too."""
V_REACHES_W = _C.abjad_v_reaches_w
"""Whether a word in an abjad with a v reaches the listed words with a w there (see the config)."""
V_REACHES_B = _C.abjad_v_reaches_b
"""Whether a word in an abjad with a v reaches the listed words with a b there (see the config)."""
FINAL_Z = _C.abjad_final_z
"""Whether a word in an abjad ending in z reaches the listed words ending in s (see `similarity.final_z_as_s`)."""
OTHER_READINGS = _C.kana_added_vowels
"""Whether a query word's other reading of syllables reaches all it reaches (see `_token_postings`)."""
HEARD_KEYS = _C.heard_ts
"""Whether listed words are reached by how they are heard too (see the config's `heard_ts`)."""
LOOSE_FROM = 2 if _C.read_loose_two else _C.min_skeleton
"""Fewest consonants a listed word is reached by loosely (see the config's `read_loose_two`)."""
LETTER_WEIGHT = _C.letter_weight
"""Most a query's initial counts towards a candidate for a listed one-letter token it equals."""
MIN_DELETE = _C.min_delete
"""Tokens shorter than this get no typo keys: one edit in four letters is another name."""
RELATIVE_CUTOFF = _C.relative_cutoff
"""Candidates estimated below this share of the best candidate's estimate are not scored."""
NAMES_PER_ENTITY = _C.names_per_entity
"""Names of one entity scored at most: the best by estimate (entities list up to dozens of aliases)."""
FLOOR_MARGIN = _C.floor_margin
"""Names estimated below this share of the score they need are not scored (the estimate runs high)."""
FLOOR_READ_PAIRS = _C.floor_read_pairs
"""Entities kept at most because words read from another script may pair with their names by sound (see the
config)."""
LIKELIEST = _C.likeliest_candidates
"""Candidates scored besides the best estimated: those whose names the query reaches most of (see the config)."""
LIKELIEST_SHARE = _C.likeliest_share
"""The least share of a name the query reaches for it to count among the likeliest."""
UNMATCHED_QUERY_AFTER_TWO = _C.unmatched_query_after_two
"""Share of a query token's weight that counts against a match when the listed name lacks it (once two matched)."""
DOB_LIFT = _C.dob_lift
COUNTRY_LIFT = _C.country_lift
UNMATCHED_EDGE = _C.unmatched_edge
UNMATCHED_MIDDLE = _C.unmatched_middle
UNMATCHED_OTHER = _C.unmatched_other
"""Shares of a listed token's weight that count against a match when the query lacks the token:
a person's family or first given name, a person's middle name or patronymic, any other token."""
UNKNOWN_KIND_EDGE = _C.unknown_kind_edge
"""An entity of no known kind may be a person: its names' first and last tokens cost what a person's do."""
MORE_MIDDLE_NAMES = _C.more_middle_names
"""Share of UNMATCHED_MIDDLE for each middle name the query lacks beyond the costliest one."""
TITLE_WEIGHT = _C.title_weight
"""Most a title or honorific shared by both names weighs ("Sheikh", "Haji" are part of many listed names)."""
EXTRA_WORD = _C.extra_word
"""Most one query word a listed name lacks costs, as a share of the matched weight (see `score`)."""
JOINED_WHOLE = _C.joined_whole
"""A query's two words written together reach only names writing them as one word (see `NameIndex._joined_postings`)."""
EXTRA_WORD_LEAST = min(_C.extra_word_rare, _C.extra_word_matched)
"""Least matched weight that earns that leeway."""

FRESH_ENTITIES = 64
"""Entities decoded for their facts that are kept a while, for a hit on them to take (see `NameIndex._facts`)."""

_ID_NOISE = re.compile(r"[^0-9A-Z]")
_KINDS = tuple(EntityKind)
_T = TypeVar("_T")
_H = TypeVar("_H", bound=tuple[Any, ...])


@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: int
    written: Name | bytes
    """The listed name: a `Name`, or its fields marshalled, validated when `name` is asked for (a hit's
    explanation), so the many names a batch compares and never reports cost no model object each."""
    quality: NameQuality
    form: NameForm
    tokens: tuple[Token, ...]
    joined: tuple[Token, ...]
    """Adjacent tokens written together: `joined[j]` is `tokens[j] + tokens[j + 1]`."""
    weights: tuple[float, ...]
    """Per token: what matching it is worth (rarity; titles at most TITLE_WEIGHT)."""
    misses: tuple[float, ...]
    """Per token: what the query lacking it costs (see UNMATCHED_EDGE)."""
    initials: int
    """Bit set of the first letters of its tokens (titles too: "RAHMAT, Q." is "RAHMAT, Qari")."""
    total: float
    """Summed weight of its identifying tokens."""
    lost_share: float
    """What the query lacking every one of its tokens would cost (see `listed_cost`), per unit of `total`."""

    @property
    def name(self) -> Name:
        written = self.written
        return written if isinstance(written, Name) else Name.model_validate(marshal.loads(written))


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """What screening weighs of a listed entity besides its names, a third of its decoded size: kept for every
    candidate whose name comes close, the whole entity only for a hit. A batch worker keeping every such
    entity whole grew by tens of MB per 100,000 rows."""

    id: str
    kind: EntityKind
    dates_of_birth: tuple[DateOfBirth, ...]
    countries: tuple[str, ...]
    identifiers: tuple[Identifier, ...]

    @classmethod
    def of(cls, entity: Entity) -> EntityFacts:
        return cls(entity.id, entity.kind, entity.dates_of_birth, entity.countries, entity.identifiers)


def listed_cost(misses: Sequence[float], edge: Sequence[bool], lone: Iterable[int]) -> float:
    """What the listed tokens at positions `lone` cost when the query lacks them.

    Each middle name beyond the costliest counts MORE_MIDDLE_NAMES: UN and OFAC spell out patronymic chains
    ("MOHAMMED QASIM MIR WALI KHUDAI RAHIM") that no query repeats, and each one left out says less.
    """
    cost = 0.0
    middle: list[float] = []
    for j in lone:
        if edge[j]:
            cost += misses[j]
        else:
            middle.append(misses[j])
    if middle:
        top = max(middle)
        cost += top + MORE_MIDDLE_NAMES * (sum(middle) - top)
    return cost


def _miss_share(kind: EntityKind, noisy: bool, edge: bool) -> float:
    """The share of a listed token's weight the query lacking it costs (see UNMATCHED_EDGE)."""
    if noisy:
        return UNMATCHED_OTHER
    if kind is EntityKind.PERSON:
        return UNMATCHED_EDGE if edge else UNMATCHED_MIDDLE
    return UNMATCHED_EDGE if edge and UNKNOWN_KIND_EDGE and kind is EntityKind.UNKNOWN else UNMATCHED_OTHER


def rings(first: Sequence[int]) -> list[int]:
    """Each entity's next entity of the same designation, the last's next its first (itself when alone): so a
    designation is found by walking from any of its entities, in an array as long as the entities."""
    following = list(range(len(first)))
    last: dict[int, int] = {}
    for number, root in enumerate(first):
        if root in last:
            following[last[root]] = number
            following[number] = root
        last[root] = number
    return following


def ring(following: Sequence[int] | npt.NDArray[np.int64], number: int) -> list[int]:
    """The entities of one designation, walking `rings` from `number`: it first, then its other lists' entries."""
    members = [number]
    after = int(following[number])
    while after != number:
        members.append(after)
        after = int(following[after])
    return members


def kind_is_organization(kind: EntityKind | None) -> bool | None:
    """How to read a name: as an organisation's (legal forms), a person's (titles), or either."""
    if kind is None or kind is EntityKind.UNKNOWN:
        return None
    return kind is not EntityKind.PERSON


def indexed_tokens(tokens: Sequence[str]) -> list[str]:
    """The tokens of a name and its adjacent pairs joined (see the module docstring)."""
    return [*tokens, *(a + b for a, b in zip(tokens, tokens[1:], strict=False))]


class Joined(NamedTuple):
    """Two adjacent tokens written together, before they are made a `Token`: a query's pairs are mostly new, and
    half of them are never compared with a listed token, which is all a `Token` is for."""

    text: str
    raw: str
    abjad: int


def form_tokens(form: NameForm, make: Callable[[str, str, int], Token] = query_token) -> tuple[Token, ...]:
    """A name's tokens as `Token`s."""
    return tuple(make(t, r, a) for t, r, a in zip(form.tokens, form.raw, form.abjad, strict=True))


def query_tokens(form: NameForm, make: Callable[[str, str, int, tuple[Spelling, ...]], Token]) -> tuple[Token, ...]:
    """A query name's tokens as `Token`s, each with its other spellings (`NameForm.others`)."""
    others = form.others or ((),) * len(form.tokens)
    return tuple(make(t, r, a, o) for t, r, a, o in zip(form.tokens, form.raw, form.abjad, others, strict=True))


def joined_pairs(tokens: Sequence[Token]) -> tuple[Joined, ...]:
    """A name's adjacent tokens joined (see `_joined`)."""
    pairs = zip(tokens, tokens[1:], strict=False)
    return tuple(Joined(_joined(a, b), a.raw + b.raw, max(a.abjad, b.abjad)) for a, b in pairs)


def name_tokens(
    form: NameForm, make: Callable[[str, str, int], Token] = query_token
) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    """A name's tokens and its adjacent pairs joined, as `Token`s."""
    tokens = form_tokens(form, make)
    return tokens, tuple(make(*pair) for pair in joined_pairs(tokens))


def _joined(a: Token, b: Token) -> str:
    """Two tokens written together, canonical when the variants table knows the whole ("abd al" is Abdul)."""
    written = a.raw + b.raw
    known = canonical(written)
    return known if known != written else a.text + b.text


def single_token_keys(token: str) -> frozenset[str]:
    """A token's keys: itself, its folded form (Hig, High), its skeleton and its one-letter deletions."""
    keys = {token, "=" + fold(token)}
    skel = skeleton(token)
    if len(skel) >= MIN_SKELETON:
        keys.add("~" + skel)
    if len(token) >= MIN_DELETE:
        keys.update("-" + token[:i] + token[i + 1 :] for i in range(len(token)))
    if len(token) >= MIN_DELETE - 1:
        keys.add("-" + token)
    return frozenset(keys)


def query_token_keys(token: str) -> frozenset[str]:
    """The keys a query token looks up: its own, and for tokens long enough to allow two edits, its
    two-letter deletions, which meet a listed token's one-letter deletions (Abdelrazak / Abdurazak)."""
    keys = single_token_keys(token)
    if len(token) >= TWO_EDITS:
        keys = keys | {"-" + token[:i] + token[i + 1 : j] + token[j + 1 :] for j in range(len(token)) for i in range(j)}
    return keys


def joined_token_keys(token: str) -> frozenset[str]:
    """Keys of two tokens joined: itself, its skeleton, and the typo key a listed token one letter longer has."""
    skel = skeleton(token)
    return frozenset((token, "-" + token, "~" + skel) if len(skel) >= MIN_SKELETON else (token, "-" + token))


def normalize_identifier(value: str) -> str:
    """Identifier values compared without spaces, dashes, case or an `IMO` prefix."""
    text = _ID_NOISE.sub("", value.upper())
    return text[3:] if text.startswith("IMO") and text[3:].isdigit() else text


def initials_of(tokens: Iterable[str]) -> int:
    mask = 0
    for token in tokens:
        mask |= 1 << (ord(token[0]) & 63)
    return mask


def birth_years(entity: Entity) -> frozenset[int]:
    """Every year the entity may have been born in: exact dates, circa (one either side) and ranges."""
    years: set[int] = set()
    for dob in entity.dates_of_birth:
        if dob.date is not None:
            spread = 1 if dob.circa else 0
            years.update(range(dob.date.year - spread, dob.date.year + spread + 1))
        elif dob.start is not None and dob.end is not None and dob.end.year - dob.start.year <= 20:
            years.update(range(dob.start.year, dob.end.year + 1))
    return frozenset(years)


Postings = tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]
"""Name ids and what reaching each is worth."""


_NOWHERE: Postings = (np.zeros(0, dtype=np.int64), np.zeros(0))


_SPARSE = 1_500
"""Up to this many postings in all, names are summed by sorting their ids; beyond, in arrays over all names."""


def _accumulate(
    reached: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], float]], names: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The names reached (sorted), what reaching each is worth in all, and the query weight that reached it."""
    if not reached:
        return _NOWHERE[0], _NOWHERE[1], _NOWHERE[1]
    if len(reached) == 1:  # a copy: the caller adds to the values, and a posting's values are shared
        ids, values, miss = reached[0]
        return ids, values.copy(), np.full(len(ids), miss)
    ids = np.concatenate([ids for ids, _, _ in reached])
    values = np.concatenate([v for _, v, _ in reached])
    misses = np.array([miss for _, _, miss in reached]).repeat([len(i) for i, _, _ in reached])
    if len(ids) > _SPARSE:  # weighted counts: sums in float64, in the order of `reached`, as below
        scores: npt.NDArray[np.float64] = np.bincount(ids, values, names)  # type: ignore[assignment]
        covered: npt.NDArray[np.float64] = np.bincount(ids, misses, names)  # type: ignore[assignment]
        touched = (scores > 0).nonzero()[0]  # nonzero() on floats is ten times slower than on booleans
        return touched, scores[touched], covered[touched]
    order = np.argsort(ids, kind="stable")
    ids = ids[order]
    starts = _firsts(ids)
    return ids[starts], np.add.reduceat(values[order], starts), np.add.reduceat(misses[order], starts)


def _best(ids: npt.NDArray[np.int64], values: npt.NDArray[np.float64]) -> Postings:
    """Each name id once, at its best value."""
    order = np.lexsort((-values, ids))
    ids, values = ids[order], values[order]
    first = np.ones(len(ids), dtype=bool)  # none at all when no name is reached
    first[1:] = ids[1:] != ids[:-1]
    return ids[first], values[first]


def _floor_estimate(
    weight: npt.NDArray[np.float64], gap: npt.NDArray[np.float64], unreached: npt.NDArray[np.float64], most: float
) -> npt.NDArray[np.float64]:
    """Roughly what align will give a name, high rather than low: its reached weight over itself plus what stays
    unreached on either side at its smallest cost (`gap` of the name, `unreached` of the query, whose heaviest word
    costs `most`)."""
    lone = UNMATCHED_QUERY_AFTER_TWO * unreached
    lost = UNMATCHED_MIDDLE * gap + np.where(
        weight >= EXTRA_WORD_LEAST,
        np.minimum(lone, UNMATCHED_QUERY_AFTER_TWO * np.maximum(0.0, unreached - most) + EXTRA_WORD * weight),
        lone,
    )
    return weight / (weight + lost)


def _firsts(values: npt.NDArray[np.int64]) -> npt.NDArray[np.intp]:
    """Where each run of equal values of a non-empty array starts."""
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return first.nonzero()[0]


class _Rarity:
    """What tokens weigh, for building an index and for querying it alike."""

    rare_weight: float

    def weight(self, token: str) -> float:
        raise NotImplementedError

    def weights(self, form: NameForm) -> tuple[float, ...]:
        """What matching each token of a name is worth: a title at most TITLE_WEIGHT, a legal-form word little."""
        return tuple(
            self._noise_weight(token) if noisy else self.weight(token)
            for token, noisy in zip(form.tokens, form.noise, strict=True)
        )

    def _noise_weight(self, token: str) -> float:
        return min(self.weight(token), TITLE_WEIGHT) if is_title(token) else NOISE_WEIGHT

    def misses(self, form: NameForm) -> tuple[float, ...]:
        """What a token of the query's name left unmatched weighs: a title NOISE_WEIGHT, an initial little."""
        return tuple(
            NOISE_WEIGHT if noisy else min(self.weight(token), TITLE_WEIGHT) if len(token) == 1 else self.weight(token)
            for token, noisy in zip(form.tokens, form.noise, strict=True)
        )


class _Build(_Rarity):
    """Works out every table of an index from its entities, then writes them (see `tables`)."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[Entity] = list(entities)
        self.by_entity: list[list[int]] = []
        self.countries: list[tuple[str, ...]] = [entity.countries for entity in self.entities]
        self.birth_years: list[frozenset[int]] = [birth_years(entity) for entity in self.entities]
        forms: list[tuple[int, Name, NameForm]] = []
        names_of: defaultdict[str, list[int]] = defaultdict(list)
        titles_of: defaultdict[str, list[int]] = defaultdict(list)
        plain: set[str] = set()
        paired: set[str] = set()
        personal: set[str] = set()
        frequency: Counter[str] = Counter()
        identifiers: defaultdict[str, list[int]] = defaultdict(list)
        spellings: defaultdict[str, set[str]] = defaultdict(set)
        self._spoken: dict[str, tuple[str]] = {}
        said_of: defaultdict[str, set[str]] = defaultdict(set)
        speakers: set[int] = set()  # persons whose names are said otherwise than spelled (`spoken_language`)
        self._abjad: set[str] = set()
        entity_keys: list[frozenset[str]] = []
        for number, entity in enumerate(self.entities):
            organization = kind_is_organization(entity.kind)
            language = spoken_language(entity) if entity.kind is EntityKind.PERSON else None
            if language:
                speakers.add(number)
            seen: set[tuple[str, ...]] = set()
            own: list[int] = []
            signals: list[tuple[str, ...]] = []
            for name in entity.names:
                form = analyze(name.full, organization)
                signals.append(form.signal)
                if not form.tokens or form.tokens in seen:
                    continue
                seen.add(form.tokens)
                name_id = len(forms)
                forms.append((number, name, form))
                own.append(name_id)
                frequency.update(set(form.tokens))
                plain.update(form.signal)
                if entity.kind in (EntityKind.PERSON, EntityKind.UNKNOWN):
                    personal.update(form.signal)
                written = [r for r, noisy in zip(form.raw, form.noise, strict=True) if not noisy]
                for token, spelling in zip(indexed_tokens(form.signal), indexed_tokens(written), strict=True):
                    if spelling != token:
                        spellings[token].add(spelling)
                self._abjad.update(t for t, abjad in zip(form.tokens, form.abjad, strict=True) if abjad)
                for token, spelling, abjad, noisy in zip(form.tokens, form.raw, form.abjad, form.noise, strict=True):
                    if language and not (abjad or noisy) and (saying := spoken(spelling, language)):
                        self._spoken[spelling] = (saying,)
                        said_of[saying].add(token)
                for token in set(indexed_tokens(form.signal)):
                    names_of[token].append(name_id)
                paired.update(a + b for a, b in zip(form.signal, form.signal[1:], strict=False))
                for token in {t for t, noisy in zip(form.tokens, form.noise, strict=True) if noisy and is_title(t)}:
                    titles_of[token].append(name_id)
            self.by_entity.append(own)
            entity_keys.append(
                designation_keys(entity)
                | person_keys(entity, signals)
                | organization_keys(entity, signals)
                | listing_keys(entity, signals)
            )
            for identifier in entity.identifiers:
                value = normalize_identifier(identifier.value)
                if len(value) >= 4 and number not in identifiers[value]:
                    identifiers[value].append(number)
        self.designations = rings(linked(entity_keys, [authority(entity) for entity in self.entities]))
        self.names_of: dict[str, list[int]] = dict(names_of)
        # Words some names write apart: the names writing each as one word, which a query's pair reaches alone.
        whole_of: defaultdict[str, list[int]] = defaultdict(list)
        if JOINED_WHOLE:
            for name_id, (_, _, form) in enumerate(forms):
                for token in set(form.signal):
                    if token in plain and token in paired:
                        whole_of[token].append(name_id)
        self.whole_of: dict[str, list[int]] = dict(whole_of)
        self.titles_of: dict[str, list[int]] = dict(titles_of)
        title_keys: defaultdict[str, list[str]] = defaultdict(list)
        for title in titles_of:
            for key in single_token_keys(title):
                title_keys[key].append(title)
        self._title_keys = dict(title_keys)
        tokens_of: defaultdict[str, list[str]] = defaultdict(list)
        for token in self.names_of:
            # Joined pairs get no typo keys: they exist to catch spacing, and are long enough to flood the index.
            keys = single_token_keys(token) if token in plain else joined_token_keys(token)
            for key in keys:
                tokens_of[key].append(token)
        self.tokens_of: dict[str, list[str]] = dict(tokens_of)
        # Names written in an abjad meet the others by their consonants alone (see `phonetic.consonants`):
        # a query written in one reaches every listed token by them, any query reaches abjad-written ones.
        by_consonants: defaultdict[str, list[str]] = defaultdict(list)
        for token in plain:
            # its own, without a final h the scripts read from syllables do not write (`phonetic.unwritten_h`),
            # without an r that ends a syllable (ダークス dakusu, Dirks) and as heard (`phonetic.heard`: 쿠즈네초프),
            # each key once: they often coincide (Hanifah, heard and unheard hnf)
            written_as = [consonants(token)]
            if (unheard := unwritten_h(token)) != token:
                written_as.append(consonants(unheard))
            written_as += [key for key in (unsaid_r(token), heard(token) if HEARD_KEYS else "") if len(key) > 2]
            for key in dict.fromkeys(written_as):
                if len(key) > 1:
                    by_consonants[key].append(token)
        # and as a listed person's language says it (`phonetic.spoken`: Jimenez as 히메네스 and חימנס write it)
        for key, listed in said_of.items():
            if len(key) > 1:
                by_consonants[key].extend(sorted(listed - set(by_consonants.get(key, ()))))
        self._by_consonants = dict(by_consonants)
        # Two consonants reach too many names for every query to look them up: a name written otherwise
        # reaches abjad-written ones from three (two-consonant tokens still score when their names align).
        self._abjad_by_consonants = {
            key: found
            for key, tokens in self._by_consonants.items()
            if len(key) >= MIN_SKELETON and (found := [t for t in tokens if t in self._abjad])
        }
        # A query in an abjad or read from syllables reaches the consonants its loose ones may write (see
        # `phonetic.loose_consonants`), from three; a word read from syllables from two (`LOOSE_FROM`).
        by_loose: defaultdict[str, list[str]] = defaultdict(list)
        for key in self._by_consonants if LOOSE_LOOKUP else ():
            if len(key) >= LOOSE_FROM:
                by_loose[loosen(key)].append(key)
        self._by_loose = {key: found for key, found in by_loose.items() if len(found) > 1 or found[0] != key}
        # A token read from another script reaches, by its coarse consonants, the listed tokens (and adjacent pairs
        # joined) it may pair with by sound once the rest of a name aligned (`similarity.read_likeness`).
        by_coarse: defaultdict[str, list[str]] = defaultdict(list)
        for token in self.names_of if READ_PAIR else ():
            if len(key := coarse_consonants(token)) > 1:
                by_coarse[key].append(token)
        self._by_coarse = dict(by_coarse)
        # A typo in a spelling the variants table rewrites (Seregy for Sergey, canonically Sergei) is near
        # the spelling as written: its keys lead to the canonical token too.
        self._spellings = {token: tuple(sorted(written)) for token, written in spellings.items()}
        written_of: defaultdict[str, set[str]] = defaultdict(set)
        for token, spelled in self._spellings.items():
            for spelling in spelled:
                for key in single_token_keys(spelling):
                    written_of[key].add(token)
        self._written_of = {key: tuple(tokens) for key, tokens in written_of.items()}
        self.identifiers: dict[str, list[int]] = dict(identifiers)
        total = max(len(forms), 1)
        self.rare_weight = math.log(1 + total)
        self._weights = {token: math.log(1 + total / count) for token, count in frequency.items()}
        self.names: list[IndexedName] = []
        joined_weight: dict[str, float] = {}
        self._interned: dict[tuple[str, str, int], Token] = {}

        def as_said(token: Token) -> Token:
            """A token of the name of a person whose language says it otherwise, with that saying (`Token.spoken`)."""
            if token.abjad or not (spoken_as := self._spoken.get(token.raw)):
                return token
            key = (token.text, token.raw, token.abjad, spoken_as[0])
            found = said_tokens.get(key)
            if found is None:
                found = said_tokens[key] = Token.of(token.text, token.raw, token.abjad, spoken=spoken_as[0])
            return found

        said_tokens: dict[tuple[str, str, int, str], Token] = {}

        def intern(text: str, raw: str, abjad: int) -> Token:
            key = (text, raw, abjad)
            token = self._interned.get(key)
            if token is None:
                token = self._interned[key] = Token.of(text, raw, abjad)
            return token

        for number, name, form in forms:
            tokens, joined = name_tokens(form, intern)
            if number in speakers:
                tokens = tuple(as_said(token) for token in tokens)
            weights = self.weights(form)
            kind = self.entities[number].kind
            misses = tuple(
                weight * _miss_share(kind, noisy, edge)
                for weight, noisy, edge in zip(
                    (NOISE_WEIGHT if n else w for w, n in zip(weights, form.noise, strict=True)),
                    form.noise,
                    form.edge,
                    strict=True,
                )
            )
            signal = sum(w for w, noisy in zip(weights, form.noise, strict=True) if not noisy)
            self.names.append(
                IndexedName(
                    number,
                    name,
                    name.quality,
                    form,
                    tokens,
                    joined,
                    weights,
                    misses,
                    initials_of(form.tokens) | initials_of(form.raw),  # Y. for Yevgeniy, read as Evgeny
                    signal,
                    listed_cost(misses, form.edge, range(len(misses))) / max(signal, 1e-9),
                )
            )
            for j, pair in enumerate(joined):
                if not (form.noise[j] or form.noise[j + 1]):
                    weight = max(weights[j], weights[j + 1])
                    joined_weight[pair.text] = max(weight, joined_weight.get(pair.text, 0.0))
        self._joined_weight = joined_weight
        self._plain = plain
        self._brands = plain - personal
        """Listed words no person's name has, nor a name of no stated kind: an organisation's, a vessel's or an
        aircraft's own (see `similarity.Token.brand`)."""

    def weight(self, token: str) -> float:
        return self._weights.get(token, self.rare_weight)

    def listed_spellings(self) -> list[tuple[str, str, int]]:
        """Every listed spelling of an identifying token: what each reaches is worked out at build."""
        return list(
            dict.fromkeys(
                (token.text, token.raw, token.abjad)
                for listed in self.names
                for token, noisy in zip(listed.tokens, listed.form.noise, strict=True)
                if not noisy and len(token.text) > 1
            )
        )

    def write(self, out: TableWriter) -> None:
        """Every table the query side reads; arrays over all names are grouped by entity."""
        names = self.names
        out.strings("tokens_of", self.tokens_of)
        out.strings("written_of", self._written_of)
        out.strings("by_consonants", self._by_consonants)
        out.strings("abjad_by_consonants", self._abjad_by_consonants)
        out.strings("by_loose", self._by_loose)
        out.strings("by_coarse", self._by_coarse)
        out.strings("spellings", self._spellings)
        out.strings("title_keys", self._title_keys)
        out.key_set("plain", self._plain)
        out.key_set("abjad", self._abjad)
        out.key_set("brands", self._brands)
        out.strings("spoken", self._spoken)
        out.ids("names_of", self.names_of)
        out.ids("whole_of", self.whole_of)
        out.ids("titles_of", self.titles_of)
        out.ids("identifiers", self.identifiers)
        out.floats("weights", self._weights)
        out.floats("joined_weight", self._joined_weight)
        out.array("entity_of", [n.entity for n in names], np.int64)
        out.array("totals", [n.total for n in names], np.float64)
        out.array("lost_share", [n.lost_share for n in names], np.float64)
        out.array("initials", [n.initials for n in names], np.uint64)
        out.array("entity_kinds", [_KINDS.index(e.kind) for e in self.entities], np.int8)
        out.array("designations", self.designations, np.int64)
        together = {
            entity.id: [self.entities[other].id for other in ring(self.designations, number)[1:]]
            for number, entity in enumerate(self.entities)
            if self.designations[number] != number
        }
        out.strings("listed_together", together)
        out.array("entity_names", np.cumsum([0, *map(len, self.by_entity)]), np.int64)
        lettered: defaultdict[str, list[int]] = defaultdict(list)
        repeated: defaultdict[str, list[int]] = defaultdict(list)
        for name_id, listed in enumerate(names):
            for token in {t for t in listed.form.tokens if len(t) == 1}:
                lettered[token].append(name_id)
            for token, count in Counter(listed.form.signal).items():
                if count > 1:
                    repeated[token].append(name_id)
        out.ids("letters", lettered)
        out.ids("repeated", repeated)
        born: defaultdict[str, list[int]] = defaultdict(list)
        in_country: defaultdict[str, list[int]] = defaultdict(list)
        for number in range(len(self.entities)):
            for year in sorted(self.birth_years[number]):
                born[str(year)].append(number)
            for code in self.countries[number]:
                in_country[code].append(number)
        out.ids("born", born)
        out.ids("in_country", in_country)
        out.blobs("names", [_name_record(listed) for listed in names])
        out.blobs("entities", [entity.canonical_json().encode() for entity in self.entities])
        out.strings("signals", {str(i): n.form.signal for i, n in enumerate(names)})


def _name_record(listed: IndexedName) -> bytes:
    form = listed.form
    return marshal.dumps(
        (
            listed.entity,
            listed.name.model_dump(mode="json"),
            (
                form.text,
                form.tokens,
                form.raw,
                form.noise,
                form.legal_forms,
                form.signal,
                form.edge,
                form.abjad,
                form.whole,
            ),
            form.groups,
            tuple((t.text, t.raw, t.abjad, t.spoken) if t.spoken else (t.text, t.raw, t.abjad) for t in listed.tokens),
            tuple((t.text, t.raw, t.abjad) for t in listed.joined),
            listed.weights,
            listed.misses,
            listed.initials,
            listed.total,
            listed.lost_share,
        )
    )


class NameIndex(_Rarity):
    """The query side of an index file: what a query looks up is read from the file as it is needed.

    Immutable and safe to share between threads: the memos below only remember what the file says
    (or what follows from it), belong to this index and go with it.
    """

    def __init__(self, tables: TableFile) -> None:
        self.tables = tables
        self.meta: dict[str, Any] = tables.meta
        self.rare_weight = float(self.meta["rare_weight"])
        self.tokens_of = tables.strings("tokens_of")
        self._written_of = tables.strings("written_of")
        self._by_consonants = tables.strings("by_consonants")
        self._abjad_by_consonants = tables.strings("abjad_by_consonants")
        self._by_loose = tables.strings("by_loose")
        self._by_coarse = tables.strings("by_coarse")
        self._spellings = tables.strings("spellings")
        self._title_keys = tables.strings("title_keys")
        self._plain = tables.key_set("plain")
        self._abjad = tables.key_set("abjad")
        self._brands = tables.key_set("brands")
        self._spoken = tables.strings("spoken")
        self.names_of = tables.ids("names_of")
        self._whole_of = tables.ids("whole_of")
        self.titles_of = tables.ids("titles_of")
        self.identifiers = tables.ids("identifiers")
        self._letters = tables.ids("letters")
        self._repeated = tables.ids("repeated")
        self._born = tables.ids("born")
        self._in_country = tables.ids("in_country")
        self._weights = tables.floats("weights")
        self._joined_weight = tables.floats("joined_weight")
        self._listed_postings = tables.postings("postings") if "postings.keys" in tables else None
        self._entity_of: npt.NDArray[np.int64] = tables.array("entity_of")
        self._totals: npt.NDArray[np.float64] = tables.array("totals")
        self._lost_share: npt.NDArray[np.float64] = tables.array("lost_share")
        self._initials: npt.NDArray[np.uint64] = tables.array("initials")
        self._entity_names: npt.NDArray[np.int64] = tables.array("entity_names")
        self._kinds: npt.NDArray[np.int8] = tables.array("entity_kinds")
        self._designations: npt.NDArray[np.int64] = tables.array("designations")
        self._together = tables.strings("listed_together")
        self._name_records = tables.blobs("names")
        self._entity_records = tables.blobs("entities")
        self._signals = tables.strings("signals")
        self.names: Sequence[IndexedName] = _Decoded(len(self._name_records), self._name)
        self.entities: Sequence[Entity] = _Decoded(len(self._entity_records), self._entity)
        self.facts: Sequence[EntityFacts] = _Decoded(len(self._entity_records), self._facts)
        # Which single letters each name holds as tokens, as bits: more than 63 letters share the last bit.
        self._letter_bit = {letter: 1 << min(k, 63) for k, letter in enumerate(self._letters)}
        self._letter_bits = np.zeros(len(self.names), dtype=np.uint64)
        for letter, ids in self._letters.items():
            self._letter_bits[ids] |= np.uint64(self._letter_bit[letter])
        self._interned: dict[tuple[str, str, int, str], Token] = {}
        self._shapes: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self._fresh: dict[int, Entity] = {}
        """Entities decoded for their facts lately, by number (see `_facts`)."""
        forgets(self)
        self._members = memoised(self._members_of, 256)
        self._postings = memoised(self._postings_of, 50_000)
        self._joined_postings = memoised(self._joined_postings_of, 20_000)
        self.compared = memoised(self._compared, 8_192)
        self.listed_name = memoised(self._listed_name, 4_096)
        self._letter_postings = memoised(self._letter_postings_of, 64)
        self._title_postings = memoised(self._title_postings_of, 1_000)

    @classmethod
    def build(cls, entities: Iterable[Entity], meta: Mapping[str, Any]) -> bytes:
        """An index file's bytes: the tables of `entities`, and what every listed spelling reaches.

        The build makes millions of short-lived objects and no cycles: the cycle collector is paused meanwhile.
        """
        with gc_paused():
            built = _Build(entities)
            out = TableWriter()
            built.write(out)
            meta = {**meta, "rare_weight": built.rare_weight}
            draft = cls(TableFile.from_bytes(out.to_bytes(meta)))
            draft.warm()
            spellings = built.listed_spellings()
            out.postings("postings", {_spelling_key(*t): draft._postings_of(*t) for t in spellings})
            data = out.to_bytes(meta)
        return data

    def warm(self, records: bool = False) -> None:
        """Hold the key tables in dictionaries, for a process that screens many names (a batch, a service).

        With `records`, also decode every name now (some 3 s for every list here). Decoded as
        queries meet them, they make the long-lived heap grow query after query, and each growth by a
        quarter sets off a full pass of the cycle collector over all of it: a large batch screened 1,400 to
        1,800 names/s that way, and 2,400 to 2,850 once every record was decoded first. Entities are not:
        only hits need them whole (other candidates, their `facts`).
        """
        for table in (
            self.tokens_of,
            self._written_of,
            self._by_consonants,
            self._abjad_by_consonants,
            self._by_loose,
            self._by_coarse,
            self._spellings,
            self._spoken,
            self._title_keys,
            self.names_of,
            self._weights,
            self._joined_weight,
        ):
            table.keys.warm()
        self._plain.warm()
        self._abjad.warm()
        self._brands.warm()
        if records:
            for name_id in range(len(self.names)):
                self.names[name_id]

    def forget(self) -> None:
        """Let go of every record decoded and row read so far (`clearance.memo.forget` calls this): they are
        read again from the file when next asked for."""
        self._interned = {}
        self._shapes = {}
        self._fresh = {}
        for value in vars(self).values():
            if isinstance(value, _Decoded | Rows):
                value.forget()

    def weight(self, token: str) -> float:
        """How much sharing `token` says: its inverse document frequency among all names."""
        found: float | None = self._weights.get(token)
        return self.rare_weight if found is None else found

    def entity_names(self, number: int) -> list[int]:
        """The name ids of one entity (names are grouped by entity)."""
        return list(range(int(self._entity_names[number]), int(self._entity_names[number + 1])))

    def fathers(self, number: int) -> frozenset[str]:
        """The patronymics an entity's names give, folded: who the lists say its father is."""
        return frozenset(
            fold(token)
            for name_id in self.entity_names(number)
            for token in self.names[name_id].form.tokens
            if is_patronymic(token)
        )

    def name_entity(self, name_id: int) -> int:
        return int(self._entity_of[name_id])

    def entity_kind(self, number: int) -> EntityKind:
        return _KINDS[int(self._kinds[number])]

    def listed_together(self, entity_ids: Iterable[str]) -> set[str]:
        """The ids of the other lists' entries of these entities' designations (`designation`), by id."""
        return set(self._together.values(list(entity_ids)))

    def designation(self, number: int) -> list[int]:
        """The entities of one designation (`matching/designation.py`), this one first: its other lists' entries."""
        return ring(self._designations, number)

    def signal(self, name_id: int) -> tuple[str, ...]:
        """The identifying tokens of one name, without decoding the rest of it."""
        found: tuple[str, ...] = self._signals[str(name_id)]
        return found

    def _name(self, name_id: int) -> IndexedName:
        entity, name, form, groups, tokens, joined, weights, misses, initials, total, lost = marshal.loads(
            self._name_records[name_id]
        )
        text, words, raw, noise, legal_forms, signal, edge, abjad, whole = form
        # Names share their words and the shapes of their flags: one object each, not one per name decoded.
        shared, words_of = self._shared, self._words
        return IndexedName(
            entity,
            marshal.dumps(name),
            NameQuality(name["quality"]),
            NameForm(
                text,
                words_of(words),
                words_of(raw),
                shared(noise),
                words_of(legal_forms),
                words_of(signal),
                shared(edge),
                shared(abjad),
                shared(groups),
                shared(whole),
            ),
            tuple(self._token(*t) for t in tokens),
            tuple(self._token(*t) for t in joined),
            shared(weights),  # names of one token share its weight: a third as many tuples and floats
            shared(misses),
            initials,
            total,
            lost,
        )

    def _listed_name(self, name_id: int) -> Name:
        """A listed name as a hit shows it (`IndexedName.name`): the names hits are on are reported again and
        again, and each is validated once while it is."""
        return self.names[name_id].name

    def _shared(self, value: _H) -> _H:
        return self._shapes.setdefault(value, value)  # type: ignore[return-value]

    def _words(self, words: tuple[str, ...]) -> tuple[str, ...]:
        return self._shared(tuple(map(sys.intern, words)))

    def _entity(self, number: int) -> Entity:
        entity = self._fresh.pop(number, None)
        return Entity.model_validate_json(self._entity_records[number]) if entity is None else entity

    def _facts(self, number: int) -> EntityFacts:
        """An entity's facts. The entity itself is kept only among the last FRESH_ENTITIES decoded: most candidates
        are no hit, and a hit is mostly reported by the query that first read its facts, which it then costs no
        second decoding."""
        entity = Entity.model_validate_json(self._entity_records[number])
        fresh = self._fresh
        fresh[number] = entity
        if len(fresh) > FRESH_ENTITIES:
            try:
                del fresh[next(iter(fresh))]
            except (KeyError, StopIteration, RuntimeError):  # another thread took or dropped it meanwhile
                pass
        return EntityFacts.of(entity)

    def _token(self, text: str, raw: str, abjad: int, saying: str = "") -> Token:
        """A listed token as comparison needs it: one object per spelling (and saying: `Token.spoken`), so memos keyed
        by it are shared."""
        key = (text, raw, abjad, saying)
        token = self._interned.get(key)
        if token is None:  # setdefault: threads that made the same token at once all keep the first
            brand = bool(UNLISTED_TYPO) and text in self._brands
            token = self._interned.setdefault(key, Token.of(text, raw, abjad, brand=brand, spoken=saying))
        return token

    def candidates(
        self,
        form: NameForm,
        limit: int,
        birth_year: int | None = None,
        country: str | None = None,
        made: tuple[tuple[Token, ...], tuple[Joined, ...], tuple[float, ...]] | None = None,
        floor: float = 0.0,
    ) -> list[tuple[int, list[int]]]:
        """The entities whose names the query's tokens reach best, best first.

        Returns (entity number, its name ids worth scoring) pairs. `made`: the form's tokens, joined tokens
        and misses, if made already.
        With a `floor`, names whose estimated score falls well below it are not returned.
        """
        if made is None:
            tokens = query_tokens(form, self.query_token)
            made = (tokens, joined_pairs(tokens), self.misses(form))
        tokens, joined, misses = made
        plain = [i for i, noisy in enumerate(form.noise) if not noisy]
        words = [i for i in plain if len(tokens[i].text) > 1]
        initials = [tokens[i].text for i in plain if len(tokens[i].text) == 1] if words else []
        read = {i for i, is_read in enumerate(form.read) if is_read} if READ_PAIR else set()
        units = [(tokens[i], misses[i], i in read) for i in words or plain]  # a name of initials alone as written
        reached = [(self._token_postings(t, is_read), miss) for t, miss, is_read in units]
        # Initials joined ("J. M." as JM) would count each letter twice beside a surname: only without one.
        reached += [
            (self._joined_postings(pair.text, pair.abjad), misses[j] + misses[j + 1])
            for j, pair in enumerate(joined)
            if not (form.noise[j] or form.noise[j + 1])
            and not (initials and len(tokens[j].text) == 1 and len(tokens[j + 1].text) == 1)
        ]
        reached += [(self._title_postings(t.text), misses[i]) for i, t in enumerate(tokens) if form.noise[i]]
        # Once per letter: "Putin V. V." must not reach every name holding a V twice over.
        reached += [
            (self._letter_postings(letter), TITLE_WEIGHT)
            for letter in dict.fromkeys(initials)
            if letter in self._letter_bit
        ]
        texts = [t.text for t, _, _ in units]
        if len(set(texts)) < len(texts):  # "Abdullah Abdullah": again for names that repeat it
            for text, count in Counter(texts).items():
                if count > 1 and text in self._repeated:
                    ids = self._repeated[text]
                    reached.append(((ids, np.full(len(ids), self.weight(text) * (count - 1))), 0.0))
        touched, weight, covered = _accumulate(
            [(ids, values, miss) for (ids, values), miss in reached if len(ids)], len(self.names)
        )
        if not len(touched):
            return []
        if initials:
            initial = (self._initials[touched] & np.uint64(initials_of(initials))) != 0
            weight += initial * (INITIAL * TITLE_WEIGHT)
        gap = np.maximum(0.0, self._totals[touched] - weight)
        paired_only: npt.NDArray[np.bool_] | None = None
        if floor:
            unreached = np.maximum(0.0, sum(misses) - covered)
            least = FLOOR_MARGIN * floor
            keep = _floor_estimate(weight, gap, unreached, max(misses)) >= least
            heard = sum(misses[i] for i in read if not form.noise[i])
            if FLOOR_READ_PAIRS and heard:
                # A word read from another script that reaches nothing of a name may pair by sound with a word of it
                # left over (`score.align`): at best every word left over pairs, and no read word stays unmatched.
                # Few names are kept so alone (`FLOOR_READ_PAIRS`): most the query reaches by one word pass so.
                paired = weight + READ_PAIR * gap
                rest = np.maximum(0.0, unreached - heard)
                paired_only = ~keep & (_floor_estimate(paired, np.zeros_like(gap), rest, max(misses)) >= least)
                keep |= paired_only
            if initials:  # an initial's match is not in the estimate
                keep |= initial
            letters = 0
            for token in tokens:  # "M INVEST" for Media-Invest
                letters |= self._letter_bit.get(token.text[0], 0)
            if letters:
                keep |= (self._letter_bits[touched] & np.uint64(letters)) != 0
            touched, weight, gap = touched[keep], weight[keep], gap[keep]
            if paired_only is not None:
                paired_only = paired_only[keep]
            if not len(touched):
                return []
        # Reached weight times its share of reached weight plus what leaving the rest out costs, as in scoring.
        estimate = weight * weight / (weight + self._lost_share[touched] * gap)
        entity = self._entity_of[touched]
        starts = _firsts(entity)
        best = np.maximum.reduceat(estimate, starts)
        entities = entity[starts]
        live: npt.NDArray[np.intp] | None = None  # the entities to choose from, when not all
        if paired_only is not None and paired_only.any():
            # Entities only a pairing by sound keeps: the best estimated few, the rest passed over as below the floor.
            alone = np.minimum.reduceat(paired_only, starts).nonzero()[0]
            if len(alone) > FLOOR_READ_PAIRS:
                kept = np.argpartition(-best[alone], FLOOR_READ_PAIRS - 1)[:FLOOR_READ_PAIRS]
                passed = np.ones(len(best), dtype=bool)
                passed[np.delete(alone, kept)] = False
                live = passed.nonzero()[0]
        for lift, key in ((DOB_LIFT, birth_year), (COUNTRY_LIFT, country)):
            if key is not None:
                best = np.where(self._members(key)[entities], best * lift, best)
        spans = _Spans(touched, starts)  # each entity's names, read for the few returned
        every = (entities, best)  # before the best are chosen: the likeliest are looked for among all
        groups: Iterable[int] = range(len(best))
        if live is not None:
            best, entities, groups = best[live], entities[live], live.tolist()
        if len(best) > limit:  # every entity estimated at least the limit-th best, ties settled below
            chosen = (best >= np.partition(best, len(best) - limit)[len(best) - limit]).nonzero()[0]
            best, entities = best[chosen], entities[chosen]
            groups = (chosen if live is None else live[chosen]).tolist()
        found = zip(best.tolist(), entities.tolist(), groups, strict=True)
        ranked = sorted(found, key=lambda entry: (-entry[0], entry[1]))[:limit]
        result = []
        for value, number, group in ranked:
            if value < RELATIVE_CUTOFF * ranked[0][0]:
                break
            result.append((number, spans.best(group, estimate, 0.5)))
        if LIKELIEST and len(every[0]) > len(result):
            result += self._likeliest(spans, weight, gap, every, [number for number, _ in result])
        return result

    def _likeliest(
        self,
        spans: _Spans,
        weight: npt.NDArray[np.float64],
        gap: npt.NDArray[np.float64],
        estimated: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]],
        taken: list[int],
    ) -> list[tuple[int, list[int]]]:
        """Up to `LIKELIEST` entities not `taken` with a name the query reaches nearly all of (`LIKELIEST_SHARE`, by
        weight), the likeliest first, and of those alike the best estimated (`estimated`: every entity reached and its
        estimate), each with those names."""
        entities, best = estimated
        share = weight / (weight + self._lost_share[spans.touched] * gap)
        shares = np.maximum.reduceat(share, spans.starts)
        likely = ((shares >= LIKELIEST_SHARE) & ~np.isin(entities, taken)).nonzero()[0]
        likely = likely[np.lexsort((entities[likely], -best[likely], -shares[likely]))[:LIKELIEST]]
        return [(int(entities[group]), spans.best(group, share, LIKELIEST_SHARE, True)) for group in likely.tolist()]

    def _members_of(self, key: int | str) -> npt.NDArray[np.bool_]:
        """A mask over all entities: those born in a year (an int) or tied to a country (a code)."""
        members = np.zeros(len(self.entities), dtype=bool)
        found = self._born.get(str(key)) if isinstance(key, int) else self._in_country.get(key)
        if found is not None:
            members[found] = True
        return members

    def _postings_of(self, text: str, raw: str, abjad: int, read: bool = False) -> Postings:
        """Name ids a query token reaches, each with the similarity times the weight of the token reached; `read`:
        read from another script, a token no rule makes like a listed one reaches those alike by sound
        (`_by_coarse`)."""
        if self._listed_postings is not None:  # a listed spelling reaches itself: no need to look up by sound
            known: Postings | None = self._listed_postings.get(_spelling_key(text, raw, abjad))
            if known is not None:
                return known
        token = self.query_token(text, raw, abjad)
        memo = self.compared(text, raw, abjad)  # kept for scoring the names reached
        found: list[tuple[npt.NDArray[np.int64], float]] = []
        keys = query_token_keys(text) if raw == text else query_token_keys(text) | query_token_keys(raw)
        reached = set(self.tokens_of.values(keys))
        reached.update(self._written_of.values(keys))
        reached.update((self._by_consonants if abjad else self._abjad_by_consonants).get(token.consonants, ()))
        if abjad == READ_FROM_SYLLABLES or (abjad and len(token.consonants) >= MIN_SKELETON):
            for key in self._by_loose.get(loosen(token.consonants), ()):
                reached.update(self._by_consonants.get(key, ()))
            if V_REACHES_W and "v" in text and (key := consonants(text.replace("v", "w"))) != token.consonants:
                reached.update(self._by_consonants.get(key, ()))  # אנוואר anvar, Anwar
        if abjad == WRITTEN_IN_ABJAD:
            if V_REACHES_B and "v" in text and (key := consonants(text.replace("v", "b"))) != token.consonants:
                reached.update(self._by_consonants.get(key, ()))  # דיאב dyav, Diab
            if FINAL_Z and (key := final_z_as_s(token.consonants)) != token.consonants:
                reached.update(self._by_consonants.get(key, ()))  # ويليامز wylyamz, Williams
        for other in reached:
            close = remembered(memo, token, self._listed(other, other))
            for spelling in self._spellings.get(other, ()) if close is None or close[0] < 1.0 else ():
                written = remembered(memo, token, self._listed(other, spelling))
                if written is not None and (close is None or written[0] > close[0]):
                    close = written
            if close is None:
                continue
            if other in self._plain:
                found.append((self.names_of[other], close[0] * self.weight(other)))
            elif joinable(close):  # two listed tokens written together, which the query writes as one
                found.append((self.names_of[other], close[0] * self._reached_weight(other)))
        # Only for a token nothing else reaches: one that does pairs with those, and looking up by sound is costly.
        for other in self._by_coarse.get(coarse_consonants(text), ()) if read and not found else ():
            if like := read_likeness(token, self._listed(other, other)):
                found.append((self.names_of[other], like * self._reached_weight(other)))
        for title in set(self._title_keys.values(keys)):  # Hafz for the title Hafiz
            close = similarity(token, self._listed(title, title))
            if close is not None:
                found.append((self.titles_of[title], close[0] * self._noise_weight(title)))
        return self._reach(found)

    def query_token(self, text: str, raw: str, abjad: int, others: tuple[Spelling, ...] = ()) -> Token:
        """A query's token, marked `unlisted` when it is a word of `MISTYPED_LETTERS` or more, not written in an abjad
        nor read from syllables, that no listed name has (see `similarity.UNLISTED_TYPO`)."""
        unlisted = (
            bool(UNLISTED_TYPO)
            and not abjad
            and len(text) >= MISTYPED_LETTERS
            and self.weight(text) >= self.rare_weight
        )
        return query_token(text, raw, abjad, unlisted, others)

    def _token_postings(self, token: Token, read: bool) -> Postings:
        """`_postings` of a query token, and what its other spellings (`Token.others`) reach: all of it where the
        table's spelling reaches no listed name, else the names holding one as a word (باز, Paz by the table, is Baz),
        each name at the best, and another spelling at most at the loose likeness it scores (`similarity`). A common
        word's reading (علي ly) reaches many names by sound, which would crowd out the candidates: those are left to
        scoring. Another reading of syllables (サイード saido as said, `normalize.Word.others`) is no table's spelling
        but the word read otherwise: it reaches all it reaches, at the loose likeness's share (`OTHER_READINGS`)."""
        found = self._postings(token.text, token.raw, token.abjad, read)
        if not token.others:
            return found
        if not len(found[0]):
            reached = [self._postings(other.text, other.raw, other.abjad, True) for other in token.others]
        else:
            held = [
                (self.names_of[other.text], LOOSE_PHONETIC * self.weight(other.text))
                for other in token.others
                if other.text in self._plain
            ]
            reached = [found, self._reach(held)] if held else [found]
            if OTHER_READINGS:
                for other in token.others:
                    if other.abjad == READ_FROM_SYLLABLES:
                        ids, values = self._postings(other.text, other.raw, other.abjad, True)
                        reached.append((ids, LOOSE_PHONETIC * values))
        if len(reached) == 1:
            return reached[0]
        return _best(np.concatenate([ids for ids, _ in reached]), np.concatenate([values for _, values in reached]))

    def _reached_weight(self, other: str) -> float:
        """The weight of a listed token reached, or of two joined (`_joined_weight`)."""
        return self.weight(other) if other in self._plain else self._joined_weight.get(other, self.rare_weight)

    def _joined_postings_of(self, text: str, abjad: int) -> Postings:
        """Name ids holding a token the query writes as two (Jin Ping for Jinping)."""
        others = [other for other in set(self.tokens_of.values(joined_token_keys(text))) if other in self._plain]
        if not others:  # as for most pairs: then no comparison needs the pair as a token
            return _NOWHERE
        pair = query_token(text, text, abjad)
        found: list[tuple[npt.NDArray[np.int64], float]] = []
        for other in others:
            close = similarity(pair, self._listed(other, other))
            if close is not None and joinable(close):
                whole = self._whole_of.get(other)
                found.append((self.names_of[other] if whole is None else whole, close[0] * self.weight(other)))
        return self._reach(found)

    def _listed(self, text: str, spelling: str) -> Token:
        """A listed token as a query's look-up meets it: as any listed person with that spelling says it (a name
        aligned has its own person's saying, or none)."""
        said = self._spoken.get(spelling)
        return self._token(text, spelling, text in self._abjad, said[0] if said else "")

    @staticmethod
    def _reach(found: list[tuple[npt.NDArray[np.int64], float]]) -> Postings:
        """The names holding the listed tokens reached (their name ids given), each with its best value."""
        if not found:
            return _NOWHERE
        if len(found) == 1:
            ids, value = found[0]
            return ids, np.full(len(ids), value)
        ids = np.concatenate([ids for ids, _ in found])
        return _best(ids, np.array([value for _, value in found]).repeat([len(ids) for ids, _ in found]))

    def _compared(self, text: str, raw: str, abjad: int, others: str = "") -> dict[Token, Similarity | None]:
        """The listed tokens one query token has been compared with, and how alike they are.

        Shared by every query with that token: a batch of customer names repeats its given names and
        surnames, and each pair is compared once. Kept for the most used query tokens only. `others` is part of
        the key: a token with other spellings (`Token.others`) is alike to more listed tokens.
        """
        return {}

    def _letter_postings_of(self, letter: str) -> Postings:
        """Names with the query's initial as a token of their own ("U.I. INTERNATIONAL")."""
        ids = self._letters[letter]
        return ids, np.full(len(ids), min(self.weight(letter), LETTER_WEIGHT))

    def _title_postings_of(self, token: str) -> Postings:
        ids = self.titles_of.get(token, _NOWHERE[0])
        return ids, np.full(len(ids), min(self.weight(token), TITLE_WEIGHT))

    def by_identifier(self, value: str) -> list[int]:
        """Entities carrying an identifier equal to `value` (normalised)."""
        found: list[int] = self.identifiers.get(normalize_identifier(value), _NOWHERE[0]).tolist()
        return found


class _Spans(NamedTuple):
    """The names a query reached, grouped by entity: entity k's are `touched[starts[k]:starts[k + 1]]`."""

    touched: npt.NDArray[np.int64]
    starts: npt.NDArray[np.intp]

    def best(self, group: int, values: npt.NDArray[np.float64], least: float, absolute: bool = False) -> list[int]:
        """An entity's names worth scoring: the best `NAMES_PER_ENTITY` by `values` (ties in listed order), those at
        `least` times the best (`absolute`: at `least`)."""
        lo = int(self.starts[group])
        hi = int(self.starts[group + 1]) if group + 1 < len(self.starts) else len(self.touched)
        if hi - lo == 1:
            return [int(self.touched[lo])]
        names = zip(values[lo:hi].tolist(), self.touched[lo:hi].tolist(), strict=True)
        best_names = sorted(names, key=lambda name: -name[0])[:NAMES_PER_ENTITY]  # stable: ties in listed order
        bound = least if absolute else least * best_names[0][0]
        return [name_id for value, name_id in best_names if value >= bound]


class _Decoded(Sequence[_T]):
    """Records of an index file decoded on first use, each once."""

    def __init__(self, size: int, decode: Callable[[int], _T]) -> None:
        self._decode = weakref.WeakMethod(decode)  # the index holds its records, not they it
        self._items: list[_T | None] = [None] * size

    def __len__(self) -> int:
        return len(self._items)

    def forget(self) -> None:
        self._items = [None] * len(self._items)

    @overload
    def __getitem__(self, number: int) -> _T: ...
    @overload
    def __getitem__(self, number: slice) -> Sequence[_T]: ...
    def __getitem__(self, number: int | slice) -> _T | Sequence[_T]:
        if isinstance(number, slice):
            return [self[i] for i in range(*number.indices(len(self)))]
        item = self._items[number]
        if item is None:
            decode = self._decode()
            assert decode is not None, "records outlived their index"
            item = self._items[number] = decode(number)
        return item


def _spelling_key(text: str, raw: str, abjad: int) -> str:
    return f"{text}\x1e{raw}\x1e{int(abjad)}"
