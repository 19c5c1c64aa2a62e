"""Shipment screening time: a 50-line shipment with seven parties, after loading (target: <= 50 ms).

Loads every real list of the shared mirror plus the shipped EU Annex IV, the goods
rules and the HS nomenclature once (timed apart), then screens the same shipments
many times. Goods lines are real codes: Annex VII Part B, Annex XXIII (with `ex`
codes), XXIIIA, the CHPL, headings, and HS subheadings under no rule.

    .venv/bin/python bench/shipments.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

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


def lines(count: int) -> list[dict[str, Any]]:
    """Real codes in a fixed mix: banned, partly covered, high priority and unrestricted."""
    rules = load_rules()
    rng = random.Random(SEED)
    pools = {
        name: sorted({r.code for r in rules.regime(name).rules if r.code and len(r.code) >= 4})
        for name in ("eu-833-annex-vii", "eu-833-annex-xxiii", "eu-833-annex-xxiiia", "chpl")
    }
    hs = load_nomenclature()
    free = sorted(c for c in (hs.descriptions if hs else {}) if len(c) == 6 and not rules.matches(c))
    picks = (
        rng.sample(pools["eu-833-annex-vii"], 12)
        + rng.sample(pools["eu-833-annex-xxiii"], 12)
        + ["870422", "847130", "8542", "441860"]
        + rng.sample(pools["eu-833-annex-xxiiia"], 6)
        + rng.sample(pools["chpl"], 6)
        + rng.sample(free, count - 40)
    )
    return [
        {"hs_code": code, "description": f"line {i}", "quantity": 10, "value": 1000.0} for i, code in enumerate(picks)
    ]


def shipment(destination: str, transit: list[str], count: int) -> Shipment:
    return parse_shipment(
        {
            "reference": f"bench-{destination}",
            "parties": PARTIES,
            "goods": lines(count),
            "route": {"origin": "DE", "transit": transit, "destination": destination},
        }
    )


def timed(screener: ShipmentScreener, item: Shipment, repeat: int) -> list[float]:
    screener.screen(item)
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        screener.screen(item)
        found.append((time.perf_counter() - start) * 1000)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--lines", type=int, default=50)
    args = parser.parse_args()

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

    for destination, transit in (("RU", ["KZ"]), ("KZ", []), ("DE", [])):
        item = shipment(destination, transit, args.lines)
        result = screener.screen(item)
        times = sorted(timed(screener, item, args.repeat))
        goods_only = ShipmentScreener(Screener(()), rules, nomenclature)
        bare = item.model_copy(update={"parties": item.parties[:1]})
        goods_times = sorted(timed(goods_only, bare, args.repeat))
        print(
            f"{len(item.goods)} lines, {len(item.parties)} parties, DE -> {destination}"
            f"{' via ' + ','.join(transit) if transit else ''}: decision {result.decision.value}, "
            f"{len(result.reasons)} reasons | median {statistics.median(times):.1f} ms, "
            f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms "
            f"(goods rules alone: median {statistics.median(goods_times):.2f} ms) over {args.repeat} runs"
        )


if __name__ == "__main__":
    main()
