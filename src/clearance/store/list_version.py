"""A list version: the set of snapshots screened against together, one per source.

Every screening result names the list version it used, and the persisted name
index is keyed by it. Snapshots never change once written, so a version read as
snapshot ids stays what it was even while a later load or roll-back activates
others: entities are read by those ids, never as "whatever is active now".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from clearance.errors import UnavailableError
from clearance.model import Entity
from clearance.store.list_store import ListStore, Snapshot


@dataclass(frozen=True)
class ListVersion:
    snapshots: tuple[Snapshot, ...]
    """One snapshot per source, by source name."""

    @classmethod
    def active(cls, store: ListStore, sources: Sequence[str] | None = None) -> ListVersion:
        """The active snapshots of the store (of the given sources); none loaded is an error, not a clean result."""
        active = store.active_snapshots()
        chosen = tuple(s for name, s in sorted(active.items()) if not sources or name in sources)
        if not chosen:
            raise UnavailableError("no lists are loaded: run `clearance lists update` first")
        return cls(chosen)

    def entities(self, store: ListStore) -> list[Entity]:
        """The entities of exactly these snapshots, whatever is active by the time they are read."""
        return store.version_entities([s.id for s in self.snapshots])

    @property
    def digest(self) -> str:
        """Names the version: the same snapshots (ids and contents) give the same digest."""
        text = "\n".join(f"{s.source}:{s.id}:{s.sha256}" for s in self.snapshots)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @property
    def snapshot_ids(self) -> dict[str, int]:
        return {s.source: s.id for s in self.snapshots}

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.source for s in self.snapshots)

    def snapshot_id(self, source: str) -> int | None:
        return next((s.id for s in self.snapshots if s.source == source), None)

    def describe(self, now: dt.datetime) -> list[dict[str, object]]:
        """Per source: the snapshot, its digest, the publisher's date, when it was loaded and its age in days
        (None when the file states no date)."""
        return [
            {
                "source": s.source,
                "snapshot_id": s.id,
                "sha256": s.sha256,
                "published": s.published.isoformat() if s.published else None,
                "loaded_at": s.loaded_at.isoformat(),
                "age_days": round(age.total_seconds() / 86400, 2) if (age := s.age(now)) is not None else None,
                "entities": s.entity_count,
            }
            for s in self.snapshots
        ]
