"""The facade over one home: every capability through `Clearance`, on the real lists."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.errors import ConflictError, InputError, UnavailableError
from clearance.export import ExportFormat
from clearance.matching import Party
from clearance.results import PartyScreening

UN_OLD = "un/UN_consolidated_2025-11-20.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"
SDN = "ofac/sdn_csv_2021-07-07"
TEXT_DATA = Path(__file__).resolve().parent / "text" / "data"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Clearance:
    clearance = Clearance.open(tmp_path_factory.mktemp("home"), max_age_days=30.0)
    clearance.load("un", lists_dir / UN_OLD)
    clearance.load("un", lists_dir / UN_NEW)
    clearance.load("ofac-sdn", lists_dir / SDN)
    return clearance


def test_screening_a_party_records_the_list_version_and_stale_lists(app: Clearance) -> None:
    result = app.screen(Party("RI WON HO", dob="1964-07-17", country="KP"))
    assert isinstance(result, PartyScreening) and result.query.name == "RI WON HO"
    sources = {s.source: s for s in result.list_version.sources}
    assert set(sources) == {"un", "ofac-sdn"}
    hit = next(h for h in result.hits if "un:KPi.033" in h.entity_ids)  # one designation, on both lists
    assert hit.designation == "un:KPi.033" and {other.source for other in hit.also} | {hit.source} == {"un", "ofac-sdn"}
    assert hit.snapshot_id == sources[hit.source].snapshot_id
    assert result.screened_at.tzinfo is not None and result.screened_at.utcoffset() == dt.timedelta(0)
    assert any(w.startswith("un is ") for w in result.warnings)  # published 2026-02-27, older than 30 days
    assert PartyScreening.model_validate_json(result.model_dump_json()) == result


def test_a_bad_query_is_refused(app: Clearance) -> None:
    with pytest.raises(InputError, match="name: empty"):
        app.screen(Party("  "))
    with pytest.raises(InputError, match="country: not a country"):
        app.screen(Party("Putin", country="Atlantis"))


def test_one_screener_per_list_version(app: Clearance, lists_dir: Path) -> None:
    first = app.screener()
    assert app.screener() is first
    new = next(s for s in app.snapshots("un") if s.active)
    old = next(s for s in app.snapshots("un") if not s.active)
    app.activate(old.id)
    try:
        assert app.screener() is not first and app.screener().snapshots["un"] == old.id
    finally:
        app.activate(new.id)
    assert app.screener().snapshots["un"] == new.id


def test_lists_decisions_live_in_the_facade(app: Clearance) -> None:
    diff = app.diff("un")
    assert diff.new_snapshot == next(s.id for s in app.snapshots("un") if s.active)
    with pytest.raises(ConflictError, match="fewer than two snapshots"):
        app.diff("ofac-sdn")
    with pytest.raises(InputError, match="both OLD and NEW"):
        app.diff("un", 1)
    with pytest.raises(InputError, match="give the watchlist a name"):
        app.load("custom", TEXT_DATA / "parties.csv")
    rows = {row.source: row for row in app.status(["un", "ofac-sdn", "eu"])}
    assert rows["eu"].snapshot is None and rows["un"].stale and not rows["eu"].stale


def test_text_payments_and_export(app: Clearance) -> None:
    with pytest.raises(InputError, match="binary data"):
        app.screen_text(b"RI WON HO\x00\x01", "upload.bin")
    text = app.screen_text(b"Payment for RI WON HO, Pyongyang.", "note.txt", goods=False)
    assert any("un:KPi.033" in h.entity_ids for m in text.mentions for h in m.hits)
    payment = app.screen_payment(TEXT_DATA / "mt103_clean.txt")
    assert payment.message == "MT103" and payment.list_version.digest
    out = io.StringIO()
    assert app.export(ExportFormat.JSONL, out, ["un"]) == 1_003
    assert json.loads(out.getvalue().splitlines()[0])["source"] == "un"


def test_no_lists_is_unavailable(tmp_path: Path) -> None:
    with Clearance.open(tmp_path) as empty, pytest.raises(UnavailableError, match="no list store here"):
        empty.screen(Party("Vladimir Putin"))
    assert not (tmp_path / "lists.sqlite").exists()


def test_every_result_names_the_official_lists_it_does_not_cover(app: Clearance) -> None:
    missing = {"eu", "uk", "ofac-cons", "us-csl"}
    party = app.screen(Party("RI WON HO"))
    text = app.screen_text("A payment to RI WON HO.", goods=False)
    payment = app.screen_payment(TEXT_DATA / "mt103_clean.txt")
    records = list(app.screen_rows([(2, {"id": "1", "name": "RI WON HO"})]))
    for warnings in (party.warnings, text.warnings, payment.warnings, records[0].warnings):
        named = {w.split()[0] for w in warnings if "is not loaded" in w}
        assert named == missing, warnings


def test_the_expected_sources_are_a_setting(tmp_path: Path, lists_dir: Path) -> None:
    with Clearance.open(tmp_path, expected_sources=("un",)) as only_un:
        only_un.load("un", lists_dir / UN_NEW)
        assert not [w for w in only_un.screen(Party("RI WON HO")).warnings if "not loaded" in w]


def test_bundled_data_alone_is_no_official_list(tmp_path: Path) -> None:
    with Clearance.open(tmp_path) as bundled_only:
        (outcome,) = bundled_only.update(["eu-annex-iv"])
        assert outcome.result is not None
        with pytest.raises(UnavailableError, match="no official list is loaded"):
            bundled_only.screen(Party("Mahan Air"))
