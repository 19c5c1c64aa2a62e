"""The list store: an embedded SQLite database of immutable list snapshots.

SQLite rather than DuckDB because the store is an operational database: small
transactional writes (a list version lands in one transaction, so a crash or an
error mid-load leaves the previous version active) read by many processes at
once (WAL mode: readers never block and never see a half-written load). DuckDB
allows only one writing process and is the analytical engine for batch
screening, which reads the active entities through this class.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from clearance.errors import NotFoundError, StoreError
from clearance.lists.diff import ListDiff, diff_records
from clearance.lists.files import FileDigest, combined_digest
from clearance.lists.source import ParsedList
from clearance.model import Entity
from clearance.store.schema import MIGRATIONS

_BATCH = 500


@dataclass(frozen=True)
class Snapshot:
    """One loaded version of one source; never modified once written."""

    id: int
    source: str
    published: dt.datetime | None
    loaded_at: dt.datetime
    sha256: str
    files: tuple[FileDigest, ...]
    origin: str
    entity_count: int
    active: bool

    @property
    def as_of(self) -> dt.datetime:
        """The date the list speaks for: its own publication date, else when it was loaded."""
        return self.published or self.loaded_at

    def age(self, now: dt.datetime) -> dt.timedelta:
        """How old the list is at `now`: from its publisher's date where it states one, else from its load."""
        return now - self.as_of.astimezone(dt.UTC)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "loaded_at": self.loaded_at.isoformat(),
            "sha256": self.sha256,
            "files": [f.to_json() for f in self.files],
            "origin": self.origin,
            "entity_count": self.entity_count,
            "active": self.active,
        }


@dataclass(frozen=True)
class LoadResult:
    snapshot: Snapshot
    created: bool
    """False when the same files were already stored: nothing was written, that snapshot is active."""


