"""The review page's case page and queue, rendered server-side over 10,000 open cases.

A batch of listed names (persons and organisations sampled from the loaded lists, each row its own id,
so each row that alerts opens a case of its own) is screened with recording on into a new case
database, until `--cases` cases are open: real recorded screenings, real alerts. One analyst logs in.
Then the service's ASGI app, in process (no socket), renders a random case page `--repeat` times, and
the queue's pages (the first, one deep in the queue, and a search by subject) as often; the figures
are each request's time, p50, p95 and max in milliseconds.

    CLEARANCE_HOME=... .venv/bin/python bench/case_page.py [--cases 10000] [--repeat 300]
        [--database-url URL]     # SQLite in a temporary folder by default; a database given is kept, and
                                 # cases are recorded into it only until it holds `--cases` open ones

Target: a case page in at most 200 ms.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from clearance.app import Clearance
from clearance.cases.models import CaseStatus
from clearance.cases.users import UserRole, Users
from clearance.matching.batch import read_rows
from clearance.service import create_app
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings

PASSWORD = "a password for the benchmark"


def open_cases(app: Clearance) -> int:
    return app.cases.workflow.queue((CaseStatus.OPEN,), limit=1).total


def record_cases(app: Clearance, folder: Path, wanted: int, seed: int = 11) -> tuple[int, float]:
    """Screen listed names, recorded, until `wanted` cases are open; the rows screened and the seconds taken."""
    rng = random.Random(seed)
    listed = [e for e in app.store.active_entities() if e.kind.value in ("person", "organization")]
    rng.shuffle(listed)
    screened, start, taken = 0, time.perf_counter(), 0
    while (have := open_cases(app)) < wanted:
        chunk = listed[taken : taken + max(500, (wanted - have) * 11 // 10)]
        if not chunk:
            break
        taken += len(chunk)
        path = folder / f"rows-{taken}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["id", "name", "type"])
            writer.writeheader()
            writer.writerows(
                {"id": f"R{screened + n}", "name": e.name, "type": e.kind.value} for n, e in enumerate(chunk)
            )
        screened += sum(1 for _ in app.screen_rows(read_rows(path)))
    return screened, time.perf_counter() - start


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{label:<38} {statistics.median(ordered):8.1f} {p95:8.1f} {ordered[-1]:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'cases.sqlite'}"
        settings = replace(Settings.from_env(), database_url=url, record=True, user="batch")
        with Clearance(settings) as app:
            rows, seconds = record_cases(app, Path(folder), args.cases)
            total = open_cases(app)
            users = Users(app.cases.store.db)
            if "alice" not in {user.name for user in users.all()}:  # a database kept from an earlier run
                users.add("alice", UserRole.ANALYST, PASSWORD)
            with app.cases.store.read() as tx:
                counted = tx.one("SELECT COUNT(*) FROM alerts")
                alerts = int(counted[0]) if counted else 0
        database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        print(
            f"{database}: {rows:,} rows screened and recorded in {seconds:.1f} s: {total:,} open cases, "
            f"{alerts:,} alerts"
        )
        service = create_app(replace(settings, record=False), ServiceSettings(rate_limit=0))
        with TestClient(service) as client:
            form = client.get("/review/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            assert csrf is not None
            client.post("/review/login", data={"csrf": csrf[1], "name": "alice", "password": PASSWORD})
            rng = random.Random(5)
            ids = [c.id for c in Clearance(settings).cases.workflow.queue((CaseStatus.OPEN,), limit=500).cases]

            def case_page() -> None:
                answer = client.get(f"/review/cases/{rng.choice(ids)}")
                assert answer.status_code == 200, answer.status_code

            def queue(**params: str) -> Callable[[], None]:
                def call() -> None:
                    answer = client.get("/review/", params=params)
                    assert answer.status_code == 200 and "Cases " in answer.text, answer.status_code

                return call

            deep = str(max(1, total // 50 - 1))
            print(f"{'':<38} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            print(line("case page", timed(case_page, args.repeat)))
            print(line("queue, first page", timed(queue(), args.repeat)))
            print(line(f"queue, page {deep} (offset {int(deep) * 50 - 50:,})", timed(queue(page=deep), args.repeat)))
            print(line("queue, search by subject", timed(queue(q="ivan"), args.repeat)))
            print(line("queue, open, newest first", timed(queue(status="open", order="newest"), args.repeat)))


if __name__ == "__main__":
    main()
