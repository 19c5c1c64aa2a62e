"""Batch files as banks keep them: `;` and cp1252 from Excel, JSON lines, Parquet, their own column names; hits out
as JSON lines, CSV safe to open in a spreadsheet, or Parquet."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import duckdb

from tests.test_cli import run

PUTIN = "us-csl:35096"


def lines_of(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines()]


def screen(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = run(home, "screen-batch", *args, "--limit", "1")
    assert result.returncode == 0, result.stderr
    return result


def test_a_european_excel_csv_semicolons_cp1252_no_id(listed_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "kunden.csv"
    rows.write_bytes(
        "Name;Country;Note\r\nMahan Air;IR;Flüge\r\nVladimir Putin;RU;\r\nJürgen Müller;DE;Kunde seit 1998\r\n".encode(
            "cp1252"
        )
    )
    result = screen(listed_home, str(rows))  # no --output: JSON lines on standard output
    records = lines_of(result.stdout)
    assert [r["id"] for r in records] == ["line 2", "line 3", "line 4"]
    assert records[0]["hits"][0]["name"].lower().startswith("mahan air")
    assert records[1]["hits"][0]["entity_id"] == PUTIN
    assert records[2]["query"]["name"] == "Jürgen Müller" and records[2]["hits"] == []
    assert f"warning: {rows} is not UTF-8: read as Windows-1252 (cp1252)" in result.stderr
    assert "screened 3 of 3 rows into standard output: 2 with hits" in result.stderr


def test_jsonl_input_with_a_bad_line_in_the_middle(listed_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "parties.jsonl"
    rows.write_text(
        '{"id": "a1", "name": "Mahan Air", "type": "organization"}\n'
        "{not json\n"
        "\n"
        '["Vladimir Putin"]\n'
        '{"id": 7, "name": "Vladimir Putin", "dob": "1952-10-07", "country": "RU"}\n'
        '{"id": "a3", "name": "Greta Lindqvist"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "hits.jsonl"
    result = screen(listed_home, str(rows), "--output", str(out))
    records = lines_of(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ["a1", "line 2", "line 4", "7", "a3"]
    assert records[1]["error"].startswith("line 2: malformed JSON")
    assert records[2]["error"] == "line 4: a JSON list, not an object"
    assert records[3]["hits"][0]["entity_id"] == PUTIN and records[4]["hits"] == []
    assert "screened 3 of 5 rows" in result.stderr


def test_parquet_input_with_mapped_columns(listed_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "parties.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            "COPY (SELECT * FROM (VALUES ('C-1', 'Vladimir Putin', DATE '1952-10-07', 'RU'), "
            "('C-2', 'Mahan Air', NULL, 'IR'), ('C-3', 'Ingrid Solberg', NULL, 'NO')) "
            f'AS t("Customer No", "Full Name", birth, land)) TO \'{rows}\' (FORMAT parquet)'
        )
    args = ["--id-column", "customer no", "--name-column", "Full Name", "--dob-column", "birth"]
    result = screen(listed_home, str(rows), *args, "--country-column", "land")
    records = lines_of(result.stdout)
    assert [r["id"] for r in records] == ["C-1", "C-2", "C-3"]
    assert records[0]["query"] == {
        "name": "Vladimir Putin",
        "type": None,
        "dob": "1952-10-07",
        "country": "RU",
        "ids": [],
    }
    assert records[0]["hits"][0]["entity_id"] == PUTIN and records[1]["hits"] and records[2]["hits"] == []


def test_a_missing_mapped_column_is_one_error(tmp_path: Path) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_text("id|Full Name\n1|Mahan Air\n", encoding="utf-8")
    result = run(tmp_path / "home", "screen-batch", str(rows), "--name-column", "full name", "--dob-column", "born")
    assert result.returncode == 1
    assert result.stderr == f"error: {rows}: no column 'born' (for dob); its columns: full name, id\n"


def test_csv_output_one_row_a_hit_and_no_formulas(listed_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_text(
        "id,name,type\n"
        'x1,"=HYPERLINK(""http://evil.example"",""Vladimir Putin"")",\n'
        "x2,Vladimir Putin,person\n"
        "x3,Ingrid Solberg,unicorn\n"
        "@x4,Ingrid Solberg,person\n",
        encoding="utf-8",
    )
    out = tmp_path / "hits.csv"
    screen(listed_home, str(rows), "-o", str(out))
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [row["id"] for row in table] == ["x1", "x2", "x3", "'@x4"]
    assert table[0]["name"] == '\'=HYPERLINK("http://evil.example","Vladimir Putin")'
    assert table[1]["name"] == "Vladimir Putin" and table[1]["entity_id"] == PUTIN and table[1]["list"] == "us-csl"
    assert 0 < float(table[1]["score"]) <= 1 and table[1]["entity_name"]
    assert table[2]["error"].startswith("line 4: type: unknown 'unicorn'") and table[2]["entity_id"] == ""
    assert table[3]["entity_id"] == table[3]["score"] == table[3]["error"] == ""
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in table for cell in row.values())


def test_parquet_output_read_back(listed_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_text("name\tcountry\nMahan Air\tIR\nVladimir Putin\tRU\nIngrid Solberg\tNO\n", encoding="utf-8")
    out = tmp_path / "hits.out"
    result = screen(listed_home, str(rows), "--output", str(out), "--format", "parquet")
    with duckdb.connect() as connection:
        table = connection.execute(
            f"SELECT id, name, score, entity_id, list, programmes FROM read_parquet('{out}')"
        ).fetchall()
    assert [row[:2] for row in table] == [
        ("line 2", "Mahan Air"),
        ("line 3", "Vladimir Putin"),
        ("line 4", "Ingrid Solberg"),
    ]
    assert table[0][5] and all(isinstance(p, str) and p for p in table[0][5])
    assert table[1][3] == PUTIN and 0 < table[1][2] <= 1
    assert table[2][2:] == (None, None, None, None)
    assert f"into {out}: 2 with hits" in result.stderr


def test_csv_to_standard_output_and_parquet_needs_a_file(listed_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_text("name\nVladimir Putin\n", encoding="utf-8-sig")
    result = screen(listed_home, str(rows), "--format", "csv")
    assert result.stdout.splitlines()[0] == "id,name,score,band,entity_id,entity_name,list,also,programmes,error"
    assert result.stdout.splitlines()[1].startswith("line 2,Vladimir Putin,") and PUTIN in result.stdout
    failed = run(listed_home, "screen-batch", str(rows), "--format", "parquet")
    assert failed.returncode == 1 and failed.stderr == "error: Parquet output needs a file: --output FILE.parquet\n"
