"""Party screening benchmark: clearance's Screener beside OpenSanctions' logic-v2 and plain rapidfuzz.

All systems run in one process pinned to one core, on the same dev set (bench/party_devset.py)
built from the real lists, so recall, false-positive rate, latency and memory are
comparable figure by figure. Recall is compared at each system's own default
threshold and at thresholds set on the negatives for a 1% and a 0.1% false-positive
rate, which removes the effect of score scales that differ between systems.

    .venv/bin/python bench/party_screening.py                              # full run
    .venv/bin/python bench/party_screening.py --limit-queries 2000         # quick run
    .venv/bin/python bench/party_screening.py --systems nomenklatura,rapidfuzz
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

from anyascii import anyascii

from clearance.export import ftm_entities
from clearance.model import Entity, EntityKind
from party_devset import CACHE, LISTS, SEED, Query, build_devset, composition, load_entities, write_devset

SYSTEMS = ("ours", "nomenklatura", "rapidfuzz")
FPR_TARGETS = (0.01, 0.001)
HIT_LIMIT = 10
NK_CANDIDATES = 100
NK_THRESHOLD = 0.7
"""yente's SCORE_THRESHOLD (yente/settings.py): the match cut-off OpenSanctions' API applies to logic-v2 scores."""
RAPIDFUZZ_THRESHOLD = 0.9
"""No documented default exists for a bare fuzzy ratio; 90 is the customary "near-identical" cut-off."""
BATCH_SIZE = 2000
ERROR_SAMPLES = 5
TOP_FALSE_POSITIVES = 25
"""Highest-scoring negatives kept in the JSON, to check by eye that they are not listed names after all."""


# --- systems ---------------------------------------------------------------------------------------------------------


class System(Protocol):
    name: str
    default_threshold: float
    threshold_note: str
    candidate_note: str | None

    def build(self, entities: Sequence[Entity]) -> None: ...

    def screen(self, query: Query) -> list[tuple[str, float]]:
        """Entity ids and scores of the hits, best first, at threshold 0 and at most HIT_LIMIT."""
        ...

    def candidates(self, query: Query) -> list[str] | None:
        """The entity ids the candidate stage would score; None when the system has no such stage."""
        ...


_WORD = re.compile(r"[a-z0-9]+")


def ascii_tokens(text: str) -> list[str]:
    """Latin transliteration, casefolded, split on anything but letters and digits."""
    return _WORD.findall(anyascii(text).casefold())


class Ours:
    """clearance's Screener, through the documented interface only."""

    name = "ours"
    candidate_note: str | None = None

    def __init__(self) -> None:
        from clearance.matching import Party, Screener

        self._party = Party
        self._screener = Screener

    def build(self, entities: Sequence[Entity]) -> None:
        self.screener = self._screener.build(entities)
        self.default_threshold = float(self.screener.threshold)
        self.threshold_note = "Screener.threshold (documented default)"
        self.candidate_limit = int(getattr(self.screener, "candidate_limit", 50))
        self.candidate_note = (
            f"Screener.candidates(party, limit={self.candidate_limit}): the candidates screen() scores"
        )

    def party(self, query: Query) -> Any:
        return self._party(name=query.text, kind=EntityKind(query.kind), dob=query.dob, country=query.country)

    def screen(self, query: Query) -> list[tuple[str, float]]:
        hits = self.screener.screen(self.party(query), threshold=0.0, limit=HIT_LIMIT)
        return [(hit.entity.id, float(hit.score)) for hit in hits]

    def candidates(self, query: Query) -> list[str] | None:
        return list(self.screener.candidates(self.party(query), limit=self.candidate_limit))


