"""Shipment screening: one decision from the parties, goods and route, with every reason behind it.

Each finding becomes a reason with its own decision; the worst reason decides
(prohibited > licence required > review > clear). docs/goods.md sets out the
table. In short:

- a party on a sanctions list (OFAC SDN, EU, UK, UN, a watchlist) or on the BIS
  Denied Persons List: prohibited; on the BIS Entity List or Military End-User
  List: licence required; on a list that restricts only some dealings: review;
- goods under an EU Russia export ban (Annexes VII, XXIII, XXIIIA, XXIIIB, XL)
  going to Russia, or for use there through a consignee or end user there:
  prohibited; to Belarus or an occupied region of Ukraine the Russia lists are
  applied as the closest encoded equivalent of those destinations' own bans;
- Annex VII or dual-use goods to an EU Annex IV entity: prohibited; other goods
  to one: review;
- CHPL items to or through a documented transshipment point: review; an `ex` code
  or a declared code broader than the rule: review, never clear; an address in a
  restricted region, a restricted transit country, an unknown code, a line that
  could not be classified with confidence: review.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from clearance.errors import ClearanceError
from clearance.goods.codes import CodeError, Nomenclature, format_code, load_nomenclature, normalize_code
from clearance.goods.decision import Decision, LegalBasis
from clearance.goods.destinations import Restriction, RussiaBans, country_of
from clearance.goods.parties import PartyFinding, screen_party
from clearance.goods.result import (
    LineResult,
    ListEntryRef,
    PartyResult,
    Reason,
    ReasonKind,
    RuleRef,
    ShipmentResult,
)
from clearance.goods.rules import (
    Coverage,
    PartAMatch,
    Regime,
    RegimeDate,
    RegimeKind,
    RuleMatch,
    RuleSet,
    load_rules,
)
from clearance.goods.shipment import RECEIVING, GoodsLine, PartyRole, Shipment, ShipmentError, ShipmentParty
from clearance.matching import Party, Screener
from clearance.matching.screener import ScreeningError
from clearance.model import EntityKind
from clearance.text.mentions import TextScreener

EU_MEMBERS = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
CLASSIFY_CONFIDENCE = 0.8
"""A classification below this confidence is not used to screen the line; the line goes to review."""
CLASSIFY_LIMIT = 3
CLASSIFIED_KEPT = 4096
"""Descriptions whose classification is kept per process (a few hundred bytes each)."""
HITS_PER_PARTY = 5
ANNEX_VII = "eu-833-annex-vii"
REG_833 = "https://eur-lex.europa.eu/eli/reg/2014/833/oj"
DUAL_USE_TO_RUSSIA = LegalBasis(act="Council Regulation (EU) No 833/2014", article="Article 2(1)", url=REG_833)
DUAL_USE_TO_BELARUS = LegalBasis(
    act="Council Regulation (EC) No 765/2006",
    article="Article 1e(1)",
    url="https://eur-lex.europa.eu/eli/reg/2006/765/oj",
)
DUAL_USE_EXPORT = LegalBasis(
    act="Regulation (EU) 2021/821",
    annex="I",
    article="Article 3(1)",
    url="https://eur-lex.europa.eu/eli/reg/2021/821/oj",
)
_BAN_KINDS = (RegimeKind.EXPORT_BAN, RegimeKind.NO_REEXPORT)


@dataclass(frozen=True)
class _ListRule:
    kind: ReasonKind
    decision: Decision
    title: str


_SANCTIONS = {
    "ofac-sdn": "OFAC Specially Designated Nationals and Blocked Persons List",
    "eu": "EU consolidated list of financial sanctions",
    "uk": "UK Sanctions List",
    "un": "UN Security Council Consolidated List",
}
_US_CSL = {
    "SDN": _ListRule(ReasonKind.PARTY_SANCTIONED, Decision.PROHIBITED, _SANCTIONS["ofac-sdn"]),
    "DPL": _ListRule(ReasonKind.PARTY_DENIED, Decision.PROHIBITED, "BIS Denied Persons List"),
    "EL": _ListRule(
        ReasonKind.PARTY_EXPORT_CONTROL,
        Decision.LICENCE_REQUIRED,
        "BIS Entity List (15 CFR Part 744, Supplement No. 4)",
    ),
    "MEU": _ListRule(
        ReasonKind.PARTY_EXPORT_CONTROL,
        Decision.LICENCE_REQUIRED,
        "BIS Military End-User List (15 CFR Part 744, Supplement No. 7)",
    ),
}


def list_rule(source: str, sub_list: str | None) -> _ListRule:
    """What a hit on `source` (and US CSL `sub_list`) calls for, and the list's title."""
    if source in _SANCTIONS:
        return _ListRule(ReasonKind.PARTY_SANCTIONED, Decision.PROHIBITED, _SANCTIONS[source])
    if source.startswith("custom:"):
        return _ListRule(ReasonKind.PARTY_SANCTIONED, Decision.PROHIBITED, f"watchlist {source[len('custom:') :]}")
    if source == "us-csl" and sub_list in _US_CSL:
        return _US_CSL[sub_list]
    if source == "us-csl":
        return _ListRule(ReasonKind.PARTY_OTHER_LIST, Decision.REVIEW, f"US Consolidated Screening List ({sub_list})")
    if source == "ofac-cons":
        return _ListRule(ReasonKind.PARTY_OTHER_LIST, Decision.REVIEW, "OFAC consolidated non-SDN lists")
    return _ListRule(ReasonKind.PARTY_OTHER_LIST, Decision.REVIEW, source)


