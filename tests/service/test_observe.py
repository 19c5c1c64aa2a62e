"""Request logs, metrics and CORS on the real service; and `clearance serve` with two workers, as deployed."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from typer.testing import CliRunner

from clearance.cli import app as cli
from clearance.service.observe import ACCESS_LOGGER, JsonFormatter, log_config, request_id
from tests.conftest import copy_home
from tests.service.conftest import service_client

PUTIN = {"name": "Vladimir Putin"}
FIELDS = {"time", "request_id", "key_id", "method", "endpoint", "status", "latency_ms", "list_version", "hits"}


def create_key(home: Path, role: str) -> str:
    result = CliRunner().invoke(cli, ["keys", "create", "--role", role, "--json"], env={"CLEARANCE_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["key"])


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, listed_home: Path) -> Path:
    return copy_home(listed_home, tmp_path_factory.mktemp("observe") / "home")


@pytest.fixture(scope="module")
def key(home: Path) -> str:
    return create_key(home, "screen")


@pytest.fixture(scope="module")
def client(home: Path, key: str) -> Iterator[TestClient]:
    with service_client(home, rate_limit=0) as client:
        client.headers["Authorization"] = f"ApiKey {key}"
        yield client


@pytest.fixture
def access_log() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The request log's lines as the service writes them, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(ACCESS_LOGGER)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_one_json_line_per_request_with_its_fields_and_no_name(
    client: TestClient, key: str, access_log: Callable[[], list[dict[str, Any]]]
) -> None:
    served = client.get("/readyz").json()["list_version"]
    response = client.post("/screen/party", json=PUTIN, headers={"X-Request-ID": "req-42.a:b"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-42.a:b"
    client.post("/screen/party", json=PUTIN, headers={"Authorization": "ApiKey clr_1_2"})
    lines = access_log()
    assert len(lines) == 3
    readyz, screened, refused = lines
    assert FIELDS <= screened.keys() and "names" not in screened
    assert screened["request_id"] == "req-42.a:b"
    assert screened["key_id"] == key.split("_")[1]
    assert (screened["method"], screened["endpoint"], screened["status"]) == ("POST", "/screen/party", 200)
    assert 0 < screened["latency_ms"] < 5_000
    assert screened["list_version"] == served
    assert screened["hits"] == len(response.json()["hits"]) >= 1
    assert dt.datetime.fromisoformat(screened["time"]).utcoffset() == dt.timedelta(0)
    assert (readyz["endpoint"], readyz["status"], readyz["key_id"]) == ("/readyz", 200, None)
    assert (refused["status"], refused["key_id"]) == (401, None)
    assert "putin" not in json.dumps(lines).lower()


def test_a_request_id_that_is_not_a_plain_token_is_replaced(
    client: TestClient, access_log: Callable[[], list[dict[str, Any]]]
) -> None:
    given: list[str | bytes] = ["x" * 65, "two words", "ünïcode".encode(), "a\\b", ""]
    answered = [client.get("/healthz", headers={"X-Request-ID": rid}).headers["x-request-id"] for rid in given]
    answered.append(client.get("/healthz").headers["x-request-id"])
    assert all(len(rid) == 32 and int(rid, 16) >= 0 for rid in answered)
    assert len(set(answered)) == len(answered)
    assert [line["request_id"] for line in access_log()] == answered


def test_the_endpoint_is_the_route_template_never_the_path_sent(
    client: TestClient, access_log: Callable[[], list[dict[str, Any]]]
) -> None:
    client.post("/admin/activate/424242")  # a screen key: refused, but routed
    client.get("/screen/Vladimir Putin")  # no such route
    lines = access_log()
    assert [(line["endpoint"], line["status"]) for line in lines] == [
        ("/admin/activate/{snapshot_id}", 403),
        ("unmatched", 404),
    ]
    assert "424242" not in json.dumps(lines) and "Putin" not in json.dumps(lines)


def test_refused_bodies_are_logged_under_their_endpoint(
    listed_home: Path, access_log: Callable[[], list[dict[str, Any]]]
) -> None:
    with service_client(listed_home, auth=False, max_request_bytes=100) as small:
        assert small.post("/screen/party", json={"name": "x" * 200}).status_code == 413
    assert [(line["endpoint"], line["status"]) for line in access_log()] == [("/screen/party", 413)]


def test_names_are_logged_only_when_asked(listed_home: Path, access_log: Callable[[], list[dict[str, Any]]]) -> None:
    with service_client(listed_home, auth=False) as default:
        assert default.post("/screen/party", json=PUTIN).status_code == 200
    with service_client(listed_home, auth=False, log_names=True) as naming:
        assert naming.post("/screen/party", json=PUTIN).status_code == 200
    quiet, named = access_log()
    assert "names" not in quiet and "Putin" not in json.dumps(quiet)
    assert named["names"] == ["Vladimir Putin"]


def test_an_unexpected_error_is_a_500_problem_whose_request_id_leads_to_its_traceback(
    listed_home: Path, access_log: Callable[[], list[dict[str, Any]]]
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logging.getLogger("clearance.service").addHandler(handler)

    def broken() -> None:
        raise RuntimeError("broken on purpose")

    try:
        with service_client(listed_home, auth=False) as client:
            client.app.add_api_route("/broken", broken)  # type: ignore[attr-defined]
            response = client.get("/broken")
    finally:
        logging.getLogger("clearance.service").removeHandler(handler)
    assert response.status_code == 500 and response.json()["code"] == "internal_error"
    rid = response.headers["x-request-id"]
    assert [(line["request_id"], line["endpoint"], line["status"]) for line in access_log()] == [(rid, "/broken", 500)]
    errors = [line for line in map(json.loads, stream.getvalue().splitlines()) if line["level"] == "error"]
    assert len(errors) == 1 and errors[0]["request_id"] == rid
    assert "RuntimeError: broken on purpose" in errors[0]["error"]


def test_other_log_lines_are_json_and_carry_the_request_id() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord("clearance.service", logging.WARNING, __file__, 1, "swap failed: %s", ("disk",), None)
    line = json.loads(formatter.format(record))
    assert line["message"] == "swap failed: disk" and line["level"] == "warning" and "request_id" not in line
    try:
        raise ValueError("boom")
    except ValueError:
        failed = logging.LogRecord("clearance.service", logging.ERROR, __file__, 1, "unexpected", (), sys.exc_info())
    assert "ValueError: boom" in json.loads(formatter.format(failed))["error"]
    token = request_id.set("req-7")
    try:
        assert json.loads(formatter.format(record))["request_id"] == "req-7"
    finally:
        request_id.reset(token)
    # uvicorn's lines and ours, as `clearance serve` configures them (run for real below)
    assert log_config()["formatters"]["json"]["()"] == "clearance.service.observe.JsonFormatter"


def test_metrics_count_requests_hits_and_the_version_served(client: TestClient) -> None:
    served = client.get("/readyz").json()["list_version"]
    labels = (("endpoint", "/screen/party"), ("status", "200"))
    before = samples(client.get("/metrics").text)
    hits = sum(len(client.post("/screen/party", json=PUTIN).json()["hits"]) for _ in range(3))
    response = client.get("/metrics", headers={"Authorization": ""})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)
    assert after["clearance_requests_total", labels] == before.get(("clearance_requests_total", labels), 0) + 3
    assert after["clearance_hits_total", ()] == before["clearance_hits_total", ()] + hits
    duration = ("clearance_request_duration_seconds_count", (("endpoint", "/screen/party"),))
    assert after[duration] == before.get(duration, 0) + 3
    assert after["clearance_list_version_info", (("digest", served),)] == 1
    assert after["clearance_index_swaps_total", ()] >= 1
    assert after["clearance_update_state", (("state", "failed"),)] == 0
    assert "Putin" not in response.text


def test_cors_is_off_unless_origins_are_set(listed_home: Path) -> None:
    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST"}
    with service_client(listed_home, auth=False) as closed:
        assert (
            "access-control-allow-origin"
            not in closed.get("/healthz", headers={"Origin": "https://app.example"}).headers
        )
        assert "access-control-allow-origin" not in closed.options("/screen/party", headers=preflight).headers
    with service_client(listed_home, auth=False, cors_origins=("https://app.example",)) as open_:
        answered = open_.post("/screen/party", json=PUTIN, headers={"Origin": "https://app.example"})
        assert answered.headers["access-control-allow-origin"] == "https://app.example"
        allowed = open_.options("/screen/party", headers=preflight)
        assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "https://app.example"
        other = open_.get("/healthz", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_with_two_workers_logs_json_lines_and_adds_up_every_workers_metrics(
    home: Path, key: str, tmp_path: Path
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CLEARANCE_HOME": str(home), "CLEARANCE_RATE_LIMIT": "0", "TMPDIR": str(tmp_path)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    command = [sys.executable, "-m", "clearance", "serve", "--workers", "2", "--port", str(port)]
    with (tmp_path / "stdout").open("wb") as stdout, (tmp_path / "stderr").open("wb") as stderr:
        server = subprocess.Popen(command, env=env, stdout=stdout, stderr=stderr, start_new_session=True)
        try:
            ready, started = 0, time.monotonic()
            while ready < 10:  # ten fresh connections in a row: both workers have loaded
                assert server.poll() is None, (tmp_path / "stderr").read_text()
                assert time.monotonic() - started < 180, "the service did not become ready"
                try:
                    ready = ready + 1 if httpx.get(f"{base}/readyz").status_code == 200 else 0
                except httpx.TransportError:
                    time.sleep(0.2)
            assert len(list(tmp_path.glob("clearance-metrics-*/counter_*.db"))) == 2  # one file per worker
            for _ in range(30):  # a connection each, so both workers answer some
                response = httpx.post(f"{base}/screen/party", json=PUTIN, headers={"Authorization": f"ApiKey {key}"})
                assert response.status_code == 200
            assert httpx.post(f"{base}/screen/party", json=PUTIN).status_code == 401
            counted = samples(httpx.get(f"{base}/metrics").text)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    assert counted["clearance_requests_total", (("endpoint", "/screen/party"), ("status", "200"))] == 30
    assert counted["clearance_requests_total", (("endpoint", "/screen/party"), ("status", "401"))] == 1
    assert counted["clearance_hits_total", ()] >= 30
    assert counted["clearance_index_swaps_total", ()] == 2  # each worker's first load
    assert not list(tmp_path.glob("clearance-metrics-*")), "the metrics folder outlived the service"
    requests = [json.loads(line) for line in (tmp_path / "stdout").read_text().splitlines()]
    screened = [line for line in requests if line["endpoint"] == "/screen/party"]
    assert len(screened) == 31 and all(line["logger"] == ACCESS_LOGGER for line in requests)
    assert {line["key_id"] for line in screened} == {key.split("_")[1], None}
    assert "Putin" not in (tmp_path / "stdout").read_text()
    others = [json.loads(line) for line in (tmp_path / "stderr").read_text().splitlines()]
    assert any(line["logger"].startswith("uvicorn") and "Started server process" in line["message"] for line in others)
