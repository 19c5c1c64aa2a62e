"""`clearance screen-shipment`: the decision and reasons as JSON or tables; bad files one line and exit 1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clearance.goods.classify import ALGORITHM
from clearance.goods.results import Classification, ShipmentScreening

MINIMAL = {
    "parties": [{"role": "consignee", "name": "OOO Example", "country": "RU", "address": "Moscow"}],
    "goods": [{"hs_code": "854231", "description": "microcontrollers"}],
    "route": {"origin": "DE", "transit": ["KZ"], "destination": "RU"},
}


def run(
    home: Path, *args: str, hs_file: str | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CLEARANCE_HS_FILE"}
    if hs_file is not None:
        env["CLEARANCE_HS_FILE"] = hs_file
    return subprocess.run(
        [sys.executable, "-m", "clearance", *args],
        env={**env, "CLEARANCE_HOME": str(home)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """A store holding EU Annex IV, which `lists update` loads from the package, and the UN list: Annex IV
    alone is no official list, and screening refuses it."""
    home = tmp_path_factory.mktemp("home")
    result = run(home, "lists", "update", "eu-annex-iv")
    assert result.returncode == 0, result.stderr
    assert "eu-annex-iv: loaded snapshot 1 with 896 entities" in result.stdout
    refused = run(home, "screen-shipment", str(Path(__file__).parents[2] / "examples" / "shipment.json"))
    assert refused.returncode == 1 and "no official list is loaded (only eu-annex-iv)" in refused.stderr
    assert run(home, "lists", "load", "un", str(lists_dir / "un" / "UN_consolidated_2026-02-27.xml")).returncode == 0
    return home


def test_json_result(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "shipment.json"
    path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    result = run(home, "screen-shipment", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["decision"] == "prohibited"
    assert data["reasons"][0]["citation"].startswith("Council Regulation (EU) No 833/2014, Annex VII Part B")
    assert {s["source"]: s["snapshot_id"] for s in data["list_version"]["sources"]} == {"eu-annex-iv": 1, "un": 2}
    assert data["list_version"]["sources"][0]["entities"] == 896 and data["threshold"] > 0
    assert ShipmentScreening.model_validate_json(result.stdout).model_dump(mode="json") == data
    assert data["rules_version"]["name"] == "clearance-goods-rules"


def test_json_classification(home: Path) -> None:
    result = run(home, "classify", "uncooled thermal imaging camera 640x512", "--limit", "3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["description"], data["algorithm"]) == ("uncooled thermal imaging camera 640x512", ALGORITHM)
    assert len(data["candidates"]) == 3 and data["candidates"][0]["code"].startswith("8525")
    assert Classification.model_validate_json(result.stdout).model_dump(mode="json") == data


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
    assert "clearance-goods-rules 2" in result.stdout
    assert "rules current to Regulation (EU) 2025/2033 (2025-10-23)" in result.stdout
    assert "not encoded: Acts after Regulation (EU) 2025/2033" in result.stdout


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
    assert result.returncode == 1 and "no list store here: run `clearance lists update`" in result.stderr


def test_goods_in_text_come_from_the_packaged_nomenclature(home: Path, tmp_path: Path) -> None:
    result = run(home, "screen-text", "-", "--json", stdin="Exports of microchips and thermal cameras to Russia.")
    assert result.returncode == 0, result.stderr
    goods = {g["text"]: g["codes"] for g in json.loads(result.stdout)["goods"]}
    assert goods.keys() == {"microchips", "thermal cameras"} and goods["thermal cameras"][0].startswith("8525")


def test_a_bad_hs_file_setting_is_one_line_naming_it(home: Path, tmp_path: Path) -> None:
    shipment = tmp_path / "shipment.json"
    shipment.write_text(json.dumps({**MINIMAL, "goods": [{"description": "thermal camera"}]}), encoding="utf-8")
    missing = str(tmp_path / "missing.csv")
    broken = tmp_path / "broken.csv"
    broken.write_text("code,text\n85,Electrical machinery\n", encoding="utf-8")
    for args in (("screen-text", "-"), ("screen-shipment", str(shipment)), ("classify", "thermal camera")):
        result = run(home, *args, hs_file=missing, stdin="drones")
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr == f"error: environment variable CLEARANCE_HS_FILE: no such file: {missing}\n"
        result = run(home, *args, hs_file=str(broken), stdin="drones")
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.startswith(f"error: HS nomenclature {broken}: expected columns")
        assert result.stderr.count("\n") == 1
