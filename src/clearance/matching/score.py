"""Scoring one query name against one listed name, and the other fields against the entity.

Name score: the query's tokens are aligned to the listed name's tokens in any
order (greedy on similarity times weight; adjacent tokens may be joined, but
not by a phonetic likeness alone), each pair scored by `similarity`. Each
listed token weighs its rarity across all listed names. The score is matched
weight over total weight, where what one side has and the other lacks also
counts:

- a listed token the query lacks: 0.15 of its weight for a person's middle
  name or patronymic (a third of that for each beyond the costliest: lists spell
  out patronymic chains no query repeats), 0.5 for the family name or the first
  given name (see `NameForm.edge`), 0.3 for organisations;
- a query token the listed name lacks: its whole weight, or 0.6 of it once two
  or more tokens matched;
- a title or honorific (Dr, Sheikh, Haji) one side lacks weighs little; one
  both sides have counts as a name part;
- one query word the listed name lacks, when every listed token but a title
  or a patronymic matched closely (0.85 or more), costs at most 0.15 of the
  matched weight: "Vladimir Putin Moscow" and "Rosneft xyz" stay hits, while
  two such words still count in full, as does one beside a weak alias, a
  match on common tokens (Muhammad Ali), or a one-word listed name that is a
  person's or not rare; a syllable of a CJK or hangul word is no extra word.

A query 33 to 35 characters long was likely cut to fit a field: its last token
may be the start of a listed token (0.9), and the listed tokens after the one it
begins cost what middle names cost.

Syllables of one CJK or hangul word must align in their written order (Eun-jeong
is not Jong-un): an alignment that reverses them scores 0.6 of its value. A match
made only of common tokens is damped, so "Mohammed" alone is no hit, unless the
names are identical (a listed weak alias "Hassan" screened as "Hassan").

Other fields move the name score: a date of birth that agrees to the day closes
half the distance to 1 (0.15 when only the year or month is known), one that
contradicts multiplies by 0.75 (one that nearly agrees, day and month swapped or
the year one off, closes a tenth); a country that agrees closes a tenth, one that
contradicts multiplies by 0.92; a person screened against an organisation (or
the reverse) multiplies by 0.6; a weak alias by 0.9. An identical identifier is
a hit on its own (at least 0.97).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from clearance.matching.config import CURRENT
from clearance.matching.index import (
    UNMATCHED_EDGE,
    UNMATCHED_QUERY_AFTER_TWO,
    EntityFacts,
    IndexedName,
    Joined,
    NameIndex,
    joined_pairs,
    listed_cost,
    normalize_identifier,
    query_tokens,
)
from clearance.matching.names import (
    ARTICLES,
    CUT_LENGTHS,
    DETERMINERS,
    NOISE_WEIGHT,
    NameForm,
    is_article,
    is_patronymic,
    title_links,
)
from clearance.matching.phonetic import fold
from clearance.matching.similarity import (
    INITIAL,
    INITIAL_SHARE,
    READ_PAIR,
    Method,
    Similarity,
    Token,
    joinable,
    query_token,
    read_likeness,
    remembered,
)
from clearance.model import DateOfBirth, EntityKind, NameQuality, PartialDate
from clearance.scripts import detect_script

_C = CURRENT.config
INFORMATIVE_WEIGHT = _C.informative_weight
"""Matched weight below which a name match is damped: about two uncommon tokens."""
OUT_OF_ORDER = _C.out_of_order
EXTRA_WORD = _C.extra_word
"""Most one query word the listed name lacks costs, as a share of the matched weight, once the listed name matched."""
EXTRA_WORD_MATCHED = _C.extra_word_matched
EXTRA_WORD_RARE = _C.extra_word_rare
PERSONS_TAKE_NO_RARE_WORD = _C.persons_take_no_rare_word
SWAPPED_MIDDLE = _C.swapped_middle
SYLLABLES_WHOLE = _C.syllables_whole
ONE_WORD_HEARD = _C.one_word_heard
FIRST_NAME_LEFT = _C.first_name_left
SYLLABLES_SPELLED = _C.syllables_spelled
SYLLABLE_VOWEL_A = _C.syllable_vowel_a
SYLLABLES_FAMILY_LEFT = _C.syllables_family_left
UNKNOWN_KIND_SYLLABLES = _C.unknown_kind_syllables
CLOSELY = _C.extra_word_likeness
"""Least likeness of a pair for the listed name to count as matched closely (a phonetic match, one edit)."""
OTHER_PATRONYMIC = _C.other_patronymic
"""A query's patronymic where the entity's names give another says another father: no extra word to forgive."""
EXTRA_WORD_BESIDE_TITLES = _C.extra_word_beside_titles
"""The one extra word is counted without the titles and articles beside it."""
TRUNCATED_PREFIX = _C.truncated_prefix
DOB_DAY_AGREES = _C.dob_day_agrees
DOB_YEAR_AGREES = _C.dob_year_agrees
DOB_CONTRADICTS = _C.dob_contradicts
COUNTRY_AGREES = _C.country_agrees
COUNTRY_CONTRADICTS = _C.country_contradicts
KIND_CONTRADICTS = _C.kind_contradicts
WEAK_ALIAS = _C.weak_alias
IDENTICAL_IDENTIFIER = _C.identical_identifier


@dataclass(frozen=True)
class TokenMatch:
    """How one part of the query name aligned with one part of the listed name."""

    query: str
    listed: str
    method: Method
    similarity: float
    weight: float


class Effect(StrEnum):
    """What a field other than the name says of the match."""

    AGREES = "agrees"
    PARTLY_AGREES = "partly agrees"
    """Close but not the same: a date of birth with its day and month swapped, or its year one off."""
    CONTRADICTS = "contradicts"
    IDENTICAL = "identical"
    NOTE = "note"


@dataclass(frozen=True)
class Evidence:
    """What a field other than the name contributed."""

    field: str
    effect: Effect
    detail: str
    exact: bool = False
    """For dates: both sides give the full day, so agreement says much more than a shared year."""


@dataclass(frozen=True)
class NameScore:
    score: float
    tokens: tuple[TokenMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]


NO_NAME = NameScore(score=0.0, tokens=(), unmatched_query=(), unmatched_listed=())

# One way to pair query tokens with listed tokens, ordered best first as tuples sort: (-similarity * weight,
# -similarity, weight, query token bits, listed token bits, method, query positions, listed positions).
_Option = tuple[float, float, float, int, int, Method, tuple[int, ...], tuple[int, ...]]
# A query token (or two joined) that a listed token is like: (similarity, method, query token bits, positions).
_Link = tuple[float, Method, int, tuple[int, ...]]


class QueryName:
    """A query name made ready to score against many listed names.

    What each listed token is like in the query is worked out once and kept:
    candidates share tokens, which is why they are candidates.
    """

    def __init__(self, form: NameForm, index: NameIndex, person: bool = False) -> None:
        self.form = form
        self.person = person and PERSONS_TAKE_NO_RARE_WORD
        """Screened as a person: no extra word beside a one-word listed name (see `_one_rare_word`)."""
        script = detect_script(form.text)
        self.syllabic = SYLLABLES_WHOLE and script in _SYLLABIC_SCRIPTS and not all(form.whole)
        """A name written in hangul or Chinese characters syllable by syllable: every syllable of it is written."""
        self.heard = ONE_WORD_HEARD != 1.0 and script in _HEARD_SCRIPTS and sum(not n for n in form.noise) == 1
        """One word in a script the lists write no names in (see `_HEARD_SCRIPTS`)."""
        self.syllables = 0
        """Bits of the syllables that match only as spelled (see `syllables_spelled`)."""
        if self.syllabic and SYLLABLES_SPELLED:
            self.syllables = sum(1 << i for i, whole in enumerate(form.whole) if not whole)
        self.lettered = FIRST_NAME_LEFT and self.person and script == "Latn"
        """A person's name in Latin letters, written in the order its writer gives it (see `_first_name_left`)."""
        self.kind_of = index.entity_kind
        self.fathers = index.fathers
        self.tokens = query_tokens(form, index.query_token)
        self.joined = joined_pairs(self.tokens)
        self.misses = index.misses(form)
        links = title_links(form)
        lone_costs = [
            NOISE_WEIGHT if is_article(form.tokens, i) or form.tokens[i] in DETERMINERS or i in links else miss
            for i, miss in enumerate(self.misses)
        ]
        if SYLLABLES_FAMILY_LEFT and self.syllabic and self.person:
            heaviest = max(
                (miss for miss, noisy in zip(self.misses, form.noise, strict=True) if not noisy), default=0.0
            )
            grouped = {i for group in form.groups for i in group}
            for i, noisy in enumerate(form.noise):
                if i not in grouped and not noisy:  # a word of its own, 김 of 미정 김: its family name
                    lone_costs[i] = max(lone_costs[i], heaviest)
        self.lone_costs = tuple(lone_costs)
        """What each query token costs when no listed token matches it: `misses`, but an article, or a word joining
        a title to what the office heads, what a title does (see `names.ARTICLES`, `names.DETERMINERS`,
        `names.title_links`), and a word of its own in a person's name written by syllables, its family name, at least
        what the name's heaviest word does (see `syllables_family_left`)."""
        self.quiet = tuple(
            noisy or token in DETERMINERS or (token in ARTICLES and i + 1 < len(form.tokens)) or i in links
            for i, (token, noisy) in enumerate(zip(form.tokens, form.noise, strict=True))
        )
        """Per token: a title, suffix or an article before another word (الرئيس السوري: the president, the Syrian),
        or a word joining a title to its office (ministro degli esteri), which is no word of the name (see
        `extra_word_beside_titles`)."""
        # Each query token, then each adjacent pair joined: what it is, its memo, and where it is.
        self._parts: list[_Part] = [
            (token, index.compared(token.text, token.raw, token.abjad, _read_as(token)), 1 << i, (i,), False)
            for i, token in enumerate(self.tokens)
        ]
        self._tokens_parts = tuple(self._parts)
        self._parts += [
            (pair, index.compared(pair.text, pair.raw, pair.abjad), 3 << i, (i, i + 1), True)
            for i, pair in enumerate(self.joined)
        ]
        self._links: dict[Token, tuple[_Link, ...]] = {}
        self._pair_links: dict[Token, tuple[_Link, ...]] = {}
        self.read = tuple(
            i
            for i, (read, noisy) in enumerate(zip(form.read, form.noise, strict=False))
            if read and not noisy and READ_PAIR > 0.0
        )
        """Positions of the tokens read from another script, that may pair with a listed token left over (see
        `_read_pairs`)."""
        self.letters = tuple(
            (i, token.raw) for i, token in enumerate(self.tokens) if len(token.raw) == 1 and not self.syllables >> i & 1
        )
        """The query's initials: each may begin a listed name as written that its canonical form does not begin."""
        self.reach = max((len(token.text) for token in self.tokens), default=0) + 2
        """The most letters two listed tokens joined may have to be like one query token (see `_like`)."""
        last = len(self.tokens) - 1
        self.cut = (
            last
            if TRUNCATED_PREFIX > 0.0
            and len(form.text.rstrip()) in CUT_LENGTHS
            and last >= 1
            and not form.noise[last]
            and len(self.tokens[last].raw) >= 2
            else -1
        )
        """Position of the last token when the name looks cut at 35 characters (its end may be missing), else -1."""

    @cached_property
    def removed(self) -> tuple[str, ...]:
        """`NameForm.removed`, worked out once for every hit of the query."""
        return self.form.removed

    def links(self, listed: Token) -> tuple[_Link, ...]:
        """The query's tokens, and its adjacent pairs joined ("jin ping" ~ "jinping"), that a listed token is like."""
        found = self._links.get(listed)
        if found is None:
            found = self._links[listed] = self._spelled(_like(self._parts, listed, joined=False), listed)
        return found

    def pair_links(self, pair: Token) -> tuple[_Link, ...]:
        """The query's tokens that two adjacent listed tokens joined are like ("abdulrahman" ~ "abd al rahman")."""
        if len(pair.text) > self.reach:  # like no query token, and no need to remember so
            return ()
        found = self._pair_links.get(pair)
        if found is None:
            found = self._pair_links[pair] = self._spelled(_like(self._tokens_parts, pair, joined=True), pair)
        return found

    def _spelled(self, links: tuple[_Link, ...], listed: Token) -> tuple[_Link, ...]:
        """The links but those of syllables alone one edit off or as an initial (see `syllables_spelled`), or alike in
        sound with an a on one side only (see `syllable_vowel_a`)."""
        if not (self.syllables and links):
            return links
        return tuple(link for link in links if link[2] & ~self.syllables or self._syllable_link(link, listed))

    def _syllable_link(self, link: _Link, listed: Token) -> bool:
        """Does a link of syllables alone hold: not one edit off nor an initial, and not by sound with an a on one
        side only?"""
        if link[1] in _UNSPELLED:
            return False
        if SYLLABLE_VOWEL_A and link[1] is Method.PHONETIC:
            return any("a" in self.tokens[i].text for i in link[3]) == ("a" in listed.text)
        return True


