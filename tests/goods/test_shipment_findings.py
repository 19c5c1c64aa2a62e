"""Shipments that must not come out clear: a wrong code, a place in an address, a note to the wrong buyer."""

from __future__ import annotations

from typing import Any

from clearance.goods.decision import Decision
from clearance.goods.result import ReasonKind, ShipmentResult
from clearance.goods.screening import ShipmentScreener
from clearance.goods.shipment import parse_shipment
from clearance.text.goods import named_goods

NEUTRAL = "Beispiel Elektronik Handels GmbH"
"""A company name on no list."""


def screen(shipments: ShipmentScreener, data: dict[str, Any]) -> ShipmentResult:
    return shipments.screen(parse_shipment(data))


def one_line(
    line: dict[str, Any], destination: str, consignee: dict[str, Any] | None = None, origin: str = "DE"
) -> dict[str, Any]:
    party = {"role": "consignee", "name": NEUTRAL, "country": destination} if consignee is None else consignee
    return {"parties": [party], "goods": [line], "route": {"origin": origin, "destination": destination}}


def test_a_description_that_contradicts_the_code_brings_the_described_goods_controls(
    shipments: ShipmentScreener,
) -> None:
    # 8525 80 (HS 2017) described as thermal imaging cameras: 8525 89, a CHPL item, to a transshipment point.
    result = screen(shipments, one_line({"hs_code": "852580", "description": "thermal imaging cameras"}, "KG"))
    assert result.goods[0].suggested and result.goods[0].suggested[0][0] == "852589"
    mismatch = [r for r in result.reasons if r.kind is ReasonKind.DESCRIPTION_MISMATCH]
    assert len(mismatch) == 1 and mismatch[0].decision is Decision.REVIEW
    assert "8525 89" in mismatch[0].message and "8525 80" in mismatch[0].message
    diversion = [r for r in result.reasons if r.kind is ReasonKind.DIVERSION_RISK]
    assert diversion and diversion[0].rule is not None and diversion[0].rule.code == "852589"
    assert diversion[0].message.startswith("if goods[0] is what its description says")
    assert result.decision is Decision.REVIEW


def test_the_described_goods_controls_are_review_even_where_they_would_prohibit(shipments: ShipmentScreener) -> None:
    # Declared as office furniture, described as microcontrollers, going to Russia: the ban of the described
    # goods is a review (the declared code decides), the mismatch is stated.
    result = screen(shipments, one_line({"hs_code": "940330", "description": "STM32F407 microcontrollers"}, "RU"))
    described = [r for r in result.reasons if r.message.startswith("if goods[0] is what its description says")]
    assert described and {r.decision for r in described} == {Decision.REVIEW}
    assert any(r.kind is ReasonKind.GOODS_EXPORT_BAN and r.rule and r.rule.code == "854231" for r in described)


def test_a_description_that_bears_out_the_code_adds_nothing(shipments: ShipmentScreener) -> None:
    result = screen(shipments, one_line({"hs_code": "8542.31", "description": "STM32F407 microcontrollers"}, "DE"))
    assert (result.decision, result.reasons, result.goods[0].suggested) == (Decision.CLEAR, (), ())
    assert result.goods[0].classification[0][0] == "854231"


def test_the_no_reexport_clause_is_addressed_to_the_consignee_outside_russia(shipments: ShipmentScreener) -> None:
    consignee = {"role": "consignee", "name": NEUTRAL, "country": "KG"}
    result = screen(shipments, one_line({"hs_code": "847150"}, "KG", consignee))
    assert any(f"consignee parties[0] {NEUTRAL!r} in KG must prohibit re-export" in note for note in result.notes)


def test_no_reexport_clause_for_a_buyer_in_russia_the_ban_applies(shipments: ShipmentScreener) -> None:
    # Route to Kyrgyzstan, buyer in Russia: the goods are banned, and no note speaks of a buyer in KG.
    consignee = {"role": "consignee", "name": NEUTRAL, "country": "RU"}
    result = screen(shipments, one_line({"hs_code": "847150"}, "KG", consignee))
    assert result.decision is Decision.PROHIBITED
    assert not [note for note in result.notes if "re-export" in note]


