"""What one worker serves: the facade, pinned to a list version, and the watch that swaps versions.

Every worker maps the same persisted index file, so N workers hold one copy of it in
the page cache. A thread looks at the store every few seconds; when another version
is active (an update job finished, an operator rolled back), it opens and warms that
version's index and swaps it in. Requests in flight finish on the screener they
started with; the old index is unmapped when the last of them lets go of it.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading

from clearance.app import Clearance
from clearance.errors import ClearanceError, UnavailableError
from clearance.matching import Screener
from clearance.memo import MemoryBudget
from clearance.service.auth import Gate
from clearance.service.settings import ServiceSettings
from clearance.service.updates import JobState, UpdateJob, read_job, start_job
from clearance.settings import Settings

log = logging.getLogger("clearance.service")


class Serving:
    """The facade of one worker, the version it serves, and what went wrong in getting the next one."""

    def __init__(self, settings: Settings, service: ServiceSettings) -> None:
        self.settings = settings
        self.service = service
        self.app = Clearance(settings, pinned=True)
        self.refresh_error: str | None = None
        """Why the active version could not be swapped in (the one before serves on); None when it was."""
        self.swaps = 0
        self.budget = MemoryBudget(service.worker_memory_mb)
        """When the worker empties its memos (`forgotten` says how often it did)."""
        self.gate = Gate(settings.home, service)
        """The API keys and rate buckets of this worker."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Load the active version now (if there is one), then watch for the next."""
        self.refresh()
        self._thread = threading.Thread(target=self._watch, name="clearance-lists", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.app.close()
        self.gate.close()

    def screener(self) -> Screener:
        """The screener requests use now; 503 until one list version has loaded."""
        screener = self.app.loaded
        if screener is None:
            raise UnavailableError(f"no list version is loaded yet: {self.refresh_error or 'starting'}")
        return screener

    @property
    def ready(self) -> bool:
        return self.app.loaded is not None

    def refresh(self) -> bool:
        """Swap in the active version if it changed; a failure is kept for `/readyz`, never raised.

        After a swap every object alive is frozen out of the cycle collector's sight (`gc.freeze`): the index's
        key tables are hundreds of thousands of objects that live as long as the version, and a full
        collection over them stalls every request queued on the worker for a quarter of a second or more.
        Frozen objects are still freed by reference counting when the version goes.
        """
        try:
            swapped = self.app.refresh()
        except ClearanceError as exc:
            if self.refresh_error != str(exc):
                log.warning("list version not swapped in: %s", exc)
            self.refresh_error = str(exc)
            return False
        self.refresh_error = None
        if swapped:
            gc.unfreeze()  # the old version's objects were frozen too: let the collector free its cycles
            gc.collect()
            gc.freeze()
            self.swaps += 1
            version = self.app.loaded.version if self.app.loaded else None
            log.info("serving list version %s", version.digest if version else None)
        return swapped

    def job(self) -> UpdateJob | None:
        return read_job(self.settings.home)

    def start_update(self, sources: tuple[str, ...] = (), activate: int | None = None) -> UpdateJob:
        return start_job(self.settings, sources, activate)

    def problems(self) -> list[str]:
        """What a client should know of the version served: a failed swap, a failed or held update."""
        found = []
        if self.refresh_error:
            found.append(f"the active list version could not be loaded: {self.refresh_error}")
        job = self.job()
        if job is not None and job.problem:
            found.append(job.problem)
        return found

    def _watch(self) -> None:
        every = self.service.refresh_seconds
        while not self._stop.wait(every):
            self.refresh()
            self._schedule()
            self._settle()

    def _settle(self) -> None:
        """Freeze what requests have added to the long-lived heap (decoded names, memos) since the last look,
        once the collector has freed what of it is garbage: a full pass then only walks what came since, never
        the whole heap. Past the memory budget, first forget what the memos hold."""
        if (size := self.budget.over()) is not None:
            gc.unfreeze()  # the memos' entries were frozen: the collector must see them go
            self.budget.forget()
            log.info("memory %.0f MB over the %.0f MB budget: memos emptied", size, self.budget.mb)
        gc.collect()
        gc.freeze()

    def _schedule(self) -> None:
        """Start the scheduled update when it is due: every worker asks, the job lock lets one run."""
        hours = self.service.update_every_hours
        if hours <= 0:
            return
        job = self.job()
        if job is not None and job.state is JobState.RUNNING:
            return
        last = job.started_at if job is not None else None
        if last is not None and dt.datetime.now(dt.UTC) - last < dt.timedelta(hours=hours):
            return
        try:
            self.start_update()
        except ClearanceError as exc:
            log.info("scheduled list update not started: %s", exc)
