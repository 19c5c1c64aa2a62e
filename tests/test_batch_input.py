"""Batch CSV input read by the csv module: separators kept in cells, broken rows reported at their line and skipped."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearance.errors import ClearanceError
from clearance.matching.batch import FIELD_CAP, read_rows, sniff_encoding
from tests.test_cli import run

PUTIN = "us-csl:35096"
MEDVEDEV = "us-csl:36407"


def screen_batch(
    home: Path, tmp_path: Path, content: str | bytes
) -> tuple[subprocess.CompletedProcess[str], list[Any]]:
    """Run `clearance screen-batch` on a file holding `content` exactly: its result and its JSON lines."""
    rows = tmp_path / "parties.csv"
    rows.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    output = tmp_path / "hits.jsonl"
    result = run(home, "screen-batch", str(rows), "--output", str(output), "--limit", "1")
    assert result.returncode == 0, result.stderr
    return result, [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]


def first_hits(records: list[Any]) -> dict[str, str | None]:
    return {r["id"]: r["hits"][0]["entity_id"] if r["hits"] else r["error"] for r in records}


def test_separators_inside_names_stay_inside_them(listed_home: Path, tmp_path: Path) -> None:
    content = (
        "id,name\n"
        'q1,"Vladimir\u2028Putin"\n'
        'q2,"Dmitry\x0cMedvedev"\n'
        'q3,"Vladimir\x1ePutin"\n'
        "u1,Vladimir\u2028Putin\n"
        "u2,Dmitry\x85Medvedev\n"
        "u3,Vladimir\x1ePutin\n"
    )
    result, records = screen_batch(listed_home, tmp_path, content)
    assert first_hits(records) == {"q1": PUTIN, "q2": MEDVEDEV, "q3": PUTIN, "u1": PUTIN, "u2": MEDVEDEV, "u3": PUTIN}
    # The output's lines split as `str.splitlines` splits them: U+2028 and NEL are escaped in the JSON.
    assert [r["query"]["name"] for r in records[3:5]] == ["Vladimir\u2028Putin", "Dmitry\x85Medvedev"]
    assert "screened 6 of 6 rows" in result.stderr and "6 with hits" in result.stderr


def test_a_name_split_over_lines_in_quotes_keeps_later_line_numbers(listed_home: Path, tmp_path: Path) -> None:
    content = 'id,name,type\r\np1,"Vladimir\r\nPutin",person\r\np2,Dmitry Medvedev,unicorn\r\n'
    _, records = screen_batch(listed_home, tmp_path, content)
    assert records[0]["id"] == "p1" and records[0]["hits"][0]["entity_id"] == PUTIN
    assert records[1]["id"] == "p2" and records[1]["error"].startswith("line 4: type: unknown 'unicorn'")


def test_an_unclosed_quote_is_reported_and_the_next_lines_are_read_again(listed_home: Path, tmp_path: Path) -> None:
    content = 'id,name\np1,"Vladimir Putin\np2,Dmitry Medvedev\np3,"Vladimir Putin"\n'
    result, records = screen_batch(listed_home, tmp_path, content)
    assert first_hits(records) == {
        "line 2": "line 2: malformed CSV: a quoted cell is never closed; the next row read starts on line 3",
        "p2": MEDVEDEV,
        "p3": PUTIN,
    }
    assert "skipped: line 2: malformed CSV" in result.stderr
    assert "screened 2 of 3 rows" in result.stderr and "1 row had errors and were skipped" in result.stderr


def test_cells_over_the_cap_are_reported_and_skipped(listed_home: Path, tmp_path: Path) -> None:
    content = (
        "id,name,country\n"
        f'big,"{"A" * 200_000}",RU\n'
        "p2,Dmitry Medvedev,RU\n"
        f"long,Vladimir Putin,{'R' * (FIELD_CAP + 1)}\n"
        "p4,Vladimir Putin,RU\n"
    )
    result, records = screen_batch(listed_home, tmp_path, content)
    assert first_hits(records) == {
        "line 2": "line 2: malformed CSV: a cell is over 10,000 characters; the next row read starts on line 3",
        "p2": MEDVEDEV,
        "line 4": "line 4: country: 10,001 characters, over the cap of 10,000",
        "p4": PUTIN,
    }
    assert "screened 2 of 4 rows" in result.stderr and "2 with hits; 2 rows had errors" in result.stderr


def test_rows_that_do_not_fit_the_header_or_are_not_utf8_are_skipped(listed_home: Path, tmp_path: Path) -> None:
    content = (
        b"id,name,type\n"
        b"p1,Putin, Vladimir,person\n"
        b"Medvedev\n"
        b"p3,Jos\xe9 Putin,person\n"
        b'p4,"Romashka" OOO,organization\n'
        b"p5,Dmitry Medvedev,person\n"
        + "p6,Владимир Путин,person\n".encode()  # UTF-8 beside the stray byte: the file is read as UTF-8
    )
    result, records = screen_batch(listed_home, tmp_path, content)
    assert [r["id"] for r in records] == ["line 2", "line 3", "line 4", "line 5", "p5", "p6"]
    errors = [r["error"] for r in records[:4]]
    assert errors[0] == "line 2: 4 cells, the header has 3: a delimiter in an unquoted cell?"
    assert errors[1] == "line 3: 1 cell(s), no name: the header has 3"
    assert errors[2] == "line 4: name: not UTF-8 (byte 0xe9)"
    assert errors[3].startswith("line 5: malformed CSV: text after the quote closing a cell")
    assert records[4]["hits"][0]["entity_id"] == MEDVEDEV
    assert "screened 2 of 6 rows" in result.stderr and "4 rows had errors and were skipped" in result.stderr
    assert "not UTF-8: read as" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,name\np1,Vladimir Putin\n".encode("utf-16"), "UTF-16 (Excel's 'Unicode text'): save it as CSV UTF-8"),
        (b"id,country\np1,RU\n", "no column 'name' (for name); its columns: country, id"),
        (b"id,n\xe4me\n" + "p1,Путин\n".encode(), "not UTF-8 (its header is not)"),
        (b'id,"name\n', "line 1: malformed CSV header: a quoted cell is never closed"),
    ],
)
def test_file_level_problems_are_one_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "parties.csv"
    path.write_bytes(content)
    result = run(tmp_path / "home", "screen-batch", str(path), "--output", str(tmp_path / "out.jsonl"))
    assert result.returncode == 1 and result.stderr == f"error: {path}: {message}\n"


CSV_ISH = st.text(st.sampled_from('ab1,"\r\n \t\u2028\u2029\x85\x0c\x1e\x0b\x00é€'), max_size=120)


@settings(max_examples=200, deadline=None)
@given(
    header=st.sampled_from(["id,name\n", "id,name,type\r\n", '"id",name\r', ""]),
    body=st.lists(st.one_of(CSV_ISH, st.binary(max_size=3))),
)
def test_any_input_gives_rows_each_starting_with_its_id_or_a_clearance_error(
    tmp_path_factory: pytest.TempPathFactory, header: str, body: list[str | bytes]
) -> None:
    data = header.encode() + b"".join(p if isinstance(p, bytes) else p.encode() for p in body)
    path = tmp_path_factory.mktemp("rows") / "rows.csv"
    path.write_bytes(data)
    try:
        rows = read_rows(path)
    except ClearanceError:
        return
    text = data.decode(sniff_encoding(path), "surrogateescape").removeprefix("\ufeff")
    line_starts = [0] + [m.end() for m in re.finditer("\r\n|\r|\n", text)]
    lines = [line for line, _ in rows]
    assert lines == sorted(set(lines)) and all(2 <= line <= len(line_starts) for line in lines)
    for line, row in rows:
        if isinstance(row, dict) and "id" in row:  # the first cell of the line the row starts on, as written or quoted
            at = text[line_starts[line - 1] :]
            assert at.startswith(row["id"]) or at.startswith('"' + row["id"].replace('"', '""') + '"')


NAMES = st.text(max_size=40).filter(lambda name: name.strip() != "")


@settings(max_examples=200, deadline=None)
@given(parties=st.lists(st.tuples(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True), NAMES), max_size=8))
def test_rows_written_as_csv_are_read_back_exactly_at_their_lines(
    tmp_path_factory: pytest.TempPathFactory, parties: list[tuple[str, str]]
) -> None:
    written = io.StringIO(newline="")
    writer = csv.writer(written)
    writer.writerow(["id", "name"])
    starts = []
    for party in parties:
        starts.append(1 + len(re.findall("\r\n|\r|\n", written.getvalue())))
        writer.writerow(party)
    path = tmp_path_factory.mktemp("rows") / "rows.csv"
    path.write_bytes(written.getvalue().encode("utf-8"))
    assert read_rows(path) == [(line, {"id": i, "name": n}) for line, (i, n) in zip(starts, parties, strict=True)]
