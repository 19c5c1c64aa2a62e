"""A file of parties to screen: its rows, and the party each row describes.

Three kinds of file, told apart by suffix: `.jsonl` or `.ndjson` (one JSON object
per line), `.parquet` (read with DuckDB), and anything else as CSV. Each row is
read into the fields of a party (`FIELDS`) through `Columns`, which names the
column holding each field; only `name` must be there, and a column named on the
command line must be too.

Rows are read as a stream (`input_file(...).rows()`): a file of any size is read in
bounded memory, and `read_rows` is the same rows as a list, for small files.

A CSV's encoding is sniffed over the whole file, a megabyte at a time: UTF-8 (a BOM or not) when its
bytes are UTF-8, or when they hold UTF-8 text beside a few stray bytes (those rows
are then reported, not the file misread); else Windows-1252, the encoding Excel
writes on Western European Windows, or Latin-1 when bytes Windows-1252 leaves
undefined occur. Its delimiter is the one of `,` `;` tab `|` its header line
holds most of, outside quotes (`,` when it holds none): Excel in European locales
writes `;`.

The CSV is read by the csv module over its physical lines (`\\n`, `\\r\\n` or `\\r`
end a line; U+2028, NEL, form feed and the like are characters of a cell), so a
quoted cell may hold any character, line breaks included. A row that cannot be
read (a stray or unclosed quote, more cells than the header, a cell over
`FIELD_CAP`, bytes that are not UTF-8) becomes an `InputError` at the line the row
starts on, and reading goes on after it: one broken row never takes the rest of
the file with it. A JSON line that is not an object, or a value that is not text
or a number, is such an error too. Batch screening records those errors, and those
of rows that cannot be read as a party (`party_of`), for their rows before it goes
on (`Clearance.screen_rows`).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clearance.errors import InputError
from clearance.matching.screener import Party
from clearance.model import KIND_WORDS

FIELDS = ("id", "name", "type", "dob", "country")
"""What a row may say of a party; `name` is the only one it must."""
FIELD_CAP = 10_000
"""Most characters in one cell: no name is near it; a longer cell is a broken row, most often an unclosed quote."""
ROW_LINES = 100
"""Most lines one row may span: a quoted cell still open after them is taken as never closed."""
DELIMITERS = ",;\t|"
"""The CSV delimiters sniffed, the first winning a tie."""
JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)

Row = tuple[int, dict[str, str] | InputError]
"""The line a row starts on (for Parquet, its number from 1), and its fields, or why it cannot be read."""

_UNDECODED = re.compile(r"[\udc80-\udcff]")  # bytes that are not UTF-8, as the surrogateescape handler keeps them
_DECODED = re.compile(r"[^\x00-\x7f\udc80-\udcff]")  # text beyond ASCII that UTF-8 bytes spelled
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"


@dataclass(frozen=True)
class Columns:
    """The column holding each field, by field; a field not named here is read from the column of its own name
    when the file has it. Column names are compared trimmed and case-blind."""

    named: Mapping[str, str] = field(default_factory=dict)

    def column(self, name: str) -> str:
        return self.named.get(name, name).strip().lower()

    def required(self) -> list[str]:
        """The fields whose column the file must have: `name`, and every field named here."""
        return [name for name in FIELDS if name == "name" or name in self.named]

    def check(self, path: Path, columns: Iterable[str]) -> None:
        """An `InputError` naming the file and the first column it lacks."""
        present = set(columns)
        for name in self.required():
            if self.column(name) not in present:
                found = ", ".join(sorted(present)) or "none"
                raise InputError(f"{path}: no column {self.column(name)!r} (for {name}); its columns: {found}")


def read_rows(path: Path, columns: Columns | None = None, warn: Callable[[str], None] | None = None) -> list[Row]:
    """The rows of a batch file, each with the line it starts on; `warn` is told how a CSV not in UTF-8 was read.

    Blank lines are no rows. A file that cannot be read or lacks a column it must have raises `InputError`.
    """
    return [(line, row) for line, row, _ in input_file(path, columns, warn).rows()]


InputRow = tuple[int, dict[str, str] | InputError, tuple[str, ...]]
"""A `Row` and the row's cells in the file's own columns (`InputFile.header`), empty when it cannot be read."""


@dataclass(frozen=True)
class InputFile:
    """A batch file whose kind, encoding and header are known and checked: its rows are read as a stream."""

    path: Path
    columns: Columns
    kind: str
    """`csv`, `jsonl` or `parquet`."""
    encoding: str = "utf-8-sig"
    header: tuple[str, ...] = ()
    """The file's columns as written (CSV and Parquet; JSON lines have none fixed)."""

    def rows(self, cells: bool = False) -> Iterator[InputRow]:
        """Every row in order; with `cells`, each with its cells in `header`'s columns (else none)."""
        try:
            if self.kind == "parquet":
                yield from _parquet_rows(self, cells)
            elif self.kind == "jsonl":
                yield from _jsonl_rows(self.path, self.columns)
            else:
                with self.path.open(encoding=self.encoding, errors="surrogateescape", newline="") as handle:
                    yield from _rows(self.path, handle, self.columns, cells)
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read: {exc.strerror or exc}") from None

    def count(self) -> int:
        """How many rows there are, or about (CSV: its lines after the header, a quoted line break counting
        twice; JSON lines: its lines, blank ones too), read cheaply for a progress bar."""
        if self.kind == "parquet":
            return _parquet_count(self.path)
        newlines = carriage_returns = 0
        last = b""
        try:
            with self.path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    newlines += chunk.count(b"\n")
                    carriage_returns += chunk.count(b"\r")
                    last = chunk[-1:]
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read: {exc.strerror or exc}") from None
        lines = (newlines or carriage_returns) + (1 if last not in (b"", b"\n", b"\r") else 0)
        return max(0, lines - (1 if self.kind == "csv" else 0))