def test_a_consignee_with_no_country_in_an_occupied_city_gets_the_ban(shipments: ShipmentScreener) -> None:
    consignee = {"role": "consignee", "name": NEUTRAL, "address": "ul. Pushkina 5, Simferopol"}
    result = screen(shipments, one_line({"hs_code": "854231"}, "DE", consignee))
    assert result.decision is Decision.PROHIBITED
    assert "UA-43" in result.destinations
    ban = next(r for r in result.reasons if r.kind is ReasonKind.GOODS_EXPORT_BAN)
    assert "address of the consignee parties[0]" in ban.message


def test_a_description_naming_an_annex_vii_part_a_item_calls_for_review(shipments: ShipmentScreener) -> None:
    # Rare-earth metals sit in Part A, defined in words: 2805 30 is under no code-listed ban, and is not clear.
    line = {"hs_code": "280530", "description": "neodymium metal ingots, rare earth"}
    result = screen(shipments, one_line(line, "RU"))
    described = [r for r in result.reasons if r.kind is ReasonKind.DESCRIBED_ITEM]
    assert described and described[0].decision is Decision.REVIEW
    assert described[0].rule is not None and described[0].rule.regime == "eu-833-annex-vii"
    assert "rare earth" in described[0].message and "Part A" in (described[0].citation or "")
    assert result.decision is not Decision.CLEAR


def test_part_a_points_only_where_annex_vii_applies(shipments: ShipmentScreener) -> None:
    line = {"hs_code": "280530", "description": "neodymium metal ingots, rare earth"}
    result = screen(shipments, one_line(line, "DE"))
    assert not [r for r in result.reasons if r.kind is ReasonKind.DESCRIBED_ITEM]


def test_a_shipment_result_says_how_current_the_rules_are(shipments: ShipmentScreener) -> None:
    result = screen(shipments, one_line({"hs_code": "854231"}, "DE"))
    regimes = {r.id: r for r in result.rules_as_of}
    vii = regimes["eu-833-annex-vii"]
    assert (vii.latest_act, vii.as_of.isoformat()) == ("Regulation (EU) 2025/2033", "2025-10-23")
    assert any("2026" in gap for gap in vii.gaps)
    assert regimes["eu-833-annex-xxiiia"].repealed is not None


def party_reasons(result: ShipmentResult) -> list[Any]:
    return [r for r in result.reasons if r.party is not None]


def test_a_listed_company_behind_a_suffix_is_not_clear(shipments: ShipmentScreener) -> None:
    for name, listed in [("Rosoboronexport Moscow Branch", "ofac-sdn:18782")]:
        consignee = {"role": "consignee", "name": name, "country": "AE"}
        result = screen(shipments, one_line({"hs_code": "940330"}, "AE", consignee))
        found = party_reasons(result)
        assert found and result.decision is not Decision.CLEAR, name
        assert any(listed in r.message for r in found), (name, [r.message for r in found])
        assert all(r.decision is Decision.REVIEW for r in found)
        assert all("trading name" in r.message for r in found)


def test_a_listed_company_with_a_sector_word_or_one_more_word_is_prohibited(shipments: ShipmentScreener) -> None:
    """AIRLINES is AIR, and one word beside a listed name matched word for word costs little: the name itself hits."""
    for name, listed in [
        ("Mahan Air Cargo", "ofac-sdn:12927"),
        ("Mahan Airlines", "ofac-sdn:12927"),
        ("Kalashnikov Concern (Izhevsk)", "ofac-sdn:16911"),
    ]:
        consignee = {"role": "consignee", "name": name, "country": "AE"}
        result = screen(shipments, one_line({"hs_code": "940330"}, "AE", consignee))
        sanctioned = [r for r in result.reasons if r.kind is ReasonKind.PARTY_SANCTIONED]
        assert result.decision is Decision.PROHIBITED, name
        assert any(listed in r.message for r in sanctioned), (name, [r.message for r in sanctioned])


def test_one_reason_per_designation_naming_every_list(shipments: ShipmentScreener) -> None:
    consignee = {"role": "consignee", "name": "Mahan Air", "country": "IR"}
    result = screen(shipments, one_line({"hs_code": "940330"}, "IR", consignee))
    sanctioned = [r for r in result.reasons if r.kind is ReasonKind.PARTY_SANCTIONED]
    assert len(sanctioned) == 1 and sanctioned[0].decision is Decision.PROHIBITED
    assert "ofac-sdn:12927, us-csl:12927" in sanctioned[0].message
    # The Denied Persons List entry is another designation (MAHAN AIR GENERAL TRADING LLC): its own reason.
    assert len([r for r in result.reasons if r.kind is ReasonKind.PARTY_DENIED]) <= 1


