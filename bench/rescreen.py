"""Delta re-screening against a full screening of a customer register, after the real UN list update.

The register: N synthetic customers (`synthetic_parties.py`: names by locale, 1 % of
them real listed names and their variants). The home: every real list, with the UN
list of 2025-11-20 active. The register is loaded and screened in full on that
version; then the UN list of 2026-02-27 is activated (4 entities added, 1 removed,
2 changed) and the register is re-screened twice from the same state: by delta, and
in full (`--full`). Printed: each step's time (wall-clock and process CPU), the subjects each
screened, the speed-up of the delta over the full run, and whether both found the same new alerts.

    .venv/bin/python bench/rescreen.py --rows 100000
    .venv/bin/python bench/rescreen.py --rows 1000000

Files are kept in bench/.cache: the customers file per size and the home with the
lists (built once, some 40 s); each run works on a copy of the home.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clearance.app import Clearance
from clearance.batch_output import json_line
from clearance.register import Register, Rescreen, RescreenReport
from clearance.results import BatchRecord

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
LISTS = HERE.parents[1] / "shared" / "data" / "lists"
UN_OLD = "un/UN_consolidated_2025-11-20.xml"


def customers(rows: int, given: Path | None) -> Path:
    """The customers file: the one given, else a synthetic one of `rows` rows, written once."""
    if given is not None:
        return given
    path = CACHE / f"rescreen-customers-{rows}.parquet"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        from synthetic_parties import synthetic_rows, write  # a sibling script, not a package

        started = time.perf_counter()
        write(synthetic_rows(rows, 0.01), path)
        print(f"wrote {rows:,} synthetic customers to {path} in {time.perf_counter() - started:.0f} s")
    return path


def lists_home(lists: Path) -> Path:
    """A home with every real list and, before them, the older UN list; both versions indexed."""
    home = CACHE / "rescreen-home"
    if (home / ".done").exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    with Clearance.open(home, list_dir=lists) as clearance:
        older = clearance.load("un", lists / UN_OLD).snapshot
        clearance.update()
        newer = clearance.store.active_snapshots()["un"]
        clearance.activate(older.id)
        clearance.activate(newer.id)
    (home / ".done").touch()
    return home


def un_versions(home: Path) -> tuple[int, int]:
    with Clearance.open(home) as clearance:
        ids = sorted(snapshot.id for snapshot in clearance.snapshots("un"))
    return ids[0], ids[-1]


def timed(label: str, step: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and process CPU seconds of one step (CPU time is less moved by other jobs on the machine)."""
    started, cpu = time.perf_counter(), time.process_time()
    step()
    took, used = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:<44} {took:8.1f} s wall {used:8.1f} s CPU")
    return took, used


def rescreen(home: Path, out: Path, full: bool, found: dict[str, RescreenReport]) -> dict[tuple[str, str], float]:
    """Re-screen the register of `home`, writing the new alerts as JSON lines; their (subject, entity) pairs and
    scores."""
    pairs: dict[tuple[str, str], float] = {}
    with Clearance.open(home) as clearance, Register.open(home) as register, out.open("w") as handle:
        job = Rescreen(clearance, register, full=full)

        def write(record: BatchRecord) -> None:
            handle.write(json_line(record))
            pairs.update(((record.id, hit.entity_id), hit.score) for hit in record.hits)

        job.run(write)
        found["full" if full else "delta"] = job.commit()
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="customers in the register")
    parser.add_argument("--customers", type=Path, help="a customers file to use instead of a synthetic one")
    parser.add_argument("--lists", type=Path, default=LISTS, help="the list mirror")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = customers(args.rows, args.customers)
    base = lists_home(args.lists)
    with tempfile.TemporaryDirectory(prefix="rescreen-", dir=CACHE) as folder:
        home = shutil.copytree(base, Path(folder) / "home", ignore=shutil.ignore_patterns("*-wal", "*-shm"))
        older, newer = un_versions(home)
        with Clearance.open(home) as clearance:
            clearance.activate(older)
        reports: dict[str, RescreenReport] = {}

        def load() -> None:
            with Register.open(home) as register:
                print(register.load(path))

        timed(f"register load ({args.rows:,} subjects)", load)
        timed("full screening on UN 2025-11-20", lambda: rescreen(home, Path(folder) / "first.jsonl", False, reports))
        with Clearance.open(home) as clearance:
            clearance.activate(newer)
        kept = Path(folder) / "register-before.duckdb"
        shutil.copyfile(home / "register.duckdb", kept)
        delta: dict[tuple[str, str], float] = {}
        full: dict[tuple[str, str], float] = {}

        def run_delta() -> None:
            delta.update(rescreen(home, Path(folder) / "delta.jsonl", False, reports))

        def run_full() -> None:
            full.update(rescreen(home, Path(folder) / "full.jsonl", True, reports))

        delta_time = timed("delta rescreen after the UN update", run_delta)
        shutil.copyfile(kept, home / "register.duckdb")
        full_time = timed("full rescreen after the UN update (--full)", run_full)
    d, f = reports["delta"], reports["full"]
    print(f"delta: {d.why}; screened {d.screened:,} of {d.subjects:,}; {d.new_alerts:,} new alerts")
    print(f"       {d.sharing:,} sharing a key with a changed entity, {d.watched:,} watched, {d.reaching:,} reaching")
    print(f"full:  screened {f.screened:,} of {f.subjects:,}; {f.new_alerts:,} new alerts")
    same = delta.keys() == full.keys()
    print(
        f"speed-up {full_time[0] / delta_time[0]:.1f}x wall, {full_time[1] / delta_time[1]:.1f}x CPU; "
        f"alerts identical: {'yes' if same else 'NO'}"
    )
    for label, these, others in (("only in delta", delta, full), ("only in full", full, delta)):
        for pair in sorted(these.keys() - others.keys())[:10]:
            print(f"  {label}: {pair[0]} x {pair[1]}, score {these[pair]}")


if __name__ == "__main__":
    main()