def input_file(path: Path, columns: Columns | None = None, warn: Callable[[str], None] | None = None) -> InputFile:
    """A batch file opened for reading: its kind by suffix, a CSV's encoding sniffed (`warn` is told when it
    is not UTF-8), its columns checked. A file that cannot be read or lacks a column it must have raises
    `InputError` here, before any row is screened."""
    columns = columns or Columns()
    suffix = path.suffix.lower()
    try:
        if suffix in PARQUET_SUFFIXES:
            return InputFile(path, columns, "parquet", header=_parquet_header(path, columns))
        if suffix in JSONL_SUFFIXES:
            _jsonl_check(path, columns)
            return InputFile(path, columns, "jsonl")
        encoding = sniff_encoding(path)
        if encoding not in ("utf-8", "utf-8-sig") and warn is not None:
            warn(f"{path} is not UTF-8: read as {_ENCODING_NAMES[encoding]}")
        with path.open(encoding=encoding, errors="surrogateescape", newline="") as handle:
            first = next(iter(handle), "")
            reader = csv.reader(_Lines(itertools.chain([first], handle)), delimiter=_delimiter(first), strict=True)
            written = _header_cells(path, reader)
        _checked_header(path, written, columns)
        return InputFile(path, columns, "csv", encoding, tuple(cell.strip() for cell in written))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


_ENCODING_NAMES = {"cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1 (ISO 8859-1)"}


def sniff_encoding(path: Path) -> str:
    """`utf-8-sig` (with or without a BOM), `cp1252` or `latin-1`: see the module's docstring."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    undecoded = decoded = undefined = False
    with path.open("rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise InputError(f"{path}: UTF-16 (Excel's 'Unicode text'): save it as CSV UTF-8")
        handle.seek(0)
        while chunk := handle.read(1 << 20):
            text = decoder.decode(chunk)
            undecoded = undecoded or bool(_UNDECODED.search(text))
            decoded = decoded or bool(_DECODED.search(text))
            undefined = undefined or any(byte in chunk for byte in _CP1252_UNDEFINED)
            if undecoded and decoded:
                break
        else:
            undecoded = undecoded or bool(_UNDECODED.search(decoder.decode(b"", final=True)))
    if not undecoded or decoded:
        return "utf-8-sig"
    return "latin-1" if undefined else "cp1252"


def _delimiter(line: str) -> str:
    """The delimiter of a header line: the one it holds most of outside quotes, `,` when none."""
    outside = "".join(line.split('"')[::2])
    counts = [outside.count(char) for char in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) else ","


class _Unclosed(Exception):
    """Raised through the csv reader when a row runs on past `ROW_LINES`."""


class _Lines:
    """The physical lines for the csv reader, keeping those of the row being read so they can be read again."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._again: list[str] = []  # lines to read again, the next one last
        self._taken: list[str] = []
        self.read = 0
        """Lines the rows before the current one span."""

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if len(self._taken) >= ROW_LINES:
            raise _Unclosed
        line = self._again.pop() if self._again else next(self._lines)
        self._taken.append(line)
        return line

    def done(self) -> None:
        """The row read is complete: the next one starts after its lines."""
        self.read += len(self._taken)
        self._taken = []

    def resume(self) -> None:
        """The row read has a quote that never closes: the next row starts on the line after its first."""
        self.read += 1
        self._again.extend(reversed(self._taken[1:]))
        self._taken = []

    def drop(self) -> bool:
        """The row read is broken: when its quotes pair up, take the lines to its end and start the next row after
        them; else a quote in it never closes (False), and the next row starts on the line after its first."""
        quotes = sum(line.count('"') for line in self._taken)
        while quotes % 2:
            try:
                quotes += next(self).count('"')
            except (StopIteration, _Unclosed):
                self.resume()
                return False
        self.done()
        return True


