"""`clearance cases ...` and `--record` through the command line, with one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cases.conftest import cli
from tests.test_cli import run


def test_record_decide_and_approve_from_the_command_line(listed_home: Path, case_url: str) -> None:
    assert cli(listed_home, case_url, "screen", "Mahan Air", "--record").returncode == 0
    assert cli(listed_home, case_url, "screen", "Olaf Scholz", "--record").returncode == 0
    assert cli(listed_home, case_url, "screen", "Vladimir Putin").returncode == 0  # not recorded
    listed = cli(listed_home, case_url, "cases", "list", "--status", "open", "--json")
    assert listed.returncode == 0, listed.stderr
    (case,) = json.loads(listed.stdout)
    assert case["label"] == "Mahan Air" and case["status"] == "open" and case["alerts"] >= 2

    decided = cli(
        listed_home,
        case_url,
        "cases",
        "decide",
        str(case["id"]),
        "--decision",
        "false_positive",
        "--reason",
        "a travel agency in Lyon, not the airline",
        "--by",
        "alice",
    )
    assert decided.returncode == 0 and decided.stdout.strip() == f"case {case['id']}: pending approval, false_positive"
    same = cli(listed_home, case_url, "cases", "approve", str(case["id"]), "--by", "alice")
    assert same.returncode == 1 and same.stderr.startswith(f"error: case {case['id']}: four eyes: alice made")
    approved = cli(listed_home, case_url, "cases", "approve", str(case["id"]), "--by", "bob")
    assert approved.returncode == 0 and "decided, false_positive" in approved.stdout

    shown = json.loads(cli(listed_home, case_url, "cases", "show", str(case["id"]), "--json").stdout)
    assert shown["status"] == "decided" and shown["decisions"][0]["approved_by"] == "bob"
    assert shown["events"][0]["actor"] == "analyst"  # CLEARANCE_USER asked for the screening
    table = cli(listed_home, case_url, "cases", "show", str(case["id"]))
    assert "MAHAN AIR" in table.stdout and "approved by bob" in table.stdout
    assert "decided" in cli(listed_home, case_url, "cases", "list").stdout

    again = cli(listed_home, case_url, "screen", "Mahan Air", "--record")
    assert again.returncode == 0
    assert json.loads(cli(listed_home, case_url, "cases", "list", "--status", "open", "--json").stdout) == []
    verified = cli(listed_home, case_url, "audit", "verify")
    assert verified.returncode == 0 and verified.stdout.startswith("audit trail sound: ")


def test_the_record_setting_records_every_screening(listed_home: Path, case_url: str, tmp_path: Path) -> None:
    rows = tmp_path / "parties.csv"
    rows.write_text("id,name\nk1,Mahan Air\nk2,Olaf Scholz\n", encoding="utf-8")
    env = {"CLEARANCE_DATABASE_URL": case_url, "CLEARANCE_RECORD": "1", "CLEARANCE_USER": "batch-job"}
    result = run(listed_home, "screen-batch", str(rows), "-o", str(tmp_path / "hits.jsonl"), env=env)
    assert result.returncode == 0, result.stderr
    cases = json.loads(cli(listed_home, case_url, "cases", "list", "--json").stdout)
    assert [(c["subject"], c["kind"]) for c in cases] == [("row:k1", "batch")]


def test_bad_input_is_one_line_naming_the_field(listed_home: Path, case_url: str) -> None:
    for args, message in (
        (("cases", "show", "abc"), "error: case id: 'abc' is not a case number"),
        (("cases", "show", "42"), "error: no case 42"),
        (("cases", "list", "--status", "closed"), "error: --status: 'closed' is not open, in_review,"),
        (("cases", "decide", "1", "--decision", "maybe", "--reason", "x"), "error: --decision: 'maybe' is not"),
        (("audit", "replay", "first"), "error: record: 'first' is not an audit record number"),
    ):
        result = cli(listed_home, case_url, *args)
        assert result.returncode == 1 and result.stderr.startswith(message), (args, result.stderr)
        assert result.stderr.count("\n") == 1


def test_a_bad_or_unreachable_database_is_one_line(listed_home: Path) -> None:
    bad = run(listed_home, "cases", "list", env={"CLEARANCE_DATABASE_URL": "mysql://root:secret@db/cases"})
    assert bad.returncode == 1 and bad.stderr.startswith("error: environment variable CLEARANCE_DATABASE_URL: not")
    assert "secret" not in bad.stderr and bad.stderr.count("\n") == 1
    gone = run(
        listed_home,
        "cases",
        "list",
        env={"CLEARANCE_DATABASE_URL": "postgresql://u:secret@127.0.0.1:1/x", "CLEARANCE_LOCK_TIMEOUT": "2"},
    )
    assert gone.returncode == 1 and gone.stderr.startswith("error: postgresql://u:***@127.0.0.1:1/x: cannot connect")
    assert "secret" not in gone.stderr and gone.stderr.count("\n") == 1
    digest = run(listed_home, "cases", "list", env={"CLEARANCE_RECORD_INPUT": "some"})
    assert digest.stderr == "error: environment variable CLEARANCE_RECORD_INPUT: not full or digest: 'some'\n"
