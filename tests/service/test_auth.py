"""API keys made with the CLI, roles, the rate limit and body limits, on the real service and lists."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clearance.cli import app as cli
from clearance.service.keys import RELOAD_SECONDS
from tests.conftest import copy_home
from tests.service.conftest import service_client

PROBLEM = "application/problem+json"
PUTIN = {"name": "Vladimir Putin"}


def keys_cli(home: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["keys", *args], env={"CLEARANCE_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return result.stdout


def create_key(home: Path, role: str, label: str = "") -> str:
    return str(json.loads(keys_cli(home, "create", "--role", role, "--label", label, "--json"))["key"])


def api_key(key: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {key}"}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, listed_home: Path) -> Path:
    """A copy of the run's home, for these tests' keys."""
    return copy_home(listed_home, tmp_path_factory.mktemp("auth") / "home")


@pytest.fixture(scope="module")
def screen_key(home: Path) -> str:
    return create_key(home, "screen", "compliance team")


@pytest.fixture(scope="module")
def admin_key(home: Path) -> str:
    return create_key(home, "admin", "operator")


@pytest.fixture(scope="module")
def client(home: Path, screen_key: str, admin_key: str) -> Iterator[TestClient]:
    with service_client(home, rate_limit=0) as client:
        yield client


def assert_problem(response: object, status: int, code: str) -> dict[str, object]:
    from httpx import Response

    assert isinstance(response, Response)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"].endswith(f"/{code}") and body["title"] and body["detail"]
    return dict(body)


def test_a_key_made_with_the_cli_screens_as_yente_clients_send_it(client: TestClient, screen_key: str) -> None:
    response = client.post("/screen/party", json=PUTIN, headers=api_key(screen_key))
    assert response.status_code == 200
    assert "PUTIN" in response.json()["hits"][0]["name"].upper()


@pytest.mark.parametrize(
    "headers",
    [
        lambda key: {"Authorization": f"Bearer {key}"},
        lambda key: {"X-API-Key": key},
        lambda key: {"authorization": f"apikey   {key}"},
    ],
    ids=["bearer", "x-api-key", "scheme-any-case"],
)
def test_the_other_ways_to_send_a_key(client: TestClient, screen_key: str, headers: object) -> None:
    assert callable(headers)
    assert client.post("/screen/party", json=PUTIN, headers=headers(screen_key)).status_code == 200


def test_no_key_is_401_problem_with_a_challenge(client: TestClient) -> None:
    response = client.post("/screen/party", json=PUTIN)
    problem = assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "ApiKey"
    assert "ApiKey" in str(problem["detail"])


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "ApiKey clr_000000000000_nope"},
        {"Authorization": "ApiKey not-a-key"},
        {"X-API-Key": "clr__"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
    ids=["unknown", "malformed", "empty-parts", "other-scheme"],
)
def test_a_wrong_key_is_401(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/screen/party", json=PUTIN, headers=headers)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "ApiKey"


def test_a_right_id_with_a_wrong_secret_is_401(client: TestClient, screen_key: str) -> None:
    forged = screen_key[: screen_key.rindex("_") + 1] + "A" * 43
    assert_problem(client.post("/screen/party", json=PUTIN, headers=api_key(forged)), 401, "unauthorized")


def test_a_screen_key_may_not_update_the_lists(client: TestClient, screen_key: str) -> None:
    response = client.post("/admin/update", json={"sources": ["un"]}, headers=api_key(screen_key))
    problem = assert_problem(response, 403, "forbidden")
    assert "admin" in str(problem["detail"])
    assert_problem(client.post("/admin/activate/1", headers=api_key(screen_key)), 403, "forbidden")


def test_an_admin_key_may_do_what_a_screen_key_may_and_more(client: TestClient, admin_key: str) -> None:
    assert client.post("/screen/party", json=PUTIN, headers=api_key(admin_key)).status_code == 200
    assert client.get("/lists", headers=api_key(admin_key)).status_code == 200
    # past the role check: the update is refused for its unknown source, not for the key
    refused = client.post("/admin/update", json={"sources": ["nowhere"]}, headers=api_key(admin_key))
    assert refused.status_code == 422 and refused.json()["code"] == "unknown_source"


def test_probes_and_metrics_need_no_key(client: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path


def test_a_new_key_works_and_a_revoked_one_stops_within_seconds_without_a_restart(
    client: TestClient, home: Path
) -> None:
    key = create_key(home, "screen", "temporary")
    started = time.monotonic()
    while client.post("/screen/party", json=PUTIN, headers=api_key(key)).status_code != 200:
        assert time.monotonic() - started < 3, "a new key was not accepted"
        time.sleep(0.1)
    keys_cli(home, "revoke", key.split("_")[1])
    revoked = time.monotonic()
    while (response := client.post("/screen/party", json=PUTIN, headers=api_key(key))).status_code == 200:
        assert time.monotonic() - revoked < RELOAD_SECONDS + 2, "a revoked key was still accepted"
        time.sleep(0.1)
    problem = assert_problem(response, 401, "unauthorized")
    assert "revoked" in str(problem["detail"])


def test_over_the_rate_a_key_gets_429_with_retry_after_and_others_go_on(
    home: Path, screen_key: str, admin_key: str
) -> None:
    with service_client(home, rate_limit=5) as limited:
        statuses = [limited.post("/screen/party", json=PUTIN, headers=api_key(screen_key)) for _ in range(14)]
        assert [r.status_code for r in statuses[:10]] == [200] * 10  # a burst of twice the rate
        refused = [r for r in statuses if r.status_code == 429]
        assert refused
        assert_problem(refused[0], 429, "rate_limited")
        assert int(refused[0].headers["retry-after"]) >= 1
        assert limited.post("/screen/party", json=PUTIN, headers=api_key(admin_key)).status_code == 200
        assert limited.get("/healthz").status_code == 200  # probes are never limited


def test_without_auth_the_rate_is_per_client_address(listed_home: Path) -> None:
    with service_client(listed_home, auth=False, rate_limit=1) as limited:
        statuses = [limited.post("/screen/party", json=PUTIN).status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and 429 in statuses


def test_a_body_over_the_limit_is_413_before_it_is_read_or_screened(listed_home: Path) -> None:
    with service_client(listed_home, auth=False, max_request_bytes=2_000, max_batch_bytes=20_000) as small:
        big = {"name": "Vladimir Putin " * 200}
        response = small.post("/screen/party", json=big)
        problem = assert_problem(response, 413, "too_large")
        assert "2,000" in str(problem["detail"])
        # no Content-Length (chunked): counted as it streams in
        chunked = small.post(
            "/screen/party", content=iter([json.dumps(big).encode()]), headers={"content-type": "application/json"}
        )
        assert_problem(chunked, 413, "too_large")
        assert small.post("/screen/party", json=PUTIN).status_code == 200
        # a batch has its own, larger limit
        lines = "\n".join(json.dumps({"id": str(n), "name": "Vladimir Putin"}) for n in range(100)).encode()
        assert 2_000 < len(lines) < 20_000
        batch = small.post("/screen/batch", content=lines, headers={"content-type": "application/x-ndjson"})
        assert batch.status_code == 200 and len(batch.text.splitlines()) == 100
        assert_problem(small.post("/screen/batch", content=lines * 10), 413, "too_large")
        streamed = small.post("/screen/batch", content=iter([lines] * 10))
        assert_problem(streamed, 413, "too_large")


def test_refused_requests_are_refused_before_the_key_check_costs_anything(client: TestClient) -> None:
    """A 413 needs no key: the size is checked before routing, so no body is read for an unknown caller."""
    huge = b"x" * (1 << 20) + b"x"
    assert_problem(client.post("/screen/party", content=huge), 413, "too_large")
