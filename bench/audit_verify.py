"""Audit trail verification time: 1,000,000 records (target: at most 60 s).

Builds a trail of `--records` records in a new case database (SQLite in a temporary folder, or
the PostgreSQL database `--database-url` names, which must be empty), shaped as a real one is:
screenings recorded with their digests, cases opened, alerts raised, decisions. Then it times
`clearance audit verify` on it as a user runs it, in a process of its own, and the check alone.

    .venv/bin/python bench/audit_verify.py [--records 1000000] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from clearance.cases import audit
from clearance.cases.store import CaseStore


def build(store: CaseStore, records: int) -> None:
    """`records` audit records in transactions of 50,000, cycling through the events of a screening's life."""
    start = time.perf_counter()
    done = 0
    while done < records:
        with store.write() as w:
            for _ in range(min(50_000, records - done)):
                done += 1
                digest = hashlib.sha256(str(done).encode()).hexdigest()
                at = f"2026-01-{1 + done * 28 // records:02d}T12:00:00.{done % 1_000_000:06d}+00:00"
                match done % 4:
                    case 1:
                        w.audit.append(
                            "screening_recorded",
                            "analyst",
                            at,
                            {
                                "kind": "party",
                                "subject": f"party:customer {done}",
                                "input_sha256": digest,
                                "result_sha256": digest[::-1],
                                "list_version": digest[:16],
                                "snapshots": {"eu": 4, "ofac-sdn": 2, "uk": 5, "un": 6, "us-csl": 7},
                                "algorithm": "clearance-name-v2",
                                "config": digest[16:32],
                                "threshold": 0.8,
                                "screened_at": at,
                            },
                            screening=done,
                        )
                    case 2:
                        w.audit.append(
                            "case_opened",
                            "analyst",
                            at,
                            {"subject": f"party:customer {done}", "kind": "party"},
                            case=done,
                            screening=done,
                        )
                    case 3:
                        w.audit.append(
                            "alert_raised",
                            "analyst",
                            at,
                            {
                                "entity_id": "ofac-sdn:12927",
                                "entity_sha256": digest,
                                "subject_sha256": digest,
                                "score": 0.93,
                                "programmes": ["SDGT", "NPWMD"],
                                "matched": f"customer {done}",
                            },
                            case=done,
                            screening=done,
                        )
                    case _:
                        w.audit.append(
                            "case_decided",
                            "alice",
                            at,
                            {"decision": "false_positive", "reason": "another party, checked"},
                            case=done,
                        )
    print(f"built {records:,} records in {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'cases.sqlite'}"
        with CaseStore(url) as store:
            build(store, args.records)
            start = time.perf_counter()
            with store.read() as tx:
                found = audit.verify(tx)
            alone = time.perf_counter() - start
        assert found.sound and found.records == args.records, found
        env = {**os.environ, "CLEARANCE_DATABASE_URL": url, "CLEARANCE_HOME": folder}
        start = time.perf_counter()
        command = [sys.executable, "-m", "clearance", "audit", "verify"]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        whole = time.perf_counter() - start
    database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(done.stdout.strip())
    print(
        f"{database}: verify {args.records:,} records: {alone:.1f} s in process "
        f"({args.records / alone:,.0f} records/s); `clearance audit verify`: {whole:.1f} s (target <= 60 s)"
    )


if __name__ == "__main__":
    main()
