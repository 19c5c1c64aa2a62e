"""What a shipment screening returns: one decision, and every reason behind it.

A reason says what kind of finding it is, what it calls for, the legal basis it
rests on, the rule or list entry that fired, and which goods lines and party it
concerns. The result records the rules version and the list snapshots it was
computed on, so a decision can be replayed and audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from clearance.goods.decision import Decision, LegalBasis
from clearance.goods.rules import Coverage, RuleMatch, RulesVersion
from clearance.matching import Hit


class ReasonKind(StrEnum):
    PARTY_SANCTIONED = "party_sanctioned"
    """A party is on a sanctions list (OFAC SDN, EU, UK, UN, a watchlist): prohibited."""
    PARTY_DENIED = "party_denied"
    """A party is on the BIS Denied Persons List: prohibited."""
    PARTY_EXPORT_CONTROL = "party_export_control"
    """A party is on the BIS Entity List or Military End-User List: licence required."""
    PARTY_OTHER_LIST = "party_other_list"
    """A party is on a list that restricts some dealings only (Unverified List, SSI, ...): review."""
    VESSEL_LISTED = "vessel_listed"
    ANNEX_IV_END_USER = "annex_iv_end_user"
    GOODS_EXPORT_BAN = "goods_export_ban"
    DUAL_USE = "dual_use"
    HIGH_PRIORITY_ITEM = "high_priority_item"
    DIVERSION_RISK = "diversion_risk"
    RESTRICTED_DESTINATION = "restricted_destination"
    RESTRICTED_ADDRESS = "restricted_address"
    RESTRICTED_TRANSIT = "restricted_transit"
    UNKNOWN_CODE = "unknown_code"
    UNCLASSIFIED_GOODS = "unclassified_goods"
    LOW_CONFIDENCE_CLASSIFICATION = "low_confidence_classification"


@dataclass(frozen=True)
class RuleRef:
    """The rule a reason applies, as the annex prints it."""

    regime: str
    label: str
    description: str
    code: str | None = None
    item: str | None = None
    tier: str | None = None
    added_by: str | None = None
    listed_in: str | None = None
    effective: dt.date | None = None
    coverage: Coverage = Coverage.FULL
    truncated: bool = False

    @classmethod
    def of(cls, match: RuleMatch) -> RuleRef:
        rule = match.rule
        return cls(
            regime=match.regime.id,
            label=rule.label,
            description=rule.description,
            code=rule.code,
            item=rule.item,
            tier=rule.tier,
            added_by=rule.added_by,
            listed_in=rule.listed_in,
            effective=match.regime.effective(rule),
            coverage=match.coverage,
            truncated=rule.truncated,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "regime": self.regime,
            "entry": self.label,
            "code": self.code,
            "item": self.item,
            "description": self.description,
            "description_abridged": self.truncated,
            "tier": self.tier,
            "added_by": self.added_by,
            "listed_in": self.listed_in,
            "effective": self.effective.isoformat() if self.effective else None,
            "coverage": self.coverage.value,
        }
        return {k: v for k, v in data.items() if v is not None and v is not False}


@dataclass(frozen=True)
class ListEntryRef:
    """The listed entity a party hit, with what identifies the listing."""

    entity_id: str
    source: str
    sub_list: str | None
    name: str
    matched_name: str
    score: float
    programmes: tuple[str, ...]
    remarks: str | None
    snapshot_id: int | None

    @classmethod
    def of(cls, hit: Hit) -> ListEntryRef:
        entity = hit.entity
        return cls(
            entity_id=entity.id,
            source=entity.source,
            sub_list=entity.sub_list,
            name=entity.name,
            matched_name=hit.explanation.matched_name.full,
            score=round(hit.score, 4),
            programmes=entity.programmes,
            remarks=entity.remarks,
            snapshot_id=hit.snapshot_id,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity_id,
            "source": self.source,
            "sub_list": self.sub_list,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": self.score,
            "programmes": list(self.programmes),
            "remarks": self.remarks,
            "snapshot_id": self.snapshot_id,
        }


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    decision: Decision
    message: str
    legal_basis: LegalBasis | None = None
    citation: str | None = None
    """The legal basis in one line, with the annex part and the act that listed the entry."""
    rule: RuleRef | None = None
    rules: tuple[RuleRef, ...] = ()
    """Further rules of the same regime behind this reason (several subdivisions of one declared code)."""
    list_entry: ListEntryRef | None = None
    goods: tuple[int, ...] = ()
    """Indexes of the goods lines concerned (goods[0] is the first line)."""
    party: int | None = None
    """Index of the party concerned (parties[0] is the first)."""
    partial: str | None = None
    """For an `ex` code or a declared code broader than the rule: what the rule covers of it."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "decision": self.decision.value,
            "message": self.message,
            "legal_basis": self.legal_basis.model_dump(exclude_none=True) if self.legal_basis else None,
            "citation": self.citation,
            "rule": self.rule.to_json() if self.rule else None,
            "more_rules": [r.to_json() for r in self.rules] or None,
            "list_entry": self.list_entry.to_json() if self.list_entry else None,
            "goods": list(self.goods) or None,
            "party": self.party,
            "partial": self.partial,
        }
        return {k: v for k, v in data.items() if v is not None}


@dataclass(frozen=True)
class LineResult:
    """One goods line as screened: the code used, its official description, the rules it falls under."""

    index: int
    code: str | None
    code_from: str | None
    """`declared`, `classified` (from the description), or None when the line has no code."""
    hs_description: str | None
    description: str | None
    rules: tuple[RuleRef, ...] = ()
    classification: tuple[tuple[str, float], ...] = ()

    @property
    def chpl_tier(self) -> str | None:
        return next((r.tier for r in self.rules if r.regime == "chpl" and r.coverage is Coverage.FULL), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "code": self.code,
            "code_from": self.code_from,
            "hs_description": self.hs_description,
            "description": self.description,
            "chpl_tier": self.chpl_tier,
            "rules": [r.to_json() for r in self.rules],
            "classification": [{"code": c, "confidence": round(p, 4)} for c, p in self.classification],
        }


@dataclass(frozen=True)
class PartyResult:
    index: int
    role: str
    name: str
    country: str | None
    hits: tuple[ListEntryRef, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "role": self.role,
            "name": self.name,
            "country": self.country,
            "hits": [h.to_json() for h in self.hits],
        }


@dataclass(frozen=True)
class ShipmentResult:
    decision: Decision
    reasons: tuple[Reason, ...]
    goods: tuple[LineResult, ...]
    parties: tuple[PartyResult, ...]
    destinations: tuple[str, ...]
    """Where the goods go: the route's destination and the countries of the consignee and end user."""
    rules_version: RulesVersion
    algorithm: str
    threshold: float
    snapshots: dict[str, int]
    hs_nomenclature: str | None
    notes: tuple[str, ...] = field(default=())
    reference: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "reference": self.reference,
            "reasons": [r.to_json() for r in self.reasons],
            "goods": [g.to_json() for g in self.goods],
            "parties": [p.to_json() for p in self.parties],
            "destinations": list(self.destinations),
            "notes": list(self.notes),
            "rules_version": self.rules_version.model_dump(),
            "screening": {"algorithm": self.algorithm, "threshold": self.threshold, "snapshots": dict(self.snapshots)},
            "hs_nomenclature": self.hs_nomenclature,
        }
