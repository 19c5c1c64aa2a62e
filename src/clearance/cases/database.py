"""The case database: SQLite in the home by default, PostgreSQL for a service that several hosts share.

SQL is written once, in the subset both speak (`?` parameters, `ON CONFLICT`, `RETURNING`,
`DOUBLE PRECISION`, `BIGINT`, text timestamps in UTC ISO 8601, so ordering and hashing are the
same on both). A dialect supplies only what differs: how to connect, the identity column of a
migration, how a write takes the database's one write lock, and how a long read is streamed.
One connection per thread, as the list store has: a connection's transactions must not interleave.

Migrations are the numbered files in `migrations/`, applied in order when the database is opened,
each in the transaction that records it in `schema_migrations`; a newer clearance adds a file and
never edits an old one.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

from clearance.cases.failures import CaseStoreError
from clearance.errors import InputError

Row = tuple[Any, ...]
MIGRATION_LOCK = 7_215_303
"""PostgreSQL advisory lock key held while migrating, so two processes opening a new database take turns."""


class _Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self, identity: str) -> list[str]:
        text = self.sql.replace("{id}", identity)
        return [statement.strip() for statement in text.split(";") if statement.strip()]


@cache
def migrations() -> tuple[Migration, ...]:
    """Every migration shipped, in order; numbered from 1 without a gap."""
    found = []
    for entry in files("clearance.cases").joinpath("migrations").iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise CaseStoreError("the case store's migrations are not numbered 1, 2, 3, ...: a broken install")
    return tuple(found)


def shown(url: str) -> str:
    """A database URL fit for a message or a log: any password replaced by `***`."""
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", url)


class Database:
    """A connection per thread to one case database; `write` and `read` are its transactions."""

    dialect: str
    identity: str
    """A migration's `{id}`: an integer primary key the database numbers."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        self.timeout = timeout
        self._local = threading.local()
        self._all: list[_Connection] = []
        self._lock = threading.Lock()

    @staticmethod
    def open(url: str, timeout: float = 60.0) -> Database:
        """The database at `url` (`sqlite:///path` or `postgresql://...`), migrated to this version's schema."""
        database: Database
        if url.startswith("sqlite:///"):
            database = SQLiteDatabase(url, timeout)
        elif url.startswith(("postgresql://", "postgres://")):
            database = PostgreSQLDatabase(url, timeout)
        else:
            raise InputError(f"case database URL {shown(url)!r}: not sqlite:///PATH nor postgresql://...")
        try:
            database.migrate()
        except BaseException:
            database.close()
            raise
        return database

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
            self._local = threading.local()
        for connection in connections:
            with suppress(Exception):
                connection.close()

    def connection(self) -> Any:
        found = getattr(self._local, "connection", None)
        if found is None:
            try:
                found = self._connect()
            except CaseStoreError:
                raise
            except Exception as exc:
                raise self.failure(exc, "cannot connect") from None
            self._local.connection = found
            with self._lock:
                self._all.append(found)
        return found

    def _connect(self) -> Any:
        raise NotImplementedError

    def failure(self, exc: BaseException, doing: str) -> CaseStoreError:
        text = " ".join(str(exc).split()) or type(exc).__name__
        if "locked" in text:
            return CaseStoreError(
                f"{shown(self.url)}: the case store is locked by another process (waited {self.timeout:g} s; "
                f"CLEARANCE_LOCK_TIMEOUT sets the wait): {text}"
            )
        return CaseStoreError(f"{shown(self.url)}: {doing}: {text}")

    def is_driver_error(self, exc: BaseException) -> bool:
        raise NotImplementedError

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        """One write transaction, holding the database's write lock from its start: everything lands, or nothing."""
        with self._transaction(write=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """One read transaction: every query in it sees the same committed state."""
        with self._transaction(write=False) as tx:
            yield tx

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[Transaction]:
        connection = self.connection()
        try:
            self._begin(connection, write)
        except Exception as exc:
            raise self.failure(exc, "cannot begin a transaction") from None
        try:
            yield Transaction(self, connection)
        except BaseException as exc:
            with suppress(Exception):
                connection.execute("ROLLBACK")
            if self.is_driver_error(exc):
                raise self.failure(exc, "case store failure") from None
            raise
        try:
            connection.execute("COMMIT")
        except Exception as exc:
            with suppress(Exception):
                connection.execute("ROLLBACK")
            raise self.failure(exc, "cannot commit") from None

    def _begin(self, connection: Any, write: bool) -> None:
        raise NotImplementedError

    def sql(self, text: str) -> str:
        return text

    @staticmethod
    def executemany(connection: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def stream(self, tx: Transaction, sql: str, params: Sequence[Any] = (), size: int = 10_000) -> Iterator[Row]:
        """The rows of a query, fetched `size` at a time: a million audit records never sit in memory at once."""
        cursor = tx.connection.execute(self.sql(sql), tuple(params))
        while rows := cursor.fetchmany(size):
            yield from rows

    def table_exists(self, tx: Transaction, name: str) -> bool:
        raise NotImplementedError

    def _lock_migrations(self, tx: Transaction) -> None:
        """Nothing for SQLite: its write transaction already excludes every other writer."""

    def migrate(self) -> None:
        """Apply the migrations this database lacks; a current database is only read, so opening never waits."""
        known = migrations()
        with self.read() as tx:
            current = self._version(tx)
        if current == len(known):
            return
        with self.write() as tx:
            self._lock_migrations(tx)
            tx.run(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            current = self._version(tx)
            if current > len(known):
                raise CaseStoreError(
                    f"{shown(self.url)}: case store schema version {current} is newer than this clearance "
                    f"understands ({len(known)}): upgrade clearance"
                )
            for migration in known[current:]:
                for statement in migration.statements(self.identity):
                    tx.run(statement)
                tx.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
                    (migration.version, migration.name),
                )

    def _version(self, tx: Transaction) -> int:
        if not self.table_exists(tx, "schema_migrations"):
            return 0
        row = tx.one("SELECT MAX(version) FROM schema_migrations")
        return int(row[0]) if row and row[0] is not None else 0

    @property
    def schema_version(self) -> int:
        with self.read() as tx:
            return self._version(tx)


class Transaction:
    """The statements of one transaction, with `?` parameters on every database."""

    def __init__(self, database: Database, connection: Any) -> None:
        self.database = database
        self.connection = connection

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(self.database.sql(sql), tuple(params))

    def one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = self.connection.execute(self.database.sql(sql), tuple(params)).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        rows: list[Row] = self.connection.execute(self.database.sql(sql), tuple(params)).fetchall()
        return rows

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.database.executemany(self.connection, self.database.sql(sql), rows)

    def insert(self, sql: str, params: Sequence[Any] = ()) -> int:
        """An INSERT's new id (the table's `id` column)."""
        row = self.one(sql + " RETURNING id", params)
        assert row is not None
        return int(row[0])

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 10_000) -> Iterator[Row]:
        return self.database.stream(self, sql, params, size)


class SQLiteDatabase(Database):
    dialect = "sqlite"
    identity = "INTEGER PRIMARY KEY AUTOINCREMENT"

    def __init__(self, url: str, timeout: float) -> None:
        super().__init__(url, timeout)
        self.path = Path(url.removeprefix("sqlite:///"))

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CaseStoreError(f"{self.path}: cannot create the case store's folder: {exc.strerror}") from None
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=self.timeout, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def is_driver_error(self, exc: BaseException) -> bool:
        return isinstance(exc, sqlite3.Error)

    def _begin(self, connection: Any, write: bool) -> None:
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    @staticmethod
    def executemany(connection: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        connection.executemany(sql, rows)

    def table_exists(self, tx: Transaction, name: str) -> bool:
        return tx.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)) is not None


