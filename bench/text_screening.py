"""Text screening: latency, throughput and false hits, beside a keyword-matching peer.

    .venv/bin/python bench/text_screening.py

Every list of `../shared/data/lists/latest.json` is loaded together. Measured on
one core (pinned), after the index is built:

- the real article in `../shared/data/text/`: time per screening, and which
  mentions each system reports (the article names Putin, Medvedev and
  Lukashenko, in full and by surname, and no other listed party);
- throughput in MB/s on 1 MB of text (the article repeated) and on the Python
  documentation shipped with CPython (`pydoc_data`, 0.47 MB of English prose);
- false hits per 1,000 words on text that names no listed party: that same
  documentation.

The peer is what many screening deployments do for free text: an Aho-Corasick
automaton (pyahocorasick) over every listed name, case-folded and transliterated
like clearance's names, matched on word boundaries.
"""

from __future__ import annotations

import argparse
import gc
import os
import pydoc_data.topics
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import ahocorasick

from clearance.app import Clearance
from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import Screener
from clearance.matching.normalize import normalize
from clearance.model import Entity
from clearance.settings import Settings
from clearance.text import TextScreener

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ARTICLE = SHARED / "text" / "news-russia-weapons-sanctions-2023-02.txt"
LISTED = {"Putin", "Medvedev", "Lukashenko"}


class KeywordPeer:
    """Exact matching of every listed name (normalised) on word boundaries."""

    def __init__(self, entities: list[Entity]) -> None:
        self.automaton = ahocorasick.Automaton()
        for entity in entities:
            for name in entity.names:
                key = normalize(name.full)
                if len(key) >= 4:
                    self.automaton.add_word(f" {key} ", (key, entity.id))
        self.automaton.make_automaton()

    def screen(self, text: str) -> list[tuple[str, str]]:
        folded = f" {normalize(text)} "
        return [value for _, value in self.automaton.iter(folded)]


def timed(function: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", type=int, default=0, help="the core to pin to")
    parser.add_argument(
        "--home",
        type=Path,
        help="screen with the kept index of a clearance home with every list loaded, as "
        "`clearance screen-text` does (default: build the index here)",
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    entities: list[Entity] = []
    for name, source in SOURCES.items():
        entities += source.parse(mirror_path(SHARED / "lists", name)).entities
    start = time.perf_counter()
    if args.home:
        ours = Clearance(Settings(home=args.home))._text_screener()
    else:
        ours = TextScreener(Screener.build(entities))
    built = time.perf_counter() - start
    # Built here, the index is millions of Python objects (a kept index is mapped from a file instead): out
    # of the cycle collector's sight, as the service keeps it, so a full collection is not timed as screening.
    gc.freeze()
    start = time.perf_counter()
    peer = KeywordPeer(entities)
    peer_built = time.perf_counter() - start
    article = ARTICLE.read_text(encoding="utf-8")
    megabyte = (article + "\n") * (1_000_000 // len(article) + 1)
    docs = re.sub(r"\s+", " ", " ".join(pydoc_data.topics.topics.values()))
    docs_words = len(docs.split())
    ours.screen(article)

    result = ours.screen(article)
    ours_names = sorted({m.text for m in result.mentions})
    ours_ok = all(m.text.endswith(tuple(LISTED)) for m in result.mentions)
    peer_hits = peer.screen(article)
    peer_names = sorted({key for key, _ in peer_hits})
    rows = [
        ("index build (s)", f"{built:.1f}", f"{peer_built:.1f}"),
        (
            "article: ms per screening",
            f"{timed(lambda: ours.screen(article), 20) * 1000:.1f}",
            f"{timed(lambda: peer.screen(article), 20) * 1000:.1f}",
        ),
        ("article: mentions reported", str(len(result.mentions)), str(len(peer_hits))),
        ("article: distinct texts reported", ", ".join(ours_names), ", ".join(peer_names)),
        (
            "article: only the three listed people",
            "yes" if ours_ok else "no",
            "yes" if all(k.split()[-1].capitalize() in LISTED for k in peer_names) else "no",
        ),
        (
            "1 MB (article repeated): MB/s",
            f"{len(megabyte) / timed(lambda: ours.screen(megabyte), 3) / 1e6:.2f}",
            f"{len(megabyte) / timed(lambda: peer.screen(megabyte), 3) / 1e6:.2f}",
        ),
        (
            "Python docs (0.47 MB): MB/s",
            f"{len(docs) / timed(lambda: ours.screen(docs), 3) / 1e6:.2f}",
            f"{len(docs) / timed(lambda: peer.screen(docs), 3) / 1e6:.2f}",
        ),
    ]
    clean = ours.screen(docs)
    peer_clean = peer.screen(docs)
    rows += [
        (
            "clean text: false hits per 1,000 words",
            f"{1000 * len(clean.mentions) / docs_words:.3f}",
            f"{1000 * len(peer_clean) / docs_words:.3f}",
        ),
        ("clean text: weak candidates per 1,000 words", f"{1000 * len(clean.weak) / docs_words:.3f}", "-"),
    ]
    print(
        f"{len(entities):,} entities from {len(SOURCES)} lists; article {len(article.split()):,} words; "
        f"clean text {docs_words:,} words; one core"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  {'clearance':<40}  keyword peer (Aho-Corasick)")
    for label, a, b in rows:
        print(f"{label:<{width}}  {a:<40}  {b}")
    print("false hits on clean text (clearance):", sorted({m.text for m in clean.mentions})[:20])
    print("false hits on clean text (peer):", sorted({k for k, _ in peer_clean})[:20])


if __name__ == "__main__":
    main()
