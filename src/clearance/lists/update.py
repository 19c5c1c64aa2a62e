"""Getting list versions into the store: from a file, a local mirror, or the official URLs.

Every path ends in `ListStore.load`, one transaction: a download that fails, a
file that does not parse or a crash mid-write leaves the active snapshot as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from clearance.errors import ClearanceError, DownloadError, InputError, UnavailableError
from clearance.lists.files import combined_digest, digest_files
from clearance.lists.registry import SOURCES, get_source
from clearance.lists.source import ListSource
from clearance.model import record_problems
from clearance.settings import Settings
from clearance.store import ListStore, LoadResult
from clearance.store.list_store import MAX_SHRINK

Progress = Callable[[int], None]


@dataclass(frozen=True)
class UpdateOutcome:
    """What `update` did for one source: a load result, or the error that left it unchanged."""

    source: str
    result: LoadResult | None = None
    error: str | None = None
    code: str | None = None
    """The error's code (`download_failed`, `store_locked`, ...), for a caller to tell failures apart."""


@dataclass(frozen=True)
class LoadOptions:
    """How a version is loaded: `force` activates it past the regression guard; `published` states the
    publisher's date for a file that states none (an HTTP Last-Modified, or the operator's word)."""

    force: bool = False
    max_shrink: float = MAX_SHRINK
    published: dt.datetime | None = None


def load_path(
    store: ListStore,
    source: ListSource,
    path: Path,
    origin: str | None = None,
    progress: Progress | None = None,
    options: LoadOptions = LoadOptions(),
) -> LoadResult:
    """Parse one version of `source` from `path` (file or folder) and store it as a snapshot."""
    if not path.exists():
        raise InputError(f"{source.name}: {path}: no such file or folder")
    with record_problems() as problems:
        parsed = source.parse(path)
    if not parsed.entities:
        raise InputError(f"{source.name}: {path}: no entries found; refusing to load an empty list")
    if parsed.published is None and options.published is not None:
        parsed = dataclasses.replace(parsed, published=options.published)
    files = digest_files(parsed.files)
    result = store.load(
        parsed,
        files,
        origin or str(path.resolve()),
        force=options.force,
        max_shrink=options.max_shrink,
        progress=progress,
    )
    return dataclasses.replace(result, problems=tuple(problems))


def mirror_path(list_dir: Path, source: str) -> Path:
    """Where a local mirror keeps a source: as `latest.json` says, else a file or folder named after it.

    A list shipped in the package (EU Annex IV) is read from the package.
    """
    bundled = get_source(source).bundled
    if bundled is not None:
        return bundled
    index = list_dir / "latest.json"
    if index.is_file():
        try:
            mapping = json.loads(index.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"{index}: not a JSON object mapping source names to paths: {exc}") from None
        if not isinstance(mapping, dict):
            raise InputError(f"{index}: not a JSON object mapping source names to paths")
        if source in mapping:
            return list_dir / str(mapping[source])
    candidates = sorted(list_dir.glob(f"{source}*"))
    if not candidates:
        raise UnavailableError(f"{source}: no file or folder for it in the list mirror {list_dir}")
    return candidates[0]


@dataclass(frozen=True)
class Downloaded:
    path: Path
    """What the source's parser reads: the one file, or the folder of several."""
    last_modified: dt.datetime | None
    """The newest Last-Modified the publisher's server stated for the files, if it stated one."""


def download(source: ListSource, folder: Path, settings: Settings, client: httpx.Client | None = None) -> Downloaded:
    """Fetch a source's official files into `folder`.

    Each file is streamed to disk, retried on network errors and server errors with
    back-off, and refused when shorter than the server announced (a truncated file
    would otherwise parse as a smaller list).
    """
    if not source.downloads:
        raise DownloadError(f"{source.name}: no official download is known; load a file with `lists load`")
    own = client is None
    http = client or httpx.Client(
        timeout=settings.http_timeout,
        follow_redirects=True,
        headers={"User-Agent": "clearance (sanctions screening)"},
    )
    try:
        stamps = [_fetch(http, item.url, folder / item.filename, settings.http_retries) for item in source.downloads]
    finally:
        if own:
            http.close()
    dated = [stamp for stamp in stamps if stamp is not None]
    path = folder / source.downloads[0].filename if len(source.downloads) == 1 else folder
    return Downloaded(path, max(dated) if dated else None)


