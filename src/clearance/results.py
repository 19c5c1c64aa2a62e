"""The result models every front end prints or serves, declared once.

A result says what was asked, what was found, and everything needed to replay and
audit it: the algorithm and its config digest, the threshold, the list version
(per source: snapshot, digest, publisher's date, load time, age), warnings such as
stale lists, and when it was screened (UTC). `clearance ... --json` prints these
models and nothing else; their JSON Schemas are in `docs/schemas/`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Required, TypedDict

from pydantic import BaseModel, ConfigDict, Field

from clearance.matching.algorithm import ALGORITHM, config_digest
from clearance.matching.designation import Designation, designations
from clearance.matching.screener import Band, Explanation, Hit, Party
from clearance.store.list_version import ListVersion


class Result(BaseModel):
    """Base of every result model: immutable, and strict about its fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ListSource(Result):
    source: str
    snapshot_id: int
    sha256: str
    published: dt.datetime | None = Field(description="The publisher's own date for the list, where it states one.")
    loaded_at: dt.datetime
    age_days: float | None = Field(
        description="Days from the publisher's date to the screening; None when the list states no date."
    )
    entities: int


class ListVersionInfo(Result):
    digest: str | None = Field(description="Names the set of snapshots; None for entities screened outside a store.")
    sources: tuple[ListSource, ...]

    @classmethod
    def of(cls, version: ListVersion | None, now: dt.datetime) -> ListVersionInfo:
        if version is None:
            return cls(digest=None, sources=())
        return cls(
            digest=version.digest,
            sources=tuple(ListSource.model_validate(row) for row in version.describe(now)),
        )


class Screening(Result):
    """What every screening result records besides its query and findings."""

    algorithm: str = ALGORITHM
    config: str = Field(default_factory=config_digest, description="Digest of the matcher's constants and tables.")
    threshold: float
    list_version: ListVersionInfo
    warnings: tuple[str, ...] = ()
    screened_at: dt.datetime


class ScreeningFields(TypedDict, total=False):
    """The `Screening` fields a caller records besides the findings: how, against what, and when."""

    algorithm: str
    config: str
    threshold: Required[float]
    list_version: Required[ListVersionInfo]
    warnings: tuple[str, ...]
    screened_at: Required[dt.datetime]


class TokenMatchResult(Result):
    query: str
    listed: str
    method: str
    similarity: float
    weight: float


class EvidenceResult(Result):
    field: str
    effect: str
    detail: str


class ExplanationResult(Result):
    query_name: str
    matched_name: str
    matched_name_quality: str
    name_score: float
    tokens: tuple[TokenMatchResult, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]
    removed: tuple[str, ...]
    evidence: tuple[EvidenceResult, ...]

    @classmethod
    def of(cls, why: Explanation) -> ExplanationResult:
        return cls(
            query_name=why.query_name,
            matched_name=why.matched_name.full,
            matched_name_quality=why.matched_name.quality.value,
            name_score=round(why.name_score, 4),
            tokens=tuple(
                TokenMatchResult(
                    query=t.query,
                    listed=t.listed,
                    method=t.method.value,
                    similarity=round(t.similarity, 3),
                    weight=round(t.weight, 2),
                )
                for t in why.tokens
            ),
            unmatched_query=why.unmatched_query,
            unmatched_listed=why.unmatched_listed,
            removed=why.removed,
            evidence=tuple(EvidenceResult(field=e.field, effect=e.effect.value, detail=e.detail) for e in why.evidence),
        )


BAND_DESCRIPTION = (
    "`match`: at or above the threshold; `review`: between the review threshold and the threshold, a possible "
    "match; `partial`: a rare listed surname given alone, part of a name."
)


def entry_fields(hit: Hit) -> dict[str, Any]:
    """The list entry a hit is on, as every result naming one gives it (`ListEntry`)."""
    entity = hit.entity
    return {
        "entity_id": entity.id,
        "source": entity.source,
        "sub_list": entity.sub_list,
        "name": entity.name,
        "matched_name": hit.explanation.matched_name.full,
        "score": round(hit.score, 4),
    }


LISTED_WITH_DESCRIPTION = (
    "The entity id of the entry of the same designation the query matched best, when this entry's own names "
    "scored lower (or are no candidate): its score and band are that entry's, and so are its matched name and "
    "explanation when its own names are no candidate. Lists carry one designation under different names: OFAC's "
    "copy of a UN entry may lack the UN's Arabic name."
)


class ListEntry(Result):
    """A list's entry a hit is on: which entry, of which list, the name of it that matched, and the score."""

    entity_id: str
    source: str
    sub_list: str | None
    name: str
    matched_name: str
    score: float


class SourceHit(ListEntry):
    """Another list's entry of a hit's designation: the same party as that list carries it."""

    band: Band = Field(description=BAND_DESCRIPTION)
    listed_with: str | None = Field(default=None, description=LISTED_WITH_DESCRIPTION)

    @classmethod
    def of(cls, hit: Hit) -> SourceHit:
        return cls(**entry_fields(hit), band=hit.band, listed_with=hit.listed_with)