class Nomenklatura:
    """OpenSanctions' logic-v2 on FollowTheMoney proxies, behind a token blocking step.

    yente blocks with an Elasticsearch query; here the stand-in is the entities sharing a
    normalised name token with the query, of a schema the query can match, ranked by the
    summed rarity (IDF) of the shared tokens and capped at NK_CANDIDATES.
    """

    name = "nomenklatura"
    default_threshold = NK_THRESHOLD
    threshold_note = "0.7: yente's SCORE_THRESHOLD for logic-v2"

    def __init__(self, limit: int = NK_CANDIDATES) -> None:
        from followthemoney import EntityProxy, model
        from nomenklatura.matching import get_algorithm

        algorithm = get_algorithm("logic-v2")
        if algorithm is None:
            raise RuntimeError("nomenklatura has no logic-v2 algorithm")
        self.algorithm = algorithm
        self.config = algorithm.default_config()
        self.model = model
        self.proxy_type = EntityProxy
        self.limit = limit
        self.candidate_note = f"token blocking: shared normalised name token, schema-compatible, top {limit} by IDF"

    def build(self, entities: Sequence[Entity]) -> None:
        model = self.model
        self.ids = [e.id for e in entities]
        self.proxies = [self.proxy_type.from_dict(next(ftm_entities(e))) for e in entities]
        postings: dict[str, list[int]] = defaultdict(list)
        for number, entity in enumerate(entities):
            tokens = {t for name in entity.names for t in ascii_tokens(name.full) if len(t) > 1}
            for token in sorted(tokens):
                postings[token].append(number)
        total = len(entities)
        self.postings = dict(postings)
        self.idf = {token: math.log(total / len(ids)) for token, ids in postings.items()}
        self.schemas = {
            schema: [model.get(schema).can_match(p.schema) for p in self.proxies]  # type: ignore[union-attr]
            for schema in ("Person", "Organization", "LegalEntity")
        }

    @staticmethod
    def schema(query: Query) -> str:
        return {"person": "Person", "organization": "Organization"}.get(query.kind, "LegalEntity")

    def block(self, query: Query) -> list[int]:
        allowed = self.schemas[self.schema(query)]
        weights: dict[int, float] = defaultdict(float)
        for token in set(ascii_tokens(query.text)):
            idf = self.idf.get(token)
            if idf is None:
                continue
            for number in self.postings[token]:
                if allowed[number]:
                    weights[number] += idf
        ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        return [number for number, _ in ranked[: self.limit]]

    def proxy(self, query: Query) -> Any:
        schema = self.schema(query)
        proxy = self.model.make_entity(schema)
        proxy.id = f"query-{query.qid}"  # logic-v2 memoises name analysis by entity id
        proxy.add("name", query.text)
        if query.dob and schema == "Person":
            proxy.add("birthDate", query.dob)
        if query.country:
            proxy.add("country", query.country.lower())
        return proxy

    def screen(self, query: Query) -> list[tuple[str, float]]:
        proxy = self.proxy(query)
        scored = []
        for number in self.block(query):
            result = self.algorithm.compare(proxy, self.proxies[number], self.config)
            scored.append((self.ids[number], float(result.score)))
        scored.sort(key=lambda item: (-item[1], item[0]))
        return scored[:HIT_LIMIT]

    def candidates(self, query: Query) -> list[str] | None:
        return [self.ids[number] for number in self.block(query)]


class RapidFuzz:
    """`rapidfuzz.process.extract` over every name of every entity: the baseline a team writes in an afternoon.

    token_sort_ratio is `ratio` of the token-sorted strings, so the choices are token-sorted
    once at build time and scored with `ratio`: the same scores, without re-sorting 60,000
    names per query. Names are extracted 5x deeper than HIT_LIMIT and kept best per entity,
    so an entity with many similar aliases does not fill every hit slot.
    """

    name = "rapidfuzz"
    default_threshold = RAPIDFUZZ_THRESHOLD
    candidate_note: str | None = None

    def __init__(self, scorer: str = "token_sort_ratio") -> None:
        from rapidfuzz import fuzz, process

        self.scorer_name = scorer
        self.threshold_note = f"0.9 (score {scorer}/100; no documented default)"
        self.process = process
        self.sort = scorer == "token_sort_ratio"
        self.scorer = fuzz.ratio if self.sort else getattr(fuzz, scorer)

    def build(self, entities: Sequence[Entity]) -> None:
        self.ids: list[str] = []
        self.choices: list[str] = []
        for entity in entities:
            seen: set[str] = set()
            for name in entity.names:
                text = self.normalise(name.full)
                if text and text not in seen:
                    seen.add(text)
                    self.ids.append(entity.id)
                    self.choices.append(text)

    def normalise(self, text: str) -> str:
        tokens = ascii_tokens(text)
        return " ".join(sorted(tokens) if self.sort else tokens)

    def screen(self, query: Query) -> list[tuple[str, float]]:
        found = self.process.extract(
            self.normalise(query.text), self.choices, scorer=self.scorer, processor=None, limit=HIT_LIMIT * 5
        )
        best: dict[str, float] = {}
        for _, score, index in found:
            entity_id = self.ids[index]
            if entity_id not in best:
                best[entity_id] = score / 100.0
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:HIT_LIMIT]

    def candidates(self, query: Query) -> list[str] | None:
        return None


