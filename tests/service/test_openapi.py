"""The published OpenAPI schema is the service's own, and the service keeps to it under generated requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from clearance.service.app import openapi
from tests.conftest import copy_home
from tests.service.conftest import running_service

DOCS = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_published_schema_is_current() -> None:
    assert json.loads(DOCS.read_text(encoding="utf-8")) == openapi(), (
        "docs/openapi.json is out of date: python -m clearance.service docs/openapi.json"
    )


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: object, value: object) -> bytes:
    """A batch body is text to the schema: lines of JSON, sent as they are."""
    return value.encode() if isinstance(value, str) else json.dumps(value).encode()


# Loaded from the schema the app writes; run against a real `clearance serve` process.
generated = schemathesis.openapi.from_dict(openapi()).exclude(path_regex="^/admin/")  # jobs: test_updates.py


@pytest.fixture(scope="module")
def server(listed_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A service over a copy of the run's home, without keys or limits: every generated request reaches its
    route."""
    home = copy_home(listed_home, tmp_path_factory.mktemp("openapi") / "home")
    limits = {"CLEARANCE_RATE_LIMIT": "0", "CLEARANCE_MAX_REQUEST_BYTES": str(64 << 20)}  # tested on their own
    with running_service(home, workers=1, CLEARANCE_SERVICE_AUTH="0", **limits) as url:
        yield url


@generated.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_route_keeps_to_its_schema(case: schemathesis.Case, server: str) -> None:
    """No server error, and every status, body and header as the schema says; a request the schema calls
    valid may still be refused (422), as a schema cannot say that a name must hold a letter, a date be on
    the calendar or a payment message be an MT103. A batch answers 200 with an error on each line it cannot
    read, as its design is: one bad row never stops the others."""
    excluded = [schemathesis.checks.positive_data_acceptance]
    if case.path == "/screen/batch":
        excluded.append(schemathesis.checks.negative_data_rejection)
    case.call_and_validate(base_url=server, excluded_checks=excluded)
