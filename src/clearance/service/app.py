"""The ASGI application: routes over one `Serving` per worker process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from clearance import __version__
from clearance.service import observe, problems
from clearance.service.routes import lists, match, screen
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
    if service_settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(service_settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
        )
    app.include_router(match.router)
    app.include_router(screen.router)
    app.include_router(lists.router)
    return app
