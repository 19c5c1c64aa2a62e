"""The published text and payment results: built from real screenings, round-tripped, and their schemas."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clearance.matching.algorithm import ALGORITHM, config_digest
from clearance.results import ListVersionInfo, hit_results
from clearance.store.list_store import Snapshot
from clearance.store.list_version import ListVersion
from clearance.text import TextScreener
from clearance.text.goods import named_goods
from clearance.text.payments import loads_payment, read_payment, screen_payment
from clearance.text.results import PaymentScreening, ScreeningFields, TextScreening, schemas

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2023, 2, 26, 9, 30, tzinfo=dt.UTC)
MEDVEDEV = "us-csl:36407"
KALASHNIKOV = "16911"
"""The Kalashnikov Concern's number on the OFAC lists (its entity id differs by list)."""


def common(screener: TextScreener) -> ScreeningFields:
    """What a front end records for a screener built outside a store."""
    return {"threshold": screener.threshold, "list_version": ListVersionInfo.of(None, NOW), "screened_at": NOW}


@pytest.fixture(scope="module")
def text_screening(text_screener: TextScreener, article: str) -> TextScreening:
    result = text_screener.screen(article)
    return TextScreening.of(article, result, named_goods(article), **common(text_screener))


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_article_round_trips(text_screening: TextScreening) -> None:
    assert TextScreening.model_validate_json(text_screening.model_dump_json()) == text_screening
    assert TextScreening.model_validate(text_screening.model_dump(mode="json")) == text_screening


def test_a_listed_person_in_the_article_is_a_mention_with_its_hit(
    text_screener: TextScreener, article: str, text_screening: TextScreening
) -> None:
    named = [m for m in text_screening.mentions if m.text == "Dmitry Medvedev"]
    assert len(named) == article.count("Dmitry Medvedev")
    for full in named:
        assert full.kind == "full" and article[full.start : full.end] == full.text
        assert [h.entity_id for h in full.hits] == [MEDVEDEV]
        assert full.hits[0].algorithm == ALGORITHM and full.hits[0].score >= text_screener.threshold
    mr = next(m for m in text_screening.mentions if m.start == article.index("Mr Medvedev") + 3)
    assert mr.kind == "surname" and mr.linked_to in {m.start for m in named}
    assert MEDVEDEV in {h.entity_id for h in mr.hits}
    full = named[0]
    domain = next(m for m in text_screener.screen(article).mentions if m.start == full.start)
    assert full.hits == hit_results(domain.hits)


def test_the_article_is_described_not_echoed(article: str, text_screening: TextScreening) -> None:
    query = text_screening.query
    assert query.characters == len(article) and query.sha256 == hashlib.sha256(article.encode()).hexdigest()
    assert query.words > 800
    sentence = max(article.splitlines(), key=len)
    assert len(sentence) > 150
    assert not any(sentence in s for s in strings(text_screening.model_dump(mode="json")))


def test_text_json_keeps_the_field_names_consumers_read(text_screening: TextScreening) -> None:
    data = text_screening.model_dump(mode="json")
    assert {"mentions", "weak", "ruled_out", "goods", "algorithm"} <= set(data)
    assert data["algorithm"] == ALGORITHM and data["config"] == config_digest()
    assert data["screened_at"] == "2023-02-26T09:30:00Z"
    assert set(data["mentions"][0]) == {"start", "end", "text", "kind", "linked_to", "notes", "hits"}
    assert set(data["ruled_out"][0]) == {"start", "end", "text", "entity_id", "reason"}
    assert set(data["goods"][0]) == {"start", "end", "text", "term", "codes", "note", "controls"}


def test_goods_and_ruled_out_candidates_are_published(text_screening: TextScreening) -> None:
    goods = {g.text.lower(): g for g in text_screening.goods}
    assert any("Annex VII" in c and "8542 31" in c for c in goods["integrated circuits"].controls)
    assert any(r.text == "Ministry of Defense" and "'British' names GB" in r.reason for r in text_screening.ruled_out)