_Part = tuple[Token | Joined, dict[Token, Similarity | None], int, tuple[int, ...], bool]
"""A query token or pair joined: itself, its memo of listed tokens compared, its bits, positions, joined."""


def _like(parts: Sequence[_Part], listed: Token, joined: bool) -> tuple[_Link, ...]:
    """The query parts that `listed` is like, each pair compared once (the memo).

    Where one side is two tokens written together, only close spellings qualify: no phonetic likeness, and
    no lengths three letters apart.
    """
    links: list[_Link] = []
    size = len(listed.text)
    for token, memo, bits, positions, pair in parts:
        either = joined or pair
        if either and abs(len(token.text) - size) > 2:
            continue
        if listed in memo:  # no call for a pair met before
            close = memo[listed]
        else:
            close = remembered(memo, token if isinstance(token, Token) else query_token(*token), listed)
        if close is not None and (not either or joinable(close)):
            links.append((close[0], close[1], bits, positions))
    return tuple(links)


@dataclass(frozen=True, slots=True)
class Alignment:
    """The pairs chosen for one query name against one listed name, and the resulting score."""

    score: float
    chosen: tuple[_Option, ...]
    lone_query: tuple[int, ...]
    lone_listed: tuple[int, ...]


def _read_as(token: Token) -> str:
    """What a query token's memo is kept under besides its spelling: its other spellings (`Token.others`), which
    change how alike it is to listed tokens."""
    return " ".join(f"{other.text}:{other.abjad}" for other in token.others)


