"""Re-screening a decided 10,000-row batch re-alerts only the pairs that changed.

A batch of `--rows` rows (listed names from the loaded lists, the rest made-up names of people
and companies) is screened with recording on, into a new case database (SQLite in a temporary
folder, or the empty PostgreSQL database `--database-url` names). Every case is then decided a
false positive (the four-eyes ones approved by a second user). Then one row in fifty of those
that alerted has its record changed (its type stated or left out), and the whole batch is screened again.
The figures: alerts raised the first time, alerts re-opened the second time against the pairs of
the changed rows (they must be equal), alerts suppressed, and the time of each step.

    CLEARANCE_HOME=... .venv/bin/python bench/case_rescreen.py [--rows 10000] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from clearance.app import Clearance
from clearance.cases.models import CaseStatus, DecisionKind
from clearance.matching.batch import read_rows
from clearance.settings import Settings

FIRSTS = "Anna Lukas Sofia Jonas Elena Mateo Ingrid Tomasz Chiara Pieter Aoife Ravi Mei Kofi Lena Oskar".split()
LASTS = "Berger Lindqvist Moreau Kowalczyk Dijkstra Rossi Haugen Novak Byrne Patel Tanaka Mensah Weber".split()
TRADES = "Logistics Trading Textiles Foods Machinery Software Pharma Shipping Energy Metals".split()


def rows_of(app: Clearance, count: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    listed = [e for e in app.store.active_entities() if e.kind.value in ("person", "organization")]
    chosen = rng.sample(listed, count // 10)
    rows = [{"id": f"L{n}", "name": e.name, "type": "", "country": ""} for n, e in enumerate(chosen)]
    while len(rows) < count:
        n = len(rows)
        if n % 3:
            name = f"{rng.choice(FIRSTS)} {rng.choice(FIRSTS)} {rng.choice(LASTS)}-{rng.choice(LASTS)}"
            rows.append({"id": f"P{n}", "name": name, "type": "person", "country": ""})
        else:
            name = f"{rng.choice(LASTS)} {rng.choice(LASTS)} {rng.choice(TRADES)} {n}"
            rows.append({"id": f"C{n}", "name": name, "type": "organization", "country": ""})
    return rows


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "name", "type", "country"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def alerts(app: Clearance, after: int) -> list[tuple[object, ...]]:
    with app.cases.store.read() as tx:
        return tx.all("SELECT id, subject, entity_id, status FROM alerts WHERE id > ? ORDER BY id", (after,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'cases.sqlite'}"
        settings = replace(Settings.from_env(), database_url=url, record=True)
        with Clearance(settings) as app:
            rows = rows_of(app, args.rows)
            start = time.perf_counter()
            first = list(app.screen_rows(read_rows(write(Path(folder) / "before.csv", rows))))
            screened = time.perf_counter() - start
            raised = alerts(app, 0)
            start = time.perf_counter()
            workflow = app.cases.workflow
            cases = workflow.list_cases(CaseStatus.OPEN, limit=1_000_000)
            for case in cases:
                if workflow.decide(case.id, DecisionKind.FALSE_POSITIVE, "checked", "alice").status is (
                    CaseStatus.PENDING_APPROVAL
                ):
                    workflow.approve(case.id, "bob")
            deciding = time.perf_counter() - start
            alerted = sorted({str(a[1]) for a in raised})
            changed = {subject.removeprefix("row:") for subject in alerted[::50]}
            for row in rows:
                if row["id"] in changed:  # the type stated where it was not, or left out where it was
                    row["type"] = "" if row["type"] else "person"
            start = time.perf_counter()
            second = list(app.screen_rows(read_rows(write(Path(folder) / "after.csv", rows))))
            rescreened = time.perf_counter() - start
            again = alerts(app, int(str(raised[-1][0])) if raised else 0)
    reopened = {(str(a[1]), str(a[2])) for a in again if a[3] == "open"}
    suppressed = [a for a in again if a[3] == "suppressed"]
    expected = {(f"row:{r.id}", h.entity_id) for r in second if r.id in changed for h in r.hits if h.score >= 0.8}
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{database}, {len(first):,} rows: screened and recorded in {screened:.1f} s; {len(raised):,} alerts in "
        f"{len(cases):,} cases, decided in {deciding:.1f} s"
    )
    print(
        f"{len(changed):,} rows changed; re-screened and recorded in {rescreened:.1f} s: {len(reopened):,} alerts "
        f"re-opened (the changed rows' pairs: {len(expected):,}), {len(suppressed):,} suppressed"
    )
    print("only the changed pairs re-alerted" if reopened == expected else "MISMATCH")


if __name__ == "__main__":
    main()
