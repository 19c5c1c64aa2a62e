"""Synthetic customer files for batch benchmarks: names by locale, with a known share of listed names planted.

A bank's customer base is mostly people and companies no list names, in the
spellings of the countries it serves, with a few listed parties among them, some
written as the lists write them and some not. This writes such a file of any size:

- non-listed rows: Faker persons (given and family name in the locale's order, a
  date of birth and a country for half of them) and companies, in 16 locales
  weighted towards Latin script, drawn from per-locale pools so a million rows take
  seconds; any name equal to a listed name in any script is dropped, since a hit on
  it would be right;
- planted rows (`--planted`, 1 % by default): the party dev set's positives
  (`party_devset.positives`): real listed names from the real lists, exact and in
  the variants that set makes (other romanisations, Cyrillic, word order, dropped
  middle names, initials, typos, legal forms).

Columns: `id`, `name`, `type`, `dob`, `country`, and the truth: `planted` (the
listed entity id and its twins, `|`-joined, empty for a non-listed row) and
`variation`. The output is CSV, JSON lines or Parquet by suffix; the same seed
writes the same file.

    .venv/bin/python bench/synthetic_parties.py --rows 1000000 --out bench/.cache/customers-1m.parquet
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
from faker import Faker

from party_devset import (
    LISTS,
    SEED,
    Query,
    fake_company,
    listed_keys,
    load_entities,
    name_keys,
    positives,
)

COLUMNS = ("id", "name", "type", "dob", "country", "planted", "variation")
LOCALES: dict[str, tuple[float, tuple[str, ...]]] = {
    # locale: (weight, countries its customers give)
    "en_US": (14, ("US",)),
    "en_GB": (10, ("GB", "IE")),
    "de_DE": (10, ("DE", "AT", "CH")),
    "fr_FR": (8, ("FR", "BE", "LU")),
    "es_ES": (7, ("ES", "MX", "AR")),
    "it_IT": (6, ("IT",)),
    "pl_PL": (5, ("PL",)),
    "nl_NL": (4, ("NL",)),
    "pt_BR": (5, ("BR", "PT")),
    "tr_TR": (5, ("TR",)),
    "ru_RU": (6, ("RU", "KZ", "BY")),
    "uk_UA": (4, ("UA",)),
    "ar_AA": (4, ("AE", "SA", "EG", "JO")),
    "fa_IR": (2, ("IR",)),
    "zh_CN": (6, ("CN", "HK", "SG")),
    "hi_IN": (4, ("IN",)),
}
POOL = 2000
"""Given names, family names and companies drawn per locale; combined at random, they give millions of names."""
PERSON_SHARE = 0.8
ATTRIBUTE_SHARE = 0.5


class Pools:
    """A locale's names, drawn once from Faker: combining them is a thousand times faster than asking Faker."""

    def __init__(self, locale: str, seed: int) -> None:
        fake = Faker(locale)
        fake.seed_instance(f"{seed}:{locale}")
        rng = random.Random(f"{seed}:{locale}")
        self.locale = locale
        self.given = [fake.first_name() for _ in range(POOL)]
        self.family = [fake.last_name() for _ in range(POOL)]
        self.companies = [fake_company(fake, locale, rng) for _ in range(POOL // 2)]
        self.dobs = [fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat() for _ in range(POOL)]

    def person(self, rng: random.Random) -> str:
        given, family = rng.choice(self.given), rng.choice(self.family)
        return f"{family}{given}" if self.locale == "zh_CN" else f"{given} {family}"


def non_listed(rows: int, listed: set[str], seed: int) -> Iterator[dict[str, str]]:
    """Rows of parties no list names, in the locales' weights."""
    pools = [Pools(locale, seed) for locale in LOCALES]
    weights = [weight for weight, _ in LOCALES.values()]
    rng = random.Random(seed)
    checked: dict[str, bool] = {}
    made = 0
    while made < rows:
        pool = rng.choices(pools, weights)[0]
        countries = LOCALES[pool.locale][1]
        person = rng.random() < PERSON_SHARE
        name = pool.person(rng) if person else rng.choice(pool.companies)
        clean = checked.get(name)
        if clean is None:
            clean = checked[name] = listed.isdisjoint(name_keys(name))
        if not clean:
            continue
        made += 1
        yield {
            "name": name,
            "type": "person" if person else "organization",
            "dob": rng.choice(pool.dobs) if person and rng.random() < ATTRIBUTE_SHARE else "",
            "country": rng.choice(countries) if rng.random() < ATTRIBUTE_SHARE else "",
            "planted": "",
            "variation": f"negative:{pool.locale}",
        }


def planted(rows: int, queries: list[Query], seed: int) -> Iterator[dict[str, str]]:
    """Rows of listed parties: the dev set's positives, drawn with replacement when more are asked for."""
    rng = random.Random(f"{seed}:planted")
    for _ in range(rows):
        query = rng.choice(queries)
        yield {
            "name": query.text,
            "type": query.kind,
            "dob": query.dob or "",
            "country": query.country or "",
            "planted": "|".join(query.expected),
            "variation": query.variation,
        }


def synthetic_rows(rows: int, share: float, lists: Path = LISTS, seed: int = SEED) -> Iterator[dict[str, str]]:
    """`rows` rows, `share` of them planted, shuffled into place by a seeded draw; ids run from 1."""
    entities = load_entities(lists)
    queries = positives(entities, seed)
    count = round(rows * share)
    listed_rows = planted(count, queries, seed)
    other_rows = non_listed(rows - count, listed_keys(entities), seed)
    rng = random.Random(f"{seed}:order")
    left, listed_left = rows, count
    for number in range(1, rows + 1):
        take_listed = rng.random() < listed_left / left
        row = next(listed_rows) if take_listed else next(other_rows)
        listed_left -= take_listed
        left -= 1
        yield {"id": f"C{number:08d}", **row}


def write(rows: Iterator[dict[str, str]], out: Path) -> Counter[str]:
    """Write by suffix (.csv, .jsonl, .parquet); the count of rows per variation."""
    out.parent.mkdir(parents=True, exist_ok=True)
    counts: Counter[str] = Counter()
    suffix = out.suffix.lower()
    if suffix == ".jsonl":
        with out.open("w", encoding="utf-8") as file:
            for row in rows:
                counts[row["variation"]] += 1
                file.write(json.dumps(row, ensure_ascii=False) + "\n")
        return counts
    target = out if suffix == ".csv" else Path(tempfile.mkdtemp()) / "rows.csv"
    with target.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, COLUMNS)
        writer.writeheader()
        for row in rows:
            counts[row["variation"]] += 1
            writer.writerow(row)
    if suffix == ".parquet":
        duckdb.sql(
            f"COPY (SELECT * FROM read_csv('{target}', header=true, all_varchar=true)) TO '{out}' (FORMAT parquet)"
        )
        target.unlink()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--planted", type=float, default=0.01, help="share of rows naming a listed party")
    parser.add_argument("--lists", type=Path, default=LISTS, help="list mirror folder (with latest.json)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, required=True, help="a .csv, .jsonl or .parquet file")
    args = parser.parse_args()
    started = time.perf_counter()
    counts = write(synthetic_rows(args.rows, args.planted, args.lists, args.seed), args.out)
    planted_rows = sum(n for variation, n in counts.items() if not variation.startswith("negative"))
    print(f"{args.rows:,} rows ({planted_rows:,} planted) -> {args.out} in {time.perf_counter() - started:.1f} s")
    for variation, n in counts.most_common():
        print(f"  {variation:28} {n:>9,}")


if __name__ == "__main__":
    main()
