"""yente's API over clearance: its request and response shapes, its dataset names, and what a query means.

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
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clearance.countries import to_iso2
from clearance.errors import InputError, NotFoundError, UnavailableError
from clearance.export import ftm_entities
from clearance.lists import eu_annex_iv, ofac_cons, ofac_sdn, us_csl
from clearance.lists.dates import parse_date
from clearance.lists.registry import OFFICIAL, SOURCES
from clearance.matching import ALGORITHM, Hit, Party
from clearance.matching.config import CURRENT
from clearance.matching.score import Effect
from clearance.model import MAX_NAME_LENGTH, Entity, EntityKind, NameQuality
from clearance.results import ExplanationResult, Screening
from clearance.store import Snapshot
from clearance.store.list_version import ListVersion

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


# -- datasets -----------------------------------------------------------------------------

US = (ofac_sdn.SOURCE.name, ofac_cons.SOURCE.name, us_csl.SOURCE.name)
DEFAULT = (*OFFICIAL, eu_annex_iv.NAME)
GROUPS: dict[str, str] = {
    "default": "Every official list",
    "sanctions": "Every official list (as `default`)",
    "us": "The US lists: OFAC SDN, OFAC consolidated and the Consolidated Screening List",
    "all": "Every list loaded, watchlists of one's own included",
}


def dataset_name(source: str) -> str:
    """The slug yente's catalogue takes for a source: `ofac-sdn` is `ofac_sdn`, `custom:mine` `custom_mine`."""
    slug = re.sub(r"[^a-z0-9]+", "_", source.lower()).strip("_")
    if not source.isascii():  # a watchlist named in another script: a slug of its own
        slug = f"{slug}_{hashlib.sha256(source.encode()).hexdigest()[:8]}"
    return slug


_KNOWN_SLUGS = frozenset(dataset_name(source) for source in SOURCES)


def group_sources(group: str, loaded: Iterable[str]) -> tuple[str, ...]:
    loaded = tuple(loaded)
    if group == "all":
        return loaded
    members = US if group == "us" else DEFAULT
    return tuple(source for source in loaded if source in members)


def ftm_id(entity_id: str) -> str:
    """The entity's id in the FtM export (`un:KPi.033` is `un-KPi.033`)."""
    return entity_id.replace(":", "-").replace(" ", "-")


def seen_at(snapshot: Snapshot) -> dt.datetime:
    """When a list version was current: its publisher's date, else when it was loaded."""
    return snapshot.published or snapshot.loaded_at


_SCHEMA = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.VESSEL: "Vessel",
    EntityKind.AIRCRAFT: "Airplane",
    EntityKind.UNKNOWN: "LegalEntity",
}
"""The FtM schema of each kind, as the export writes it."""


def schema_of(entity: Entity) -> str:
    return _SCHEMA[entity.kind]


