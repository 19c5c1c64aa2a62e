"""Batch screening on Apache Spark: the embedded engine's records, screened by a cluster's executors.

The driver does what is done once per batch: it learns the active list version from
the store, makes sure its persisted index exists, and works out the fields every
record carries (threshold, list version digest, warnings), exactly as the embedded
engine does (`Clearance.screening_fields`). The index file goes to the executors
(`SparkContext.addFile`, or, with `ship_index=False`, a path they all read, such as
a shared volume); each Python worker opens it once (it is memory-mapped: milliseconds)
and screens its partitions' rows with `clearance.app.batch_records`, the per-row code
of the embedded engine. So the records are the embedded engine's, hit for hit, score
for score, error for error, in input order; only `screened_at`, the time each row was
screened, differs.

A result DataFrame has `RESULT_SCHEMA`: `line` (the row's line, or its number from 1
in the DataFrame's order), then every field of `BatchRecord`, hits as an array of
structs, so `explode(hits)` gives one row per hit. `records` turns it back into
`BatchRecord`s in input order, which `batch_output.batch_writer` writes as the
embedded engine does: the same JSON lines, CSV and Parquet, byte for byte apart from
`screened_at`. `screen_file` does all of that for a batch file, reading it with
`read_rows` (the CSV sniffing, row numbering and row errors of the embedded engine).

    from pyspark.sql import SparkSession
    from clearance.matching.batch import Columns
    from clearance.spark import screen_dataframe

    spark = SparkSession.builder.getOrCreate()
    parties = spark.read.parquet("customers.parquet")
    results = screen_dataframe(parties, Path("/data/clearance"), columns=Columns({"name": "full_name"}))
    results.selectExpr("id", "explode(hits) AS hit").where("hit.score >= 0.9").show()
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import sys
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel
from pyspark import RDD, SparkFiles, StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import types as T

from clearance.app import WARM_RECORDS_FROM, Clearance, batch_records
from clearance.batch_output import OutputFormat, batch_writer
from clearance.errors import InputError, UnavailableError
from clearance.gcpause import gc_paused
from clearance.matching.batch import FIELDS, Columns, Row, _fields, read_rows
from clearance.matching.persisted import index_path, open_index
from clearance.matching.screener import Screener
from clearance.results import BatchRecord, ScreeningFields
from clearance.store.list_version import ListVersion

LOG_CONFIG = Path(__file__).with_name("log4j2.properties")
"""The driver's logging while `session` starts it: errors only (Spark's default warns of the host every time)."""
PARTITIONS_PER_CORE = 4
"""Partitions of a batch file per core: small enough that a slow partition does not hold up the end."""

_SCALARS: dict[Any, T.DataType] = {
    str: T.StringType(),
    float: T.DoubleType(),
    int: T.LongType(),
    bool: T.BooleanType(),
    dt.datetime: T.TimestampType(),
}


def _spark_type(annotation: Any) -> tuple[T.DataType, bool]:
    """The Spark type of a field of a result model, and whether it may be null."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [arg for arg in args if arg is not type(None)]
        return _spark_type(inner)[0], True
    if typing.get_origin(annotation) is tuple:
        element, nullable = _spark_type(args[0])
        return T.ArrayType(element, containsNull=nullable), False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _struct(annotation), False
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return T.StringType(), False
    return _SCALARS[annotation], False


def _plain(value: Any) -> Any:
    """A dumped record's value with its enums as their text: the JVM unpickles Python's own types only."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _struct(model: type[BaseModel]) -> T.StructType:
    """A result model as a Spark struct, field for field: derived, so that the two cannot drift apart."""
    fields = []
    for name, info in model.model_fields.items():
        kind, nullable = _spark_type(info.annotation)
        fields.append(T.StructField(name, kind, nullable))
    return T.StructType(fields)


RESULT_SCHEMA = T.StructType([T.StructField("line", T.LongType(), False), *_struct(BatchRecord).fields])
"""One row per input row: its line (or number from 1), then the fields of `BatchRecord`, in its JSON's order."""


