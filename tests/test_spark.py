"""The Spark engine gives the embedded engine's records: same hits, scores, order and errors, on the real lists.

Spark runs in local mode on two cores, one session for the module (it takes seconds to
start). Every file here has more rows than the session has partitions, so rows cross
partition boundaries and their order is put to the test.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from clearance.app import Clearance
from clearance.batch_output import OutputFormat, batch_writer
from clearance.errors import InputError
from clearance.matching.batch import Columns, read_rows
from clearance.results import BatchRecord, HitResult

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None and not os.environ.get("JAVA_HOME"),
    reason="Spark needs Java 17 or later (`make java` installs it); neither `java` nor JAVA_HOME is here",
)

pyspark_sql = pytest.importorskip("pyspark.sql")

from clearance import spark as engine  # noqa: E402  (after the skip: it imports pyspark)

PUTIN = "us-csl:35096"
LISTED = [
    ("Vladimir Putin", "person", "1952-10-07", "RU"),
    ("Mahan Air", "organization", "", "IR"),
    ("Dmitry Medvedev", "", "1965-09-14", ""),
    ("Лукашенко Александр Григорьевич", "person", "", ""),
    ("RI WON HO", "", "1964-07-17", "KP"),
]
NOT_LISTED = ["Greta Lindqvist", "Jürgen Müller", "Ingrid Solberg", "Chiara Rossi", "Pieter Dijkstra"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = engine.session("local[2]", "clearance tests")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def clearance(listed_home: Path) -> Iterator[Clearance]:
    with Clearance.open(listed_home) as app:
        yield app


@pytest.fixture(scope="module")
def parties(clearance: Clearance) -> list[tuple[str, str, str, str, str]]:
    """Rows of (id, name, type, dob, country): listed names, names of the store's entities, made-up names."""
    entities = sorted(clearance.store.active_entities(), key=lambda e: e.id)[::997][:12]
    rows = [(f"L{n}", name, kind, dob, country) for n, (name, kind, dob, country) in enumerate(LISTED)]
    rows += [(f"E{n}", e.name, e.kind.value, "", "") for n, e in enumerate(entities)]
    rows += [(f"N{n}", name, "person", "", "") for n, name in enumerate(NOT_LISTED)]
    rows += [("", "Mahan Air", "", "", ""), ("X1", "Anna Weber", "alien", "", ""), ("X2", "", "", "", "")]
    return rows


def embedded(clearance: Clearance, path: Path, columns: Columns | None = None, **options: Any) -> list[BatchRecord]:
    return list(clearance.screen_rows(read_rows(path, columns), **options))


def spark_records(
    clearance: Clearance, spark: Any, path: Path, out: Path, columns: Columns | None = None, **options: Any
) -> list[BatchRecord]:
    totals = engine.screen_file(clearance, path, out, OutputFormat.jsonl, columns, spark=spark, **options)
    records = [BatchRecord.model_validate_json(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert totals.rows == len(records)
    assert totals.with_hits == sum(bool(r.hits) for r in records)
    assert totals.errors == [r.error for r in records if r.error is not None]
    return records


def same(records: list[BatchRecord]) -> list[dict[str, Any]]:
    """Records as compared: everything but the time each row was screened."""
    return [record.model_dump(exclude={"screened_at"}) for record in records]


def write_csv(path: Path, rows: list[tuple[str, ...]], tail: str = "") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "type", "dob", "country"])
        writer.writerows(rows)
        handle.write(tail)
    return path


