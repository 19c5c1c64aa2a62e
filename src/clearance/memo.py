"""Memos of an object's methods that die with the object, and one way to forget every memo at once.

`functools.lru_cache` on a method keeps every instance alive for the life of the
process, and an `lru_cache` of a bound method stored on its own instance makes a
cycle, which only the cycle collector frees: a service swapping name indexes would
hold each old one, mapped pages and all, until the next full collection. Here the
memo refers to its object weakly, so an index is freed as soon as it is dropped.

Every memo of the matcher is also registered here, so that a long-lived process can
`forget` them all: its heap then stops growing, as the memos fill again in the memory
they freed (CPython seldom hands freed memory back to the system, but reuses it). A
service worker and a batch worker do so when they pass their `MemoryBudget`.
"""

from __future__ import annotations

import os
import sys
import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class _Clearable(Protocol):
    def cache_clear(self) -> None: ...


_memos: weakref.WeakSet[Any] = weakref.WeakSet()
_forgetters: weakref.WeakSet[Any] = weakref.WeakSet()


def memo(maxsize: int) -> Callable[[F], F]:
    """`functools.lru_cache(maxsize)`, registered so that `forget` empties it."""

    def decorate(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _memos.add(cached)
        return cached  # type: ignore[return-value]

    return decorate


def forgets(owner: Any) -> None:
    """Have `forget` call `owner.forget()` for as long as `owner` lives: for what an object remembers beside
    its `memoised` methods (records it decoded, say)."""
    _forgetters.add(owner)


def forget() -> None:
    """Empty every registered memo and call every registered `forget`: results stay the same, only slower
    until the memos fill again."""
    for cached in list(_memos):
        cached.cache_clear()
    for owner in list(_forgetters):
        owner.forget()


def memoised(method: Callable[..., T], maxsize: int) -> Callable[..., T]:
    """An LRU memo of a bound method (positional, hashable arguments) that keeps no hold on its object."""
    owner = weakref.ref(method.__self__)  # type: ignore[attr-defined]
    function = method.__func__  # type: ignore[attr-defined]

    @lru_cache(maxsize=maxsize)
    def remembered(*args: Any) -> T:
        result: T = function(owner(), *args)
        return result

    _memos.add(remembered)
    return remembered


def own_pss_mb() -> float | None:
    """This process's proportional set size (its private memory and its share of what it maps with
    others, such as the index file); None where /proc does not tell."""
    try:
        with open(f"/proc/{os.getpid()}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class MemoryBudget:
    """When a long-lived process empties its memos: first when its PSS passes `mb`, then each time it holds
    as many live objects as it held at the last emptying.

    Freed memory is reused rather than handed back, so after the first emptying the PSS stays near the budget
    and no longer tells when the memos are full again; the count of live objects does. A process whose memos
    are not what fills it (emptying frees less than a tenth) waits until it has grown a tenth more.
    """

    def __init__(self, mb: float) -> None:
        self.mb = mb
        self.forgotten = 0
        """How often the memos were emptied."""
        self._full_at: int | None = None

    def over(self) -> float | None:
        """The process's PSS in MB when the memos are due to be emptied, else None (also with no budget, 0)."""
        if self.mb <= 0:
            return None
        size = own_pss_mb()
        if size is None or size <= self.mb:
            return None
        if self._full_at is not None and sys.getallocatedblocks() < self._full_at:
            return None
        return size

    def forget(self) -> None:
        """`forget`, noting how many objects the memos held."""
        live = sys.getallocatedblocks()
        forget()
        left = sys.getallocatedblocks()
        self._full_at = live if left < live * 0.9 else int(left * 1.1)
        self.forgotten += 1
