"""yente-compatible matching, search, entities and catalogue.

A client written for yente (the OpenSanctions API) works against these routes unchanged; the shapes,
and the choices where clearance differs from yente, are in `clearance.service.ftm`.

`POST /match/{dataset}` is the hot path. A party screening takes about half a millisecond, so a small
batch screens on the event loop; the answer is written by its model's own serializer, never validated a
second time; and the FtM form of a listed entity is made once per list version. A batch that would hold
the loop for long goes to the thread pool instead, where it does not stall other requests.

A match result is one designation (`matching/designation.py`), as OpenSanctions merges one party's
records: its best list entry, with the other lists' entries of it in `datasets` and `referents`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache, partial
from math import ceil
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from clearance.app import Clearance, Freshness
from clearance.errors import InputError, NotFoundError
from clearance.lists.registry import get_source
from clearance.matching import ALGORITHM, DEFAULT_THRESHOLD, Party, Screener
from clearance.matching.designation import designations
from clearance.model import Entity
from clearance.service.auth import Role, require
from clearance.service.datasets import (
    GROUPS,
    Scope,
    dataset_name,
    full_entity,
    group_sources,
    schema_of,
    scope_of,
    seen_at,
)
from clearance.service.deps import Served, json_response
from clearance.service.problems import PROBLEM_RESPONSES
from clearance.service.queries import (
    SCHEMA_KINDS,
    SEARCH_SCHEMAS,
    Plan,
    Selection,
    dataset_version,
    echo,
    merged,
    plan,
    scored,
)
from clearance.service.yente import (
    AlgorithmResponse,
    DataCatalogModel,
    DatasetEntry,
    EntityExample,
    EntityMatches,
    EntityMatchQuery,
    EntityMatchResponse,
    EntityResponse,
    SearchResponse,
    TotalSpec,
    algorithm_named,
    algorithms,
)
from clearance.store import Snapshot

router = APIRouter(tags=["yente"], responses=PROBLEM_RESPONSES, dependencies=[Depends(require(Role.SCREEN))])


MATCH_PAGE = 5
MAX_MATCHES = 500
MAX_BATCH = 100
"""Queries in one `/match` request, as yente allows."""
INLINE_SCREENINGS = 8
"""Party screenings a `/match` request runs on the event loop (a few milliseconds); more go to the thread pool."""
MAX_CANDIDATES = 240
"""Candidates scored per name when a dataset leaves some lists out: eight times the screener's own, so that
the entries of the lists kept are not crowded out by those of the lists left out before they are filtered."""
SEARCH_CUTOFF = 0.5
"""The lowest score `/search` returns: below it, a name shares little more than a common word with the query."""
MAX_SEARCH = 1_000
"""Entities a search ranks at most, and so the furthest it pages: a name is like few more than this."""
UNLIMITED = 1_000_000
TS_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?$"

DatasetPath = Annotated[
    str,
    Path(
        description="A list (`un`, `ofac-sdn` or its slug `ofac_sdn`, `custom:NAME`) or a group: `default` and "
        "`sanctions` (every official list), `us`, `all` (watchlists of one's own too).",
        examples=["default"],
    ),
]
Names = Annotated[list[str] | None, Query()]


def selection(
    scope: Scope,
    dataset: str,
    include_dataset: Sequence[str] = (),
    exclude_dataset: Sequence[str] = (),
    exclude_schema: Sequence[str] = (),
    exclude_entity_ids: Sequence[str] = (),
    topics: Sequence[str] = (),
    changed_since: str | None = None,
) -> Selection:
    """The hits a request keeps: an unknown dataset to match in or include is a 404; one to exclude is no error,
    since leaving out what is not there leaves nothing out."""
    sources = set(scope.select(dataset))
    if include_dataset:
        sources &= {source for name in include_dataset for source in scope.select(name)}
    for name in exclude_dataset:
        sources -= set(scope.datasets.get(name, ()))
    if topics and "sanction" not in topics:
        sources = set()  # every listed entity's only topic is `sanction`
    if changed_since:
        try:
            when = dt.datetime.fromisoformat(changed_since)
        except ValueError:
            raise InputError(f"changed_since: not a date: {changed_since!r}") from None
        when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        # An entity changed last by its list version's date at the latest: a version from before the date holds
        # none changed since. Of a later one, every entity is kept (changes are not tracked per entity here).
        sources -= {source for source, snapshot in scope.snapshots.items() if seen_at(snapshot) < when}
    return Selection(
        sources=None if sources == set(scope.sources) else frozenset(sources),
        schemas=frozenset(exclude_schema),
        entity_ids=frozenset(exclude_entity_ids),
    )


def screener_for(screener: Screener, scope: Scope, kept: Selection) -> Screener:
    """The screener, scoring more candidates when hits will be filtered out, so that filtering loses none of
    those kept to the candidate limit."""
    limit = screener.candidate_limit
    if kept.sources is not None and kept.sources:
        limit = min(MAX_CANDIDATES, limit * ceil(len(scope.sources) / len(kept.sources)))
    limit += len(kept.entity_ids)
    return screener if limit == screener.candidate_limit else replace(screener, candidate_limit=limit)


def match_one(
    screener: Screener,
    scope: Scope,
    example: EntityExample,
    planned: Plan | InputError,
    kept: Selection,
    cutoff: float,
    threshold: float,
    limit: int,
) -> EntityMatches:
    try:
        if isinstance(planned, InputError):
            raise planned
        if kept.sources is not None and not kept.sources:  # the parameters leave no list to match in
            return EntityMatches(results=[], total=TotalSpec(value=0), query=echo(example))
        hits = merged(
            (hit for party in planned.parties for hit in screener.screen(party, threshold=cutoff, limit=UNLIMITED)),
            kept,
        )
    except InputError as exc:
        return EntityMatches(
            status=exc.status, results=[], total=TotalSpec(value=0), query=echo(example), detail=str(exc)
        )
    found = designations(hits)
    results = [scored(group.lead, scope, threshold, group.others) for group in found[:limit]]
    total = sum(1 for group in found if round(group.lead.score, 4) >= threshold)
    return EntityMatches(results=results, total=TotalSpec(value=total), query=echo(example))


def match_all(
    screener: Screener,
    scope: Scope,
    queries: dict[str, EntityExample],
    plans: dict[str, Plan | InputError],
    kept: Selection,
    cutoff: float,
    threshold: float,
    limit: int,
) -> dict[str, EntityMatches]:
    return {
        key: match_one(screener, scope, example, plans[key], kept, cutoff, threshold, limit)
        for key, example in queries.items()
    }


class MatchParams(BaseModel):
    """The query parameters of `/match`, as yente takes them.

    Read by hand (`read`) and documented from this model: FastAPI's machinery for ten declared parameters
    costs some 160 microseconds a request, a quarter of the time a listed name's whole answer takes.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    limit: int = Field(default=MATCH_PAGE, ge=1, le=MAX_MATCHES, title="Results per query")
    threshold: float = Field(
        default=DEFAULT_THRESHOLD, ge=0, le=1, title="Scores at or above this are matches (`match: true`)"
    )
    cutoff: float | None = Field(
        default=None,
        ge=0,
        le=1,
        title="The lowest score returned",
        description="By default the threshold, so results are the matches: yente 5 does the same (its cutoff "
        "defaults to its threshold); below the threshold the algorithm was tuned to call no match; and names "
        "that cannot reach the threshold are never aligned, which keeps screening fast. Lower it to see near "
        "misses (`match: false`); above the threshold, it is the threshold.",
    )
    algorithm: str = Field(default=ALGORITHM, title=f"`{ALGORITHM}`; yente's names (`best`, `logic-v2`, ...) run it")
    include_dataset: list[str] = Field(default_factory=list, title="Only entities of these datasets (in the scope)")
    exclude_dataset: list[str] = Field(default_factory=list, title="No entities of these datasets")
    exclude_schema: list[str] = Field(default_factory=list, title="No entities of these FtM schemas")
    exclude_entity_ids: list[str] = Field(default_factory=list, title="Entity ids (or FtM referents) left out")
    topics: list[str] = Field(default_factory=list, title="Only entities with one of these topics (`sanction`)")
    changed_since: str | None = Field(
        default=None, pattern=TS_PATTERN, title="Only lists published (else loaded) since this date"
    )

    @classmethod
    def read(cls, request: Request) -> MatchParams:
        """The request's parameters; 422, as FastAPI answers, when one is out of bounds."""
        query = request.query_params
        data = {name: query.getlist(name) if name in _LISTS else query[name] for name in query if name in _FIELDS}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": ("query", *error["loc"])} for error in exc.errors()]
            ) from None

    @classmethod
    def openapi(cls) -> list[dict[str, Any]]:
        """The parameters as OpenAPI declares query parameters."""
        schema = cls.model_json_schema()
        return [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {k: v for k, v in prop.items() if k != "description"},
                **({"description": prop["description"]} if "description" in prop else {}),
            }
            for name, prop in schema["properties"].items()
        ]