class Cards:
    """The response fields of listed entities, by entity id and snapshot id, least recently used dropped.

    An entity never changes within a snapshot, and its FtM form is the same for every query that finds it.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int | None], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, entity: Entity, snapshot_id: int | None, build: Callable[[Entity], dict[str, Any]]) -> dict[str, Any]:
        key = (entity.id, snapshot_id)
        with self._lock:
            card = self._items.get(key)
            if card is not None:
                self._items.move_to_end(key)
                return card
        card = build(entity)
        with self._lock:
            self._items[key] = card
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return card


@dataclass(frozen=True)
class Scope:
    """The datasets of one list version: each source by its name and its slug, the groups, and the FtM forms
    of its entities as they are asked for."""

    version: ListVersion | None
    snapshots: dict[str, Snapshot]
    datasets: dict[str, tuple[str, ...]]
    """Dataset name (either spelling, or a group) -> the loaded sources it selects."""
    slugs: dict[str, str]
    cards: Cards = field(default_factory=lambda: Cards(4096), compare=False, repr=False)

    @classmethod
    def of(cls, version: ListVersion | None) -> Scope:
        snapshots = {s.source: s for s in version.snapshots} if version is not None else {}
        loaded = tuple(snapshots)
        slugs = {source: dataset_name(source) for source in loaded}
        datasets: dict[str, tuple[str, ...]] = {}
        for source, slug in slugs.items():
            datasets[source] = (source,)
            datasets[slug] = (*datasets.get(slug, ()), source) if slug != source else (source,)
        for group in GROUPS:
            datasets[group] = group_sources(group, loaded)
        return cls(version, snapshots, datasets, slugs)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.snapshots)

    def select(self, dataset: str) -> tuple[str, ...]:
        """The loaded sources a dataset names: 404 for a name nobody knows, 503 for one with nothing loaded."""
        found = self.datasets.get(dataset)
        if found is None and dataset not in SOURCES and dataset not in _KNOWN_SLUGS:
            names = ", ".join([*GROUPS, *sorted(self.slugs.values())])
            raise NotFoundError(f"no dataset {dataset!r} (datasets: {names}; a source by its name or its slug)")
        if not found:
            raise UnavailableError(f"dataset {dataset!r}: none of its lists is loaded; run `clearance lists update`")
        return found

    def card(self, entity: Entity, snapshot_id: int | None) -> dict[str, Any]:
        """The entity's `EntityResponse` fields, made once per snapshot."""
        return self.cards.get(entity, snapshot_id, self._card)

    def _card(self, entity: Entity) -> dict[str, Any]:
        main = next(ftm_entities(entity))
        snapshot = self.snapshots.get(entity.source)
        return {
            "id": entity.id,
            "caption": entity.name,
            "schema_": main["schema"],
            "properties": main["properties"],
            "datasets": [self.slugs.get(entity.source) or dataset_name(entity.source)],
            "referents": [main["id"]],
            "target": True,
            "first_seen": None,
            "last_seen": seen_at(snapshot) if snapshot is not None else None,
            "last_change": None,
        }

    def entity_response(self, entity: Entity, snapshot_id: int | None) -> EntityResponse:
        return EntityResponse.model_construct(**self.card(entity, snapshot_id))


_scopes: list[tuple[ListVersion | None, Scope]] = []
_scopes_lock = threading.Lock()


def scope_of(version: ListVersion | None) -> Scope:
    """The scope of a list version, made once per version object: a worker serves one, two while swapping, and
    keeps no more, so a swapped-out version is freed with its screener."""
    for held, scope in tuple(_scopes):
        if held is version:
            return scope
    with _scopes_lock:
        scope = Scope.of(version)
        _scopes.insert(0, (version, scope))
        del _scopes[2:]
    return scope


def full_entity(entity: Entity, scope: Scope, snapshot_id: int | None) -> EntityResponse:
    """An entity with its Sanction and crypto wallets nested under `sanctions` and `cryptoWallets`, as yente's
    `/entities` nests adjacent entities."""
    card = dict(scope.card(entity, snapshot_id))
    properties: dict[str, list[str | EntityResponse]] = {k: list(v) for k, v in card["properties"].items()}
    for other in list(ftm_entities(entity))[1:]:
        props = other["properties"]
        is_sanction = other["schema"] == "Sanction"
        caption = (props.get("program") or props.get("authority") or ["Sanction"])[0] if is_sanction else None
        nested = EntityResponse(
            id=other["id"],
            caption=caption or props.get("publicKey", ["Crypto wallet"])[0],
            schema_=other["schema"],
            properties=props,
            datasets=card["datasets"],
            target=False,
            last_seen=card["last_seen"],
        )
        properties.setdefault("sanctions" if is_sanction else "cryptoWallets", []).append(nested)
    card["properties"] = properties
    return EntityResponse.model_construct(**card)


# -- queries ------------------------------------------------------------------------------

SCHEMA_KINDS: dict[str, EntityKind | None] = {
    "Thing": None,
    "LegalEntity": None,
    "Person": EntityKind.PERSON,
    "Organization": EntityKind.ORGANIZATION,
    "Company": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}
"""The FtM schemas a query may have, and the kind of party each screens as (None: any kind)."""

