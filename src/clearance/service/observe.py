"""Request logs and metrics: one JSON line per request, Prometheus counters, and the body limit before both.

Every request is written to the logger `clearance.service.access` as one JSON object:
its time (UTC), request id, API key id, method, endpoint, status, latency, the list
version served and the number of hits. The endpoint is the route's template
(`/match/{dataset}`), never the path as sent, which may hold a name; and screened
names are logged only when `CLEARANCE_LOG_NAMES` is set, as they are personal data.
The request id is the client's `X-Request-ID` when it is a plain token of at most 64
characters (a proxy's or a caller's, so one id follows a request through every
log), else a new one; it is sent back in `X-Request-ID` and written on every log
line the request causes, so a 500 can be traced from its answer to its traceback.

Both middlewares are pure ASGI, not `BaseHTTPMiddleware` (a task and a stream per
request): logging and counting a request costs some tens of microseconds.

`GET /metrics` answers in Prometheus' text format. It carries counts, latencies, the
list version and the update state, never a screened name or a key; still, it is
normally kept behind the reverse proxy, for the scraper only, as it needs no key.
With several workers (`clearance serve --workers N`, which sets
`PROMETHEUS_MULTIPROC_DIR` to a fresh folder), each worker writes its counters to a
file there and whichever worker answers `/metrics` adds them all up.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearance.service.auth import BodyLimit
from clearance.service.settings import ServiceSettings
from clearance.service.updates import JobState, read_job
from clearance.store.list_version import ListVersion

ACCESS_LOGGER = "clearance.service.access"
REQUEST_ID_HEADER = "X-Request-ID"
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
DURATION_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0)
"""Seconds: a party screening takes well under a millisecond, a large batch many seconds."""

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
"""The id of the request being answered, for every log line written meanwhile."""

_SANE_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,64}")
_ID_HEADER = REQUEST_ID_HEADER.lower().encode()


class Fields(dict[str, Any]):
    """A log message made of fields: the JSON formatter merges them into its line; any other prints JSON."""

    def __str__(self) -> str:
        return json.dumps(self, ensure_ascii=False, default=str)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, then the message or its fields, the request id,
    and a traceback when there is one. Uvicorn's own lines come out so too (`log_config`)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        if isinstance(record.msg, Fields):
            entry.update(record.msg)
        else:
            entry["message"] = record.getMessage()
        current = request_id.get()
        if current is not None and "request_id" not in entry:
            entry["request_id"] = current
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(level: str = "INFO") -> dict[str, Any]:
    """The `logging.config.dictConfig` that `clearance serve` hands to uvicorn: every line JSON, request
    lines on stdout, the rest (start-up, swaps, errors) on stderr."""
    formatter = f"{JsonFormatter.__module__}.{JsonFormatter.__qualname__}"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": formatter}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
            "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["stdout"], "level": level, "propagate": False},
            "clearance": {"handlers": ["stderr"], "level": level, "propagate": False},
            ACCESS_LOGGER: {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


class Metrics:
    """The service's metrics, in this process's registry, or in the shared folder's files when several
    workers serve (then each scrape reads the files of all of them)."""

    def __init__(self, multiprocess: bool) -> None:
        self.multiprocess = multiprocess
        self.registry = CollectorRegistry()
        # in multi-process mode the values go to the files whatever the registry; none is needed
        registry = None if multiprocess else self.registry
        self.requests = Counter(
            "clearance_requests",
            "Requests answered, by endpoint and status.",
            ["endpoint", "status"],
            registry=registry,
        )
        self.duration = Histogram(
            "clearance_request_duration_seconds",
            "Time to answer, by endpoint.",
            ["endpoint"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.hits = Counter("clearance_hits", "Hits reported in answers.", registry=registry)
        self.swaps = Counter(
            "clearance_index_swaps", "List versions swapped in by the workers (each first load too).", registry=registry
        )
        self.version = Gauge(
            "clearance_list_version_info",
            "1 for the list version served (its digest), 0 for one served before.",
            ["digest"],
            multiprocess_mode="mostrecent",
            registry=registry,
        )
        self._counted: dict[tuple[str, int], Callable[[], None]] = {}
        self._timed: dict[str, Callable[[float], None]] = {}
        self._swaps_seen = 0
        self._version: ListVersion | None = None
        self.digest: str | None = None
        """The digest of the version served, as last seen."""

    def observe(self, endpoint: str, status: int, seconds: float, hits: object) -> None:
        count = self._counted.get((endpoint, status))
        if count is None:
            count = self._counted[endpoint, status] = self.requests.labels(endpoint, str(status)).inc
        count()
        time_it = self._timed.get(endpoint)
        if time_it is None:
            time_it = self._timed[endpoint] = self.duration.labels(endpoint).observe
        time_it(seconds)
        if isinstance(hits, int) and hits > 0:
            self.hits.inc(hits)

    def follow(self, serving: Any) -> str | None:
        """Catch up with the worker's swaps and version (cheap when nothing changed); the digest served."""
        if serving is None:
            return self.digest
        swaps: int = serving.swaps
        if swaps != self._swaps_seen:
            self.swaps.inc(swaps - self._swaps_seen)
            self._swaps_seen = swaps
        loaded = serving.app.loaded
        version: ListVersion | None = loaded.version if loaded is not None else None
        if version is not self._version:
            if self.digest is not None:
                self.version.labels(self.digest).set(0)
            self._version = version
            self.digest = version.digest if version is not None else None
            if self.digest is not None:
                self.version.labels(self.digest).set(1)
        return self.digest

    def exposition(self, home: Path | None) -> bytes:
        """The text a scrape receives: every worker's counters, and the latest update's state."""
        collectors: list[Collector] = [
            MultiProcessCollector(None) if self.multiprocess else self.registry,  # type: ignore[no-untyped-call]
            _UpdateState(home),
        ]
        return generate_latest(_Joined(collectors))


