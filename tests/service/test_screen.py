"""Every screening over HTTP, on the real lists: the same results the facade gives, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from clearance.matching.screener import Band
from clearance.results import BatchRecord, PartyScreening

ROOT = Path(__file__).resolve().parents[2]
PAYMENTS = ROOT / "tests" / "text" / "data"
PROBLEM = "application/problem+json"


def test_a_listed_party_is_a_hit_with_its_list_version(open_client: TestClient) -> None:
    response = open_client.post("/screen/party", json={"name": "Vladimir Putin", "dob": "1952-10-07"})
    assert response.status_code == 200
    result = PartyScreening.model_validate_json(response.content)
    assert result.hits and result.hits[0].score >= 0.9
    assert "PUTIN" in result.hits[0].name.upper()
    served = open_client.get("/readyz").json()["list_version"]
    assert result.list_version.digest == served


def test_an_unlisted_party_is_clear(open_client: TestClient) -> None:
    result = open_client.post("/screen/party", json={"name": "Maschinenbau Mueller GmbH", "type": "organization"})
    assert result.status_code == 200
    assert result.json()["hits"] == []


def test_bad_input_is_a_problem_naming_the_field(open_client: TestClient) -> None:
    for body in ({"nam": "x"}, {"name": "Vladimir Putin", "dob": "1952-13-45"}, {"name": "  "}):
        response = open_client.post("/screen/party", json=body)
        assert response.status_code == 422, body
        assert response.headers["content-type"] == PROBLEM
        problem = response.json()
        assert problem["code"] == "bad_input" and problem["status"] == 422
        assert problem["detail"]
    assert "name" in open_client.post("/screen/party", json={"nam": "x"}).json()["detail"]
    assert (
        "dob"
        in open_client.post("/screen/party", json={"name": "Vladimir Putin", "dob": "1952-13-45"})
        .json()["detail"]
        .lower()
    )


def test_a_review_threshold_out_of_range_or_not_a_number_is_a_problem_naming_it(open_client: TestClient) -> None:
    for value in (1.5, -0.1, "0.7", True):
        response = open_client.post("/screen/party", json={"name": "Sberbank", "review_threshold": value})
        assert response.status_code == 422 and response.headers["content-type"] == PROBLEM, value
        assert "review_threshold" in response.json()["detail"], value


def test_a_review_threshold_brings_possible_matches_in_the_review_band(open_client: TestClient) -> None:
    body = {"name": "Sberbank", "review_threshold": 0.6, "limit": 40}
    result = PartyScreening.model_validate_json(open_client.post("/screen/party", json=body).content)
    assert result.review_threshold == 0.6 and {h.band for h in result.hits} == {Band.MATCH, Band.REVIEW}
    assert all((h.band is Band.MATCH) == (h.score >= result.threshold) and h.score >= 0.6 for h in result.hits)


def test_the_party_request_and_result_declare_review_threshold_and_bands(open_client: TestClient) -> None:
    schemas = open_client.get("/openapi.json").json()["components"]["schemas"]
    assert "review_threshold" in schemas["PartyRequest"]["properties"]
    assert {"band", "designation", "also"} <= set(schemas["HitResult"]["properties"])
    assert set(schemas["Band"]["enum"]) == {"match", "review", "partial"}


def test_a_batch_streams_one_line_per_line_sent_and_keeps_going_past_a_bad_one(open_client: TestClient) -> None:
    lines = [
        {"id": "c1", "name": "Aleksandr Lukashenko", "dob": "1954-08-30", "country": "BY"},
        "not json",
        {"id": "c3", "name": "Olaf Scholz", "country": "DE"},
        {"id": "c4", "name": "PJSC Sberbank of Russia", "type": "organization"},
    ]
    body = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    response = open_client.post("/screen/batch", content=body, headers={"content-type": "application/x-ndjson"})
    assert response.status_code == 200
    records = [BatchRecord.model_validate_json(line) for line in response.text.splitlines()]
    assert [r.id for r in records] == ["c1", "line 2", "c3", "c4"]
    assert records[0].hits and "LUKASHENK" in records[0].hits[0].name.upper()
    assert records[1].error and records[1].error.startswith("line 2:")
    assert not records[2].hits
    assert records[3].hits


def test_text_names_listed_parties(open_client: TestClient) -> None:
    text = (ROOT.parent / "shared" / "data" / "text" / "news-russia-weapons-sanctions-2023-02.txt").read_text()
    response = open_client.post("/screen/text", json={"text": text})
    assert response.status_code == 200
    mentions = response.json()["mentions"]
    assert mentions
    assert all(m["hits"] for m in mentions)


def test_payment_messages_as_sent(open_client: TestClient) -> None:
    listed = open_client.post(
        "/screen/payment",
        content=(PAYMENTS / "mt103_listed_beneficiary.txt").read_bytes(),
        headers={"content-type": "text/plain"},
    )
    assert listed.status_code == 200 and listed.json()["hit"] is True
    clean = open_client.post(
        "/screen/payment",
        content=(PAYMENTS / "pacs008_clean.xml").read_bytes(),
        headers={"content-type": "application/xml"},
    )
    assert clean.status_code == 200 and clean.json()["message"] == "pacs.008" and clean.json()["hit"] is False
    hostile = open_client.post(
        "/screen/payment",
        content=b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>',
        headers={"content-type": "application/xml"},
    )
    assert hostile.status_code == 422 and hostile.headers["content-type"] == PROBLEM
    assert "root:" not in hostile.text


def test_a_shipment_to_an_iranian_drone_maker_is_prohibited(open_client: TestClient) -> None:
    response = open_client.post(
        "/screen/shipment",
        content=(ROOT / "examples" / "shipment.json").read_bytes(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["decision"] == "prohibited"
    broken = open_client.post(
        "/screen/shipment", content=b'{"parties": 3}', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422 and "parties" in broken.json()["detail"]


def test_classify(open_client: TestClient) -> None:
    response = open_client.post("/classify", json={"description": "uncooled thermal imaging camera"})
    assert response.status_code == 200
    assert response.json()["candidates"][0]["code"].startswith("8525")


def test_lists_and_readiness(open_client: TestClient) -> None:
    assert open_client.get("/healthz").json() == {"status": "ok"}
    ready = open_client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    lists = open_client.get("/lists").json()
    assert {s["source"] for s in lists["sources"]} >= {"ofac-sdn", "eu", "uk", "un", "us-csl"}
    assert lists["serving"]["digest"] == ready.json()["list_version"]


def test_unknown_routes_are_problems_too(open_client: TestClient) -> None:
    response = open_client.get("/no/such/route")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM
