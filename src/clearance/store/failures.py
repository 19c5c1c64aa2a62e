"""What can go wrong with the store file, said in one line with its real cause.

SQLite reports a held lock, a read-only file, a full disk and a damaged file as
`sqlite3` exceptions whose text ("database is locked", "disk I/O error") names
neither the file nor what to do. Every store call goes through `translated`, so
a caller sees one `ClearanceError` naming the store, the cause and the remedy,
and the CLI prints it as one line.
"""

from __future__ import annotations

import functools
import inspect
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from clearance.errors import ClearanceError, IntegrityError, StoreError

LOW_SPACE = 64 * 1024 * 1024
"""Free bytes under which a failed write is put down to a full disk."""


class StoreLockedError(StoreError):
    """Another process held the store's write lock for longer than the wait allowed."""

    code = "store_locked"


class StoreReadOnlyError(StoreError):
    """The store file (or its folder) cannot be written by this process."""

    code = "store_read_only"


class StoreFullError(StoreError):
    """A write failed for want of space (or under a file size limit)."""

    code = "disk_full"


class StoreMissingError(StoreError):
    """No store exists yet where the settings point: nothing was ever loaded there."""

    code = "store_missing"


class StoreCorruptError(IntegrityError):
    """The store file is damaged: SQLite cannot read its pages."""

    code = "store_corrupt"


class TamperedError(IntegrityError):
    """A stored record or snapshot no longer matches the digest written with it."""

    code = "digest_mismatch"


class _HasStore(Protocol):
    path: Path
    timeout: float


def translated(path: Path, timeout: float, exc: sqlite3.Error) -> ClearanceError:
    """The one-line error a `sqlite3` failure on the store at `path` stands for."""
    name = str(getattr(exc, "sqlite_errorname", ""))
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StoreLockedError(
            f"{path}: the list store is locked by another process (waited {timeout:g} s; "
            f"CLEARANCE_LOCK_TIMEOUT sets the wait): {text}"
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return StoreReadOnlyError(f"{path}: the list store cannot be written by this user ({text}); nothing changed")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text:
        return StoreCorruptError(
            f"{path}: the list store is damaged ({text}); restore it from a backup, or move it away and run "
            "`clearance lists update`"
        )
    if name.startswith(("SQLITE_FULL", "SQLITE_IOERR")) or "disk" in text:
        free = _free_space(path)
        if name.startswith("SQLITE_FULL") or (free is not None and free < LOW_SPACE):
            space = f", {free // (1024 * 1024)} MB free" if free is not None else ""
            return StoreFullError(
                f"{path}: cannot write the list store: the disk is full or a file size limit was reached "
                f"({text}{space}); nothing changed"
            )
        return StoreError(f"{path}: the list store cannot be read or written ({text}); nothing changed")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(f"{path}: cannot open the list store ({text})")
    return StoreError(f"{path}: list store failure: {text}")


def _free_space(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return None


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """Turn a store method's `sqlite3` failures into clearance errors (generators too, while iterated)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def generator(self: _HasStore, *args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise translated(self.path, self.timeout, exc) from None

        return cast(F, generator)

    @functools.wraps(method)
    def call(self: _HasStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise translated(self.path, self.timeout, exc) from None

    return cast(F, call)
