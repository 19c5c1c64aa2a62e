"""The `clearance` command on the real lists: one clear line and exit 1 for bad input, store intact."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import copy_home

UN_OLD = "un/UN_consolidated_2025-11-20.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"


def run(
    home: Path, *args: str, env: dict[str, str] | None = None, before: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own; `before` runs in the child first (to set a resource limit)."""
    return subprocess.run(
        [sys.executable, "-m", "clearance", *args],
        env={**os.environ, "CLEARANCE_HOME": str(home), **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=before,
        check=False,
    )


def active(home: Path) -> dict[str, int | None]:
    rows = json.loads(run(home, "lists", "status", "--json").stdout)["lists"]
    return {row["source"]: row["snapshot"]["id"] if row["snapshot"] else None for row in rows}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, listed_home: Path) -> Path:
    """A store holding every source from the shared mirror, and the older UN list before the newer: a copy
    of the session's, so these tests may change it."""
    home = tmp_path_factory.mktemp("home") / "home"
    copy_home(listed_home, home)
    return home


def test_update_loads_every_source_from_the_mirror(loaded: Path) -> None:
    rows = {row["source"]: row for row in json.loads(run(loaded, "lists", "status", "--json").stdout)["lists"]}
    counts = {name: row["snapshot"]["entity_count"] for name, row in rows.items()}
    assert counts == {
        "ofac-sdn": 8976,
        "ofac-cons": 442,
        "eu": 4,
        "uk": 4,
        "un": 1003,
        "us-csl": 14159,
        "eu-annex-iv": 896,
    }


def test_update_again_changes_nothing(loaded: Path, lists_dir: Path) -> None:
    before = active(loaded)
    result = run(loaded, "lists", "update", env={"CLEARANCE_LIST_DIR": str(lists_dir)})
    assert result.returncode == 0
    assert result.stdout.count("unchanged") == 7
    assert active(loaded) == before


def test_status_flags_stale_lists(loaded: Path) -> None:
    result = run(loaded, "lists", "status", "--max-age", "30")
    assert result.returncode == 0
    assert "warning: un is" in result.stderr  # the 2026-02-27 UN list is older than 30 days
    assert "not stated" in result.stdout  # the OFAC CSV set carries no publication date
    assert "warning: ofac-sdn states no publication date" in result.stderr


def test_show_prints_every_field(loaded: Path) -> None:
    result = run(loaded, "lists", "show", "ofac-sdn:9760", "--json")
    entity = json.loads(result.stdout)
    assert entity["names"][0]["full"] == "LUKASHENKA, Alyaksandr Hryhoryavich"
    assert entity["dates_of_birth"] == [{"date": {"year": 1954, "month": 8, "day": 30}}]
    table = run(loaded, "lists", "show", "us-csl:36407").stdout
    assert "MEDVEDEV, Dmitry Anatolievich" in table and "1965-09-14" in table


def test_diff_shows_the_real_un_changes(loaded: Path) -> None:
    result = run(loaded, "lists", "diff", "un")
    assert result.returncode == 0
    assert "4 added, 1 removed, 2 changed" in result.stdout
    for entity_id in ("SDi.007", "SDi.010", "IQi.074", "HTi.006", "SOi.022"):
        assert f"un:{entity_id}" in result.stdout
    data = json.loads(run(loaded, "lists", "diff", "un", "--json").stdout)
    assert [c["id"] for c in data["changed"]] == ["un:HTi.006", "un:SOi.022"]


def test_export_formats(loaded: Path, tmp_path: Path) -> None:
    for fmt in ("jsonl", "csv", "ftm"):
        target = tmp_path / f"un.{fmt}"
        result = run(loaded, "lists", "export", "--format", fmt, "--source", "un", "-o", str(target))
        assert result.returncode == 0, result.stderr
        assert "exported 1,003 entities" in result.stderr
        lines = target.read_text(encoding="utf-8").splitlines()
        if fmt == "jsonl":
            assert len(lines) == 1003
        elif fmt == "csv":
            assert lines[0].startswith("id,source,")
        else:
            records = [json.loads(line) for line in lines]
            parties = [r for r in records if r["schema"] != "Sanction"]
            assert {r["schema"] for r in parties} == {"Person", "Organization"}
            assert sum(r["schema"] == "Sanction" for r in records) == 1003


