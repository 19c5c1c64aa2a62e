"""The name index as one file of flat arrays, opened with `mmap` and read where a query looks.

A built index is some 60,000 names under 400,000 keys. As Python dictionaries and
objects it takes 10 s to build and 400 MB; unpickled or unmarshalled it still takes
0.5 s and more before the first query. Here every table is a sorted array of
fixed-width keys beside flat arrays of values: opening the file reads a short
header, and a query reads the pages its keys fall on (a binary search each, all of
one token's keys in one `numpy.searchsorted`). What a query decodes is memoised by
the table itself, so memos live and die with their index.

Layout: `MAGIC`, an 8-byte header length, a JSON header naming each array's dtype,
shape and offset and holding the index's metadata, then the arrays, each 8-byte
aligned. The header records a BLAKE2b digest of everything after it: a file cut
short or altered is refused before use (`IndexFileError`).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from clearance.errors import IntegrityError
from clearance.memo import memoised

MAGIC = b"CLEARANCE-NAME-INDEX\n"
FORMAT = 1
_ALIGN = 8
_SEP = "\x1f"

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class IndexFileError(IntegrityError):
    """An index file that is cut short, altered, or of another format: rebuilt, never used."""

    code = "index_file"


def _digest() -> Any:
    return hashlib.blake2b(digest_size=20)


class TableWriter:
    """Collects arrays and tables, then writes them as one index file."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray[Any, Any]] = {}

    def array(self, name: str, values: npt.ArrayLike, dtype: npt.DTypeLike) -> None:
        self._arrays[name] = np.ascontiguousarray(np.asarray(values, dtype=dtype))

    def _keys(self, name: str, keys: Collection[str]) -> list[str]:
        ordered = sorted(keys, key=str.encode)
        encoded = [key.encode() for key in ordered]
        width = max((len(key) for key in encoded), default=1) or 1
        self._arrays[name + ".keys"] = np.array(encoded, dtype=f"S{width}")
        return ordered

    def key_set(self, name: str, keys: Collection[str]) -> None:
        self._keys(name, keys)

    def strings(self, name: str, table: Mapping[str, Sequence[str]]) -> None:
        """Key -> strings, each row stored as its strings joined by a unit separator."""
        rows = [_SEP.join(table[key]).encode() for key in self._keys(name, table)]
        self._blobs(name, rows)

    def ids(self, name: str, table: Mapping[str, Sequence[int] | IntArray]) -> None:
        rows = [np.asarray(table[key], dtype=np.int64) for key in self._keys(name, table)]
        self._rows(name, rows, np.int64)

    def floats(self, name: str, table: Mapping[str, float]) -> None:
        self.array(name + ".values", [table[key] for key in self._keys(name, table)], np.float64)

    def postings(self, name: str, table: Mapping[str, tuple[IntArray, FloatArray]]) -> None:
        ordered = self._keys(name, table)
        self._rows(name, [table[key][0] for key in ordered], np.int64)
        self.array(name + ".weights", np.concatenate([table[key][1] for key in ordered] or [np.zeros(0)]), np.float64)

    def blobs(self, name: str, rows: Sequence[bytes]) -> None:
        """Row number -> bytes."""
        self._blobs(name, rows)

    def _blobs(self, name: str, rows: Sequence[bytes]) -> None:
        self.array(name + ".starts", np.cumsum([0, *map(len, rows)]), np.int64)
        self.array(name + ".data", np.frombuffer(b"".join(rows), dtype=np.uint8), np.uint8)

    def _rows(self, name: str, rows: Sequence[np.ndarray[Any, Any]], dtype: npt.DTypeLike) -> None:
        self.array(name + ".starts", np.cumsum([0, *map(len, rows)]), np.int64)
        self.array(name + ".values", np.concatenate(rows) if rows else np.zeros(0), dtype)

    def to_bytes(self, meta: Mapping[str, Any]) -> bytes:
        layout: dict[str, tuple[str, list[int], int]] = {}
        chunks: list[bytes] = []
        offset = 0
        for name, array in self._arrays.items():
            data = array.tobytes()
            layout[name] = (array.dtype.str, list(array.shape), offset)
            padding = -len(data) % _ALIGN
            chunks.append(data + b"\0" * padding)
            offset += len(data) + padding
        body = b"".join(chunks)
        digest = _digest()
        digest.update(body)
        header = json.dumps(
            {"format": FORMAT, "meta": dict(meta), "arrays": layout, "digest": digest.hexdigest()},
            sort_keys=True,
        ).encode()
        header += b" " * (-(len(MAGIC) + 8 + len(header)) % _ALIGN)
        return MAGIC + struct.pack("<Q", len(header)) + header + body