def align(query: QueryName, listed: IndexedName, floor: float = 0.0) -> Alignment | None:
    """Align the query's tokens with a listed name's and score the alignment.

    None when the score cannot reach `floor`: every query token matched at its best possible value and
    every listed token that matches nothing left out bound the score from above.
    """
    weights, misses = listed.weights, listed.misses
    options: list[_Option] = []
    known = query._links
    for j, token in enumerate(listed.tokens):
        found = known.get(token)
        if found is None:
            found = query.links(token)
        if found:
            at, bit, token_weight = (j,), 1 << j, weights[j]
            for sim, method, bits, qs in found:
                weight = token_weight * INITIAL_SHARE if method is Method.INITIAL else token_weight
                options.append((-sim * weight, -sim, weight, bits, bit, method, qs, at))
    if listed.joined:
        reach = query.reach
        for j, pair in enumerate(listed.joined):
            links = query.pair_links(pair) if len(pair.text) <= reach else ()
            if links:
                weight = max(weights[j], weights[j + 1])
                for sim, method, bits, qs in links:
                    options.append((-sim * weight, -sim, weight, bits, 3 << j, method, qs, (j, j + 1)))
    if query.cut >= 0:
        _prefix_options(query, listed, options)
    if query.letters:
        _written_initials(query, listed, options)
    q_misses = query.lone_costs
    if floor > 0.0 and not options:
        return None
    if floor > 0.0:
        best = [0.0] * len(q_misses)
        linked = 0
        for option in options:
            for i in option[6]:
                if option[0] < best[i]:
                    best[i] = option[0]
            linked |= option[4]
        spare = [j for j in range(len(weights)) if not linked >> j & 1]
        reachable = -sum(best)
        lone = [miss for miss, value in zip(q_misses, best, strict=True) if not value]
        paired = [i for i in query.read if not best[i]][: len(spare)] if query.read else None
        if paired:  # each may pair by sound with a listed token left over, or two (`_read_pairs`): at best the heaviest
            spare.sort(key=lambda j: -weights[j])
            reachable += READ_PAIR * sum(weights[j] for j in spare[: len(paired)])
            spare = spare[2 * len(paired) :]
            lone = [miss for i, miss in enumerate(q_misses) if not best[i] and i not in paired]
        # A cut query may lack any listed token after its end: counted as middle names, as below.
        bound_edge = listed.form.edge if query.cut < 0 else (False,) * len(weights)
        unlinked = listed_cost(misses, bound_edge, spare)
        lost = UNMATCHED_QUERY_AFTER_TWO * sum(lone)
        if lone:
            lost = min(lost, UNMATCHED_QUERY_AFTER_TWO * (sum(lone) - max(lone)) + EXTRA_WORD * reachable)
        if reachable <= 0.0 or reachable / (reachable + lost + unlinked) < floor:
            return None
    options.sort()
    used_q = used_c = 0
    chosen: list[_Option] = []
    matched = total = 0.0
    exact = True
    for option in options:
        if used_q & option[3] or used_c & option[4]:
            continue
        used_q |= option[3]
        used_c |= option[4]
        matched -= option[0]
        total += option[2]
        exact = exact and option[1] == -1.0
        chosen.append(option)
    if query.read and chosen:
        for option in _read_pairs(query, listed, used_q, used_c):
            used_q |= option[3]
            used_c |= option[4]
            matched -= option[0]
            total += option[2]
            exact = False
            chosen.append(option)
    lone_query = tuple([i for i in range(len(q_misses)) if not used_q >> i & 1])
    lone_listed = tuple([j for j in range(len(weights)) if not used_c >> j & 1])
    query_factor = UNMATCHED_QUERY_AFTER_TWO if len(chosen) >= 2 else 1.0
    extra = sum([q_misses[i] for i in lone_query]) * query_factor
    edge = listed.form.edge
    if query.cut >= 0:
        edge = _cut_edges(chosen, query.cut, edge)
    words = [i for i in lone_query if not query.quiet[i]] if EXTRA_WORD_BESIDE_TITLES else lone_query
    if (
        len(words) == 1
        and listed.quality is not NameQuality.WEAK  # "John", a weak alias, is no more than a given name
        and query.form.whole[words[0]]  # kap of Il-kap, 일 of 김일성: part of a name, no word of its own
        and _matched_closely(chosen, listed.form, lone_listed)
        and not (OTHER_PATRONYMIC and _other_father(query, words[0], listed))
        and not (query.lettered and _first_name_left(query.form, words[0], chosen, listed.form))
        and (
            matched >= EXTRA_WORD_MATCHED
            if len(chosen) >= 2
            else not query.person and _one_rare_word(chosen[0], query.kind_of(listed.entity))
        )
    ):
        # The one word capped; titles and articles beside it (général iranien Qassem Soleimani) cost as always.
        titles = extra - q_misses[words[0]] * query_factor
        extra = min(extra, EXTRA_WORD * matched + titles)
    total += extra + listed_cost(listed.misses, edge, lone_listed)
    swaps = SWAPPED_MIDDLE and bool(words)
    if lone_listed and (swaps or query.syllabic) and _person(query, listed):
        # Each word of the query's own takes a middle name's place (an article left over, MILAD, Abdurahman Al,
        # takes none); a name written by syllable writes every one it has.
        taken = sum(query.form.tokens[i] not in ARTICLES for i in words) if swaps else len(lone_listed)
        total += _swapped_middles(listed, edge, lone_listed, taken)
    score = matched / total if total else 0.0
    if query.heard and len(chosen) == 1 and chosen[0][5] is Method.PHONETIC:  # one word heard alike
        likeness = -chosen[0][1]
        score *= likeness ** (ONE_WORD_HEARD - 1.0)
    if 0 < matched < INFORMATIVE_WEIGHT and not (exact and not lone_query and not lone_listed):
        score *= (matched / INFORMATIVE_WEIGHT) ** 0.5
    if (query.form.groups or listed.form.groups) and _out_of_order(chosen, query.form.groups, listed.form.groups):
        score *= OUT_OF_ORDER
    return Alignment(min(score, 1.0), tuple(chosen), lone_query, lone_listed)