def _rows(path: Path, handle: Iterable[str], columns: Columns, keep: bool = False) -> Iterator[InputRow]:
    first = next(iter(handle), "")
    lines = _Lines(itertools.chain([first], handle))
    reader = csv.reader(lines, delimiter=_delimiter(first), strict=True)
    header = _checked_header(path, _header_cells(path, reader), columns)
    lines.done()
    width = len(header)
    while True:
        start = lines.read + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, _Unclosed) as exc:
            if unclosed := _unclosed(exc):
                lines.resume()
            else:
                unclosed = not lines.drop()
            why = "a quoted cell is never closed" if unclosed else _why(exc)
            yield start, InputError(f"malformed CSV: {why}; the next row read starts on line {lines.read + 1}"), ()
            continue
        lines.done()
        if cells:
            fields = _cells(header, cells, columns)
            kept = tuple(cells[:width]) + ("",) * (width - len(cells)) if keep and isinstance(fields, dict) else ()
            yield start, fields, kept


def _header_cells(path: Path, reader: Iterator[list[str]]) -> list[str]:
    try:
        return next(reader, [])
    except (csv.Error, _Unclosed) as exc:
        why = "a quoted cell is never closed" if _unclosed(exc) else _why(exc)
        raise InputError(f"{path}: line 1: malformed CSV header: {why}") from None


def _checked_header(path: Path, cells: list[str], columns: Columns) -> list[str]:
    if any(_UNDECODED.search(cell) for cell in cells):
        raise InputError(f"{path}: not UTF-8 (its header is not)")
    header = [cell.strip().lower() for cell in cells]
    columns.check(path, header)
    return header


def _unclosed(exc: Exception) -> bool:
    return isinstance(exc, _Unclosed) or "unexpected end of data" in str(exc)


def _why(exc: Exception) -> str:
    if "field limit" in str(exc):
        return f"a cell is over {FIELD_CAP:,} characters"
    if "expected after" in str(exc):
        return 'text after the quote closing a cell (a quote inside a quoted cell is written "")'
    return str(exc)


def _cells(header: list[str], cells: list[str], columns: Columns) -> dict[str, str] | InputError:
    """A row's fields, or why its cells are not a row of this header."""
    if len(cells) > len(header):
        return InputError(f"{len(cells)} cells, the header has {len(header)}: a delimiter in an unquoted cell?")
    name = columns.column("name")
    if len(cells) <= header.index(name):
        return InputError(f"{len(cells)} cell(s), no {name}: the header has {len(header)}")
    for column, cell in zip(header, cells, strict=False):
        if len(cell) > FIELD_CAP:
            return InputError(f"{column}: {len(cell):,} characters, over the cap of {FIELD_CAP:,}")
        if found := _UNDECODED.search(cell):
            return InputError(f"{column}: not UTF-8 (byte 0x{ord(found.group()) - 0xDC00:02x})")
    by_column = dict(zip(header, cells, strict=False))
    return {name: by_column.get(columns.column(name), "") for name in FIELDS if columns.column(name) in header}


def _jsonl_rows(path: Path, columns: Columns) -> Iterator[InputRow]:
    """One row per line holding a JSON object (UTF-8); its keys are the columns."""
    for line, value in _json_lines(path):
        if isinstance(value, InputError):
            yield line, value, ()
            continue
        cells = {str(key).strip().lower(): cell for key, cell in value.items()}
        yield line, _fields(cells, columns), ()


def _json_lines(path: Path) -> Iterator[tuple[int, dict[Any, Any] | InputError]]:
    """Each non-blank line's number and its JSON object, or why it is not one (a BOM allowed on the first)."""
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            raw = raw.removeprefix(codecs.BOM_UTF8) if line == 1 else raw
            if raw.strip():
                yield line, _json_object(raw)


