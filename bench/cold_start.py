"""Cold start of one screening, beside `lists status` and beside building the index in the process.

A store with every list in ../shared is made in a temporary home (`clearance lists
update`, which also builds and keeps the name index). Then, alternating, each in a
fresh process: `clearance lists status` (the floor: Python, imports, the store),
`clearance screen NAME` (loads the kept index), and the same screening with the
index built in the process from the store's entities, as every screening did
before the index was kept. Wall time is the median of the runs, RSS the child's peak.
Also measured, each in a fresh process: loading the kept index alone, three
rebuilds of the index in one process (RSS after each), and 8 threads screening
the same names as one thread.

    .venv/bin/python bench/cold_start.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
CLEARANCE = Path(sys.executable).with_name("clearance")
NAME = "Vladimir Putin"
NAMES = [
    "Vladimir Putin",
    "Лукашенко Александр Григорьевич",
    "RI WON HO",
    "Mahan Air",
    "Kalashnikov Concern",
    "Mohammed Ali",
    "عبد الله",
    "Kim Jong Un",
    "Sberbank",
    "Viktor Bout",
]

IN_PROCESS_BUILD = """
import sys
from pathlib import Path
from clearance.matching import Party, Screener
from clearance.store import ListStore
from clearance.store.list_version import ListVersion
store = ListStore(Path(sys.argv[1]))
screener = Screener.build(ListVersion.active(store).entities(store))
print(len(screener.screen(Party(sys.argv[2]))))
"""

INDEX_LOAD = """
import json, resource, sys, time
from pathlib import Path
from clearance.store import ListStore
from clearance.store.list_version import ListVersion
from clearance.matching.persisted import index_path, open_index
store = ListStore(Path(sys.argv[1]))
version = ListVersion.active(store)
started = time.perf_counter()
index = open_index(index_path(store, version), version)
print(json.dumps({"load_s": time.perf_counter() - started, "names": len(index.names)}))
"""

REBUILDS = """
import json, resource, sys
from pathlib import Path
from clearance.store import ListStore
from clearance.store.list_version import ListVersion
from clearance.matching import Party, Screener
from clearance.matching.persisted import build_index, open_index
store = ListStore(Path(sys.argv[1]))
version = ListVersion.active(store)
rss = []
for _ in range(3):
    screener = Screener(open_index(build_index(store, version), version), version)
    screener.screen(Party("Vladimir Putin"))
    rss.append(int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize() / 2**20)
print(json.dumps({"rss_mb": rss}))
"""

THREADS = """
import json, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from clearance.store import ListStore
from clearance.matching import Party, Screener
names = json.loads(sys.argv[2]) * 20
screener = Screener.from_store(ListStore(Path(sys.argv[1])))
def run(name):
    return [(h.entity.id, h.score, h.snapshot_id) for h in screener.screen(Party(name), threshold=0.5)]
alone = [run(n) for n in names]
with ThreadPoolExecutor(8) as pool:
    together = list(pool.map(run, names))
print(json.dumps({"queries": len(names), "same": alone == together}))
"""


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and output of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"failed: {' '.join(args)}")
    return wall, usage.ru_maxrss / 1024, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CLEARANCE_HOME": home, "CLEARANCE_LIST_DIR": str(LISTS)}
        store = str(Path(home) / "lists.sqlite")
        update_s, update_mb, _ = timed([str(CLEARANCE), "lists", "update"], env)
        print(f"lists update (parse, store, build the index): {update_s:.1f} s, peak RSS {update_mb:.0f} MB")
        cases = {
            "clearance lists status": [str(CLEARANCE), "lists", "status"],
            f"clearance screen {NAME!r} (kept index)": [str(CLEARANCE), "screen", NAME],
            "same, index built in the process": [sys.executable, "-c", IN_PROCESS_BUILD, store, NAME],
        }
        walls: dict[str, list[float]] = {label: [] for label in cases}
        rss: dict[str, float] = {}
        for _ in range(runs):
            for label, args in cases.items():
                wall, peak, _ = timed(args, env)
                walls[label].append(wall)
                rss[label] = max(rss.get(label, 0.0), peak)
        status = statistics.median(walls["clearance lists status"])
        print(f"\n| process ({runs} runs each, alternating) | wall s, median | x lists status | peak RSS MB |")
        print("| --- | --- | --- | --- |")
        for label in cases:
            wall = statistics.median(walls[label])
            print(f"| {label} | {wall:.2f} | {wall / status:.1f} | {rss[label]:.0f} |")
        loads = [json.loads(timed([sys.executable, "-c", INDEX_LOAD, store], env)[2]) for _ in range(runs)]
        print(
            f"\nindex load alone: {statistics.median(x['load_s'] for x in loads) * 1000:.0f} ms median, "
            f"{loads[0]['names']:,} names"
        )
        sizes = sorted(Path(home, "indexes").glob("*.idx"))
        print(f"index file: {sum(p.stat().st_size for p in sizes) / 2**20:.0f} MB")
        rebuilt = json.loads(timed([sys.executable, "-c", REBUILDS, store], env)[2])["rss_mb"]
        print(
            "RSS after each of 3 rebuilds in one process: "
            + ", ".join(f"{x:.0f}" for x in rebuilt)
            + f" MB (+{(rebuilt[2] / rebuilt[0] - 1) * 100:.1f} % over one)"
        )
        threads = json.loads(timed([sys.executable, "-c", THREADS, store, json.dumps(NAMES)], env)[2])
        print(f"8 threads against 1: {threads['queries']} queries, same results: {threads['same']}")


if __name__ == "__main__":
    main()
