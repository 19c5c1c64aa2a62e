"""The service over the run's loaded home, in process (Starlette's TestClient runs its lifespan)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clearance.service import create_app
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings


def service_client(home: Path, **service: object) -> TestClient:
    """A client of a service over `home`; service settings as `ServiceSettings` names them."""
    return TestClient(create_app(Settings(home=home), ServiceSettings(**service)))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def open_client(listed_home: Path) -> Iterator[TestClient]:
    """A service that asks for no API key, over the run's home (read only)."""
    with service_client(listed_home, auth=False) as client:
        yield client
