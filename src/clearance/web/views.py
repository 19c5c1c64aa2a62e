"""What the case page shows, put in the shape its template reads: no rule is decided here."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clearance.cases.models import AlertView, RecordedHit
from clearance.model import Entity
from clearance.results import ExplanationResult
from clearance.store.list_store import Snapshot


@dataclass(frozen=True)
class TokenRow:
    """One line of the side-by-side alignment: a query token, the listed token it met, and how."""

    query: str
    listed: str
    method: str
    similarity: float | None
    weight: float | None


@dataclass(frozen=True)
class Finding:
    """One alert with its recorded explanation and the listed entry as the list version it was found in."""

    alert: AlertView
    recorded: RecordedHit | None
    entity: Entity | None
    entity_problem: str | None
    snapshot: Snapshot | None

    @property
    def explanation(self) -> ExplanationResult | None:
        return self.recorded.hit.explanation if self.recorded and self.recorded.hit else None

    @property
    def tokens(self) -> list[TokenRow]:
        why = self.explanation
        if why is None:
            return []
        rows = [TokenRow(t.query, t.listed, t.method, t.similarity, t.weight) for t in why.tokens]
        rows += [TokenRow(q, "", "not matched", None, None) for q in why.unmatched_query]
        rows += [TokenRow("", listed, "not matched", None, None) for listed in why.unmatched_listed]
        rows += [TokenRow(r, "", "left out (title, legal form)", None, None) for r in why.removed]
        return rows


def entity_fields(entity: Entity) -> list[tuple[str, list[str]]]:
    """The listed entry's record, field by field, every value as the list states it."""
    fields: list[tuple[str, list[str]]] = [
        ("Kind", [entity.kind.value]),
        ("Names", [_name(n.full, n.quality.value, n.script, n.lang) for n in entity.names]),
        ("Dates of birth", [_dob(d.model_dump()) for d in entity.dates_of_birth]),
        ("Places of birth", [_address(a.model_dump()) for a in entity.places_of_birth]),
        ("Nationalities", list(entity.nationalities)),
        ("Citizenships", list(entity.citizenships)),
        ("Addresses", [_address(a.model_dump()) for a in entity.addresses]),
        (
            "Identifiers",
            [
                " ".join(x for x in (i.type.value, i.value, f"({i.country})" if i.country else "", i.note or "") if x)
                for i in entity.identifiers
            ],
        ),
        ("Programmes", list(entity.programmes)),
        ("List", [entity.sub_list] if entity.sub_list else []),
        ("Listed on", [entity.listed_on.isoformat()] if entity.listed_on else []),
        ("Gender", [entity.gender.value] if entity.gender else []),
        ("Positions", list(entity.positions)),
        ("Linked to", list(entity.linked_to)),
        ("Flag", [entity.flag] if entity.flag else []),
        ("Remarks", [entity.remarks] if entity.remarks else []),
    ]
    return [(label, values) for label, values in fields if values]


def _name(full: str, quality: str, script: str | None, lang: str | None) -> str:
    notes = ", ".join(x for x in (quality, script, lang) if x)
    return f"{full} ({notes})"


def _dob(data: dict[str, Any]) -> str:
    if data.get("text"):
        return str(data["text"])
    part = _partial(data.get("date"))
    if part is None:
        start, end = _partial(data.get("start")), _partial(data.get("end"))
        part = f"{start or '?'} to {end or '?'}"
    return ("circa " if data.get("circa") else "") + part


def _partial(value: Any) -> str | None:
    if not value:
        return None
    text = f"{value['year']:04d}"
    if value.get("month"):
        text += f"-{value['month']:02d}"
    if value.get("day"):
        text += f"-{value['day']:02d}"
    return text


def _address(data: dict[str, Any]) -> str:
    if data.get("full"):
        return str(data["full"])
    return ", ".join(str(data[k]) for k in ("street", "city", "region", "postal_code", "country") if data.get(k))


def event_details(data: dict[str, Any]) -> str:
    """An audit record's data in one line: the fields a reviewer reads, digests shortened."""
    shown = []
    for key, value in data.items():
        if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
            value = value[:12] + "…"
        elif not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        shown.append(f"{key}: {value}")
    return "; ".join(shown)