_FIELDS = frozenset(MatchParams.model_fields)
_LISTS = frozenset(name for name, info in MatchParams.model_fields.items() if info.annotation == list[str])


@router.post(
    "/match/{dataset}",
    response_model=EntityMatchResponse,
    summary="Match entities by example: yente's API, screened by clearance",
    openapi_extra={"parameters": MatchParams.openapi()},
)
async def match(dataset: DatasetPath, body: EntityMatchQuery, request: Request, served: Served) -> Response:
    """Screen each query (a FollowTheMoney entity: schema and properties) against the lists of a dataset.

    Every `name`, `alias`, `previousName` and `weakAlias` is screened (or the full name the name parts make),
    with each `birthDate` and each of `nationality`, `citizenship`, `country` and `jurisdiction`, and every
    identifier; an entity found by several is returned once, at its best score. A query that cannot be
    screened answers 422 with a `detail` in its own entry; the rest of the batch is screened.
    """
    params = MatchParams.read(request)
    algorithm_named(params.algorithm)
    screener = served.screener()
    scope = scope_of(screener.version)
    kept = selection(
        scope,
        dataset,
        params.include_dataset,
        params.exclude_dataset,
        params.exclude_schema,
        params.exclude_entity_ids,
        params.topics,
        params.changed_since,
    )
    if not body.queries:
        raise InputError("queries: none given")
    if len(body.queries) > MAX_BATCH:
        raise InputError(f"queries: {len(body.queries)} in one request (at most {MAX_BATCH})")
    threshold = params.threshold
    low = threshold if params.cutoff is None else min(params.cutoff, threshold)
    plans: dict[str, Plan | InputError] = {}
    for key, example in body.queries.items():
        try:
            plans[key] = plan(example)
        except InputError as exc:
            plans[key] = exc
    planned = [p for p in plans.values() if isinstance(p, Plan)]
    request.state.names = tuple(name for p in planned for name in p.names)
    screening = screener_for(screener, scope, kept)
    run = partial(match_all, screening, scope, body.queries, plans, kept, low, threshold, params.limit)
    screenings = sum(len(p.parties) for p in planned)
    responses = run() if screenings <= INLINE_SCREENINGS else await run_in_threadpool(run)
    request.state.hits = sum(1 for found in responses.values() for result in found.results if result.match)
    fields = served.app.screening_fields(screener, threshold)
    notes = [f"{key}: {note}" for key, p in plans.items() if isinstance(p, Plan) for note in p.notes]
    if body.weights or body.config:
        notes.append(f"weights and config tune yente's algorithms; {ALGORITHM} takes none, so they were ignored")
    result = EntityMatchResponse(
        responses=responses,
        limit=params.limit,
        cutoff=low,
        threshold=fields["threshold"],
        list_version=fields["list_version"],
        warnings=(*fields.get("warnings", ()), *notes),
        screened_at=fields["screened_at"],
    )
    return json_response(result, {"x-batch-size": str(len(responses))})