class _Joined(Collector):
    def __init__(self, collectors: Iterable[Collector]) -> None:
        self.collectors = collectors

    def collect(self) -> Iterable[Metric]:
        for collector in self.collectors:
            yield from collector.collect()


class _UpdateState(Collector):
    """The latest list update, from the job file every worker shares: read at the scrape, so it is never stale."""

    def __init__(self, home: Path | None) -> None:
        self.home = home

    def collect(self) -> Iterator[Metric]:
        job = read_job(self.home) if self.home is not None else None
        state = GaugeMetricFamily(
            "clearance_update_state",
            "1 for the state of the latest list update (failed or held: the version before it serves).",
            labels=["state"],
        )
        for value in JobState:
            state.add_metric([value.value], 1.0 if job is not None and job.state is value else 0.0)
        yield state
        if job is not None and job.finished_at is not None:
            yield GaugeMetricFamily(
                "clearance_update_finished_timestamp_seconds",
                "When the latest list update finished.",
                value=job.finished_at.timestamp(),
            )


class AccessLog:
    """Times, counts and logs each request; gives it its id (see the module docstring)."""

    def __init__(self, app: ASGIApp, service: ServiceSettings, metrics: Metrics) -> None:
        self.app = app
        self.log_names = service.log_names
        self.metrics = metrics
        self.log = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        rid = _request_id(scope)
        token = request_id.set(rid)
        header = (_ID_HEADER, rid.encode())
        status = 500
        started = False

        async def sending(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status = message["status"]
                started = True
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started or not await _answer_unexpected(exc, scope, receive, sending):
                raise
        finally:
            self._record(scope, rid, status, time.perf_counter() - start)
            request_id.reset(token)

    def _record(self, scope: Scope, rid: str, status: int, seconds: float) -> None:
        state = scope.get("state") or {}
        route = scope.get("route")
        endpoint = getattr(route, "path", None) or "unmatched"  # a sent path would put names in logs
        hits = state.get("hits")
        app = scope.get("app")
        digest = self.metrics.follow(getattr(app.state, "serving", None) if app is not None else None)
        self.metrics.observe(endpoint, status, seconds, hits)
        if not self.log.isEnabledFor(logging.INFO):
            return
        entry = Fields(
            request_id=rid,
            key_id=state.get("key_id"),
            method=scope["method"],
            endpoint=endpoint,
            status=status,
            latency_ms=round(seconds * 1000, 3),
            list_version=digest,
            hits=hits,
        )
        if self.log_names:
            entry["names"] = list(state.get("names") or ())
        # as `info` does, less its look-up of the caller's frame, which no line shows (2 of a line's ~13 µs)
        self.log.handle(self.log.makeRecord(ACCESS_LOGGER, logging.INFO, __file__, 0, entry, (), None))


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == _ID_HEADER:
            if _SANE_ID.fullmatch(value):
                return str(value.decode("ascii"))
            break
    return uuid.uuid4().hex


async def _answer_unexpected(exc: Exception, scope: Scope, receive: Receive, send: Send) -> bool:
    """Answer an unexpected error with the app's own handler here, inside this middleware, so the 500 carries
    its request id (Starlette's outermost layer would answer without it); False without such a handler."""
    app = scope.get("app")
    handler = getattr(app, "exception_handlers", {}).get(Exception)
    if handler is None:
        return False
    response = handler(Request(scope, receive), exc)
    if inspect.isawaitable(response):
        response = await response
    await response(scope, receive, send)
    return True


def install(app: FastAPI, service: ServiceSettings) -> None:
    """The body limit, then the request log around it (so refused bodies are logged), and `/metrics`."""
    metrics = Metrics(multiprocess=bool(os.environ.get(MULTIPROCESS_ENV)))
    app.add_middleware(BodyLimit, most=service.max_request_bytes, batch_most=service.max_batch_bytes)
    app.add_middleware(AccessLog, service=service, metrics=metrics)

    async def scrape(request: Request) -> Response:
        serving = getattr(request.app.state, "serving", None)
        metrics.follow(serving)
        home = serving.settings.home if serving is not None else None
        body = await run_in_threadpool(metrics.exposition, home)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    app.add_api_route(
        "/metrics",
        scrape,
        methods=["GET"],
        tags=["service"],
        summary="Prometheus metrics: counts, latencies, list version, update state; no screened data, no key",
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
    )
