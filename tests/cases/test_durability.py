"""A decision acknowledged to the user is never lost: the process deciding is killed mid-write, on both databases."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from clearance.app import Clearance
from clearance.cases.models import CaseStatus
from clearance.matching import Party
from clearance.settings import Settings

# Real listed names of the mirror's lists: each opens a case of its own.
LISTED = (
    "Vladimir Putin",
    "Sergei Lavrov",
    "Alexander Lukashenko",
    "Ramzan Kadyrov",
    "Viktor Bout",
    "Mahan Air",
    "Rosoboronexport",
    "Igor Sechin",
    "Alisher Usmanov",
    "Roman Abramovich",
    "Yevgeny Prigozhin",
    "Dmitry Medvedev",
)

# Decides every open case, one transaction each, and says so only once `decide` has returned; then keeps
# commenting, so the kill always lands in the middle of some write.
DECIDER = textwrap.dedent(
    """
    import sys
    from clearance.app import Clearance
    from clearance.cases.models import DecisionKind
    from clearance.settings import Settings

    home, url = sys.argv[1], sys.argv[2]
    with Clearance(Settings(home=home, database_url=url, user="analyst")) as app:
        workflow = app.cases.workflow
        open_cases = [case.id for case in workflow.list_cases()]
        for case_id in open_cases:
            workflow.decide(case_id, DecisionKind.ESCALATED, f"escalated {case_id}", "alice")
            print(f"ack {case_id}", flush=True)
        n = 0
        while True:
            n += 1
            workflow.comment(open_cases[n % len(open_cases)], f"note {n}", "alice")
            print(f"ack comment {n}", flush=True)
    """
)


def test_acknowledged_decisions_survive_a_kill_mid_write(listed_home: Path, case_url: str, tmp_path: Path) -> None:
    settings = Settings(home=listed_home, database_url=case_url, record=True, user="analyst")
    with Clearance(settings) as app:
        for name in LISTED:
            app.screen(Party(name))
        opened = {case.id for case in app.cases.workflow.list_cases()}
    assert len(opened) >= 10

    child = subprocess.Popen(
        [sys.executable, "-c", DECIDER, str(listed_home), case_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert child.stdout is not None
    decided: list[int] = []
    comments = 0
    for line in child.stdout:
        words = line.split()
        if words[:2] == ["ack", "comment"]:
            comments = int(words[2])
            if comments >= 25:
                break
        elif words[:1] == ["ack"]:
            decided.append(int(words[1]))
            if len(decided) == len(opened) // 2:
                child.send_signal(signal.SIGKILL)  # half way through the decisions
                break
    else:
        raise AssertionError(f"the decider stopped: {child.stderr.read() if child.stderr else ''}")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL

    with Clearance(settings) as app:
        workflow = app.cases.workflow
        for case_id in decided:
            case = workflow.show(case_id)
            assert case.status is CaseStatus.DECIDED, case_id
            assert case.decisions and case.decisions[-1].reason == f"escalated {case_id}"
        # Decisions the kill overtook before they were acknowledged may be there too, whole or not at all.
        cases = [workflow.show(case.id) for case in workflow.list_cases()]
        assert {case.id for case in cases} == opened
        for case in cases:
            assert case.status in (CaseStatus.OPEN, CaseStatus.DECIDED), case.id
            assert [d.reason for d in case.decisions] == ([f"escalated {case.id}"] if case.decisions else [])
            assert (case.status is CaseStatus.DECIDED) == bool(case.decisions), case.id
        verification = app.cases.verify()
        assert verification.sound, verification.problem
        # The store takes new work after the kill, and the trail still verifies.
        workflow.comment(min(opened), "after the kill", "bob")
        assert app.cases.verify().sound


def test_a_kill_between_decisions_and_comments_loses_no_comment(
    listed_home: Path, case_url: str, tmp_path: Path
) -> None:
    settings = Settings(home=listed_home, database_url=case_url, record=True, user="analyst")
    with Clearance(settings) as app:
        for name in LISTED[:3]:
            app.screen(Party(name))
        cases = [case.id for case in app.cases.workflow.list_cases()]

    child = subprocess.Popen(
        [sys.executable, "-c", DECIDER, str(listed_home), case_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    acknowledged = 0
    for line in child.stdout:
        if line.startswith("ack comment"):
            acknowledged = int(line.split()[2])
            if acknowledged >= 40:
                child.send_signal(signal.SIGKILL)
                break
    child.wait()
    assert acknowledged >= 40, child.stderr.read() if child.stderr else ""

    with Clearance(settings) as app:
        bodies = {c.body for case_id in cases for c in app.cases.workflow.show(case_id).comments}
        assert {f"note {n}" for n in range(1, acknowledged + 1)} <= bodies
        assert app.cases.verify().sound