SEARCH_SCHEMAS: dict[str, frozenset[str]] = {
    "Thing": frozenset(_SCHEMA.values()),
    "LegalEntity": frozenset({"Person", "Organization", "LegalEntity"}),
    "Person": frozenset({"Person"}),
    "Organization": frozenset({"Organization"}),
    "Company": frozenset({"Organization"}),
    "PublicBody": frozenset({"Organization"}),
    "Vessel": frozenset({"Vessel"}),
    "Airplane": frozenset({"Airplane"}),
}
"""The schemas of listed entities a search for a schema returns (the lists do not tell a company from
another organisation, so `Company` finds organisations)."""

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
DOB_PROPS = ("birthDate",)
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "mainCountry")
ID_PROPS = (
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "passportNumber",
    "socialSecurityNumber",
    "vatCode",
    "imoNumber",
    "mmsi",
    "callSign",
    "serialNumber",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "kppCode",
    "bikCode",
    "swiftBic",
    "leiCode",
    "dunsCode",
    "uniqueEntityId",
    "npiCode",
    "publicKey",
)
"""The FtM properties screened as identifiers; other properties are taken and not screened (as yente does
with those it has no use for)."""

MAX_SCREENINGS = 100
"""Party screenings one query may make (names x dates of birth x countries): some 50 ms at most."""


@dataclass(frozen=True)
class Plan:
    """What one query screens: a party per name, date of birth and country it gives."""

    parties: tuple[Party, ...]
    names: tuple[str, ...]
    notes: tuple[str, ...]
    """Values left out (not a date, not a country), for the answer's warnings."""


def texts(value: str | Sequence[Any] | None) -> list[str]:
    """A property's values as text, in order and once each; what is not text or a number is left out."""
    found: list[str] = []
    for item in [value] if isinstance(value, str) else value or ():
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if text and text not in found:
                found.append(text)
    return found


def echo(example: EntityExample) -> EntityExample:
    """The query as read: every property a list of text (yente echoes its cleaned query alike)."""
    properties: dict[str, str | list[Any]] = {}
    for prop, value in example.properties.items():
        values = texts(value)
        if values:
            properties[prop] = values
    return EntityExample(id=example.id, schema_=example.schema_, properties=properties)


def plan(example: EntityExample) -> Plan:
    """The parties a query screens as; `InputError` when it gives nothing to screen by."""
    if example.schema_ not in SCHEMA_KINDS:
        raise InputError(f"schema: {example.schema_!r} is not one clearance screens ({', '.join(SCHEMA_KINDS)})")
    kind = SCHEMA_KINDS[example.schema_]
    props = {prop: texts(value) for prop, value in example.properties.items()}
    names: list[str] = []
    for prop in NAME_PROPS:
        for name in props.get(prop, ()):
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    if not names:
        names = combined_names(props)
    for name in names:
        if len(name) > MAX_NAME_LENGTH:
            raise InputError(f"name: too long ({len(name):,} characters; at most {MAX_NAME_LENGTH:,})")
    notes: list[str] = []
    dobs: list[str] = []
    for prop in DOB_PROPS:
        for value in props.get(prop, ()):
            date = parse_date(value.split("T", 1)[0])
            if date is None:
                notes.append(f"{prop} {value!r} is not a date: left out")
            elif str(date) not in dobs:
                dobs.append(str(date))
    countries: list[str] = []
    for prop in COUNTRY_PROPS:
        for value in props.get(prop, ()):
            code = to_iso2(value)
            if code is None:
                notes.append(f"{prop} {value!r} is not a country: left out")
            elif code not in countries:
                countries.append(code)
    ids = tuple(dict.fromkeys(value for prop in ID_PROPS for value in props.get(prop, ())))
    if not names and not ids:
        raise InputError(f"properties: no name ({', '.join(NAME_PROPS)}) and no identifier to screen by")
    count = max(len(names), 1) * max(len(dobs), 1) * max(len(countries), 1)
    if count > MAX_SCREENINGS:
        raise InputError(
            f"properties: {len(names)} names x {len(dobs)} dates of birth x {len(countries)} countries make {count} "
            f"screenings (at most {MAX_SCREENINGS}); send fewer values, or split the query"
        )
    dob_options: list[str | None] = [*dobs] or [None]
    country_options: list[str | None] = [*countries] or [None]
    parties = tuple(
        Party(name=name, kind=kind, dob=dob, country=country, identifiers=ids)
        for name, dob, country in product(names or [""], dob_options, country_options)
    )
    return Plan(parties, tuple(names), tuple(notes))


