"""Party screening speed of two versions of clearance, side by side in one process.

On a shared machine the same code measures a fifth faster or slower from one run to
the next, so separate runs cannot show a change of a few per cent. Here both
versions are loaded into one process (the working tree's `src` and a git revision's),
each builds a fresh index over the same real lists, and both screen the same
dev-set names (at the default threshold unless told) in alternating chunks of 100, after a first
batch that fills their caches: whatever slows the machine slows both alike. CPU time
is summed per version. The index built second runs faster, whichever it is, so the
script runs once in each build order, each in a fresh process, and combines the two
ratios. Every name's hits (entities, scores, matched names, token
alignments) are compared too, so a speed-up that changes a result shows.

    .venv/bin/python bench/compare_versions.py HEAD                # this tree against HEAD
    .venv/bin/python bench/compare_versions.py HEAD~3 --names 20000 --cpu 1 --threshold 0
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib
import json
import math
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WARMUP = 2000
CHUNK = 100
HIT_LIMIT = 10


@dataclass
class Version:
    label: str
    screener: Any
    parties: list[Any]
    seconds: float = 0.0


def _fresh_import(src: Path) -> dict[str, ModuleType]:
    """Import clearance (and the dev-set builder, which imports it) from `src`, forgetting any other copy."""
    for name in [n for n in sys.modules if n == "clearance" or n.startswith("clearance.") or n == "party_devset"]:
        del sys.modules[name]
    sys.path.insert(0, str(src))
    try:
        modules = {
            name: importlib.import_module(name) for name in ("clearance.matching", "clearance.model", "party_devset")
        }
    finally:
        sys.path.remove(str(src))
    return modules


def _export(revision: str, into: Path) -> Path:
    """The `src` tree of a git revision, written under `into`."""
    archive = into / "src.tar"
    subprocess.run(["git", "archive", "--output", str(archive), revision, "src"], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _load(label: str, src: Path, queries: list[Any] | None, names: int, seed: int) -> tuple[Version, list[Any]]:
    modules = _fresh_import(src)
    devset = modules["party_devset"]
    entities = devset.load_entities(devset.LISTS)
    if queries is None:
        everything = devset.build_devset(entities, devset.SEED, None)
        queries = random.Random(f"{seed}:compare").sample(everything, min(WARMUP + names, len(everything)))
    matching, model = modules["clearance.matching"], modules["clearance.model"]
    started = time.perf_counter()
    screener = getattr(matching.Screener, "build", matching.Screener)(entities)  # before and after the API change
    if hasattr(screener.index, "warm"):  # a kept index decodes its records on use: all at once, as a batch does
        screener.index.warm(records=True)
    print(f"{label}: index built in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    kind = model.EntityKind
    parties = [matching.Party(name=q.text, kind=kind(q.kind), dob=q.dob, country=q.country) for q in queries]
    return Version(label, screener, parties), queries


def _plain(explanation: Any) -> Any:
    """An explanation as plain values, the same for both versions' classes."""
    return json.loads(json.dumps(dataclasses.asdict(explanation), default=str))


def _screen(version: Version, start: int, stop: int, threshold: float | None) -> list[Any]:
    """Each name's hits as plain values, or the error it raised."""
    results: list[Any] = []
    for party in version.parties[start:stop]:
        try:
            hits = version.screener.screen(party, threshold=threshold, limit=HIT_LIMIT)
        except Exception as exc:  # a query error is a result to compare too
            results.append(type(exc).__name__)
            continue
        results.append(
            [
                (hit.entity.id, round(hit.score, 9), hit.explanation.matched_name.full, _plain(hit.explanation))
                for hit in hits
            ]
        )
    return results


def measure(revision: str, src: Path, revision_first: bool, args: argparse.Namespace) -> dict[str, Any]:
    """One run: both indexes built (in the given order), then the alternating chunks timed."""
    trees = [("working tree", ROOT / "src"), (revision, src)]
    if revision_first:
        trees.reverse()
    versions: list[Version] = []
    queries = None
    for label, tree in trees:
        version, queries = _load(label, tree, queries, args.names, args.seed)
        versions.append(version)
    # What both loaded stays alive to the end: out of the cycle collector's reach, for both alike (the older
    # version froze the heap in its constructor, which favoured whichever index was built before it).
    gc.collect()
    gc.freeze()
    for version in versions:
        _screen(version, 0, WARMUP, args.threshold)
    total = len(versions[0].parties)
    differ = 0
    for number, start in enumerate(range(WARMUP, total, CHUNK)):
        results: dict[str, list[Any]] = {}
        for version in versions if number % 2 == 0 else versions[::-1]:
            started = time.process_time()
            results[version.label] = _screen(version, start, start + CHUNK, args.threshold)
            version.seconds += time.process_time() - started
        ours, theirs = results["working tree"], results[args.revision]
        for offset, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            if a != b:
                differ += 1
                party = versions[0].parties[start + offset]
                print(f"differs: {party!r}\n  working tree: {a}\n  {args.revision}: {b}", file=sys.stderr)
    seconds = {version.label: version.seconds for version in versions}
    return {"names": total - WARMUP, "tree": seconds["working tree"], "revision": seconds[revision], "differ": differ}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revision", help="the git revision to compare the working tree with")
    parser.add_argument("--names", type=int, default=10_000, help="names timed, after a first batch of 2,000")
    parser.add_argument("--cpu", type=int, default=0, help="the one core to pin the run to")
    parser.add_argument("--threshold", type=float, default=None, help="screen at this threshold (default: the default)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--revision-first", type=int, choices=(0, 1), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    sys.path.insert(0, str(BENCH))

    if args.revision_first is not None:  # one build order, in a process of its own
        with tempfile.TemporaryDirectory() as tmp:
            result = measure(args.revision, _export(args.revision, Path(tmp)), bool(args.revision_first), args)
        print(json.dumps(result))
        return
    # The index built second runs several per cent faster, whichever it is: each order once, in a fresh process.
    runs = []
    for first in (0, 1):
        command = [sys.executable, __file__, *sys.argv[1:], "--revision-first", str(first)]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    print(f"working tree against {args.revision}, {runs[0]['names']:,} names a run, CPU seconds:")
    for run, order in zip(runs, ("working tree", args.revision), strict=True):
        ratio = run["tree"] / run["revision"]
        print(
            f"  {order} built first: working tree {run['names'] / run['tree']:,.0f} names/s, {args.revision} "
            f"{run['names'] / run['revision']:,.0f} names/s, time ratio {ratio:.3f}, hits differ for {run['differ']:,}"
        )
    both = math.sqrt(runs[0]["tree"] / runs[0]["revision"] * runs[1]["tree"] / runs[1]["revision"])
    print(f"working tree takes {both:.3f} of {args.revision}'s time (geometric mean of the two orders)")


if __name__ == "__main__":
    main()
