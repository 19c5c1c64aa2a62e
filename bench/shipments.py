"""Shipment screening time: a 50-line shipment with seven parties, after loading (target: <= 50 ms).

Loads every real list of the shared mirror plus the shipped EU Annex IV, the goods
rules and the HS nomenclature once (timed apart), then screens the same shipments
many times. Goods lines are real codes with their official descriptions (so each
declared code is checked against its description): Annex VII Part B, Annex XXIII
(with `ex` codes), the Belarus Annex XVIII and the arms embargo where the rules hold
them, the CHPL, headings, and HS subheadings under no rule; routes go to Russia,
Kazakhstan, Germany, Belarus and North Korea.

With `--baseline REV` the same script also runs on git revision REV's package (in a
child process, right after this one) and prints the two medians side by side.

    .venv/bin/python bench/shipments.py [--repeat 200] [--baseline HEAD]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from clearance.goods import screening
from clearance.goods.codes import load_nomenclature
from clearance.goods.rules import load_rules
from clearance.goods.screening import ShipmentScreener
from clearance.goods.shipment import Shipment, parse_shipment
from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import Screener
from clearance.model import Entity

LISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"
SEED = 20240223
PARTIES = [
    {"role": "exporter", "name": "Beispiel Elektronik Handels GmbH", "country": "DE", "address": "Berlin"},
    {"role": "consignee", "name": "Kazakh Trading Partners LLP", "country": "KZ", "address": "Almaty"},
    {"role": "end_user", "name": "OOO Romashka Trade", "country": "RU", "address": "ул. Тверская 1, Москва"},
    {"role": "intermediary", "name": "Tako LLC", "country": "AM"},
    {"role": "notify_party", "name": "Gulf Freight Services FZE", "country": "AE", "address": "Jebel Ali, Dubai"},
    {"role": "carrier", "name": "Caspian Logistics Ltd", "country": "GE"},
    {"role": "vessel", "name": "ARTAVIL", "imo": "9187629"},
]


def lines(count: int, official: bool = True) -> list[dict[str, Any]]:
    """Real codes in a fixed mix: banned, partly covered, high priority and unrestricted; each described by its
    official HS text, or (`official` False, as the figures before the description check were taken) by a
    placeholder."""
    rules = load_rules()
    rng = random.Random(SEED)
    hs = load_nomenclature()
    described = hs.descriptions if hs else {}

    def pool(regime: str) -> list[str]:
        found = rules.regimes.get(regime)
        return sorted({r.code for r in found.rules if r.code and len(r.code) >= 4}) if found else []

    free = sorted(c for c in described if len(c) == 6 and not rules.matches(c))
    extra = rng.sample(pool("eu-765-annex-xviii") or free, 3)
    arms = pool("eu-arms-embargo") or free
    picks = (
        rng.sample(pool("eu-833-annex-vii"), 12)
        + rng.sample(pool("eu-833-annex-xxiii"), 12)
        + ["870422", "847130", "8542", "441860"]
        + extra
        + rng.sample(arms, 3)
        + rng.sample(pool("chpl"), 6)
        + rng.sample(free, count - 40)
    )
    return [
        {
            "hs_code": code,
            "description": (described.get(code[:6]) or described.get(code[:4]) if official else None) or f"line {i}",
            "quantity": 10,
            "value": 1000.0,
        }
        for i, code in enumerate(picks)
    ]


def shipment(destination: str, transit: list[str], count: int, official: bool = True) -> Shipment:
    return parse_shipment(
        {
            "reference": f"bench-{destination}",
            "parties": PARTIES,
            "goods": lines(count, official),
            "route": {"origin": "DE", "transit": transit, "destination": destination},
        }
    )


def timed(screener: ShipmentScreener, item: Shipment, repeat: int, cold: bool = False) -> list[float]:
    screener.screen(item)
    found = []
    for _ in range(repeat):
        if cold:
            forget_classifications()
        start = time.perf_counter()
        screener.screen(item)
        found.append((time.perf_counter() - start) * 1000)
    return found


ROUTES: tuple[tuple[str, list[str]], ...] = (("RU", ["KZ"]), ("KZ", []), ("DE", []), ("BY", []), ("KP", []))


def forget_classifications() -> None:
    """Clear the screener's kept classifications (a version without them has nothing to clear)."""
    kept = getattr(screening, "_classified", None)
    if kept is not None:
        kept.cache_clear()


def measure(repeat: int, count: int, official: bool, cold: bool) -> dict[str, float]:
    """Route -> median milliseconds, printing each route's figures."""
    start = time.perf_counter()
    entities: list[Entity] = []
    for name, source in SOURCES.items():
        entities += source.parse(source.bundled or mirror_path(LISTS, name)).entities
    parsed = time.perf_counter()
    parties = Screener.build(entities)
    indexed = time.perf_counter()
    rules = load_rules()
    nomenclature = load_nomenclature()
    loaded = time.perf_counter()
    screener = ShipmentScreener(parties, rules, nomenclature)
    print(
        f"loading: lists {parsed - start:.1f} s ({len(entities):,} entities), name index {indexed - parsed:.1f} s, "
        f"rules + HS nomenclature {loaded - indexed:.2f} s ({rules.version})"
    )
    medians = {}
    for destination, transit in ROUTES:
        item = shipment(destination, transit, count, official)
        result = screener.screen(item)
        times = sorted(timed(screener, item, repeat, cold))
        goods_only = ShipmentScreener(Screener.build(()), rules, nomenclature)
        bare = item.model_copy(update={"parties": item.parties[:1]})
        goods_times = sorted(timed(goods_only, bare, repeat, cold))
        route = f"DE -> {destination}{' via ' + ','.join(transit) if transit else ''}"
        medians[route] = statistics.median(times)
        print(
            f"{len(item.goods)} lines, {len(item.parties)} parties, {route}: decision {result.decision.value}, "
            f"{len(result.reasons)} reasons | median {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms "
            f"(goods rules alone: median {statistics.median(goods_times):.2f} ms) over {repeat} runs",
            flush=True,
        )
    return medians


def baseline(revision: str, repeat: int, count: int, options: list[str]) -> dict[str, float]:
    """The medians of `revision`'s package, measured by this script in a child process."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", revision, "src"], cwd=root, capture_output=True, check=True)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        env = {**os.environ, "PYTHONPATH": str(Path(folder) / "src")}
        command = [sys.executable, __file__, "--repeat", str(repeat), "--lines", str(count), "--json", *options]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    print(f"== {revision}\n" + "\n".join(done.stdout.splitlines()[:-1]))
    medians: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--baseline", metavar="REV", help="also run git revision REV's package, and compare")
    parser.add_argument(
        "--placeholders", action="store_true", help="describe lines as 'line N' rather than by their HS text"
    )
    parser.add_argument("--cold", action="store_true", help="forget kept classifications before every screening")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    options = [*(["--placeholders"] if args.placeholders else []), *(["--cold"] if args.cold else [])]
    if args.json:
        medians = measure(args.repeat, args.lines, not args.placeholders, args.cold)
        print(json.dumps(medians))
        return
    print(f"== this tree {' '.join(options)}")
    medians = measure(args.repeat, args.lines, not args.placeholders, args.cold)
    if not args.baseline:
        return
    other = baseline(args.baseline, args.repeat, args.lines, options)
    print(f"\n| route | this tree | {args.baseline} | ratio |\n| --- | ---: | ---: | ---: |")
    for route, median in medians.items():
        if route in other:
            print(f"| {route} | {median:.1f} ms | {other[route]:.1f} ms | {median / other[route]:.2f}x |")


if __name__ == "__main__":
    main()
