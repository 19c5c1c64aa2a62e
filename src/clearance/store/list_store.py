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
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from clearance.errors import NotFoundError, StoreError
from clearance.lists.diff import ListDiff, diff_records
from clearance.lists.files import FileDigest, combined_digest
from clearance.lists.source import ParsedList
from clearance.model import Entity
from clearance.store.failures import StoreMissingError, TamperedError, guarded, translated
from clearance.store.schema import MIGRATIONS

_BATCH = 500
MAX_SHRINK = 0.10
"""A load that would leave a source with more than this fraction fewer entities is held back."""
LOCK_TIMEOUT = 60.0
"""Seconds a write waits for another process's lock before it gives up."""


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
    entities_sha256: str = ""
    """Of the snapshot's (entity id, record digest) pairs: a row added, dropped or repointed shows."""

    def age(self, now: dt.datetime) -> dt.timedelta | None:
        """How old the list is at `now`, from its publisher's date; None when the file states none (its load
        time says nothing of how current the list was)."""
        return now - self.published.astimezone(dt.UTC) if self.published is not None else None

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
    """False when the same files were already stored: nothing was written."""
    previous: Snapshot | None = None
    """The source's active snapshot before this load, if it had one."""
    held: str | None = None
    """Why the snapshot was stored (or found) but not made active; None when it is active."""
    problems: tuple[str, ...] = ()
    """Records the parser kept only in part (an over-long name skipped), one line each."""

    @property
    def switched(self) -> bool:
        """Whether this load changed the source's active snapshot."""
        return self.held is None and (self.previous is None or self.previous.id != self.snapshot.id)


