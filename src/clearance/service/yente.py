"""yente's API over clearance: its request and response shapes, field for field, and its algorithm names.

yente (the OpenSanctions API server) is what many screening clients are written against, so the
service answers its routes in its shapes. The shapes are declared here field for field as
clearance's own models rather than imported: yente pins its own FastAPI and nomenklatura, which
clash with clearance's, so it cannot share this environment. `tests/service/yente_models.py`
checks requests and answers against yente's own models, in a venv of its own.

Where yente and clearance differ, the choices are:

- **Dataset names.** yente's catalogue takes slugs only (`ofac_sdn`; `ofac-sdn` fails its check),
  so every yente-shaped answer names a source by its slug. Requests may use either spelling.
- **Entities.** A listed entity is its FollowTheMoney form as `clearance lists export --format ftm`
  writes it; its `id` is clearance's own (what `/entities/{id}` and the rest of the service take),
  and the export's FtM id is its referent, so `exclude_entity_ids` takes either.
- **Scores** are clearance's algorithm's, whichever yente algorithm a client names; `explanations`
  break them down into features named like nomenklatura's, `explanation` is clearance's own.
- **A query that cannot be screened** (no name or identifier, a schema clearance does not screen)
  gets status 422 and a `detail` in its own entry; the other queries of the batch are screened.
  yente fails the whole batch on a bad query, and screens a query without a name on its other
  properties; clearance screens a nameless query on its identifiers, and needs one or the other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clearance.errors import InputError
from clearance.matching import ALGORITHM
from clearance.matching.config import CURRENT
from clearance.results import ExplanationResult, Screening

# -- the shapes ---------------------------------------------------------------------------


class Shape(BaseModel):
    """yente's field names, `schema` among them (a name pydantic's `BaseModel` keeps for itself)."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)


class EntityExample(Shape):
    """One entity to match, as yente takes it: a FollowTheMoney schema and properties."""

    id: str | None = Field(default=None, examples=["my-entity-id"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        examples=[{"name": ["Vladimir Putin"], "birthDate": ["1952-10-07"], "nationality": ["ru"]}]
    )


class EntityMatchQuery(Shape):
    """The body of `POST /match/{dataset}`, as yente takes it."""

    weights: dict[str, float] = Field(
        default_factory=dict, description="yente's feature weights: clearance's algorithm takes none (ignored)."
    )
    config: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="yente's algorithm settings: clearance's algorithm takes none (ignored)."
    )
    queries: dict[str, EntityExample] = Field(
        description="Entities to match, by a key of the caller's choice; the answer is keyed alike."
    )


class FeatureResult(Shape):
    """What one feature of the algorithm found (nomenklatura's `FeatureResult`)."""

    detail: str | None
    score: float
    query: str | None = None
    candidate: str | None = None


class TotalSpec(Shape):
    value: int
    relation: str = "eq"


class EntityResponse(Shape):
    """A listed entity in FollowTheMoney form (yente's `EntityResponse`)."""

    id: str = Field(examples=["un:KPi.033"])
    caption: str
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, list[str | EntityResponse]]
    datasets: list[str] = Field(default_factory=list, examples=[["un"]])
    referents: list[str] = Field(default_factory=list, description="The entity's id in the FtM export.")
    target: bool = False
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = Field(
        default=None, description="The date of the list version that holds the entity (its publisher's, else loaded)."
    )
    last_change: dt.datetime | None = None


class ScoredEntityResponse(EntityResponse):
    """A listed entity the query may be (yente's `ScoredEntityResponse`), with clearance's explanation."""

    score: float
    match: bool = Field(description="Whether the score is at or above the threshold.")
    explanations: dict[str, FeatureResult]
    features: dict[str, float] = Field(description="Feature scores by name, as older yente clients read them.")
    explanation: ExplanationResult = Field(description="clearance's own account of the score.")


class EntityMatches(Shape):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec = Field(description="How many listed entities match (score at or above the threshold).")
    query: EntityExample
    detail: str | None = Field(default=None, description="Why the query was not screened (a status other than 200).")


class EntityMatchResponse(Screening):
    """yente's `EntityMatchResponse`, with what every clearance screening records of how it screened."""

    model_config = ConfigDict(serialize_by_alias=True)

    responses: dict[str, EntityMatches]
    limit: int
    cutoff: float = Field(description="The lowest score returned.")


class SearchFacetItem(Shape):
    name: str
    label: str
    count: int = 1


class SearchFacet(Shape):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(Shape):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet] = Field(default_factory=dict)


