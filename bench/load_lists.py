"""Load time and peak memory of every real list, alone and all together.

Each measurement runs in a fresh process (so peak RSS is that load's own) pinned
to one core, with a fresh store. Beside it, in the same process, the floor: the
time to merely read the same records with the standard library (csv / ElementTree
element count), the least any parser must spend. `parse s` is the parse alone
(the first in the process, so it pays for loading the country tables); `load s`
is `clearance lists load`: parse, file digests and the store transaction.

    .venv/bin/python bench/load_lists.py [--repeat N]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

LISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"

CASES = [
    ("ofac-sdn", "ofac/sdn_csv_2021-07-07"),
    ("ofac-cons", "ofac/cons_csv_2025-12-19"),
    ("ofac-cons", "ofac/xml/cons_advanced_2020-03-17.xml"),
    ("eu", "eu/eu_fsf_1_1_excerpt_2026-08-05.xml"),
    ("uk", "uk/uk_sanctions_list_excerpt_2026-08-14.xml"),
    ("un", "un/UN_consolidated_2026-02-27.xml"),
    ("us-csl", "us-csl/consolidated.csv.gz"),
]


def floor_read(path: Path) -> int:
    """Read the records with the standard library only: the cost of I/O and tokenising."""
    if path.is_dir():
        total = 0
        for file in sorted(path.glob("*.csv")):
            total += sum(1 for _ in csv.reader(io.StringIO(file.read_text(encoding="latin-1"))))
        return total
    if path.suffix == ".gz":
        return sum(1 for _ in csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"))))
    return sum(1 for _ in ET.parse(path).iter())


def measure_one(cases: list[tuple[str, str]]) -> dict[str, object]:
    """Run in a child process: parse + store the given lists into a fresh store."""
    from clearance.lists.registry import get_source
    from clearance.lists.update import load_path
    from clearance.store import ListStore

    with tempfile.TemporaryDirectory() as home:
        store = ListStore(Path(home) / "lists.sqlite")
        parse_s = load_s = floor_s = 0.0
        count = 0
        for name, rel in cases:
            source = get_source(name)
            t0 = time.perf_counter()
            count += len(source.parse(LISTS / rel).entities)
            parse_s += time.perf_counter() - t0
        for name, rel in cases:
            t0 = time.perf_counter()
            load_path(store, get_source(name), LISTS / rel)
            load_s += time.perf_counter() - t0
        for _, rel in cases:
            t0 = time.perf_counter()
            floor_read(LISTS / rel)
            floor_s += time.perf_counter() - t0
        store.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"entities": count, "parse_s": parse_s, "load_s": load_s, "floor_s": floor_s, "peak_mib": peak_kb / 1024}


def run_child(cases: list[tuple[str, str]], cpu: int) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", json.dumps(cases)]
    if sys.platform.startswith("linux"):
        cmd = ["taskset", "-c", str(cpu), *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    data: dict[str, object] = json.loads(result.stdout)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is reported")
    parser.add_argument("--cpu", type=int, default=0, help="the core to pin each run to")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure_one([tuple(c) for c in json.loads(args.child)])))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, one core used per run, best of {args.repeat}")
    header = (
        f"{'source':<10} {'file':<40} {'entities':>9} {'parse s':>8} {'load s':>14} "
        f"{'stdlib read s':>14} {'peak MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    rows = [(name, rel, [(name, rel)]) for name, rel in CASES]
    rows.append(("all", "every list above together", [(n, r) for n, r in CASES if "advanced" not in r]))
    for name, rel, cases in rows:
        runs = [run_child(cases, args.cpu) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: float(str(r["load_s"])))
        figures = {key: float(str(best[key])) for key in ("parse_s", "load_s", "floor_s", "peak_mib")}
        print(
            f"{name:<10} {rel:<40} {best['entities']:>9,} {figures['parse_s']:>8.2f} "
            f"{figures['load_s']:>14.2f} {figures['floor_s']:>14.2f} {figures['peak_mib']:>9.0f}"
        )


if __name__ == "__main__":
    main()
