"""Memos of an object's methods that die with the object.

`functools.lru_cache` on a method keeps every instance alive for the life of the
process, and an `lru_cache` of a bound method stored on its own instance makes a
cycle, which only the cycle collector frees: a service swapping name indexes would
hold each old one, mapped pages and all, until the next full collection. Here the
memo refers to its object weakly, so an index is freed as soon as it is dropped.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

T = TypeVar("T")


def memoised(method: Callable[..., T], maxsize: int) -> Callable[..., T]:
    """An LRU memo of a bound method (positional, hashable arguments) that keeps no hold on its object."""
    owner = weakref.ref(method.__self__)  # type: ignore[attr-defined]
    function = method.__func__  # type: ignore[attr-defined]

    @lru_cache(maxsize=maxsize)
    def remembered(*args: Any) -> T:
        result: T = function(owner(), *args)
        return result

    return remembered
