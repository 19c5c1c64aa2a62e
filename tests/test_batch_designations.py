"""Batch output grouped by designation: a JSON line's hits and a CSV's rows are one per listed party, with its band."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from clearance.batch_output import HIT_COLUMNS, Layout, OutputFormat, render
from clearance.matching import Party, Screener
from clearance.results import BatchRecord, PartyQuery, hit_results

NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def record(screener: Screener) -> BatchRecord:
    party = Party("Rosoboronexport")
    hits = hit_results(screener.screen(party, limit=40))
    return BatchRecord(
        id="r1", query=PartyQuery.of(party), hits=hits, threshold=0.8, list_version=None, screened_at=NOW
    )


def test_a_json_line_has_one_hit_per_designation_with_the_other_lists(record: BatchRecord) -> None:
    [line] = render(Layout(OutputFormat.jsonl), [record]).splitlines()
    hits = json.loads(line)["hits"]
    ofac = next(hit for hit in hits if hit["designation"] == "ofac:18782")
    assert [(a["entity_id"], a["band"]) for a in ofac["also"]] == [
        ("ofac-sdn:18782", "match"),
        ("us-csl:18782", "match"),
        ("us-csl:18782:SSI", "match"),
    ]
    assert all(hit["band"] == "match" for hit in hits)
    assert not {a["entity_id"] for a in ofac["also"]} & {hit["entity_id"] for hit in hits}
    assert BatchRecord.model_validate_json(line) == record


def test_a_csv_row_per_designation_with_its_band_and_other_lists(record: BatchRecord) -> None:
    text = render(Layout(OutputFormat.csv), [record])
    table = list(csv.DictReader(io.StringIO(Layout(OutputFormat.csv).header() + text, newline="")))
    assert tuple(table[0]) == HIT_COLUMNS
    assert len(table) == len(record.hits) and {row["band"] for row in table} == {"match"}
    ofac = next(row for row in table if row["entity_id"] == "ofac-cons:18782")
    assert ofac["also"] == "ofac-sdn:18782; us-csl:18782; us-csl:18782:SSI"
    # The EU's own entry, with the State Department's entry naming it as the EU does (Rosoboronexport OJSC).
    assert next(row for row in table if row["list"] == "eu-annex-iv")["also"] == (
        "us-csl:2be713eb08a8a1ac56347669ae65d546e35a370a"
    )


def test_a_row_without_hits_leaves_band_and_others_empty() -> None:
    skipped = BatchRecord(
        id="r2", query=None, error="line 3: name: empty", threshold=0.8, list_version=None, screened_at=NOW
    )
    [row] = csv.DictReader(io.StringIO(Layout(OutputFormat.csv).header() + render(Layout(OutputFormat.csv), [skipped])))
    assert row["band"] == row["also"] == row["entity_id"] == "" and row["error"] == "line 3: name: empty"