def test_a_csv_of_listed_unlisted_and_broken_rows_gives_the_embedded_records(
    clearance: Clearance, spark: Any, parties: list[tuple[str, ...]], tmp_path: Path
) -> None:
    broken = (
        'B1,Vladimir Putin,person,,RU,surplus\r\nB2,"Mahan "Air",,,\r\nB3,"never closed,,,\r\nB4,Dmitry Medvedev,,,\r\n'
    )
    path = write_csv(tmp_path / "parties.csv", parties, broken)
    expected = embedded(clearance, path)
    found = spark_records(clearance, spark, path, tmp_path / "spark.jsonl")
    assert same(found) == same(expected)
    assert len(found) > spark.sparkContext.defaultParallelism * engine.PARTITIONS_PER_CORE
    version = clearance.screener().version
    assert version is not None and found[0].list_version == version.digest
    assert found[0].hits[0].entity_id == PUTIN
    assert sum(bool(r.hits) for r in found) >= len(LISTED) + 10
    errors = {r.id: r.error for r in found if r.error}
    assert errors["X1"].startswith("line 25: type: unknown 'alien'")
    assert set(errors) == {"X1", "X2", "line 27", "line 28"}  # line 28's stray quote pairs with line 29's
    assert found[-1].id == "B4" and found[-1].hits
    assert [r.id for r in found if r.id.startswith("N")] == [f"N{n}" for n in range(5)]
    assert all(not r.hits for r in found if r.id.startswith("N"))
    assert {r.screened_at.tzinfo is not None for r in found} == {True}


@pytest.mark.parametrize("kind", [OutputFormat.csv, OutputFormat.parquet, OutputFormat.jsonl])
def test_output_files_are_the_embedded_engines(
    clearance: Clearance, spark: Any, parties: list[tuple[str, ...]], tmp_path: Path, kind: OutputFormat
) -> None:
    path = write_csv(tmp_path / "parties.csv", parties, "B4,Anna Weber,alien,,\r\n")
    ours, theirs = tmp_path / f"spark.{kind}", tmp_path / f"embedded.{kind}"
    with batch_writer(theirs, kind) as write:
        for record in clearance.screen_rows(read_rows(path), limit=3):
            write(record)
    engine.screen_file(clearance, path, ours, kind, limit=3, spark=spark)
    if kind is OutputFormat.csv:  # no time in it: the very same bytes
        assert ours.read_bytes() == theirs.read_bytes()
        assert PUTIN in ours.read_text(encoding="utf-8")
    elif kind is OutputFormat.parquet:
        with duckdb.connect() as connection:
            read = "SELECT * FROM read_parquet(?)"
            assert (
                connection.execute(read, [str(ours)]).fetchall() == connection.execute(read, [str(theirs)]).fetchall()
            )
    else:
        lines = [[json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()] for p in (ours, theirs)]
        for line in lines[0] + lines[1]:
            assert line.pop("screened_at").endswith("Z")
        assert lines[0] == lines[1] and len(lines[0]) == len(parties) + 1


def test_jsonl_and_parquet_input_with_mapped_columns_a_threshold_and_a_limit(
    clearance: Clearance, spark: Any, parties: list[tuple[str, ...]], tmp_path: Path
) -> None:
    jsonl = tmp_path / "parties.jsonl"
    lines = [json.dumps({"Ref": ident, "Full Name": name, "type": kind}) for ident, name, kind, *_ in parties]
    lines[3:3] = ["{not json", '["Vladimir Putin"]', ""]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    staged = write_csv(tmp_path / "staged.csv", parties)
    parquet = tmp_path / "parties.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f'COPY (SELECT id AS "Ref", name AS "Full Name", type, NULLIF(dob, \'\') AS dob FROM '
            f"read_csv('{staged}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)"
        )
    columns = Columns({"id": "ref", "name": "full name"})
    for path, alien in ((jsonl, 27), (parquet, 24)):
        expected = embedded(clearance, path, columns, threshold=0.9, limit=2)
        found = spark_records(clearance, spark, path, tmp_path / "spark.jsonl", columns, threshold=0.9, limit=2)
        assert same(found) == same(expected)
        assert {r.threshold for r in found} == {0.9} and max(len(r.hits) for r in found) == 2
        assert f"line {alien}: type: unknown 'alien' (person, organization, vessel, aircraft)" in [
            r.error for r in found
        ]
    assert found[0].hits[0].entity_id == PUTIN and found[0].query is not None and found[0].query.dob == "1952-10-07"


