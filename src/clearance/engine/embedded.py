"""The embedded batch engine: a file of any size screened by worker processes, written in input order.

The input is read as a stream (`InputFile.rows`) and cut into chunks of
`BatchJob.chunk_rows` rows. Worker processes are forked once the persisted name
index is open and its key tables warm, so they share its pages (the file through
the page cache, the key tables copy-on-write; `gc.freeze` keeps the cycle
collector from touching, and so copying, them); each decodes only the listed
records its rows touch. Each worker screens a chunk with
`clearance.app.batch_records`, the per-row code of every engine, and renders it as
the output's text; the main process writes the chunks in input order, so the
output is the same, byte for byte apart from `screened_at`, whatever the number
of workers. At most two chunks per worker are in flight: memory does not grow
with the input, nor does a worker's own memory, past its budget (`WORKER_MEMORY_MB`).

When the settings record screenings, the workers also return their records and
the main process records them, in order, before their text is written. An output
file gets a checkpoint beside it (`clearance.engine.checkpoint`), replaced every
`CHECKPOINT_SECONDS` once the output is on disk, so a run that is killed can be
resumed where the checkpoint says.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from clearance.app import WARM_RECORDS_FROM, batch_records
from clearance.batch_output import BatchSink, Layout, OutputFormat, render
from clearance.engine.checkpoint import Checkpoint, checkpoint_path, file_digest, options_digest
from clearance.errors import ClearanceError, InputError
from clearance.matching.algorithm import ALGORITHM, config_digest
from clearance.matching.batch import Columns, InputRow, input_file
from clearance.memo import MemoryBudget
from clearance.results import BatchRecord

if TYPE_CHECKING:
    import datetime as dt

    from clearance.app import Clearance
    from clearance.matching.screener import Screener
    from clearance.results import ScreeningFields

CHUNK_ROWS = 500
"""Rows a worker screens at a time: a fraction of a second's work, so the output and checkpoint keep close."""
IN_FLIGHT = 2
"""Chunks per worker handed out ahead: one being screened, one waiting, none piling up."""
CHECKPOINT_SECONDS = 1.0
"""How often the checkpoint is replaced (each time after an fsync of the output)."""
WORKER_MEMORY_MB = 400.0
"""A worker's budget: its share of the index and key tables, every listed name decoded (some 170 MB) and the
memos full (each capped). A worker then seldom or never reaches it, and two of them with the main process stay
within 1 GB."""
FIRST_ERRORS = 10
"""Errors of skipped rows kept for the summary; the output holds every one."""

Progress = Callable[[int, int | None], None]
"""Told the rows done so far and the rows in the file (None when not known)."""


def default_workers() -> int:
    """The cores this process may run on."""
    counted = getattr(os, "process_cpu_count", None)
    if counted is not None:
        return int(counted() or 1)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class BatchJob:
    """A batch run: what to read, what to write, how to screen, and where to keep its progress."""

    input: Path
    output: Path | None = None
    format: OutputFormat = OutputFormat.jsonl
    columns: Columns = field(default_factory=Columns)
    threshold: float | None = None
    limit: int = 10
    with_input: bool = False
    """Write the input's own columns beside each hit (CSV and Parquet output, CSV and Parquet input)."""
    workers: int = 1
    checkpoint: Path | None = None
    """Where the run's progress is kept; by default beside the output file (none for standard output)."""
    resume: bool = False
    chunk_rows: int = CHUNK_ROWS
    worker_memory_mb: float = WORKER_MEMORY_MB
    """Each worker's memory budget (PSS): past it, it empties its memos (0: never)."""
    review_threshold: float | None = None
    """Also report hits from this score up, in the review band (None: the settings')."""

    def checkpoint_file(self) -> Path | None:
        if self.checkpoint is not None:
            return self.checkpoint
        return checkpoint_path(self.output) if self.output is not None else None


class BatchTotals(NamedTuple):
    """What a front end reports of a screened file: rows, rows with hits, the first skipped rows' errors,
    warnings, and how many rows were skipped and how many were already done when the run resumed."""

    rows: int
    with_hits: int
    errors: list[str]
    warnings: tuple[str, ...]
    skipped: int = 0
    resumed_from: int = 0


