"""The near-miss band: a pair just under the threshold on one list version that crosses it on the next is found
by a delta re-screening, although the subject shares no key with any entity the update changed."""

from __future__ import annotations

import random
from pathlib import Path

from clearance.app import Clearance
from clearance.matching import Party
from clearance.matching.screener import Screener
from clearance.register import Register, Rescreen
from clearance.register.watch import NEAR_MISS_MARGIN, WatchingScreener
from clearance.results import BatchRecord
from tests.register.conftest import HEADER, un_snapshots
from tests.register.test_keys import typo

Case = tuple[str, str, float]


def queries(screener: Screener, count: int, seed: int) -> list[str]:
    """Real listed names of lists other than the UN's, as written and with a typo."""
    rng = random.Random(seed)
    index = screener.index
    found: list[str] = []
    while len(found) < count:
        entity = index.entities[rng.randrange(len(index.entities))]
        if entity.source != "un":
            name = rng.choice(entity.names).full
            found += [name, typo(name, rng)]
    return found


def test_the_watching_screener_gives_the_screeners_hits(listed_home: Path) -> None:
    with Clearance.open(listed_home) as clearance:
        screener = clearance.screener()
        watching = WatchingScreener.of(screener)
        watched = 0
        for name in queries(screener, 150, 3):
            for threshold in (0.7, 0.8):
                party = Party(name)
                expected = [(hit.entity.id, hit.score) for hit in screener.screen(party, threshold, limit=3)]
                got = [(hit.entity.id, hit.score) for hit in watching.screen(party, threshold, limit=3)]
                assert got == expected, name
                near = watching.watched.popleft().watched
                assert all(threshold - NEAR_MISS_MARGIN <= score for _, score in near)
                watched += bool(near)
        assert not watching.watched and watched > 10


def crossing(home: Path) -> Case:
    """A real (name, entity, score) whose score is higher on the newer UN version than on the older: the list
    update only moved token rarity, as every update does. The threshold is set to that score."""
    older, newer = un_snapshots(home)
    scores: dict[bool, dict[tuple[str, str], float]] = {}
    names: list[str] = []
    for new, snapshot in ((False, older), (True, newer)):
        with Clearance.open(home) as clearance:
            clearance.activate(snapshot)
            screener = clearance.screener()
            names = names or queries(screener, 200, 11)
            scores[new] = {
                (name, hit.entity.id): hit.score for name in names for hit in screener.screen(Party(name), 0.6, 3)
            }
    risen = [
        (pair[0], pair[1], score)
        for pair, score in scores[True].items()
        if pair in scores[False] and scores[False][pair] < score < 1.0 and pair[1].split(":")[0] != "un"
    ]
    assert risen, "no pair's score moved up with the update"
    with Clearance.open(home) as clearance:
        clearance.activate(older)
    return min(risen)


def test_a_pair_crossing_the_threshold_with_the_update_is_alerted_by_the_delta(old_home: Path) -> None:
    name, entity, threshold = crossing(old_home)
    path = old_home / "customers.csv"
    path.write_text(HEADER + f'w1,"{name}",,,\nw2,Greta Lindqvist,person,,SE\n', encoding="utf-8")
    with Clearance.open(old_home) as clearance, Register.open(old_home) as register:
        register.load(path)
        first: list[BatchRecord] = []
        job = Rescreen(clearance, register, threshold=threshold)
        job.run(first.append)
        job.commit()
    assert ("w1", entity) not in {(r.id, hit.entity_id) for r in first for hit in r.hits}
    _, newer = un_snapshots(old_home)
    with Clearance.open(old_home) as clearance:
        clearance.activate(newer)
    register_file = old_home / "register.duckdb"
    kept = register_file.read_bytes()

    def delta(watch: bool) -> set[tuple[str, str]]:
        register_file.write_bytes(kept)
        written: list[BatchRecord] = []
        with Clearance.open(old_home) as clearance, Register.open(old_home) as register:
            if not watch:
                register.db.execute("DELETE FROM watch")
            job = Rescreen(clearance, register, threshold=threshold)
            job.run(written.append)
            assert not job.commit().full
        return {(record.id, hit.entity_id) for record in written for hit in record.hits}

    assert ("w1", entity) in delta(watch=True)
    # Without the band the subject is not screened at all: nothing else ties it to the update.
    assert ("w1", entity) not in delta(watch=False)