def test_the_list_version_recorded_is_the_one_screened(text_screener: TextScreener) -> None:
    result = text_screener.screen("Talks with Vladimir Putin.")
    snapshot = Snapshot(
        id=7,
        source="us-csl",
        published=dt.datetime(2023, 2, 24, tzinfo=dt.UTC),
        loaded_at=dt.datetime(2023, 2, 25, tzinfo=dt.UTC),
        sha256="0" * 64,
        files=(),
        origin="https://data.trade.gov/",
        entity_count=12000,
        active=True,
    )
    version = ListVersionInfo.of(ListVersion((snapshot,)), NOW)
    fields: ScreeningFields = {**common(text_screener), "list_version": version}
    on_version = dataclasses.replace(result, snapshots={"us-csl": 7})
    [source] = TextScreening.of("Talks with Vladimir Putin.", on_version, [], **fields).list_version.sources
    assert (source.source, source.snapshot_id, source.age_days) == ("us-csl", 7, 2.4)
    with pytest.raises(ValueError, match="list_version names snapshots"):
        TextScreening.of("Talks with Vladimir Putin.", result, [], **fields)


def payment_screening(name: str, text_screener: TextScreener) -> PaymentScreening:
    payment = read_payment(DATA / name)
    result = screen_payment(payment, text_screener.screener, text_screener)
    return PaymentScreening.of(payment, result, **common(text_screener))


@pytest.mark.parametrize(
    ("name", "hit"),
    [
        ("mt103_clean.txt", False),
        ("mt103_listed_beneficiary.txt", True),
        ("mt103_listed_in_remittance.txt", True),
        ("pacs008_clean.xml", False),
        ("pacs008_listed_creditor.xml", True),
        ("pacs008_listed_in_remittance.xml", True),
        ("mt103_swift_example.txt", False),
        ("pacs009cov_envelope.xml", False),
    ],
)
def test_payments_round_trip(text_screener: TextScreener, name: str, hit: bool) -> None:
    screening = payment_screening(name, text_screener)
    assert screening.hit is hit
    assert PaymentScreening.model_validate_json(screening.model_dump_json()) == screening


def test_a_listed_beneficiary_is_a_hit_on_its_party(text_screener: TextScreener) -> None:
    screening = payment_screening("mt103_listed_beneficiary.txt", text_screener)
    assert screening.hit and screening.decision == "hit"
    assert (screening.message, screening.reference) == ("MT103", "CLR2023022501")
    assert (screening.sender, screening.receiver, screening.definition) == ("DEUTDEFF", "RZBAATWW", "MT103")
    beneficiary = next(p for p in screening.parties if p.role == "beneficiary")
    assert (beneficiary.field, beneficiary.name, beneficiary.country) == (":59:", "KALASHNIKOV CONCERN", "RU")
    assert beneficiary.account == "RU0204452560040702810412345678901"
    assert beneficiary.text.splitlines()[1] == "KALASHNIKOV CONCERN"
    [designation] = [h for h in beneficiary.hits if h.designation == f"ofac:{KALASHNIKOV}"]
    assert {e.entity_id for e in designation.entities} == {f"ofac-sdn:{KALASHNIKOV}", f"us-csl:{KALASHNIKOV}"}
    assert (designation.name, designation.via, designation.partial) == ("KALASHNIKOV CONCERN", "name", False)
    ordering = next(p for p in screening.parties if p.role == "ordering customer")
    assert ordering.hits == () and ordering.bic is None
    agent = next(p for p in screening.parties if p.role == "account with institution")
    assert (agent.field, agent.name, agent.bic, agent.country) == (":57A:", None, "RZBAATWW", "AT")
    [text] = screening.texts
    assert (text.field, text.role) == (":70:", "remittance information") and text.mentions == ()
    data = screening.model_dump(mode="json")
    assert {"message", "reference", "decision", "hit", "parties", "texts", "anomalies"} <= set(data)
    assert set(data["parties"][0]) == {
        "field", "role", "text", "name", "country", "bic", "account", "address", "hits", "anomalies"
    }  # fmt: skip


def test_anomalies_are_published_on_their_field(text_screener: TextScreener) -> None:
    screening = payment_screening("mt103_listed_repeated_59.txt", text_screener)
    second = next(p for p in screening.parties if p.field == ":59:[2]")
    [anomaly] = second.anomalies
    assert (anomaly.code, anomaly.review) == ("repeated", True)
    assert set(anomaly.model_dump()) == {"field", "code", "detail", "review"}
    assert PaymentScreening.model_validate_json(screening.model_dump_json()) == screening


