"""Who may call, how often, and how much they may send: API keys and their roles, a rate per key, body sizes.

Routes declare the role they need with `Depends(require(Role.SCREEN))`; `/healthz`,
`/readyz` and `/metrics` declare none, so probes and scrapers need no key. A key
comes as `Authorization: ApiKey <key>` (what yente and OpenSanctions clients send),
`Authorization: Bearer <key>` or `X-API-Key: <key>` (keys: `clearance.service.keys`).

The rate limit is a token bucket per key and worker: `rate_limit` requests a second,
bursts of twice as many. Per worker, because sharing buckets across processes would
put a lock or a round trip on every request; with N workers a key may get up to N
times the rate, which bounds a runaway client just as well.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import HTTPException, Request
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearance.service.keys import KeyRing, Role
from clearance.service.problems import problem
from clearance.service.settings import ServiceSettings

__all__ = ["BodyLimit", "Caller", "Gate", "RateLimiter", "Role", "require"]

log = logging.getLogger("clearance.service")
BATCH_PATH = "/screen/batch"
CHALLENGE = {"WWW-Authenticate": "ApiKey"}
_SCHEMES = ("apikey", "bearer")


@dataclass(frozen=True)
class Caller:
    key_id: str | None
    role: Role


class RateLimiter:
    """Token buckets by caller: `rate` a second, up to twice as many at once."""

    most_callers = 10_000
    """Buckets kept before idle ones are dropped: callers by address (without keys) are unbounded."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.burst = max(1.0, 2 * rate)
        self._buckets: dict[str, list[float]] = {}

    def wait(self, caller: str) -> float:
        """0 when the caller may go on now (and a token is taken); else the seconds until it may."""
        now = time.monotonic()
        bucket = self._buckets.get(caller)
        if bucket is None:
            if len(self._buckets) >= self.most_callers:
                self._forget_idle(now)
            bucket = self._buckets[caller] = [self.burst, now]
        tokens = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
        bucket[1] = now
        if tokens >= 1:
            bucket[0] = tokens - 1
            return 0.0
        bucket[0] = tokens
        return (1 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        """Drop full buckets (their callers lose nothing); all of them if that frees too little."""
        refill = self.burst / self.rate
        self._buckets = {who: b for who, b in self._buckets.items() if now - b[1] < refill}
        if len(self._buckets) >= self.most_callers // 2:
            self._buckets = {}


class Gate:
    """One worker's keys and rate buckets."""

    def __init__(self, home: Path, service: ServiceSettings) -> None:
        self.keys = KeyRing(home) if service.auth else None
        self.limiter = RateLimiter(service.rate_limit) if service.rate_limit > 0 else None
        if self.keys is not None and not len(self.keys):
            log.warning("no API key is valid: every call needing one is refused; `clearance keys create` makes one")

    def close(self) -> None:
        if self.keys is not None:
            self.keys.close()

    def admit(self, request: Request, needed: Role) -> Caller:
        """The caller, when its key is known and live, its role suffices and its rate allows; else HTTPException."""
        if self.keys is None:
            caller = Caller(key_id=None, role=Role.ADMIN)
            bucket = f"address:{request.client.host if request.client else ''}"
        else:
            caller = self._caller(request.headers)
            bucket = f"key:{caller.key_id}"
        request.state.key_id = caller.key_id
        if not caller.role.allows(needed):
            raise HTTPException(403, f"this API key's role ({caller.role.value}) may not do this: {needed.value} may")
        if self.limiter is not None:
            wait = self.limiter.wait(bucket)
            if wait > 0:
                after = max(1, math.ceil(wait))
                raise HTTPException(
                    429,
                    f"over {self.limiter.rate:g} requests a second for this API key; retry after {after} s",
                    headers={"Retry-After": str(after)},
                )
        return caller

    def _caller(self, headers: Headers) -> Caller:
        assert self.keys is not None
        key = presented(headers)
        if key is None:
            raise HTTPException(401, "an API key is required: send `Authorization: ApiKey <key>`", headers=CHALLENGE)
        found = self.keys.find(key)
        if found is None:
            raise HTTPException(401, "unknown API key", headers=CHALLENGE)
        if found.revoked:
            raise HTTPException(401, f"API key {found.key_id} was revoked", headers=CHALLENGE)
        return Caller(key_id=found.key_id, role=found.role)


def presented(headers: Headers) -> str | None:
    """The key sent, if any: `Authorization: ApiKey|Bearer <key>`, else `X-API-Key`."""
    authorization = headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() in _SCHEMES and token.strip():
            return token.strip()
    key = headers.get("x-api-key", "").strip()
    if key:
        return key
    if authorization:
        raise HTTPException(401, "unsupported authorization: send `Authorization: ApiKey <key>`", headers=CHALLENGE)
    return None


def require(role: Role) -> Callable[[Request], Awaitable[Caller]]:
    """A dependency admitting callers whose key has `role` (admin has every role); sets `request.state.key_id`."""

    async def caller(request: Request) -> Caller:
        gate: Gate = request.app.state.serving.gate
        return gate.admit(request, role)

    return caller


class TooLarge(HTTPException):
    """A body over the limit; an HTTPException, so FastAPI's body parsing passes it on to the problem handler."""

    def __init__(self, most: int) -> None:
        super().__init__(413, f"the request body is over the {most:,} bytes allowed here", {"Connection": "close"})


class BodyLimit:
    """Refuses a body over `max_request_bytes` (`max_batch_bytes` for a batch) with 413: by its Content-Length
    before any of it is read, else by counting it as it streams in.

    The refusal is raised where the route first reads the body, not before routing, so the request log and
    the metrics name the endpoint refused. A body framed by a Content-Length within the limit is not
    counted: the HTTP parser never passes on more than it states. Pure ASGI rather than
    `BaseHTTPMiddleware`, which costs a task and a stream per request on the hot path.
    """

    def __init__(self, app: ASGIApp, most: int, batch_most: int) -> None:
        self.app = app
        self.most = most
        self.batch_most = batch_most

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        most = self.batch_most if scope["path"].endswith(BATCH_PATH) else self.most
        length = _content_length(scope)
        if length is not None and length <= most:
            await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            if length is not None:
                raise TooLarge(most)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > most:
                    raise TooLarge(most)
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except TooLarge as exc:  # raised where no handler turned it into its answer
            if started:
                raise
            response = problem(413, "too_large", str(exc.detail), headers={"Connection": "close"})
            await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
