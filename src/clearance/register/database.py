"""The customer register: the subjects a bank screens, their blocking probes and the alerts raised so far.

One DuckDB file in the home (`register.duckdb`). DuckDB rather than SQLite: the
register is read and rewritten in bulk (a million subjects replaced by a load, tens
of millions of probe keys joined against a change's few hundred keys), which a
columnar engine does in seconds from numpy arrays, with no row-by-row inserts; and
it is the engine the batch files are read with already. Every write is one
transaction: a load or a re-screening that fails leaves the register as it was.

Tables:
- `subjects`: id, the party fields as loaded (name, type, dob, country), `digest` of
  the normalised record, and `screened`, the digest it had when last screened (a
  subject is due for a screening of its own when the two differ);
- `subject_probe` (subject, probe) and `probe_key` (probe, key): what each subject's
  name looks up in a name index (`clearance.register.keys`); stored as probes so
  that the many subjects sharing a given name or surname share its keys;
- `alerts`: each (subject, listed entity) pair alerted so far, with its score, the
  list version and the time it was first alerted;
- `watch`: each subject's pairs scoring just under the threshold and its hits past the limit, as of its last
  screening (`clearance.register.watch`): what a list update can turn into an alert without a key shared;
- `lead`: per subject, whether the candidate limit cut its candidates and its best candidate, as of its last
  screening: whom a removed entity's freed place can matter to;
- `meta`: the list version, threshold, limit and algorithm last screened with, the
  algorithm the probes were made by, and the last load's and screening's counts.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from clearance.errors import ConflictError, InputError, StoreError, UnavailableError
from clearance.matching.algorithm import ALGORITHM, config_digest
from clearance.matching.batch import Columns, Row, party_of, read_rows
from clearance.matching.screener import checked
from clearance.register.keys import probe_keys, subject_probes

REGISTER_FILE = "register.duckdb"
SCHEMA_VERSION = "1"
FIELDS = ("id", "name", "type", "dob", "country")
"""A subject's party fields, as a batch row names them."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS subjects (
    id VARCHAR, name VARCHAR, type VARCHAR, dob VARCHAR, country VARCHAR, digest VARCHAR, screened VARCHAR
);
CREATE TABLE IF NOT EXISTS subject_probe (subject VARCHAR, probe VARCHAR);
CREATE TABLE IF NOT EXISTS probe_key (probe VARCHAR, key VARCHAR);
CREATE TABLE IF NOT EXISTS alerts (
    subject VARCHAR, entity_id VARCHAR, source VARCHAR, score DOUBLE, list_version VARCHAR, alerted_at VARCHAR
);
CREATE TABLE IF NOT EXISTS watch (subject VARCHAR, entity_id VARCHAR, score DOUBLE);
CREATE TABLE IF NOT EXISTS lead (subject VARCHAR, crowded BOOLEAN, leader VARCHAR);
"""


@dataclass(frozen=True)
class Subject:
    """One row of a register file, read and checked: its party fields (the name spaced and without control
    characters, as screening reads it) and the digest of their normalised form."""

    id: str
    name: str
    type: str
    dob: str
    country: str
    digest: str


@dataclass(frozen=True)
class LoadReport:
    """What a load did to the register."""

    path: str
    subjects: int
    new: int
    changed: int
    removed: int
    unchanged: int

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


def read_subjects(
    path: Path, columns: Columns | None = None, warn: Callable[[str], None] | None = None
) -> list[Subject]:
    """Every row of a register file as a subject; the first bad row fails the whole file (`InputError` naming the
    file, the line and the field), so that a customer never drops out of the register unnoticed."""
    columns = columns or Columns()
    rows = read_rows(path, columns, warn)
    subjects: list[Subject] = []
    seen: dict[str, int] = {}
    bad: list[str] = []
    for line, row in rows:
        try:
            subject = _subject(row, columns)
        except InputError as exc:
            bad.append(f"{path}: line {line}: {exc}")
            continue
        if subject.id in seen:
            bad.append(
                f"{path}: line {line}: {columns.column('id')}: {subject.id!r} again (first on line {seen[subject.id]})"
            )
            continue
        seen[subject.id] = line
        subjects.append(subject)
    if bad:
        more = f" (and {len(bad) - 1:,} more rows with errors)" if len(bad) > 1 else ""
        raise InputError(f"{bad[0]}{more}; the register is unchanged")
    if not subjects:
        raise InputError(f"{path}: no rows; the register is unchanged")
    return subjects


def _subject(row: dict[str, str] | InputError, columns: Columns) -> Subject:
    if isinstance(row, InputError):
        raise row
    ident = row.get("id", "").strip()
    if not ident:
        raise InputError(f"{columns.column('id')}: empty; every subject of a register needs its own id")
    party = party_of(row)
    name, dob, country = checked(party)
    normal = [name, party.kind.value if party.kind else None, str(dob) if dob else None, country]
    digest = hashlib.sha256(json.dumps(normal, ensure_ascii=False).encode()).hexdigest()[:32]
    return Subject(
        ident, name, row.get("type", "").strip(), row.get("dob", "").strip(), row.get("country", "").strip(), digest
    )


def subject_row(values: Sequence[str | None]) -> dict[str, str]:
    """A subject's fields as a batch row (`Clearance.screen_rows` reads them)."""
    return {field: value or "" for field, value in zip(FIELDS, values, strict=True)}


