"""Party screening on real-world spellings: clearance's Screener beside logic-v2 and rapidfuzz, per family.

The generated dev set (party_screening.py) rewards a matcher for knowing our own variant
rules; this benchmark screens names as other people write them (realworld_devset.py) and
reports, for each family of spelling, the share found at each system's default threshold,
with the false-positive rate on real non-listed people and on OpenSanctions' synthetic ones.
The systems, their thresholds and the screening loop are party_screening.py's.

The loop screens at threshold 0, for every score the 1% FPR cut needs. clearance's Screener
screens otherwise at its default threshold: it passes over candidates estimated far below it. So
its figures at the default threshold are those of a second pass at that threshold, as a user
screens (`at_default`); the peers' screening does not depend on a threshold.

The `test` split is locked: it is reported only with `--split test`, once a change is
final. Tuning (thresholds, rules, tables) looks at the dev split only, and at `renderings`: every
listed person of the dev split's clusters written token by token in five scripts, not only the
dev split's forty a script, beside the dev split's negatives.

    .venv/bin/python bench/realworld_screening.py                          # dev split, every peer negative
    .venv/bin/python bench/realworld_screening.py --limit 600 --peer-negatives 2000   # quick look
    .venv/bin/python bench/realworld_screening.py --split renderings       # the dev split's people, all rendered
    .venv/bin/python bench/realworld_screening.py --split test             # the final measurement
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from party_devset import CACHE, LISTS, Query, load_entities
from party_screening import (
    NK_CANDIDATES,
    SYSTEMS,
    Outcome,
    Run,
    make_system,
    matcher_digest,
    operating_points,
    run_system,
    warmup_queries,
)
from realworld_devset import FAMILIES, RENDERINGS, SEED, SPLITS, RealQuery, build, composition, renderings, select

REAL_ORIGINS = ("hand", "wikidata")
"""Negatives that are real people; `peers` are synthetic."""


def as_query(query: RealQuery) -> Query:
    """party_screening's query type: the family stands in its variation slot, the language in its script slot."""
    return Query(
        qid=query.qid,
        text=query.text,
        kind=query.kind,
        dob=query.dob,
        country=query.country,
        expected=query.expected,
        variation=query.family,
        script=query.language,
        origin=query.origin,
    )


def limit_queries(queries: list[RealQuery], limit: int | None) -> list[RealQuery]:
    """A seeded subset that keeps the share of positives, real negatives and synthetic negatives."""
    if limit is None or limit >= len(queries):
        return queries
    rng = random.Random(f"{SEED}:limit")
    groups: dict[str, list[RealQuery]] = defaultdict(list)
    for query in queries:
        group = "positive" if query.positive else ("peers" if query.origin == "peers" else "real")
        groups[group].append(query)
    chosen: list[RealQuery] = []
    for members in groups.values():
        chosen += rng.sample(members, max(1, round(limit * len(members) / len(queries))))
    return sorted(chosen, key=lambda q: q.qid)


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def at_default(system: Any, queries: Sequence[RealQuery], plain: Sequence[Query]) -> list[bool] | None:
    """Per query, whether screening at the system's default threshold, as a user screens, reports it: a positive,
    an expected entity as a match; a negative, any match. None for a system whose screening does not depend on the
    threshold (the peers: their scores at threshold 0 cut at the default say the same)."""
    if not hasattr(system, "screener"):
        return None
    found = []
    for query, row in zip(queries, plain, strict=True):
        try:
            hits = [h for h in system.screener.screen(system.party(row)) if h.band.value == "match"]
        except Exception:
            hits = []
        expected = set(query.expected)
        found.append(any(h.entity.id in expected for h in hits) if query.positive else bool(hits))
    return found


