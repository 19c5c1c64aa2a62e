"""Keeping Python's cycle collector out of a large parse or a long text.

A parser, or a text screener tokenising a document, makes only acyclic objects (strings,
tuples, frozen models), which reference counting frees, yet each collection still walks
every object alive, the name index and a previous list version included: for the OFAC
CSV sets and the US Consolidated Screening List those passes took most of the parse
time, and most of the time of screening a long text. Nested and concurrent pauses are counted, so the
collector is back on once the last one ends (and only if it was on before the first).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0
_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the `with` block (or, as `@gc_paused()`, for each call)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