def make_system(name: str, args: argparse.Namespace) -> System:
    if name == "ours":
        return Ours()  # type: ignore[return-value]
    if name == "nomenklatura":
        return Nomenklatura(args.nk_candidates)  # type: ignore[return-value]
    if name == "rapidfuzz":
        return RapidFuzz(args.rapidfuzz_scorer)  # type: ignore[return-value]
    raise SystemExit(f"unknown system {name!r} (known: {', '.join(SYSTEMS)})")


# --- running ---------------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one system did with one query."""

    score: float = 0.0
    """Positives: the best score of any hit on an expected id (0 if none); negatives: the top hit's score."""
    top_id: str | None = None
    top_score: float = 0.0
    rank: int | None = None
    in_candidates: bool | None = None
    ms: float = 0.0
    cpu_ms: float = 0.0
    """Thread CPU time of the same call: unlike `ms`, not inflated when other processes share the core."""
    error: str | None = None


@dataclass
class Run:
    system: str
    default_threshold: float = 0.0
    threshold_note: str = ""
    candidate_note: str | None = None
    build_s: float = 0.0
    memory: dict[str, float] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    batch: dict[str, float] | None = None
    failed: str | None = None


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM its peak), in MB."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def memory_child(name: str, args: argparse.Namespace) -> None:
    """Build one index in this fresh process and print its memory as JSON (the --measure-memory mode).

    A fresh process per system keeps one index's freed memory from hiding another's growth.
    The peak-RSS mark is reset after loading the lists (clear_refs 5), so the peak is the build's own.
    RSS growth undercounts small objects that reuse memory the list parsers freed, so a second,
    traced build gives the Python-heap view too (tracemalloc misses what C code takes from malloc).
    """
    entities = load_entities(args.lists)
    gc.collect()
    bare = _status_mb("VmRSS")
    system = make_system(name, args)
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass
    start = _status_mb("VmRSS")
    started = time.perf_counter()
    system.build(entities)
    build_s = time.perf_counter() - started
    gc.collect()
    figures = {
        "imports_mb": round(start - bare, 1),
        "index_mb": round(_status_mb("VmRSS") - start, 1),
        "build_peak_mb": round(_status_mb("VmHWM") - start, 1),
        "fresh_build_s": round(build_s, 2),
    }
    del system
    gc.collect()
    traced = make_system(name, args)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    traced.build(entities)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures["python_heap_mb"] = round((current - base) / 2**20, 1)
    figures["python_heap_peak_mb"] = round((peak - base) / 2**20, 1)
    print(json.dumps(figures))