@dataclass
class _Done:
    """A screened chunk: its output text and what the summary needs of it."""

    rows: int
    text: str
    with_hits: int
    errors: list[str]
    warnings: tuple[str, ...]
    records: list[BatchRecord] | None


@dataclass(frozen=True)
class _Work:
    """What a worker needs to screen a chunk: set before the workers fork, so they inherit it unpickled."""

    screener: Screener
    how: ScreeningFields
    threshold: float | None
    review_threshold: float | None
    limit: int
    now: Callable[[], dt.datetime]
    layout: Layout
    keep_records: bool
    memory_mb: float


_work: _Work | None = None
_in_worker = False
_budget: MemoryBudget | None = None


def _screen_chunk(chunk: list[InputRow]) -> _Done:
    work = _work
    assert work is not None, "the work is set before any chunk is screened"
    rows = ((line, row) for line, row, _ in chunk)
    review = work.review_threshold
    records = list(
        batch_records(work.screener, rows, work.how, work.threshold, work.limit, work.now, review_threshold=review)
    )
    cells = [kept for _, _, kept in chunk] if work.layout.input_columns else None
    if _in_worker:
        _settle(work.memory_mb)
    return _Done(
        rows=len(records),
        text=render(work.layout, records, cells),
        with_hits=sum(1 for record in records if record.hits),
        errors=[record.error for record in records if record.error is not None],
        warnings=records[-1].warnings if records else (),
        records=records if work.keep_records else None,
    )


def _settle(budget: float) -> None:
    """After a chunk, in a worker: past its memory budget, empty the memos and the records it decoded (each
    bounded, but together some hundreds of MB once full), then freeze what is left, so full collections walk
    only what the next chunks add. The frozen heap is never unfrozen here: it holds the index tables shared
    with the main process, which a full collection would copy into the worker."""
    global _budget
    if _budget is None:
        _budget = MemoryBudget(budget)
    if _budget.over() is not None:
        _budget.forget()
    gc.freeze()


