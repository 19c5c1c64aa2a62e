"""The blocking keys are a superset of what the screener looks up: every hit shares a key with its subject."""

from __future__ import annotations

import random
import re
from pathlib import Path

from clearance.app import Clearance
from clearance.matching import Party
from clearance.model import EntityKind
from clearance.register.keys import entity_keys, probe_keys, subject_probes
from clearance.register.rescreen import UNSCREENED_FIELDS

MATCHING = Path(__file__).resolve().parents[2] / "src" / "clearance" / "matching"


def keys_of(name: str, kind: EntityKind | None) -> set[str]:
    return {key for probe in subject_probes(name, kind) for key in probe_keys(probe)}


def typo(name: str, rng: random.Random) -> str:
    """One letter of a name's longest word dropped: what a key-entry error does."""
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 3:
        at = rng.randrange(1, len(word))
        words[longest] = word[:at] + word[at + 1 :]
    return " ".join(words)


def test_every_hit_on_real_listed_names_shares_a_key(listed_home: Path) -> None:
    """Listed names, as written and with a typo, screened against every real list: each hit's entity, as the
    index holding it files it, shares a key with the query (or is listed with a hit that does)."""
    rng = random.Random(7)
    with Clearance.open(listed_home) as clearance:
        screener = clearance.screener()
        index = screener.index
        numbers = rng.sample(range(len(index.entities)), 150)
        queries = []
        for number in numbers:
            entity = index.entities[number]
            name = rng.choice(entity.names).full
            queries += [(name, entity.kind), (typo(name, rng), entity.kind), (name, None)]
        checked = 0
        for name, kind in queries:
            hits = screener.screen(Party(name, kind=kind), threshold=0.5, limit=30)
            wanted = keys_of(name, kind)
            for hit in hits:
                if hit.listed_with is not None:  # reported with its designation's entry, which is a hit
                    assert any(h.entity.id == hit.listed_with for h in hits), (name, hit.entity.id)
                    continue
                assert wanted & entity_keys([hit.entity], index), (name, hit.entity.id)
                checked += 1
    assert checked > 400


def test_probes_of_a_name() -> None:
    probes = subject_probes("Abu Lulu", EntityKind.PERSON)
    assert "u\x1fabu\x1fabu\x1f0" in probes and "u\x1flulu\x1flulu\x1f0" in probes and "j\x1fabululu" in probes


def test_no_matching_code_reads_the_fields_a_change_of_which_blocks_nothing() -> None:
    """A change to these fields alone blocks no subject, which is right only while party screening never reads them.

    Grouping hits into designations reads a UN reference from the remarks; it scores nothing and drops no hit,
    and the register keeps an alert per list entry, so a changed remark cannot change what is alerted."""
    scoring = [path for path in MATCHING.glob("*.py") if path.name != "designation.py"]
    source = "\n".join(path.read_text(encoding="utf-8") for path in scoring)
    for field in UNSCREENED_FIELDS:
        assert not re.search(rf"\.{field}\b", source), field