@dataclass(frozen=True)
class _Job:
    """What an executor needs to screen rows as the driver would: pickled into each task, a few kilobytes."""

    index: str
    """The index file's name among the files shipped with `addFile`, or its path when `shipped` is False."""
    shipped: bool
    version: ListVersion
    how: ScreeningFields
    threshold: float | None
    review_threshold: float | None
    """The driver's: its settings', unless the caller gave one."""
    limit: int
    warm_records: bool

    def screener(self) -> Screener:
        """This worker's screener of the job's index, opened (and warmed) on first use only."""
        path = SparkFiles.get(self.index) if self.shipped else self.index
        key = (path, self.version.digest)
        screener = _SCREENERS.get(key)
        if screener is None:
            screener = Screener(open_index(Path(path), self.version), self.version)
            screener.index.warm()
            _SCREENERS.clear()  # one list version at a time: an index no longer screened is let go
            _WARMED.clear()
            _SCREENERS[key] = screener
        if self.warm_records and key not in _WARMED:
            screener.index.warm(records=True)
            _WARMED.add(key)
        # The index's objects live as long as the worker: out of the collector's way, or every collection that
        # the rows' short-lived objects set off walks them all (see `clearance.gcpause`).
        gc.freeze()
        return screener

    def records(self, rows: Iterable[tuple[int, dict[str, Any] | str]]) -> Iterator[tuple[int, BatchRecord]]:
        """A partition's records, each with its row's line, in order."""
        read = [_row(line, cells) for line, cells in rows]
        review = self.review_threshold
        records = batch_records(
            self.screener(), read, self.how, self.threshold, self.limit, _now, review_threshold=review
        )
        for (line, _), record in zip(read, records, strict=True):
            yield line, record

    def rows(self, rows: Iterable[tuple[int, dict[str, Any] | str]]) -> Iterator[tuple[Any, ...]]:
        """A partition's result rows: `(line, *record fields)` per input row, in order."""
        for line, record in self.records(rows):
            yield (line, *(_plain(value) for value in record.model_dump().values()))

    def json(self, rows: Iterable[tuple[int, dict[str, Any] | str]]) -> Iterator[str]:
        """A partition's records as their JSON, in order: a string is all the JVM has to hold and hand back."""
        for _, record in self.records(rows):
            yield record.model_dump_json()


_SCREENERS: dict[tuple[str, str], Screener] = {}
_WARMED: set[tuple[str, str]] = set()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _row(line: int, cells: dict[str, Any] | str) -> Row:
    """A row as `read_rows` gives it: its fields, read and capped as a file's are, or its error."""
    return (line, InputError(cells)) if isinstance(cells, str) else (line, _fields(cells, Columns()))


def _rows_of(df: DataFrame, columns: Columns) -> RDD[tuple[int, dict[str, Any] | str]]:
    """A DataFrame's rows as `(number from 1, fields)`, its columns mapped and read as text as a file's are."""
    by_lower = {name.strip().lower(): name for name in df.columns}
    for name in columns.required():
        if columns.column(name) not in by_lower:
            found = ", ".join(sorted(by_lower)) or "none"
            raise InputError(f"the DataFrame has no column {columns.column(name)!r} (for {name}); its columns: {found}")
    wanted = [name for name in FIELDS if columns.column(name) in by_lower]
    selected = df.select(*[df[by_lower[columns.column(name)]].cast(T.StringType()).alias(name) for name in wanted])

    def numbered(pair: tuple[Any, int]) -> tuple[int, dict[str, Any] | str]:
        values, number = pair
        return number + 1, dict(zip(wanted, values, strict=True))

    return selected.rdd.zipWithIndex().map(numbered)


def _job(
    spark: SparkSession,
    clearance: Clearance,
    threshold: float | None,
    limit: int,
    ship_index: bool,
    warm_records: bool,
    review_threshold: float | None = None,
) -> _Job:
    """The driver's part of every screening here: the list version, its index shipped, the shared fields."""
    screener = clearance.screener()
    version = screener.version
    if version is None:  # a facade's screener always has one; this keeps the type checker and a reader sure
        raise InputError("the screener has no list version to ship")
    path = index_path(clearance.store, version)
    if ship_index:
        spark.sparkContext.addFile(str(path))
    return _Job(
        index=path.name if ship_index else str(path),
        shipped=ship_index,
        version=version,
        how=clearance.screening_fields(screener, threshold),
        threshold=threshold,
        review_threshold=screener.review_threshold if review_threshold is None else review_threshold,
        limit=limit,
        warm_records=warm_records,
    )


def screen_dataframe(
    df: DataFrame,
    clearance_or_home: Clearance | Path,
    *,
    columns: Columns | None = None,
    threshold: float | None = None,
    limit: int = 10,
    ship_index: bool = True,
    warm_records: bool = False,
    review_threshold: float | None = None,
) -> DataFrame:
    """The parties of `df` screened against the active lists of a facade (or of the home it opens).

    `columns` maps fields to `df`'s columns as for a file (compared trimmed and case-blind); every mapped
    column is read as text (`CAST AS STRING`). Rows are numbered from 1 in `df`'s order; a row whose `id`
    is empty is named `line N` by that number (numbering counts each partition's rows: one quick job, now).
    The result (`RESULT_SCHEMA`) has one row per row of `df`, in its order, and is screened lazily, like any
    DataFrame: each action on it screens again, unless it is persisted. `ship_index=False`: executors read the index at
    the store's own path (a volume they share) instead of a copy shipped with the job. `warm_records`:
    each worker decodes every listed name first (some 3 s), repaid from about 20,000 rows a worker.
    `review_threshold`: also report hits from this score up, in the review band (None: the settings').
    A missing column raises `InputError` here, before any job runs.
    """
    spark = df.sparkSession
    rows = _rows_of(df, columns or Columns())
    if isinstance(clearance_or_home, Clearance):
        job = _job(spark, clearance_or_home, threshold, limit, ship_index, warm_records, review_threshold)
    else:
        with Clearance.open(clearance_or_home) as clearance:  # all the driver needs of it is read here, at once
            job = _job(spark, clearance, threshold, limit, ship_index, warm_records, review_threshold)
    return spark.createDataFrame(rows.mapPartitions(job.rows), RESULT_SCHEMA, verifySchema=False)