def test_a_listed_name_in_remittance_text_is_a_hit(text_screener: TextScreener) -> None:
    screening = payment_screening("pacs008_listed_in_remittance.xml", text_screener)
    assert screening.hit and all(not p.hits for p in screening.parties)
    [text] = screening.texts
    [mention] = text.mentions
    assert mention.text == "Kalashnikov Concern" and KALASHNIKOV in {h.entity_id.split(":")[1] for h in mention.hits}


def test_a_payment_result_is_published_only_with_its_own_message(text_screener: TextScreener) -> None:
    listed = read_payment(DATA / "mt103_listed_beneficiary.txt")
    result = screen_payment(read_payment(DATA / "mt103_clean.txt"), text_screener.screener, text_screener)
    with pytest.raises(ValueError, match="not 'CLR2023022501'"):
        PaymentScreening.of(listed, result, **common(text_screener))


def test_schemas_are_json_and_describe_the_dumped_results(
    text_screener: TextScreener, text_screening: TextScreening
) -> None:
    published = schemas()
    assert set(published) == {"text.schema.json", "payment.schema.json"}
    assert json.loads(json.dumps(published)) == published
    payment = payment_screening("pacs008_listed_in_remittance.xml", text_screener)
    for schema, model in ((published["text.schema.json"], text_screening), (published["payment.schema.json"], payment)):
        data = model.model_dump(mode="json")
        assert set(schema["required"]) <= set(data) == set(schema["properties"])
        assert schema["additionalProperties"] is False
        assert type(model).model_validate_json(json.dumps(data)) == model
    definitions = published["text.schema.json"]["$defs"]
    assert set(definitions["MentionResult"]["properties"]) == set(text_screening.mentions[0].model_dump())
    assert definitions["MentionResult"]["properties"]["kind"]["enum"] == ["full", "surname", "weak"]
    assert "HitResult" in definitions and "ListVersionInfo" in definitions


def test_a_result_with_an_unknown_field_is_refused(text_screening: TextScreening) -> None:
    data = text_screening.model_dump(mode="json")
    with pytest.raises(ValueError, match="extra"):
        TextScreening.model_validate({**data, "snapshots": {}})


def test_a_texts_mentions_are_one_hit_per_designation(text_screener: TextScreener) -> None:
    text = "The order was placed with Rosoboronexport, which the buyer paid through a bank in Dubai."
    screening = TextScreening.of(text, text_screener.screen(text), [], **common(text_screener))
    [mention] = [m for m in screening.mentions if m.text == "Rosoboronexport"]
    ofac = next(h for h in mention.hits if h.designation == "ofac:18782")
    assert {a.entity_id for a in ofac.also} | {ofac.entity_id} == {
        "ofac-cons:18782", "ofac-sdn:18782", "us-csl:18782", "us-csl:18782:SSI"
    }  # fmt: skip
    entries = [entity for hit in mention.hits for entity in hit.entity_ids]
    assert len(entries) == len(set(entries)) and len(mention.hits) < len(entries)
    assert all(hit.band == "match" for hit in mention.hits)


def test_a_payment_to_a_un_designation_is_one_finding_with_ofacs_entries(text_screener: TextScreener) -> None:
    message = (DATA / "mt103_listed_beneficiary.txt").read_text(encoding="utf-8")
    message = message.replace("KALASHNIKOV CONCERN", "ABDUL REHMAN MAKKI").replace("IZHEVSK RUSSIA", "LAHORE PAKISTAN")
    payment = loads_payment(message.encode(), "payment")
    screening = PaymentScreening.of(
        payment, screen_payment(payment, text_screener.screener, text_screener), **common(text_screener)
    )
    beneficiary = next(p for p in screening.parties if p.role == "beneficiary")
    [designation] = [h for h in beneficiary.hits if h.designation == "un:QDi.433"]
    assert {e.entity_id for e in designation.entities} == {"un:QDi.433", "ofac-sdn:12295", "us-csl:12295"}
    assert (designation.partial, designation.band) == (False, "match")
    assert not [h for h in beneficiary.hits if h.designation.startswith("ofac:12295")]