class DatasetEntry(Shape):
    """One dataset of the catalogue: a loaded source, or a group of them (yente's dataset model)."""

    name: str = Field(description="The slug yente's catalogue requires; `/match/{dataset}` also takes `source`.")
    title: str
    license: str | None = None
    summary: str | None = None
    description: str | None = None
    url: str | None = None
    updated_at: dt.datetime | None = Field(default=None, description="The publisher's date, else when loaded.")
    last_export: dt.datetime | None = Field(default=None, description="When the version was loaded.")
    entity_count: int | None = None
    thing_count: int | None = None
    version: str | None = Field(default=None, description="The active version: its date, then its snapshot id.")
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    publisher: dict[str, str] | None = None
    coverage: dict[str, str] | None = None
    resources: list[dict[str, str]] = Field(default_factory=list)
    children: list[str] = Field(default_factory=list)
    deprecation: str | None = None
    deprecated: bool = False
    load: bool
    entities_url: str | None = None
    delta_url: str | None = None
    namespace: bool = False
    index_version: str | None = Field(default=None, description="The version the service screens against.")
    index_current: bool
    source: str | None = Field(default=None, description="clearance's name of the source; None for a group.")
    freshness: str | None = None
    warning: str | None = None


class DataCatalogModel(Shape):
    datasets: list[DatasetEntry]
    current: list[str]
    outdated: list[str] = Field(description="Lists stale, undated, not loaded, or not yet the version screened.")
    index_stale: bool = False


class FeatureDoc(Shape):
    description: str | None
    coefficient: float
    url: str


class ConfigVar(Shape):
    type: Literal["string", "integer", "float", "boolean"] = "float"
    description: str | None = None
    default: str | int | float | bool | None = 0


class AlgorithmDocs(Shape):
    name: str
    description: str | None = None
    config: dict[str, ConfigVar]
    features: dict[str, FeatureDoc]


class AlgorithmInfo(Shape):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    docs: AlgorithmDocs
    aliases: list[str] = Field(description="yente's algorithm names, accepted for this one.")


class AlgorithmResponse(Shape):
    algorithms: list[AlgorithmInfo]
    default: str
    best: str


# -- algorithms ---------------------------------------------------------------------------

YENTE_ALGORITHMS = (
    "best",
    "default",
    "logic-v1",
    "logic-v2",
    "name-based",
    "name-qualified",
    "regression-v1",
    "regression-v2",
    "regression-v3",
)
"""Names a yente client may send: each runs clearance's algorithm, so a client written for yente works
unchanged, and every answer names the algorithm that ran."""


def algorithm_named(name: str) -> str:
    """clearance's algorithm, for its own name or a yente one; `InputError` for any other."""
    wanted = name.strip().lower()
    if wanted == ALGORITHM or wanted in YENTE_ALGORITHMS:
        return ALGORITHM
    raise InputError(f"algorithm: unknown {name!r} (this service runs {ALGORITHM}; yente's names are taken for it)")


_DOCS = "docs/screening.md"
_config = CURRENT.config
FEATURES: dict[str, tuple[str, float]] = {
    "name_match": (
        "How alike the query's name and the entity's best-matching listed name are, token by token "
        "(transliterated, spelling variants, typos, reordering); the base of the score.",
        1.0,
    ),
    "weak_alias_match": (
        "The name matched is one the list calls a weak alias (a nickname, a fragment): the name score is "
        "multiplied by the coefficient.",
        _config.weak_alias,
    ),
    "dob_day_match": (
        "The query's full date of birth is one the entity is listed with: the score moves this share of the way to 1.",
        _config.dob_day_agrees,
    ),
    "dob_year_match": (
        "The query's date of birth agrees with a listed one as far as both go (the year, a range): the score "
        "moves this share of the way to 1.",
        _config.dob_year_agrees,
    ),
    "dob_mismatch": (
        "The query's date of birth contradicts every listed one: the score is multiplied by the coefficient.",
        _config.dob_contradicts,
    ),
    "country_match": (
        "A country of the query is one the entity is tied to: the score moves this share of the way to 1.",
        _config.country_agrees,
    ),
    "country_mismatch": (
        "The entity is tied to countries, none of them the query's: the score is multiplied by the coefficient.",
        _config.country_contradicts,
    ),
    "kind_mismatch": (
        "A person was screened against an organisation, or the other way: the score is multiplied by the coefficient.",
        _config.kind_contradicts,
    ),
    "identifier_match": (
        "An identifier of the query (passport, registration, IMO, tax number...) is the entity's: the score is "
        "at least the coefficient.",
        _config.identical_identifier,
    ),
}
"""The features `explanations` name, with what each does to the score (docs/screening.md has the detail)."""


def algorithms() -> AlgorithmResponse:
    docs = {
        name: FeatureDoc(description=text, coefficient=weight, url=_DOCS) for name, (text, weight) in FEATURES.items()
    }
    description = (
        "clearance's name matcher: every listed name indexed once (transliterated, with spelling variants), "
        "names aligned token by token, then dates of birth, countries and identifiers lift or lower the score. "
        "Its tuning is fixed per published name, so it takes no configuration."
    )
    info = AlgorithmInfo(
        name=ALGORITHM,
        description=description,
        features=docs,
        docs=AlgorithmDocs(name=ALGORITHM, description=description, config={}, features=docs),
        aliases=list(YENTE_ALGORITHMS),
    )
    return AlgorithmResponse(algorithms=[info], default=ALGORITHM, best=ALGORITHM)