class HitResult(Result):
    """One listed designation the party may be, and why: its best-scoring list entry, and the other lists'
    entries of it in `also`."""

    entity_id: str
    source: str
    sub_list: str | None
    kind: str
    name: str
    matched_name: str
    score: float
    band: Band = Field(default=Band.MATCH, description=BAND_DESCRIPTION)
    programmes: tuple[str, ...]
    listed_on: str | None
    algorithm: str
    snapshot_id: int | None
    explanation: ExplanationResult
    designation: str | None = Field(
        default=None,
        description="Names the designation: its UN reference (`un:QDi.433`), else its OFAC record (`ofac:12295`), "
        "else this entry's id. None on a hit standing for its list entry alone (each of a payment finding's "
        "`entities`, a shipment party's hits) and in results of releases before designations were grouped.",
    )
    listed_with: str | None = Field(default=None, description=LISTED_WITH_DESCRIPTION)
    also: tuple[SourceHit, ...] = Field(
        default=(),
        description="The other list entries of the designation, best first: an OFAC record's copies on its other "
        "lists and in the US CSL, a UN designation as the UK and OFAC carry it; each at this entry's score, "
        "`listed_with` it when its own names scored lower.",
    )

    @classmethod
    def of(cls, hit: Hit) -> HitResult:
        """The hit as a result standing for its list entry alone."""
        entity = hit.entity
        return cls(
            **SourceHit.of(hit).model_dump(),
            kind=entity.kind.value,
            programmes=entity.programmes,
            listed_on=entity.listed_on.isoformat() if entity.listed_on else None,
            algorithm=hit.algorithm,
            snapshot_id=hit.snapshot_id,
            explanation=ExplanationResult.of(hit.explanation),
        )

    @classmethod
    def of_designation(cls, designation: Designation) -> HitResult:
        """A designation as a result: its lead hit, the other lists' entries of it in `also`."""
        also = tuple(SourceHit.of(other) for other in designation.others)
        return HitResult.of(designation.lead).model_copy(update={"designation": designation.key, "also": also})

    @property
    def entity_ids(self) -> tuple[str, ...]:
        """Every list entry of the designation that hit: this one's and those in `also`."""
        return (self.entity_id, *(other.entity_id for other in self.also))


def hit_results(hits: Sequence[Hit], limit: int | None = None) -> tuple[HitResult, ...]:
    """A screening's hits as results: one per designation, best first, the first `limit` (all when None).

    Ask the screener for `HITS_PER_DESIGNATION` times the designations wanted, so that each keeps its
    other lists' entries."""
    return tuple(HitResult.of_designation(found) for found in designations(hits, limit))


class PartyQuery(Result):
    name: str
    type: str | None = None
    dob: str | None = None
    country: str | None = None
    ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, party: Party) -> PartyQuery:
        return cls(
            name=party.name,
            type=party.kind.value if party.kind else None,
            dob=party.dob,
            country=party.country,
            ids=party.identifiers,
        )


class PartyScreening(Screening):
    """A party screened against a list version."""

    query: PartyQuery
    hits: tuple[HitResult, ...] = Field(
        description="One per designation, best first, each with the other lists' entries of it in `also`."
    )
    review_threshold: float | None = Field(
        default=None, description="Hits from here up to `threshold` are reported in the `review` band."
    )


class BatchRecord(Result):
    """One row of a batch: its hits, or why it could not be screened; one JSON line each.

    The list version is named by its digest on every line (the full version is in
    `clearance lists status` and in any party screening against it).
    """

    id: str = Field(description="The row's `id` column, else `line N`.")
    query: PartyQuery | None = Field(description="The party the row describes; None when it could not be read.")
    hits: tuple[HitResult, ...] = Field(
        default=(), description="One per designation, best first, each with the other lists' entries in `also`."
    )
    error: str | None = Field(default=None, description="Why the row was not screened, naming the line and field.")
    algorithm: str = ALGORITHM
    config: str = Field(default_factory=config_digest)
    threshold: float
    review_threshold: float | None = Field(
        default=None, description="Hits from here up to `threshold` are reported in the `review` band."
    )
    list_version: str | None
    warnings: tuple[str, ...] = ()
    screened_at: dt.datetime


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of each published result, by file name (`docs/schemas/` holds them; a test keeps them current)."""
    from clearance.goods import results as goods
    from clearance.text import results as text

    return {
        "party.schema.json": PartyScreening.model_json_schema(),
        "batch-record.schema.json": BatchRecord.model_json_schema(),
        **text.schemas(),
        **goods.schemas(),
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # python -m clearance.results docs/schemas
    for path in write_schemas(Path(sys.argv[1])):
        print(path)
