"""The audit trail: tampering of every kind is caught and named; export for a regulator; anchors; replay."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from clearance.app import Clearance
from clearance.cases.audit import canonical, chained
from clearance.cases.database import Transaction
from clearance.cases.models import DecisionKind
from clearance.matching import Party
from tests.cases.conftest import cli


@pytest.fixture
def trail(app: Clearance) -> int:
    """A real trail: two listed names and a clean one screened, one case decided; returns its length."""
    app.screen(Party("Vladimir Putin"))
    app.screen(Party("Mahan Air"))
    app.screen(Party("Olaf Scholz"))
    first = app.cases.workflow.list_cases()[0]
    app.cases.workflow.decide(first.id, DecisionKind.FALSE_POSITIVE, "another man", "alice")
    app.cases.workflow.comment(first.id, "closed after a call with the branch", "alice")
    found = app.cases.verify()
    assert found.sound and found.head is not None
    return found.head.seq


def rehash_from(tx: Transaction, seq: int, body: str) -> None:
    """Rewrite record `seq` and recompute its hash and every later one: only an anchor shows it."""
    rows = tx.all("SELECT seq, body, prev_hash FROM audit_log WHERE seq >= ? ORDER BY seq", (seq,))
    prev = str(rows[0][2])
    for number, old_body, _ in rows:
        new_body = body if number == seq else str(old_body)
        digest = chained(prev, new_body)
        tx.run("UPDATE audit_log SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?", (new_body, prev, digest, number))
        prev = digest
    tx.run("UPDATE audit_head SET hash = ? WHERE id = 1", (prev,))


def _edited_body(tx: Transaction, seq: int) -> str:
    row = tx.one("SELECT body FROM audit_log WHERE seq = ?", (seq,))
    record = json.loads(str(row[0])) if row else {}
    record["actor"] = "mallory"
    return canonical(record)


def _rewrite_one(tx: Transaction) -> None:
    body = _edited_body(tx, 5)
    prev = tx.one("SELECT prev_hash FROM audit_log WHERE seq = 5")
    assert prev is not None
    digest = chained(str(prev[0]), body)
    tx.run("UPDATE audit_log SET body = ?, actor = 'mallory', hash = ? WHERE seq = 5", (body, digest))


TAMPERING: dict[str, tuple[Callable[[Transaction], None], int, str]] = {
    "an edited record": (
        lambda tx: tx.run("UPDATE audit_log SET body = replace(body, 'analyst', 'mallory') WHERE seq = 5"),
        5,
        "record 5 was altered: its hash does not match its contents",
    ),
    "an edited record with its hash recomputed": (_rewrite_one, 5, "record 5 was altered or replaced"),
    "a deleted record": (lambda tx: tx.run("DELETE FROM audit_log WHERE seq = 7"), 7, "record 7 is missing"),
    "two records swapped": (
        lambda tx: (
            [
                tx.run("UPDATE audit_log SET seq = -1 WHERE seq = 4"),
                tx.run("UPDATE audit_log SET seq = 4 WHERE seq = 6"),
                tx.run("UPDATE audit_log SET seq = 6 WHERE seq = -1"),
            ]
            and None
        ),
        4,
        "record 4 holds the contents of record 6: records were reordered",
    ),
    "an edited query column": (
        lambda tx: tx.run("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"),
        3,
        "record 3: its actor column was altered",
    ),
    "the first record deleted": (lambda tx: tx.run("DELETE FROM audit_log WHERE seq = 1"), 1, "record 1 is missing"),
}


@pytest.mark.parametrize("kind", TAMPERING)
def test_verify_names_the_first_bad_record(
    kind: str, app: Clearance, trail: int, listed_home: Path, case_url: str
) -> None:
    tamper, first_bad, message = TAMPERING[kind]
    with app.cases.store.db.write() as tx:
        tamper(tx)
    found = app.cases.verify()
    assert not found.sound and found.first_bad == first_bad and message in (found.problem or ""), found
    result = cli(listed_home, case_url, "audit", "verify")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"error: audit trail broken at record {first_bad}: ") and message in result.stderr


def test_a_deleted_tail_is_caught_by_the_head_and_by_an_anchor(app: Clearance, trail: int) -> None:
    anchor = app.cases.verify().head
    assert anchor is not None
    with app.cases.store.db.write() as tx:
        tx.run("DELETE FROM audit_log WHERE seq = ?", (trail,))
    found = app.cases.verify()
    assert found.first_bad == trail and f"records {trail} to {trail} are missing" in (found.problem or "")
    with app.cases.store.db.write() as tx:  # the head rewritten too: only the anchor kept elsewhere shows it
        tx.run("UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit_log WHERE seq = ?)", (trail - 1,))
    assert app.cases.verify().sound
    found = app.cases.verify([anchor])
    assert not found.sound and found.first_bad == trail and "an anchor was kept for it" in (found.problem or "")


def test_a_rewritten_trail_passes_alone_and_fails_its_anchor(
    app: Clearance, trail: int, listed_home: Path, case_url: str
) -> None:
    result = cli(listed_home, case_url, "audit", "anchor")
    anchor = result.stdout.strip()
    assert result.returncode == 0 and anchor.startswith(f"{trail}:") and len(anchor.split(":")[1]) == 64
    with app.cases.store.db.write() as tx:
        rehash_from(tx, 5, _edited_body(tx, 5))
        tx.run("UPDATE audit_log SET actor = 'mallory' WHERE seq = 5")
    assert app.cases.verify().sound
    result = cli(listed_home, case_url, "audit", "verify", "--anchor", anchor)
    assert result.returncode == 1 and f"record {trail} does not match the anchor kept for it" in result.stderr
    bad = cli(listed_home, case_url, "audit", "verify", "--anchor", "12:abc")
    assert bad.returncode == 1 and bad.stderr.startswith("error: --anchor: '12:abc' is not SEQ:HASH")


def test_export_writes_records_a_regulator_can_recheck(
    app: Clearance, trail: int, listed_home: Path, case_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "audit.jsonl"
    result = cli(listed_home, case_url, "audit", "export", "--from", "2000-01-01", "--to", "2999-12-31", "-o", str(out))
    assert result.returncode == 0 and f"exported {trail} audit records" in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["seq"] for line in lines] == list(range(1, trail + 1))
    prev = "0" * 64
    for line in lines:
        assert line["prev_hash"] == prev
        assert hashlib.sha256((prev + canonical(line["record"])).encode()).hexdigest() == line["hash"]
        prev = line["hash"]
    assert {line["record"]["event"] for line in lines} >= {
        "screening_recorded",
        "case_opened",
        "alert_raised",
        "case_decided",
        "decision_remembered",
        "comment_added",
    }
    none = cli(listed_home, case_url, "audit", "export", "--from", "2000-01-01", "--to", "2000-01-02")
    assert none.returncode == 0 and none.stdout == ""
    bad = cli(listed_home, case_url, "audit", "export", "--from", "soon")
    assert bad.returncode == 1 and bad.stderr == "error: --from: 'soon' is not a date (YYYY-MM-DD) or a date and time\n"


def test_replay_shows_the_same_hits(app: Clearance, trail: int, listed_home: Path, case_url: str) -> None:
    result = cli(listed_home, case_url, "audit", "replay", "1", "--json")
    assert result.returncode == 0, result.stderr
    replay = json.loads(result.stdout)
    assert replay["same"] and replay["recorded"] == replay["replayed"] and replay["kind"] == "party"
    assert "us-csl:35096" in {h["entity_id"] for h in replay["replayed"]}
    text = cli(listed_home, case_url, "audit", "replay", "1")
    assert text.returncode == 0 and "same hits" in text.stdout and "us-csl:35096" in text.stdout
    missing = cli(listed_home, case_url, "audit", "replay", "999")
    assert missing.returncode == 1 and missing.stderr == "error: no audit record 999\n"


def test_replay_on_a_past_list_version(listed_copy: Path, case_url: str) -> None:
    """Screened on the older UN list, replayed after the newer one is active: the older entities again."""
    from clearance.cases.replay import replay
    from clearance.settings import Settings

    with Clearance(Settings(home=listed_copy, database_url=case_url, record=True)) as app:
        old, new = app.snapshots("un")[-2:]
        app.activate(old.id)
        recorded = app.screen(Party("Victor Prophane"))
        app.activate(new.id)
        found = replay(app, app.cases.store, 1)
    assert found.same and found.snapshots["un"] == old.id
    assert {h.entity_id for h in found.replayed} == {h.entity_id for h in recorded.hits}