def evaluate(
    run: Run, queries: Sequence[RealQuery], plain: Sequence[Query], defaults: list[bool] | None = None
) -> dict[str, Any]:
    """Recall per family at the default threshold and at the 1% FPR cut; FPR on real and synthetic negatives.
    `defaults`: each query's outcome screened at the default threshold (`at_default`), else its score cut there."""
    default, fpr1 = operating_points(run, plain)[:2]
    flags = defaults if defaults is not None else [default.hit(o.score) for o in run.outcomes]
    pairs = list(zip(queries, run.outcomes, strict=True))
    hit = {id(o): flag for o, flag in zip(run.outcomes, flags, strict=True)}
    pos = [(q, o) for q, o in pairs if q.positive]
    neg = [(q, o) for q, o in pairs if not q.positive]

    def recall(group: list[tuple[RealQuery, Outcome]]) -> dict[str, Any]:
        return {
            "n": len(group),
            "default": _share([hit[id(o)] for _, o in group]),
            "fpr_0.01": _share([fpr1.hit(o.score) for _, o in group]),
            "top1": _share([o.rank == 1 for _, o in group]),
        }

    def by(key: Callable[[RealQuery], str]) -> dict[str, Any]:
        buckets: dict[str, list[tuple[RealQuery, Outcome]]] = defaultdict(list)
        for q, o in pos:
            buckets[key(q)].append((q, o))
        return {k: recall(v) for k, v in sorted(buckets.items(), key=lambda kv: -len(kv[1]))}

    def fpr(group: list[tuple[RealQuery, Outcome]]) -> dict[str, Any]:
        return {"n": len(group), "default": _share([hit[id(o)] for _, o in group])}

    real = [(q, o) for q, o in neg if q.origin in REAL_ORIGINS]
    peers = [(q, o) for q, o in neg if q.origin == "peers"]
    return {
        "default_threshold": run.default_threshold,
        "threshold_note": run.threshold_note,
        "fpr_0.01_cut": round(fpr1.cut, 4),
        "recall": recall(pos),
        "recall_by_family": by(lambda q: q.family),
        "recall_by_language": by(lambda q: q.language),
        "recall_by_origin": by(lambda q: q.origin),
        "fpr_real": fpr(real),
        "fpr_peers": fpr(peers),
        "errors": sum(1 for o in run.outcomes if o.error),
        "false_positives_real": [
            {"query": q.text, "score": round(o.score, 4), "hit": o.top_id, "source": q.source}
            for q, o in sorted(real, key=lambda pair: -pair[1].score)
            if hit[id(o)]
        ][:25],
        "misses_sample": [
            {"query": q.text, "family": q.family, "expected": q.expected[0], "score": round(o.score, 4)}
            for q, o in pos
            if not hit[id(o)]
        ][:40],
    }


def surname_reported(system: Any, queries: Sequence[RealQuery], plain: Sequence[Query]) -> float | None:
    """The share of surname-only queries whose entity comes back at the default threshold as a match or in the
    partial band, which is how a rare family name given alone is to be reported; None for a system without bands
    (the peers). The recall above counts a score at the threshold only, which a family name alone with no other
    field does not reach by design."""
    if not hasattr(system, "screener"):
        return None
    found = []
    for query, row in zip(queries, plain, strict=True):
        if query.positive and query.family == "surname_only":
            hits = system.screener.screen(system.party(row))
            found.append(any(h.entity.id in query.expected and h.band.value in ("match", "partial") for h in hits))
    return _share(found)