class ListStore:
    """Snapshots of every source, one of them active per source."""

    def __init__(self, path: Path, *, timeout: float = LOCK_TIMEOUT, create: bool = True) -> None:
        """Open the store at `path`; with `create` False a missing store is an error, never an empty store."""
        self.path = path
        self.timeout = timeout
        if not create and not path.is_file():
            raise StoreMissingError(
                f"{path}: no list store here: run `clearance lists update` (or `clearance lists load`) first"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, timeout=timeout, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the list store: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the list store: {exc.strerror}") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except sqlite3.Error as exc:
            self._db.close()
            raise translated(path, timeout, exc) from None
        except StoreError:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ListStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @guarded
    def integrity_errors(self) -> list[str]:
        """SQLite's own consistency check of the store file; empty when it is sound."""
        rows = [str(row[0]) for row in self._db.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    @guarded
    def verify(self) -> list[str]:
        """Every fault in the store, one line each: SQLite's check, then every record and snapshot digest."""
        faults = [f"sqlite: {row}" for row in self.integrity_errors()]
        if faults:
            return faults
        with self._read() as db:
            for digest, data in db.execute("SELECT digest, data FROM entity_records"):
                if _sha256(data) != digest:
                    users = db.execute(
                        "SELECT entity_id, snapshot_id FROM snapshot_entities WHERE digest = ? ORDER BY snapshot_id",
                        (digest,),
                    ).fetchall()
                    named = ", ".join(f"{eid} (snapshot {sid})" for eid, sid in users) or "no snapshot"
                    faults.append(f"the record of {named} fails its digest: it was altered after loading")
                    continue
                try:
                    Entity.model_validate_json(data)
                except ValidationError as exc:
                    faults.append(f"entity record {digest[:12]} does not read as an entity: {_first(exc)}")
            snapshots = self.snapshots()
            for snapshot in snapshots:
                pairs = db.execute(
                    "SELECT entity_id, digest FROM snapshot_entities WHERE snapshot_id = ? ORDER BY entity_id",
                    (snapshot.id,),
                ).fetchall()
                fault = _snapshot_fault(snapshot, pairs)
                if fault:
                    faults.append(fault)
            missing = db.execute(
                "SELECT e.snapshot_id, e.entity_id FROM snapshot_entities e"
                " LEFT JOIN entity_records r ON r.digest = e.digest WHERE r.digest IS NULL"
            ).fetchall()
            faults.extend(f"snapshot {sid}: the record of {eid} is missing" for sid, eid in missing)
        return faults

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
            self._fill_entities_digests()

    def _fill_entities_digests(self) -> None:
        """Snapshots written before the digest of their rows was kept get it now, from the rows as they are."""
        ids = [row[0] for row in self._db.execute("SELECT id FROM snapshots WHERE entities_sha256 IS NULL")]
        for snapshot_id in ids:
            pairs = self._db.execute(
                "SELECT entity_id, digest FROM snapshot_entities WHERE snapshot_id = ? ORDER BY entity_id",
                (snapshot_id,),
            ).fetchall()
            self._db.execute(
                "UPDATE snapshots SET entities_sha256 = ? WHERE id = ?", (_pairs_digest(pairs), snapshot_id)
            )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything in it lands, or nothing does."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            if self._db.in_transaction:  # SQLite may have rolled back already (a full disk does)
                with suppress(sqlite3.Error):
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
            if self._db.in_transaction:
                self._db.execute("COMMIT")

    # -- writing -----------------------------------------------------------------

    @guarded
    def load(
        self,
        parsed: ParsedList,
        files: Sequence[FileDigest],
        origin: str,
        *,
        force: bool = False,
        max_shrink: float = MAX_SHRINK,
        progress: Callable[[int], None] | None = None,
    ) -> LoadResult:
        """Store a parsed list version as a snapshot, and make it active unless that looks like a regression.

        A version with more than `max_shrink` fewer entities than the active one, or an older
        publication date, is stored but left inactive (`held` says why) unless `force`. Files
        already stored write nothing; their snapshot is made active again only with `force`.
        The check and the write are one transaction, so identical concurrent loads end as one
        snapshot. `progress` is called with the number of entities written so far.
        """
        digest = combined_digest(files)
        now = dt.datetime.now(dt.UTC)
        with self._write() as db:
            active = self._active(db, parsed.source)
            same = db.execute(
                "SELECT id FROM snapshots WHERE source = ? AND sha256 = ? ORDER BY id DESC LIMIT 1",
                (parsed.source, digest),
            ).fetchone()
            if same is not None:
                kept = int(same[0])
                held = None if force or (active is not None and active.id == kept) else _already_stored(kept, active)
                if held is None and (active is None or active.id != kept):
                    self._activate(db, parsed.source, kept, now)
                return LoadResult(self._snapshot_in(db, kept), created=False, previous=active, held=held)
            held = None if force else _regression(parsed, active, max_shrink)
            snapshot_id = self._insert(db, parsed, digest, files, origin, now, progress)
            if held is None:
                self._activate(db, parsed.source, snapshot_id, now)
            return LoadResult(self._snapshot_in(db, snapshot_id), created=True, previous=active, held=held)

    def _insert(
        self,
        db: sqlite3.Connection,
        parsed: ParsedList,
        digest: str,
        files: Sequence[FileDigest],
        origin: str,
        now: dt.datetime,
        progress: Callable[[int], None] | None,
    ) -> int:
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
        pairs: list[tuple[str, str]] = []
        for start in range(0, len(parsed.entities), _BATCH):
            batch = parsed.entities[start : start + _BATCH]
            keyed = [(_sha256(data), data, e) for e in batch for data in (e.canonical_json(),)]
            db.executemany(
                "INSERT OR IGNORE INTO entity_records (digest, data) VALUES (?, ?)",
                [(key, data) for key, data, _ in keyed],
            )
            try:
                db.executemany(
                    "INSERT INTO snapshot_entities (snapshot_id, entity_id, kind, name, digest) VALUES (?, ?, ?, ?, ?)",
                    [(snapshot_id, e.id, e.kind.value, e.name, key) for key, _, e in keyed],
                )
            except sqlite3.IntegrityError:
                counts = Counter(e.id for e in parsed.entities)
                dup = next(key for key, n in counts.items() if n > 1)
                raise StoreError(f"{parsed.source}: entity id {dup} occurs twice in one list version") from None
            pairs.extend((e.id, key) for key, _, e in keyed)
            if progress is not None:
                progress(start + len(batch))
        db.execute("UPDATE snapshots SET entities_sha256 = ? WHERE id = ?", (_pairs_digest(sorted(pairs)), snapshot_id))
        return snapshot_id

    def _active(self, db: sqlite3.Connection, source: str) -> Snapshot | None:
        row = db.execute(
            f"SELECT {self._SNAPSHOT_COLUMNS} FROM snapshots s JOIN active_snapshots a ON a.snapshot_id = s.id"
            " WHERE a.source = ?",
            (source,),
        ).fetchone()
        return _snapshot(row) if row is not None else None

    def _snapshot_in(self, db: sqlite3.Connection, snapshot_id: int) -> Snapshot:
        row = db.execute(
            f"SELECT {self._SNAPSHOT_COLUMNS} FROM {self._SNAPSHOT_FROM} WHERE s.id = ?", (snapshot_id,)
        ).fetchone()
        return _snapshot(row)

    @guarded
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
        " a.snapshot_id IS NOT NULL, s.entities_sha256"
    )
    _SNAPSHOT_FROM = "snapshots s LEFT JOIN active_snapshots a ON a.snapshot_id = s.id"

    @guarded
    def snapshot(self, snapshot_id: int) -> Snapshot:
        row = self._db.execute(
            f"SELECT {self._SNAPSHOT_COLUMNS} FROM {self._SNAPSHOT_FROM} WHERE s.id = ?", (snapshot_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no snapshot {snapshot_id} in {self.path}")
        return _snapshot(row)

    @guarded
    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        """Every snapshot kept, oldest first (of one source, or of all)."""
        query = f"SELECT {self._SNAPSHOT_COLUMNS} FROM {self._SNAPSHOT_FROM}"
        args: tuple[str, ...] = ()
        if source is not None:
            query += " WHERE s.source = ?"
            args = (source,)
        return [_snapshot(row) for row in self._db.execute(query + " ORDER BY s.id", args)]

    @guarded
    def active_snapshots(self) -> dict[str, Snapshot]:
        """The active snapshot of each source that has one."""
        rows = self._db.execute(
            f"SELECT {self._SNAPSHOT_COLUMNS} FROM snapshots s JOIN active_snapshots a ON a.snapshot_id = s.id"
            " ORDER BY s.source"
        )
        return {snapshot.source: snapshot for snapshot in map(_snapshot, rows)}

    @guarded
    def entity(self, entity_id: str, snapshot_id: int | None = None) -> Entity:
        """An entity as its source's active snapshot (or the given one) states it."""
        if snapshot_id is None:
            row = self._db.execute(
                "SELECT e.snapshot_id, e.entity_id, e.digest, r.data FROM snapshot_entities e"
                " JOIN active_snapshots a ON a.snapshot_id = e.snapshot_id"
                " JOIN entity_records r ON r.digest = e.digest WHERE e.entity_id = ?",
                (entity_id,),
            ).fetchone()
        else:
            row = self._db.execute(
                "SELECT e.snapshot_id, e.entity_id, e.digest, r.data FROM snapshot_entities e"
                " JOIN entity_records r ON r.digest = e.digest WHERE e.snapshot_id = ? AND e.entity_id = ?",
                (snapshot_id, entity_id),
            ).fetchone()
        if row is None:
            where = f"snapshot {snapshot_id}" if snapshot_id is not None else "any active list"
            raise NotFoundError(f"no entity {entity_id} in {where}")
        return self._decoded(*row)

    @guarded
    def record_digests(self, pairs: Sequence[tuple[int, str]]) -> dict[tuple[int, str], str]:
        """The digest each (snapshot id, entity id) has its record stored under; pairs the store lacks are left out.

        The digest is the SHA-256 of the entity's canonical JSON: it changes when, and only when, the
        listed entry does, which is what a remembered decision on that entry must notice."""
        found: dict[tuple[int, str], str] = {}
        with self._read() as db:
            for snapshot_id, entity_id in pairs:
                row = db.execute(
                    "SELECT digest FROM snapshot_entities WHERE snapshot_id = ? AND entity_id = ?",
                    (snapshot_id, entity_id),
                ).fetchone()
                if row is not None:
                    found[(snapshot_id, entity_id)] = str(row[0])
        return found

    @guarded
    def entities(self, snapshot_id: int) -> Iterator[Entity]:
        """Every entity of one snapshot, in id order."""
        yield from self.version_entities([self.snapshot(snapshot_id).id])

    @guarded
    def active_entities(self, sources: Sequence[str] | None = None) -> Iterator[Entity]:
        """Every entity of the active snapshots (of the given sources), read in one transaction."""
        active = self.active_snapshots()
        ids = [s.id for name, s in sorted(active.items()) if not sources or name in sources]
        yield from self.version_entities(ids) if ids else []

    @guarded
    def version_entities(self, snapshot_ids: Sequence[int]) -> list[Entity]:
        """Every entity of the given snapshots, in id order, read in one transaction and checked.

        Each record must match its digest, and each snapshot its entity count and the digest
        of its rows: a store altered outside clearance is refused, never screened against.
        """
        if not snapshot_ids:
            return []
        marks = ", ".join("?" for _ in snapshot_ids)
        with self._read() as db:
            snapshots = [
                _snapshot(row)
                for row in db.execute(
                    f"SELECT {self._SNAPSHOT_COLUMNS} FROM {self._SNAPSHOT_FROM} WHERE s.id IN ({marks})",
                    tuple(snapshot_ids),
                )
            ]
            rows = db.execute(
                "SELECT e.snapshot_id, e.entity_id, e.digest, r.data FROM snapshot_entities e"
                f" LEFT JOIN entity_records r ON r.digest = e.digest WHERE e.snapshot_id IN ({marks})"
                " ORDER BY e.entity_id",
                tuple(snapshot_ids),
            ).fetchall()
        for snapshot in snapshots:
            pairs = sorted((str(eid), str(digest)) for sid, eid, digest, _ in rows if sid == snapshot.id)
            fault = _snapshot_fault(snapshot, pairs)
            if fault:
                raise TamperedError(f"{self.path}: {fault}; run `clearance lists verify`")
        return [self._decoded(*row) for row in rows]

    def _decoded(self, snapshot_id: int, entity_id: str, digest: str, data: str | None) -> Entity:
        """A stored record as an entity, once it has matched the digest it was stored under."""
        return self._record(f"the record of {entity_id} (snapshot {snapshot_id})", digest, data)

    def _record(self, what: str, digest: str, data: str | None) -> Entity:
        if data is None:
            raise TamperedError(f"{self.path}: {what} is missing; run `clearance lists verify`")
        if _sha256(data) != digest:
            raise TamperedError(
                f"{self.path}: {what} fails its digest: the store was altered outside clearance; "
                "run `clearance lists verify`"
            )
        try:
            return Entity.model_validate_json(data)
        except ValidationError as exc:
            raise TamperedError(f"{self.path}: {what} does not read as an entity: {_first(exc)}") from None

    @guarded
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

    def _records(self, db: sqlite3.Connection, digests: set[str]) -> dict[str, Entity]:
        found: dict[str, Entity] = {}
        keys = sorted(digests)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = db.execute(
                f"SELECT digest, data FROM entity_records WHERE digest IN ({', '.join('?' for _ in chunk)})", chunk
            )
            found.update((key, self._record(f"entity record {key[:12]}", key, data)) for key, data in rows)
        return found


def _sha256(data: str) -> str:
    return hashlib.sha256(data.encode()).hexdigest()


def _pairs_digest(pairs: Sequence[tuple[str, str]]) -> str:
    """Of a snapshot's (entity id, record digest) pairs, in id order."""
    return _sha256("".join(f"{entity_id}\t{digest}\n" for entity_id, digest in pairs))


def _snapshot_fault(snapshot: Snapshot, pairs: Sequence[tuple[str, str]]) -> str | None:
    """What is wrong with a snapshot's rows against what was written with it; None when they match."""
    if len(pairs) != snapshot.entity_count:
        return (
            f"snapshot {snapshot.id} ({snapshot.source}) holds {len(pairs):,} entities, "
            f"but {snapshot.entity_count:,} were stored"
        )
    if snapshot.entities_sha256 and _pairs_digest(pairs) != snapshot.entities_sha256:
        return f"snapshot {snapshot.id} ({snapshot.source}): its entity rows were altered after loading"
    return None


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    return f"{'.'.join(str(x) for x in error['loc'])}: {error['msg']}"


def _regression(parsed: ParsedList, active: Snapshot | None, max_shrink: float) -> str | None:
    """Why a new version should not replace the active one without being asked to; None when it may."""
    if active is None:
        return None
    count = len(parsed.entities)
    if count < active.entity_count * (1 - max_shrink):
        drop = 1 - count / active.entity_count
        return (
            f"it has {count:,} entities against {active.entity_count:,} in the active snapshot {active.id} "
            f"({drop:.1%} fewer; more than {max_shrink:.0%} looks like a truncated or wrong file)"
        )
    if parsed.published and active.published and parsed.published < active.published:
        return (
            f"it was published on {parsed.published.date().isoformat()}, before the active snapshot {active.id} "
            f"({active.published.date().isoformat()})"
        )
    return None


def _already_stored(kept: int, active: Snapshot | None) -> str:
    now = f"snapshot {active.id} is" if active is not None else "no snapshot is"
    return f"these files are already stored as snapshot {kept}, which is not active ({now})"


def _snapshot(row: tuple[object, ...]) -> Snapshot:
    sid, source, published, loaded_at, sha256, files, origin, count, active, entities_sha256 = row
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
        entities_sha256=str(entities_sha256 or ""),
    )