@dataclass
class _Line:
    index: int
    line: GoodsLine
    code: str | None = None
    code_from: str | None = None
    matches: list[RuleMatch] = field(default_factory=list)
    classification: list[tuple[str, float]] = field(default_factory=list)
    hs_description: str | None = None
    suggested: list[tuple[str, float]] = field(default_factory=list)
    """Codes the description suggests where none of the classifier's top candidates is the declared code."""

    @property
    def name(self) -> str:
        return f"goods[{self.index}] {format_code(self.code)}" if self.code else f"goods[{self.index}]"

    def in_regime(self, regime: str, full: bool = True) -> bool:
        return any(m.regime.id == regime and (not full or not m.partial) for m in self.matches)


@dataclass(frozen=True)
class _Target:
    """A place the goods go to: the route's destination, or a consignee's or end user's country."""

    code: str
    why: str
    restriction: Restriction | None


def _classifier() -> Any:
    """The description classifier, where this installation has one (clearance.goods.classify)."""
    try:
        module = importlib.import_module("clearance.goods.classify")
    except ImportError:
        return None
    return getattr(module, "classify", None)


@dataclass
class ShipmentScreener:
    """Screens shipments against the goods rules and, through party screening, the lists."""

    parties: Screener
    rules: RuleSet = field(default_factory=load_rules)
    nomenclature: Nomenclature | None = field(default_factory=load_nomenclature)
    classify_confidence: float = CLASSIFY_CONFIDENCE
    text: TextScreener | None = None
    """Finds listed names inside a party's name ("X Moscow Branch"); built over `parties` when not given."""

    def __post_init__(self) -> None:
        if self.text is None:
            self.text = TextScreener(self.parties)

    @cached_property
    def rules_as_of(self) -> tuple[RegimeDate, ...]:
        return tuple(
            RegimeDate(
                id=r.id,
                as_of=r.as_of,
                latest_act=r.latest_act,
                legal_basis=r.legal_basis,
                gaps=r.gaps,
                repealed=r.repealed,
            )
            for r in self.rules.regimes.values()
        )

    def screen(self, shipment: Shipment) -> ShipmentResult:
        reasons: list[Reason] = []
        notes: list[str] = []
        lines = [self._line(index, line, shipment.date, reasons) for index, line in enumerate(shipment.goods)]
        party_results, findings = self._parties(shipment, reasons)
        targets = self._targets(shipment)
        self._goods_rules(shipment, lines, targets, reasons, notes)
        self._no_reexport(shipment, lines, targets, notes)
        self._dual_use(shipment, lines, targets, reasons)
        self._annex_iv(shipment, lines, findings, reasons)
        self._diversion(shipment, lines, targets, reasons)
        self._places(shipment, targets, reasons)
        self._suggested_controls(shipment, lines, targets, reasons, notes)
        if self.nomenclature is None:
            notes.append(
                "the HS nomenclature is not loaded (this screener was built without one): codes were matched "
                "against the rules but not checked against the nomenclature, and carry no official description"
            )
        reasons.sort(key=lambda r: -r.decision.severity)
        return ShipmentResult(
            decision=Decision.worst([r.decision for r in reasons]),
            reasons=tuple(reasons),
            goods=tuple(
                LineResult(
                    index=line.index,
                    code=line.code,
                    code_from=line.code_from,
                    hs_description=line.hs_description,
                    description=line.line.description,
                    rules=tuple(RuleRef.of(m) for m in line.matches),
                    classification=tuple(line.classification),
                    suggested=tuple(line.suggested),
                )
                for line in lines
            ),
            parties=tuple(party_results),
            destinations=tuple(t.code for t in targets),
            rules_version=self.rules.version,
            rules_as_of=self.rules_as_of,
            algorithm=self.parties.algorithm,
            threshold=self.parties.threshold,
            snapshots=dict(self.parties.snapshots),
            hs_nomenclature=f"{self.nomenclature.edition}: {self.nomenclature.path}" if self.nomenclature else None,
            notes=tuple(dict.fromkeys(notes)),
            reference=shipment.reference,
        )

    # --- goods lines ------------------------------------------------------------------------------------------------

    def _line(self, index: int, line: GoodsLine, on: dt.date | None, reasons: list[Reason]) -> _Line:
        """The line's code and the rules in force on `on` (the export date; today when None) that cover it."""
        found = _Line(index, line)
        if line.hs_code is not None:
            found.code, found.code_from = line.hs_code, "declared"
        elif line.description is not None:
            self._classify(found, line.description, reasons)
        if found.code is None:
            return found
        found.matches = self.rules.matches(found.code, on)
        if found.code_from == "declared" and line.description is not None:
            self._check_description(found, line.description)
        if self.nomenclature is not None:
            found.hs_description = self.nomenclature.describe(found.code)
            if not self.nomenclature.known(found.code):
                covered = "; it still falls under " + ", ".join(
                    dict.fromkeys(f"{m.regime.id} {m.rule.label}" for m in found.matches)
                )
                reasons.append(
                    Reason(
                        ReasonKind.UNKNOWN_CODE,
                        Decision.REVIEW,
                        f"{found.name}: {found.code[:6]} is not a code of the {self.nomenclature.edition} "
                        "nomenclature: check the declared code" + (covered if found.matches else ""),
                        goods=(index,),
                    )
                )
        return found

    def _classify(self, found: _Line, description: str, reasons: list[Reason]) -> None:
        try:
            candidates = self._candidates(description)
            problem = None
        except (ClearanceError, CodeError) as exc:
            candidates, problem = None, f"the description could not be classified: {exc}"
        if candidates is None:
            problem = problem or (
                "classification from descriptions is not available in this installation: the line was not "
                "screened against the goods rules"
            )
            reasons.append(
                Reason(
                    ReasonKind.UNCLASSIFIED_GOODS,
                    Decision.REVIEW,
                    f"{found.name}: no code given, and {problem}",
                    goods=(found.index,),
                )
            )
            return
        found.classification = candidates
        if candidates and candidates[0][1] >= self.classify_confidence:
            found.code, found.code_from = candidates[0][0], "classified"
            return
        shown = "; ".join(f"{format_code(c)} ({p:.2f})" + self._regimes_of(c) for c, p in candidates) or "none"
        reasons.append(
            Reason(
                ReasonKind.LOW_CONFIDENCE_CLASSIFICATION,
                Decision.REVIEW,
                f"{found.name}: no code given, and no classification of the description reaches confidence "
                f"{self.classify_confidence}: candidates {shown}; the line was not screened against the goods rules",
                goods=(found.index,),
            )
        )

    def _candidates(self, description: str) -> list[tuple[str, float]] | None:
        """The classifier's top candidates for `description`; None where no classifier is installed."""
        classify = _classifier()
        if classify is None:
            return None
        # Classified on the nomenclature the codes are checked against, so the two never disagree on an edition.
        hs_file = self.nomenclature.path if self.nomenclature is not None else None
        return list(_classified(classify, description, hs_file))

    def _check_description(self, found: _Line, description: str) -> None:
        """A declared code the description does not bear out: keep what the description suggests instead.

        A wrong code is how a banned item is declared as a harmless one, so the suggested codes' controls
        are screened too (`_suggested_controls`), each as a review.
        """
        try:
            candidates = self._candidates(description)
        except (ClearanceError, CodeError):
            return
        if not candidates or found.code is None:
            return
        found.classification = candidates
        declared = found.code
        if any(code.startswith(declared) or declared.startswith(code) for code, _ in candidates):
            return
        # A suggestion is a classification that would be acted on for a line given without a code.
        found.suggested = [(code, p) for code, p in candidates if p >= self.classify_confidence]

    def _suggested_controls(
        self, shipment: Shipment, lines: list[_Line], targets: list[_Target], reasons: list[Reason], notes: list[str]
    ) -> None:
        """For each line whose description suggests another code: a finding, and that code's controls as review."""
        for line in (x for x in lines if x.suggested and x.code):
            declared = format_code(line.code or "")
            shown = ", ".join(f"{format_code(c)} ({p:.2f})" for c, p in line.suggested)
            what = f"goods[{line.index}] is declared as {declared} but described as {line.line.description!r}"
            found: list[Reason] = []
            for code, _ in line.suggested:
                shadow = _Line(line.index, line.line, code, "suggested", self.rules.matches(code, shipment.date))
                self._goods_rules(shipment, [shadow], targets, found, [], check_destination=False)
                self._diversion(shipment, [shadow], targets, found)
            if not found:
                notes.append(f"{what}, which suggests {shown}; no rule we hold covers the suggested code")
                continue
            reasons.append(
                Reason(
                    ReasonKind.DESCRIPTION_MISMATCH,
                    Decision.REVIEW,
                    f"{what}, which suggests {shown}: check the declared code; the suggested code's controls follow",
                    goods=(line.index,),
                )
            )
            prefix = f"if goods[{line.index}] is what its description says: "
            reasons.extend(
                replace(r, decision=Decision.REVIEW, message=prefix + r.message)
                if r.decision.severity > Decision.REVIEW.severity
                else replace(r, message=prefix + r.message)
                for r in found
            )

    def _regimes_of(self, code: str) -> str:
        regimes = dict.fromkeys(m.regime.id for m in self.rules.matches(code))
        return f" under {', '.join(regimes)}" if regimes else ""

    # --- parties ----------------------------------------------------------------------------------------------------

    def _parties(
        self, shipment: Shipment, reasons: list[Reason]
    ) -> tuple[list[PartyResult], list[tuple[int, PartyFinding]]]:
        results, all_findings = [], []
        annex_iv = self._annex_iv_regime().list_source
        for index, party in enumerate(shipment.parties):
            findings = self._screen_party(index, party)
            results.append(
                PartyResult(
                    index,
                    party.role.value,
                    party.name,
                    party.country,
                    tuple(ListEntryRef.of(h) for f in findings for h in f.hits),
                )
            )
            for finding in findings:
                all_findings.append((index, finding))
                if finding.best.entity.source == annex_iv:
                    continue
                reasons.append(self._party_reason(index, party, finding))
        return results, all_findings

    def _party_reason(self, index: int, party: ShipmentParty, finding: PartyFinding) -> Reason:
        """One reason per designation, naming every list it is on; a partial finding calls for review."""
        hit = finding.best
        entity = hit.entity
        rules = [list_rule(h.entity.source, h.entity.sub_list) for h in finding.hits]
        rule = max(rules, key=lambda r: r.decision.severity)
        kind = ReasonKind.VESSEL_LISTED if party.role is PartyRole.VESSEL else rule.kind
        listings = list(dict.fromkeys(r.title for r in rules))
        programmes = tuple(dict.fromkeys(p for h in finding.hits for p in h.entity.programmes))
        listing = "; ".join(listings) + (f" ({', '.join(programmes)})" if programmes else "")
        ids = ", ".join(h.entity.id for h in finding.hits)
        who = f"{party.role.value} parties[{index}] {party.name!r}"
        if finding.partial:
            message = (
                f"{who}: {finding.via} {finding.query!r} matches {entity.name!r} ({ids}, score {hit.score:.2f}) on "
                f"the {listing}: a branch, division or trading name of a listed party? Review"
            )
        else:
            message = f"{who} matches {entity.name!r} ({ids}, score {hit.score:.2f}) on the {listing}"
        return Reason(
            kind,
            Decision.REVIEW if finding.partial else rule.decision,
            message,
            legal_basis=LegalBasis(act=rule.title),
            citation=listing,
            list_entry=ListEntryRef.of(hit),
            party=index,
        )

    def _screen_party(self, index: int, party: ShipmentParty) -> list[PartyFinding]:
        identifiers = (*party.identifiers, *((f"IMO {party.imo}",) if party.imo else ()))
        kind = EntityKind.VESSEL if party.role is PartyRole.VESSEL else party.kind
        query = Party(
            name=party.name,
            kind=kind,
            dob=party.dob,
            country=country_of(party.country) if party.country else None,
            identifiers=identifiers,
        )
        try:
            return screen_party(self.parties, self.text, query, limit=HITS_PER_PARTY)
        except ScreeningError as exc:
            raise ShipmentError(f"parties[{index}].{exc}") from None

    def _annex_iv_regime(self) -> Regime:
        return self.rules.of_kind(RegimeKind.END_USER_LIST)[0]

    def _annex_iv(
        self,
        shipment: Shipment,
        lines: list[_Line],
        findings: list[tuple[int, PartyFinding]],
        reasons: list[Reason],
    ) -> None:
        regime = self._annex_iv_regime()
        for index, finding in findings:
            party, hit = shipment.parties[index], finding.best
            if hit.entity.source != regime.list_source or party.role is PartyRole.EXPORTER:
                continue
            entity = hit.entity
            entry = entity.id.split(":", 1)[1]
            listed_by = (entity.remarks or "").partition("Listed by: ")[2] or None
            citation = regime.cite() + f"; entry {entry}" + (f", listed by {listed_by}" if listed_by else "")
            who = (
                f"{party.role.value} parties[{index}] {party.name!r} matches EU Annex IV entry {entry} {entity.name!r}"
            )
            who += f" (score {hit.score:.2f})"
            if finding.partial:
                who += f", found by its {finding.via} {finding.query!r}: a branch or trading name of it? Review"
            banned = tuple(x.index for x in lines if x.in_regime(ANNEX_VII) or x.line.dual_use_code)
            rest = tuple(x.index for x in lines if x.index not in banned)
            for goods, decision, what in (
                (banned, Decision.PROHIBITED, "Annex VII or dual-use goods to a listed entity are prohibited"),
                (rest, Decision.REVIEW, "other goods to a listed military-industrial end user call for review"),
            ):
                if goods:
                    reasons.append(
                        Reason(
                            ReasonKind.ANNEX_IV_END_USER,
                            Decision.REVIEW if finding.partial else decision,
                            f"{who}: {what} ({', '.join(f'goods[{g}]' for g in goods)})",
                            legal_basis=regime.legal_basis,
                            citation=citation,
                            list_entry=ListEntryRef.of(hit),
                            goods=goods,
                            party=index,
                        )
                    )

    # --- destinations -----------------------------------------------------------------------------------------------

    def _targets(self, shipment: Shipment) -> list[_Target]:
        destinations = self.rules.destinations
        found = {shipment.route.destination: "route destination"}
        for index, party in enumerate(shipment.parties):
            if party.role not in RECEIVING:
                continue
            if party.country:
                found.setdefault(party.country, f"country of the {party.role.value} parties[{index}]")
                continue
            # No country given: a restricted place in the address says where the goods are for.
            for place in destinations.in_address(party.address):
                if place.restricted:
                    found.setdefault(
                        place.code, f"address of the {party.role.value} parties[{index}]: {place.evidence}"
                    )
        return [_Target(code, why, destinations.by_code(code)) for code, why in found.items()]

    def _goods_rules(
        self,
        shipment: Shipment,
        lines: list[_Line],
        targets: list[_Target],
        reasons: list[Reason],
        notes: list[str],
        check_destination: bool = True,
    ) -> None:
        for target in targets:
            alpha, restriction = country_of(target.code), target.restriction
            uncovered = []
            for line in lines:
                if line.code is None:
                    continue
                banned = False
                for regime, matches in _by_regime(line.matches, _BAN_KINDS):
                    own = alpha in regime.applies_to and regime.exempted(alpha) is None
                    equivalent = bool(
                        restriction and restriction.restricted and restriction.russia_bans is RussiaBans.EQUIVALENT
                    )
                    if not (own or equivalent):
                        continue
                    in_force = [m for m in matches if _in_force(m, shipment)]
                    if not in_force:
                        notes.append(f"{line.name}: {regime.id} listed it after the shipment date {shipment.date}")
                        continue
                    banned = True
                    reasons.append(self._ban_reason(line, regime, in_force, target, own))
                if not banned:
                    uncovered.append(line.index)
            if check_destination:
                self._restricted_destination(shipment, lines, target, uncovered, reasons, notes)

    def _no_reexport(self, shipment: Shipment, lines: list[_Line], targets: list[_Target], notes: list[str]) -> None:
        """What the contract with each buyer outside the EU must say (Article 12g), addressed to that buyer.

        The buyer is the consignee; without a consignee whose country is known, the buyer in the route's
        destination. A buyer in a restricted destination gets no note: the ban itself applies there.
        """
        origin = country_of(shipment.route.origin) if shipment.route.origin else None
        receiving = {t.code: t for t in targets}
        buyers = [
            (f"the consignee parties[{i}] {p.name!r}", p.country)
            for i, p in enumerate(shipment.parties)
            if p.role is PartyRole.CONSIGNEE and p.country
        ] or [("the buyer", shipment.route.destination)]
        for line in lines:
            for regime, _ in _by_regime(line.matches, (RegimeKind.NO_REEXPORT,)):
                for who, code in buyers:
                    alpha, target = country_of(code), receiving.get(code)
                    restricted = target is not None and target.restriction is not None and target.restriction.restricted
                    if restricted or alpha in regime.applies_to or not _third_country(origin, alpha, regime):
                        continue
                    notes.append(
                        f"{line.name}: {regime.cite()}: the contract with {who} in {alpha} must prohibit "
                        "re-export to Russia"
                    )

    def _ban_reason(self, line: _Line, regime: Regime, matches: list[RuleMatch], target: _Target, own: bool) -> Reason:
        matches = sorted(matches, key=lambda m: (m.partial, -len(m.rule.code or "")))
        main = matches[0]
        place = target.restriction.name if target.restriction else target.code
        decision = regime.effect if not main.partial else Decision.REVIEW
        message = f"{line.name} to {place} ({target.why}): {main.rule.label} {_short(main.rule.description)}"
        if own:
            message += f" falls under {regime.cite(main.rule)}"
        else:
            basis = target.restriction.legal_basis.act if target.restriction else ""
            message += (
                f" falls under {regime.cite(main.rule)}, applied to {place} as the closest encoded equivalent "
                f"of its own measures ({basis})"
            )
        if main.partial:
            message += f"; {main.note()}: review whether the goods are in the listed part"
        return Reason(
            ReasonKind.GOODS_EXPORT_BAN,
            decision,
            message,
            legal_basis=regime.legal_basis,
            citation=regime.cite(main.rule),
            rule=RuleRef.of(main),
            rules=tuple(RuleRef.of(m) for m in matches[1:]),
            goods=(line.index,),
            partial=main.note(),
        )

    def _restricted_destination(
        self,
        shipment: Shipment,
        lines: list[_Line],
        target: _Target,
        uncovered: list[int],
        reasons: list[Reason],
        notes: list[str],
    ) -> None:
        restriction = target.restriction
        if restriction is None:
            return
        unscreened = [x.index for x in lines if x.code is None]
        if not restriction.restricted:
            message = (
                f"{restriction.name} ({target.why}): the EU measures cover the non-government-controlled areas of "
                "this oblast; confirm on which side the place is"
            )
            goods = tuple(x.index for x in lines)
        elif restriction.russia_bans is RussiaBans.OWN:
            alpha = country_of(restriction.code)
            pending = []
            for line in lines:
                if line.code is not None and line.index not in uncovered:
                    continue
                found = [m for m in self.rules.part_a(line.line.description, line.code) if alpha in m.regime.applies_to]
                if found:
                    reasons.append(_described_reason(line, found, target))
                elif line.code is not None:
                    pending.append(line.index)
            described = [(r, rule) for r, rule in self.rules.described_only() if alpha in r.applies_to]
            if pending and described:
                notes.append(
                    f"{', '.join(f'goods[{i}]' for i in pending)} to {restriction.name}: no code-listed ban applies; "
                    f"{len(described)} entries of {described[0][0].legal_basis.cite('A')} are defined by technical "
                    "description and cannot be decided from a code; neither the description nor the code points to "
                    "one of them: check the goods against them"
                )
            return
        else:
            goods = tuple(sorted({*uncovered, *unscreened}))
            if not goods:
                return
            own = "" if restriction.russia_bans is RussiaBans.NONE else " (the Russia lists are applied to the others)"
            listed = ", ".join(f"goods[{i}]" for i in goods)
            if restriction.unencoded_reason:
                message = f"{restriction.unencoded_reason} ({target.why}): {listed} need review"
            else:
                message = (
                    f"{restriction.name} ({target.why}) is a restricted destination under "
                    f"{restriction.legal_basis.act}, whose own goods lists are not encoded: {listed} need review{own}"
                )
        reasons.append(
            Reason(
                ReasonKind.RESTRICTED_DESTINATION,
                Decision.REVIEW,
                message,
                legal_basis=restriction.legal_basis,
                citation=restriction.legal_basis.cite(),
                goods=goods,
            )
        )

    def _dual_use(self, shipment: Shipment, lines: list[_Line], targets: list[_Target], reasons: list[Reason]) -> None:
        origin = country_of(shipment.route.origin) if shipment.route.origin else None
        for line in (x for x in lines if x.line.dual_use_code):
            what = f"{line.name} (dual-use {line.line.dual_use_code})"
            for target in targets:
                alpha, restriction = country_of(target.code), target.restriction
                restricted = restriction is not None and restriction.restricted
                if restriction is not None and restricted and restriction.russia_bans is not RussiaBans.NONE:
                    own = restriction.russia_bans is RussiaBans.OWN and restriction.code != "RU"
                    basis = DUAL_USE_TO_BELARUS if own else DUAL_USE_TO_RUSSIA
                    decision, text = Decision.PROHIBITED, f"{what} to {restriction.name}: dual-use goods are prohibited"
                    if restriction.russia_bans is RussiaBans.EQUIVALENT:
                        text += f" (Russia's ban applied as equivalent of {restriction.legal_basis.act})"
                elif restriction is not None and restricted:
                    basis, decision = restriction.legal_basis, Decision.LICENCE_REQUIRED
                    text = f"{what} to {restriction.name}: dual-use exports need an authorisation, if any can be given"
                elif origin in EU_MEMBERS and alpha not in EU_MEMBERS:
                    basis, decision = DUAL_USE_EXPORT, Decision.LICENCE_REQUIRED
                    text = (
                        f"{what} from {origin} to {alpha}: the export of Annex I dual-use items needs an authorisation"
                    )
                else:
                    continue
                reasons.append(Reason(ReasonKind.DUAL_USE, decision, text, basis, basis.cite(), goods=(line.index,)))

    def _diversion(self, shipment: Shipment, lines: list[_Line], targets: list[_Target], reasons: list[Reason]) -> None:
        points = self.rules.countries(RegimeKind.TRANSSHIPMENT_COUNTRIES)
        route = [(t.code, t.why) for t in targets] + [(c, "transit") for c in shipment.route.transit]
        risky: dict[str, list[str]] = defaultdict(list)
        for code, why in route:
            if country_of(code) in points:
                risky[country_of(code)].append(why)
        restricted = [t for t in targets if t.restriction is not None and t.restriction.restricted]
        for line in lines:
            chpl = [m for m in line.matches if m.regime.kind is RegimeKind.HIGH_PRIORITY]
            if not chpl:
                continue
            main = sorted(chpl, key=lambda m: m.partial)[0]
            tier = f"CHPL tier {main.rule.tier} item {main.rule.label}"
            if main.partial:
                tier = f"possibly a {tier} ({main.note()})"
            else:
                tier = f"a {tier}"
            if risky:
                regime, _ = points[next(iter(risky))]
                where = "; ".join(f"{points[c][1].name} ({', '.join(w)})" for c, w in risky.items())
                reasons.append(
                    Reason(
                        ReasonKind.DIVERSION_RISK,
                        Decision.REVIEW,
                        f"{line.name} is {tier}, and goes to or through {where}, named as transshipment points for "
                        f"diversion to Russia ({regime.legal_basis.act})",
                        legal_basis=regime.legal_basis,
                        citation=regime.legal_basis.cite(),
                        rule=RuleRef.of(main),
                        goods=(line.index,),
                        partial=main.note(),
                    )
                )
            for target in restricted:
                reasons.append(
                    Reason(
                        ReasonKind.HIGH_PRIORITY_ITEM,
                        Decision.REVIEW,
                        f"{line.name} is {tier}, going to {target.restriction.name if target.restriction else ''}",
                        legal_basis=main.regime.legal_basis,
                        citation=main.regime.legal_basis.cite(),
                        rule=RuleRef.of(main),
                        goods=(line.index,),
                        partial=main.note(),
                    )
                )

    def _places(self, shipment: Shipment, targets: list[_Target], reasons: list[Reason]) -> None:
        destinations = self.rules.destinations
        route_restricted = targets[0].restriction is not None
        targeted = {t.code for t in targets}
        for index, party in enumerate(shipment.parties):
            if party.role in (PartyRole.EXPORTER, PartyRole.CARRIER, PartyRole.VESSEL):
                continue
            if party.role in RECEIVING and route_restricted:
                continue
            found = destinations.in_address(party.address)
            if party.role in RECEIVING and not party.country:
                found = [place for place in found if place.code not in targeted]
            by_code = destinations.by_code(party.country)
            if by_code is not None:
                found.append(by_code)
            for place in _unique(found):
                reasons.append(
                    Reason(
                        ReasonKind.RESTRICTED_ADDRESS,
                        Decision.REVIEW,
                        f"{party.role.value} parties[{index}] {party.name!r} is located in {place.label} "
                        f"({place.evidence}), while the goods go to {shipment.route.destination}",
                        legal_basis=place.legal_basis,
                        citation=place.legal_basis.cite(),
                        party=index,
                    )
                )
        for code in shipment.route.transit:
            transit = destinations.by_code(code)
            if transit is not None:
                reasons.append(
                    Reason(
                        ReasonKind.RESTRICTED_TRANSIT,
                        Decision.REVIEW,
                        f"the route passes through {transit.label} ({transit.evidence})",
                        legal_basis=transit.legal_basis,
                        citation=transit.legal_basis.cite(),
                    )
                )