def write_file(path: Path, data: bytes) -> None:
    """Write the file whole, then move it into place: a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


class TableFile:
    """The arrays of an index file (or of its bytes), checked against the digest in its header."""

    def __init__(self, buffer: bytes | mmap.mmap, where: str) -> None:
        self._buffer = buffer
        self.where = where
        view = memoryview(buffer)
        if view[: len(MAGIC)] != MAGIC or len(view) < len(MAGIC) + 8:
            raise IndexFileError(f"{where}: not a clearance name index")
        (length,) = struct.unpack("<Q", view[len(MAGIC) : len(MAGIC) + 8])
        start = len(MAGIC) + 8
        try:
            header = json.loads(bytes(view[start : start + length]))
        except ValueError:
            raise IndexFileError(f"{where}: unreadable index header") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise IndexFileError(f"{where}: index format is not {FORMAT}")
        self.meta: dict[str, Any] = header["meta"]
        self._layout: dict[str, list[Any]] = header["arrays"]
        self._body = start + length
        self._digest: str = header["digest"]

    @classmethod
    def open(cls, path: Path) -> TableFile:
        """Map the file and check its digest (read once through the page cache, not into this process)."""
        try:
            with path.open("rb") as file:
                mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as exc:
            raise IndexFileError(f"{path}: cannot read the index: {exc}") from None
        table = cls(mapped, str(path))
        digest = _digest()
        with path.open("rb") as file:
            file.seek(table._body)
            while chunk := file.read(1 << 20):
                digest.update(chunk)
        if digest.hexdigest() != table._digest:
            raise IndexFileError(f"{path}: index digest does not match its contents")
        return table

    @classmethod
    def from_bytes(cls, data: bytes) -> TableFile:
        table = cls(data, "index in memory")
        digest = _digest()
        digest.update(memoryview(data)[table._body :])
        if digest.hexdigest() != table._digest:
            raise IndexFileError("index in memory: digest does not match its contents")
        return table

    def __contains__(self, name: str) -> bool:
        return name in self._layout

    def array(self, name: str) -> np.ndarray[Any, Any]:
        """An array of the file, read-only; pages are read as they are used."""
        try:
            dtype, shape, offset = self._layout[name]
        except KeyError:
            raise IndexFileError(f"{self.where}: no array {name!r} in the index") from None
        kind = np.dtype(dtype)
        count = int(np.prod(shape)) if shape else 1
        return np.frombuffer(self._buffer, dtype=kind, count=count, offset=self._body + offset).reshape(shape)

    def key_set(self, name: str) -> KeySet:
        return KeySet(self.array(name + ".keys"))

    def strings(self, name: str) -> StringTable:
        return StringTable(self.key_set(name), self.array(name + ".starts"), self.array(name + ".data"))

    def ids(self, name: str) -> IdTable:
        return IdTable(self.key_set(name), self.array(name + ".starts"), self.array(name + ".values"))

    def floats(self, name: str) -> FloatTable:
        return FloatTable(self.key_set(name), self.array(name + ".values"))

    def postings(self, name: str) -> PostingsTable:
        return PostingsTable(
            self.key_set(name),
            self.array(name + ".starts"),
            self.array(name + ".values"),
            self.array(name + ".weights"),
        )

    def blobs(self, name: str) -> Blobs:
        return Blobs(self.array(name + ".starts"), self.array(name + ".data"))


class KeySet:
    """Sorted keys of fixed width: a key's row by binary search, or -1."""

    def __init__(self, keys: np.ndarray[Any, Any]) -> None:
        self._keys = keys
        self._size = len(keys)
        self._width = keys.dtype.itemsize
        self._rows: dict[str, int] | None = None
        self.row: Callable[[str], int] = memoised(self._row, 65_536)

    def __len__(self) -> int:
        return self._size

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.row(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return (key.decode() for key in self._keys.tolist())

    def warm(self) -> None:
        """Hold every key in a dictionary: a long-lived process trades some memory for lookups without search."""
        if self._rows is None:
            self._rows = {key.decode(): row for row, key in enumerate(self._keys.tolist())}

    def _row(self, key: str) -> int:
        if self._rows is not None:
            return self._rows.get(key, -1)
        raw = key.encode()
        if len(raw) > self._width or not self._size:
            return -1
        row = int(self._keys.searchsorted(raw))
        return row if row < self._size and self._keys[row] == raw else -1

    def rows(self, keys: Collection[str]) -> list[int]:
        """The rows of those of `keys` present, in one search (a query token looks up dozens of keys)."""
        if self._rows is not None:
            table = self._rows
            return [table[key] for key in keys if key in table]
        encoded = [raw for key in keys if len(raw := key.encode()) <= self._width]
        if not encoded or not self._size:
            return []
        wanted = np.array(encoded, dtype=self._keys.dtype)
        rows = np.minimum(self._keys.searchsorted(wanted), self._size - 1)
        found: list[int] = rows[self._keys[rows] == wanted].tolist()
        return found


class Rows:
    """Rows of a table decoded once each, memoised for as long as the table lives."""

    def __init__(self, keys: KeySet) -> None:
        self.keys = keys
        self._decoded: dict[int, Any] = {}

    def __contains__(self, key: object) -> bool:
        return key in self.keys

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def forget(self) -> None:
        """Drop the rows decoded so far; they are decoded again when next asked for."""
        self._decoded = {}

    def _decode(self, row: int) -> Any:
        raise NotImplementedError

    def _at(self, row: int) -> Any:
        value = self._decoded.get(row)
        if value is None:
            value = self._decoded[row] = self._decode(row)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        row = self.keys.row(key)
        return default if row < 0 else self._at(row)

    def __getitem__(self, key: str) -> Any:
        row = self.keys.row(key)
        if row < 0:
            raise KeyError(key)
        return self._at(row)

    def items(self) -> Iterator[tuple[str, Any]]:
        return ((key, self._at(row)) for row, key in enumerate(self.keys))


class StringTable(Rows):
    """Key -> a tuple of strings."""

    def __init__(self, keys: KeySet, starts: IntArray, data: npt.NDArray[np.uint8]) -> None:
        super().__init__(keys)
        self._starts = starts
        self._data = data

    def _decode(self, row: int) -> tuple[str, ...]:
        lo, hi = int(self._starts[row]), int(self._starts[row + 1])
        return tuple(self._data[lo:hi].tobytes().decode().split(_SEP)) if hi > lo else ("",)

    def values(self, keys: Collection[str]) -> Iterator[str]:
        """Every string listed under any of `keys` (with repeats)."""
        for row in self.keys.rows(keys):
            yield from self._at(row)


class IdTable(Rows):
    """Key -> an array of ids (name or entity numbers)."""

    def __init__(self, keys: KeySet, starts: IntArray, values: IntArray) -> None:
        super().__init__(keys)
        self._starts = starts
        self._values = values

    def _decode(self, row: int) -> IntArray:
        values = np.array(self._values[self._starts[row] : self._starts[row + 1]])
        values.flags.writeable = False
        return values


class FloatTable(Rows):
    """Key -> a number."""

    def __init__(self, keys: KeySet, values: FloatArray) -> None:
        super().__init__(keys)
        self._values = values

    def _decode(self, row: int) -> float:
        return float(self._values[row])


class PostingsTable(IdTable):
    """Key -> (ids, a weight for each)."""

    def __init__(self, keys: KeySet, starts: IntArray, values: IntArray, weights: FloatArray) -> None:
        super().__init__(keys, starts, values)
        self._weights = weights

    def _decode(self, row: int) -> tuple[IntArray, FloatArray]:  # type: ignore[override]
        lo, hi = self._starts[row], self._starts[row + 1]
        ids, weights = np.array(self._values[lo:hi]), np.array(self._weights[lo:hi])
        ids.flags.writeable = weights.flags.writeable = False
        return ids, weights


class Blobs:
    """Row number -> bytes."""

    def __init__(self, starts: IntArray, data: npt.NDArray[np.uint8]) -> None:
        self._starts = starts
        self._data = data

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, row: int) -> bytes:
        return self._data[self._starts[row] : self._starts[row + 1]].tobytes()
