"""Where batch records go: JSON lines (one record a line), or CSV or Parquet (one row a hit).

JSON lines keep every record whole. CSV and Parquet flatten a record into one row
per hit, that is per designation (`HIT_COLUMNS`): its best list entry, its band, and
in `also` the other lists' entries of it; a record without hits, screened or skipped,
is one row with the hit columns empty, so every input row is in the output. CSV cells that a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
get a leading `'`, as OWASP advises for CSV injection: a listed name or a
customer's own is data, never a formula. Parquet is written by DuckDB from a plain
CSV it reads back, so no dataframe library is needed; its `also` and `programmes`
are lists and an empty cell is null. That CSV is staged beside the output (`staging_path`),
where a checkpointed run can resume it.

Records are rendered to text a chunk at a time (`render`), by whichever process
screened them, and a `BatchSink` writes the chunks in order as bytes, so a
checkpoint can name the byte offset the output is complete to. With input
columns (`Layout.input_columns`), CSV and Parquet rows carry the input row's own
cells beside the hit columns, as `input_<column>`.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

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
HIT_COLUMNS = ("id", "name", "score", "band", "entity_id", "entity_name", "list", "also", "programmes", "error")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LIST_SEPARATOR = "\x1f"  # between the items of a list cell in the CSV DuckDB turns into Parquet; no item holds it
_RAW_SEPARATORS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}

HitRow = tuple[str, str, float | None, str, str, str, str, tuple[str, ...], tuple[str, ...], str]


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
    """A record as rows of `HIT_COLUMNS`: one per hit (a designation), or one with the hit columns empty."""
    name = record.query.name if record.query is not None else ""
    if not record.hits:
        yield (record.id, name, None, "", "", "", "", (), (), record.error or "")
    for hit in record.hits:
        also = tuple(other.entity_id for other in hit.also)
        yield (
            record.id,
            name,
            hit.score,
            hit.band.value,
            hit.entity_id,
            hit.name,
            hit.source,
            also,
            hit.programmes,
            "",
        )


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading `'` when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Layout:
    """What an output's text looks like: its format, the input columns written beside each hit (CSV and
    Parquet), and whether CSV lines end with CR LF (a file, as RFC 4180 and Excel have it) or LF (a pipe)."""

    format: OutputFormat
    input_columns: tuple[str, ...] = ()
    crlf: bool = True

    def columns(self) -> list[str]:
        return [*HIT_COLUMNS, *(f"input_{column}" for column in self.input_columns)]

    def header(self) -> str:
        """The text an output starts with: the CSV header (staged Parquet too); nothing for JSON lines."""
        if self.format is OutputFormat.jsonl:
            return ""
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n" if self.crlf else "\n").writerow(self.columns())
        return buffer.getvalue()


def render(layout: Layout, records: Iterable[BatchRecord], cells: Sequence[tuple[str, ...]] | None = None) -> str:
    """Records as the text of `layout` (for Parquet, the staged CSV's rows); `cells` are each record's input
    cells, in `layout.input_columns`' order."""
    if layout.format is OutputFormat.jsonl:
        return "".join(json_line(record) for record in records)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n" if layout.crlf else "\n")
    width = len(layout.input_columns)
    for number, record in enumerate(records):
        extra = list(cells[number]) if cells is not None and width else []
        extra += [""] * (width - len(extra))
        for row in hit_rows(record):
            ident, name, score, band, entity_id, entity_name, source, also, programmes, error = row
            if layout.format is OutputFormat.parquet:
                lists = (_LIST_SEPARATOR.join(also), _LIST_SEPARATOR.join(programmes))
                writer.writerow([ident, name, score, band, entity_id, entity_name, source, *lists, error, *extra])
                continue
            texts = (band, entity_id, entity_name, source, "; ".join(also), "; ".join(programmes), error, *extra)
            writer.writerow(
                [safe_cell(ident), safe_cell(name), "" if score is None else score] + [safe_cell(t) for t in texts]
            )
    return buffer.getvalue()


def staging_path(output: Path) -> Path:
    """Where a Parquet output's rows are staged as CSV until the run ends: beside the output, hidden."""
    return output.with_name(f".{output.name}.staging.csv")


class BatchSink:
    """An output written a chunk of text at a time, in bytes, so its length at a chunk's end can be kept and a
    run resumed from it (`resume_at`: cut the file back to that length and go on)."""

    def __init__(self, output: Path | None, layout: Layout, resume_at: int | None = None) -> None:
        if layout.format is OutputFormat.parquet and output is None:
            raise InputError("Parquet output needs a file: --output FILE.parquet")
        self.output = output
        self.layout = layout
        self.path = staging_path(output) if output is not None and layout.format is OutputFormat.parquet else output
        self._handle: BinaryIO
        try:
            if self.path is None:
                self._handle = sys.stdout.buffer
                self.write(layout.header())
            elif resume_at is None:
                self._handle = self.path.open("wb")
                self.write(layout.header())
            else:
                self._handle = self.path.open("r+b")
                if self._handle.seek(0, os.SEEK_END) < resume_at:
                    self._handle.close()
                    raise InputError(f"{self.path}: shorter than its checkpoint says: start the run again")
                self._handle.truncate(resume_at)
                self._handle.seek(resume_at)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot write: {exc.strerror or exc}") from None

    def write(self, text: str) -> None:
        try:
            self._handle.write(text.encode("utf-8", "surrogateescape"))
        except OSError as exc:
            raise InputError(f"{self.output or 'standard output'}: cannot write: {exc.strerror or exc}") from None

    def sync(self) -> int:
        """Everything written so far on disk; the length it has."""
        try:
            self._handle.flush()
            if self.path is None:
                return 0
            os.fsync(self._handle.fileno())
            return self._handle.tell()
        except OSError as exc:
            raise InputError(f"{self.output or 'standard output'}: cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        """Stop writing, the output as far as it got (standard output is left open)."""
        try:
            self._handle.flush()
        except OSError:
            pass
        if self.path is not None:
            self._handle.close()

    def finish(self) -> None:
        """The output complete: a Parquet file written from the staged rows, which are then removed."""
        self.close()
        if self.layout.format is OutputFormat.parquet and self.output is not None and self.path is not None:
            _to_parquet(self.path, self.output, self.layout)
            self.path.unlink()


@contextmanager
def batch_writer(output: Path | None, format: OutputFormat) -> Iterator[Callable[[BatchRecord], None]]:
    """A function writing each record to `output` (standard output when None) in `format`; the file is complete
    when the block ends without an error. An output that cannot be written raises `InputError`."""
    layout = Layout(format, crlf=output is not None)
    sink = BatchSink(output, layout)
    try:
        yield lambda record: sink.write(render(layout, [record]))
    except BaseException:
        sink.close()
        raise
    sink.finish()


def _to_parquet(staged: Path, output: Path, layout: Layout) -> None:
    """The staged CSV read by DuckDB into a Parquet file at `output`, in its order, in bounded memory."""
    import duckdb

    types = dict.fromkeys(layout.columns(), "VARCHAR") | {"score": "DOUBLE"}
    columns = "{" + ", ".join(f"{_literal(name)}: '{kind}'" for name, kind in types.items()) + "}"
    extra = "".join(', "{}"'.format(name.replace('"', '""')) for name in layout.columns()[len(HIT_COLUMNS) :])
    query = (
        f"COPY (SELECT id, name, score, band, entity_id, entity_name, list, {_list_column('also')}, "
        f"{_list_column('programmes')}, error{extra} "
        f"FROM read_csv({_literal(staged)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {columns})) TO {_literal(output)} (FORMAT parquet)"
    )
    try:
        with duckdb.connect() as connection:
            connection.execute("SET memory_limit = '256MB'")
            connection.execute(query)
    except duckdb.Error as exc:
        raise InputError(f"{output}: cannot write Parquet: {str(exc).splitlines()[0]}") from None


def _list_column(name: str) -> str:
    """A staged list cell as a Parquet list: empty for a hit without items, null for a row without a hit."""
    return (
        f"CASE WHEN entity_id IS NULL THEN NULL ELSE string_split(coalesce({name}, ''), "
        f"'{_LIST_SEPARATOR}').list_filter(lambda p: p <> '') END AS {name}"
    )


def _literal(text: Path | str) -> str:
    return "'" + str(text).replace("'", "''") + "'"