def _in_child(mode: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """Run this script in one of its measuring modes in a fresh interpreter, pinned to the same core."""
    command = [sys.executable, str(Path(__file__).resolve()), *mode, "--lists", str(args.lists)]
    command += ["--nk-candidates", str(args.nk_candidates), "--rapidfuzz-scorer", args.rapidfuzz_scorer]
    command += ["--cpu", str(args.cpu)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure_memory(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run memory_child for one system in a fresh interpreter."""
    return _in_child(["--measure-memory", name], args)


WARMUP_NAMES = 200


def warmup_queries(entities: Sequence[Entity], seed: int) -> list[Query]:
    """Primary names of listed entities (not dev-set queries), in every script, to trigger lazy loading untimed.

    logic-v2's name analysis (rigour) builds some of its tables on first use, which costs from
    a fraction of a second to several seconds once per process; that is start-up cost, not latency.
    """
    rng = random.Random(f"{seed}:warmup")
    pool = sorted({(e.name, e.kind.value) for e in entities if e.kind in (EntityKind.PERSON, EntityKind.ORGANIZATION)})
    names = rng.sample(pool, min(WARMUP_NAMES, len(pool)))
    names += sorted({(n.full, e.kind.value) for e in entities for n in e.names if n.script not in (None, "Latn")})[:50]
    names += [("John Smith", "person"), ("Иван Петрович Сидоров", "person"), ("محمد علي", "person")]
    return [Query(f"warmup:{i}", text, kind, None, None, (), "warmup", "", "") for i, (text, kind) in enumerate(names)]


def run_system(
    system: System, queries: Sequence[Query], warmup: Sequence[Query], progress: Callable[[int], None]
) -> list[Outcome]:
    """Screen every query, timing screen() alone, after an untimed warm-up.

    Everything alive before the loop (lists, dev set, index) is moved out of the garbage
    collector's reach (gc.freeze): otherwise full collections walk that whole heap every few
    dozen queries and add up to a second to whichever query triggers them, whatever the system.
    """
    for query in warmup:
        system.screen(query)
        system.candidates(query)
    gc.collect()
    gc.freeze()
    outcomes = []
    for number, query in enumerate(queries):
        outcome = Outcome()
        started, cpu = time.perf_counter_ns(), time.thread_time_ns()
        try:
            hits = system.screen(query)
        except Exception as exc:  # a failing query is counted, and the run goes on
            hits = []
            outcome.error = f"{type(exc).__name__}: {exc}"
        outcome.ms = (time.perf_counter_ns() - started) / 1e6
        outcome.cpu_ms = (time.thread_time_ns() - cpu) / 1e6
        if outcome.error:
            outcomes.append(outcome)
            continue
        if hits:
            outcome.top_id, outcome.top_score = hits[0]
        if query.positive:
            expected = set(query.expected)
            for rank, (entity_id, score) in enumerate(hits, start=1):
                if entity_id in expected:
                    outcome.score = score
                    outcome.rank = rank
                    break
            try:
                found = system.candidates(query)
            except Exception as exc:
                outcome.error = f"candidates: {type(exc).__name__}: {exc}"
                found = None
            if found is not None:
                outcome.in_candidates = not expected.isdisjoint(found)
        else:
            outcome.score = outcome.top_score
        outcomes.append(outcome)
        if number % 1000 == 999:
            progress(number + 1)
    return outcomes


BATCH_ROUNDS = 5


def batch_throughput(system: Ours, queries: Sequence[Query]) -> dict[str, float]:
    """Names per second screening batches at the default threshold, as a nightly customer-file run would.

    In a process of its own that has just built its index (see `measure_batch`), so nothing of the dev
    set has been screened before: first a batch of BATCH_SIZE names (fewer in a quick run) while the
    caches fill, then BATCH_ROUNDS batches of other names, the rate a long batch settles at; best and
    median of those, as machines shared with other work only ever slow a batch down. The last batch is
    also screened at threshold 0 and cut at the default, to count the names for which the
    default-threshold run, which skips candidates estimated far below the threshold, returns other hits.
    """
    screener = system.screener
    parties = [system.party(q) for q in queries]
    size = min(BATCH_SIZE, len(parties) // (1 + BATCH_ROUNDS))
    if not size:
        return {}
    batches = [parties[i : i + size] for i in range(0, (1 + BATCH_ROUNDS) * size, size)]
    rates = []
    for batch in batches:
        started = time.perf_counter()
        for party in batch:
            try:
                screener.screen(party, limit=HIT_LIMIT)
            except Exception:
                pass
        rates.append(len(batch) / (time.perf_counter() - started))
    settled = sorted(rates[1:])
    differ = 0
    for party in batches[-1]:
        try:
            # Matches only: partial-name and review hits are bands below the threshold, not skipped candidates.
            fast = [(h.entity.id, h.score) for h in screener.screen(party, limit=HIT_LIMIT) if h.band == "match"]
            full = screener.screen(party, threshold=0.0, limit=1000)
        except Exception:
            continue
        # The other lists' entries of the HIT_LIMIT best follow each of them, however many there are.
        kept = [(h.entity.id, h.score) for h in full if h.score >= screener.threshold][: max(len(fast), HIT_LIMIT)]
        differ += fast != kept
    return {
        "names": size,
        "rounds": len(settled),
        "names_per_s": round(settled[-1], 1),
        "median_names_per_s": round(statistics.median(settled), 1),
        "first_names_per_s": round(rates[0], 1),
        "differ_from_unfiltered": differ,
    }


def batch_child(path: Path, args: argparse.Namespace) -> None:
    """Build clearance's index in this fresh process, screen the queries in `path` in batches, print JSON."""
    entities = load_entities(args.lists)
    queries = [Query(**{**row, "expected": tuple(row["expected"])}) for row in map(json.loads, path.open())]
    system = Ours()
    system.build(entities)
    system.screener.index.warm(records=True)  # as screen-batch does for a large file
    del entities  # screen-batch holds the kept index, not the entities
    gc.collect()
    print(json.dumps(batch_throughput(system, queries)))


def measure_batch(queries: Sequence[Query], args: argparse.Namespace) -> dict[str, Any]:
    """Run batch_child in a fresh interpreter pinned to the same core: one index, as `screen-batch` has, and
    every cache (the index's and the normaliser's) as cold as in a run over a new customer file."""
    path = CACHE / "party_batch.jsonl"
    write_devset(list(queries), path)
    return _in_child(["--measure-batch", str(path)], args)


# --- metrics ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """An operating point: scores at or above `cut` (inclusive) or strictly above it count as hits."""

    label: str
    cut: float
    inclusive: bool

    def hit(self, score: float) -> bool:
        return score >= self.cut if self.inclusive else score > self.cut

    def to_json(self) -> dict[str, Any]:
        return {"threshold": round(self.cut, 4), "rule": ">=" if self.inclusive else ">"}


def operating_points(run: Run, queries: Sequence[Query]) -> list[Point]:
    """The default threshold, and for each target FPR the cut that lets at most that share of negatives through."""
    negatives = sorted((o.score for q, o in zip(queries, run.outcomes, strict=True) if not q.positive), reverse=True)
    points = [Point("default", run.default_threshold, True)]
    for target in FPR_TARGETS:
        allowed = math.floor(target * len(negatives))
        cut = negatives[allowed] if allowed < len(negatives) else 0.0
        points.append(Point(f"fpr_{target:g}", cut, False))
    return points


def _share(flags: Iterable[bool]) -> float | None:
    values = list(flags)
    return round(sum(values) / len(values), 4) if values else None


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def evaluate(run: Run, queries: Sequence[Query], names: dict[str, str]) -> dict[str, Any]:
    points = operating_points(run, queries)
    pairs = list(zip(queries, run.outcomes, strict=True))
    pos = [(q, o) for q, o in pairs if q.positive]
    neg = [(q, o) for q, o in pairs if not q.positive]

    def recall(group: list[tuple[Query, Outcome]]) -> dict[str, Any]:
        out: dict[str, Any] = {"n": len(group)}
        for point in points:
            out[point.label] = _share(point.hit(o.score) for _, o in group)
        out["top1"] = _share(o.rank == 1 for _, o in group)
        cands = [o.in_candidates for _, o in group if o.in_candidates is not None]
        out["candidates"] = _share(cands) if cands else None
        return out

    def fpr(group: list[tuple[Query, Outcome]]) -> dict[str, Any]:
        out: dict[str, Any] = {"n": len(group)}
        for point in points:
            out[point.label] = _share(point.hit(o.score) for _, o in group)
        return out

    def split(group: list[tuple[Query, Outcome]], key: Callable[[Query], str], metric: Callable[..., Any]) -> dict:
        buckets: dict[str, list[tuple[Query, Outcome]]] = defaultdict(list)
        for q, o in group:
            buckets[key(q)].append((q, o))
        return {k: metric(v) for k, v in sorted(buckets.items(), key=lambda kv: -len(kv[1]))}

    latencies = [o.ms for o in run.outcomes]
    cpu = [o.cpu_ms for o in run.outcomes]
    errors = [o.error for o in run.outcomes if o.error]
    return {
        "default_threshold": run.default_threshold,
        "threshold_note": run.threshold_note,
        "candidate_note": run.candidate_note,
        "operating_points": {p.label: p.to_json() for p in points},
        "recall": recall(pos),
        "fpr": fpr(neg),
        "recall_by_variation": split(pos, lambda q: q.variation, recall),
        "recall_by_script": split(pos, lambda q: q.script, recall),
        "recall_by_source": split(pos, lambda q: q.origin, recall),
        "recall_by_kind": split(pos, lambda q: q.kind, recall),
        "recall_by_attributes": split(pos, lambda q: "dob or country" if q.dob or q.country else "name only", recall),
        "fpr_by_origin": split(neg, lambda q: q.origin, fpr),
        "fpr_by_script": split(neg, lambda q: q.script, fpr),
        "latency_ms": {
            "p50": round(statistics.median(latencies), 3) if latencies else None,
            "p99": round(_percentile(latencies, 0.99), 3),
            "mean": round(statistics.fmean(latencies), 3) if latencies else None,
        },
        "cpu_ms": {
            "p50": round(statistics.median(cpu), 3) if cpu else None,
            "p99": round(_percentile(cpu, 0.99), 3),
            "mean": round(statistics.fmean(cpu), 3) if cpu else None,
        },
        "build_s": round(run.build_s, 2),
        "memory": run.memory,
        "batch": run.batch,
        "errors": {"count": len(errors), "samples": sorted(set(errors))[:ERROR_SAMPLES]},
        "top_false_positives": [
            {
                "query": q.text,
                "origin": q.origin,
                "score": round(o.score, 4),
                "hit": o.top_id,
                "hit_name": names.get(o.top_id or ""),
            }
            for q, o in sorted(neg, key=lambda pair: -pair[1].score)[:TOP_FALSE_POSITIVES]
        ],
    }


# --- report ----------------------------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:5.1f}"


def print_report(results: dict[str, Any], comp: dict[str, Any]) -> None:
    systems = list(results)
    total = comp["total"]
    pos, ents, neg = total["positives"], total["entities"], total["negatives"]
    print(f"\nDev set: {pos:,} positives ({ents:,} entities), {neg:,} negatives")
    width = 16
    head = "".join(f"{s:>{width}}" for s in systems)

    def row(label: str, cells: Iterable[str]) -> None:
        print(f"{label:<34}" + "".join(f"{c:>{width}}" for c in cells))

    print(f"\n{'':<34}{head}")
    row("default threshold", (f"{results[s]['default_threshold']:.2f}" for s in systems))
    for label, key in (
        ("recall @ default threshold", "default"),
        ("recall @ FPR 1%", "fpr_0.01"),
        ("recall @ FPR 0.1%", "fpr_0.001"),
    ):
        row(label, (_pct(results[s]["recall"][key]) for s in systems))
    row("FPR @ default threshold", (_pct(results[s]["fpr"]["default"]) for s in systems))
    for label, key in (("threshold for FPR 1%", "fpr_0.01"), ("threshold for FPR 0.1%", "fpr_0.001")):
        row(label, (f"> {results[s]['operating_points'][key]['threshold']:.3f}" for s in systems))
    row("top-1 is the expected entity", (_pct(results[s]["recall"]["top1"]) for s in systems))
    row("candidate-stage recall", (_pct(results[s]["recall"]["candidates"]) for s in systems))
    row("latency p50 ms (1 core)", (f"{results[s]['latency_ms']['p50']:.2f}" for s in systems))
    row("latency p99 ms (1 core)", (f"{results[s]['latency_ms']['p99']:.2f}" for s in systems))
    row("CPU ms per query p50", (f"{results[s]['cpu_ms']['p50']:.2f}" for s in systems))
    row("CPU ms per query p99", (f"{results[s]['cpu_ms']['p99']:.2f}" for s in systems))
    row("index build s", (f"{results[s]['build_s']:.1f}" for s in systems))
    row("index build s (fresh process)", (_mem(results[s]["memory"], "fresh_build_s", ".1f") for s in systems))
    row("index memory MB (RSS growth)", (_mem(results[s]["memory"], "index_mb") for s in systems))
    row("build peak MB (RSS above start)", (_mem(results[s]["memory"], "build_peak_mb") for s in systems))
    row("index Python heap MB (tracemalloc)", (_mem(results[s]["memory"], "python_heap_mb") for s in systems))
    row("build Python heap peak MB", (_mem(results[s]["memory"], "python_heap_peak_mb") for s in systems))
    row("imports MB (RSS)", (_mem(results[s]["memory"], "imports_mb") for s in systems))
    row("errors", (str(results[s]["errors"]["count"]) for s in systems))
    for s in systems:
        b = results[s]["batch"]
        if b and "error" in b:
            print(f"{s}: batch throughput not measured: {b['error']}")
        elif b:
            print(
                f"{s}: batch throughput on one core at the default threshold, {b['names']:,.0f} names a batch: "
                f"best {b['names_per_s']:,.0f} names/s, median {b['median_names_per_s']:,.0f} of {b['rounds']} "
                f"batches after a first one in a fresh process ({b['first_names_per_s']:,.0f} names/s); hits "
                f"differ from an unfiltered run for {b['differ_from_unfiltered']:,.0f} of {b['names']:,.0f} names"
            )

    def group_table(title: str, key: str) -> None:
        print(f"\n{title}: recall % at default / FPR 1% / FPR 0.1%")
        print(f"{'':<22}{'n':>7}" + "".join(f"{s:>{width + 4}}" for s in systems))
        for name, cell in results[systems[0]][key].items():
            cells = []
            for s in systems:
                c = results[s][key].get(name, {})
                cells.append(f"{_pct(c.get('default'))}/{_pct(c.get('fpr_0.01'))}/{_pct(c.get('fpr_0.001'))}")
            print(f"{name:<22}{cell['n']:>7}" + "".join(f"{c:>{width + 4}}" for c in cells))

    group_table("By variation", "recall_by_variation")
    group_table("By script", "recall_by_script")
    group_table("By source", "recall_by_source")
    group_table("By attributes given", "recall_by_attributes")

    with_cands = [s for s in systems if results[s]["recall"]["candidates"] is not None]
    if with_cands:
        print("\nCandidate-stage recall % by variation")
        print(f"{'':<22}{'n':>7}" + "".join(f"{s:>{width}}" for s in with_cands))
        for name, cell in results[with_cands[0]]["recall_by_variation"].items():
            cells = (_pct(results[s]["recall_by_variation"][name]["candidates"]) for s in with_cands)
            print(f"{name:<22}{cell['n']:>7}" + "".join(f"{c:>{width}}" for c in cells))

    for title, key in (("Negatives by origin", "fpr_by_origin"), ("Negatives by script", "fpr_by_script")):
        print(f"\n{title}: false-positive % at default / FPR-1% cut / FPR-0.1% cut")
        print(f"{'':<22}{'n':>7}" + "".join(f"{s:>{width + 4}}" for s in systems))
        for name, cell in results[systems[0]][key].items():
            cells = []
            for s in systems:
                c = results[s][key].get(name, {})
                cells.append(f"{_pct(c.get('default'))}/{_pct(c.get('fpr_0.01'))}/{_pct(c.get('fpr_0.001'))}")
            print(f"{name:<22}{cell['n']:>7}" + "".join(f"{c:>{width + 4}}" for c in cells))
    for s in systems:
        print(f"\n{s}: threshold = {results[s]['threshold_note']}")
        if results[s]["candidate_note"]:
            print(f"{s}: candidates = {results[s]['candidate_note']}")
        for sample in results[s]["errors"]["samples"]:
            print(f"{s}: error sample: {sample}")


def _mem(memory: dict[str, Any], key: str, fmt: str = ".0f") -> str:
    value = memory.get(key)
    return "-" if value is None else format(value, fmt)


# --- main ------------------------------------------------------------------------------------------------------------


def subsample(queries: list[Query], limit: int | None, seed: int) -> list[Query]:
    """A fixed share of positives and of negatives, so a quick run keeps the full run's mix."""
    if limit is None or limit >= len(queries):
        return queries
    rng = random.Random(f"{seed}:subsample")
    pos = [q for q in queries if q.positive]
    neg = [q for q in queries if not q.positive]
    n_pos = round(limit * len(pos) / len(queries))
    return rng.sample(pos, n_pos) + rng.sample(neg, limit - n_pos)


def matcher_digest() -> str | None:
    """Digest of the matcher's source files: the matcher changes between runs, the figures must say which one ran."""
    try:
        import clearance.matching as matching
    except ImportError:
        return None
    folder = Path(matching.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--limit-queries", type=int, default=None, help="screen a fixed random subset of N queries")
    parser.add_argument("--peer-negatives", type=int, default=None, help="use only the first N peer negatives")
    parser.add_argument("--nk-candidates", type=int, default=NK_CANDIDATES, help="logic-v2 blocking cap")
    parser.add_argument("--rapidfuzz-scorer", default="token_sort_ratio", choices=("token_sort_ratio", "WRatio"))
    parser.add_argument("--no-memory", action="store_true", help="skip measuring each index's memory")
    parser.add_argument("--measure-memory", metavar="SYSTEM", help=argparse.SUPPRESS)
    parser.add_argument("--measure-batch", metavar="QUERIES", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, default=0, help="the one core to pin the run to")
    parser.add_argument("--lists", type=Path, default=LISTS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=CACHE / "party_results.json")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    if args.measure_memory:
        memory_child(args.measure_memory, args)
        return
    if args.measure_batch:
        batch_child(args.measure_batch, args)
        return
    wall = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - wall:7.1f}s] {message}", file=sys.stderr, flush=True)

    entities = load_entities(args.lists)
    log(f"loaded {len(entities):,} entities")
    queries = build_devset(entities, args.seed, args.peer_negatives)
    write_devset(queries, CACHE / "party_devset.jsonl")
    comp = composition(queries)
    queries = subsample(queries, args.limit_queries, args.seed)
    log(f"dev set: {len(queries):,} queries")

    warmup = warmup_queries(entities, args.seed)
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    runs: dict[str, Run] = {}
    for name in names:
        run = Run(system=name)
        try:
            system = make_system(name, args)
        except ImportError as exc:
            log(f"{name}: not available ({exc}); skipped")
            continue
        started = time.perf_counter()
        system.build(entities)
        run.build_s = time.perf_counter() - started
        if not args.no_memory:
            run.memory = measure_memory(name, args)
        run.default_threshold = system.default_threshold
        run.threshold_note = system.threshold_note
        run.candidate_note = system.candidate_note
        log(f"{name}: index built in {run.build_s:.1f} s, memory {run.memory}")
        run.outcomes = run_system(
            system, queries, warmup, lambda n, s=name: log(f"{s}: {n:,}/{len(queries):,} queries")
        )
        if isinstance(system, Ours):
            rng = random.Random(f"{args.seed}:batch")
            sample = rng.sample(queries, min((1 + BATCH_ROUNDS) * BATCH_SIZE, len(queries)))
            run.batch = measure_batch(sample, args)
        log(f"{name}: done")
        runs[name] = run
        del system
        gc.unfreeze()
        gc.collect()

    if not runs:
        raise SystemExit("no system ran")
    display = {e.id: e.name for e in entities}
    results = {name: evaluate(run, queries, display) for name, run in runs.items()}
    print_report(results, comp)
    elapsed = time.perf_counter() - wall
    report = {
        "run": {
            "seconds": round(elapsed, 1),
            "queries": len(queries),
            "limit_queries": args.limit_queries,
            "seed": args.seed,
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
            "pinned_cpus": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "versions": {p: _version(p) for p in ("clearance", "nomenklatura", "followthemoney", "rapidfuzz", "faker")},
            "matcher_digest": matcher_digest(),
            "hit_limit": HIT_LIMIT,
            "fpr_targets": list(FPR_TARGETS),
        },
        "devset": comp,
        "systems": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with (args.out.parent / "party_queries.jsonl").open("w", encoding="utf-8") as out:
        for name, run in runs.items():
            for query, outcome in zip(queries, run.outcomes, strict=True):
                record = {"system": name, "qid": query.qid, "text": query.text, **asdict(outcome)}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"\nfull run took {elapsed / 60:.1f} min; figures in {args.out}, per-query outcomes beside it")


if __name__ == "__main__":
    main()
