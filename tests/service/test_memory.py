"""A worker past its memory budget forgets what its memos hold, and screens as before."""

from __future__ import annotations

import sys
from pathlib import Path

from clearance.matching import Party, Screener
from clearance.matching.index import EntityFacts
from clearance.memo import MemoryBudget, forget, own_pss_mb
from clearance.service.serving import Serving
from clearance.service.settings import ServiceSettings
from clearance.settings import Settings

NAMES = ("Vladimir Putin", "Arkadii Rotenberg", "Sberbank", "Maschinenbau Mueller GmbH", "Ri Won Ho")


def _found(screener: Screener) -> list[list[tuple[str, float]]]:
    return [[(hit.entity.id, round(hit.score, 6)) for hit in screener.screen(Party(name))] for name in NAMES]


def test_forgetting_changes_no_result_only_what_is_remembered(screener: Screener) -> None:
    before = _found(screener)
    assert screener.index.names._items.count(None) < len(screener.index.names)  # type: ignore[attr-defined]
    forget()
    assert screener.index.names._items.count(None) == len(screener.index.names)  # type: ignore[attr-defined]
    assert _found(screener) == before


def test_screening_keeps_the_facts_of_close_candidates_and_whole_entities_of_hits(screener: Screener) -> None:
    index = screener.index
    forget()
    hits = screener.screen(Party("Rosneft"), limit=100)
    whole = sum(entity is not None for entity in index.entities._items)  # type: ignore[attr-defined]
    facts = [n for n, fact in enumerate(index.facts._items) if fact is not None]  # type: ignore[attr-defined]
    assert hits and whole == len({hit.entity.id for hit in hits}) < len(facts)  # close candidates, no hit
    assert all(index.facts[n] == EntityFacts.of(index.entities[n]) for n in facts)


def test_a_worker_over_its_budget_forgets_and_serves_on(listed_home: Path) -> None:
    serving = Serving(Settings(home=listed_home), ServiceSettings(auth=False, worker_memory_mb=1))
    serving.start()
    try:
        size = own_pss_mb()
        assert size is not None and size > 1
        before = [serving.app.screen(Party(name)).hits for name in NAMES]
        serving._settle()
        assert serving.budget.forgotten == 1
        assert [serving.app.screen(Party(name)).hits for name in NAMES] == before
    finally:
        serving.stop()


def test_within_its_budget_a_worker_keeps_its_memos(listed_home: Path) -> None:
    serving = Serving(Settings(home=listed_home), ServiceSettings(auth=False, worker_memory_mb=100_000))
    serving.start()
    try:
        serving.app.screen(Party("Vladimir Putin"))
        serving._settle()
        assert serving.budget.forgotten == 0
    finally:
        serving.stop()


def test_a_budget_empties_the_memos_again_only_once_they_are_as_full() -> None:
    """Freed memory is reused, so the PSS stays over the budget after the first emptying: the live objects tell
    when the memos are full again."""
    budget = MemoryBudget(1)
    assert budget.over() is not None  # any process is past 1 MB
    budget.forget()
    assert budget.forgotten == 1 and budget.over() is None  # still past 1 MB, but no fuller than it was
    held: list[str] = []
    most = 2 * sys.getallocatedblocks()  # twice as many live objects as now: surely as many as before
    while budget.over() is None and len(held) < most:
        held.extend(str(number) for number in range(100_000))
    assert budget.over() is not None
    assert MemoryBudget(0).over() is None  # no budget
