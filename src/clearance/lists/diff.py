"""What changed between two versions of a list, entity by entity and field by field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clearance.model import Entity


@dataclass(frozen=True)
class FieldChange:
    """One field of one entity: its old and new value, and for lists the items gone and come."""

    field: str
    old: Any
    new: Any
    removed: tuple[Any, ...] = ()
    added: tuple[Any, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field}
        if isinstance(self.old, list) or isinstance(self.new, list):
            data.update(removed=list(self.removed), added=list(self.added))
        else:
            data.update(old=self.old, new=self.new)
        return data


@dataclass(frozen=True)
class EntityChange:
    entity_id: str
    name: str
    fields: tuple[FieldChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.entity_id, "name": self.name, "fields": [f.to_json() for f in self.fields]}


@dataclass(frozen=True)
class ListDiff:
    source: str
    old_snapshot: int
    new_snapshot: int
    added: tuple[Entity, ...]
    removed: tuple[Entity, ...]
    changed: tuple[EntityChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "old_snapshot": self.old_snapshot,
            "new_snapshot": self.new_snapshot,
            "added": [{"id": e.id, "name": e.name} for e in self.added],
            "removed": [{"id": e.id, "name": e.name} for e in self.removed],
            "changed": [c.to_json() for c in self.changed],
        }


def diff_entities(old: Entity, new: Entity) -> tuple[FieldChange, ...]:
    """The fields whose stored values differ; list fields report the items removed and added."""
    before, after = old.to_json(), new.to_json()
    changes = []
    for field in Entity.model_fields:
        a, b = before.get(field), after.get(field)
        if a == b:
            continue
        if isinstance(a, list) or isinstance(b, list):
            a_items, b_items = a or [], b or []
            removed = tuple(item for item in a_items if item not in b_items)
            added = tuple(item for item in b_items if item not in a_items)
            changes.append(FieldChange(field, a, b, removed, added))
        else:
            changes.append(FieldChange(field, a, b))
    return tuple(changes)


def diff_records(
    source: str,
    old_snapshot: int,
    new_snapshot: int,
    before: dict[str, str],
    after: dict[str, str],
    records: dict[str, Entity],
) -> ListDiff:
    """Build a diff from two `entity id -> record digest` maps and the records that differ."""
    added = tuple(records[after[k]] for k in sorted(after.keys() - before.keys()))
    removed = tuple(records[before[k]] for k in sorted(before.keys() - after.keys()))
    changed = tuple(
        EntityChange(k, records[after[k]].name, diff_entities(records[before[k]], records[after[k]]))
        for k in sorted(before.keys() & after.keys())
        if before[k] != after[k]
    )
    return ListDiff(source, old_snapshot, new_snapshot, added, removed, changed)
