"""API keys of the HTTP service: stored hashed in `<home>/service.sqlite`, cached by each worker.

A key reads `clr_<id>_<secret>`: the id names the key in logs, metrics and
`clearance keys revoke`, and is not secret; the secret is 256 random bits
(`secrets.token_urlsafe(32)`). The store keeps only the SHA-256 digest of the whole
key, so a copy of the file, a backup or a stray `SELECT` gives no one a key.

A fast hash is enough here, where a password needs a slow one (scrypt, Argon2): a
slow hash makes guessing each candidate costly because passwords are few bits of
human choice, enumerable from a dictionary. A 256-bit random secret has no
dictionary; reversing its SHA-256 or finding another preimage is 2^256 work whatever
the hash costs. Being fast keeps checking a key on every request to a microsecond,
where a password hash would cost tens of milliseconds of a core per request.

Each worker caches every key in memory (`KeyRing`) and reads the table again every
few seconds, and at most once a second when a key it does not know is presented: a
key created or revoked with the CLI takes effect within seconds without a restart,
and a flood of made-up keys costs a dictionary miss, not a SQLite query each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from clearance.errors import InputError, NotFoundError, StoreError

KEY_FILE = "service.sqlite"
PREFIX = "clr_"
RELOAD_SECONDS = 3.0
"""How often a worker reads the keys again, so a revocation takes effect."""
UNKNOWN_RELOAD_SECONDS = 1.0
"""How often, at most, an unknown key makes a worker read the keys again, so a new key works at once."""

log = logging.getLogger("clearance.service")

_SCHEMA = """
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    digest BLOB NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('screen', 'admin')),
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    revoked_at TEXT
)
"""
_VERSION = 1


class Role(StrEnum):
    SCREEN = "screen"
    """Screening, search, entities and list status."""
    ADMIN = "admin"
    """All of the above, and list updates and roll-backs."""

    def allows(self, needed: Role) -> bool:
        return self is Role.ADMIN or needed is Role.SCREEN


@dataclass(frozen=True)
class ApiKey:
    """What is kept of a key: never its secret."""

    id: str
    role: Role
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "role": self.role.value,
            "label": self.label,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def key_id(key: str) -> str | None:
    """The id a presented key claims; None when it is not shaped as a key at all."""
    if not key.startswith(PREFIX):
        return None
    found, sep, secret = key[len(PREFIX) :].partition("_")
    return found if sep and found and secret else None


class KeyStore:
    """The key table; `create` False opens an existing file only (the service never creates one)."""

    def __init__(self, path: Path, *, timeout: float = 60.0, create: bool = True) -> None:
        self.path = path
        if not create and not path.is_file():
            raise StoreError(f"{path}: no API key store here: create a key with `clearance keys create` first")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
            self._db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{path}: cannot open the API key store: {exc}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            if version > _VERSION:
                raise StoreError(
                    f"{path}: API key store version {version} is newer than this clearance understands: upgrade it"
                )
            if version < _VERSION and create:
                self._db.execute("BEGIN IMMEDIATE")
                if int(self._db.execute("PRAGMA user_version").fetchone()[0]) == 0:
                    self._db.execute(_SCHEMA)
                    self._db.execute(f"PRAGMA user_version = {_VERSION}")
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._db.close()
            raise StoreError(f"{path}: cannot use the API key store: {exc}") from None
        except StoreError:
            self._db.close()
            raise

    @classmethod
    def of_home(cls, home: Path, *, timeout: float = 60.0, create: bool = True) -> KeyStore:
        return cls(home / KEY_FILE, timeout=timeout, create=create)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> KeyStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def create(self, role: Role, label: str = "") -> tuple[ApiKey, str]:
        """A new key and the key itself, which only the caller ever sees."""
        if any(not char.isprintable() for char in label) or len(label) > 200:
            raise InputError("a key's label is one printable line of at most 200 characters")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        while True:
            new_id = secrets.token_hex(6)
            key = f"{PREFIX}{new_id}_{secrets.token_urlsafe(32)}"
            try:
                self._db.execute(
                    "INSERT INTO api_keys (id, digest, role, label, created_at) VALUES (?, ?, ?, ?, ?)",
                    (new_id, digest(key), role.value, label, now.isoformat()),
                )
            except sqlite3.IntegrityError:
                continue  # the same 48-bit id drawn twice: draw again
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path}: cannot store the key: {exc}") from None
            return ApiKey(new_id, role, label, now), key

    def keys(self) -> list[ApiKey]:
        """Every key, revoked ones too, in the order they were made."""
        rows = self._rows("SELECT id, role, label, created_at, revoked_at FROM api_keys ORDER BY rowid")
        return [_key(row) for row in rows]

    def revoke(self, key: str) -> ApiKey:
        """Revoke a key (by id, or the key itself); a key revoked before keeps its first revocation time."""
        wanted = key_id(key) or key
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        try:
            self._db.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (now.isoformat(), wanted)
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot revoke the key: {exc}") from None
        rows = self._rows("SELECT id, role, label, created_at, revoked_at FROM api_keys WHERE id = ?", (wanted,))
        if not rows:
            raise NotFoundError(f"no API key {wanted!r}: `clearance keys list` shows them")
        return _key(rows[0])

    def digests(self) -> dict[str, tuple[bytes, Role, bool]]:
        """Per key id: its digest, its role and whether it was revoked; what a worker caches."""
        rows = self._rows("SELECT id, digest, role, revoked_at IS NOT NULL FROM api_keys")
        return {str(row[0]): (bytes(row[1]), Role(row[2]), bool(row[3])) for row in rows}

    def _rows(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return list(self._db.execute(sql, args))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot read the API keys: {exc}") from None


def _key(row: tuple[object, ...]) -> ApiKey:
    key, role, label, created, revoked = row
    return ApiKey(
        id=str(key),
        role=Role(str(role)),
        label=str(label),
        created_at=dt.datetime.fromisoformat(str(created)),
        revoked_at=dt.datetime.fromisoformat(str(revoked)) if revoked else None,
    )


@dataclass(frozen=True)
class Match:
    """A presented key that the store knows, with the secret right."""

    key_id: str
    role: Role
    revoked: bool


class KeyRing:
    """One worker's copy of the keys, read again as the module docstring says. Not thread-safe: the
    service checks keys on its event loop only."""

    def __init__(self, home: Path) -> None:
        self.path = home / KEY_FILE
        self._store: KeyStore | None = None
        self._keys: dict[str, tuple[bytes, Role, bool]] = {}
        self._loaded = float("-inf")
        self._file: tuple[int, int] | None = None
        self._warned: str | None = None
        self.reload()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def __len__(self) -> int:
        return sum(not revoked for _, _, revoked in self._keys.values())

    def find(self, key: str) -> Match | None:
        """The key's id and role when the key is one the store holds, revoked or not; None otherwise."""
        claimed = key_id(key)
        if claimed is None:
            return None
        now = time.monotonic()
        if now - self._loaded >= RELOAD_SECONDS:
            self.reload(now)
        known = self._keys.get(claimed)
        if known is None and now - self._loaded >= UNKNOWN_RELOAD_SECONDS:
            self.reload(now)
            known = self._keys.get(claimed)
        if known is None or not hmac.compare_digest(known[0], digest(key)):
            return None
        return Match(claimed, known[1], known[2])

    def reload(self, now: float | None = None) -> None:
        """Read the keys again. No file (no key made yet, or it was removed): no keys. A file replaced, as
        from a backup: the new one. On a failure, the keys read before stay in use and it is logged once."""
        self._loaded = time.monotonic() if now is None else now
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            self.close()
            self._keys = {}
            return
        except OSError as exc:
            self._failed(f"{self.path}: {exc.strerror}")
            return
        try:
            if self._store is None or (found.st_dev, found.st_ino) != self._file:
                self.close()
                self._store = KeyStore(self.path, create=False, timeout=1.0)
                self._file = (found.st_dev, found.st_ino)
            self._keys = self._store.digests()
        except StoreError as exc:
            self.close()
            self._failed(str(exc))
            return
        self._warned = None

    def _failed(self, why: str) -> None:
        if self._warned != why:
            log.warning("API keys not read (the keys read before stay in use): %s", why)
        self._warned = why
