"""Shipment screening on the real rules and real list entries: the decision each case calls for, and why."""

from __future__ import annotations

import datetime as dt
import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.goods.codes import HS_FILE
from clearance.goods.decision import Decision
from clearance.goods.result import Reason, ReasonKind, ShipmentResult
from clearance.goods.results import ShipmentScreening
from clearance.goods.rules import load_rules
from clearance.goods.screening import ShipmentScreener
from clearance.goods.shipment import parse_shipment
from clearance.matching import ALGORITHM
from clearance.results import ListVersionInfo

NEUTRAL = "Beispiel Elektronik Handels GmbH"
"""A consignee name on no list."""


def shipment(
    code: str | None = "854231",
    destination: str = "RU",
    parties: list[dict[str, Any]] | None = None,
    transit: tuple[str, ...] = (),
    description: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    line: dict[str, Any] = {"hs_code": code} if code else {}
    if description:
        line["description"] = description
    line.update(extra.pop("line", {}))
    return {
        "parties": parties or [{"role": "consignee", "name": NEUTRAL, "country": destination}],
        "goods": [line],
        "route": {"origin": "DE", "transit": list(transit), "destination": destination},
        **extra,
    }


def screen(shipments: ShipmentScreener, data: dict[str, Any]) -> ShipmentResult:
    return shipments.screen(parse_shipment(data))


def kinds(result: ShipmentResult) -> dict[str, str]:
    return {r.kind.value: r.decision.value for r in result.reasons}


def first(result: ShipmentResult, kind: ReasonKind, regime: str | None = None) -> Reason:
    found = [r for r in result.reasons if r.kind is kind and (regime is None or (r.rule and r.rule.regime == regime))]
    assert found, [r.message for r in result.reasons]
    return found[0]


def test_integrated_circuits_to_russia_are_prohibited_under_annex_vii_part_b(shipments: ShipmentScreener) -> None:
    result = screen(shipments, shipment("854231", "RU", transit=("KZ",)))
    assert result.decision is Decision.PROHIBITED
    reason = first(result, ReasonKind.GOODS_EXPORT_BAN, "eu-833-annex-vii")
    assert reason.decision is Decision.PROHIBITED and reason.goods == (0,)
    assert reason.citation == (
        "Council Regulation (EU) No 833/2014, Annex VII Part B, Articles 2a(1) and 2b(1); "
        "8542 31 added by Regulation (EU) 2023/427"
    )
    assert reason.rule and (reason.rule.code, reason.rule.added_by, str(reason.rule.effective)) == (
        "854231",
        "Regulation (EU) 2023/427",
        "2023-02-25",
    )
    assert result.goods[0].chpl_tier == "1"
    assert result.goods[0].hs_description and result.goods[0].hs_description.startswith(
        "Electronic integrated circuits"
    )
    assert first(result, ReasonKind.DIVERSION_RISK).decision is Decision.REVIEW  # transit through Kazakhstan
    assert result.rules_version == load_rules().version


def test_the_same_code_to_germany_is_clear(shipments: ShipmentScreener) -> None:
    result = screen(shipments, shipment("854231", "DE"))
    assert (result.decision, result.reasons, result.notes) == (Decision.CLEAR, (), ())


@pytest.mark.parametrize("destination", ["AM", "KG"])
def test_the_same_code_to_a_transshipment_point_is_review(shipments: ShipmentScreener, destination: str) -> None:
    result = screen(shipments, shipment("854231", destination))
    assert result.decision is Decision.REVIEW
    assert kinds(result) == {"diversion_risk": "review"}
    reason = result.reasons[0]
    assert reason.citation == "FinCEN and BIS joint alert on Russian export-control evasion, 28 June 2022"
    assert reason.rule and reason.rule.regime == "chpl" and reason.rule.tier == "1"
    assert any("Article 12g" in note for note in result.notes)  # the no-re-export clause in the contract


def test_cameras_to_russia_are_prohibited_likewise(shipments: ShipmentScreener) -> None:
    result = screen(shipments, shipment("852589", "RU"))
    assert result.decision is Decision.PROHIBITED
    reason = first(result, ReasonKind.GOODS_EXPORT_BAN, "eu-833-annex-vii")
    assert reason.rule and (reason.rule.label, reason.rule.added_by) == ("8525 89", "Regulation (EU) 2023/427")
    assert first(result, ReasonKind.GOODS_EXPORT_BAN, "eu-833-annex-xxiii").rule.label == "8525"  # type: ignore[union-attr]
    assert result.goods[0].hs_description == "Television cameras; n.e.c. in item no 8525.8"


def test_a_listed_consignee_is_prohibited_whatever_the_goods(shipments: ShipmentScreener) -> None:
    parties = [{"role": "consignee", "name": "Bank Melli Iran", "country": "DE"}]
    result = screen(shipments, shipment("090111", "DE", parties=parties))  # coffee
    assert result.decision is Decision.PROHIBITED
    reason = first(result, ReasonKind.PARTY_SANCTIONED)
    assert reason.list_entry and reason.list_entry.entity_id in {"ofac-sdn:25578", "us-csl:25578"}
    assert reason.party == 0 and reason.citation and reason.citation.startswith("OFAC Specially Designated Nationals")


def test_an_end_user_on_the_entity_list_needs_a_licence(shipments: ShipmentScreener) -> None:
    parties = [
        {"role": "consignee", "name": NEUTRAL, "country": "DE"},
        {"role": "end_user", "name": "3K Aviation Consulting and Logistics", "country": "TR"},
    ]
    result = screen(shipments, shipment("940360", "TR", parties=parties))  # wooden furniture
    assert result.decision is Decision.LICENCE_REQUIRED
    reason = first(result, ReasonKind.PARTY_EXPORT_CONTROL)
    assert reason.list_entry and (reason.list_entry.source, reason.list_entry.sub_list) == ("us-csl", "EL")
    assert reason.party == 1 and "Entity List" in (reason.citation or "")


def test_military_end_users_need_a_licence_and_denied_persons_are_prohibited(shipments: ShipmentScreener) -> None:
    meu = [{"role": "end_user", "name": "AECC Aviation Power Co. Ltd.", "country": "CN"}]
    result = screen(shipments, shipment("940360", "CN", parties=meu))
    assert (result.decision, first(result, ReasonKind.PARTY_EXPORT_CONTROL).list_entry.sub_list) == (  # type: ignore[union-attr]
        Decision.LICENCE_REQUIRED,
        "MEU",
    )
    dpl = [{"role": "consignee", "name": "ADT Analog and Digital Technik", "country": "DE"}]
    result = screen(shipments, shipment("940360", "DE", parties=dpl))
    assert (result.decision, first(result, ReasonKind.PARTY_DENIED).list_entry.sub_list) == (  # type: ignore[union-attr]
        Decision.PROHIBITED,
        "DPL",
    )


def test_integrated_circuits_to_an_annex_iv_entity_are_prohibited(shipments: ShipmentScreener) -> None:
    parties = [{"role": "end_user", "name": "Qods Aviation Industries", "country": "IR"}]
    result = screen(shipments, shipment("854231", "IR", parties=parties))
    assert result.decision is Decision.PROHIBITED
    reason = next(r for r in result.reasons if r.kind is ReasonKind.ANNEX_IV_END_USER)
    assert reason.decision is Decision.PROHIBITED and reason.goods == (0,) and reason.party == 0
    assert reason.list_entry and reason.list_entry.entity_id == "eu-annex-iv:442"
    assert reason.citation == (
        "Council Regulation (EU) No 833/2014, Annex IV, Articles 2(7), 2a(7) and 2b(1); "
        "entry 442, listed by Regulation (EU) 2023/427"
    )
    assert first(result, ReasonKind.RESTRICTED_DESTINATION).decision is Decision.REVIEW  # Iran's own lists


def test_other_goods_to_an_annex_iv_entity_need_review_and_dual_use_is_prohibited(shipments: ShipmentScreener) -> None:
    parties = [{"role": "end_user", "name": "Tako LLC", "country": "AM"}]
    result = screen(shipments, shipment("070200", "AM", parties=parties))  # tomatoes
    assert (result.decision, kinds(result)) == (Decision.REVIEW, {"annex_iv_end_user": "review"})
    assert result.reasons[0].list_entry and result.reasons[0].list_entry.entity_id == "eu-annex-iv:523"
    dual_use = shipment("848180", "AM", parties=parties, line={"dual_use_code": "2B350"})
    result = screen(shipments, dual_use)
    assert result.decision is Decision.PROHIBITED
    assert first(result, ReasonKind.ANNEX_IV_END_USER).decision is Decision.PROHIBITED
    assert first(result, ReasonKind.DUAL_USE).decision is Decision.LICENCE_REQUIRED  # EU export of an Annex I item


def test_a_listed_vessel_is_found_by_name_and_by_imo_number(shipments: ShipmentScreener) -> None:
    for name in ("ARTAVIL", "MV Unknown Name"):
        parties = [
            {"role": "consignee", "name": NEUTRAL, "country": "DE"},
            {"role": "vessel", "name": name, "imo": "9187629"},
        ]
        result = screen(shipments, shipment("940360", "DE", parties=parties))
        reason = first(result, ReasonKind.VESSEL_LISTED)
        assert (result.decision, reason.party) == (Decision.PROHIBITED, 1), name
        assert reason.list_entry and reason.list_entry.entity_id.endswith(":15036")


def test_occupied_regions_from_codes_and_addresses(shipments: ShipmentScreener) -> None:
    result = screen(shipments, shipment("854231", "UA-43"))
    reason = first(result, ReasonKind.GOODS_EXPORT_BAN, "eu-833-annex-vii")
    assert result.decision is Decision.PROHIBITED and "Council Regulation (EU) No 692/2014" in reason.message
    address = [{"role": "consignee", "name": NEUTRAL, "country": "UA", "address": "ул. Киевская 1, Симферополь"}]
    result = screen(shipments, shipment("940360", "UA", parties=address))
    assert (result.decision, kinds(result)) == (Decision.REVIEW, {"restricted_address": "review"})
    assert "Autonomous Republic of Crimea" in result.reasons[0].message
    oblast = [{"role": "end_user", "name": NEUTRAL, "country": "UA", "address": "Kramatorsk, Donetsk Oblast"}]
    result = screen(shipments, shipment("940360", "UA", parties=oblast))
    assert result.decision is Decision.REVIEW and "possibly" in result.reasons[0].message


def test_belarus_iran_and_the_end_users_country(shipments: ShipmentScreener) -> None:
    belarus = screen(shipments, shipment("854231", "BY"))
    assert belarus.decision is Decision.PROHIBITED
    assert "Council Regulation (EC) No 765/2006" in first(belarus, ReasonKind.GOODS_EXPORT_BAN).message
    # Belarus's own annexes are encoded: goods none of them lists are checked, and clear, as for Russia.
    assert kinds(screen(shipments, shipment("940330", "BY"))) == {"goods_export_ban": "prohibited"}
    assert kinds(screen(shipments, shipment("940360", "BY"))) == {}
    assert kinds(screen(shipments, shipment("940360", "IR"))) == {"restricted_destination": "review"}
    end_user = [
        {"role": "consignee", "name": NEUTRAL, "country": "KZ"},
        {"role": "end_user", "name": "OOO Romashka Trade", "country": "RU"},
    ]
    result = screen(shipments, shipment("854231", "KZ", parties=end_user))
    assert result.decision is Decision.PROHIBITED and result.destinations == ("KZ", "RU")
    assert first(result, ReasonKind.RESTRICTED_ADDRESS).party == 1


def test_ex_codes_and_broader_codes_say_so_and_are_review(shipments: ShipmentScreener) -> None:
    trucks = screen(shipments, shipment("870422", "RU"))
    reason = first(trucks, ReasonKind.GOODS_EXPORT_BAN)
    assert (trucks.decision, reason.rule.label) == (Decision.REVIEW, "Ex 8704")  # type: ignore[union-attr]
    assert reason.partial and "covers only part of this code" in reason.partial
    heading = screen(shipments, shipment("8542", "RU"))
    assert heading.decision is Decision.REVIEW
    assert all(r.partial for r in heading.reasons if r.kind is ReasonKind.GOODS_EXPORT_BAN)


def test_unknown_codes_are_reported_and_still_matched(shipments: ShipmentScreener) -> None:
    result = screen(shipments, shipment("441860", "RU"))  # printed in Annex XXIII; not an HS 2022 subheading
    assert result.decision is Decision.PROHIBITED
    assert "not a code of the HS 2022 nomenclature" in first(result, ReasonKind.UNKNOWN_CODE).message
    assert kinds(screen(shipments, shipment("854299", "DE"))) == {"unknown_code": "review"}


def test_rules_listed_after_the_shipment_date_do_not_apply(shipments: ShipmentScreener) -> None:
    result = screen(shipments, shipment("854231", "RU", date="2023-01-15"))
    assert not [r for r in result.reasons if r.kind is ReasonKind.GOODS_EXPORT_BAN]
    assert any("after the shipment date 2023-01-15" in note for note in result.notes)
    assert screen(shipments, shipment("854231", "RU", date="2023-03-01")).decision is Decision.PROHIBITED


@dataclass
class _Candidate:
    code: str
    confidence: float


def _classifier(monkeypatch: pytest.MonkeyPatch, candidates: list[_Candidate] | None) -> None:
    if candidates is None:
        monkeypatch.setitem(sys.modules, "clearance.goods.classify", None)
        return
    module = types.ModuleType("clearance.goods.classify")
    module.classify = lambda description, limit, hs_file=None: candidates[:limit]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clearance.goods.classify", module)


def test_description_only_lines(shipments: ShipmentScreener, monkeypatch: pytest.MonkeyPatch) -> None:
    data = shipment(None, "RU", description="32-bit microcontrollers")
    _classifier(monkeypatch, None)
    result = screen(shipments, data)
    # Not classified, yet the description names an Annex VII Part A item (microcontroller microcircuits).
    expected = {"unclassified_goods": "review", "described_item": "review"}
    assert (result.decision, kinds(result)) == (Decision.REVIEW, expected)
    assert "not available" in first(result, ReasonKind.UNCLASSIFIED_GOODS).message
    assert "X.A.I.001" in first(result, ReasonKind.DESCRIBED_ITEM).message
    _classifier(monkeypatch, [_Candidate("854231", 0.93)])
    result = screen(shipments, data)
    assert result.decision is Decision.PROHIBITED and result.goods[0].code_from == "classified"
    _classifier(monkeypatch, [_Candidate("854231", 0.41), _Candidate("847150", 0.2)])
    result = screen(shipments, data)
    expected = {"low_confidence_classification": "review", "described_item": "review"}
    assert (result.decision, kinds(result)) == (Decision.REVIEW, expected)
    assert "8542 31 (0.41) under eu-833-annex-vii" in first(result, ReasonKind.LOW_CONFIDENCE_CLASSIFICATION).message


def test_without_the_hs_nomenclature_codes_still_match(shipments: ShipmentScreener) -> None:
    bare = ShipmentScreener(shipments.parties, nomenclature=None)
    result = bare.screen(parse_shipment(shipment("854231", "RU")))
    assert result.decision is Decision.PROHIBITED and result.goods[0].hs_description is None
    assert result.hs_nomenclature is None and any("not loaded" in note for note in result.notes)


def test_the_packaged_nomenclature_describes_and_classifies(shipments: ShipmentScreener) -> None:
    assert shipments.nomenclature is not None and shipments.nomenclature.path == HS_FILE
    result = screen(shipments, shipment(None, "RU", description="uncooled thermal imaging camera 640x512"))
    line = result.goods[0]
    assert (line.code, line.code_from) == ("852589", "classified")
    assert line.hs_description == "Television cameras; n.e.c. in item no 8525.8"
    assert result.decision is Decision.PROHIBITED and result.hs_nomenclature == f"HS 2022: {HS_FILE}"


def test_the_json_result(shipments: ShipmentScreener) -> None:
    data = shipment("854231", "RU", transit=("KZ",))
    data["parties"] = [{"role": "consignee", "name": "OOO Example", "country": "RU", "address": "Moscow"}]
    screened = screen(shipments, data)
    now = dt.datetime.now(dt.UTC)
    published = ShipmentScreening.of(
        screened, threshold=screened.threshold, list_version=ListVersionInfo.of(None, now), screened_at=now
    )
    result = published.model_dump(mode="json")
    assert result["decision"] == "prohibited"
    assert {"kind", "decision", "message", "legal_basis", "citation", "rule", "goods"} <= result["reasons"][0].keys()
    assert result["reasons"][0]["legal_basis"]["annex"] in {"VII", "XL"}
    assert result["rules_version"]["sha256"] == load_rules().version.sha256
    assert result["algorithm"] == ALGORITHM


CODES = sorted({rule.code for regime in load_rules().regimes.values() for rule in regime.rules if rule.code})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.sampled_from([*CODES, "940360", "090111"]), destination=st.sampled_from(["RU", "DE", "KZ", "BY", "US"]))
def test_the_worst_reason_decides(shipments: ShipmentScreener, code: str, destination: str) -> None:
    if len(code) < 4:
        code = code + "01"  # a chapter is not a declarable code in this test
    result = screen(shipments, shipment(code, destination))
    assert result.decision is Decision.worst([r.decision for r in result.reasons])
    assert list(result.reasons) == sorted(result.reasons, key=lambda r: -r.decision.severity)
    if destination in ("DE", "US"):
        assert result.decision is not Decision.PROHIBITED