def _matched_closely(chosen: Sequence[_Option], listed: NameForm, lone_listed: Sequence[int]) -> bool:
    """Every pair chosen alike in spelling, and every listed token but titles and a patronymic in one."""
    return all(-option[1] >= CLOSELY and option[5] is not Method.INITIAL for option in chosen) and all(
        listed.noise[j] or is_patronymic(listed.tokens[j]) for j in lone_listed
    )


def _swapped_middles(listed: IndexedName, edge: Sequence[bool], lone: Sequence[int], words: int) -> float:
    """What the listed middle names the query has `words` of its own in place of cost beyond the middle name's
    share: an edge's share, the costliest first. A patronymic is left out as often as written (Viktor Bout xyz):
    no word takes its place."""
    form, weights, misses = listed.form, listed.weights, listed.misses
    more = sorted(
        (
            weights[j] * UNMATCHED_EDGE - misses[j]
            for j in lone
            if not (edge[j] or form.noise[j] or is_patronymic(form.tokens[j]))
        ),
        reverse=True,
    )
    return sum(cost for cost in more[:words] if cost > 0.0)


_UNSPELLED = frozenset({Method.EDIT, Method.INITIAL})
"""How a syllable of a name written in hangul or Chinese characters does not match (see `syllables_spelled`)."""
_HEARD_SCRIPTS = frozenset({"Hebr", "Hang", "Jpan"})
"""Scripts the lists write no names in: a name written in one is a foreign name as it was heard. Arabic script and
Cyrillic are not among them (حماس is HAMAS as the UN writes it)."""
_SYLLABIC_SCRIPTS = frozenset({"Hang", "Hani"})
"""Scripts that write a name syllable by syllable."""


