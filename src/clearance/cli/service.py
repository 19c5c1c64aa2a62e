"""`clearance serve`: the HTTP service over the same home as the other commands."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Annotated

import typer

from clearance.cli.app import app, notice
from clearance.service.keys import KEY_FILE, KeyStore
from clearance.service.observe import MULTIPROCESS_ENV, log_config
from clearance.service.recycling import uvicorn_limit
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; put a reverse proxy in front for others.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes; they share one persisted index.")] = 1,
) -> None:
    """Serve screening over HTTP (docs/service.md); the lists are those `clearance lists update` loads.

    Logs are JSON lines: one per request on stdout, the rest on stderr.
    """
    import uvicorn

    settings = Settings.from_env()  # a bad setting stops here, not in every worker
    service = ServiceSettings.from_env()
    if service.auth and not _has_keys(settings):
        notice("no API key is valid yet: calls needing one are refused until `clearance keys create` makes one")
    # Several workers count in files of a folder of their own, which `/metrics` adds up: a fresh one each
    # run, as files left by an earlier run would be counted again. Set before the workers start (and import
    # prometheus_client), as the library chooses its mode on import.
    # A lone worker is the whole service: it is never replaced (nor closes its connections to be).
    recycled = workers > 1 and service.worker_max_requests > 0
    if not recycled:
        os.environ["CLEARANCE_WORKER_MAX_REQUESTS"] = "0"
    metrics_dir = tempfile.mkdtemp(prefix="clearance-metrics-") if workers > 1 else None
    if metrics_dir is not None:
        os.environ[MULTIPROCESS_ENV] = metrics_dir
    try:
        uvicorn.run(
            "clearance.service.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=False,
            server_header=False,
            log_config=log_config(),
            limit_max_requests=uvicorn_limit(service.worker_max_requests) if recycled else None,
        )
    finally:
        if metrics_dir is not None:
            os.environ.pop(MULTIPROCESS_ENV, None)
            shutil.rmtree(metrics_dir, ignore_errors=True)


def _has_keys(settings: Settings) -> bool:
    if not (settings.home / KEY_FILE).is_file():
        return False
    with KeyStore.of_home(settings.home, timeout=settings.lock_timeout, create=False) as store:
        return any(key.revoked_at is None for key in store.keys())
