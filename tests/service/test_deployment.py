"""The Dockerfile runs the service as the docs say: unprivileged, health-checked, with options `serve` takes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clearance.cli import app

DOCKERFILE = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text(encoding="utf-8")


def _instruction(name: str) -> str:
    found = re.findall(rf"^{name}\s+(.+?)$", DOCKERFILE, flags=re.MULTILINE)
    assert found, f"no {name} in the Dockerfile"
    return str(found[-1])


def test_the_image_runs_unprivileged_on_the_volume() -> None:
    assert _instruction("USER") not in ("root", "0")
    assert "CLEARANCE_HOME=/data" in DOCKERFILE and '"/data"' in _instruction("VOLUME")


def test_its_command_is_one_serve_takes() -> None:
    command = json.loads(_instruction("CMD"))
    assert command[:2] == ["clearance", "serve"]
    options = {arg for arg in command[2:] if arg.startswith("--")}
    help_text = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200).output
    assert options and all(option in help_text for option in options), (options, help_text)


def test_its_health_check_asks_a_route_that_answers(open_client: TestClient) -> None:
    path = re.search(r"http://127\.0\.0\.1:8000(/\w+)", DOCKERFILE)
    assert path is not None
    assert open_client.get(path.group(1)).status_code == 200