class ListStore:
    """Snapshots of every source, one of them active per source."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=60.0, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the list store: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the list store: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ListStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def integrity_errors(self) -> list[str]:
        """SQLite's own consistency check of the store file; empty when it is sound."""
        rows = [str(row[0]) for row in self._db.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Apply missing migrations; a current store is only read, so readers never wait on a load."""
        if self.schema_version == len(MIGRATIONS):
            return
        with self._write():
            version = self.schema_version
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path}: store schema version {version} is newer than this clearance "
                    f"understands ({len(MIGRATIONS)}): upgrade clearance"
                )
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything in it lands, or nothing does."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction, so several queries see the same committed state."""
        self._db.execute("BEGIN")
        try:
            yield self._db
        finally:
            self._db.execute("COMMIT")

    # -- writing -----------------------------------------------------------------

    def load(
        self,
        parsed: ParsedList,
        files: Sequence[FileDigest],
        origin: str,
        *,
        activate: bool = True,
        progress: Callable[[int], None] | None = None,
    ) -> LoadResult:
        """Store a parsed list version as a new snapshot and make it active.

        Files already stored as a snapshot write nothing: that snapshot is (re)activated.
        `progress` is called with the number of entities written so far.
        """
        digest = combined_digest(files)
        same = [s for s in self.snapshots(parsed.source) if s.sha256 == digest]
        if same:
            kept = same[-1]
            if activate and not kept.active:
                kept = self.activate(kept.id)
            return LoadResult(snapshot=kept, created=False)
        now = dt.datetime.now(dt.UTC)
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO snapshots (source, published, loaded_at, sha256, files, origin, entity_count)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    parsed.source,
                    parsed.published.isoformat() if parsed.published else None,
                    now.isoformat(),
                    digest,
                    json.dumps([f.to_json() for f in files]),
                    origin,
                    len(parsed.entities),
                ),
            )
            snapshot_id = int(cursor.lastrowid or 0)
            for start in range(0, len(parsed.entities), _BATCH):
                batch = parsed.entities[start : start + _BATCH]
                records = [(entity, entity.canonical_json()) for entity in batch]
                keyed = [(hashlib.sha256(data.encode()).hexdigest(), data, e) for e, data in records]
                db.executemany(
                    "INSERT OR IGNORE INTO entity_records (digest, data) VALUES (?, ?)",
                    [(key, data) for key, data, _ in keyed],
                )
                try:
                    db.executemany(
                        "INSERT INTO snapshot_entities (snapshot_id, entity_id, kind, name, digest)"
                        " VALUES (?, ?, ?, ?, ?)",
                        [(snapshot_id, e.id, e.kind.value, e.name, key) for key, _, e in keyed],
                    )
                except sqlite3.IntegrityError:
                    counts = Counter(e.id for e in parsed.entities)
                    dup = next(key for key, n in counts.items() if n > 1)
                    raise StoreError(f"{parsed.source}: entity id {dup} occurs twice in one list version") from None
                if progress is not None:
                    progress(start + len(batch))
            if activate:
                self._activate(db, parsed.source, snapshot_id, now)
        return LoadResult(snapshot=self.snapshot(snapshot_id), created=True)

    def activate(self, snapshot_id: int) -> Snapshot:
        """Make an older (or newer) snapshot the active one of its source: a roll-back."""
        snapshot = self.snapshot(snapshot_id)
        with self._write() as db:
            self._activate(db, snapshot.source, snapshot.id, dt.datetime.now(dt.UTC))
        return self.snapshot(snapshot_id)

    @staticmethod
    def _activate(db: sqlite3.Connection, source: str, snapshot_id: int, when: dt.datetime) -> None:
        db.execute(
            "INSERT INTO active_snapshots (source, snapshot_id, activated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (source) DO UPDATE SET snapshot_id = excluded.snapshot_id,"
            " activated_at = excluded.activated_at",
            (source, snapshot_id, when.isoformat()),
        )

    # -- reading -----------------------------------------------------------------

    _SNAPSHOT_COLUMNS = (
        "s.id, s.source, s.published, s.loaded_at, s.sha256, s.files, s.origin, s.entity_count,"
        " a.snapshot_id IS NOT NULL"
    )
    _SNAPSHOT_FROM = "snapshots s LEFT JOIN active_snapshots a ON a.snapshot_id = s.id"

    def snapshot(self, snapshot_id: int) -> Snapshot:
        row = self._db.execute(
            f"SELECT {self._SNAPSHOT_COLUMNS} FROM {self._SNAPSHOT_FROM} WHERE s.id = ?", (snapshot_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no snapshot {snapshot_id} in {self.path}")
        return _snapshot(row)

    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        """Every snapshot kept, oldest first (of one source, or of all)."""
        query = f"SELECT {self._SNAPSHOT_COLUMNS} FROM {self._SNAPSHOT_FROM}"
        args: tuple[str, ...] = ()
        if source is not None:
            query += " WHERE s.source = ?"
            args = (source,)
        return [_snapshot(row) for row in self._db.execute(query + " ORDER BY s.id", args)]

    def active_snapshots(self) -> dict[str, Snapshot]:
        """The active snapshot of each source that has one."""
        rows = self._db.execute(
            f"SELECT {self._SNAPSHOT_COLUMNS} FROM snapshots s JOIN active_snapshots a ON a.snapshot_id = s.id"
            " ORDER BY s.source"
        )
        return {snapshot.source: snapshot for snapshot in map(_snapshot, rows)}

    def entity(self, entity_id: str, snapshot_id: int | None = None) -> Entity:
        """An entity as its source's active snapshot (or the given one) states it."""
        if snapshot_id is None:
            row = self._db.execute(
                "SELECT r.data FROM snapshot_entities e JOIN active_snapshots a ON a.snapshot_id = e.snapshot_id"
                " JOIN entity_records r ON r.digest = e.digest WHERE e.entity_id = ?",
                (entity_id,),
            ).fetchone()
        else:
            row = self._db.execute(
                "SELECT r.data FROM snapshot_entities e JOIN entity_records r ON r.digest = e.digest"
                " WHERE e.snapshot_id = ? AND e.entity_id = ?",
                (snapshot_id, entity_id),
            ).fetchone()
        if row is None:
            where = f"snapshot {snapshot_id}" if snapshot_id is not None else "any active list"
            raise NotFoundError(f"no entity {entity_id} in {where}")
        return Entity.model_validate_json(row[0])

    def entities(self, snapshot_id: int) -> Iterator[Entity]:
        """Every entity of one snapshot, in id order."""
        self.snapshot(snapshot_id)
        with self._read() as db:
            rows = db.execute(
                "SELECT r.data FROM snapshot_entities e JOIN entity_records r ON r.digest = e.digest"
                " WHERE e.snapshot_id = ? ORDER BY e.entity_id",
                (snapshot_id,),
            ).fetchall()
        for (data,) in rows:
            yield Entity.model_validate_json(data)

    def active_entities(self, sources: Sequence[str] | None = None) -> Iterator[Entity]:
        """Every entity of the active snapshots (of the given sources), read in one transaction."""
        query = (
            "SELECT r.data FROM snapshot_entities e JOIN active_snapshots a ON a.snapshot_id = e.snapshot_id"
            " JOIN entity_records r ON r.digest = e.digest"
        )
        args: tuple[str, ...] = ()
        if sources:
            query += f" WHERE a.source IN ({', '.join('?' for _ in sources)})"
            args = tuple(sources)
        with self._read() as db:
            rows = db.execute(query + " ORDER BY e.entity_id", args).fetchall()
        for (data,) in rows:
            yield Entity.model_validate_json(data)

    def version_entities(self, snapshot_ids: Sequence[int]) -> list[Entity]:
        """Every entity of the given snapshots, in id order, read in one transaction."""
        query = (
            "SELECT r.data FROM snapshot_entities e JOIN entity_records r ON r.digest = e.digest"
            f" WHERE e.snapshot_id IN ({', '.join('?' for _ in snapshot_ids)}) ORDER BY e.entity_id"
        )
        with self._read() as db:
            rows = db.execute(query, tuple(snapshot_ids)).fetchall()
        return [Entity.model_validate_json(data) for (data,) in rows]

    def diff(self, old_id: int, new_id: int) -> ListDiff:
        """Entities added, removed and changed (field by field) between two snapshots of a source."""
        old, new = self.snapshot(old_id), self.snapshot(new_id)
        if old.source != new.source:
            raise StoreError(f"snapshots {old_id} ({old.source}) and {new_id} ({new.source}) are of different sources")
        with self._read() as db:
            before = self._digests(db, old_id)
            after = self._digests(db, new_id)
            wanted = {before[k] for k in before.keys() - after.keys()}
            wanted |= {after[k] for k in after.keys() - before.keys()}
            wanted |= {d for k in before.keys() & after.keys() for d in (before[k], after[k]) if before[k] != after[k]}
            records = self._records(db, wanted)
        return diff_records(old.source, old_id, new_id, before, after, records)

    @staticmethod
    def _digests(db: sqlite3.Connection, snapshot_id: int) -> dict[str, str]:
        rows = db.execute("SELECT entity_id, digest FROM snapshot_entities WHERE snapshot_id = ?", (snapshot_id,))
        return dict(rows.fetchall())

    @staticmethod
    def _records(db: sqlite3.Connection, digests: set[str]) -> dict[str, Entity]:
        found: dict[str, Entity] = {}
        keys = sorted(digests)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = db.execute(
                f"SELECT digest, data FROM entity_records WHERE digest IN ({', '.join('?' for _ in chunk)})", chunk
            )
            found.update((key, Entity.model_validate_json(data)) for key, data in rows)
        return found


def _snapshot(row: tuple[object, ...]) -> Snapshot:
    sid, source, published, loaded_at, sha256, files, origin, count, active = row
    return Snapshot(
        id=int(str(sid)),
        source=str(source),
        published=dt.datetime.fromisoformat(str(published)) if published else None,
        loaded_at=dt.datetime.fromisoformat(str(loaded_at)),
        sha256=str(sha256),
        files=tuple(FileDigest.from_json(f) for f in json.loads(str(files))),
        origin=str(origin),
        entity_count=int(str(count)),
        active=bool(active),
    )
