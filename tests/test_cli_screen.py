"""`clearance screen`, `screen-batch` and custom watchlists through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clearance.cli.app import out
from clearance.cli.screening import print_hits
from clearance.matching import ALGORITHM, Party, Screener
from clearance.results import hit_results
from tests.test_cli import run


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("home")
    assert run(home, "lists", "load", "un", str(lists_dir / "un/UN_consolidated_2026-02-27.xml")).returncode == 0
    # The OFAC CSV set states no date; the folder's name gives the day it was published.
    sdn = str(lists_dir / "ofac/sdn_csv_2021-07-07")
    assert run(home, "lists", "load", "ofac-sdn", sdn, "--published", "2021-07-07").returncode == 0
    return home


def test_screen_prints_explained_hits(home: Path) -> None:
    result = run(home, "screen", "Лукашенко Александр Григорьевич")
    assert result.returncode == 0, result.stderr
    assert "ofac-sdn:9760" in result.stdout and "transliteration" in result.stdout
    assert "warning: eu is not loaded: this screening does not cover it" in result.stderr


def test_screen_json(home: Path) -> None:
    result = run(home, "screen", "RI WON HO", "--dob", "1964-07-17", "--country", "KP", "--json")
    data = json.loads(result.stdout)
    assert data["algorithm"] == ALGORITHM
    sources = {s["source"]: s for s in data["list_version"]["sources"]}
    assert set(sources) == {"un", "ofac-sdn"} and data["list_version"]["digest"]
    assert sources["un"]["published"].startswith("2026-02-2") and sources["un"]["entities"] == 1_003
    assert data["config"] and data["screened_at"].endswith("Z") and data["threshold"] == 0.8
    hit = next(h for h in data["hits"] if "un:KPi.033" in [h["entity_id"], *(a["entity_id"] for a in h["also"])])
    assert hit["snapshot_id"] == sources[hit["source"]]["snapshot_id"] and hit["band"] == "match"
    assert {e["field"] for e in hit["explanation"]["evidence"]} == {"date_of_birth", "country"}


def test_screen_bad_input_is_one_line(home: Path) -> None:
    for args, message in (
        (("screen", ""), "name: empty"),
        (("screen", "x" * 10_000), "name: too long"),
        (("screen", "Putin", "--dob", "soon"), "dob: not a date"),
    ):
        result = run(home, *args)
        assert result.returncode == 1 and message in result.stderr and result.stderr.count("\n") == 1


def test_screen_batch_keeps_order_and_reports_bad_rows(home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_text(
        "id,name,type,dob,country\n"
        "c1,Aleksandr Lukashenko,person,1954-08-30,BY\n"
        "c2,Olaf Scholz,person,,DE\n"
        "c3,RI WON HO,unicorn,,\n"
        "c4,,,,\n"
        "c5,RI WON HO,person,,KP\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.jsonl"
    result = run(home, "screen-batch", str(rows), "--output", str(out), "--limit", "3")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["c1", "c2", "c3", "c4", "c5"]
    assert records[0]["hits"][0]["entity_id"] == "ofac-sdn:9760"
    assert records[1]["hits"] == []
    assert "line 4: type: unknown 'unicorn'" in records[2]["error"]
    assert "line 5: name: empty" in records[3]["error"]
    scores = [h["score"] for h in records[4]["hits"]]
    assert scores == sorted(scores, reverse=True) and all(s >= 0.8 for s in scores)
    assert "2 rows had errors" in result.stderr


def test_custom_watchlist_is_screened_like_a_list(home: Path, tmp_path: Path) -> None:
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text(
        "id,name,type,aliases,dob,country,ids\n"
        "w1,Ivan Petrovich Sidorov,person,Ivan Sidoroff;Иван Сидоров,1970-05-01,RU,passport:7212345678\n",
        encoding="utf-8",
    )
    loaded = run(home, "lists", "load", "custom", str(watchlist), "--name", "internal")
    assert loaded.returncode == 0, loaded.stderr
    hits = json.loads(run(home, "screen", "Ivan Sidorov", "--json").stdout)["hits"]
    assert hits[0]["entity_id"] == "custom:internal:w1" and hits[0]["source"] == "custom:internal"
    by_id = json.loads(run(home, "screen", "Unrelated Name", "--id", "72 1234 5678", "--json").stdout)["hits"]
    assert by_id[0]["entity_id"] == "custom:internal:w1"
    status = json.loads(run(home, "lists", "status", "--json").stdout)["lists"]
    assert any(row["source"] == "custom:internal" and row["freshness"] == "own list" for row in status)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,title\n1,x\n", encoding="utf-8")
    result = run(home, "lists", "load", "custom", str(bad), "--name", "internal")
    assert result.returncode == 1 and "missing column(s) name" in result.stderr


def test_a_bad_query_is_refused_before_the_index_is_loaded(home: Path) -> None:
    indexes = home / "indexes"
    kept = sorted(indexes.glob("*.idx"))
    assert kept, "lists load keeps the name index"
    moved = [path.rename(path.with_suffix(".set-aside")) for path in kept]
    try:
        result = run(home, "screen", "   ", "--json")
        assert result.returncode == 1 and "name: empty" in result.stderr
        assert not list(indexes.glob("*.idx"))
    finally:
        for path in moved:
            path.rename(path.with_suffix(".idx"))


def test_a_damaged_index_is_rebuilt_with_a_one_line_notice(home: Path, tmp_path: Path) -> None:
    path = max((home / "indexes").glob("*.idx"), key=lambda p: p.stat().st_mtime)  # the active lists'
    saved = tmp_path / "saved.idx"
    saved.write_bytes(path.read_bytes())
    try:
        with path.open("r+b") as file:
            file.seek(-100, 2)
            file.write(b"\0" * 100)
        result = run(home, "screen", "RI WON HO", "--json")
        assert result.returncode == 0, result.stderr
        assert any(h["designation"] == "un:KPi.033" for h in json.loads(result.stdout)["hits"])
        notices = [line for line in result.stderr.splitlines() if line.startswith("notice:")]
        assert len(notices) == 1 and "rebuilding" in notices[0]
        assert run(home, "screen", "RI WON HO", "--json").stderr.count("notice:") == 0
    finally:
        path.write_bytes(saved.read_bytes())


def test_exit_codes_for_pipelines(home: Path) -> None:
    """The home holds UN and OFAC SDN only: a result names the four official lists it does not cover."""
    assert run(home, "screen", "RI WON HO").returncode == 0
    assert run(home, "screen", "RI WON HO", "--fail-on-hit").returncode == 3
    assert run(home, "screen", "RI WON HO", "--strict").returncode == 4
    assert run(home, "screen", "RI WON HO", "--strict", "--fail-on-hit").returncode == 3
    assert run(home, "screen", "Olaf Scholz", "--fail-on-hit").returncode == 0
    assert run(home, "screen", "Olaf Scholz", env={"CLEARANCE_STRICT": "1"}).returncode == 4
    assert run(home, "screen", "Olaf Scholz", "--no-strict", env={"CLEARANCE_STRICT": "1"}).returncode == 0
    assert run(home, "lists", "status").returncode == 0
    assert run(home, "lists", "status", "--check").returncode == 4
    only = {"CLEARANCE_EXPECTED_SOURCES": "un,ofac-sdn", "CLEARANCE_MAX_AGE_DAYS": "100000"}
    assert run(home, "lists", "status", "--check", env=only).returncode == 0
    assert run(home, "screen", "Olaf Scholz", "--strict", env=only).returncode == 0


def test_the_table_has_one_row_per_designation_with_every_list_carrying_it(screener: Screener) -> None:
    hits = screener.screen(Party("Rosoboronexport"), limit=40)
    results = hit_results(hits)
    with out.capture() as captured:
        print_hits("Rosoboronexport", results, 0.8, 0.7)
    table = captured.get()
    assert "(threshold 0.8, review from 0.7)" in table and "┃ band " in table
    rows = [line for line in table.splitlines() if line.startswith("│ 1.00")]
    assert len(rows) == len(results) < len(hits) and all("│ match │" in row for row in rows)
    for entry in ("ofac-sdn:18782 1.00 match", "us-csl:18782 (SDN) 1.00 match", "us-csl:18782:SSI (SSI) 1.00"):
        assert table.count(entry) == 1, entry
    assert "ofac-cons:18782 (organization)" in table and "eu-annex-iv:44 (organization)" in table


def test_a_review_threshold_adds_possible_matches_in_their_band(home: Path) -> None:
    result = run(home, "screen", "Kim Jong Un", "--review-threshold", "0.5", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["review_threshold"] == 0.5 and {h["band"] for h in data["hits"]} == {"match", "review"}
    table = run(home, "screen", "Kim Jong Un", "--review-threshold", "0.5").stdout
    assert "review from 0.5" in table and "│ review │" in table