def _json_object(raw: bytes) -> dict[Any, Any] | InputError:
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return InputError(f"not UTF-8 (byte 0x{raw[exc.start]:02x})")
    except json.JSONDecodeError as exc:
        return InputError(f"malformed JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(value, dict):
        return InputError(f"a JSON {type(value).__name__}, not an object")
    return value


def _jsonl_check(path: Path, columns: Columns) -> None:
    """The columns a JSON lines file must have are the keys of some of its objects: read until each has been
    seen (most often on the first line), so a file lacking one is refused before any row is screened."""
    wanted = {columns.column(name) for name in columns.required()}
    seen: set[str] = set()
    for _, value in _json_lines(path):
        if isinstance(value, dict):
            seen.update(str(key).strip().lower() for key in value)
            if wanted <= seen:
                return
    columns.check(path, seen)


def _parquet_names(connection: Any, path: Path) -> list[str]:
    return [row[0] for row in connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]


def _parquet_header(path: Path, columns: Columns) -> tuple[str, ...]:
    import duckdb

    try:
        with duckdb.connect() as connection:
            names = _parquet_names(connection, path)
    except duckdb.Error as exc:
        raise InputError(f"{path}: not a Parquet file DuckDB reads: {str(exc).splitlines()[0]}") from None
    columns.check(path, {name.strip().lower() for name in names})
    return tuple(names)


def _parquet_count(path: Path) -> int:
    """Rows in a Parquet file, from its footer."""
    import duckdb

    try:
        with duckdb.connect() as connection:
            found = connection.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()
    except duckdb.Error as exc:
        raise InputError(f"{path}: not a Parquet file DuckDB reads: {str(exc).splitlines()[0]}") from None
    return int(found[0]) if found else 0


def _parquet_rows(source: InputFile, keep: bool) -> Iterator[InputRow]:
    """One row per Parquet row, numbered from 1; every column read as text by DuckDB, a batch at a time (its
    result streams: memory stays that of a batch whatever the file's size)."""
    import duckdb

    path, columns = source.path, source.columns
    by_lower = {name.strip().lower(): name for name in source.header}
    wanted = [name for name in FIELDS if columns.column(name) in by_lower]
    chosen = [by_lower[columns.column(name)] for name in wanted] + (list(source.header) if keep else [])
    selected = ", ".join('CAST("{}" AS VARCHAR)'.format(name.replace('"', '""')) for name in chosen)
    number = 0
    try:
        with duckdb.connect() as connection:
            cursor = connection.execute(f"SELECT {selected} FROM read_parquet(?)", [str(path)])
            while batch := cursor.fetchmany(10_000):
                for values in batch:
                    number += 1
                    cells = {columns.column(name): value for name, value in zip(wanted, values, strict=False)}
                    fields = _fields(cells, columns)
                    kept = values[len(wanted) :] if keep and isinstance(fields, dict) else ()
                    yield number, fields, tuple("" if value is None else value for value in kept)
    except duckdb.Error as exc:
        raise InputError(f"{path}: not a Parquet file DuckDB reads: {str(exc).splitlines()[0]}") from None


def _fields(cells: Mapping[str, Any], columns: Columns) -> dict[str, str] | InputError:
    """A row's fields from its values by (lower-case) column: text, numbers and nulls; anything else an error."""
    fields: dict[str, str] = {}
    for name in FIELDS:
        column = columns.column(name)
        if column not in cells:
            continue
        value = cells[column]
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            return InputError(f"{column}: a {type(value).__name__}, not text")
        text = "" if value is None else str(value)
        if len(text) > FIELD_CAP:
            return InputError(f"{column}: {len(text):,} characters, over the cap of {FIELD_CAP:,}")
        fields[name] = text
    return fields


def party_of(row: dict[str, str]) -> Party:
    """The party a batch row describes; a ClearanceError naming the field when it cannot be read."""
    kind_text = row.get("type", "").strip().lower()
    if kind_text and kind_text not in KIND_WORDS:
        raise InputError(f"type: unknown {kind_text!r} (person, organization, vessel, aircraft)")
    return Party(
        name=row.get("name", ""),
        kind=KIND_WORDS.get(kind_text),
        dob=row.get("dob", "").strip() or None,
        country=row.get("country", "").strip() or None,
    )