@lru_cache(maxsize=CLASSIFIED_KEPT)
def _classified(classify: Any, description: str, hs_file: Path | None) -> tuple[tuple[str, float], ...]:
    """A description's candidates, kept: a trader ships the same goods, described alike, again and again."""
    return tuple(
        (normalize_code(str(c.code)), float(c.confidence))
        for c in classify(description, CLASSIFY_LIMIT, hs_file=hs_file)
    )


def _described_reason(line: _Line, found: list[PartAMatch], target: _Target) -> Reason:
    """Entries defined in words that the description or code points to: a review, since no code decides them."""
    place = target.restriction.name if target.restriction else target.code
    main, rest = found[0], found[1:3]
    more = f"; also {', '.join(f'{m.rule.label} ({m.why})' for m in rest)}" if rest else ""
    return Reason(
        ReasonKind.DESCRIBED_ITEM,
        Decision.REVIEW,
        f"{line.name} to {place} ({target.why}): {main.rule.label} {_short(main.rule.description)} may cover it "
        f"({main.why}){more}: this entry is defined by technical description, not by code; check the goods "
        "against it",
        legal_basis=main.regime.legal_basis,
        citation=main.regime.cite(main.rule),
        rule=RuleRef.of(RuleMatch(main.regime, main.rule, Coverage.PART_OF_CODE)),
        rules=tuple(RuleRef.of(RuleMatch(m.regime, m.rule, Coverage.PART_OF_CODE)) for m in rest),
        goods=(line.index,),
    )


def _by_regime(matches: list[RuleMatch], kinds: tuple[RegimeKind, ...]) -> list[tuple[Regime, list[RuleMatch]]]:
    grouped: dict[str, list[RuleMatch]] = defaultdict(list)
    for match in matches:
        if match.regime.kind in kinds:
            grouped[match.regime.id].append(match)
    return [(found[0].regime, found) for found in grouped.values()]


def _in_force(match: RuleMatch, shipment: Shipment) -> bool:
    effective = match.regime.effective(match.rule)
    return shipment.date is None or effective is None or effective <= shipment.date


def _third_country(origin: str | None, alpha: str, regime: Regime) -> bool:
    """An export from the EU to a country outside it, other than Russia and the regime's exempted partners."""
    return origin in EU_MEMBERS and alpha not in EU_MEMBERS and regime.exempted(alpha) is None


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return f"({text})" if len(text) <= limit else f"({text[:limit].rsplit(' ', 1)[0]} ...)"


def _unique(places: Iterable[Restriction]) -> list[Restriction]:
    found: dict[str, Restriction] = {}
    for place in places:
        if place.code not in found or (place.restricted and not found[place.code].restricted):
            found[place.code] = place
    return list(found.values())
