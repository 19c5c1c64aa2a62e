"""The published results of shipment screening and goods classification, declared once.

`clearance screen-shipment --json` and `clearance classify --json` print these
models and nothing else, so a consumer can rely on their JSON Schemas
(`schemas()`). Field names are those the hand-written JSON of earlier releases
used, so existing consumers keep working; what moved is listed on each model.
One change holds throughout: a key the old JSON left out when it had nothing to
say (`rule`, `more_rules`, `goods` of a reason, the `annex` of a legal basis, ...)
is now always present, as null or an empty list, so the schema can require it.

A classification is not a `Screening`: it reads the HS nomenclature and the
lexicon, never a list, so it has no list version or matcher threshold to record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, Unpack, cast

from pydantic import Field

from clearance.goods.classify import ALGORITHM as CLASSIFIER
from clearance.goods.decision import Decision, LegalBasis
from clearance.goods.result import LineResult, ListEntryRef, PartyResult, Reason, ReasonKind, RuleRef, ShipmentResult
from clearance.goods.rules import Coverage, RegimeDate, RulesVersion
from clearance.goods.shipment import PartyRole
from clearance.results import HitResult, ListEntry, Result, Screening, ScreeningFields

if TYPE_CHECKING:
    from clearance.goods.classify import Candidate
    from clearance.matching import Hit

CodeFrom = Literal["declared", "classified"]


class LegalBasisResult(Result):
    """The act a reason rests on, and where in it."""

    act: str
    annex: str | None
    article: str | None
    url: str | None

    @classmethod
    def of(cls, basis: LegalBasis) -> LegalBasisResult:
        return cls(act=basis.act, annex=basis.annex, article=basis.article, url=basis.url)


class RuleResult(Result):
    """A rule of a regime as the annex prints it, so a reviewer can find it in the published text."""

    regime: str = Field(description="The regime's id, e.g. `eu-833-annex-vii`.")
    entry: str = Field(description="The entry as the annex prints it: `8542 31`, `ex 8704`, `X.C.IX.012`.")
    code: str | None = Field(description="The code as digits; null for an entry the law defines by description.")
    item: str | None = Field(description="For an entry defined by description: its item number.")
    description: str
    description_abridged: bool = Field(description="Whether `description` is shortened from the annex's text.")
    tier: str | None = Field(description="For the Common High Priority List: the tier.")
    added_by: str | None = Field(description="The act that first listed the entry, where known.")
    listed_in: str | None = Field(description="The act whose text was read, where the first listing act is not known.")
    effective: dt.date | None = Field(description="The date of the act that first listed the entry.")
    coverage: Coverage = Field(
        description="`full`: the rule covers the code; `part_of_code`: an `ex` entry, only part of it; "
        "`narrower`: the rule lists a subdivision of the declared code."
    )

    @classmethod
    def of(cls, rule: RuleRef) -> RuleResult:
        return cls(
            regime=rule.regime,
            entry=rule.label,
            code=rule.code,
            item=rule.item,
            description=rule.description,
            description_abridged=rule.truncated,
            tier=rule.tier,
            added_by=rule.added_by,
            listed_in=rule.listed_in,
            effective=rule.effective,
            coverage=rule.coverage,
        )


class ListEntryResult(ListEntry):
    """The listed entity a reason rests on; the full hit, with its explanation, is under the party."""

    programmes: tuple[str, ...]
    remarks: str | None = Field(description="The list's remarks: for EU Annex IV, the act that listed the entity.")
    snapshot_id: int | None

    @classmethod
    def of(cls, entry: ListEntryRef) -> ListEntryResult:
        return cls(
            entity_id=entry.entity_id,
            source=entry.source,
            sub_list=entry.sub_list,
            name=entry.name,
            matched_name=entry.matched_name,
            score=entry.score,
            programmes=entry.programmes,
            remarks=entry.remarks,
            snapshot_id=entry.snapshot_id,
        )


class ReasonResult(Result):
    """One finding: what it calls for, the law behind it, and the goods lines and party it concerns."""

    kind: ReasonKind
    decision: Decision
    message: str
    legal_basis: LegalBasisResult | None
    citation: str | None = Field(
        description="The legal basis in one line, with the annex part and the act that listed the entry."
    )
    rule: RuleResult | None = Field(description="The rule applied, for a finding on goods.")
    more_rules: tuple[RuleResult, ...] = Field(
        description="Further rules of the same regime behind this finding (subdivisions of one declared code)."
    )
    list_entry: ListEntryResult | None = Field(description="The listed entity, for a finding on a party.")
    goods: tuple[int, ...] = Field(description="Indexes of the goods lines concerned (0 is the first line).")
    party: int | None = Field(description="Index of the party concerned (0 is the first).")
    partial: str | None = Field(
        description="For an `ex` code or a declared code broader than the rule: what the rule covers of it."
    )

    @classmethod
    def of(cls, reason: Reason) -> ReasonResult:
        return cls(
            kind=reason.kind,
            decision=reason.decision,
            message=reason.message,
            legal_basis=LegalBasisResult.of(reason.legal_basis) if reason.legal_basis else None,
            citation=reason.citation,
            rule=RuleResult.of(reason.rule) if reason.rule else None,
            more_rules=tuple(RuleResult.of(r) for r in reason.rules),
            list_entry=ListEntryResult.of(reason.list_entry) if reason.list_entry else None,
            goods=reason.goods,
            party=reason.party,
            partial=reason.partial,
        )


class CodeConfidence(Result):
    code: str
    confidence: float


class GoodsLineResult(Result):
    """One goods line as screened: the code used, its official description, the rules it falls under."""

    index: int
    code: str | None = Field(description="The code the line was screened under; null when it has none.")
    code_from: CodeFrom | None = Field(
        description="`declared`, or `classified` from the description; null when the line has no code."
    )
    hs_description: str | None = Field(description="The code's text in the HS nomenclature.")
    description: str | None = Field(description="The goods as the shipment describes them.")
    chpl_tier: str | None = Field(description="The Common High Priority List tier the code falls under in full.")
    rules: tuple[RuleResult, ...]
    classification: tuple[CodeConfidence, ...] = Field(
        description="The classifier's candidates for the description, best first: what a line without a code was "
        "classified from, or what a declared code was checked against."
    )
    suggested: tuple[CodeConfidence, ...] = Field(
        default=(),
        description="Codes the description suggests where none of the classifier's top candidates is the declared "
        "code; their controls are screened as review.",
    )

    @classmethod
    def of(cls, line: LineResult) -> GoodsLineResult:
        return cls(
            index=line.index,
            code=line.code,
            code_from=cast(CodeFrom | None, line.code_from),
            hs_description=line.hs_description,
            description=line.description,
            chpl_tier=line.chpl_tier,
            rules=tuple(RuleResult.of(r) for r in line.rules),
            classification=tuple(CodeConfidence(code=c, confidence=round(p, 4)) for c, p in line.classification),
            suggested=tuple(CodeConfidence(code=c, confidence=round(p, 4)) for c, p in line.suggested),
        )


class PartyHit(HitResult):
    """A listed entity the party may be, and why; with the list's remarks, which the old JSON carried."""

    remarks: str | None

    @classmethod
    def of(cls, hit: Hit) -> PartyHit:
        return cls(**dict(HitResult.of(hit)), remarks=hit.entity.remarks)


