"""The datasets a yente client names: each list by its name or its slug, the groups, and the FtM form of
each listed entity, made once per list version."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from clearance.errors import NotFoundError, UnavailableError
from clearance.export import ftm_entities
from clearance.lists import eu_annex_iv, ofac_cons, ofac_sdn, us_csl
from clearance.lists.registry import OFFICIAL, SOURCES
from clearance.model import Entity, EntityKind
from clearance.service.yente import EntityResponse
from clearance.store import Snapshot
from clearance.store.list_version import ListVersion

# -- datasets -----------------------------------------------------------------------------

US = (ofac_sdn.SOURCE.name, ofac_cons.SOURCE.name, us_csl.SOURCE.name)
DEFAULT = (*OFFICIAL, eu_annex_iv.NAME)
GROUPS: dict[str, str] = {
    "default": "Every official list",
    "sanctions": "Every official list (as `default`)",
    "us": "The US lists: OFAC SDN, OFAC consolidated and the Consolidated Screening List",
    "all": "Every list loaded, watchlists of one's own included",
}


def dataset_name(source: str) -> str:
    """The slug yente's catalogue takes for a source: `ofac-sdn` is `ofac_sdn`, `custom:mine` `custom_mine`."""
    slug = re.sub(r"[^a-z0-9]+", "_", source.lower()).strip("_")
    if not source.isascii():  # a watchlist named in another script: a slug of its own
        slug = f"{slug}_{hashlib.sha256(source.encode()).hexdigest()[:8]}"
    return slug


_KNOWN_SLUGS = frozenset(dataset_name(source) for source in SOURCES)


def group_sources(group: str, loaded: Iterable[str]) -> tuple[str, ...]:
    loaded = tuple(loaded)
    if group == "all":
        return loaded
    members = US if group == "us" else DEFAULT
    return tuple(source for source in loaded if source in members)


def ftm_id(entity_id: str) -> str:
    """The entity's id in the FtM export (`un:KPi.033` is `un-KPi.033`)."""
    return entity_id.replace(":", "-").replace(" ", "-")


def seen_at(snapshot: Snapshot) -> dt.datetime:
    """When a list version was current: its publisher's date, else when it was loaded."""
    return snapshot.published or snapshot.loaded_at


KIND_SCHEMAS = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.VESSEL: "Vessel",
    EntityKind.AIRCRAFT: "Airplane",
    EntityKind.UNKNOWN: "LegalEntity",
}
"""The FtM schema of each kind, as the export writes it."""


def schema_of(entity: Entity) -> str:
    return KIND_SCHEMAS[entity.kind]


class Cards:
    """The response fields of listed entities, by entity id and snapshot id, least recently used dropped.

    An entity never changes within a snapshot, and its FtM form is the same for every query that finds it.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int | None], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, entity: Entity, snapshot_id: int | None, build: Callable[[Entity], dict[str, Any]]) -> dict[str, Any]:
        key = (entity.id, snapshot_id)
        with self._lock:
            card = self._items.get(key)
            if card is not None:
                self._items.move_to_end(key)
                return card
        card = build(entity)
        with self._lock:
            self._items[key] = card
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return card


@dataclass(frozen=True)
class Scope:
    """The datasets of one list version: each source by its name and its slug, the groups, and the FtM forms
    of its entities as they are asked for."""

    version: ListVersion | None
    snapshots: dict[str, Snapshot]
    datasets: dict[str, tuple[str, ...]]
    """Dataset name (either spelling, or a group) -> the loaded sources it selects."""
    slugs: dict[str, str]
    cards: Cards = field(default_factory=lambda: Cards(2048), compare=False, repr=False)

    @classmethod
    def of(cls, version: ListVersion | None) -> Scope:
        snapshots = {s.source: s for s in version.snapshots} if version is not None else {}
        loaded = tuple(snapshots)
        slugs = {source: dataset_name(source) for source in loaded}
        datasets: dict[str, tuple[str, ...]] = {}
        for source, slug in slugs.items():
            datasets[source] = (source,)
            datasets[slug] = (*datasets.get(slug, ()), source) if slug != source else (source,)
        for group in GROUPS:
            datasets[group] = group_sources(group, loaded)
        return cls(version, snapshots, datasets, slugs)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.snapshots)

    def select(self, dataset: str) -> tuple[str, ...]:
        """The loaded sources a dataset names: 404 for a name nobody knows, 503 for one with nothing loaded."""
        found = self.datasets.get(dataset)
        if found is None and dataset not in SOURCES and dataset not in _KNOWN_SLUGS:
            names = ", ".join([*GROUPS, *sorted(self.slugs.values())])
            raise NotFoundError(f"no dataset {dataset!r} (datasets: {names}; a source by its name or its slug)")
        if not found:
            raise UnavailableError(f"dataset {dataset!r}: none of its lists is loaded; run `clearance lists update`")
        return found

    def card(self, entity: Entity, snapshot_id: int | None) -> dict[str, Any]:
        """The entity's `EntityResponse` fields, made once per snapshot."""
        return self.cards.get(entity, snapshot_id, self._card)

    def _card(self, entity: Entity) -> dict[str, Any]:
        main = next(ftm_entities(entity))
        snapshot = self.snapshots.get(entity.source)
        return {
            "id": entity.id,
            "caption": entity.name,
            "schema_": main["schema"],
            "properties": main["properties"],
            "datasets": [self.slugs.get(entity.source) or dataset_name(entity.source)],
            "referents": [main["id"]],
            "target": True,
            "first_seen": None,
            "last_seen": seen_at(snapshot) if snapshot is not None else None,
            "last_change": None,
        }

    def entity_response(self, entity: Entity, snapshot_id: int | None) -> EntityResponse:
        return EntityResponse.model_construct(**self.card(entity, snapshot_id))


_scopes: list[tuple[ListVersion | None, Scope]] = []
_scopes_lock = threading.Lock()


def scope_of(version: ListVersion | None) -> Scope:
    """The scope of a list version, made once per version object: a worker serves one, two while swapping, and
    keeps no more, so a swapped-out version is freed with its screener."""
    for held, scope in tuple(_scopes):
        if held is version:
            return scope
    with _scopes_lock:
        scope = Scope.of(version)
        _scopes.insert(0, (version, scope))
        del _scopes[2:]
    return scope


def full_entity(entity: Entity, scope: Scope, snapshot_id: int | None) -> EntityResponse:
    """An entity with its Sanction and crypto wallets nested under `sanctions` and `cryptoWallets`, as yente's
    `/entities` nests adjacent entities."""
    card = dict(scope.card(entity, snapshot_id))
    properties: dict[str, list[str | EntityResponse]] = {k: list(v) for k, v in card["properties"].items()}
    for other in list(ftm_entities(entity))[1:]:
        props = other["properties"]
        is_sanction = other["schema"] == "Sanction"
        caption = (props.get("program") or props.get("authority") or ["Sanction"])[0] if is_sanction else None
        nested = EntityResponse(
            id=other["id"],
            caption=caption or props.get("publicKey", ["Crypto wallet"])[0],
            schema_=other["schema"],
            properties=props,
            datasets=card["datasets"],
            target=False,
            last_seen=card["last_seen"],
        )
        properties.setdefault("sanctions" if is_sanction else "cryptoWallets", []).append(nested)
    card["properties"] = properties
    return EntityResponse.model_construct(**card)
