"""The ASGI application: routes over one `Serving` per worker process."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

from clearance import __version__, web
from clearance.goods.shipment import Shipment
from clearance.service import observe, problems
from clearance.service.recycling import Recycling
from clearance.service.routes import cases, lists, match, screen
from clearance.service.serving import Serving
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings


def create_app(settings: Settings | None = None, service: ServiceSettings | None = None) -> FastAPI:
    """The service over the store the settings name (by default, the environment's, as the CLI's)."""
    store_settings = settings or Settings.from_env()
    service_settings = service or ServiceSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        served = Serving(store_settings, service_settings)
        served.start()
        app.state.serving = served
        try:
            yield
        finally:
            served.stop()

    app = FastAPI(
        title="clearance",
        version=__version__,
        summary="Sanctions and export-control screening against the official lists",
        lifespan=lifespan,
    )
    problems.install(app)
    observe.install(app, service_settings)
    if service_settings.worker_max_requests > 0:
        app.add_middleware(Recycling, max_requests=service_settings.worker_max_requests)
    if service_settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(service_settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-API-Key", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    app.include_router(match.router)
    app.include_router(screen.router)
    app.include_router(lists.router)
    app.include_router(cases.router)
    web.install(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, with the shipment model that `/screen/shipment` reads itself (so that it can take
    YAML too and name the field at fault its own way) among the components."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes, openapi_version="3.1.0"
        )
        shipment = Shipment.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(shipment.pop("$defs", {}))
        components["Shipment"] = shipment
        app.openapi_schema = schema
    return app.openapi_schema


def openapi() -> dict[str, Any]:
    """The service's OpenAPI schema (docs/openapi.json is this, written out; a test keeps it current)."""
    return create_app(Settings(home=Path("clearance-home")), ServiceSettings()).openapi()


def write_openapi(path: Path) -> None:
    path.write_text(json.dumps(openapi(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