def _other_father(query: QueryName, i: int, listed: IndexedName) -> bool:
    """Is the query's unmatched word a patronymic, and the listed entity's names' patronymics others?"""
    token = query.form.tokens[i]
    if not is_patronymic(token):
        return False
    fathers = query.fathers(listed.entity)
    return bool(fathers) and fold(token) not in fathers


def _person(query: QueryName, listed: IndexedName) -> bool:
    """Is the listed name a person's, for its middle names: a name of no stated kind is when a person's name written
    syllable by syllable is screened (see `unknown_kind_syllables`)."""
    kind = query.kind_of(listed.entity)
    if kind is EntityKind.UNKNOWN:
        return query.syllabic and UNKNOWN_KIND_SYLLABLES and query.person
    return kind is EntityKind.PERSON


def _first_name_left(form: NameForm, word: int, chosen: Sequence[_Option], listed: NameForm) -> bool:
    """Is the query's one extra word the first it writes, its own given name, while one of its middle names matched
    the listed name's given or family name? Thomas James Lee is someone else with the middle name James, not James
    Lee with a word added; UDAY SADDAM HUSSEIN is Saddam Hussein's son. Only the first: a word after the name
    (Moscow, a grandfather's name) or after a title (général iranien Qassem Soleimani) may still be the extra one."""
    return word == 0 and any(
        listed.edge[j] and not form.edge[i] for option in chosen for i in option[6] for j in option[7]
    )


