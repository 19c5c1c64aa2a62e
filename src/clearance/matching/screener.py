"""Party screening: find every listed entity a person, company, vessel or aircraft may be.

The algorithm is named and versioned (`ALGORITHM`); every hit carries that name
and the id of the list snapshot it was computed on, so a decision can be
replayed and audited. A published algorithm name never changes its output: a
change of scoring is a new version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.countries import to_iso2
from clearance.errors import InputError
from clearance.lists.dates import parse_date
from clearance.matching.algorithm import ALGORITHM, DEFAULT_THRESHOLD
from clearance.matching.index import NameIndex, kind_is_organization
from clearance.matching.names import NameForm, analyze
from clearance.matching.normalize import strip_control
from clearance.matching.persisted import Notify, index_in_memory, stored_index
from clearance.matching.score import (
    NO_NAME,
    Alignment,
    Evidence,
    QueryName,
    TokenMatch,
    align,
    combine,
    explain,
    field_evidence,
    name_factor,
    name_floor,
)
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


@dataclass(frozen=True)
class Hit:
    entity: Entity
    score: float
    explanation: Explanation
    algorithm: str = ALGORITHM
    snapshot_id: int | None = None


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


@dataclass(frozen=True)
class Screener:
    """Screens parties against one list version's index: immutable, so threads and requests share it."""

    index: NameIndex = field(repr=False)
    version: ListVersion | None = None
    """The snapshots the index was built from, recorded on every hit (None for entities not in a store)."""
    threshold: float = DEFAULT_THRESHOLD
    candidate_limit: int = 30

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

    def query(self, form: NameForm) -> QueryName:
        """A query name made ready for scoring against this screener's names."""
        return QueryName(form, self.index)

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
        made = (query.tokens, query.joined, query.misses)
        found = self.index.candidates(query.form, limit, year, country, made, floor) if query.form.signal else []
        candidates = dict(found)
        for value in party.identifiers:
            for number in self.index.by_identifier(value):
                candidates.setdefault(number, self.index.entity_names(number))
        return candidates

    def candidates(self, party: Party, limit: int | None = None) -> list[str]:
        """The entity ids the candidate stage picks for scoring (for measuring its recall)."""
        name, dob, country = checked(party)
        query = self.query(analyze(name, kind_is_organization(party.kind)))
        found = self._candidates(party, query, dob, country, limit or self.candidate_limit)
        return [self.index.entities[number].id for number in found]

    def screen(self, party: Party, threshold: float | None = None, limit: int = 10) -> list[Hit]:
        """Listed entities the party may be, best first, at or above the threshold."""
        name, dob, country = checked(party)
        cutoff = self.threshold if threshold is None else threshold
        form = analyze(name, kind_is_organization(party.kind))
        query = self.query(form)
        floor = 0.0 if party.identifiers else name_floor(cutoff, dob is not None, country is not None)
        # Candidates by the floor itself; names aligned and kept down to what rounds up to the cutoff.
        least = 0.0 if party.identifiers else reach(cutoff, dob is not None, country is not None)
        hits: list[Hit] = []
        for number, name_ids in self._candidates(party, query, dob, country, self.candidate_limit, floor).items():
            value, name_id, aligned = self.best_name(query, name_ids, least)
            if value < least:
                continue
            entity = self.index.entities[number]
            evidence = field_evidence(entity, party.kind, dob, country, party.identifiers, entity.countries)
            score = self._score(name_id, aligned, evidence)
            if score >= cutoff:
                hits.append(self._hit(query, name_id, aligned, evidence, score))
        hits.sort(key=lambda hit: (-hit.score, hit.entity.id))
        return hits[:limit]

    def best_name(self, query: QueryName, name_ids: Sequence[int], least: float) -> tuple[float, int, Alignment | None]:
        """An entity's best name for the query: its name score (times its quality's factor), its id, its alignment.

        A name whose bound cannot beat `least` or the best so far is not aligned."""
        names = self.index.names
        best: tuple[float, int, Alignment | None] = (-1.0, -1, None)
        for name_id in name_ids:
            listed = names[name_id]
            factor = name_factor(listed.name.quality)
            aligned = align(query, listed, max(least, best[0] / factor)) if query.form.tokens else None
            value = (aligned.score if aligned else 0.0) * factor
            if value > best[0]:
                best = (value, name_id, aligned)
        return best

    def hit(self, query: QueryName, name_id: int, evidence: Sequence[Evidence] = ()) -> Hit:
        """Score one query name against one indexed name, with the other fields' evidence."""
        aligned = align(query, self.index.names[name_id]) if query.tokens else None
        return self._hit(query, name_id, aligned, evidence, self._score(name_id, aligned, evidence))

    def _score(self, name_id: int, aligned: Alignment | None, evidence: Sequence[Evidence]) -> float:
        quality = self.index.names[name_id].name.quality
        return rounded(combine(aligned.score if aligned is not None else 0.0, quality, evidence))

    def _hit(
        self, query: QueryName, name_id: int, aligned: Alignment | None, evidence: Sequence[Evidence], score: float
    ) -> Hit:
        listed = self.index.names[name_id]
        entity = self.index.entities[listed.entity]
        scored = explain(query, listed, aligned) if aligned is not None else NO_NAME
        explanation = Explanation(
            query_name=query.form.text,
            matched_name=listed.name,
            name_score=scored.score,
            tokens=scored.tokens,
            unmatched_query=scored.unmatched_query,
            unmatched_listed=scored.unmatched_listed,
            removed=query.form.removed,
            evidence=tuple(evidence),
        )
        snapshot = self.version.snapshot_id(entity.source) if self.version is not None else None
        return Hit(entity, score, explanation, ALGORITHM, snapshot)
