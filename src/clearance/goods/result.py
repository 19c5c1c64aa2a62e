"""What a shipment screening returns: one decision, and every reason behind it.

A reason says what kind of finding it is, what it calls for, the legal basis it
rests on, the rule or list entry that fired, and which goods lines and party it
concerns. The result records the rules version and the list snapshots it was
computed on, so a decision can be replayed and audited. `clearance.goods.results`
publishes it: these types serve the screener and the tables, that one the JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from clearance.goods.decision import Decision, LegalBasis
from clearance.goods.rules import Coverage, RegimeDate, RuleMatch, RulesVersion
from clearance.matching import Hit
from clearance.results import entry_fields


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
    DESCRIBED_ITEM = "described_item"
    """Goods a description or code points to an entry defined in words (Annex VII Part A): review against its text."""
    DESCRIPTION_MISMATCH = "description_mismatch"
    """A declared code that its description does not bear out: the suggested codes' controls follow as review."""


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
    hit: Hit = field(compare=False, repr=False)
    """The hit itself: the published result gives its explanation under the party."""

    @classmethod
    def of(cls, hit: Hit) -> ListEntryRef:
        entity = hit.entity
        return cls(
            **entry_fields(hit),
            programmes=entity.programmes,
            remarks=entity.remarks,
            snapshot_id=hit.snapshot_id,
            hit=hit,
        )


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
    suggested: tuple[tuple[str, float], ...] = ()
    """Codes the description suggests instead of the declared one (none of the top candidates is it)."""

    @property
    def chpl_tier(self) -> str | None:
        return next((r.tier for r in self.rules if r.regime == "chpl" and r.coverage is Coverage.FULL), None)


@dataclass(frozen=True)
class PartyResult:
    index: int
    role: str
    name: str
    country: str | None
    hits: tuple[ListEntryRef, ...] = ()


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
    rules_as_of: tuple[RegimeDate, ...] = ()
    """How current each regime of the rules is: its latest act, and what it is known not to cover."""
