"""Recording real screenings: the input, the result, the list version, who and when; alerts grouped into cases."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from clearance.app import Clearance
from clearance.cases import acting_as
from clearance.cases.models import CaseStatus
from clearance.matching import ALGORITHM, Party
from clearance.matching.algorithm import config_digest
from clearance.settings import Settings

TEXT_DATA = Path(__file__).resolve().parents[1] / "text" / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def screenings(app: Clearance) -> list[tuple[object, ...]]:
    with app.cases.store.read() as tx:
        return tx.all(
            "SELECT id, kind, subject, input, input_sha256, result, result_sha256, list_version, snapshots,"
            " algorithm, config_digest, requested_by, screened_at FROM screenings ORDER BY id"
        )


def test_listed_names_open_cases_and_clean_names_do_not(app: Clearance) -> None:
    with acting_as("kim"):
        putin = app.screen(Party("Vladimir Putin"))
        mahan = app.screen(Party("Mahan Air"))
        clean = [app.screen(Party(name)) for name in ("Olaf Scholz", "Ingrid Marie Solberg-Haugen")]
    assert putin.hits and mahan.hits and not any(r.hits for r in clean)
    cases = app.cases.workflow.list_cases()
    assert [(c.label, c.status) for c in cases] == [("Vladimir Putin", CaseStatus.OPEN), ("Mahan Air", CaseStatus.OPEN)]
    mahan_case = app.cases.workflow.show(cases[1].id)
    assert {a.entity_id for a in mahan_case.alert_list} == {h.entity_id for h in mahan.hits if h.score >= 0.8}
    # One alert per designation: OFAC's record 12927 is on the SDN list and in the CSL, and alerted once.
    assert "ofac-sdn:12927" in {a.entity_id for a in mahan_case.alert_list}
    assert "us-csl:12927" not in {a.entity_id for a in mahan_case.alert_list}
    assert "us-csl:12927" in next(h for h in mahan.hits if h.entity_id == "ofac-sdn:12927").entity_ids
    digests = app.store.record_digests([(a.snapshot_id or 0, a.entity_id) for a in mahan_case.alert_list])
    assert all(digests[(a.snapshot_id or 0, a.entity_id)] == a.entity_sha256 for a in mahan_case.alert_list)
    assert [e.event for e in mahan_case.events] == ["case_opened"] + ["alert_raised"] * len(mahan_case.alert_list)

    rows = screenings(app)
    assert len(rows) == 4 and [r[1] for r in rows] == ["party"] * 4
    _, _, subject, data, data_sha, result, result_sha, version, snapshots, algorithm, config, by, at = rows[0]
    assert subject == "party:vladimir putin" and by == "kim"
    assert json.loads(str(data))["party"]["name"] == "Vladimir Putin"
    assert hashlib.sha256(str(data).encode()).hexdigest() == data_sha
    assert hashlib.sha256(str(result).encode()).hexdigest() == result_sha
    assert json.loads(str(result))["hits"][0]["entity_id"] == putin.hits[0].entity_id
    assert version == putin.list_version.digest
    assert json.loads(str(snapshots)) == {s.source: s.snapshot_id for s in putin.list_version.sources}
    assert (algorithm, config) == (ALGORITHM, config_digest()) and str(at).startswith(str(putin.screened_at.year))


def test_an_open_alert_is_not_raised_twice(app: Clearance) -> None:
    for _ in range(3):
        app.screen(Party("Mahan Air"))
    (case,) = app.cases.workflow.list_cases()
    assert len(screenings(app)) == 3 and case.alerts == len(app.cases.workflow.show(case.id).alert_list)
    assert case.alerts == len({h.entity_id for h in app.screen(Party("Mahan Air")).hits if h.score >= 0.8})


def test_only_hits_in_the_review_band_alert(listed_home: Path, case_url: str) -> None:
    settings = Settings(home=listed_home, database_url=case_url, record=True, review_threshold=0.95)
    with Clearance(settings) as app:
        result = app.screen(Party("Mahan Air"))
        (case,) = app.cases.workflow.list_cases()
        alerts = app.cases.workflow.show(case.id).alert_list
    assert any(h.score < 0.95 for h in result.hits)
    assert {a.entity_id for a in alerts} == {h.entity_id for h in result.hits if h.score >= 0.95}


def test_digest_mode_keeps_only_the_inputs_digest(listed_home: Path, case_url: str) -> None:
    settings = Settings(home=listed_home, database_url=case_url, record=True, record_input="digest")
    with Clearance(settings) as app:
        app.screen(Party("Mahan Air", country="IR"))
        ((_, _, _, data, data_sha, result, *_),) = screenings(app)
    assert data is None and len(str(data_sha)) == 64
    assert "query" not in json.loads(str(result)) and json.loads(str(result))["hits"]


def test_not_recording_writes_nothing(listed_home: Path, case_url: str) -> None:
    with Clearance(Settings(home=listed_home, database_url=case_url)) as app:
        app.screen(Party("Mahan Air"))
        assert screenings(app) == [] and app.cases.workflow.list_cases() == []


def test_text_payment_shipment_and_batch_are_recorded(app: Clearance, lists_dir: Path, tmp_path: Path) -> None:
    from clearance.matching.batch import read_rows

    article = (lists_dir.parent / "text" / "news-russia-weapons-sanctions-2023-02.txt").read_bytes()
    text = app.screen_text(article, "article")
    payment = app.screen_payment(TEXT_DATA / "mt103_listed_beneficiary.txt")
    shipment = app.screen_shipment(EXAMPLES / "shipment.json")
    batch = list(app.screen_rows(read_rows(EXAMPLES / "parties.csv")))
    rows = screenings(app)
    assert [r[1] for r in rows] == ["text", "payment", "shipment"] + ["batch"] * len(batch)
    assert json.loads(str(rows[0][3]))["text"].startswith(article.decode("utf-8-sig")[:40])
    assert "KALASHNIKOV CONCERN" in json.loads(str(rows[1][3]))["message"]
    kinds = {c.kind: c for c in app.cases.workflow.list_cases()}
    assert text.mentions and payment.decision == "hit" and shipment.parties
    assert {"text", "payment", "batch"} <= set(kinds)
    paid = app.cases.workflow.show(kinds["payment"].id)
    assert paid.subject == f"payment:{payment.reference}"
    assert any("KALASHNIKOV" in a.name.upper() for a in paid.alert_list)
    rows_with_hits = {r.id for r in batch if any(h.score >= 0.8 for h in r.hits)}
    batch_cases = {c.subject for c in app.cases.workflow.list_cases() if c.kind == "batch"}
    assert batch_cases == {f"row:{row}" for row in rows_with_hits} and "row:c3" not in batch_cases
