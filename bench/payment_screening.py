"""Payment screening: messages per second on one core, and what is found, beside a keyword-matching peer.

    .venv/bin/python bench/payment_screening.py [--cpu 0] [--messages 3000]

Every list of `../shared/data/lists/latest.json` is indexed together; then, pinned to one
core, with a warm index:

- the real messages of `tests/text/data/` (MT103, STP and REMIT, MT202 and COV, pacs.008
  and pacs.009 in their wrappers, pain.001, and the evasion cases made from them), screened
  over and over as a payment system meets recurring counterparties;
- unique messages: the real MT103 STP and the real pacs.008 in its CBPR+ envelope with every
  party, address and remittance new (people's names from the Wikidata pairs of
  `../shared/data/names/`, made-up company names around their surnames), none listed.

The peer is what many payment filters do: an Aho-Corasick automaton (pyahocorasick) over every
listed name, matched on word boundaries over the whole message text (`text_screening.KeywordPeer`).
Each reports which evasion cases it flags.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import gzip
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import Screener
from clearance.model import Entity
from clearance.results import ListVersionInfo
from clearance.text import TextScreener
from clearance.text.payment_screening import PaymentScreener
from clearance.text.payments import loads_payment
from clearance.text.results import PaymentScreening
from text_screening import SHARED, KeywordPeer

MESSAGES = Path(__file__).resolve().parents[1] / "tests" / "text" / "data"
NAMES = SHARED / "names" / "translit_fullname_pairs.tsv.gz"
EVASIONS = (
    "mt103_listed_repeated_59.txt",
    "mt103_59_inside_70.txt",
    "mt103_wrapped_name.txt",
    "pacs008_two_names.xml",
    "mt103_sberbank_remittance.txt",
    "mt103_zero_width_remittance.txt",
)
"""Real messages edited to hide a listed party (tests/text/data/README.md): each must be flagged."""
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
STREETS = ("GELBSTRASSE", "PARK AVENUE", "HIGH STREET", "RUE DE LA PAIX", "VIA ROMA", "MAIN ROAD")
REMITTANCES = (
    "INVOICE {n} OFFICE FURNITURE",
    "/RFB/EXPENSES {n}/2025",
    "CONTRACT {n} SPARE PARTS DELIVERY",
    "PO {n} CNC MACHINE SERVICE",
)


def unique_messages(count: int) -> list[bytes]:
    """The real MT103 STP and pacs.008 with new parties, addresses and remittance each time."""
    with gzip.open(NAMES, "rt", encoding="utf-8") as pairs:
        next(pairs)
        people = [line.split("\t")[1].upper() for line in pairs]
    random.Random(7).shuffle(people)
    forms = ("TRADING GMBH", "LOGISTICS LLC", "HOLDING LTD", "INDUSTRIES SA", "SUPPLY BV")
    mt = (MESSAGES / "mt103_stp.txt").read_text(encoding="utf-8")
    xml = (MESSAGES / "pacs008_envelope_apphdr.xml").read_text(encoding="utf-8")
    made = []
    for n in range(count):
        company = f"{people[2 * n].split()[-1]} {forms[n % len(forms)]}"
        text = xml if n % 2 else mt
        for old, new in (
            ("FRANZ HOLZAPFEL GMBH", company),
            ("C.WON", people[2 * n + 1]),
            ("GELBSTRASSE, 13", f"{STREETS[n % 6]}, {n % 97 + 1}"),
            ("PARK AVENUE 1", f"{STREETS[(n + 3) % 6]} {n % 89 + 1}"),
            ("/RFB/EXPENSES 7/2009", REMITTANCES[n % len(REMITTANCES)].format(n=1000 + n)),
        ):
            text = text.replace(old, new)
        made.append(text.encode())
    return made


def per_second(messages: list[bytes], screen: Callable[[bytes], object]) -> float:
    start = time.process_time()
    for message in messages:
        screen(message)
    return len(messages) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", type=int, default=0, help="the core to pin to")
    parser.add_argument("--messages", type=int, default=3000, help="unique messages screened")
    args = parser.parse_args()
    entities: list[Entity] = []
    for name, source in SOURCES.items():
        entities += source.parse(mirror_path(SHARED / "lists", name)).entities
    texts = TextScreener(Screener.build(entities))
    # Built here, the index is millions of Python objects: out of the cycle collector's sight, as the service
    # keeps it, so a full collection is not timed as screening.
    gc.freeze()
    peer = KeywordPeer(entities)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})
    common = {"threshold": texts.screener.threshold, "list_version": ListVersionInfo.of(None, NOW), "screened_at": NOW}

    def ours(data: bytes, payments: PaymentScreener) -> PaymentScreening:
        payment = loads_payment(data)
        return PaymentScreening.of(payment, payments.screen(payment), **common)  # type: ignore[arg-type]

    real = {
        p.name: p.read_bytes()
        for p in sorted(MESSAGES.iterdir())
        if p.suffix in (".txt", ".xml") and "getaccount" not in p.name  # a DataPDU holding no payment
    }
    payments = PaymentScreener(texts)
    decisions = {name: ours(data, payments).decision for name, data in real.items()}
    peer_flags = {name: bool(peer.screen(data.decode("utf-8", "replace"))) for name, data in real.items()}
    recurring = list(real.values()) * 20
    fresh = unique_messages(args.messages + 500)
    per_second(fresh[:500], lambda data: ours(data, PaymentScreener(texts)))  # the index's memos, on such names
    rows = [
        (
            "real messages, recurring (messages/s)",
            f"{per_second(recurring, lambda data: ours(data, payments)):,.0f}",
            f"{per_second(recurring, lambda data: peer.screen(data.decode('utf-8', 'replace'))):,.0f}",
        ),
        (
            "unique messages (messages/s)",
            f"{per_second(fresh[500:], lambda data: ours(data, PaymentScreener(texts))):,.0f}",
            f"{per_second(fresh[500:], lambda data: peer.screen(data.decode('utf-8', 'replace'))):,.0f}",
        ),
        (
            "evasion cases flagged (of 6)",
            str(sum(decisions[name] != "clean" for name in EVASIONS)),
            str(sum(peer_flags[name] for name in EVASIONS)),
        ),
        (
            "unique clean messages flagged",
            str(sum(ours(data, payments).decision != "clean" for data in fresh[500:1500])) + " of 1,000",
            str(sum(bool(peer.screen(data.decode("utf-8", "replace"))) for data in fresh[500:1500])) + " of 1,000",
        ),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"{'':{width}}  {'clearance':>12}  {'keyword peer':>12}")
    for label, mine, theirs in rows:
        print(f"{label:{width}}  {mine:>12}  {theirs:>12}")
    for name in EVASIONS:
        print(f"  {name}: clearance {decisions[name]}, peer {'flagged' if peer_flags[name] else 'clean'}")


if __name__ == "__main__":
    main()
