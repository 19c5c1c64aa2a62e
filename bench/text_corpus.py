"""Text screening on the annotated corpus of real texts, beside a keyword-matching peer.

    .venv/bin/python bench/text_corpus.py [--home PATH] [--cpu N]

The corpus is `tests/text/corpus/` (published texts in several languages, with every listed party they name
and the look-alikes that name none annotated; see its README). Each system screens every document; per
document and in total this prints the annotated mentions found (full names and short references apart),
false hits (reported places that are no annotated mention of an entity they name) per 1,000 words, and the
look-alike traps hit, then lists every miss and false hit by its text.

Clearance is built from every list of `../shared/data/lists` (or opened from a loaded `--home`); the peer is
`text_screening.KeywordPeer` over the same entities. Runs on one core (pinned).
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import Screener
from clearance.matching.normalize import normalize
from clearance.model import Entity
from clearance.text import TextScreener
from text_screening import SHARED, KeywordPeer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.text.corpus import Document, Found, Score, load, score  # noqa: E402

System = Callable[[str], list[Found]]
_WORD = re.compile(r"[^\s,;:()\[\]«»\"“”„]+")


def ours(screener: TextScreener) -> System:
    def run(text: str) -> list[Found]:
        mentions = screener.screen(text).mentions
        return [Found(m.start, m.end, m.text, frozenset(h.entity.id for h in m.hits)) for m in mentions]

    return run


def peer(keywords: KeywordPeer) -> System:
    """The peer's matches placed back in the text: each word is normalised as the peer normalises names, and a
    match over normalised words is reported at the words it covers."""

    def run(text: str) -> list[Found]:
        starts, spans, parts, at = [], [], [], 1
        for word in _WORD.finditer(text):
            key = normalize(word.group())
            if key:
                starts.append(at)
                spans.append(word.span())
                parts.append(key)
                at += len(key) + 1
        found = []
        for end, (key, entity_id) in keywords.automaton.iter(" " + " ".join(parts) + " "):
            first = bisect.bisect_right(starts, end - len(key)) - 1
            last = bisect.bisect_right(starts, end - 1) - 1
            start, stop = spans[first][0], spans[last][1]
            found.append(Found(start, stop, text[start:stop], frozenset({entity_id})))
        return _merged(found)

    return run


def _merged(found: list[Found]) -> list[Found]:
    """One place per span: the peer reports one match per listed entity."""
    by_span: dict[tuple[int, int, str], set[str]] = {}
    for f in found:
        by_span.setdefault((f.start, f.end, f.text), set()).update(f.ids)
    return [Found(s, e, t, frozenset(ids)) for (s, e, t), ids in by_span.items()]


def words(text: str) -> int:
    return len(text.split())


def report(name: str, system: System, documents: Sequence[Document]) -> None:
    scores: list[tuple[Document, Score]] = []
    start = time.perf_counter()
    for document in documents:
        scores.append((document, score(document, system(document.text))))
    elapsed = time.perf_counter() - start
    print(f"\n## {name} ({elapsed * 1000:.0f} ms for the corpus)")
    print(f"{'document':<52} {'words':>5}  {'full':>7}  {'short':>7}  {'false':>5}  {'/1k w':>6}  traps")
    totals = [0] * 7
    for document, s in scores:
        row = [
            words(document.text),
            sum(m.kind == "full" for m in s.found),
            sum(m.kind == "full" for m in document.mentions),
            sum(m.kind == "short" for m in s.found),
            sum(m.kind == "short" for m in document.mentions),
            len(s.false_hits),
            len(s.traps_hit),
        ]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        print(_row(document.name, row, len(document.negatives)))
    print(_row("total", totals, sum(len(d.negatives) for d in documents)))
    print("misses:")
    for document, s in scores:
        for m in s.missed:
            print(f"  {document.name}: {m.text!r} ({m.kind}, {m.party})")
    print("false hits:")
    for document, s in scores:
        for f in s.false_hits:
            trap = " [trap]" if any(n.overlaps(f.start, f.end) for n in document.negatives) else ""
            print(f"  {document.name}: {f.text!r} -> {', '.join(sorted(f.ids)[:3])}{trap}")


def _row(label: str, row: Sequence[int], negatives: int) -> str:
    n_words, full, full_all, short, short_all, false, traps = row
    rate = 1000 * false / n_words if n_words else 0.0
    return (
        f"{label:<52} {n_words:>5}  {full:>3}/{full_all:<3}  {short:>3}/{short_all:<3}  {false:>5}  {rate:>6.2f}  "
        f"{traps}/{negatives}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="a clearance home with every list loaded (default: build)")
    parser.add_argument("--cpu", type=int, default=0, help="the core to pin to")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    entities: list[Entity] = []
    for source_name, source in SOURCES.items():
        entities += source.parse(mirror_path(SHARED / "lists", source_name)).entities
    if args.home:
        from clearance.app import Clearance
        from clearance.settings import Settings

        screener = Clearance(Settings(home=args.home))._text_screener()
    else:
        screener = TextScreener(Screener.build(entities))
    documents = load()
    languages = sorted({d.language for d in documents})
    print(
        f"{len(documents)} documents, {sum(words(d.text) for d in documents):,} words, languages "
        f"{', '.join(languages)}; {sum(len(d.mentions) for d in documents)} annotated mentions, "
        f"{sum(len(d.negatives) for d in documents)} traps; {len(entities):,} entities; one core"
    )
    print("columns: annotated mentions found (full names; short references), false hits, per 1,000 words, traps hit")
    report("clearance", ours(screener), documents)
    report("keyword peer (Aho-Corasick)", peer(KeywordPeer(entities)), documents)


if __name__ == "__main__":
    main()
