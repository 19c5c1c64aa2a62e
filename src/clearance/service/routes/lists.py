"""The lists served, health, readiness, and the administrator's list updates and roll-backs."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from clearance.lists.registry import get_source
from clearance.results import ListVersionInfo
from clearance.service.auth import Role, require
from clearance.service.deps import Served
from clearance.service.problems import PROBLEM_RESPONSES
from clearance.service.serving import Serving
from clearance.service.updates import UpdateJob

router = APIRouter(responses=PROBLEM_RESPONSES)


class SourceState(BaseModel):
    source: str
    freshness: str
    snapshot_id: int | None
    published: str | None
    age_days: float | None
    warning: str | None


class ListsResponse(BaseModel):
    """The version this worker serves, each source's freshness, and the latest update's fate."""

    serving: ListVersionInfo | None = Field(description="None until a version has loaded.")
    sources: list[SourceState]
    update: UpdateJob | None = Field(description="The latest list update the service ran, if any.")
    problems: list[str] = Field(description="A failed swap, a failed or held update: the old version serves on.")


class Readiness(BaseModel):
    ready: bool
    list_version: str | None
    problems: list[str]


class UpdateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: tuple[str, ...] = Field(default=(), description="Sources to update; none: every official one.")


@router.get("/healthz", tags=["service"], summary="The process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    tags=["service"],
    response_model=Readiness,
    summary="Ready when a list version is loaded; says when an update failed and the old version serves",
    responses={503: {"model": Readiness, "description": "No list version is loaded"}},
)
async def readyz(served: Served) -> JSONResponse:
    screener = served.app.loaded
    problems = await run_in_threadpool(served.problems)
    body = Readiness(
        ready=screener is not None,
        list_version=screener.version.digest if screener is not None and screener.version else None,
        problems=problems,
    )
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)


def _lists(served: Serving) -> ListsResponse:
    screener = served.app.loaded
    now = served.app.now()
    version = screener.version if screener is not None else None
    expected = served.settings.expected_sources
    rows = []
    for status in served.app.status(expected):
        snapshot = status.snapshot
        rows.append(
            SourceState(
                source=status.source,
                freshness=status.freshness.value,
                snapshot_id=snapshot.id if snapshot else None,
                published=snapshot.published.isoformat() if snapshot and snapshot.published else None,
                age_days=round(status.age.total_seconds() / 86400, 2) if status.age is not None else None,
                warning=status.warning(status.source in expected),
            )
        )
    return ListsResponse(
        serving=ListVersionInfo.of(version, now) if version is not None else None,
        sources=rows,
        update=served.job(),
        problems=served.problems(),
    )


@router.get(
    "/lists",
    tags=["lists"],
    response_model=ListsResponse,
    summary="The list version served and each list's freshness",
    dependencies=[Depends(require(Role.SCREEN))],
)
def lists(served: Served) -> ListsResponse:
    return _lists(served)


@router.post(
    "/admin/update",
    tags=["admin"],
    status_code=202,
    response_model=UpdateJob,
    summary="Update the lists in the background; workers swap to the new version when its index is ready",
    dependencies=[Depends(require(Role.ADMIN))],
)
def update(body: UpdateRequest, served: Served) -> UpdateJob:
    for name in body.sources:
        get_source(name)
    return served.start_update(body.sources)


@router.post(
    "/admin/activate/{snapshot_id}",
    tags=["admin"],
    status_code=202,
    response_model=UpdateJob,
    summary="Make a kept snapshot its source's active one (a roll-back) in the background; workers swap to it",
    dependencies=[Depends(require(Role.ADMIN))],
)
def activate(snapshot_id: int, served: Served) -> UpdateJob:
    served.app.store.snapshot(snapshot_id)  # an unknown id is a 404 now, not a failed job later
    return served.start_update(activate=snapshot_id)
