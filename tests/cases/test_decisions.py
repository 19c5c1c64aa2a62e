"""Remembered false positives: suppressed while the subject and the listed entity stay the same, re-opened after."""

from __future__ import annotations

import csv
from pathlib import Path

from clearance.app import Clearance
from clearance.cases.models import AlertStatus, CaseStatus, DecisionKind
from clearance.matching import Party
from clearance.matching.batch import read_rows
from clearance.settings import Settings

FP = DecisionKind.FALSE_POSITIVE


def alerts(app: Clearance, where: str = "1 = 1") -> list[tuple[object, ...]]:
    with app.cases.store.read() as tx:
        return tx.all(
            "SELECT id, case_id, subject, entity_id, status, decision_id, reopens FROM alerts"
            f" WHERE {where} ORDER BY id"
        )


def decide_all(app: Clearance) -> None:
    """Every undecided case a false positive; the four-eyes ones approved by a second user."""
    workflow = app.cases.workflow
    for case in workflow.list_cases(CaseStatus.OPEN):
        if workflow.decide(case.id, FP, "not our customer", "alice").status is CaseStatus.PENDING_APPROVAL:
            workflow.approve(case.id, "bob")


def test_a_false_positive_is_suppressed_until_the_subjects_record_changes(app: Clearance) -> None:
    app.screen(Party("Vladimir Putin"))
    (case,) = app.cases.workflow.list_cases()
    decided = app.cases.workflow.decide(case.id, FP, "another Vladimir Putin, a client since 1999", "alice")
    decision_id = decided.decisions[0].id

    app.screen(Party("Vladimir  PUTIN"))  # the same record, normalised
    suppressed = alerts(app, f"status = '{AlertStatus.SUPPRESSED.value}'")
    assert [(a[1], a[3], a[5]) for a in suppressed] == [(None, "us-csl:35096", decision_id)]
    assert len(app.cases.workflow.list_cases()) == 1
    assert app.cases.workflow.show(case.id).events[-1].event == "alert_suppressed"

    app.screen(Party("Vladimir Putin", country="RU"))  # the record changed: the alert re-opens
    (reopened,) = alerts(app, f"status = '{AlertStatus.OPEN.value}'")
    assert reopened[3] == "us-csl:35096" and reopened[6] == decision_id
    new_case = app.cases.workflow.show(int(str(reopened[1])))
    assert new_case.id != case.id and new_case.status is CaseStatus.OPEN
    raised = next(e for e in new_case.events if e.event == "alert_raised")
    assert raised.data["reopens"] == decision_id and raised.data["why"] == "the subject's record changed"

    app.screen(Party("Vladimir Putin"))  # back to the record decided on: suppressed again
    assert len(alerts(app, f"status = '{AlertStatus.SUPPRESSED.value}'")) == 2


def test_a_change_to_the_listed_entity_reopens_the_alert(listed_copy: Path, case_url: str) -> None:
    """un:HTi.006 changed between the two UN versions (its remarks lost a link)."""
    settings = Settings(home=listed_copy, database_url=case_url, record=True)
    with Clearance(settings) as app:
        old, new = app.snapshots("un")[-2:]
        app.activate(old.id)
        first = app.screen(Party("Victor Prophane"))
        assert "un:HTi.006" in {h.entity_id for h in first.hits}
        decide_all(app)
        app.activate(new.id)
        second = app.screen(Party("Victor Prophane"))
        assert "un:HTi.006" in {h.entity_id for h in second.hits}
        opened = alerts(app, f"status = '{AlertStatus.OPEN.value}'")
        suppressed = alerts(app, f"status = '{AlertStatus.SUPPRESSED.value}'")
        events = app.cases.workflow.show(int(str(opened[0][1]))).events
    assert [a[3] for a in opened] == ["un:HTi.006"]  # the entry of the other lists did not change
    assert {a[3] for a in suppressed} == {h.entity_id for h in second.hits if h.score >= 0.8} - {"un:HTi.006"}
    raised = next(e for e in events if e.event == "alert_raised")
    assert raised.data["why"] == "the listed entity changed" and raised.data["reopens"] == opened[0][6]


def _batch(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "name", "type", "country"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_rescreening_a_decided_batch_realerts_only_the_changed_pairs(app: Clearance, tmp_path: Path) -> None:
    listed = [e for e in app.store.active_entities(["un"]) if e.kind.value == "person"][:60]
    firsts = ("Anna", "Lukas", "Sofia", "Jonas", "Elena", "Mateo", "Ingrid", "Tomasz", "Chiara", "Pieter")
    lasts = ("Berger", "Lindqvist", "Moreau", "Kowalczyk", "Van Dijk", "Rossi", "Haugen", "Novak")
    rows = [{"id": f"L{n}", "name": e.name, "type": "", "country": ""} for n, e in enumerate(listed)]
    rows += [
        {"id": f"C{n}", "name": f"{first} {last}", "type": "person", "country": ""}
        for n, (first, last) in enumerate((f, la) for f in firsts for la in lasts)
    ]
    rows += [
        {"id": f"D{n}", "name": f"{last} {first} Trading", "type": "", "country": ""}
        for n, (first, last) in enumerate((f, la) for f in firsts for la in lasts)
    ]
    before = list(app.screen_rows(read_rows(_batch(tmp_path / "before.csv", rows))))
    raised_first = alerts(app)
    assert len(before) == len(rows) >= 200 and raised_first
    decide_all(app)

    alerted_rows = sorted({str(a[2]) for a in raised_first})
    changed = {subject.removeprefix("row:") for subject in alerted_rows[::5]}
    for row in rows:
        if row["id"] in changed:
            row["type"] = "person"  # the same people, their records now say so
    after = list(app.screen_rows(read_rows(_batch(tmp_path / "after.csv", rows))))
    second = alerts(app, f"id > {raised_first[-1][0]}")
    opened = [a for a in second if a[4] == AlertStatus.OPEN.value]
    suppressed = [a for a in second if a[4] == AlertStatus.SUPPRESSED.value]
    expected_open = {(f"row:{r.id}", h.entity_id) for r in after if r.id in changed for h in r.hits if h.score >= 0.8}
    assert {(a[2], a[3]) for a in opened} == expected_open and opened
    assert all(a[6] is not None for a in opened)  # each names the decision it re-opens
    assert {(a[2], a[3]) for a in suppressed} == {
        (a[2], a[3]) for a in raised_first if a[2] not in {f"row:{c}" for c in changed}
    }
