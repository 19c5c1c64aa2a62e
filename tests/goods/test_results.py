"""The published shipment and classification results: built from real screenings, round-tripped, and their schemas."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from clearance.goods.classify import ALGORITHM as CLASSIFIER
from clearance.goods.classify import classify
from clearance.goods.decision import Decision
from clearance.goods.result import ReasonKind, ShipmentResult
from clearance.goods.results import Classification, PartyHit, ShipmentScreening, schemas
from clearance.goods.rules import load_rules
from clearance.goods.screening import ShipmentScreener
from clearance.goods.shipment import parse_shipment, read_shipment
from clearance.matching import ALGORITHM
from clearance.matching.algorithm import config_digest
from clearance.results import HitResult, ListVersionInfo
from clearance.store.list_store import Snapshot
from clearance.store.list_version import ListVersion
from clearance.text.results import ScreeningFields

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "shipment.json"
NOW = dt.datetime(2023, 2, 26, 9, 30, tzinfo=dt.UTC)
CAMERA = "uncooled thermal imaging camera 640x512"

# The keys the hand-written JSON of earlier releases gave (a reason and a rule then left out those without a value).
OLD_TOP = {
    "decision",
    "reference",
    "reasons",
    "goods",
    "parties",
    "destinations",
    "notes",
    "rules_version",
    "screening",
    "hs_nomenclature",
}
OLD_REASON = {"kind", "decision", "message", "legal_basis", "citation", "rule", "more_rules", "list_entry"}
OLD_REASON |= {"goods", "party", "partial"}
OLD_RULE = {"regime", "entry", "code", "item", "description", "description_abridged", "tier", "added_by", "listed_in"}
OLD_RULE |= {"effective", "coverage"}
OLD_LINE = {"index", "code", "code_from", "hs_description", "description", "chpl_tier", "rules", "classification"}
OLD_PARTY = {"index", "role", "name", "country", "hits"}
OLD_ENTRY = {"entity_id", "source", "sub_list", "name", "matched_name", "score", "programmes", "remarks", "snapshot_id"}
OLD_CANDIDATE = {"code", "description", "confidence", "evidence"}


def common(shipments: ShipmentScreener) -> ScreeningFields:
    """What a front end records for a screener built outside a store."""
    return {"threshold": shipments.parties.threshold, "list_version": ListVersionInfo.of(None, NOW), "screened_at": NOW}


def published(shipments: ShipmentScreener, data: dict[str, Any]) -> tuple[ShipmentResult, ShipmentScreening]:
    result = shipments.screen(parse_shipment(data))
    return result, ShipmentScreening.of(result, **common(shipments))


@pytest.fixture(scope="module")
def example(shipments: ShipmentScreener) -> tuple[ShipmentResult, ShipmentScreening]:
    result = shipments.screen(read_shipment(EXAMPLE))
    return result, ShipmentScreening.of(result, **common(shipments))


@pytest.fixture(scope="module")
def to_russia(shipments: ShipmentScreener) -> ShipmentScreening:
    """Integrated circuits to a consignee in Russia, through Kazakhstan."""
    data = {
        "parties": [{"role": "consignee", "name": "OOO Example", "country": "RU", "address": "Moscow"}],
        "goods": [{"hs_code": "854231", "description": "microcontrollers"}],
        "route": {"origin": "DE", "transit": ["KZ"], "destination": "RU"},
    }
    return published(shipments, data)[1]


@pytest.fixture(scope="module")
def camera() -> Classification:
    return Classification.of(CAMERA, classify(CAMERA))


def test_the_example_round_trips(example: tuple[ShipmentResult, ShipmentScreening]) -> None:
    _, screening = example
    assert ShipmentScreening.model_validate_json(screening.model_dump_json()) == screening
    assert ShipmentScreening.model_validate(screening.model_dump(mode="json")) == screening


def test_an_annex_iv_consignee_is_prohibited_with_the_hit_of_its_entry(
    example: tuple[ShipmentResult, ShipmentScreening],
) -> None:
    result, screening = example
    assert screening.decision is Decision.PROHIBITED and screening.reference == "EXAMPLE-2023-0225"
    consignee = screening.parties[1]
    assert (consignee.index, consignee.role.value, consignee.name) == (1, "consignee", "Qods Aviation Industries")
    hit = next(h for h in consignee.hits if h.entity_id == "eu-annex-iv:442")
    assert isinstance(hit, HitResult) and hit.algorithm == ALGORITHM and hit.explanation.matched_name
    assert hit.remarks and "Regulation (EU) 2023/427" in hit.remarks
    domain = next(ref.hit for ref in result.parties[1].hits if ref.entity_id == "eu-annex-iv:442")
    assert hit.model_dump(exclude={"remarks"}) == HitResult.of(domain).model_dump()
    reason = next(r for r in screening.reasons if r.kind is ReasonKind.ANNEX_IV_END_USER)
    assert reason.decision is Decision.PROHIBITED and reason.party == 1
    assert reason.list_entry and reason.list_entry.entity_id == "eu-annex-iv:442"
    assert reason.citation and reason.citation.endswith("entry 442, listed by Regulation (EU) 2023/427")
    assert reason.legal_basis and reason.legal_basis.act == "Council Regulation (EU) No 833/2014"
    assert all(not h for h in (screening.parties[0].hits, screening.parties[2].hits))


def test_a_line_without_a_code_is_published_with_its_classification(
    example: tuple[ShipmentResult, ShipmentScreening],
) -> None:
    _, screening = example
    declared, camera, desks = screening.goods
    assert (declared.code, declared.code_from, declared.chpl_tier) == ("854231", "declared", "1")
    assert (camera.code, camera.code_from, camera.description) == ("852589", "classified", CAMERA)
    assert camera.classification[0].code == "852589" and camera.classification[0].confidence >= 0.8
    assert {r.regime for r in camera.rules} >= {"eu-833-annex-vii", "chpl"}
    assert (desks.code, desks.chpl_tier, desks.suggested) == ("940330", None, ())
    assert desks.classification[0].code == "940330"  # the description bears the declared code out
    # An industrial good: Russia (Annex XXIII) and Belarus (Annex XVIII) only, and the example goes to Iran.
    xxiii, xviii = desks.rules
    assert (xxiii.regime, xxiii.entry, xxiii.listed_in, xxiii.effective) == (
        "eu-833-annex-xxiii",
        "9403 30",
        "Regulation (EU) 2025/2033",
        None,
    )
    assert (xviii.regime, xviii.entry) == ("eu-765-annex-xviii", "9403 30")
    assert screening.destinations == ("IR",)


def test_banned_goods_to_russia_are_prohibited_citing_the_annex_entry(to_russia: ShipmentScreening) -> None:
    assert to_russia.decision is Decision.PROHIBITED
    ban = next(
        r
        for r in to_russia.reasons
        if r.kind is ReasonKind.GOODS_EXPORT_BAN and r.rule and r.rule.regime == "eu-833-annex-vii"
    )
    assert ban.decision is Decision.PROHIBITED and ban.goods == (0,) and ban.party is None
    assert ban.rule and (ban.rule.entry, ban.rule.code) == ("8542 31", "854231")
    assert ban.rule.effective == dt.date(2023, 2, 25)
    assert ban.rule.added_by == "Regulation (EU) 2023/427" and ban.rule.coverage.value == "full"
    assert ban.legal_basis and ban.legal_basis.annex == "VII"
    assert ban.citation and ban.citation.startswith("Council Regulation (EU) No 833/2014, Annex VII Part B")
    assert any(r.kind is ReasonKind.DIVERSION_RISK and r.decision is Decision.REVIEW for r in to_russia.reasons)
    assert [r.decision.severity for r in to_russia.reasons] == sorted(
        (r.decision.severity for r in to_russia.reasons), reverse=True
    )
    assert to_russia.rules_version.model_dump() == load_rules().version.model_dump()
    assert ShipmentScreening.model_validate_json(to_russia.model_dump_json()) == to_russia


def test_a_sanctioned_consignee_is_prohibited_whatever_the_goods(shipments: ShipmentScreener) -> None:
    data = {
        "parties": [{"role": "consignee", "name": "Bank Melli Iran", "country": "DE"}],
        "goods": [{"hs_code": "090111", "description": "coffee"}],
        "route": {"origin": "DE", "destination": "DE"},
    }
    _, screening = published(shipments, data)
    assert screening.decision is Decision.PROHIBITED
    reason = next(r for r in screening.reasons if r.kind is ReasonKind.PARTY_SANCTIONED)
    assert reason.list_entry and reason.list_entry.entity_id in {"ofac-sdn:25578", "us-csl:25578"}
    [party] = screening.parties
    assert reason.list_entry.entity_id in {h.entity_id for h in party.hits}
    assert all(isinstance(h, PartyHit) and h.score >= screening.threshold for h in party.hits)
    assert ShipmentScreening.model_validate_json(screening.model_dump_json()) == screening


def test_the_json_keeps_the_field_names_consumers_read(
    example: tuple[ShipmentResult, ShipmentScreening], to_russia: ShipmentScreening
) -> None:
    data = example[1].model_dump(mode="json")
    screening_fields = {"algorithm", "config", "threshold", "list_version", "warnings", "screened_at"}
    assert set(data) == OLD_TOP - {"screening"} | screening_fields | {"rules_as_of"}
    assert data["algorithm"] == ALGORITHM and data["config"] == config_digest()
    assert data["screened_at"] == "2023-02-26T09:30:00Z" and data["list_version"] == {"digest": None, "sources": []}
    assert set(data["goods"][0]) == OLD_LINE | {"suggested"} and set(data["goods"][1]["classification"][0]) == {
        "code",
        "confidence",
    }
    assert set(data["goods"][0]["rules"][0]) == OLD_RULE
    assert set(data["parties"][0]) == OLD_PARTY
    assert OLD_ENTRY <= set(data["parties"][1]["hits"][0])
    annex_iv = next(r for r in data["reasons"] if r["kind"] == "annex_iv_end_user")
    assert set(annex_iv) == OLD_REASON and set(annex_iv["list_entry"]) == OLD_ENTRY
    assert set(annex_iv["legal_basis"]) == {"act", "annex", "article", "url"}
    assert set(data["rules_version"]) == {"name", "version", "sha256"}
    ban = to_russia.model_dump(mode="json")["reasons"][0]
    assert ban["decision"] == "prohibited" and ban["rule"]["effective"] == "2023-02-25"


def test_the_list_version_recorded_is_the_one_screened(shipments: ShipmentScreener) -> None:
    result = shipments.screen(read_shipment(EXAMPLE))
    snapshot = Snapshot(
        id=3,
        source="eu-annex-iv",
        published=dt.datetime(2023, 12, 18, tzinfo=dt.UTC),
        loaded_at=dt.datetime(2024, 1, 2, tzinfo=dt.UTC),
        sha256="0" * 64,
        files=(),
        origin="clearance.goods",
        entity_count=622,
        active=True,
    )
    fields: ScreeningFields = {**common(shipments), "list_version": ListVersionInfo.of(ListVersion((snapshot,)), NOW)}
    on_version = dataclasses.replace(result, snapshots={"eu-annex-iv": 3})
    [source] = ShipmentScreening.of(on_version, **fields).list_version.sources
    assert (source.source, source.snapshot_id, source.entities) == ("eu-annex-iv", 3, 622)
    with pytest.raises(ValueError, match="list_version names snapshots"):
        ShipmentScreening.of(result, **fields)
    lower: ScreeningFields = {**common(shipments), "threshold": result.threshold / 2}
    with pytest.raises(ValueError, match="screened at"):
        ShipmentScreening.of(result, **lower)


def test_a_result_with_an_unknown_field_is_refused(to_russia: ShipmentScreening) -> None:
    data = to_russia.model_dump(mode="json")
    with pytest.raises(ValueError, match="extra"):
        ShipmentScreening.model_validate({**data, "screening": {"snapshots": {}}})


def test_a_thermal_camera_is_classified_under_8525(camera: Classification) -> None:
    assert camera.description == CAMERA and camera.algorithm == CLASSIFIER
    assert camera.candidates and camera.candidates[0].code.startswith("8525")
    best = camera.candidates[0]
    assert best.confidence >= 0.8 and best.description.startswith("Television cameras")
    assert any(e.startswith("lexicon: ") for e in best.evidence)
    assert Classification.model_validate_json(camera.model_dump_json()) == camera
    data = camera.model_dump(mode="json")
    assert set(data) == {"description", "algorithm", "candidates"} and set(data["candidates"][0]) == OLD_CANDIDATE


def test_a_description_matching_nothing_has_no_confident_candidate() -> None:
    found = Classification.of("zzqx", classify("zzqx"))
    assert all(c.confidence < 0.5 for c in found.candidates)
    assert Classification.model_validate_json(found.model_dump_json()) == found


def test_schemas_are_json_and_describe_the_dumped_results(
    example: tuple[ShipmentResult, ShipmentScreening], camera: Classification
) -> None:
    declared = schemas()
    assert set(declared) == {"shipment.schema.json", "classification.schema.json"}
    assert json.loads(json.dumps(declared)) == declared
    shipment, classification = declared["shipment.schema.json"], declared["classification.schema.json"]
    for schema, model in ((shipment, example[1]), (classification, camera)):
        data = model.model_dump(mode="json")
        assert set(schema["required"]) <= set(data) == set(schema["properties"])
        assert schema["additionalProperties"] is False
    definitions = shipment["$defs"]
    assert set(definitions["PartyHit"]["properties"]) == set(example[1].parties[1].hits[0].model_dump())
    assert set(HitResult.model_fields) < set(definitions["PartyHit"]["properties"])
    assert set(definitions["ReasonResult"]["properties"]) == OLD_REASON
    assert definitions["Decision"]["enum"] == ["clear", "review", "licence_required", "prohibited"]
    assert set(definitions["ReasonKind"]["enum"]) == {k.value for k in ReasonKind}
    assert "ListVersionInfo" in definitions and "list_version" in shipment["required"]
    assert "list_version" not in classification["properties"]
