"""Transliteration libraries compared for screening non-Latin listed names: speed and matching quality.

Every listed name not written in Latin script, of an entity that also has a Latin name, is
transliterated by each library (anyascii, which clearance uses; unidecode, GPL and so measured
only; PyICU's `Any-Latin; Latin-ASCII`; rigour's `ascii_text`) and screened with clearance's
normaliser patched to use that library. The index is built from the entities with all their
non-Latin names removed, so a query can only find its entity through the Latin names the lists
give: what is measured is how well the library's Latin meets the lists' own romanisation, not a
name matching itself. A query counts as found when its entity, or the same OFAC record in another
source, is the top hit (top-1) or among the first ten (top-10). Speed is the library called on
each whole name, best of three runs, on one pinned core.

    .venv/bin/python bench/transliteration.py [--cpu 0]    # prints a table, writes bench/.cache/transliteration.json

Missing libraries are skipped with the command that installs them.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import pkgutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import clearance.matching
from clearance.matching import Party, Screener
from clearance.matching import normalize as normalize_module
from clearance.matching.screener import ScreeningError
from clearance.model import Entity, Name
from clearance.scripts import detect_script
from party_devset import CACHE, load_entities, ofac_twins

Transliterate = Callable[[str], str]
Library = tuple[Transliterate, Callable[[], None]]
"""A transliterator and what empties its own cache."""
RUNS = 3
HIT_LIMIT = 10
OUT = CACHE / "transliteration.json"


@dataclass(frozen=True)
class Sample:
    entity: Entity
    name: Name
    script: str


def _noop() -> None:
    pass


def _anyascii() -> Library:
    from anyascii import anyascii

    return anyascii, _noop


def _unidecode() -> Library:
    from unidecode import unidecode

    return unidecode, _noop


def _icu() -> Library:
    import icu

    transliterate: Transliterate = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII").transliterate
    return transliterate, _noop


def _rigour() -> Library:
    # ascii_text, not maybe_ascii: maybe_ascii leaves Arabic, Han and other unadmitted scripts untouched.
    import normality.transliteration
    from rigour.text.translit import ascii_text

    # normality memoises its ICU fallback: without a reset every timed run after the first is a lookup.
    return ascii_text, normality.transliteration._ascii_text.cache_clear


LIBRARIES: dict[str, tuple[Callable[[], Library], str]] = {
    "anyascii": (_anyascii, ".venv/bin/pip install anyascii"),
    "unidecode": (_unidecode, ".venv/bin/pip install unidecode"),
    "icu": (_icu, "apt-get install -y libicu-dev pkg-config && .venv/bin/pip install PyICU"),
    "rigour": (_rigour, ".venv/bin/pip install rigour"),
}


def script_of(name: Name) -> str | None:
    # The letters decide: a source's script tag is absent on most names and not always ISO 15924.
    return detect_script(name.full) or name.script


def latin(name: Name) -> bool:
    return script_of(name) in (None, "Latn")


def collect(entities: list[Entity]) -> list[Sample]:
    """Non-Latin names of entities that also have a Latin name (otherwise there is nothing to find them by)."""
    samples = []
    for entity in entities:
        if any(script_of(n) == "Latn" for n in entity.names):
            samples.extend(Sample(entity, n, str(script_of(n))) for n in entity.names if not latin(n))
    return samples


def latin_only(entities: list[Entity]) -> list[Entity]:
    stripped = []
    for entity in entities:
        names = tuple(n for n in entity.names if latin(n))
        if names:
            stripped.append(entity.model_copy(update={"names": names}))
    return stripped


def matching_caches() -> Iterator[Callable[[], None]]:
    """`cache_clear` of every lru_cache in clearance.matching, module functions and methods alike."""
    for info in pkgutil.iter_modules(clearance.matching.__path__, "clearance.matching."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            members = vars(value).values() if isinstance(value, type) else (value,)
            for member in members:
                if hasattr(member, "cache_clear") and getattr(member, "__module__", None) == info.name:
                    yield member.cache_clear


def use(transliterate: Transliterate) -> None:
    normalize_module.anyascii = transliterate
    # Cached normal forms, keys and postings from the previous library would otherwise leak into this one.
    for clear in matching_caches():
        clear()


def speed(library: Library, texts: list[str]) -> float:
    """Microseconds per name, best of RUNS."""
    transliterate, reset = library
    for text in texts[:10]:  # rigour loads its tables on first use; keep that out of the timing
        transliterate(text)
    best = float("inf")
    for _ in range(RUNS):
        reset()
        start = time.perf_counter()
        for text in texts:
            transliterate(text)
        best = min(best, time.perf_counter() - start)
    return best / len(texts) * 1e6


def quality(screener: Screener, samples: list[Sample], twins: dict[str, tuple[str, ...]]) -> list[tuple[bool, bool]]:
    """(top-1, top-10) per sample."""
    found = []
    for sample in samples:
        expected = {sample.entity.id, *twins.get(sample.entity.id, ())}
        try:
            ids = [hit.entity.id for hit in screener.screen(Party(sample.name.full), threshold=0.0, limit=HIT_LIMIT)]
        except ScreeningError:
            ids = []
        found.append((bool(ids) and ids[0] in expected, bool(expected.intersection(ids))))
    return found


def measure(
    library: Library, samples: list[Sample], index: list[Entity], twins: dict[str, tuple[str, ...]]
) -> dict[str, dict[str, float]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for number, sample in enumerate(samples):
        groups[sample.script].append(number)
    use(library[0])
    started = time.perf_counter()
    screener = Screener.build(index)
    print(f"  index built in {time.perf_counter() - started:.1f} s", flush=True)
    found = quality(screener, samples, twins)
    del screener
    gc.unfreeze()  # the Screener froze its index; let the collector have it back before the next one
    gc.collect()
    rows: dict[str, dict[str, float]] = {}
    total_us = 0.0
    for script, numbers in sorted(groups.items(), key=lambda item: -len(item[1])):
        us = speed(library, [samples[n].name.full for n in numbers])
        total_us += us * len(numbers)
        rows[script] = summary([found[n] for n in numbers], us)
    rows["all"] = summary(found, total_us / len(samples))
    return rows


def summary(found: list[tuple[bool, bool]], us: float) -> dict[str, float]:
    return {
        "names": len(found),
        "top1": 100 * sum(top1 for top1, _ in found) / len(found),
        "top10": 100 * sum(top10 for _, top10 in found) / len(found),
        "us_per_name": us,
    }


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    labels = list(results)
    head = f"{'script':<7}{'names':>6}" + "".join(f" | {label:^23}" for label in labels)
    sub = " " * 13 + " | top-1% top-10%  µs/name" * len(labels)
    lines = [head, sub, "-" * len(sub)]
    for script, row in next(iter(results.values())).items():
        cells = "".join(
            f" | {r['top1']:6.1f} {r['top10']:7.1f} {r['us_per_name']:8.2f}"
            for r in (results[label][script] for label in labels)
        )
        lines.append(f"{script:<7}{int(row['names']):>6}{cells}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cpu", type=int, default=0, help="core to pin the process to (default 0)")
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.cpu})
    entities = load_entities()
    samples = collect(entities)
    index = latin_only(entities)
    twins = ofac_twins(entities)
    print(f"{len(samples)} non-Latin names of {len({s.entity.id for s in samples})} entities; index of {len(index)}")
    results: dict[str, dict[str, dict[str, float]]] = {}
    skipped: dict[str, str] = {}
    for label, (load, install) in LIBRARIES.items():
        try:
            library = load()
        except ImportError as error:
            skipped[label] = f"{error}; install: {install}"
            print(f"{label}: skipped ({error}); install with `{install}`")
            continue
        print(f"{label}:", flush=True)
        results[label] = measure(library, samples, index, twins)
    use(_anyascii()[0])
    if results:
        print(table(results))
    CACHE.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"cpu": args.cpu, "results": results, "skipped": skipped}, indent=2) + "\n")
    print(f"wrote {OUT.relative_to(CACHE.parents[1])}")


if __name__ == "__main__":
    main()
