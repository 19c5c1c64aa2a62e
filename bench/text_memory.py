"""Peak memory and time of text and payment screening, by input size, each run in a fresh process.

    .venv/bin/python bench/text_memory.py                      # this tree, 50 KB, 200 KB and 1 MB
    .venv/bin/python bench/text_memory.py --against HEAD~1     # and a git revision beside it

Inputs, built from real material in `../shared/data`:

- `news`: the article in `text/`, its paragraphs repeated, each followed by a sentence naming
  real listed parties ("Sanctions also name MAHAN AIR, ROSOBORONEXPORT and ...");
- `repeat`: one listed name repeated with commas, "Vladimir Putin, Vladimir Putin, ...": the
  case whose cost grew with the square of its length;
- `mt103`: the MT103 of `tests/text/data` with a listed airline on every line of its remittance
  field, to 972 KB (under the 1 MB a message may have).

Each case runs in a process of its own, which opens the store, its index, the text screener and
the goods tables (by screening a sentence) before the clock starts: `before` is its resident memory
then, `peak` the most it held (ru_maxrss) by the end of screening and of the result's JSON.

A revision given with `--against` is extracted with `git archive` into a temporary folder, gets a
store of its own from the same lists, and runs under an address-space limit (`--limit-gb`) and a
timeout, so a version that would exhaust the machine is reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared" / "data"
ARTICLE = SHARED / "text" / "news-russia-weapons-sanctions-2023-02.txt"
MT103 = ROOT / "tests" / "text" / "data" / "mt103_listed_in_remittance.txt"
LISTED = (
    "MAHAN AIR",
    "ROSOBORONEXPORT",
    "Kalashnikov Concern",
    "Dmitry Medvedev",
    "Alexander Lukashenko",
    "Vladimir Putin",
    "Sergei Lavrov",
    "Rostec",
)
MT103_BYTES = 972_000

_LOAD = """
import sys
from pathlib import Path
from clearance.app import Clearance
with Clearance.open(Path(sys.argv[1]), list_dir=Path(sys.argv[2])) as clearance:
    failed = [o.error for o in clearance.update() if o.error]
    clearance.screener()
sys.exit("; ".join(failed) if failed else 0)
"""

_SCREEN = """
import json, resource, sys, time
from pathlib import Path
from clearance.app import Clearance
home, kind, path = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
with Clearance.open(home) as clearance:
    clearance.screen_text("Warm-up: Vladimir Putin exports drones.", "warm-up")  # the text screener and goods tables
    before = rss()
    start = time.perf_counter()
    if kind == "mt103":
        result = clearance.screen_payment(path)
        mentions = sum(len(text.mentions) for text in result.texts)
    else:
        result = clearance.screen_text(path.read_bytes(), str(path))
        mentions = len(result.mentions)
    size = len(result.model_dump_json())
    print(json.dumps({"seconds": time.perf_counter() - start, "before": before, "peak": rss(),
                      "mentions": mentions, "json": size}))
"""


def news(size: int) -> str:
    """The article's paragraphs, each followed by a sentence naming listed parties, repeated to `size`."""
    paragraphs = [p for p in ARTICLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    parts: list[str] = []
    total = 0
    for number in range(size):
        paragraph = paragraphs[number % len(paragraphs)]
        a, b, c = (LISTED[(number + k) % len(LISTED)] for k in (0, 3, 5))
        parts.append(f"{paragraph} Sanctions also name {a}, {b} and {c}.\n\n")
        total += len(parts[-1])
        if total >= size:
            break
    return "".join(parts)[:size]


def repeat(size: int) -> str:
    return ("Vladimir Putin, " * (size // 16 + 1))[:size]


def mt103() -> str:
    message = MT103.read_text(encoding="utf-8")
    filler = "END USER MAHAN AIR TEHRAN\nMAHAN AIR\n"
    room = MT103_BYTES - len(message)
    return message.replace("END USER MAHAN AIR TEHRAN\n", filler * (room // len(filler) + 1), 1)


def inputs(folder: Path, sizes: list[int]) -> list[tuple[str, str, Path]]:
    cases = []
    for size in sizes:
        for name, build in (("news", news), ("repeat", repeat)):
            path = folder / f"{name}-{size}.txt"
            path.write_text(build(size), encoding="utf-8")
            cases.append((f"{name} {size / 1000:,.0f} KB", "text", path))
    path = folder / "mt103.txt"
    path.write_text(mt103(), encoding="utf-8")
    cases.append((f"mt103 {path.stat().st_size / 1000:,.0f} KB", "mt103", path))
    return cases


def extract(revision: str, into: Path) -> Path:
    """The `src` tree of a git revision, written under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    archive = into / "src.tar"
    subprocess.run(["git", "archive", "--output", str(archive), revision, "src"], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def python(src: Path, code: str, *args: str, limit_gb: float | None = None, timeout: float = 1800) -> str:
    """Run `code` with clearance from `src` in a fresh interpreter: its last line of output, or why it failed."""

    def limited() -> None:
        if limit_gb is not None:
            resource.setrlimit(resource.RLIMIT_AS, (int(limit_gb * 2**30), int(limit_gb * 2**30)))

    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=limited,
        )
    except subprocess.TimeoutExpired:
        return f"timeout after {timeout:.0f} s"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        return f"failed: {last[:100]}"
    return (done.stdout.strip().splitlines() or [""])[-1]


def row(label: str, version: str, output: str) -> str:
    try:
        got = json.loads(output)
    except ValueError:
        return f"| {label} | {version} | {output} | | | |"
    return (
        f"| {label} | {version} | {got['seconds']:.1f} s | {got['before']:,.0f} MB | {got['peak']:,.0f} MB "
        f"| {got['mentions']:,} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="a git revision to run beside this tree")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the clearance sources to measure")
    parser.add_argument("--sizes", default="50000,200000,1000000", help="text sizes in characters")
    parser.add_argument("--limit-gb", type=float, default=8.0, help="address space a revision may take")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a revision's run may take")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="text-memory-") as scratch:
        folder = Path(scratch)
        cases = inputs(folder, sizes)
        versions = [("this tree", args.src.resolve(), None)]
        if args.against:
            versions.append((args.against, extract(args.against, folder / "against"), args.limit_gb))
        homes = {}
        for label, src, _ in versions:
            home = folder / f"home-{len(homes)}"
            failed = python(src, _LOAD, str(home), str(SHARED / "lists"))
            if failed:
                sys.exit(f"{label}: cannot load the lists: {failed}")
            homes[label] = home
        print("| input | version | time | before | peak | mentions |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name, kind, path in cases:
            for label, src, limit in versions:
                timeout = args.timeout if limit is not None else 1800.0
                output = python(src, _SCREEN, str(homes[label]), kind, str(path), limit_gb=limit, timeout=timeout)
                print(row(name, label, output), flush=True)


if __name__ == "__main__":
    main()