def _one_rare_word(only: _Option, kind: EntityKind) -> bool:
    """A one-word listed name matched exactly may take an extra query word when it is rare and no person's:
    Rosneft xyz is Rosneft, while MARTIN and TOM are aliases of persons that Russell Martin and Tom Ellis are not."""
    return only[1] == -1.0 and only[2] >= EXTRA_WORD_RARE and kind is not EntityKind.PERSON


def _read_pairs(query: QueryName, listed: IndexedName, used_q: int, used_c: int) -> list[_Option]:
    """Query tokens read from another script that matched nothing, each paired with the listed token left over (or
    two adjacent ones, joined) that it is most like by coarse form (`similarity.read_likeness`): 차베스 chabes for
    Chavez in Kevin Sebastian Flores Chavez, where the other three words matched."""
    noise, weights = listed.form.noise, listed.weights
    # Each listed token left over, and each two adjacent ones joined (빈라덴 binraden: scripts that run words
    # together): the token, its weight, its bits and positions.
    spans: list[tuple[Token, float, int, tuple[int, ...]]] = [
        (token, weights[j], 1 << j, (j,)) for j, token in enumerate(listed.tokens) if not noise[j]
    ]
    spans += [
        (pair, max(weights[j], weights[j + 1]), 3 << j, (j, j + 1))
        for j, pair in enumerate(listed.joined)
        if not (noise[j] or noise[j + 1])
    ]
    found: list[_Option] = []
    for i in query.read:
        if used_q >> i & 1:
            continue
        best: _Option | None = None
        for token, weight, bits, positions in spans:
            if used_c & bits:
                continue
            sim = read_likeness(query.tokens[i], token)
            if sim and (best is None or -sim * weight < best[0]):
                best = (-sim * weight, -sim, weight, 1 << i, bits, Method.PHONETIC, (i,), positions)
        if best is not None:
            found.append(best)
            used_q |= best[3]
            used_c |= best[4]
    return found