def combined_names(props: dict[str, list[str]]) -> list[str]:
    """Full names from name parts (`firstName`, `lastName`, ...), for a query that gives no whole name."""
    parts = [props.get(prop) or [""] for prop in NAME_PARTS]
    if not any(any(values) for values in parts):
        return []
    names = [" ".join(part for part in combo if part) for combo in product(*parts)]
    return list(dict.fromkeys(names))[:MAX_SCREENINGS]


@dataclass(frozen=True)
class Selection:
    """Which hits a request keeps: by source, schema and id."""

    sources: frozenset[str] | None
    """None: every source loaded."""
    schemas: frozenset[str] = frozenset()
    """Schemas left out."""
    entity_ids: frozenset[str] = frozenset()
    """Ids (or FtM referents) left out."""

    def keeps(self, hit: Hit) -> bool:
        entity = hit.entity
        if self.sources is not None and entity.source not in self.sources:
            return False
        if self.schemas and _SCHEMA[entity.kind] in self.schemas:
            return False
        return not self.entity_ids or (entity.id not in self.entity_ids and ftm_id(entity.id) not in self.entity_ids)


def merged(hits: Iterable[Hit], selection: Selection) -> list[Hit]:
    """One hit per entity, its best, best first: the hits of every party a query screened as."""
    best: dict[str, Hit] = {}
    for hit in hits:
        if not selection.keeps(hit):
            continue
        kept = best.get(hit.entity.id)
        if kept is None or hit.score > kept.score:
            best[hit.entity.id] = hit
    return sorted(best.values(), key=lambda hit: (-hit.score, hit.entity.id))


def features(hit: Hit) -> dict[str, FeatureResult]:
    """The hit's score broken down into features named like nomenklatura's."""
    why = hit.explanation
    listed = why.matched_name
    found = {
        "name_match": FeatureResult(
            detail=f"{why.query_name!r} ~ {listed.full!r} ({listed.quality.value} name)",
            score=round(why.name_score, 4),
            query=why.query_name,
            candidate=listed.full,
        )
    }
    if listed.quality is NameQuality.WEAK:
        found["weak_alias_match"] = FeatureResult(detail=f"{listed.full!r} is a weak alias", score=1.0)
    ids = []
    for item in why.evidence:
        name: str | None = None
        if item.field == "date_of_birth":
            if item.effect is Effect.AGREES:
                name = "dob_day_match" if item.exact else "dob_year_match"
            elif item.effect is Effect.CONTRADICTS:
                name = "dob_mismatch"
        elif item.field == "country":
            name = "country_match" if item.effect is Effect.AGREES else "country_mismatch"
        elif item.field == "kind":
            name = "kind_mismatch"
        elif item.field == "identifier":
            ids.append(item.detail)
        if name is not None:
            found[name] = FeatureResult(detail=item.detail, score=1.0)
    if ids:
        found["identifier_match"] = FeatureResult(detail="; ".join(ids), score=1.0)
    return found


def scored(hit: Hit, scope: Scope, threshold: float) -> ScoredEntityResponse:
    explanations = features(hit)
    score = round(hit.score, 4)
    return ScoredEntityResponse.model_construct(
        **scope.card(hit.entity, hit.snapshot_id),
        score=score,
        match=score >= threshold,
        explanations=explanations,
        features={name: feature.score for name, feature in explanations.items()},
        explanation=ExplanationResult.of(hit.explanation),
    )


def dataset_version(snapshot: Snapshot) -> str:
    """A list version as yente names dataset versions: its date, then clearance's snapshot id."""
    return f"{seen_at(snapshot).astimezone(dt.UTC):%Y%m%d%H%M%S}-{snapshot.id}"