def records(results: DataFrame) -> Iterator[BatchRecord]:
    """The records of a result DataFrame, in its order, as the embedded engine returns them.

    Spark hands timestamps back in the local time zone, naive; `screened_at` is made UTC again.
    """
    for row in results.toLocalIterator(prefetchPartitions=True):
        fields = row.asDict(recursive=True)
        del fields["line"]
        fields["screened_at"] = fields["screened_at"].astimezone(dt.UTC)
        yield BatchRecord.model_validate(fields)


class BatchTotals(NamedTuple):
    """What a front end reports of a screened file: rows, rows with hits, each skipped row's error, warnings."""

    rows: int
    with_hits: int
    errors: list[str]
    warnings: tuple[str, ...]


@dataclass
class _Session:
    """A Spark session for one batch: the caller's, or one started here (and stopped when done)."""

    master: str
    given: SparkSession | None = None
    started: SparkSession | None = field(default=None, init=False)

    def __enter__(self) -> SparkSession:
        found = self.given or SparkSession.getActiveSession()
        if found is not None:
            return found
        self.started = session(self.master, "clearance screen-batch")
        return self.started

    def __exit__(self, *_: object) -> None:
        if self.started is not None:
            self.started.stop()


def session(master: str = "local[*]", name: str = "clearance") -> SparkSession:
    """A quiet Spark session whose Python workers run this interpreter (and so have clearance installed), unless
    `PYSPARK_PYTHON` names another: PySpark starts workers with that, else any `python3` on the path.

    Spark runs on Java (`JAVA_HOME`, else `java` on the path); without one, `UnavailableError`."""
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and shutil.which("java") is None:
        # Else Spark's own launcher fails with a page of output that does not say why.
        raise UnavailableError(
            "Spark needs a Java runtime, 17 or later, and finds none: install one (Debian: openjdk-17-jre-headless) "
            "or set JAVA_HOME"
        )
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName(name)
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    return spark


def screen_file(
    clearance: Clearance,
    input_path: Path,
    output: Path | None,
    output_format: OutputFormat,
    columns: Columns | None = None,
    threshold: float | None = None,
    limit: int = 10,
    master: str = "local[*]",
    *,
    spark: SparkSession | None = None,
    ship_index: bool = True,
    warn: typing.Callable[[str], None] | None = None,
    review_threshold: float | None = None,
) -> BatchTotals:
    """Screen a batch file on Spark into `output` (standard output when None), as `screen-batch` does embedded.

    The file is read by `read_rows` on the driver, so row numbers, ids and errors are the embedded engine's
    (`warn` is told how a CSV not in UTF-8 was read); the rows are screened in partitions on the executors,
    and their records written in input order by `batch_writer`, recorded first when the settings say so.
    Uses `spark`, else the active session, else one on `master` started and stopped here.
    """
    rows = read_rows(input_path, columns, warn=warn)
    errors: list[str] = []
    with_hits = 0
    warnings: tuple[str, ...] = ()
    with _Session(master, spark) as active:
        context = active.sparkContext
        cores = context.defaultParallelism
        slices = max(1, min(len(rows), cores * PARTITIONS_PER_CORE))
        shipped = [(line, str(row) if isinstance(row, InputError) else row) for line, row in rows]
        warm = len(rows) / cores >= WARM_RECORDS_FROM
        job = _job(active, clearance, threshold, limit, ship_index, warm, review_threshold)
        screened = context.parallelize(shipped, slices).mapPartitions(job.json)
        # Screened in parallel first, then read back in order: reading alone would run one partition at a time.
        # As JSON, the records pass through the JVM as strings it only stores and hands back: turning each into a
        # nested Spark row and back took the JVM several times the CPU, on the cores the screening needs.
        screened.persist(StorageLevel.MEMORY_AND_DISK)
        try:
            screened.count()
            found: Iterator[BatchRecord] = (
                BatchRecord.model_validate_json(text) for text in screened.toLocalIterator(prefetchPartitions=True)
            )
            if clearance.settings.record:
                request: dict[str, object] = {"threshold": threshold, "limit": limit}
                if review_threshold is not None:
                    request["review_threshold"] = review_threshold
                found = clearance.cases.recorder.rows(found, request, clearance.screener().version)
            # Records are acyclic, and many: reference counting frees them, and a collection set off by them
            # would walk the driver's index too (see `clearance.gcpause`).
            with gc_paused(), batch_writer(output, output_format) as write:
                for record in found:
                    if record.error is not None:
                        errors.append(record.error)
                    with_hits += bool(record.hits)
                    warnings = record.warnings
                    write(record)
        finally:
            screened.unpersist()
    return BatchTotals(len(rows), with_hits, errors, warnings)