def _worker_started() -> None:
    """A worker ends with the main process, even killed, and leaves Ctrl-C to it."""
    global _in_worker
    _in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def screen_file(
    clearance: Clearance,
    job: BatchJob,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> BatchTotals:
    """Screen `job.input` into `job.output` (standard output when None); `warn` is told how a CSV not in UTF-8
    was read. Bad input, an output that cannot be written or a checkpoint that does not fit raise `InputError`
    before any row is screened; rows that cannot be read or screened are records with their error."""
    global _work
    source = input_file(job.input, job.columns, warn)
    if job.with_input and job.format is OutputFormat.jsonl:
        raise InputError("--with-input needs CSV or Parquet output: a JSON line holds the record, not the input row")
    if job.with_input and source.kind == "jsonl":
        raise InputError(f"{job.input}: --with-input needs CSV or Parquet input: JSON lines have no fixed columns")
    where = job.checkpoint_file()
    if job.resume and (job.output is None or where is None):
        raise InputError("--resume needs --output FILE: standard output cannot be resumed")
    recording = clearance.settings.record
    if job.resume and recording:
        raise InputError("--resume cannot record: rows recorded after the checkpoint would be recorded twice")
    screener = clearance.screener()
    how = clearance.screening_fields(screener, job.threshold)
    version = screener.version.digest if screener.version is not None else None
    layout = Layout(job.format, source.header if job.with_input else (), crlf=job.output is not None)
    options = {
        "columns": dict(job.columns.named),
        "threshold": job.threshold,
        "review_threshold": screener.review_threshold if job.review_threshold is None else job.review_threshold,
        "limit": job.limit,
        "format": job.format.value,
        "with_input": job.with_input,
        "algorithm": ALGORITHM,
        "config": config_digest(),
    }
    state = Checkpoint(file_digest(job.input) if where is not None else "", options_digest(options), version)
    if job.resume:
        assert where is not None
        saved = Checkpoint.load(where)
        saved.refuse_unless_matches(where, state)
        state = saved
    total = source.count()
    # One process decodes every listed name first when the batch is large (see `NameIndex.warm`). Workers
    # share the key tables, warmed before they fork, and decode only the names their rows touch: a worker
    # touching a shared name copies its page (reference counts), so decoding all of them before the fork
    # would cost each worker most of their 170 MB anyway. `gc.freeze` after each chunk keeps what a worker
    # decoded out of the full collections that made lazy decoding slow.
    remaining = total - state.rows
    screener.index.warm(records=job.workers <= 1 and remaining >= WARM_RECORDS_FROM)
    sink = BatchSink(job.output, layout, resume_at=state.offset if job.resume else None)
    resumed_from = state.rows
    results: Generator[_Done, None, None] | None = None
    try:
        if where is not None and not job.resume:
            state.offset = sink.sync()
            state.save(where)
        _work = _Work(
            screener,
            how,
            job.threshold,
            job.review_threshold,
            job.limit,
            clearance.now,
            layout,
            recording,
            job.worker_memory_mb,
        )
        chunks = _chunks(itertools.islice(source.rows(cells=job.with_input), state.rows, None), job.chunk_rows)
        workers = min(job.workers, -(-remaining // job.chunk_rows))  # no more than there are chunks
        results = _screened(chunks, workers)
        if recording:
            request: dict[str, object] = {"threshold": job.threshold, "limit": job.limit}
            if job.review_threshold is not None:
                request["review_threshold"] = job.review_threshold
            results = _recorded(clearance, results, request)
        warnings: tuple[str, ...] = how.get("warnings", ())
        saved_at = -CHECKPOINT_SECONDS  # the first chunk is checkpointed at once, then one a second
        if progress is not None:
            progress(state.rows, total)
        for done in results:
            sink.write(done.text)
            state.rows += done.rows
            state.with_hits += done.with_hits
            state.errors += len(done.errors)
            state.first_errors += done.errors[: FIRST_ERRORS - len(state.first_errors)]
            warnings = done.warnings
            if where is not None and time.monotonic() - saved_at >= CHECKPOINT_SECONDS:
                state.offset = sink.sync()
                state.save(where)
                saved_at = time.monotonic()
            if progress is not None:
                progress(state.rows, max(total, state.rows))
    except BaseException:
        if results is not None:
            results.close()  # the workers stop once their chunk is done, before the error is reported
        sink.close()
        raise
    finally:
        _work = None
    sink.finish()
    if where is not None:
        where.unlink(missing_ok=True)
    return BatchTotals(state.rows, state.with_hits, state.first_errors, warnings, state.errors, resumed_from)


def _chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _screened(chunks: Iterator[list[InputRow]], workers: int) -> Generator[_Done, None, None]:
    """Each chunk screened, in order: here with one worker, else by `workers` forked processes, a few chunks
    ahead of the one written."""
    if workers <= 1:
        yield from map(_screen_chunk, chunks)
        return
    gc.collect()
    gc.freeze()  # the index's decoded tables, shared with the workers, stay out of the collector's reach
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork"), initializer=_worker_started) as pool:
            pending: deque[Future[_Done]] = deque()
            # Forked now, before the first chunk is read: a Parquet input's DuckDB threads start after them.
            pool.submit(os.getpid).result()
            try:
                for chunk in chunks:
                    pending.append(pool.submit(_screen_chunk, chunk))
                    if len(pending) >= workers * IN_FLIGHT:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
            except BrokenProcessPool:
                raise ClearanceError("a batch worker process died (out of memory?); resume the run") from None
            finally:
                for future in pending:
                    future.cancel()
    finally:
        gc.unfreeze()


def _recorded(
    clearance: Clearance, results: Iterator[_Done], request: dict[str, object]
) -> Generator[_Done, None, None]:
    """The chunks again, each once all its records are recorded in the case database (in order, as
    `Clearance.screen_rows` records them), so no row is in the output that is not recorded."""
    waiting: deque[_Done] = deque()

    def records() -> Iterator[BatchRecord]:
        for done in results:
            waiting.append(done)
            yield from done.records or ()

    recorded = 0
    for _ in clearance.cases.recorder.rows(records(), dict(request), clearance.screener().version):
        recorded += 1
        while waiting and recorded >= waiting[0].rows:
            recorded -= waiting[0].rows
            done = waiting.popleft()
            done.records = None
            yield done