def _last_modified(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        stamp = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def _fetch(client: httpx.Client, url: str, target: Path, retries: int) -> dt.datetime | None:
    attempts = max(1, retries)
    for attempt in range(1, attempts + 1):
        try:
            with client.stream("GET", url) as response:
                if response.status_code >= 400:
                    message = f"HTTP {response.status_code}"
                    if response.status_code < 500:
                        raise DownloadError(f"{url}: {message}")
                    raise httpx.TransportError(message)
                expected = response.headers.get("Content-Length")
                written = 0
                with target.open("wb") as handle:
                    for chunk in response.iter_raw():
                        handle.write(chunk)
                        written += len(chunk)
                encoded = response.headers.get("Content-Encoding", "identity") != "identity"
                if expected is not None and not encoded and written != int(expected):
                    raise httpx.TransportError(f"truncated: {written} of {expected} bytes")
                return _last_modified(response.headers.get("Last-Modified"))
        except httpx.ConnectError as exc:
            # No route, no name resolution: offline, or the host is gone. Waiting to retry rarely helps.
            raise DownloadError(f"{url}: cannot connect: {exc}") from None
        except httpx.HTTPError as exc:
            if attempt == attempts:
                raise DownloadError(f"{url}: download failed after {attempts} attempts: {exc}") from None
            time.sleep(min(2.0 ** (attempt - 1), 10.0))
    return None


def update(
    store: ListStore,
    sources: Sequence[str],
    settings: Settings,
    progress: Callable[[str], Progress | None] | None = None,
    force: bool = False,
) -> list[UpdateOutcome]:
    """Refresh each source from the local mirror (`CLEARANCE_LIST_DIR`) or its official URLs.

    Sources are independent: one that fails is reported and left as it was, the others go on.
    """
    outcomes = []
    options = LoadOptions(force=force, max_shrink=settings.max_shrink)
    for name in sources or list(SOURCES):
        source = get_source(name)
        on_progress = progress(name) if progress else None
        try:
            if source.bundled is not None:
                origin = f"package clearance: {source.bundled.name}"
                result = load_path(store, source, source.bundled, origin=origin, options=options)
            elif settings.list_dir is not None:
                path = mirror_path(settings.list_dir, name)
                result = load_path(store, source, path, progress=on_progress, options=options)
            else:
                result = _update_from_web(store, source, settings, on_progress, options)
        except ClearanceError as exc:
            outcomes.append(UpdateOutcome(name, error=str(exc), code=exc.code))
            continue
        outcomes.append(UpdateOutcome(name, result=result))
    return outcomes


def _update_from_web(
    store: ListStore, source: ListSource, settings: Settings, progress: Progress | None, options: LoadOptions
) -> LoadResult:
    """Download into a scratch folder; keep the files under the store's archive once loaded.

    A file that states no publication date (OFAC's CSV set, the CSL) is dated by the
    publisher's server: its Last-Modified header.
    """
    downloads = settings.home / "downloads"
    try:
        downloads.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f"{source.name}-", dir=downloads))
    except OSError as exc:
        raise DownloadError(f"{source.name}: cannot write downloads to {downloads}: {exc.strerror}") from None
    try:
        fetched = download(source, scratch, settings)
        origin = ", ".join(item.url for item in source.downloads)
        dated = dataclasses.replace(options, published=fetched.last_modified)
        result = load_path(store, source, fetched.path, origin=origin, progress=progress, options=dated)
        archive = settings.home / "archive" / source.name / combined_digest(result.snapshot.files)
        if not archive.exists():
            archive.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(scratch), archive)
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