def _bad_inputs(lists_dir: Path, tmp: Path) -> list[tuple[str, Path]]:
    un_text = (lists_dir / UN_NEW).read_bytes()
    cases: dict[str, bytes] = {
        "empty.xml": b"",
        "truncated.xml": un_text[: len(un_text) // 2],
        "xxe.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<CONSOLIDATED_LIST>&x;</CONSOLIDATED_LIST>",
        "laughs.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<CONSOLIDATED_LIST>&c;</CONSOLIDATED_LIST>",
        "dtd-url.xml": b'<?xml version="1.0"?><!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://127.0.0.1:9/x.dtd">'
        b"<CONSOLIDATED_LIST/>",
        "latin1.xml": un_text.decode("utf-8").encode("utf-8").replace("é".encode(), b"\xe9"),
    }
    paths = []
    for name, data in cases.items():
        path = tmp / name
        path.write_bytes(data)
        paths.append(("un", path))
    paths.append(("un", lists_dir / "eu/eu_fsf_1_1_excerpt_2026-08-05.xml"))
    csl = gzip.decompress((lists_dir / "us-csl/consolidated.csv.gz").read_bytes()).decode("utf-8").splitlines()
    short = tmp / "short-row.csv"
    short.write_text("\n".join([csl[0], *csl[1:50], ",".join(csl[50].split(",")[:5]), *csl[51:60]]) + "\n")
    utf16 = tmp / "utf16.csv"
    utf16.write_bytes("\n".join(csl[:100]).encode("utf-16"))
    paths += [("us-csl", short), ("us-csl", utf16), ("us-csl", lists_dir / UN_NEW)]
    sdn = tmp / "sdn-short"
    sdn.mkdir()
    rows = (lists_dir / "ofac/sdn_csv_2021-07-07/sdn.csv").read_bytes().split(b"\n")
    (sdn / "sdn.csv").write_bytes(b"\n".join([*rows[:20], b'9999,"ONLY NAME"', *rows[21:40]]))
    paths += [("ofac-sdn", sdn), ("ofac-sdn", lists_dir / "ofac/sdn_csv_2025-12_partial")]
    return paths


def test_bad_input_is_refused_in_one_line_and_the_store_is_intact(
    loaded: Path, lists_dir: Path, tmp_path: Path
) -> None:
    before = active(loaded)
    for source, path in _bad_inputs(lists_dir, tmp_path):
        result = run(loaded, "lists", "load", source, str(path))
        assert result.returncode == 1, (path, result.stdout, result.stderr)
        message = result.stderr.strip()
        assert message.startswith("error: ") and "\n" not in message, (path, message)
        assert path.name in message, (path, message)
        assert "Traceback" not in result.stderr
    assert active(loaded) == before
    assert json.loads(run(loaded, "lists", "show", "un:SDi.007", "--json").stdout)["id"] == "un:SDi.007"


def test_unknown_names_get_one_line(loaded: Path, tmp_path: Path) -> None:
    cases = [
        (("lists", "load", "nowhere", str(tmp_path)), "unknown list source 'nowhere'"),
        (("lists", "load", "un", str(tmp_path / "missing.xml")), "missing.xml: no such file"),
        (("lists", "show", "un:XXi.999"), "no entity un:XXi.999"),
        (("lists", "diff", "un", "1", "999"), "no snapshot 999"),
        (("lists", "update", "nowhere"), "unknown list source 'nowhere'"),
    ]
    for args, expected in cases:
        result = run(loaded, *args)
        assert result.returncode == 1, args
        assert expected in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_csv_export_keeps_formulas_as_text(tmp_path: Path) -> None:
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text(
        "id,name,type\n"
        'w1,=HYPERLINK("http://x"),organization\n'
        "w2,+SUM(1;2) Trading,organization\n"
        "w3,@Evil Holdings,organization\n"
        "w4,-Minus Shipping,organization\n"
        "w5,Plain Name Ltd,organization\n",
        encoding="utf-8",
    )
    home = tmp_path / "home"
    assert run(home, "lists", "load", "custom", str(watchlist), "--name", "own").returncode == 0
    result = run(home, "lists", "export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    names = {row["id"]: row["name"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert names["custom:own:w1"] == '\'=HYPERLINK("http://x")'
    assert names["custom:own:w2"].startswith("'+SUM") and names["custom:own:w3"].startswith("'@")
    assert names["custom:own:w4"].startswith("'-") and names["custom:own:w5"] == "Plain Name Ltd"
