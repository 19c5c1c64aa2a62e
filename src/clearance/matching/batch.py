"""A file of parties to screen: its rows, and the party each row describes.

The file is read by the csv module over its physical lines (`\\n`, `\\r\\n` or `\\r`
end a line; U+2028, NEL, form feed and the like are characters of a cell), so a
quoted cell may hold any character, line breaks included. A row that cannot be
read (a stray or unclosed quote, more cells than the header, a cell over
`FIELD_CAP`, bytes that are not UTF-8) becomes an `InputError` at the line the row
starts on, and reading goes on after it: one broken row never takes the rest of
the file with it. Batch screening records those errors, and those of rows that
cannot be read as a party (`party_of`), for their rows before it goes on
(`Clearance.screen_rows`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from clearance.errors import InputError
from clearance.matching.screener import Party
from clearance.model import KIND_WORDS

COLUMNS = ("id", "name", "type", "dob", "country")
FIELD_CAP = 10_000
"""Most characters in one cell: no name is near it; a longer cell is a broken row, most often an unclosed quote."""
ROW_LINES = 100
"""Most lines one row may span: a quoted cell still open after them is taken as never closed."""

Row = tuple[int, dict[str, str] | InputError]
"""The line a row starts on, and its cells by column, or why it cannot be read."""

_UNDECODED = re.compile(r"[\udc80-\udcff]")  # bytes that are not UTF-8, as the surrogateescape handler keeps them


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


def read_rows(path: Path) -> list[Row]:
    """The rows of a batch CSV (UTF-8, header with at least `id` and `name`), each with the line it starts on.

    Blank lines are no rows. A file that cannot be read, is not UTF-8 or lacks the columns raises `InputError`.
    """
    try:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            return list(_rows(path, _Lines(handle)))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _rows(path: Path, lines: _Lines) -> Iterator[Row]:
    reader = csv.reader(lines, strict=True)
    header = _header(path, reader, lines)
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
            yield start, InputError(f"malformed CSV: {why}; the next row read starts on line {lines.read + 1}")
            continue
        lines.done()
        if cells:
            yield start, _cells(header, cells)


def _header(path: Path, reader: Iterator[list[str]], lines: _Lines) -> list[str]:
    try:
        cells = next(reader, [])
    except (csv.Error, _Unclosed) as exc:
        why = "a quoted cell is never closed" if _unclosed(exc) else _why(exc)
        raise InputError(f"{path}: line 1: malformed CSV header: {why}") from None
    lines.done()
    if any(_UNDECODED.search(cell) for cell in cells):
        raise InputError(f"{path}: not UTF-8 (its header is not)")
    header = [cell.strip().lower() for cell in cells]
    missing = [column for column in ("id", "name") if column not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} in the header {header}")
    return header


def _unclosed(exc: Exception) -> bool:
    return isinstance(exc, _Unclosed) or "unexpected end of data" in str(exc)


def _why(exc: Exception) -> str:
    if "field limit" in str(exc):
        return f"a cell is over {FIELD_CAP:,} characters"
    if "expected after" in str(exc):
        return 'text after the quote closing a cell (a quote inside a quoted cell is written "")'
    return str(exc)


def _cells(header: list[str], cells: list[str]) -> dict[str, str] | InputError:
    """A row's cells by column, or why they are not a row of this header."""
    if len(cells) > len(header):
        return InputError(f"{len(cells)} cells, the header has {len(header)}: a comma in an unquoted cell?")
    needed = max(header.index("id"), header.index("name")) + 1
    if len(cells) < needed:
        return InputError(f"{len(cells)} cell(s), no id and name: the header has {len(header)}")
    for column, cell in zip(header, cells, strict=False):
        if len(cell) > FIELD_CAP:
            return InputError(f"{column}: {len(cell):,} characters, over the cap of {FIELD_CAP:,}")
        if found := _UNDECODED.search(cell):
            return InputError(f"{column}: not UTF-8 (byte 0x{ord(found.group()) - 0xDC00:02x})")
    return dict(zip(header, cells, strict=False)) | {column: "" for column in header[len(cells) :]}


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
