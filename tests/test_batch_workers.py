"""The embedded batch engine: worker processes write what one process writes, in input order; a killed run resumes
to the same output; progress is kept in a checkpoint that refuses another input, other options or other lists."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from clearance.app import Clearance
from clearance.engine import BatchJob, screen_file
from clearance.matching.batch import input_file, read_rows
from clearance.model import Entity
from tests.test_cli import run

PUTIN = "us-csl:35096"
UNLISTED = ("Ingrid Solberg", "Greta Lindqvist", "Jürgen Müller", "Olaf Scholz")


def listed_names(entities: list[Entity], count: int) -> list[tuple[str, str]]:
    """Names as the real lists write them, with their kind, spread over every source."""
    by_source: dict[str, list[tuple[str, str]]] = {}
    for entity in entities:
        if entity.names:
            by_source.setdefault(entity.source, []).append((entity.names[0].full, entity.kind.value))
    spread = [pair for group in zip(*by_source.values(), strict=False) for pair in group]
    return (spread * (count // max(1, len(spread)) + 1))[:count]


def write_parties(path: Path, entities: list[Entity], rows: int) -> Path:
    """A CSV of real listed names between unlisted ones, with a broken row and an unknown type among them."""
    listed = listed_names(entities, rows // 2 + 1)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["id", "name", "type", "note"])
    for number in range(rows):
        if number == 7:
            buffer.write('bad,"never closed,person,x\n')
            continue
        name, kind = listed[number // 2] if number % 2 else (UNLISTED[number % len(UNLISTED)], "person")
        writer.writerow([f"r{number}", name, "unicorn" if number == 11 else kind, f"note {number}"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def without_times(text: str) -> list[dict[str, object]]:
    return [{k: v for k, v in json.loads(line).items() if k != "screened_at"} for line in text.splitlines()]


@pytest.fixture(scope="module")
def parties(tmp_path_factory: pytest.TempPathFactory, all_entities: list[Entity]) -> Path:
    return write_parties(tmp_path_factory.mktemp("parties") / "parties.csv", all_entities, 1_300)


def test_two_workers_write_what_one_writes(listed_home: Path, tmp_path: Path, parties: Path) -> None:
    outputs = {}
    for workers in ("1", "2"):
        for suffix in ("jsonl", "csv"):
            out = tmp_path / f"w{workers}.{suffix}"
            result = run(listed_home, "screen-batch", str(parties), "-o", str(out), "--workers", workers)
            assert result.returncode == 0, result.stderr
            assert "of 1,300 rows" in result.stderr and "2 rows had errors" in result.stderr
            outputs[workers, suffix] = out.read_bytes()
    assert outputs["1", "csv"] == outputs["2", "csv"]
    one, two = (without_times(outputs[w, "jsonl"].decode()) for w in ("1", "2"))
    assert one == two and len(one) == 1_300
    assert [r["id"] for r in one[:9]] == [f"r{n}" for n in range(7)] + ["line 9", "r8"]
    assert str(one[7]["error"]).startswith("line 9: malformed CSV")
    assert sum(1 for r in one if r["hits"]) >= 600  # the listed half is found as the lists write it
    assert not (tmp_path / "w2.csv.checkpoint").exists()  # a finished run leaves no checkpoint


def test_rows_stream_with_the_same_numbers_and_a_cheap_count(parties: Path) -> None:
    source = input_file(parties)
    streamed = source.rows()
    assert iter(streamed) is streamed  # a generator: rows are read as they are screened
    rows = [(line, str(row) if isinstance(row, Exception) else row) for line, row, _ in streamed]
    listed = [(line, str(row) if isinstance(row, Exception) else row) for line, row in read_rows(parties)]
    assert rows == listed and len(rows) == 1_300
    assert source.count() == 1_300  # lines after the header: the broken row's quote spans none here
    assert source.header == ("id", "name", "type", "note")


def test_a_killed_run_resumes_to_the_same_output(listed_home: Path, tmp_path: Path, all_entities: list[Entity]) -> None:
    rows = write_parties(tmp_path / "big.csv", all_entities, 8_000)
    whole = tmp_path / "whole.csv"
    result = run(listed_home, "screen-batch", str(rows), "-o", str(whole), "--workers", "2")
    assert result.returncode == 0, result.stderr

    out = tmp_path / "hits.csv"
    checkpoint = tmp_path / "hits.csv.checkpoint"
    child = subprocess.Popen(
        [sys.executable, "-m", "clearance", "screen-batch", str(rows), "-o", str(out), "--workers", "2"],
        env={**os.environ, "CLEARANCE_HOME": str(listed_home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        done = 0
        while child.poll() is None and done == 0:  # until the checkpoint says some rows are written
            time.sleep(0.05)
            if checkpoint.exists():
                done = json.loads(checkpoint.read_text(encoding="utf-8") or "{}").get("rows", 0)
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert 0 < done < 8_000, "the run was killed before it ended"
    assert checkpoint.exists() and out.read_bytes() != whole.read_bytes()

    resumed = run(listed_home, "screen-batch", str(rows), "-o", str(out), "--workers", "2", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed after {done:,} rows" in resumed.stderr or "resumed after" in resumed.stderr
    assert "screened 7,998 of 8,000 rows" in resumed.stderr  # the summary counts the whole run
    assert out.read_bytes() == whole.read_bytes() and not checkpoint.exists()


def test_resume_refuses_another_input_other_options_or_standard_output(
    listed_home: Path, tmp_path: Path, parties: Path
) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_bytes(parties.read_bytes())
    out = tmp_path / "hits.jsonl"
    missing = run(listed_home, "screen-batch", str(rows), "-o", str(out), "--resume")
    assert missing.returncode == 1
    assert missing.stderr == f"error: {out}.checkpoint: no checkpoint to resume from: run without --resume\n"

    kept = tmp_path / "run.checkpoint"
    first = run(listed_home, "screen-batch", str(rows), "-o", str(out), "--checkpoint", str(kept), "--limit", "2")
    assert first.returncode == 0 and not kept.exists()
    # A run stopped at its start: its checkpoint as written before the first row.
    state: dict[str, object] = {
        "input_digest": "0" * 64,
        "options": "0",
        "list_version": None,
        "rows": 0,
        "offset": 0,
        "with_hits": 0,
        "errors": 0,
        "first_errors": [],
        "format": 1,
    }
    kept.write_text(json.dumps(state), encoding="utf-8")
    changed = run(listed_home, "screen-batch", str(rows), "-o", str(out), "--checkpoint", str(kept), "--resume")
    assert changed.returncode == 1
    assert changed.stderr == (
        f"error: {kept}: the input changed since the checkpoint: start the run again without --resume\n"
    )
    stdout = run(listed_home, "screen-batch", str(rows), "--resume")
    assert stdout.returncode == 1
    assert stdout.stderr == "error: --resume needs --output FILE: standard output cannot be resumed\n"


def test_options_changed_since_the_checkpoint_are_refused(listed_home: Path, tmp_path: Path, parties: Path) -> None:
    out = tmp_path / "hits.csv"
    kept = tmp_path / "hits.csv.checkpoint"
    from clearance.engine.checkpoint import Checkpoint, file_digest

    Checkpoint(file_digest(parties), "not these options", None).save(kept)
    result = run(listed_home, "screen-batch", str(parties), "-o", str(out), "--resume", "--limit", "3")
    assert result.returncode == 1
    assert (
        result.stderr == f"error: {kept}: the options differ from the checkpointed run's: resume with the same ones\n"
    )


def test_recording_with_workers_records_every_row_once(listed_copy: Path, tmp_path: Path, parties: Path) -> None:
    out = tmp_path / "hits.jsonl"
    result = run(listed_copy, "screen-batch", str(parties), "-o", str(out), "--workers", "2", "--record")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(listed_copy / "cases.sqlite") as db:
        recorded = [row[0] for row in db.execute("SELECT subject FROM screenings WHERE kind = 'batch' ORDER BY id")]
    written = [record["id"] for record in without_times(out.read_text(encoding="utf-8"))]
    assert recorded == [f"row:{ident}" for ident in written] and len(written) == 1_300
    resumed = run(listed_copy, "screen-batch", str(parties), "-o", str(out), "--record", "--resume")
    assert resumed.returncode == 1 and "--resume cannot record" in resumed.stderr


def test_with_input_writes_the_input_columns_beside_each_hit(listed_home: Path, tmp_path: Path) -> None:
    rows = tmp_path / "kunden.csv"
    rows.write_text("Kundennr;Name;Filiale\nK1;Vladimir Putin;Wien\nK2;Ingrid Solberg;Graz\n", encoding="utf-8")
    out = tmp_path / "hits.csv"
    args = ["--id-column", "kundennr", "--limit", "2", "--with-input", "--workers", "2"]
    result = run(listed_home, "screen-batch", str(rows), "-o", str(out), *args)
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert list(table[0])[-3:] == ["input_Kundennr", "input_Name", "input_Filiale"]
    assert {(row["id"], row["input_Filiale"]) for row in table} == {("K1", "Wien"), ("K2", "Graz")}
    assert table[0]["entity_id"] == PUTIN and table[-1]["id"] == "K2" and table[-1]["entity_id"] == ""

    parquet = tmp_path / "hits.parquet"
    again = run(listed_home, "screen-batch", str(rows), "-o", str(parquet), *args)
    assert again.returncode == 0, again.stderr
    with duckdb.connect() as connection:
        found = connection.execute(f"SELECT id, entity_id, input_Filiale FROM read_parquet('{parquet}')").fetchall()
    assert found[0] == ("K1", PUTIN, "Wien") and found[-1] == ("K2", None, "Graz") and len(found) == len(table)
    assert not (tmp_path / ".hits.parquet.staging.csv").exists()

    jsonl = run(listed_home, "screen-batch", str(rows), "--with-input")
    assert jsonl.returncode == 1
    assert jsonl.stderr == (
        "error: --with-input needs CSV or Parquet output: a JSON line holds the record, not the input row\n"
    )


def test_parquet_output_is_the_same_with_two_workers(listed_home: Path, tmp_path: Path, parties: Path) -> None:
    tables = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.parquet"
        result = run(listed_home, "screen-batch", str(parties), "-o", str(out), "--workers", workers)
        assert result.returncode == 0, result.stderr
        with duckdb.connect() as connection:
            tables.append(connection.execute(f"SELECT * FROM read_parquet('{out}')").fetchall())
    assert tables[0] == tables[1] and len({row[0] for row in tables[0]}) == 1_300


def test_embedded_options_are_refused_with_the_spark_engine(tmp_path: Path) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_text("name\nVladimir Putin\n", encoding="utf-8")
    out = tmp_path / "hits.csv"
    result = run(tmp_path / "home", "screen-batch", str(rows), "-o", str(out), "--engine", "spark", "--resume")
    assert result.returncode == 1
    assert result.stderr == "error: --resume: options of the embedded engine, not of --engine spark\n"


def test_workers_past_their_memory_budget_write_the_same_output(
    listed_home: Path, tmp_path: Path, parties: Path
) -> None:
    """With a budget of 1 MB each worker empties its memos and decoded records after its first chunk, then each
    time they are full again: slower, and the same records."""
    written = {}
    with Clearance.open(listed_home) as clearance:
        for budget in (0.0, 1.0):
            out = tmp_path / f"budget-{budget}.jsonl"
            job = BatchJob(parties, out, workers=2, chunk_rows=100, worker_memory_mb=budget)
            assert screen_file(clearance, job).rows == 1_300
            written[budget] = without_times(out.read_text(encoding="utf-8"))
    assert written[0.0] == written[1.0]
