"""Party screening: find every listed entity a person, company, vessel or aircraft may be.

The algorithm is named and versioned (`ALGORITHM`); every hit carries that name
and the id of the list snapshot it was computed on, so a decision can be
replayed and audited. A published algorithm name never changes its output: a
change of scoring is a new version.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearance.countries import to_iso2
from clearance.errors import ClearanceError
from clearance.lists.dates import parse_date
from clearance.matching.index import NameIndex, kind_is_organization
from clearance.matching.names import NameForm, analyze
from clearance.matching.normalize import strip_control
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
from clearance.model import Entity, EntityKind, Name, PartialDate
from clearance.store import ListStore

ALGORITHM = "clearance-name-v2"
DEFAULT_THRESHOLD = 0.8
"""Scores at or above this are hits by default (chosen on the benchmark's development set)."""
MAX_NAME_LENGTH = 500


class ScreeningError(ClearanceError):
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

    def to_json(self) -> dict[str, Any]:
        return {
            "query_name": self.query_name,
            "matched_name": self.matched_name.full,
            "matched_name_quality": self.matched_name.quality.value,
            "name_score": round(self.name_score, 4),
            "tokens": [t.to_json() for t in self.tokens],
            "unmatched_query": list(self.unmatched_query),
            "unmatched_listed": list(self.unmatched_listed),
            "removed": list(self.removed),
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class Hit:
    entity: Entity
    score: float
    explanation: Explanation
    algorithm: str = ALGORITHM
    snapshot_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        entity = self.entity
        return {
            "entity_id": entity.id,
            "source": entity.source,
            "sub_list": entity.sub_list,
            "kind": entity.kind.value,
            "name": entity.name,
            "matched_name": self.explanation.matched_name.full,
            "score": round(self.score, 4),
            "programmes": list(entity.programmes),
            "listed_on": entity.listed_on.isoformat() if entity.listed_on else None,
            "algorithm": self.algorithm,
            "snapshot_id": self.snapshot_id,
            "explanation": self.explanation.to_json(),
        }


@dataclass
class Screener:
    """Screens parties against a fixed set of entities (one index, built once)."""

    entities: Iterable[Entity] = field(repr=False)
    snapshots: Mapping[str, int] = field(default_factory=dict)
    """Source name -> id of the snapshot the entities come from, recorded on every hit."""
    threshold: float = DEFAULT_THRESHOLD
    candidate_limit: int = 30

    def __post_init__(self) -> None:
        self.index = NameIndex(self.entities)
        # The index is millions of long-lived objects: keep the cyclic collector from walking them
        # again on every full collection (it otherwise dominates screening large texts and batches).
        gc.collect()
        gc.freeze()

    @classmethod
    def from_store(cls, store: ListStore, sources: Sequence[str] | None = None) -> Screener:
        """A screener over the active snapshots of the store (of the given sources)."""
        snapshots = {name: snap.id for name, snap in store.active_snapshots().items()}
        if sources:
            snapshots = {name: sid for name, sid in snapshots.items() if name in sources}
        if not snapshots:
            raise ClearanceError("no lists are loaded: run `clearance lists update` first")
        return cls(store.active_entities(sources), snapshots=snapshots)

    @property
    def algorithm(self) -> str:
        return ALGORITHM

    def _prepare(self, party: Party) -> tuple[str, PartialDate | None, str | None]:
        name = " ".join(strip_control(party.name or "").split())
        if len(name) > MAX_NAME_LENGTH:
            raise ScreeningError(f"name: too long ({len(name):,} characters; at most {MAX_NAME_LENGTH})")
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
                candidates.setdefault(number, self.index.by_entity[number])
        return candidates

    def candidates(self, party: Party, limit: int | None = None) -> list[str]:
        """The entity ids the candidate stage picks for scoring (for measuring its recall)."""
        name, dob, country = self._prepare(party)
        query = self.query(analyze(name, kind_is_organization(party.kind)))
        found = self._candidates(party, query, dob, country, limit or self.candidate_limit)
        return [self.index.entities[number].id for number in found]

    def screen(self, party: Party, threshold: float | None = None, limit: int = 10) -> list[Hit]:
        """Listed entities the party may be, best first, at or above the threshold."""
        name, dob, country = self._prepare(party)
        cutoff = self.threshold if threshold is None else threshold
        form = analyze(name, kind_is_organization(party.kind))
        query = self.query(form)
        names = self.index.names
        floor = 0.0 if party.identifiers else name_floor(cutoff, dob is not None, country is not None)
        hits: list[Hit] = []
        for number, name_ids in self._candidates(party, query, dob, country, self.candidate_limit, floor).items():
            best: tuple[float, int, Alignment | None] = (-1.0, -1, None)
            for name_id in name_ids:
                listed = names[name_id]
                factor = name_factor(listed.name.quality)
                # An entity scores by its best name: one whose bound cannot beat the best so far is not aligned.
                aligned = align(query, listed, max(floor, best[0] / factor)) if form.tokens else None
                value = (aligned.score if aligned else 0.0) * factor
                if value > best[0]:
                    best = (value, name_id, aligned)
            value, name_id, aligned = best
            if value < floor:
                continue
            entity = self.index.entities[number]
            evidence = field_evidence(entity, party.kind, dob, country, party.identifiers, self.index.countries[number])
            score = self._score(name_id, aligned, evidence)
            if score >= cutoff:
                hits.append(self._hit(query, name_id, aligned, evidence, score))
        hits.sort(key=lambda hit: (-hit.score, hit.entity.id))
        return hits[:limit]

    def hit(self, query: QueryName, name_id: int, evidence: Sequence[Evidence] = ()) -> Hit:
        """Score one query name against one indexed name, with the other fields' evidence."""
        aligned = align(query, self.index.names[name_id]) if query.tokens else None
        return self._hit(query, name_id, aligned, evidence, self._score(name_id, aligned, evidence))

    def _score(self, name_id: int, aligned: Alignment | None, evidence: Sequence[Evidence]) -> float:
        quality = self.index.names[name_id].name.quality
        return combine(aligned.score if aligned is not None else 0.0, quality, evidence)

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
        return Hit(entity, score, explanation, ALGORITHM, self.snapshots.get(entity.source))
