"""One batch file screened by the embedded engine and by Spark, with the records compared.

The file is `--input` (such as `bench/synthetic_parties.py` writes), or else one of
`--rows` rows made here: one in ten the name of an active listed person or
organisation of the store (its type stated for half of them), the rest Faker names of
people and companies in several locales, and one row in a thousand with an unknown
type, which both engines must report as the same error. The embedded engine runs as
`clearance screen-batch` does, with `--workers` processes (2 by default: the cores
Spark's `local[2]` gets); Spark runs `clearance.spark.screen_file` on `--master`
(local[2] by default). Each writes JSON lines; the figures are rows per second of
each (Spark's excluding the start of its session, which is printed apart), their
ratio, and whether the records are identical apart from `screened_at`.

    CLEARANCE_HOME=... .venv/bin/python bench/spark_batch.py [--rows 20000 | --input FILE] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import tempfile
import time
from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

import duckdb
from faker import Faker

from clearance.app import Clearance
from clearance.batch_output import OutputFormat
from clearance.engine import BatchJob
from clearance.engine import screen_file as screen_embedded
from clearance.matching.batch import Columns, input_file
from clearance.settings import Settings

LOCALES = ("en_US", "de_DE", "fr_FR", "es_ES", "ru_RU", "ar_AA", "zh_CN", "tr_TR")
COLUMNS = ("id", "name", "type", "country")


def parties(app: Clearance, count: int, seed: int = 11) -> list[dict[str, str]]:
    """`count` rows: listed names, Faker names and a few rows of an unknown type."""
    rng = random.Random(seed)
    listed = [e for e in app.store.active_entities() if e.kind.value in ("person", "organization")]
    fakers = [Faker(locale) for locale in LOCALES]
    for number, fake in enumerate(fakers):
        fake.seed_instance(seed + number)
    rows: list[dict[str, str]] = []
    for n in range(count):
        if n % 1000 == 999:
            rows.append({"id": f"B{n}", "name": "Anna Weber", "type": "alien", "country": ""})
        elif n % 10 == 0:
            entity = rng.choice(listed)
            kind = entity.kind.value if rng.random() < 0.5 else ""
            rows.append({"id": f"L{n}", "name": entity.name, "type": kind, "country": ""})
        else:
            fake = rng.choice(fakers)
            if rng.random() < 0.7:
                rows.append({"id": f"P{n}", "name": fake.name(), "type": "person", "country": ""})
            else:
                rows.append({"id": f"C{n}", "name": fake.company(), "type": "organization", "country": ""})
    return rows


def write_input(folder: Path, rows: list[dict[str, str]], kind: str) -> Path:
    path = folder / "parties.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    if kind == "parquet":
        parquet = folder / "parties.parquet"
        with duckdb.connect() as connection:
            connection.execute(
                f"COPY (SELECT * FROM read_csv('{path}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)"
            )
        return parquet
    return path


def screened(path: Path) -> Iterator[str]:
    """The records of a JSON lines output, one at a time, without the time each row was screened."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            del record["screened_at"]
            yield json.dumps(record, sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--input", type=Path, help="screen this file (bench/synthetic_parties.py) instead")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workers", type=int, default=2, help="the embedded engine's worker processes")
    args = parser.parse_args()

    from clearance.spark import screen_file, session

    with Clearance(Settings.from_env()) as app, tempfile.TemporaryDirectory(prefix="clearance-bench-") as temp:
        folder = Path(temp)
        source = args.input or write_input(folder, parties(app, args.rows), args.format)
        count = input_file(source, Columns(), None).count()
        app.screener()  # the index loaded before either clock starts, as a running service would have it
        print(f"{count:,} rows ({source.name}), limit 10, default threshold")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

        embedded_out = folder / "embedded.jsonl"
        start = time.perf_counter()
        screen_embedded(app, BatchJob(source, embedded_out, OutputFormat.jsonl, workers=args.workers))
        embedded = time.perf_counter() - start
        print(f"embedded, {args.workers} workers: {embedded:7.1f} s  {count / embedded:8,.0f} rows/s")

        start = time.perf_counter()
        spark = session(args.master, "clearance bench")
        started = time.perf_counter() - start
        spark_out = folder / "spark.jsonl"
        start = time.perf_counter()
        totals = screen_file(app, source, spark_out, OutputFormat.jsonl, spark=spark)
        distributed = time.perf_counter() - start
        spark.stop()
        print(
            f"spark {args.master}:       {distributed:7.1f} s  {count / distributed:8,.0f} rows/s"
            f"  (session start {started:.1f} s more)"
        )
        print(f"spark time / embedded time: {distributed / embedded:.2f} (target: at most 1.5)")
        print(f"rows with hits: {totals.with_hits:,}; rows with errors: {len(totals.errors):,}")
        same = all(a == b for a, b in zip_longest(screened(embedded_out), screened(spark_out)))
        print(f"records identical apart from screened_at: {'yes' if same else 'NO'}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