class PostgreSQLDatabase(Database):
    dialect = "postgresql"
    identity = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError:
            raise CaseStoreError(
                f"{shown(self.url)}: PostgreSQL support is not installed: pip install 'clearance[postgresql]'"
            ) from None
        url = "postgresql://" + self.url.split("://", 1)[1]
        connection = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(self.timeout)))
        connection.execute(f"SET lock_timeout = '{int(self.timeout * 1000)}ms'")
        return connection

    def is_driver_error(self, exc: BaseException) -> bool:
        import psycopg

        return isinstance(exc, psycopg.Error)

    def _begin(self, connection: Any, write: bool) -> None:
        connection.execute("BEGIN" if write else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    @staticmethod
    def executemany(connection: Any, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def sql(self, text: str) -> str:
        return _placeholders(text)

    def stream(self, tx: Transaction, sql: str, params: Sequence[Any] = (), size: int = 10_000) -> Iterator[Row]:
        with tx.connection.cursor(name="clearance_stream") as cursor:
            cursor.itersize = size
            cursor.execute(self.sql(sql), tuple(params))
            while rows := cursor.fetchmany(size):
                yield from rows

    def table_exists(self, tx: Transaction, name: str) -> bool:
        row = tx.one("SELECT to_regclass(?) IS NOT NULL", (name,))
        return bool(row and row[0])

    def _lock_migrations(self, tx: Transaction) -> None:
        tx.run("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))


@cache
def _placeholders(sql: str) -> str:
    """`?` parameters as psycopg's `%s`; clearance's SQL holds no `%` and no `?` inside a literal."""
    if "%" in sql:
        raise ValueError(f"a % in case store SQL: {sql}")
    return sql.replace("?", "%s")
