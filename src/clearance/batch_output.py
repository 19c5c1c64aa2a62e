"""Where batch records go: JSON lines (one record a line), or CSV or Parquet (one row a hit).

JSON lines keep every record whole. CSV and Parquet flatten a record into one row
per hit (`HIT_COLUMNS`); a record without hits, screened or skipped, is one row
with the hit columns empty, so every input row is in the output. CSV cells that a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
get a leading `'`, as OWASP advises for CSV injection: a listed name or a
customer's own is data, never a formula. Parquet is written by DuckDB from a plain
CSV it reads back, so no dataframe library is needed; its `programmes` is a list
and an empty cell is null.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import IO

from clearance.errors import InputError
from clearance.results import BatchRecord


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


SUFFIXES = {
    ".jsonl": OutputFormat.jsonl,
    ".ndjson": OutputFormat.jsonl,
    ".csv": OutputFormat.csv,
    ".parquet": OutputFormat.parquet,
}
HIT_COLUMNS = ("id", "name", "score", "entity_id", "entity_name", "list", "programmes", "error")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PROGRAMMES_SEPARATOR = "\x1f"  # between programmes in the CSV DuckDB turns into Parquet; no programme holds it
_RAW_SEPARATORS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}

HitRow = tuple[str, str, float | None, str, str, str, tuple[str, ...], str]


def output_format(output: Path | None, chosen: OutputFormat | None) -> OutputFormat:
    """The format asked for, else the one the output's suffix names, else JSON lines."""
    if chosen is not None:
        return chosen
    return SUFFIXES.get(output.suffix.lower(), OutputFormat.jsonl) if output is not None else OutputFormat.jsonl


def json_line(record: BatchRecord) -> str:
    """One JSON line, with the line separators JSON leaves raw escaped: readers that split lines on them
    (Python's `str.splitlines`, older JavaScript) still see one record per line."""
    text = record.model_dump_json()
    for char, escaped in _RAW_SEPARATORS.items():
        text = text.replace(char, escaped)
    return text + "\n"


def hit_rows(record: BatchRecord) -> Iterator[HitRow]:
    """A record as rows of `HIT_COLUMNS`: one per hit, or one with the hit columns empty."""
    name = record.query.name if record.query is not None else ""
    if not record.hits:
        yield (record.id, name, None, "", "", "", (), record.error or "")
    for hit in record.hits:
        yield (record.id, name, hit.score, hit.entity_id, hit.name, hit.source, hit.programmes, "")


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading `'` when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@contextmanager
def batch_writer(output: Path | None, format: OutputFormat) -> Iterator[Callable[[BatchRecord], None]]:
    """A function writing each record to `output` (standard output when None) in `format`; the file is complete
    when the block ends without an error. An output that cannot be written raises `InputError`."""
    if format is OutputFormat.parquet and output is None:
        raise InputError("Parquet output needs a file: --output FILE.parquet")
    try:
        if format is OutputFormat.parquet:
            assert output is not None
            with _parquet(output) as write:
                yield write
            return
        with _text_output(output) as handle:
            if format is OutputFormat.jsonl:

                def write_json(record: BatchRecord) -> None:
                    handle.write(json_line(record))

                yield write_json
                return
            writer = csv.writer(handle, lineterminator="\r\n" if output is not None else "\n")
            writer.writerow(HIT_COLUMNS)

            def write_csv(record: BatchRecord) -> None:
                for row in hit_rows(record):
                    ident, name, score, entity_id, entity_name, source, programmes, error = row
                    texts = (entity_id, entity_name, source, "; ".join(programmes), error)
                    writer.writerow(
                        [safe_cell(ident), safe_cell(name), "" if score is None else score]
                        + [safe_cell(text) for text in texts]
                    )

            yield write_csv
    except OSError as exc:
        raise InputError(f"{output or 'standard output'}: cannot write: {exc.strerror or exc}") from None


@contextmanager
def _text_output(output: Path | None) -> Iterator[IO[str]]:
    if output is not None:
        with output.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    handle = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
    try:
        yield handle
    finally:
        handle.flush()
        handle.detach()


@contextmanager
def _parquet(output: Path) -> Iterator[Callable[[BatchRecord], None]]:
    """Rows into a plain CSV in a temporary folder, then DuckDB reads it into a Parquet file at `output`."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="clearance-") as folder:
        staged = Path(folder) / "hits.csv"
        with staged.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HIT_COLUMNS)

            def write(record: BatchRecord) -> None:
                for *cells, programmes, error in hit_rows(record):
                    writer.writerow([*cells, _PROGRAMMES_SEPARATOR.join(programmes), error])

            yield write
        types = dict.fromkeys(HIT_COLUMNS, "VARCHAR") | {"score": "DOUBLE"}
        columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in types.items()) + "}"
        query = (
            f"COPY (SELECT * EXCLUDE (programmes, error), "
            f"CASE WHEN entity_id IS NULL THEN NULL ELSE string_split(coalesce(programmes, ''), "
            f"'{_PROGRAMMES_SEPARATOR}').list_filter(lambda p: p <> '') END AS programmes, error "
            f"FROM read_csv({_literal(staged)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
            f"escape = '\"', columns = {columns})) TO {_literal(output)} (FORMAT parquet)"
        )
        try:
            with duckdb.connect() as connection:
                connection.execute(query)
        except duckdb.Error as exc:
            raise InputError(f"{output}: cannot write Parquet: {str(exc).splitlines()[0]}") from None


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