@router.get("/search/{dataset}", response_model=SearchResponse, summary="Listed entities by name (yente's API)")
def search(
    dataset: DatasetPath,
    request: Request,
    served: Served,
    q: Annotated[str, Query(title="A name, or part of one")] = "",
    schema: Annotated[str, Query(title="Entities of this FtM schema (and those below it)")] = "Thing",
    limit: Annotated[int, Query(ge=1, le=500)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_SEARCH)] = 0,
    include_dataset: Names = None,
    exclude_dataset: Names = None,
    exclude_schema: Names = None,
    topics: Names = None,
    changed_since: Annotated[str | None, Query(pattern=TS_PATTERN)] = None,
) -> Response:
    """The listed entities whose names are like `q`, best first: a look-up for people, not a screening (for
    that, `/match` takes dates of birth, countries and identifiers, and records the list version)."""
    if schema not in SEARCH_SCHEMAS:
        raise InputError(f"schema: {schema!r} is not one the lists hold ({', '.join(SEARCH_SCHEMAS)})")
    text = " ".join(q.split())
    if not text:
        raise InputError("q: give a name, or part of one, to search for")
    request.state.names = (text,)
    screener = served.screener()
    scope = scope_of(screener.version)
    kept = selection(
        scope,
        dataset,
        include_dataset or (),
        exclude_dataset or (),
        exclude_schema or (),
        topics=topics or (),
        changed_since=changed_since,
    )
    wanted = offset + limit
    base = screener_for(screener, scope, kept)
    searcher = replace(base, candidate_limit=min(MAX_SEARCH, max(base.candidate_limit, 2 * wanted)))
    schemas = SEARCH_SCHEMAS[schema]
    party = Party(name=text, kind=SCHEMA_KINDS[schema])
    found = merged(searcher.screen(party, threshold=SEARCH_CUTOFF, limit=UNLIMITED), kept)
    hits = [hit for hit in found if schema_of(hit.entity) in schemas]
    results = [scope.entity_response(hit.entity, hit.snapshot_id) for hit in hits[offset:wanted]]
    return json_response(SearchResponse(limit=limit, offset=offset, total=TotalSpec(value=len(hits)), results=results))