def _written_initials(query: QueryName, listed: IndexedName, options: list[_Option]) -> None:
    """Initials that begin a listed token as written but not its canonical form: Y. for Yevgeniy (evgeny),
    E. for Elena (yelena)."""
    for i, letter in query.letters:
        for j, token in enumerate(listed.tokens):
            if len(token.raw) > 1 and token.raw[0] == letter and token.text[0] != letter:
                weight = listed.weights[j] * INITIAL_SHARE
                options.append((-INITIAL * weight, -INITIAL, weight, 1 << i, 1 << j, Method.INITIAL, (i,), (j,)))


def _prefix_options(query: QueryName, listed: IndexedName, options: list[_Option]) -> None:
    """Pairs of a cut query's last token with the listed tokens it begins ("AL-TI" for AL-TIKRITI)."""
    i = query.cut
    start = query.tokens[i].raw
    bits = 1 << i
    for j, token in enumerate(listed.tokens):
        if len(token.raw) > len(start) and token.raw.startswith(start):
            weight = listed.weights[j]
            options.append(
                (-TRUNCATED_PREFIX * weight, -TRUNCATED_PREFIX, weight, bits, 1 << j, Method.EDIT, (i,), (j,))
            )


def _cut_edges(chosen: Sequence[_Option], cut: int, edge: tuple[bool, ...]) -> tuple[bool, ...]:
    """A cut query lacks the listed tokens after the one its last token matched: they cost what middle names do."""
    last = max((option[7][-1] for option in chosen if cut in option[6]), default=-1)
    if last < 0:
        return edge
    return tuple(is_edge and j <= last for j, is_edge in enumerate(edge))


def _out_of_order(
    chosen: Sequence[_Option], query_groups: tuple[tuple[int, ...], ...], listed_groups: tuple[tuple[int, ...], ...]
) -> bool:
    """Do the syllables of a written word align to the other name in another order?"""
    to_listed = {i: option[7][0] for option in chosen for i in option[6]}
    to_query = {j: option[6][0] for option in chosen for j in option[7]}
    for groups, other in ((query_groups, to_listed), (listed_groups, to_query)):
        for group in groups:
            positions = [other[i] for i in group if i in other]
            if any(b < a for a, b in zip(positions, positions[1:], strict=False)):
                return True
    return False


def written(raw: Sequence[str], positions: Sequence[int]) -> str:
    """The tokens at `positions` as written, a space apart: one side of an aligned pair as explanations show it."""
    return " ".join([raw[i] for i in positions])


def explain(query: QueryName, listed: IndexedName, aligned: Alignment) -> NameScore:
    """The alignment as parts an analyst can read."""
    q_raw, c_raw = query.form.raw, listed.form.raw
    return NameScore(
        score=aligned.score,
        tokens=tuple(
            [
                TokenMatch(written(q_raw, qs), written(c_raw, cs), method, -sim, weight)
                for _, sim, weight, _, _, method, qs, cs in aligned.chosen
            ]
        ),
        unmatched_query=tuple([q_raw[i] for i in aligned.lone_query]),
        unmatched_listed=tuple([c_raw[j] for j in aligned.lone_listed]),
    )


DOB_NEAR_AGREES = CURRENT.config.dob_near_agrees
"""Lift when a date of birth nearly agrees (0: such a date contradicts, as in clearance-name-v2)."""


def date_evidence(query: PartialDate, listed: tuple[DateOfBirth, ...]) -> Evidence | None:
    """Does a date of birth agree with any the list gives? None when the list gives none.

    One that agrees with none may still nearly agree (`near_date`): forms write the day or the month first,
    and a year is mistyped or worked out from an age. That is partial agreement, not a contradiction.
    """
    readable = [d for d in listed if d.date is not None or d.start is not None or d.end is not None]
    if not readable:
        return None
    for dob in readable:
        if dob.date is not None:
            same = dob.date.year == query.year or (dob.circa and abs(dob.date.year - query.year) <= 1)
            if same and all(
                a is None or b is None or a == b for a, b in ((dob.date.month, query.month), (dob.date.day, query.day))
            ):
                exact = query.day is not None and dob.date.day is not None and not dob.circa
                return Evidence("date_of_birth", Effect.AGREES, f"{query} agrees with listed {dob}", exact)
        else:
            start = dob.start.year if dob.start else -1
            end = dob.end.year if dob.end else 9999
            if start <= query.year <= end:
                return Evidence("date_of_birth", Effect.AGREES, f"{query} falls in listed {dob}")
    if DOB_NEAR_AGREES > 0:
        for dob in readable:
            how = near_date(query, dob)
            if how is not None:
                detail = f"{query} partly agrees with listed {dob}: {how}"
                return Evidence("date_of_birth", Effect.PARTLY_AGREES, detail)
    shown = ", ".join(str(d) for d in readable)
    return Evidence("date_of_birth", Effect.CONTRADICTS, f"{query} contradicts listed {shown}")


