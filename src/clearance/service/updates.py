"""List updates for a running service: one job at a time, in a process of its own, its state in a file.

Parsing the official lists and building their index take a core for tens of seconds and
some hundreds of MB; in a process of their own they neither slow the requests being
served nor leave a worker larger. The job's state is a JSON file in the home, which
every worker reads: any of them can answer `/readyz` and `/lists` with it, and none
starts a second job while one runs (a lock on the file `update.lock` decides). The
workers swap in the new version when they see it active (`Serving`); until then,
and for good if the job fails or a version is held back, the old one keeps serving.

    python -m clearance.service.updates [SOURCE ...]       # an update; the environment names the home
    python -m clearance.service.updates --activate ID     # a roll-back to a kept snapshot
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO

from pydantic import BaseModel, ConfigDict

from clearance.errors import ClearanceError, ConflictError
from clearance.settings import Settings

STATE_FILE = "update.json"
LOCK_FILE = "update.lock"


class JobState(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    HELD = "held"
    """Every file loaded, but at least one version was held back by the regression guard."""
    FAILED = "failed"


class SourceOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    snapshot_id: int | None = None
    changed: bool = False
    held: str | None = None
    error: str | None = None


class UpdateJob(BaseModel):
    """The latest list update the service ran (or is running): when, what it did, and why it failed."""

    model_config = ConfigDict(frozen=True)

    state: JobState
    sources: tuple[str, ...] = ()
    """Those asked for; empty means every official source."""
    activate: int | None = None
    """The snapshot a roll-back makes active, instead of an update."""
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    outcomes: tuple[SourceOutcome, ...] = ()
    error: str | None = None
    pid: int | None = None

    @property
    def problem(self) -> str | None:
        """What `/readyz` and `/lists` say of a job that left the old version serving."""
        what = f"activation of snapshot {self.activate}" if self.activate is not None else "list update"
        when = f"{what} of {self.started_at:%Y-%m-%d %H:%M} UTC"
        if self.state is JobState.FAILED:
            return f"{when} failed: {self.error}; the version before it serves"
        if self.state is JobState.HELD:
            held = "; ".join(f"{o.source}: {o.held}" for o in self.outcomes if o.held)
            return f"{when} held back a version ({held}); the active one serves"
        return None


def read_job(home: Path) -> UpdateJob | None:
    """The latest job's state; None when the service never ran one (or its file is unreadable)."""
    try:
        return UpdateJob.model_validate_json((home / STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return None


def _write_job(home: Path, job: UpdateJob) -> None:
    """Replaced whole, so a reader sees the state before or after, never half of it."""
    path = home / STATE_FILE
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(job.model_dump_json(), encoding="utf-8")
    os.replace(temporary, path)


def _try_lock(home: Path) -> IO[str] | None:
    """The job lock, open and held; None when a job holds it."""
    home.mkdir(parents=True, exist_ok=True)
    handle = (home / LOCK_FILE).open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def running(home: Path) -> bool:
    handle = _try_lock(home)
    if handle is None:
        return True
    handle.close()  # closing the only descriptor of the lock releases it
    return False


def start_job(settings: Settings, sources: Sequence[str] = (), activate: int | None = None) -> UpdateJob:
    """Start a job in its own process, with these settings, and return its first state; `ConflictError`
    while one runs.

    The lock is taken here and handed to the job's process, which holds it until it exits: two requests
    can never both start a job, and a job that dies releases it.
    """
    home = settings.home
    lock = _try_lock(home)
    if lock is None:
        raise ConflictError("a list update is running already; see GET /lists for its state")
    try:
        arguments = ["--activate", str(activate)] if activate is not None else list(sources)
        process = subprocess.Popen(
            [sys.executable, "-m", "clearance.service.updates", *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **settings.to_env()},
            pass_fds=(lock.fileno(),),
            start_new_session=True,
        )
        job = UpdateJob(
            state=JobState.RUNNING, sources=tuple(sources), activate=activate, started_at=_now(), pid=process.pid
        )
        _write_job(home, job)
        return job
    finally:
        lock.close()  # not unlocked: the job's process holds the same lock until it exits


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def run_job(settings: Settings, sources: Sequence[str], activate: int | None = None) -> UpdateJob:
    """The job itself, in the process `start_job` starts: update (or activate) and index, recording how
    it went."""
    from clearance.app import Clearance

    home = settings.home
    asked = {"sources": tuple(sources), "activate": activate}
    started = _now()
    try:
        with Clearance(settings) as app:
            if activate is not None:
                snapshot = app.activate(activate)
                rows: tuple[SourceOutcome, ...] = (
                    SourceOutcome(source=snapshot.source, snapshot_id=snapshot.id, changed=True),
                )
            else:
                rows = tuple(
                    SourceOutcome(
                        source=o.source,
                        snapshot_id=o.result.snapshot.id if o.result else None,
                        changed=bool(o.result and o.result.switched),
                        held=o.result.held if o.result else None,
                        error=o.error,
                    )
                    for o in app.update(list(sources))
                )
    except ClearanceError as exc:
        job = UpdateJob(state=JobState.FAILED, started_at=started, finished_at=_now(), error=str(exc), **asked)
        _write_job(home, job)
        return job
    failed = [row for row in rows if row.error]
    state = JobState.FAILED if failed else JobState.HELD if any(row.held for row in rows) else JobState.SUCCEEDED
    job = UpdateJob(
        state=state,
        started_at=started,
        finished_at=_now(),
        outcomes=rows,
        error="; ".join(f"{row.source}: {row.error}" for row in failed) or None,
        **asked,
    )
    _write_job(home, job)
    return job


if __name__ == "__main__":  # started by `start_job`, holding its lock
    arguments = sys.argv[1:]
    try:
        if arguments[:1] == ["--activate"]:
            finished = run_job(Settings.from_env(), (), activate=int(arguments[1]))
        else:
            finished = run_job(Settings.from_env(), arguments)
    except ClearanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(finished.model_dump(mode="json")))
    sys.exit(0 if finished.state is JobState.SUCCEEDED else 1)