class ShipmentPartyResult(Result):
    index: int
    role: PartyRole
    name: str
    country: str | None
    hits: tuple[PartyHit, ...]

    @classmethod
    def of(cls, party: PartyResult) -> ShipmentPartyResult:
        return cls(
            index=party.index,
            role=PartyRole(party.role),
            name=party.name,
            country=party.country,
            hits=tuple(PartyHit.of(entry.hit) for entry in party.hits),
        )


class RulesVersionResult(Result):
    """Which goods rules decided: a result can be replayed on exactly these, and an edited file shows."""

    name: str
    version: str = Field(description="The version the rules declare.")
    sha256: str = Field(description="Of every rules file: changes with any edit, whatever the declared version.")

    @classmethod
    def of(cls, version: RulesVersion) -> RulesVersionResult:
        return cls(name=version.name, version=version.version, sha256=version.sha256)

    def __str__(self) -> str:
        return f"{self.name} {self.version} (sha256 {self.sha256[:12]})"


class ShipmentScreening(Screening):
    """A shipment's parties, goods and route: one decision, and every reason behind it.

    Against the JSON of earlier releases: `screening` is gone; its `algorithm` and
    `threshold` are the fields of the same names, and its `snapshots` is
    `list_version` (with each snapshot's digest and age). Party hits carry the
    party screening's `kind`, `listed_on`, `algorithm` and `explanation` besides
    the fields they had.
    """

    decision: Decision = Field(description="The worst decision of any reason; `clear` when there are none.")
    reference: str | None = Field(description="The shipment's own reference, as given.")
    reasons: tuple[ReasonResult, ...] = Field(description="Worst first.")
    goods: tuple[GoodsLineResult, ...]
    parties: tuple[ShipmentPartyResult, ...]
    destinations: tuple[str, ...] = Field(
        description="Where the goods go: the route's destination and the countries of the consignee and end user."
    )
    notes: tuple[str, ...] = Field(description="What the screening could not decide, or a contract must say.")
    rules_version: RulesVersionResult
    rules_as_of: tuple[RegimeDate, ...] = Field(
        description="Each regime of the rules: the latest act it encodes, that act's date, and what it is known not "
        "to cover (later acts among them)."
    )
    hs_nomenclature: str | None = Field(description="The HS edition and file codes were checked against.")

    @classmethod
    def of(cls, result: ShipmentResult, **common: Unpack[ScreeningFields]) -> ShipmentScreening:
        fields: ScreeningFields = {"algorithm": result.algorithm, **common}
        screening = cls(
            decision=result.decision,
            reference=result.reference,
            reasons=tuple(ReasonResult.of(r) for r in result.reasons),
            goods=tuple(GoodsLineResult.of(line) for line in result.goods),
            parties=tuple(ShipmentPartyResult.of(p) for p in result.parties),
            destinations=result.destinations,
            notes=result.notes,
            rules_version=RulesVersionResult.of(result.rules_version),
            rules_as_of=result.rules_as_of,
            hs_nomenclature=result.hs_nomenclature,
            **fields,
        )
        # What is recorded of how the parties were screened is the audit trail: it must be what they were screened on.
        recorded = {s.source: s.snapshot_id for s in screening.list_version.sources}
        if recorded != result.snapshots:
            raise ValueError(f"list_version names snapshots {recorded}, but the screening used {result.snapshots}")
        if screening.threshold != result.threshold:
            raise ValueError(
                f"threshold {screening.threshold} recorded, but the parties were screened at {result.threshold}"
            )
        return screening


