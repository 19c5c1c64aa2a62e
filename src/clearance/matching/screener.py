"""Party screening: find every listed entity a person, company, vessel or aircraft may be.

The algorithm is named and versioned (`ALGORITHM`); every hit carries that name
and the id of the list snapshot it was computed on, so a decision can be
replayed and audited. A published algorithm name never changes its output: a
change of scoring is a new version.

Every hit has a band (`Band`): a *match* scores at or above the threshold; a
*review* hit, a possible match, scores from the review threshold (when one is
set below the threshold) up to it; a *partial* hit is a rare family name given
on its own (`Maduro`, `PUTIN`), which the name score rates below a match as it
should: such hits are always returned, in their own band, scored at most
`PARTIAL_NAME_SCORE` so that they raise no alert at the default review
threshold. A common family name on its own (Smith, Kim, Ali, Ivanov) is no hit.

Other fields never silently veto a name given word for word: a contradicting
date of birth, country or kind that pulls such a name below the lowest band
leaves it a review hit, its evidence saying what contradicted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NamedTuple

from clearance.countries import to_iso2
from clearance.errors import InputError
from clearance.lists.dates import parse_date
from clearance.matching.algorithm import ALGORITHM, DEFAULT_THRESHOLD
from clearance.matching.config import CURRENT
from clearance.matching.index import EntityFacts, IndexedName, NameIndex, kind_is_organization
from clearance.matching.names import COMMON_SURNAMES, NameForm, analyze, office_titled, written_as_one
from clearance.matching.normalize import strip_control
from clearance.matching.persisted import Notify, index_in_memory, stored_index
from clearance.matching.score import (
    NO_NAME,
    Alignment,
    Effect,
    Evidence,
    QueryName,
    TokenMatch,
    align,
    combine,
    explain,
    field_evidence,
    name_factor,
    name_floor,
    written,
)
from clearance.matching.similarity import Method
from clearance.model import MAX_NAME_LENGTH, Entity, EntityKind, Name, PartialDate
from clearance.store import ListStore
from clearance.store.list_version import ListVersion

SCORE_DECIMALS = 10
"""Scores are rounded to this many decimals before they meet a threshold and in every hit: sums of token
weights carry floating-point noise (0.7999999999999999 for 0.8) that the lists' rarity moves with every update,
and a threshold must not tell such twins apart. Ten, not fewer: the noise is some 1e-16, and rounding to six
then to the four decimals results show moved a golden score (0.50774996 to 0.5078)."""


def rounded(score: float) -> float:
    """A final score as hits carry it and thresholds compare it (`SCORE_DECIMALS`)."""
    return round(score, SCORE_DECIMALS)


def reach(cutoff: float, dob: bool, country: bool) -> float:
    """The least name score worth aligning for `cutoff`: `name_floor` of the least score that rounds to it."""
    return name_floor(cutoff - 0.5 * 10**-SCORE_DECIMALS, dob, country)


PARTIAL_NAME_SCORE = CURRENT.config.partial_name_score
"""Most a partial-name hit scores: below the default review threshold, so it is reported but raises no alert."""
PARTIAL_NAME_WEIGHT = CURRENT.config.partial_name_weight
"""Least rarity across listed names (`NameIndex.weight`) of a family name given alone for a partial-name hit."""
PARTIAL_NAME_SIMILARITY = CURRENT.config.partial_name_similarity
TITLED_NAME_SCORE = CURRENT.config.titled_name_score
"""Least score of a rare family name given with a title of office, rank or faith (0: a partial-name hit)."""
TITLED_NAME_WEIGHT = CURRENT.config.titled_name_weight or PARTIAL_NAME_WEIGHT
"""Least rarity of a family name given with such a title (see `rare_surname`)."""
ONE_WORD_FAMILY_NAME = CURRENT.config.one_word_family_name
"""A family name written as one word of syllables (푸틴, pu tin) given alone counts as one name (`lone_name`)."""
FOLDED = CURRENT.config.folded


class ScreeningError(InputError):
    """A query that cannot be screened (no name, an unreadable date, ...)."""


@dataclass(frozen=True)
class Party:
    """What is known of the party being screened; only the name is required."""

    name: str
    kind: EntityKind | None = None
    dob: str | None = None
    country: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """Why a hit is a hit: which names aligned how, and what the other fields said."""

    query_name: str
    matched_name: Name
    name_score: float
    tokens: tuple[TokenMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    removed: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    family_name_only: bool = False
    """Only a family name of the listed person was given (`matched_name`'s other names are missing): a
    partial-name hit, which says the surname is listed and no more."""


class Band(StrEnum):
    """How strong a hit is, for what an analyst does with it."""

    MATCH = "match"
    """At or above the match threshold."""
    REVIEW = "review"
    """Between the review threshold and the match threshold: a possible match."""
    PARTIAL = "partial"
    """A rare listed surname given on its own: part of a name, reported apart."""


@dataclass(frozen=True)
class Hit:
    """One listed entity the party may be: how strongly (`score`, `band`) and why (`explanation`)."""

    entity: Entity
    score: float
    explanation: Explanation
    algorithm: str = ALGORITHM
    snapshot_id: int | None = None
    band: Band = Band.MATCH
    linked: frozenset[str] = frozenset()
    """What joins it to the other lists' entries of its designation beyond `designation.keys` (its index's link:
    `linked:` and the designation's first entity id); empty when no other list carries it."""
    listed_with: str | None = None
    """The entity id of the hit this entry is reported with: another list's entry of its designation, which the
    query matched better than this one's own names, or where they are no candidate. Its score and band are that
    hit's; its explanation is of its own best name when that was scored, else that hit's."""


def checked(party: Party) -> tuple[str, PartialDate | None, str | None]:
    """The party's name, date of birth and country as screening reads them; `ScreeningError` naming the field.

    A name is at most `MAX_NAME_LENGTH` characters once spaced, the cap listed names keep to.
    """
    name = " ".join(strip_control(party.name or "").split())
    if len(name) > MAX_NAME_LENGTH:
        raise ScreeningError(f"name: too long ({len(name):,} characters; at most {MAX_NAME_LENGTH:,})")
    if not name and not party.identifiers:
        raise ScreeningError("name: empty")
    dob = None
    if party.dob:
        dob = parse_date(party.dob)
        if dob is None:
            raise ScreeningError(f"dob: not a date (YYYY, YYYY-MM or YYYY-MM-DD): {party.dob!r}")
    country = None
    if party.country:
        country = to_iso2(party.country)
        if country is None:
            raise ScreeningError(f"country: not a country: {party.country!r}")
    return name, dob, country


class Banded(NamedTuple):
    """A candidate in a band, before it is made a hit: only those reported are (see `ranked`)."""

    score: float
    entity_id: str
    band: Band
    name_id: int
    aligned: Alignment | None
    evidence: list[Evidence]
    family_name_only: bool = False


def ranked(found: list[Banded]) -> list[Banded]:
    """Best first, as hits are reported: by score, then by entity id."""
    return sorted(found, key=lambda banded: (-banded.score, banded.entity_id))


class Asked(NamedTuple):
    """A party's screening up to its candidates: its checked fields, its query, and the bounds it is scored to."""

    party: Party
    dob: PartialDate | None
    country: str | None
    query: QueryName
    lone: str | None
    """`Screener.lone_name`: the one rare name a partial hit may be on."""
    cutoff: float
    """The threshold."""
    lowest: float
    """The lowest band's bound: the review threshold when below the threshold."""
    facts: tuple[bool, bool]
    """Whether a date of birth and a country were given."""
    everything: bool
    """Every candidate is scored, however low its name's estimate (identifiers given, or a lone rare name)."""
    floor: float
    """The least name estimate a candidate needs."""
    least: float
    """The least name score an aligned name needs."""


@dataclass(frozen=True)
class Screener:
    """Screens parties against one list version's index: immutable, so threads and requests share it."""

    index: NameIndex = field(repr=False)
    version: ListVersion | None = None
    """The snapshots the index was built from, recorded on every hit (None for entities not in a store)."""
    threshold: float = DEFAULT_THRESHOLD
    candidate_limit: int = 30
    review_threshold: float | None = None
    """Hits from this score up to the threshold are returned too, as possible matches (`Band.REVIEW`); None, or
    one at or above the threshold: none are."""

    @classmethod
    def build(cls, entities: Iterable[Entity], **options: Any) -> Screener:
        """A screener over entities that are not in a store (a test set, a benchmark)."""
        return cls(index_in_memory(entities), **options)

    @classmethod
    def from_store(
        cls, store: ListStore, sources: Sequence[str] | None = None, notify: Notify | None = None, **options: Any
    ) -> Screener:
        """A screener over the active list version of the store (of the given sources), from its kept index."""
        version = ListVersion.active(store, sources)
        return cls(stored_index(store, version, notify), version, **options)

    @property
    def snapshots(self) -> dict[str, int]:
        """Source name -> id of the snapshot the entities come from."""
        return self.version.snapshot_ids if self.version is not None else {}

    @property
    def algorithm(self) -> str:
        return ALGORITHM

    def query(self, form: NameForm, person: bool = False) -> QueryName:
        """A query name made ready for scoring against this screener's names; `person`: the party is screened as
        one."""
        return QueryName(form, self.index, person)

    def party_query(self, name: str, kind: EntityKind | None) -> QueryName:
        """A party's name made ready for scoring, read as its kind's names are."""
        return self.query(analyze(name, kind_is_organization(kind)), kind is EntityKind.PERSON)

    def _candidates(
        self,
        party: Party,
        query: QueryName,
        dob: PartialDate | None,
        country: str | None,
        limit: int,
        floor: float = 0.0,
    ) -> dict[int, list[int]]:
        year = dob.year if dob is not None else None
        made = (query.tokens, query.joined, query.lone_costs)  # an article left over costs a title's weight
        found = self.index.candidates(query.form, limit, year, country, made, floor) if query.form.signal else []
        candidates = dict(found)
        for value in party.identifiers:
            for number in self.index.by_identifier(value):
                candidates.setdefault(number, self.index.entity_names(number))
        return candidates

    def candidates(self, party: Party, limit: int | None = None) -> list[str]:
        """The entity ids the candidate stage picks for scoring (for measuring its recall)."""
        name, dob, country = checked(party)
        query = self.party_query(name, party.kind)
        found = self._candidates(party, query, dob, country, limit or self.candidate_limit)
        return [self.index.facts[number].id for number in found]

    def asked(self, party: Party, threshold: float | None = None, review_threshold: float | None = None) -> Asked:
        """What screening `party` asks of the index, up to its candidates (`ScreeningError` for a bad field)."""
        name, dob, country = checked(party)
        cutoff = self.threshold if threshold is None else threshold
        review = self.review_threshold if review_threshold is None else review_threshold
        lowest = cutoff if review is None else min(review, cutoff)
        query = self.party_query(name, party.kind)
        lone = self.lone_name(query, party.kind)
        facts = (dob is not None, country is not None)
        everything = bool(party.identifiers) or lone is not None  # one rare name: a partial hit scores low
        # Candidates by the floor itself; names aligned and kept down to what rounds up to the lowest band.
        floor = 0.0 if everything else name_floor(lowest, *facts)
        least = 0.0 if everything else reach(lowest, *facts)
        return Asked(party, dob, country, query, lone, cutoff, lowest, facts, everything, floor, least)

    def candidates_of(self, asked: Asked, limit: int | None = None) -> dict[int, list[int]]:
        """The entities `screen` scores for what was asked (by number, each with the names to align), the
        likeliest first: the first `limit` (the screener's `candidate_limit` when None)."""
        limit = self.candidate_limit if limit is None else limit
        return self._candidates(asked.party, asked.query, asked.dob, asked.country, limit, asked.floor)

    def screen(
        self, party: Party, threshold: float | None = None, limit: int = 10, review_threshold: float | None = None
    ) -> list[Hit]:
        """Listed entities the party may be, best first: at or above the threshold (`Band.MATCH`), from the review
        threshold up (`Band.REVIEW`; this screener's own when None), and partial-name hits (`Band.PARTIAL`)."""
        asked = self.asked(party, threshold, review_threshold)
        query, dob, country, least = asked.query, asked.dob, asked.country, asked.least
        found: list[Banded] = []
        for number, name_ids in self.candidates_of(asked).items():
            value, name_id, aligned = self.best_name(query, name_ids, least)
            if value < least or name_id < 0:
                continue
            facts = self.index.facts[number]
            evidence = field_evidence(facts, party.kind, dob, country, party.identifiers)
            score = self._score(name_id, aligned, evidence)
            bounds = (asked.cutoff, asked.lowest)
            banded = self.band(query, asked.lone, name_id, aligned, evidence, value, score, bounds)
            if banded is not None:
                found.append(Banded(banded[1], facts.id, banded[0], name_id, aligned, evidence, banded[2]))
        return self.reported(query, ranked(found)[:limit])

    def reported(self, query: QueryName, chosen: Sequence[Banded]) -> list[Hit]:
        """The hits of the candidates chosen (best first), each followed by the other lists' entries of its
        designation, at the designation's best score: an entry whose own names score lower, or are no candidate
        at all, is listed with the best entry (`Hit.listed_with`)."""
        hits = [self.hit_of(query, banded) for banded in chosen]
        own = {hit.entity.id: hit for hit in hits}
        reported: list[Hit] = []
        done: set[str] = set()
        for banded, hit in zip(chosen, hits, strict=True):
            if hit.entity.id in done:
                continue
            done.add(hit.entity.id)
            reported.append(hit)
            if not hit.linked:
                continue
            for number in self.index.designation(self.index.name_entity(banded.name_id))[1:]:
                entity_id = self.index.facts[number].id
                if entity_id in done:
                    continue
                done.add(entity_id)
                found = own.get(entity_id)
                if found is not None:
                    listed_with = hit.entity.id if found.score < hit.score else None
                    score, band = (hit.score, hit.band) if listed_with else (found.score, found.band)
                    reported.append(replace(found, score=score, band=band, listed_with=listed_with))
                    continue
                entity = self.index.entities[number]
                snapshot = self.version.snapshot_id(entity.source) if self.version is not None else None
                reported.append(replace(hit, entity=entity, snapshot_id=snapshot, listed_with=hit.entity.id))
        return reported

    def band(
        self,
        query: QueryName,
        lone: str | None,
        name_id: int,
        aligned: Alignment | None,
        evidence: Sequence[Evidence],
        value: float,
        score: float,
        bounds: tuple[float, float],
    ) -> tuple[Band, float, bool] | None:
        """The band of an entity's best name (`value` its name score, `score` with the evidence), the score it is
        reported at, between the threshold and the lowest band (`bounds`), and whether only the listed person's
        family name was given; None: no hit. `lone`: `lone_name`."""
        cutoff, lowest = bounds
        # President Putin: a public person named as news name them, when the name is spelled as listed, not one
        # loose likeness away (آیت‌الله خامنه‌ای is no Hamani). Lifted whatever the threshold asked: a hit's score
        # does not depend on it.
        titled = (
            lone is not None
            and TITLED_NAME_SCORE > 0.0
            and aligned is not None
            and len(aligned.chosen) == 1
            and -aligned.chosen[0][1] >= FOLDED
            and office_titled(query.form)
        )
        listed = self.index.names[name_id]
        if lone is not None and (titled or score < cutoff):
            entity = self.index.facts[listed.entity]
            if self.family_name_alone(query, listed, aligned, entity, evidence, titled):
                if titled:
                    score = max(score, TITLED_NAME_SCORE)
                    if score >= lowest:
                        return (Band.MATCH if score >= cutoff else Band.REVIEW), score, True
                return Band.PARTIAL, min(score, PARTIAL_NAME_SCORE), True
        if score >= cutoff:
            return Band.MATCH, score, False
        if score >= lowest or (value >= cutoff and word_for_word(query, listed, aligned)):
            return Band.REVIEW, score, False  # the second: other fields pulled a name given word for word below
        return None

    def lone_name(self, query: QueryName, kind: EntityKind | None) -> str | None:
        """The query's one identifying name, when it may be a listed person's family name given on its own and is
        rare enough to report so (`rare_surname`)."""
        if PARTIAL_NAME_SCORE <= 0 or kind not in (None, EntityKind.PERSON, EntityKind.UNKNOWN):
            return None
        signal = query.form.signal
        if len(signal) != 1:
            joined = written_as_one(query.form) if ONE_WORD_FAMILY_NAME else None
            if joined is None or self.index.weight(joined) >= self.index.rare_weight:  # no listed token
                return None
            signal = (joined,)
        titled = TITLED_NAME_SCORE > 0.0 and office_titled(query.form)
        return signal[0] if self.rare_surname(signal[0], titled) else None

    def rare_surname(self, token: str, titled: bool = False) -> bool:
        """Is a family name rare enough to name a listed person on its own: rare across listed names
        (`PARTIAL_NAME_WEIGHT`, or `TITLED_NAME_WEIGHT` beside a title of office) and not a common surname? With a
        title fewer people answer to it: Colonel Gaddafi names one of the several Gaddafis the lists hold."""
        least = TITLED_NAME_WEIGHT if titled else PARTIAL_NAME_WEIGHT
        return token not in COMMON_SURNAMES and self.index.weight(token) >= least

    def family_name_alone(
        self,
        query: QueryName,
        listed: IndexedName,
        aligned: Alignment | None,
        entity: EntityFacts,
        evidence: Sequence[Evidence],
        titled: bool = False,
    ) -> bool:
        """Is the query a rare family name of this listed person given on its own (`titled`: with titles the listed
        name lacks), which nothing contradicts?

        The one query name matches one listed name closely (no initial, no loose spelling), and that one is
        the family name (`family_positions`), rare and not a common surname either."""
        if aligned is None or entity.kind is not EntityKind.PERSON or not aligned.lone_listed:
            return False
        if any(item.effect is Effect.CONTRADICTS for item in evidence):
            return False
        scored = explain(query, listed, aligned)
        if len(scored.tokens) != 1 or any(not (titled and query.form.noise[i]) for i in aligned.lone_query):
            return False
        match = scored.tokens[0]
        if match.method is Method.INITIAL or match.similarity < PARTIAL_NAME_SIMILARITY:
            return False
        matched = [j for j in range(len(listed.tokens)) if j not in aligned.lone_listed]
        if len(matched) != 1:
            return False
        return self.rare_surname(listed.tokens[matched[0]].text, titled) and matched[0] in family_positions(listed)

    def best_name(self, query: QueryName, name_ids: Sequence[int], least: float) -> tuple[float, int, Alignment | None]:
        """An entity's best name for the query: its name score (times its quality's factor), its id, its alignment.

        A name whose bound cannot beat `least` or the best so far is not aligned. When the best is not the query
        word for word but another of the entity's names, leaving no more listed names out, is (a transliterated
        alias beside the one listed as the query writes it), that one is explained, at the best name's score: the
        list writes the name so."""
        names = self.index.names
        best: tuple[float, int, Alignment | None] = (-1.0, -1, None)
        tokens = bool(query.form.tokens)
        for name_id in name_ids:
            listed = names[name_id]
            factor = name_factor(listed.quality)
            aligned = align(query, listed, max(least, best[0] / factor)) if tokens else None
            value = (aligned.score if aligned else 0.0) * factor
            if value > best[0]:
                best = (value, name_id, aligned)
        value, name_id, aligned = best
        if aligned is None or value < least or word_for_word(query, names[name_id], aligned):
            return best
        wanted = set(query.form.raw)
        for other in self.index.entity_names(names[name_id].entity):  # the candidate stage passes the likeliest few
            listed = names[other]
            factor = name_factor(listed.quality)
            if other == name_id or factor < value or not wanted <= set(listed.form.raw):
                continue
            written = align(query, listed)
            if (
                written is not None
                and len(written.lone_listed) <= len(aligned.lone_listed)
                and word_for_word(query, listed, written)
            ):
                return value, other, replace(written, score=max(written.score, value / factor))
        return best

    def hit(self, query: QueryName, name_id: int, evidence: Sequence[Evidence] = ()) -> Hit:
        """Score one query name against one indexed name, with the other fields' evidence."""
        aligned = align(query, self.index.names[name_id]) if query.tokens else None
        return self._hit(query, name_id, aligned, evidence, self._score(name_id, aligned, evidence))

    def _score(self, name_id: int, aligned: Alignment | None, evidence: Sequence[Evidence]) -> float:
        quality = self.index.names[name_id].quality
        return rounded(combine(aligned.score if aligned is not None else 0.0, quality, evidence))

    def hit_of(self, query: QueryName, banded: Banded) -> Hit:
        """The hit a banded candidate is reported as (the whole entity decoded, the match explained)."""
        return self._hit(
            query, banded.name_id, banded.aligned, banded.evidence, banded.score, banded.band, banded.family_name_only
        )

    def _hit(
        self,
        query: QueryName,
        name_id: int,
        aligned: Alignment | None,
        evidence: Sequence[Evidence],
        score: float,
        band: Band = Band.MATCH,
        family_name_only: bool = False,
    ) -> Hit:
        listed = self.index.names[name_id]
        entity = self.index.entities[listed.entity]
        scored = explain(query, listed, aligned) if aligned is not None else NO_NAME
        explanation = Explanation(
            query_name=query.form.text,
            matched_name=self.index.listed_name(name_id),
            name_score=scored.score,
            tokens=scored.tokens,
            unmatched_query=scored.unmatched_query,
            unmatched_listed=scored.unmatched_listed,
            removed=query.removed,
            evidence=tuple(evidence),
            family_name_only=family_name_only,
        )
        snapshot = self.version.snapshot_id(entity.source) if self.version is not None else None
        designation = self.index.designation(listed.entity)
        linked = frozenset({f"linked:{self.index.facts[min(designation)].id}"}) if len(designation) > 1 else frozenset()
        return Hit(entity, score, explanation, ALGORITHM, snapshot, band, linked)


def word_for_word(query: QueryName, listed: IndexedName, aligned: Alignment | None) -> bool:
    """Is the query the listed name as written: every query name matched exactly, and every family and first
    given name listed matched (a middle name or patronymic may be left out)?"""
    if aligned is None or not aligned.chosen or aligned.lone_query:
        return False
    if any(listed.form.edge[j] for j in aligned.lone_listed):
        return False
    # As written, too: a sector word or abbreviation reads as its full word (AIR for AIRWAYS) and matches exactly.
    # Read off the pairs chosen as `explain` would write them, without making its objects.
    q_raw, c_raw = query.form.raw, listed.form.raw
    return all(
        method is Method.EXACT and written(q_raw, qs) == written(c_raw, cs)
        for _, _, _, _, _, method, qs, cs in aligned.chosen
    )


def family_positions(listed: IndexedName) -> set[int]:
    """Where a listed person's family name is: the part before the comma of `FAMILY, Given`, else the first
    and last names, one of which is the family name in every order lists write."""
    parts = listed.name.full.split(",")
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        family = len(analyze(parts[0], False).tokens)
        return {j for j in range(min(family, len(listed.form.tokens))) if listed.form.edge[j]}
    return {j for j, edge in enumerate(listed.form.edge) if edge}
