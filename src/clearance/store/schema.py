"""The store's schema, as an ordered list of migrations.

`PRAGMA user_version` holds how many have been applied; a newer clearance adds a
migration at the end and never edits an old one, so a store written by any
release opens in any later one.

Entity records are content-addressed (`entity_records` keyed by the sha256 of
the record's canonical JSON) and a snapshot only lists which record each entity
id had: a weekly list in which few entries change costs a few rows, and a diff
compares digests before it looks at any field. Each snapshot also keeps the
digest of its (entity id, record digest) rows, so a row added, dropped or
repointed outside clearance shows when the snapshot is read.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        source TEXT NOT NULL,
        published TEXT,
        loaded_at TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        files TEXT NOT NULL,
        origin TEXT NOT NULL,
        entity_count INTEGER NOT NULL
    );
    CREATE INDEX snapshots_by_source ON snapshots (source, id);
    CREATE TABLE entity_records (
        digest TEXT PRIMARY KEY,
        data TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE snapshot_entities (
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
        entity_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        digest TEXT NOT NULL REFERENCES entity_records (digest),
        PRIMARY KEY (snapshot_id, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX snapshot_entities_by_entity ON snapshot_entities (entity_id);
    CREATE TABLE active_snapshots (
        source TEXT PRIMARY KEY,
        snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
        activated_at TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE snapshots ADD COLUMN entities_sha256 TEXT;
    CREATE INDEX snapshots_by_files ON snapshots (source, sha256)
    """,
)