def test_a_restricted_city_in_an_address_with_no_country_is_not_clear(shipments: ShipmentScreener) -> None:
    for address in ["Tverskaya 1, 125009 Moscow", "Москва", "Moskva", "St. Petersburg"]:
        consignee = {"role": "consignee", "name": NEUTRAL, "address": address}
        result = screen(shipments, one_line({"hs_code": "854231"}, "DE", consignee))
        assert result.decision is Decision.PROHIBITED and "RU" in result.destinations, address
    end_user = [
        {"role": "consignee", "name": NEUTRAL, "country": "DE"},
        {"role": "end_user", "name": "OOO Test", "address": "Moscow"},
    ]
    data = {"parties": end_user, "goods": [{"hs_code": "854231"}], "route": {"origin": "DE", "destination": "DE"}}
    assert screen(shipments, data).decision is Decision.PROHIBITED
    for address, country in [("Minsk", "BY"), ("Tehran", "IR")]:
        consignee = {"role": "consignee", "name": NEUTRAL, "address": address}
        result = screen(shipments, one_line({"hs_code": "854231"}, "DE", consignee))
        assert result.decision is not Decision.CLEAR and country in result.destinations, address


def test_a_city_elsewhere_of_the_same_name_stays_clear(shipments: ShipmentScreener) -> None:
    consignee = {"role": "consignee", "name": NEUTRAL, "address": "Moscow, Idaho 83843, USA"}
    result = screen(shipments, one_line({"hs_code": "940330"}, "US", consignee))
    assert result.decision is Decision.CLEAR, [r.message for r in result.reasons]


def test_a_party_whose_address_contradicts_its_country_is_reviewed(shipments: ShipmentScreener) -> None:
    consignee = {"role": "consignee", "name": NEUTRAL, "country": "DE", "address": "Tverskaya 1, 125009 Moscow"}
    result = screen(shipments, one_line({"hs_code": "940330"}, "DE", consignee))
    assert [r.kind for r in result.reasons] == [ReasonKind.RESTRICTED_ADDRESS]


def test_embargoed_and_historical_destinations_are_never_clear(shipments: ShipmentScreener) -> None:
    for destination in ["KP", "North Korea", "SY", "CU", "SU", "USSR", "Persia", "Burma", "MM", "VE"]:
        result = screen(shipments, one_line({"hs_code": "854231"}, destination))
        assert result.decision is not Decision.CLEAR, destination
    for destination in ["MM", "VE", "Burma"]:
        result = screen(shipments, one_line({"hs_code": "940330"}, destination))
        reason = next(r for r in result.reasons if r.kind is ReasonKind.RESTRICTED_DESTINATION)
        assert reason.message.startswith("no rules encoded for Myanmar" if destination != "VE" else "no rules encoded")
    assert "RU" in screen(shipments, one_line({"hs_code": "854231"}, "USSR")).destinations


def test_arms_are_prohibited_to_every_embargoed_destination(shipments: ShipmentScreener) -> None:
    for destination in ["RU", "BY", "IR", "KP"]:
        result = screen(shipments, one_line({"hs_code": "930690", "description": "missiles"}, destination))
        ban = [r for r in result.reasons if r.rule is not None and r.rule.regime == "eu-arms-embargo"]
        assert ban and ban[0].decision is Decision.PROHIBITED, destination
    assert screen(shipments, one_line({"hs_code": "930690"}, "SY")).decision is Decision.REVIEW


def test_belarus_has_its_own_annexes_and_is_not_reported_twice(shipments: ShipmentScreener) -> None:
    result = screen(shipments, one_line({"hs_code": "854231"}, "BY"))
    regimes = {r.rule.regime for r in result.reasons if r.kind is ReasonKind.GOODS_EXPORT_BAN and r.rule}
    assert "eu-765-annex-va" in regimes and not {r for r in regimes if r.startswith("eu-833")}
    assert result.decision is Decision.PROHIBITED


def test_arms_named_in_a_text_show_the_embargo_as_their_control() -> None:
    found = {g.mention.text: g.controls for g in named_goods("Deliveries of missiles and ammunition were seized.")}
    assert set(found) == {"missiles", "ammunition"}
    assert all(any(c.startswith("EU arms embargoes") for c in controls) for controls in found.values())
