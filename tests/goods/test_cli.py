"""`clearance screen-shipment`: the decision and reasons as JSON or tables; bad files one line and exit 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MINIMAL = {
    "parties": [{"role": "consignee", "name": "OOO Example", "country": "RU", "address": "Moscow"}],
    "goods": [{"hs_code": "854231", "description": "microcontrollers"}],
    "route": {"origin": "DE", "transit": ["KZ"], "destination": "RU"},
}


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clearance", *args],
        env={**os.environ, "CLEARANCE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding EU Annex IV, which `lists update` loads from the package."""
    home = tmp_path_factory.mktemp("home")
    result = run(home, "lists", "update", "eu-annex-iv")
    assert result.returncode == 0, result.stderr
    assert "eu-annex-iv: loaded snapshot 1 with 622 entities" in result.stdout
    return home


def test_json_result(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "shipment.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    result = run(home, "screen-shipment", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["decision"] == "prohibited"
    assert data["reasons"][0]["citation"].startswith("Council Regulation (EU) No 833/2014, Annex VII Part B")
    assert data["screening"]["snapshots"] == {"eu-annex-iv": 1}
    assert data["rules_version"]["name"] == "clearance-goods-rules"


def test_tables_for_qods_aviation_industries(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "shipment.yaml"
    path.write_text(
        "parties:\n  - {role: end_user, name: Qods Aviation Industries, country: IR}\n"
        "goods:\n  - {hs_code: '8542.31', description: integrated circuits}\n"
        "route: {origin: DE, destination: IR}\n",
        encoding="utf-8",
    )
    result = run(home, "screen-shipment", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Decision: PROHIBITED")
    assert "annex_iv_end_user" in result.stdout and "entry 442, listed by Regulation (EU) 2023/427" in result.stdout
    assert "clearance-goods-rules 1" in result.stdout


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        ('{"parties": [], "goods": [], "route": {}}', "parties: Tuple should have at least 1 item"),
        (json.dumps({**MINIMAL, "goods": [{"hs_code": "85x231"}]}), "goods[0].hs_code: not a goods code"),
        (json.dumps({**MINIMAL, "route": {"destination": "XY"}}), "route.destination: unknown country code 'XY'"),
        ("x" * 10_485_760, "10,485,760 bytes; a shipment file is at most 1,000,000 bytes"),
    ],
)
def test_bad_files_are_one_line_and_exit_1(home: Path, tmp_path: Path, content: str, phrase: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = run(home, "screen-shipment", str(path))
    assert result.returncode == 1
    message = result.stderr.strip()
    assert message.startswith(f"error: {path}: ") and phrase in message and "\n" not in message, message


def test_no_lists_loaded_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "shipment.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    result = run(tmp_path / "empty-home", "screen-shipment", str(path))
    assert result.returncode == 1 and "run `clearance lists update` first" in result.stderr