def _pct(value: float | None) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def print_table(results: dict[str, dict[str, Any]], split: str) -> None:
    systems = list(results)
    head = "".join(f" {s[:12]:>12}" for s in systems)
    print(f"\nReal-world party screening, {split} split: recall at each system's default threshold")
    print("thresholds: " + ", ".join(f"{s} {r['default_threshold']:g}" for s, r in results.items()))
    print(f"\n{'family':<20}{'n':>6}{head}")
    families = [f for f in FAMILIES if f in results[systems[0]]["recall_by_family"]]
    for family in families:
        n = results[systems[0]]["recall_by_family"][family]["n"]
        cells = "".join(f" {_pct(results[s]['recall_by_family'][family]['default']):>12}" for s in systems)
        print(f"{family:<20}{n:>6}{cells}")
        if family == "surname_only":  # a family name alone is to be reported in the partial band
            cells = "".join(f" {_pct(results[s].get('surname_reported')):>12}" for s in systems)
            print(f"{'  or partial band':<20}{'':>6}{cells}")
    n = results[systems[0]]["recall"]["n"]
    print(f"{'all positives':<20}{n:>6}" + "".join(f" {_pct(results[s]['recall']['default']):>12}" for s in systems))
    print(
        f"{'  at FPR 1% cut':<20}{'':>6}" + "".join(f" {_pct(results[s]['recall']['fpr_0.01']):>12}" for s in systems)
    )
    print(f"{'  top-1':<20}{'':>6}" + "".join(f" {_pct(results[s]['recall']['top1']):>12}" for s in systems))
    for label, key in (("FPR real negatives", "fpr_real"), ("FPR synthetic (peers)", "fpr_peers")):
        n = results[systems[0]][key]["n"]
        print(f"{label:<20}{n:>6}" + "".join(f" {_pct(results[s][key]['default']):>12}" for s in systems))
    print(f"\n{'origin':<20}{'n':>6}{head}")
    for origin, row in results[systems[0]]["recall_by_origin"].items():
        cells = "".join(f" {_pct(results[s]['recall_by_origin'][origin]['default']):>12}" for s in systems)
        print(f"{origin:<20}{row['n']:>6}{cells}")
    print(f"\n{'language/script':<20}{'n':>6}{head}")
    for language, row in results[systems[0]]["recall_by_language"].items():
        cells = "".join(f" {_pct(results[s]['recall_by_language'][language]['default']):>12}" for s in systems)
        print(f"{language:<20}{row['n']:>6}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split",
        choices=(*SPLITS, RENDERINGS),
        default="dev",
        help="test is locked: the final measurement only; renderings: the dev split's listed people all rendered "
        "token by token in five scripts, beside its negatives",
    )
    parser.add_argument("--limit", type=int, default=None, help="screen a seeded subset of N queries (same mix)")
    parser.add_argument("--peer-negatives", type=int, default=None, help="use only the first N synthetic negatives")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--nk-candidates", type=int, default=NK_CANDIDATES, help="logic-v2 blocking cap")
    parser.add_argument("--rapidfuzz-scorer", default="token_sort_ratio", choices=("token_sort_ratio", "WRatio"))
    parser.add_argument("--cpu", type=int, default=0, help="the one core to pin the run to")
    parser.add_argument("--lists", type=Path, default=LISTS)
    parser.add_argument("--out", type=Path, default=None, help="default bench/.cache/realworld_results_<split>.json")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    wall = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - wall:7.1f}s] {message}", file=sys.stderr, flush=True)

    entities = load_entities(args.lists)
    built = build(entities, peer_limit=args.peer_negatives)
    chosen = renderings(entities, built) if args.split == RENDERINGS else select(built, args.split)
    queries = limit_queries(chosen, args.limit)
    plain = [as_query(q) for q in queries]
    log(f"{args.split} split: {len(queries):,} queries")
    warmup = warmup_queries(entities, SEED)
    runs: dict[str, Run] = {}
    reported: dict[str, float | None] = {}
    defaults: dict[str, list[bool] | None] = {}
    for name in [s.strip() for s in args.systems.split(",") if s.strip()]:
        try:
            system = make_system(name, args)
        except ImportError as exc:
            log(f"{name}: not available ({exc}); skipped")
            continue
        run = Run(system=name)
        started = time.perf_counter()
        system.build(entities)
        run.build_s = time.perf_counter() - started
        run.default_threshold = system.default_threshold
        run.threshold_note = system.threshold_note
        log(f"{name}: index built in {run.build_s:.1f} s")
        run.outcomes = run_system(system, plain, warmup, lambda n, s=name: log(f"{s}: {n:,}/{len(plain):,}"))
        runs[name] = run
        reported[name] = surname_reported(system, queries, plain)
        defaults[name] = at_default(system, queries, plain)
        del system
        gc.unfreeze()
        gc.collect()
    if not runs:
        raise SystemExit("no system ran")
    results = {
        name: {**evaluate(run, queries, plain, defaults[name]), "surname_reported": reported[name]}
        for name, run in runs.items()
    }
    print_table(results, args.split)
    out = args.out or CACHE / f"realworld_results_{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "run": {
            "split": args.split,
            "queries": len(queries),
            "limit": args.limit,
            "peer_negatives": args.peer_negatives,
            "seconds": round(time.perf_counter() - wall, 1),
            "matcher_digest": matcher_digest(),
        },
        "set": composition(queries),
        "systems": results,
    }
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with out.with_suffix(".queries.jsonl").open("w", encoding="utf-8") as handle:
        for name, run in runs.items():
            found = defaults[name]
            for number, (query, outcome) in enumerate(zip(queries, run.outcomes, strict=True)):
                row = {"system": name, "qid": query.qid, "text": query.text, **asdict(outcome)}
                if found is not None:
                    row["at_default"] = found[number]
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    log(f"figures in {out}")


if __name__ == "__main__":
    main()