class Register:
    """The register of one home; open it with `Register.open`, as a context manager."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        if not create and not path.is_file():
            raise ConflictError(f"{path}: no register here: run `clearance register load FILE` first")
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = duckdb.connect(str(path))
        except duckdb.IOException as exc:
            first = str(exc).splitlines()[0]
            if "lock" in first.lower():
                raise UnavailableError(f"{path}: the register is in use by another process") from None
            raise StoreError(f"{path}: cannot open the register: {first}") from None
        except duckdb.Error as exc:
            raise StoreError(f"{path}: not a register DuckDB can open: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the register: {exc.strerror}") from None
        try:
            self.db.execute(_SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", [SCHEMA_VERSION])
        except duckdb.Error as exc:
            self.db.close()
            raise StoreError(f"{path}: not a register: {str(exc).splitlines()[0]}") from None

    @classmethod
    def open(cls, home: Path, *, create: bool = True) -> Register:
        return cls(home / REGISTER_FILE, create=create)

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: committed when the block ends, rolled back on any error."""
        self.db.execute("BEGIN TRANSACTION")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- meta --------------------------------------------------------------------------

    def meta(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row is not None and row[0] is not None else None

    def set_meta(self, db: duckdb.DuckDBPyConnection, key: str, value: Any) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, json.dumps(value, default=str)])

    # -- loading -----------------------------------------------------------------------

    def load(self, path: Path, columns: Columns | None = None, warn: Callable[[str], None] | None = None) -> LoadReport:
        """Make the register hold exactly the subjects of a file: new ones added, changed ones (their digest differs)
        updated, those no longer in it removed with their alerts. All or nothing."""
        subjects = read_subjects(path, columns, warn)
        keys_by = {"algorithm": ALGORITHM, "config": config_digest()}
        with self.transaction() as db:
            fields = (*FIELDS, "digest")
            bulk(db, "loaded", fields, ([getattr(s, field) for field in fields] for s in subjects))
            stale_probes = self.meta("probes") != keys_by
            counts = db.execute(
                """
                SELECT count(*) FILTER (WHERE s.id IS NULL),
                       count(*) FILTER (WHERE s.id IS NOT NULL AND s.digest <> l.digest),
                       count(*) FILTER (WHERE s.id IS NOT NULL AND s.digest = l.digest)
                FROM loaded l LEFT JOIN subjects s ON s.id = l.id
                """
            ).fetchone()
            assert counts is not None
            new, changed, unchanged = (int(c) for c in counts)
            removed = len(self) - changed - unchanged
            # Subjects whose probes must be made: new and changed ones, or every one when the algorithm changed.
            redo = "" if stale_probes else "WHERE s.id IS NULL OR s.digest <> l.digest"
            due = db.execute(f"SELECT l.id, l.name, l.type FROM loaded l LEFT JOIN subjects s ON s.id = l.id {redo}")
            made: list[tuple[str, str]] = []
            while batch := due.fetchmany(50_000):
                for ident, name, kind in batch:
                    party = party_of({"name": name, "type": kind or ""})
                    made.extend((ident, probe) for probe in subject_probes(checked(party)[0], party.kind))
            if stale_probes:
                db.execute("DELETE FROM subject_probe")
                db.execute("DELETE FROM probe_key")
            else:
                db.execute(
                    "DELETE FROM subject_probe WHERE subject IN (SELECT s.id FROM subjects s "
                    "LEFT JOIN loaded l ON l.id = s.id WHERE l.id IS NULL OR l.digest <> s.digest)"
                )
            bulk(db, "made", ("subject", "probe"), made)
            db.execute("INSERT INTO subject_probe SELECT subject, probe FROM made")
            db.execute("DROP TABLE made")
            self._key_new_probes(db)
            db.execute("DELETE FROM alerts WHERE subject NOT IN (SELECT id FROM loaded)")
            db.execute("DELETE FROM watch WHERE subject NOT IN (SELECT id FROM loaded)")
            db.execute("DELETE FROM lead WHERE subject NOT IN (SELECT id FROM loaded)")
            db.execute(
                "CREATE TEMP TABLE kept AS SELECT l.*, s.screened FROM loaded l LEFT JOIN subjects s ON s.id = l.id"
            )
            db.execute("DELETE FROM subjects")
            db.execute("INSERT INTO subjects SELECT id, name, type, dob, country, digest, screened FROM kept")
            db.execute("DROP TABLE kept")
            db.execute("DROP TABLE loaded")
            report = LoadReport(str(path), len(subjects), new, changed, removed, unchanged)
            self.set_meta(db, "probes", keys_by)
            self.set_meta(db, "last_load", {**report.to_json(), "at": _now()})
        return report

    def _key_new_probes(self, db: duckdb.DuckDBPyConnection) -> None:
        """The keys of every probe not keyed yet; those of probes no subject has any more are dropped."""
        db.execute("DELETE FROM probe_key WHERE probe NOT IN (SELECT probe FROM subject_probe)")
        fresh = db.execute(
            "SELECT DISTINCT probe FROM subject_probe WHERE probe NOT IN (SELECT DISTINCT probe FROM probe_key)"
        )
        keyed: list[tuple[str, str]] = []
        while batch := fresh.fetchmany(50_000):
            keyed.extend((probe, key) for (probe,) in batch for key in probe_keys(probe))
        bulk(db, "keyed", ("probe", "key"), keyed)
        db.execute("INSERT INTO probe_key SELECT probe, key FROM keyed")
        db.execute("DROP TABLE keyed")

    # -- reading -----------------------------------------------------------------------

    def __len__(self) -> int:
        found = self.db.execute("SELECT count(*) FROM subjects").fetchone()
        return int(found[0]) if found else 0

    def due(self) -> int:
        """Subjects new or changed since they were last screened."""
        found = self.db.execute("SELECT count(*) FROM subjects WHERE screened IS DISTINCT FROM digest").fetchone()
        return int(found[0]) if found else 0

    def alert_count(self) -> int:
        found = self.db.execute("SELECT count(*) FROM alerts").fetchone()
        return int(found[0]) if found else 0

    def alerts(self) -> set[tuple[str, str]]:
        """Every (subject id, entity id) pair alerted so far."""
        return {(s, e) for s, e in self.db.execute("SELECT subject, entity_id FROM alerts").fetchall()}

    def status(self) -> dict[str, Any]:
        """Counts, the list version and settings last screened with, and when every subject was last screened."""
        return {
            "path": str(self.path),
            "subjects": len(self),
            "due": self.due(),
            "alerts": self.alert_count(),
            "last_load": self.meta("last_load"),
            "screened": self.meta("screened"),
            "last_rescreen": self.meta("last_rescreen"),
            "last_full": self.meta("last_full"),
        }

    def subjects_rows(self, ids: Sequence[str] | None = None, chunk: int = 50_000) -> Iterator[list[Row]]:
        """The subjects (all, or those with these ids) as batch rows, in chunks, in id order."""
        if ids is None:
            # A cursor of its own: the caller screens between chunks and may read the register meanwhile.
            cursor = self.db.cursor().execute(f"SELECT {', '.join(FIELDS)} FROM subjects ORDER BY id")
        else:
            bulk(self.db, "wanted", ("id",), ([ident] for ident in ids))
            try:
                cursor = self.db.execute(
                    f"SELECT {', '.join(FIELDS)} FROM subjects WHERE id IN (SELECT id FROM wanted) ORDER BY id"
                )
                batches = []
                while batch := cursor.fetchmany(chunk):
                    batches.append(batch)
            finally:
                self.db.execute("DROP TABLE wanted")
            for number, batch in enumerate(batches):
                yield [(number * chunk + i + 1, subject_row(values)) for i, values in enumerate(batch)]
            return
        number = 0
        while batch := cursor.fetchmany(chunk):
            yield [(number * chunk + i + 1, subject_row(values)) for i, values in enumerate(batch)]
            number += 1

    def due_ids(self) -> set[str]:
        rows = self.db.execute("SELECT id FROM subjects WHERE screened IS DISTINCT FROM digest").fetchall()
        return {ident for (ident,) in rows}

    def watched(self) -> dict[str, list[tuple[str, float]]]:
        """Subject -> its near misses and hits past the limit at its last screening (see `watch`)."""
        found: dict[str, list[tuple[str, float]]] = {}
        for subject, entity, score in self.db.execute("SELECT subject, entity_id, score FROM watch").fetchall():
            found.setdefault(subject, []).append((entity, float(score)))
        return found

    def uncrowded(self, leaders: Iterable[str]) -> set[str]:
        """Subjects whose last screening's candidates the limit did not cut, led by none of `leaders`."""
        rows = self.db.execute(
            "SELECT subject FROM lead WHERE NOT crowded AND NOT list_contains(?, coalesce(leader, ''))",
            [sorted(set(leaders))],
        ).fetchall()
        return {ident for (ident,) in rows}

    def alerted_on(self, entity_ids: Iterable[str]) -> set[str]:
        """Subjects alerted on one of these entities."""
        wanted = sorted(set(entity_ids))
        if not wanted:
            return set()
        rows = self.db.execute(
            "SELECT DISTINCT subject FROM alerts WHERE list_contains(?, entity_id)", [wanted]
        ).fetchall()
        return {ident for (ident,) in rows}

    def sharing(self, keys: set[str]) -> set[str]:
        """Subjects whose name looks up at least one of `keys`."""
        if not keys:
            return set()
        bulk(self.db, "block", ("key",), ([key] for key in sorted(keys)))
        try:
            rows = self.db.execute(
                """
                SELECT DISTINCT subject FROM subject_probe WHERE probe IN (
                    SELECT DISTINCT probe FROM probe_key WHERE key IN (SELECT key FROM block)
                )
                """
            ).fetchall()
        finally:
            self.db.execute("DROP TABLE block")
        return {ident for (ident,) in rows}


def bulk(db: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A temporary table of text columns from Python rows, through a CSV file DuckDB reads in one pass: scanning
    Python objects costs DuckDB some 7 microseconds a value, a CSV a fifth of that."""
    with tempfile.TemporaryDirectory(prefix="clearance-") as folder:
        staged = Path(folder) / f"{table}.csv"
        with staged.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        types = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in columns) + "}"
        db.execute(
            f"CREATE TEMP TABLE {table} AS SELECT * FROM read_csv(?, header = false, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', columns = {types})",
            [str(staged)],
        )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