def near_date(query: PartialDate, dob: DateOfBirth) -> str | None:
    """How a date of birth nearly agrees with a listed one that it does not agree with, if it does:
    "day and month swapped" (1952-07-10 for 1952-10-07) or "year one off" (the rest agreeing)."""
    listed = dob.date
    if listed is None:
        return None
    if (
        listed.year == query.year
        and listed.day is not None
        and query.day is not None
        and (listed.month, listed.day) == (query.day, query.month)
    ):
        return "day and month swapped"
    pairs = ((listed.month, query.month), (listed.day, query.day))
    if abs(listed.year - query.year) == 1 and all(a is None or b is None or a == b for a, b in pairs):
        return "year one off"
    return None


def field_evidence(
    entity: EntityFacts,
    kind: EntityKind | None,
    dob: PartialDate | None,
    country: str | None,
    identifiers: tuple[str, ...],
) -> list[Evidence]:
    """Evidence from every field the query gives besides the name."""
    found: list[Evidence] = []
    if kind is not None and entity.kind is not EntityKind.UNKNOWN and kind is not EntityKind.UNKNOWN:
        person = {kind is EntityKind.PERSON, entity.kind is EntityKind.PERSON}
        if len(person) == 2:
            found.append(Evidence("kind", Effect.CONTRADICTS, f"query is a {kind.value}, listed a {entity.kind.value}"))
    if dob is not None:
        evidence = date_evidence(dob, entity.dates_of_birth)
        if evidence is not None:
            found.append(evidence)
    listed_countries = entity.countries
    if country is not None and listed_countries:
        listed = ", ".join(listed_countries)
        if country in listed_countries:
            found.append(Evidence("country", Effect.AGREES, f"{country} is among listed {listed}"))
        else:
            found.append(Evidence("country", Effect.CONTRADICTS, f"{country} is not among listed {listed}"))
    if identifiers:
        wanted = {normalize_identifier(value) for value in identifiers}
        for identifier in entity.identifiers:
            if normalize_identifier(identifier.value) in wanted:
                label = identifier.label or identifier.type.value
                found.append(Evidence("identifier", Effect.IDENTICAL, f"{label} {identifier.value} is identical"))
    return found


def name_factor(quality: NameQuality) -> float:
    """What a listed name's quality does to a match on it: a weak alias proves less."""
    return WEAK_ALIAS if quality is NameQuality.WEAK else 1.0


def name_floor(cutoff: float, dob: bool, country: bool) -> float:
    """The least name score that agreeing fields can lift to `cutoff` (identifiers aside)."""
    floor = cutoff
    if country:
        floor = (floor - COUNTRY_AGREES) / (1 - COUNTRY_AGREES)
    if dob:
        floor = (floor - DOB_DAY_AGREES) / (1 - DOB_DAY_AGREES)
    return max(floor, 0.0)


def combine(name_score: float, quality: NameQuality, evidence: Sequence[Evidence]) -> float:
    """The final score in [0, 1] from the name score and the other fields' evidence."""
    score = name_score * name_factor(quality)
    for item in evidence:
        if item.field == "date_of_birth":
            if item.effect is Effect.AGREES:
                score += (1 - score) * (DOB_DAY_AGREES if item.exact else DOB_YEAR_AGREES)
            elif item.effect is Effect.PARTLY_AGREES:
                score += (1 - score) * DOB_NEAR_AGREES
            else:
                score *= DOB_CONTRADICTS
        elif item.field == "country":
            score = (
                score + (1 - score) * COUNTRY_AGREES if item.effect is Effect.AGREES else score * COUNTRY_CONTRADICTS
            )
        elif item.field == "kind":
            score *= KIND_CONTRADICTS
    if any(item.effect is Effect.IDENTICAL for item in evidence):
        score = max(score, IDENTICAL_IDENTIFIER)
    return min(max(score, 0.0), 1.0)
