"""Delta re-screening on the real UN update (2025-11-20 to 2026-02-27: 4 added, 1 removed, 2 changed): the new
alerts are exactly those a full screening gives that were not alerted before."""

from __future__ import annotations

from pathlib import Path

from clearance.app import Clearance
from clearance.matching.batch import read_rows
from clearance.register import Register, Rescreen, RescreenReport
from clearance.register.keys import entity_keys
from clearance.register.rescreen import alerting
from clearance.results import BatchRecord
from tests.register.conftest import HEADER, un_snapshots

Pairs = set[tuple[str, str]]


def rescreen(home: Path, full: bool = False) -> tuple[RescreenReport, list[BatchRecord]]:
    written: list[BatchRecord] = []
    with Clearance.open(home) as clearance, Register.open(home) as register:
        job = Rescreen(clearance, register, full=full)
        job.run(written.append)
        return job.commit(), written


def pairs(records: list[BatchRecord]) -> Pairs:
    """Every (subject, list entry) alerted: each designation's lead and its other lists' entries."""
    return {(record.id, entity) for record in records for hit in record.hits for entity, _, _ in alerting(hit)}


def full_screening(home: Path, path: Path) -> Pairs:
    """What screen-batch finds for every row of a file on the active lists: the reference."""
    with Clearance.open(home) as clearance:
        return pairs(list(clearance.screen_rows(read_rows(path))))


def activate_newer(home: Path) -> Path:
    """Activate the newer UN list; a copy of the register as it is then, to re-screen twice from the same state."""
    _, newer = un_snapshots(home)
    with Clearance.open(home) as clearance:
        clearance.activate(newer)
    kept = home / "register-kept.duckdb"
    kept.write_bytes((home / "register.duckdb").read_bytes())
    return kept


def test_a_fresh_register_is_screened_in_full(old_home: Path, before_file: Path) -> None:
    with Register.open(old_home) as register:
        register.load(before_file)
    report, records = rescreen(old_home)
    assert report.full and report.why == "first screening of this register"
    assert report.screened == report.subjects == 11
    assert pairs(records) == full_screening(old_home, before_file)
    assert ("c04", "un:IQi.074") in pairs(records)  # listed in the older UN list only
    assert not {pair for pair in pairs(records) if pair[1].startswith("un:SDi.")}  # not listed yet
    again, nothing = rescreen(old_home)
    assert not again.full and again.screened == 0 and nothing == []


def test_after_the_update_only_new_alerts_and_exactly_those(
    old_home: Path, before_file: Path, after_file: Path
) -> None:
    with Register.open(old_home) as register:
        register.load(before_file)
    _, first = rescreen(old_home)
    known = pairs(first)
    with Register.open(old_home) as register:
        register.load(after_file)
    _, newer = un_snapshots(old_home)
    with Clearance.open(old_home) as clearance:
        clearance.activate(newer)

    report, records = rescreen(old_home)

    expected = full_screening(old_home, after_file) - known
    assert pairs(records) == expected
    assert {("c05", "un:SDi.009"), ("c07", "un:SDi.007"), ("c12", "un:SDi.010")} <= expected
    assert not report.full
    assert (report.added, report.removed, report.changed, report.unscreened_changes) == (4, 1, 0, 2)
    assert report.due == 4  # c05 and c11 changed, c12 and c13 new; c01 only respelled its country
    assert report.screened < report.subjects == 12
    assert {"c05", "c07", "c12"} <= {record.id for record in records}
    # The alert on the entity the newer list removed is dropped, and counted.
    assert report.delisted == 1
    with Register.open(old_home) as register:
        kept = register.alerts()
    assert ("c04", "un:IQi.074") not in kept
    assert kept == {pair for pair in known if pair[0] != "c09" and pair[1] != "un:IQi.074"} | expected


def test_the_delta_equals_a_full_rescreening(old_home: Path, before_file: Path, after_file: Path) -> None:
    """The same update screened twice from the same register, once by delta and once in full: the same alerts."""
    with Register.open(old_home) as register:
        register.load(before_file)
    rescreen(old_home)
    with Register.open(old_home) as register:
        register.load(after_file)
    kept = activate_newer(old_home)

    delta, delta_records = rescreen(old_home)
    (old_home / "register.duckdb").write_bytes(kept.read_bytes())
    full, full_records = rescreen(old_home, full=True)

    assert not delta.full and full.full and full.why == "asked for (--full)"
    assert delta.screened < full.screened
    assert pairs(delta_records) == pairs(full_records)
    assert [r.model_dump(exclude={"screened_at"}) for r in delta_records] == [
        r.model_dump(exclude={"screened_at"}) for r in full_records
    ]


def test_a_new_threshold_screens_in_full(old_home: Path, before_file: Path) -> None:
    with Register.open(old_home) as register:
        register.load(before_file)
    rescreen(old_home)
    with Clearance.open(old_home) as clearance, Register.open(old_home) as register:
        job = Rescreen(clearance, register, threshold=0.7)
        assert job.report.full and "threshold" in job.report.why


def test_a_removed_entity_displaces_only_the_subjects_it_was_a_candidate_of(old_home: Path, tmp_path: Path) -> None:
    """MUNIR AL QUBAYSI (un:IQi.074) leaves the newer UN list. Ali Al Hassan shares a key with it (`al`) and the
    candidate limit cut its candidates, but it was not among them: the removal frees none of its places, and it
    is not screened again. Hassan Al Munir, whose best candidate it was, shares a rarer name whose weight the
    removal moved, and is."""
    path = tmp_path / "customers.csv"
    path.write_text(HEADER + "d1,Ali Al Hassan,person,,\nd2,Hassan Al Munir,person,,\n", encoding="utf-8")
    with Register.open(old_home) as register:
        register.load(path)
    rescreen(old_home)
    with Clearance.open(old_home) as clearance, Register.open(old_home) as register:
        removed = clearance.store.entity("un:IQi.074", un_snapshots(old_home)[0])
        assert {"d1", "d2"} <= register.sharing(entity_keys([removed], clearance.screener().index))
        assert register.uncrowded(["un:IQi.074"]) == set()  # both crowded: the limit cut their candidates
    kept = activate_newer(old_home)

    with Clearance.open(old_home) as clearance, Register.open(old_home) as register:
        job = Rescreen(clearance, register)
        assert job.ids == ["d2"] and job.report.displaced == 0
        job.run(lambda record: None)
        delta = job.commit()
    (old_home / "register.duckdb").write_bytes(kept.read_bytes())
    full, _ = rescreen(old_home, full=True)
    assert (delta.new_alerts, delta.delisted) == (full.new_alerts, full.delisted)
