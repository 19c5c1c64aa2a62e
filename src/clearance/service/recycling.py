"""Replacing a worker without failing a request: it closes its connections first, then uvicorn replaces it.

A worker's heap grows with the names it meets (decoded listed names, spellings, postings) towards
some 600 MB, and a CPython heap seldom gives memory back; a fresh worker starts at about 175 MB
and maps the same index file. So after `CLEARANCE_WORKER_MAX_REQUESTS` requests (plus up to a
tenth, drawn per worker so that workers do not go together) a worker answers every request with
`Connection: close`: each client's next request opens a new connection, which the kernel hands
to whichever worker accepts it. `DRAIN` requests later uvicorn's own limit stops the worker, by
then without an idle keep-alive connection that a client could be writing to, and starts a new one.

Off by default: a connection accepted in the worker's last instant can still be reset before its
request is read (2 in 20,000 requests in `bench/service_load.py`). Screening has no side effects,
so a client may send such a request again; one that cannot should leave this off.
"""

from __future__ import annotations

import random

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DRAIN = 500
"""Requests a worker answers with `Connection: close` before uvicorn replaces it."""


def uvicorn_limit(max_requests: int) -> int:
    """uvicorn's `limit_max_requests`: past the latest point any worker starts closing its connections."""
    return max_requests + max_requests // 10 + DRAIN


class Recycling:
    """Counts this worker's requests, and past its limit asks every client to close its connection."""

    def __init__(self, app: ASGIApp, max_requests: int) -> None:
        self.app = app
        self.closing_from = max_requests + random.randint(0, max_requests // 10)
        self.served = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.served += 1
        if self.served < self.closing_from:
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), (b"connection", b"close")]
            await send(message)

        await self.app(scope, receive, closing)
