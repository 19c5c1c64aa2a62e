"""`clearance register load|status` and `clearance rescreen` as a bank runs them: counts, new alerts as JSON lines,
and bad input refused in one line with the register left as it was."""

from __future__ import annotations

import json
from pathlib import Path

from tests.register.conftest import HEADER, un_snapshots
from tests.test_cli import run


def status(home: Path) -> dict[str, object]:
    result = run(home, "register", "status", "--json")
    assert result.returncode == 0, result.stderr
    found: dict[str, object] = json.loads(result.stdout)
    return found


def test_load_update_status_and_rescreen(old_home: Path, before_file: Path, after_file: Path) -> None:
    loaded = run(old_home, "register", "load", str(before_file))
    assert loaded.returncode == 0, loaded.stderr
    assert f"11 subjects from {before_file}: 11 new, 0 changed, 0 removed, 0 unchanged" in loaded.stdout
    first = run(old_home, "rescreen", "--output", str(old_home / "first.jsonl"))
    assert first.returncode == 0, first.stderr
    assert "full screening: first screening of this register" in first.stderr

    again = run(old_home, "register", "load", str(after_file), "--json")
    assert json.loads(again.stdout) | {"path": ""} == {
        "path": "",
        "subjects": 12,
        "new": 2,
        "changed": 2,
        "removed": 1,
        "unchanged": 8,
    }
    assert status(old_home)["due"] == 4
    _, newer = un_snapshots(old_home)
    assert run(old_home, "lists", "activate", str(newer)).returncode == 0

    result = run(old_home, "rescreen")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_id = {record["id"]: record for record in records}
    assert [hit["entity_id"] for hit in by_id["c07"]["hits"]] == ["un:SDi.007"]
    assert set(records[0]) == {
        "id",
        "query",
        "hits",
        "error",
        "algorithm",
        "config",
        "threshold",
        "review_threshold",
        "list_version",
        "warnings",
        "screened_at",
    }
    assert "delta screening: 4 new or changed subjects" in result.stderr
    assert "1 alerts on delisted entities dropped" in result.stderr
    now = status(old_home)
    assert now["due"] == 0 and now["subjects"] == 12
    screened = now["screened"]
    assert isinstance(screened, dict) and screened["snapshots"]["un"] == newer
    last_full = now["last_full"]  # the first screening, on the older list version: the delta was no full one
    assert isinstance(last_full, dict) and last_full["list_version"] != screened["list_version"]
    table = run(old_home, "register", "status")
    assert "screened against" in table.stdout and f"un {newer}" in table.stdout


def test_bad_rows_are_refused_and_the_register_kept(old_home: Path, before_file: Path, tmp_path: Path) -> None:
    assert run(old_home, "register", "load", str(before_file)).returncode == 0
    kept = status(old_home)
    cases = {
        "id,name,dob\nx1,Anna Berg,1970-13-45\n": "line 2: dob: not a date",
        "id,name,type\nx1,Anna Berg,robot\n": "line 2: type: unknown 'robot'",
        "id,name\nx1,Anna Berg\nx1,Nils Berg\n": "line 3: id: 'x1' again (first on line 2)",
        "id,name\n,Anna Berg\n": "line 2: id: empty",
        "id,name\nx1,\n": "line 2: name: empty",
        "name,country\nAnna Berg,SE\n": "no column 'id' (for id)",
        "id,name,country\nx1,Anna Berg,Atlantis\n": "line 2: country: not a country: 'Atlantis'",
    }
    for number, (text, why) in enumerate(cases.items()):
        path = tmp_path / f"bad-{number}.csv"
        path.write_text(text, encoding="utf-8")
        result = run(old_home, "register", "load", str(path))
        assert result.returncode == 1, text
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {path}") and why in lines[0], (text, lines)
    assert status(old_home) == kept


def test_the_column_options_name_the_columns(old_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "kunden.csv"
    path.write_text("Kunde;Voller Name;Land\nk1;Mahan Air;IR\nk2;Anna Berg;SE\n", encoding="utf-8")
    args = ["--id-column", "kunde", "--name-column", "Voller Name", "--country-column", "land"]
    result = run(old_home, "register", "load", str(path), *args)
    assert result.returncode == 0, result.stderr
    assert "2 subjects" in result.stdout
    missing = run(old_home, "register", "load", str(path))
    assert missing.returncode == 1 and "no column 'id'" in missing.stderr


def test_rescreen_refuses_without_a_register_or_without_lists(tmp_path: Path, before_file: Path) -> None:
    home = tmp_path / "empty"
    result = run(home, "rescreen")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"error: {home / 'register.duckdb'}: no register here: run `clearance register load FILE` first"
    )
    assert run(home, "register", "load", str(before_file)).returncode == 0
    result = run(home, "rescreen")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no list store here: run `clearance lists update`" in lines[0]
    assert status(home)["screened"] is None


def test_empty_register_file_header_only(old_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(HEADER, encoding="utf-8")
    result = run(old_home, "register", "load", str(path))
    assert result.returncode == 1 and f"error: {path}: no rows; the register is unchanged" in result.stderr


def test_every_register_command_is_documented() -> None:
    import typer.main

    from clearance.cli import register_app

    text = (Path(__file__).resolve().parents[2] / "docs" / "register.md").read_text(encoding="utf-8")
    names = list(typer.main.get_group(register_app).commands)
    assert sorted(names) == ["load", "status"]
    for name in names:
        assert f"clearance register {name} " in text, name
    assert "clearance rescreen " in text