def test_a_dataframe_screened_in_its_order_with_its_own_column_names(
    clearance: Clearance, spark: Any, parties: list[tuple[str, ...]]
) -> None:
    df = spark.createDataFrame(
        [(ident or None, name, kind, dob, 7) for ident, name, kind, dob, _ in parties],
        "Customer string, FULL_NAME string, type string, birth string, branch int",
    )
    columns = Columns({"id": "customer", "name": "full_name", "dob": "birth"})
    results = engine.screen_dataframe(df, clearance, columns=columns, limit=5)
    assert results.schema == engine.RESULT_SCHEMA
    rows = [
        (line, {"id": ident, "name": name, "type": kind, "dob": dob})
        for line, (ident, name, kind, dob, _) in enumerate(parties, start=1)
    ]
    expected = list(clearance.screen_rows(rows, limit=5))
    assert same(list(engine.records(results))) == same(expected)
    hits = results.selectExpr("id", "explode(hits) AS hit").where("hit.score >= 0.95")
    assert PUTIN in [row[0] for row in hits.where("id = 'L0'").select("hit.entity_id").collect()]
    assert [tuple(row) for row in results.where("error IS NOT NULL").select("line", "id").collect()] == [
        (24, "X1"),
        (25, "X2"),
    ]
    assert [row[0] for row in results.where("line = 23").select("id").collect()] == ["line 23"]  # named by its number


def test_the_index_read_from_the_stores_own_path(
    clearance: Clearance, spark: Any, parties: list[tuple[str, ...]], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "parties.csv", parties)
    found = spark_records(clearance, spark, path, tmp_path / "spark.jsonl", ship_index=False)
    assert same(found) == same(embedded(clearance, path))


def test_a_dataframe_screened_against_a_home_given_by_its_path(
    clearance: Clearance, spark: Any, listed_home: Path
) -> None:
    df = spark.createDataFrame([("Vladimir Putin", "RU"), ("Greta Lindqvist", "SE")], "name string, country string")
    by_path = list(engine.records(engine.screen_dataframe(df, listed_home)))
    rows = [(1, {"name": "Vladimir Putin", "country": "RU"}), (2, {"name": "Greta Lindqvist", "country": "SE"})]
    assert same(by_path) == same(list(clearance.screen_rows(rows)))
    assert by_path[0].hits[0].entity_id == PUTIN and not by_path[1].hits


def test_a_dataframe_without_the_name_column_is_refused_before_any_job(clearance: Clearance, spark: Any) -> None:
    df = spark.createDataFrame([("Vladimir Putin",)], "full_name string")
    with pytest.raises(InputError, match="no column 'name' \\(for name\\); its columns: full_name"):
        engine.screen_dataframe(df, clearance)


def test_the_result_schema_follows_the_batch_record_model() -> None:
    schema = engine.RESULT_SCHEMA
    assert schema.names == ["line", *BatchRecord.model_fields]
    hits = schema["hits"].dataType
    assert isinstance(hits, pyspark_sql.types.ArrayType) and not hits.containsNull
    hit = hits.elementType
    assert isinstance(hit, pyspark_sql.types.StructType) and hit.names == list(HitResult.model_fields)
    assert schema["error"].nullable and not schema["id"].nullable
    assert hit["score"].dataType == pyspark_sql.types.DoubleType()
    assert schema["screened_at"].dataType == pyspark_sql.types.TimestampType()


def test_without_java_a_session_is_refused_in_one_line(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name != "JAVA_HOME"} | {"PATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", "from clearance.spark import session; session()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "clearance.errors.UnavailableError: Spark needs a Java runtime, 17 or later, and finds none: "
        "install one (Debian: openjdk-17-jre-headless) or set JAVA_HOME"
    )
