"""The embedded batch engine with one worker and with more: rows/s, speed-up, peak memory, identical output.

One input file (from `synthetic_parties.py`: Faker names by locale with 1 % real
listed names planted) is screened by `clearance.engine.screen_file` once per
worker count, each run in a process of its own. The bench samples the memory of
that process and its workers every 0.2 s: the sum of their RSS (shared pages
counted once per process, so an upper bound) and of their PSS (shared pages
split between them: what the tree really holds). Rates are given end to end
and after start-up (opening and warming the index, forking the workers), the
part a larger file amortises. The CPU time of all the processes per row tells
how much work the workers add (their own decoding, the main process's reading and
writing): on a machine whose cores are busy with other work, the speed-up cannot
show, but the CPU per row still does.

    .venv/bin/python bench/batch_workers.py --rows 20000
    .venv/bin/python bench/batch_workers.py --rows 1000000 --workers 1,2   # the target: >= 1.8x, <= 1 GB

The home (`--home`, else a fresh one under /tmp) gets every list of the shared
mirror loaded once. Outputs go to bench/.cache/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
LISTS = BENCH.parents[1] / "shared" / "data" / "lists"


def make_input(rows: int, fmt: str) -> Path:
    """The synthetic customer file of `rows` rows, made once and kept."""
    path = CACHE / f"customers-{rows}.{fmt}"
    if not path.exists() or path.stat().st_size == 0:
        CACHE.mkdir(exist_ok=True)
        command = [sys.executable, str(BENCH / "synthetic_parties.py"), "--rows", str(rows), "--out", str(path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return path


def prepare_home(home: Path) -> None:
    if (home / "lists.sqlite").exists():
        return
    env = {**os.environ, "CLEARANCE_HOME": str(home), "CLEARANCE_LIST_DIR": str(LISTS)}
    subprocess.run([sys.executable, "-m", "clearance", "lists", "update"], env=env, check=True, capture_output=True)


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found = [pid]
    for parent in found:
        try:
            for task in os.listdir(f"/proc/{parent}/task"):
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def memory(pids: list[int]) -> tuple[int, int]:
    """Summed RSS and PSS in MB."""
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    key, _, value = line.partition(":")
                    if key == "Rss":
                        rss += int(value.split()[0])
                    elif key == "Pss":
                        pss += int(value.split()[0])
        except OSError:
            continue
    return rss // 1024, pss // 1024


def run(home: Path, source: Path, out: Path, workers: int) -> dict[str, Any]:
    """One screening in a child process, its tree's memory sampled; the child reports its own timings."""
    env = {**os.environ, "CLEARANCE_HOME": str(home)}
    command = [sys.executable, __file__, "--child", str(source), str(out), str(workers)]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    peak_rss = peak_pss = 0
    while child.poll() is None:
        rss, pss = memory(tree(child.pid))
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.2)
    stdout = child.stdout.read() if child.stdout else ""
    if child.returncode != 0:
        raise SystemExit(f"the run with {workers} worker(s) failed ({child.returncode})")
    found: dict[str, Any] = json.loads(stdout.splitlines()[-1])
    found |= {"workers": workers, "wall_s": time.perf_counter() - started, "peak_rss_mb": peak_rss}
    found["peak_pss_mb"] = peak_pss
    return found


def child(source: Path, out: Path, workers: int) -> None:
    """In the measured process: screen the file, print when the first and the last chunk were written."""
    from clearance.app import Clearance
    from clearance.batch_output import output_format
    from clearance.engine import BatchJob, screen_file
    from clearance.settings import Settings

    started = time.perf_counter()
    first: list[float] = []

    def progress(done: int, total: int | None) -> None:
        if done and not first:
            first.append(time.perf_counter())

    with Clearance(Settings.from_env()) as clearance:
        job = BatchJob(source, out, output_format(out, None), workers=workers)
        totals = screen_file(clearance, job, progress=progress)
    ended = time.perf_counter()
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    print(
        json.dumps(
            {
                "rows": totals.rows,
                "with_hits": totals.with_hits,
                "first_chunk_s": first[0] - started,
                "seconds": ended - started,
                "cpu_s": sum(usage.ru_utime + usage.ru_stime for usage in used),
            }
        )
    )


def same_output(one: Path, other: Path) -> bool:
    """Byte for byte, but for JSON lines' `screened_at`."""
    if one.suffix != ".jsonl":
        return one.read_bytes() == other.read_bytes()
    with one.open(encoding="utf-8") as a, other.open(encoding="utf-8") as b:
        for left, right in zip(a, b, strict=False):
            first, second = json.loads(left), json.loads(right)
            first.pop("screened_at"), second.pop("screened_at")
            if first != second:
                return False
    return sum(1 for _ in one.open("rb")) == sum(1 for _ in other.open("rb"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, comma-separated")
    parser.add_argument("--input", type=Path, help="screen this file instead of a synthetic one")
    parser.add_argument("--input-format", default="csv", choices=("csv", "parquet", "jsonl"))
    parser.add_argument("--output-format", default="csv", choices=("csv", "parquet", "jsonl"))
    parser.add_argument("--home", type=Path, help="a home with the lists loaded (default: one under /tmp)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))
        return
    home = args.home or Path(tempfile.gettempdir()) / "clearance-batch-bench"
    prepare_home(home)
    source = args.input or make_input(args.rows, args.input_format)
    results = []
    for workers in (int(count) for count in args.workers.split(",")):
        out = CACHE / f"batch-workers-{workers}.{args.output_format}"
        found = run(home, source, out, workers)
        found["output"] = out
        results.append(found)
        screening = found["seconds"] - found["first_chunk_s"]
        print(
            f"{workers} worker(s): {found['rows']:,} rows in {found['seconds']:.1f} s, "
            f"{found['rows'] / found['seconds']:,.0f} rows/s end to end, "
            f"{found['rows'] / max(screening, 1e-9):,.0f} rows/s after start-up ({found['first_chunk_s']:.1f} s); "
            f"peak RSS {found['peak_rss_mb']:,} MB summed, PSS {found['peak_pss_mb']:,} MB; "
            f"{found['cpu_s'] * 1000 / max(found['rows'], 1):.2f} CPU s per 1,000 rows, all processes"
        )
    base = results[0]
    for other in results[1:]:
        whole = base["seconds"] / other["seconds"]
        steady = (base["seconds"] - base["first_chunk_s"]) / max(other["seconds"] - other["first_chunk_s"], 1e-9)
        same = same_output(base["output"], other["output"])
        print(
            f"speed-up {other['workers']} vs {base['workers']} worker(s): {whole:.2f}x end to end, "
            f"{steady:.2f}x after start-up; outputs identical: {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    main()
