"""Alerts on real people who are not listed: Wikidata people screened by their English and native labels.

The real-world set's negatives are a few hundred people, so one false hit moves its rate by
half a point. Here thousands of people from the Wikidata name pairs (`../shared/data/names`,
CC0, read in place) are screened as persons, each by the English label and by the Hebrew or
Korean one, after dropping every name the real-world set holds and every person a listed
person shares the surname and the start of the given name with (`realworld_devset.namesakes`:
Sergei Naryshkin is the listed man). What is left is people nobody lists, though some bear a
name a list holds word for word (Mark Henry, James Wong): the table shows those apart.

    .venv/bin/python bench/people_alerts.py                        # 3,000 people, every system
    .venv/bin/python bench/people_alerts.py --people 10000 --systems ours
"""

from __future__ import annotations

import argparse
import csv
import gc
import gzip
import os
import random
import sys
import time
from pathlib import Path

from clearance.model import Entity
from party_devset import LISTS, Query, load_entities
from party_screening import NK_CANDIDATES, SYSTEMS, ascii_tokens, make_system, run_system, warmup_queries
from realworld_devset import NAMES, SEED, build, namesakes


def people(count: int, entities: list[Entity]) -> tuple[list[Query], set[str]]:
    """`count` people as queries (English label, then native), and the folded listed names written word for word."""
    taken = {query.text for query in build(entities, peer_limit=0)}
    namesake = namesakes(entities)
    listed = {" ".join(sorted(ascii_tokens(name.full))) for entity in entities for name in entity.names}
    rows = []
    with gzip.open(NAMES / "translit_fullname_pairs.tsv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            tokens = ascii_tokens(row["english"])
            if row["english"] in taken or row["native"] in taken or not tokens or namesake(tokens):
                continue
            rows.append(row)
    random.Random(f"{SEED}:people-alerts").shuffle(rows)
    queries = []
    for number, row in enumerate(rows[:count]):
        for label, text in (("Latn", row["english"]), (row["script"], row["native"])):
            queries.append(
                Query(f"people:{number}:{label}", text, "person", None, None, (), "negative", label, "wikidata")
            )
    return queries, listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    parser.add_argument("--nk-candidates", type=int, default=NK_CANDIDATES, help="logic-v2 blocking cap")
    parser.add_argument("--rapidfuzz-scorer", default="token_sort_ratio", choices=("token_sort_ratio", "WRatio"))
    parser.add_argument("--cpu", type=int, default=0, help="the one core to pin the run to")
    parser.add_argument("--lists", type=Path, default=LISTS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    if not (NAMES / "translit_fullname_pairs.tsv.gz").is_file():
        raise SystemExit(f"{NAMES}: the Wikidata name pairs are not there")
    entities = load_entities(args.lists)
    queries, listed = people(args.people, entities)
    warmup = warmup_queries(entities, SEED)
    print(f"{len(queries) // 2:,} people, {len(queries):,} labels", file=sys.stderr)
    print(f"\n{'system':<14}{'threshold':>10}{'labels':>8}  alerts % (English / native / all)  of which not as listed")
    for name in [s.strip() for s in args.systems.split(",") if s.strip()]:
        try:
            system = make_system(name, args)
        except ImportError as exc:
            print(f"{name}: not available ({exc})", file=sys.stderr)
            continue
        started = time.perf_counter()
        system.build(entities)
        outcomes = run_system(system, queries, warmup, lambda n: None)
        threshold = system.default_threshold
        alerts = [(q, o) for q, o in zip(queries, outcomes, strict=True) if o.top_score >= threshold]
        english = sum(q.script == "Latn" for q, _ in alerts)
        # A label that is a listed name word for word is a namesake no name matcher may pass over.
        other = sum(" ".join(sorted(ascii_tokens(q.text))) not in listed for q, _ in alerts if q.script == "Latn")
        half = len(queries) / 2
        print(
            f"{name:<14}{threshold:>10.2f}{len(queries):>8}  {100 * english / half:5.2f} / "
            f"{100 * (len(alerts) - english) / half:5.2f} / {100 * len(alerts) / len(queries):5.2f}"
            f"{'':>12}{100 * other / half:5.2f} (English)   [{time.perf_counter() - started:.0f} s]"
        )
        del system
        gc.unfreeze()
        gc.collect()


if __name__ == "__main__":
    main()
