"""`clearance serve`: the HTTP service over the same home as the other commands."""

from __future__ import annotations

from typing import Annotated

import typer

from clearance.cli.app import app
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
    """Serve screening over HTTP (docs/service.md); the lists are those `clearance lists update` loads."""
    import uvicorn

    Settings.from_env()  # a bad setting stops here, not in every worker
    ServiceSettings.from_env()
    uvicorn.run(
        "clearance.service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        server_header=False,
    )
