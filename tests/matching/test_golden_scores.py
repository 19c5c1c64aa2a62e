"""Golden scores: a published algorithm name keeps its output, score for score.

Every hit is stored with the name of the algorithm that scored it, so that a decision can be
replayed; a score that moves under the same name would make that replay lie. The golden file
(written by `bench/golden_scores.py`, which says when regenerating it is right) holds real
queries screened against every entity of the newest file of each real list, and for each the
three best hits at threshold 0 and the entity it was written for, to four decimals: exact names,
other scripts and romanisations, typos, reordered and shortened names, titles, legal forms,
dates of birth, countries and kinds that agree or not, near misses and parties nobody lists.
Low scores are pinned as well as high ones, because a threshold can be set anywhere.

When a score differs, either the change is a mistake, or it is a new algorithm: give it a new
name (`ALGORITHM`) and regenerate the file. The `rank` and `matched_name` columns are there for
the reader; what is compared is each entity's score, the three best scores of each query (so an
entity that climbs into them is seen too) and which entities are not returned at all.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bench.golden_scores import lists_digest

from clearance.matching import ALGORITHM, Hit, Party, Screener
from clearance.model import Entity, EntityKind

GOLDEN = Path(__file__).parent / "golden_scores.csv"
ROWS = list(csv.DictReader(GOLDEN.open(encoding="utf-8")))
LIMIT = 100
"""Above the 30 entities the candidate stage hands to scoring, so no hit is cut off."""

Query = tuple[str, str, str, str]


def query_of(row: dict[str, str]) -> Query:
    return (row["query"], row["type"], row["dob"], row["country"])


def described(query: Query) -> str:
    name, kind, dob, country = query
    fields = [f"{label} {value}" for label, value in (("type", kind), ("dob", dob), ("country", country)) if value]
    return repr(name) + (f" ({', '.join(fields)})" if fields else "")


def score_text(hit: Hit) -> str:
    return f"{hit.score:.4f}"


def test_the_golden_file_is_for_the_current_algorithm() -> None:
    assert {row["algorithm"] for row in ROWS} == {ALGORITHM}


def test_the_golden_file_is_large_enough_to_pin_the_algorithm() -> None:
    assert len(ROWS) >= 300
    assert len({query_of(row) for row in ROWS}) >= 100
    assert len({row["lists"] for row in ROWS}) == 1


def test_every_golden_score_is_reproduced(screener: Screener, all_entities: list[Entity]) -> None:
    queries: dict[Query, list[dict[str, str]]] = {}
    for row in ROWS:
        queries.setdefault(query_of(row), []).append(row)
    mismatches: list[str] = []
    for query, rows in queries.items():
        name, kind, dob, country = query
        party = Party(name, kind=EntityKind(kind) if kind else None, dob=dob or None, country=country or None)
        hits = screener.screen(party, threshold=0.0, limit=LIMIT)
        found = {hit.entity.id: (rank, hit) for rank, hit in enumerate(hits, 1)}
        before = len(mismatches)
        for row in rows:
            entity, expected = row["entity_id"], row["score"]
            if not entity:
                if hits:
                    got = ", ".join(f"{hit.entity.id} {score_text(hit)}" for hit in hits[:3])
                    mismatches.append(f"{described(query)}: expected no hit at all, got {len(hits)}: {got}")
            elif entity not in found:
                if expected:
                    mismatches.append(f"{described(query)}: {entity} expected {expected}, got no hit")
            else:
                rank, hit = found[entity]
                if score_text(hit) != expected:
                    was = expected or "no hit"
                    mismatches.append(
                        f"{described(query)}: {entity} expected {was}, got {score_text(hit)} (rank {rank})"
                    )
        best = sorted((row["score"] for row in rows if row["rank"] and int(row["rank"]) <= 3), reverse=True)
        if len(mismatches) == before and best != [score_text(hit) for hit in hits[:3]]:
            got = ", ".join(f"{hit.entity.id} {score_text(hit)}" for hit in hits[:3])
            mismatches.append(f"{described(query)}: best scores expected {', '.join(best)}, got {got}")
    if mismatches:
        recorded = ROWS[0]["lists"]
        now = lists_digest(all_entities)
        cause = (
            f"the screened entities differ from those the file was made from (lists {recorded}, now {now}): "
            "if the scoring code did not change, regenerate the file with it"
            if now != recorded
            else f"fix the change, or name a new algorithm (now {ALGORITHM}) and regenerate (bench/golden_scores.py)"
        )
        listing = "\n".join(f"  {line}" for line in mismatches)
        pytest.fail(f"{len(mismatches)} golden scores differ; {cause}:\n{listing}", pytrace=False)