class CandidateResult(Result):
    """An HS-6 subheading suggested for the description, with the evidence for it."""

    code: str = Field(pattern=r"^\d{6}$", description="The HS-6 subheading, as digits.")
    description: str = Field(description="The subheading's text in the HS nomenclature.")
    confidence: float = Field(
        ge=0, le=1, description="The share of belief in this code against the others and against 'none of these'."
    )
    evidence: tuple[str, ...]

    @classmethod
    def of(cls, candidate: Candidate) -> CandidateResult:
        return cls(
            code=candidate.code,
            description=candidate.description,
            confidence=round(candidate.confidence, 4),
            evidence=candidate.evidence,
        )


class Classification(Result):
    """HS codes suggested for a goods description, best first."""

    description: str = Field(description="The goods description, as given.")
    algorithm: str = Field(
        default=CLASSIFIER, description="The classifier's ranking; a change of scoring is a new name."
    )
    candidates: tuple[CandidateResult, ...]

    @classmethod
    def of(cls, description: str, candidates: Sequence[Candidate]) -> Classification:
        return cls(description=description, candidates=tuple(CandidateResult.of(c) for c in candidates))


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of each published goods result, by file name."""
    return {
        "shipment.schema.json": ShipmentScreening.model_json_schema(),
        "classification.schema.json": Classification.model_json_schema(),
    }