@router.get(
    "/entities/{entity_id:path}",
    response_model=EntityResponse,
    summary="A listed entity in FollowTheMoney form, its sanction nested (yente's API)",
)
def entity(
    entity_id: Annotated[str, Path(description="clearance's id of the entity", examples=["un:KPi.033"])],
    served: Served,
) -> Response:
    """The entity as the list version served states it, with when it was first listed and last changed
    among the versions kept (`first_seen`, `last_change`), and that version's date (`last_seen`)."""
    screener = served.screener()
    scope = scope_of(screener.version)
    source = max((s for s in scope.sources if entity_id.startswith(f"{s}:")), key=len, default=None)
    if source is None:
        raise NotFoundError(f"no entity {entity_id} in the lists served")
    snapshot = scope.snapshots[source]
    found = served.app.entity(entity_id, snapshot.id)
    first_seen, last_change = history(served.app, found, snapshot)
    response = full_entity(found, scope, snapshot.id)
    return json_response(response.model_copy(update={"first_seen": first_seen, "last_change": last_change}))


def history(app: Clearance, found: Entity, served: Snapshot) -> tuple[dt.datetime, dt.datetime]:
    """When the entity was first listed, and since when it has been as it is now, among its source's
    versions up to the one served (by their dates: publisher's, else loaded)."""
    first_seen = last_change = seen_at(served)
    same = True
    for snapshot in sorted((s for s in app.snapshots(found.source) if s.id < served.id), key=lambda s: -s.id):
        try:
            earlier = app.entity(found.id, snapshot.id)
        except NotFoundError:
            same = False
            continue
        first_seen = min(first_seen, seen_at(snapshot))
        same = same and earlier == found
        if same:
            last_change = min(last_change, seen_at(snapshot))
    return first_seen, last_change


@router.get("/catalog", response_model=DataCatalogModel, summary="The lists and groups served (yente's API)")
def catalog(served: Served) -> Response:
    """Every list loaded or expected, and the groups; `current` the lists that are current and screened
    against, `outdated` the others: stale, undated, not loaded, or not yet the version screened."""
    loaded = served.app.loaded
    scope = scope_of(loaded.version if loaded is not None else None)
    expected = served.settings.expected_sources
    entries: list[DatasetEntry] = []
    current: list[str] = []
    outdated: list[str] = []
    statuses = served.app.status(expected)
    for status in statuses:
        name = dataset_name(status.source)
        snapshot = status.snapshot
        screened = scope.snapshots.get(status.source)
        source = get_source(status.source)
        version = dataset_version(snapshot) if snapshot is not None else None
        index_version = dataset_version(screened) if screened is not None else None
        entry = DatasetEntry(
            name=name,
            title=source.title,
            summary=f"clearance list `{status.source}`",
            url=source.homepage,
            updated_at=seen_at(snapshot) if snapshot is not None else None,
            last_export=snapshot.loaded_at if snapshot is not None else None,
            entity_count=snapshot.entity_count if snapshot is not None else None,
            thing_count=snapshot.entity_count if snapshot is not None else None,
            version=version,
            load=True,
            index_version=index_version,
            index_current=version is not None and version == index_version,
            source=status.source,
            freshness=status.freshness.value,
            warning=status.warning(status.source in expected),
        )
        fresh = status.freshness in (Freshness.CURRENT, Freshness.OWN)
        (current if entry.index_current and fresh else outdated).append(name)
        entries.append(entry)
    listed = {entry.source: entry for entry in entries if entry.source is not None}
    for group, title in GROUPS.items():
        children = [listed[source] for source in group_sources(group, listed)]
        entries.append(
            DatasetEntry(
                name=group,
                title=title,
                updated_at=max((c.updated_at for c in children if c.updated_at is not None), default=None),
                entity_count=sum(c.entity_count or 0 for c in children),
                thing_count=sum(c.thing_count or 0 for c in children),
                version=_joined(c.version for c in children),
                children=[c.name for c in children],
                load=False,
                index_version=_joined(c.index_version for c in children),
                index_current=all(c.index_current for c in children),
            )
        )
    body = DataCatalogModel(datasets=entries, current=current, outdated=outdated, index_stale=bool(outdated))
    return json_response(body)


def _joined(versions: Iterable[str | None]) -> str:
    """A group's version: a digest of its lists' versions."""
    return hashlib.sha256("\n".join(v or "-" for v in versions).encode()).hexdigest()[:16]


@cache
def _algorithms() -> bytes:
    return AlgorithmResponse.__pydantic_serializer__.to_json(algorithms())


@router.get("/algorithms", response_model=AlgorithmResponse, summary="The matching algorithm (yente's API)")
async def algorithm_list() -> Response:
    """clearance runs one algorithm; yente's names are accepted for it, so `best` and `default` name it too."""
    return Response(_algorithms(), media_type="application/json")
