"""Caps on what a list file, a name or a text may cost: refused or cut with one clear line, never exhausted memory."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from clearance.lists.files import MAX_DECOMPRESSED
from clearance.model import MAX_NAME_LENGTH, MAX_NAMES
from clearance.text.mentions import MAX_TEXT
from tests.test_cli import run
from tests.test_cli_text import ARTICLE, PAYMENTS

CSL_FIXTURE = "us-csl/fixture_consolidated.csv"
PUTIN = "us-csl:35096"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """The UN list loaded (a watchlist alone is not screened against), small enough to index again quickly."""
    home = tmp_path_factory.mktemp("limits") / "home"
    assert run(home, "lists", "load", "un", str(lists_dir / "un/UN_consolidated_2026-02-27.xml")).returncode == 0
    return home


def _one_error_line(stderr: str, *parts: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert all(part in lines[0] for part in parts), stderr


def _bomb(path: Path) -> Path:
    """A gzip of zeros: some 130 KB that decompress to just over the cap."""
    block = bytes(1 << 20)
    with gzip.open(path, "wb", compresslevel=9) as handle:
        for _ in range(MAX_DECOMPRESSED // len(block) + 1):
            handle.write(block)
    return path


def test_gzip_bomb_is_refused_and_the_store_kept(tmp_path: Path, lists_dir: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "lists", "load", "us-csl", str(lists_dir / CSL_FIXTURE)).returncode == 0
    before = run(home, "lists", "snapshots", "--json").stdout
    bomb = _bomb(tmp_path / "consolidated.csv.gz")
    assert bomb.stat().st_size < 1_000_000
    result = run(home, "lists", "load", "us-csl", str(bomb))
    assert result.returncode == 1
    _one_error_line(result.stderr, str(bomb), f"more than {MAX_DECOMPRESSED:,} bytes")
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert run(home, "lists", "snapshots", "--json").stdout == before


def test_the_real_gzip_list_is_well_under_the_cap(lists_dir: Path) -> None:
    with gzip.open(lists_dir / "us-csl/consolidated.csv.gz") as handle:
        size = len(handle.read())
    assert size * 20 < MAX_DECOMPRESSED


def _watchlist(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "name", "type", "aliases"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_an_over_long_listed_name_is_skipped_and_reported(home: Path, tmp_path: Path) -> None:
    long_alias = " ".join(["ROSOBORONEXPORT"] * 625)  # 9,999 characters
    path = _watchlist(
        tmp_path / "acme.csv",
        [
            {"id": "1", "name": "Kalashnikov Concern", "type": "organization", "aliases": f"{long_alias};KALASHNIKOV"},
            {"id": "2", "name": "Mahan Air", "type": "organization", "aliases": ""},
        ],
    )
    result = run(home, "lists", "load", "custom", str(path), "--name", "acme")
    assert result.returncode == 0, result.stderr
    assert "loaded snapshot" in result.stdout and "with 2 entities" in result.stdout
    reported = [line for line in result.stderr.splitlines() if "skipped" in line]
    where = "custom:acme: record custom:acme:1, field names"
    assert reported == [f"warning: {where}: a name of 9,999 characters skipped (at most {MAX_NAME_LENGTH:,})"]
    shown = json.loads(run(home, "lists", "show", "custom:acme:1", "--json").stdout)
    assert [name["full"] for name in shown["names"]] == ["Kalashnikov Concern", "KALASHNIKOV"]
    hits = json.loads(run(home, "screen", "Kalashnikov Concern", "--json").stdout)["hits"]
    assert "custom:acme:1" in {hit["entity_id"] for hit in hits}
    hits = json.loads(run(home, "screen", "Mahan Air", "--json").stdout)["hits"]
    assert "custom:acme:2" in {hit["entity_id"] for hit in hits}


def test_names_past_the_cap_keep_the_first_ones(tmp_path: Path, lists_dir: Path) -> None:
    """A real CSL row given more aliases than any entity may keep: the first ones are kept, and it is reported."""
    with (lists_dir / CSL_FIXTURE).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = rows[0]
    aliases = [f"TRADING HOUSE {number}" for number in range(MAX_NAMES + 200)]
    row["alt_names"] = "; ".join(aliases)
    path = tmp_path / "consolidated.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    home = tmp_path / "home"
    result = run(home, "lists", "load", "us-csl", str(path))
    assert result.returncode == 0, result.stderr
    assert f"with {len(rows)} entities" in result.stdout
    entity_id = f"us-csl:{row['_id']}"
    reported = f"record {entity_id}, field names: {MAX_NAMES + 201:,} names; the first {MAX_NAMES:,} kept"
    assert reported in result.stderr
    shown = json.loads(run(home, "lists", "show", entity_id, "--json").stdout)
    assert len(shown["names"]) == MAX_NAMES
    assert [name["full"] for name in shown["names"][:2]] == [row["name"], aliases[0]]


def test_a_query_name_over_the_cap_is_refused_naming_the_field(listed_home: Path) -> None:
    result = run(listed_home, "screen", "Vladimir Putin " * 100)
    assert result.returncode == 1
    _one_error_line(result.stderr, "name: too long", f"at most {MAX_NAME_LENGTH:,}")


def test_text_over_the_maximum_is_refused(listed_home: Path, tmp_path: Path) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    path = tmp_path / "long.txt"
    path.write_text(article * (MAX_TEXT // len(article) + 1), encoding="utf-8")
    result = run(listed_home, "screen-text", str(path))
    assert result.returncode == 1
    _one_error_line(result.stderr, f"{path}: too long", f"at most {MAX_TEXT:,}")


@pytest.mark.parametrize("joiner", [", ", " ", "\n", ". "])
def test_a_name_repeated_is_each_mention(listed_home: Path, tmp_path: Path, joiner: str) -> None:
    """Repeated without a full stop, a name used to grow into one span over all of them: no mention at all."""
    path = tmp_path / "repeated.txt"
    path.write_text(joiner.join(["Vladimir Putin"] * 2000), encoding="utf-8")
    result = run(listed_home, "screen-text", str(path), "--json", "--no-goods")
    assert result.returncode == 0, result.stderr
    mentions = json.loads(result.stdout)["mentions"]
    assert len(mentions) == 2000
    assert {m["text"] for m in mentions} == {"Vladimir Putin"}
    assert all(PUTIN in {hit["entity_id"] for hit in m["hits"]} for m in mentions)


def test_the_article_repeated_finds_every_mention(listed_home: Path, tmp_path: Path) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    once = json.loads(run(listed_home, "screen-text", str(ARTICLE), "--json", "--no-goods").stdout)["mentions"]
    path = tmp_path / "article.txt"
    path.write_text(article * 50, encoding="utf-8")
    many = json.loads(run(listed_home, "screen-text", str(path), "--json", "--no-goods").stdout)["mentions"]
    assert len(many) == 50 * len(once)
    assert [m["text"] for m in many[: len(once)]] == [m["text"] for m in once]


def test_a_payment_repeating_a_listed_name_in_its_remittance(listed_home: Path, tmp_path: Path) -> None:
    message = (PAYMENTS / "mt103_listed_in_remittance.txt").read_text(encoding="utf-8")
    message = message.replace("END USER MAHAN AIR TEHRAN\n", "MAHAN AIR\n" * 3000)
    path = tmp_path / "mt103.txt"
    path.write_text(message, encoding="utf-8")
    result = run(listed_home, "screen-payment", str(path), "--json")
    assert result.returncode == 0, result.stderr
    (remittance,) = json.loads(result.stdout)["texts"]
    assert len(remittance["mentions"]) == 3000
    assert all(m["text"] == "MAHAN AIR" for m in remittance["mentions"])


def test_a_payment_party_name_over_the_cap_is_a_field_anomaly_and_the_rest_is_screened(
    listed_home: Path, tmp_path: Path
) -> None:
    message = (PAYMENTS / "mt103_listed_in_remittance.txt").read_text(encoding="utf-8")
    message = message.replace("ALPENHANDEL TRADING GMBH", "MAHAN AIR " + "ALPENHANDEL TRADING GMBH " * 50)
    path = tmp_path / "mt103.txt"
    path.write_text(message, encoding="utf-8")
    result = run(listed_home, "screen-payment", str(path), "--json")
    assert result.returncode == 0, result.stderr
    screening = json.loads(result.stdout)
    beneficiary = next(p for p in screening["parties"] if p["field"] == ":59:")
    [anomaly] = [a for a in beneficiary["anomalies"] if a["code"] == "length"]
    assert anomaly["review"] and "field 59" in anomaly["detail"] and f"at most {MAX_NAME_LENGTH:,}" in anomaly["detail"]
    assert len(beneficiary["name"]) <= MAX_NAME_LENGTH and beneficiary["name"].startswith("MAHAN AIR ALPENHANDEL")
    assert {h["designation"] for h in beneficiary["hits"] if not h["partial"]} >= {"ofac:12927"}  # at its start
    (remittance,) = screening["texts"]
    assert [m["text"] for m in remittance["mentions"]] == ["MAHAN AIR"]  # every other field still screened
    assert screening["decision"] == "hit"
