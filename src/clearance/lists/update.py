"""Getting list versions into the store: from a file, a local mirror, or the official URLs.

Every path ends in `ListStore.load`, one transaction: a download that fails, a
file that does not parse or a crash mid-write leaves the active snapshot as it was.
"""

from __future__ import annotations

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
from clearance.settings import Settings
from clearance.store import ListStore, LoadResult

Progress = Callable[[int], None]


@dataclass(frozen=True)
class UpdateOutcome:
    """What `update` did for one source: a load result, or the error that left it unchanged."""

    source: str
    result: LoadResult | None = None
    error: str | None = None


def load_path(
    store: ListStore,
    source: ListSource,
    path: Path,
    origin: str | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Parse one version of `source` from `path` (file or folder) and store it as a snapshot."""
    if not path.exists():
        raise InputError(f"{source.name}: {path}: no such file or folder")
    parsed = source.parse(path)
    if not parsed.entities:
        raise InputError(f"{source.name}: {path}: no entries found; refusing to load an empty list")
    files = digest_files(parsed.files)
    return store.load(parsed, files, origin or str(path.resolve()), progress=progress)


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


def download(source: ListSource, folder: Path, settings: Settings, client: httpx.Client | None = None) -> Path:
    """Fetch a source's official files into `folder`; the path its parser reads.

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
        for item in source.downloads:
            _fetch(http, item.url, folder / item.filename, settings.http_retries)
    finally:
        if own:
            http.close()
    if len(source.downloads) == 1:
        return folder / source.downloads[0].filename
    return folder


def _fetch(client: httpx.Client, url: str, target: Path, retries: int) -> None:
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
                return
        except httpx.HTTPError as exc:
            if attempt == attempts:
                raise DownloadError(f"{url}: download failed after {attempts} attempts: {exc}") from None
            time.sleep(min(2.0 ** (attempt - 1), 10.0))


def update(
    store: ListStore,
    sources: Sequence[str],
    settings: Settings,
    progress: Callable[[str], Progress | None] | None = None,
) -> list[UpdateOutcome]:
    """Refresh each source from the local mirror (`CLEARANCE_LIST_DIR`) or its official URLs.

    Sources are independent: one that fails is reported and left as it was, the others go on.
    """
    outcomes = []
    for name in sources or list(SOURCES):
        source = get_source(name)
        on_progress = progress(name) if progress else None
        try:
            if source.bundled is not None:
                result = load_path(store, source, source.bundled, origin=f"package clearance: {source.bundled.name}")
            elif settings.list_dir is not None:
                path = mirror_path(settings.list_dir, name)
                result = load_path(store, source, path, progress=on_progress)
            else:
                result = _update_from_web(store, source, settings, on_progress)
        except ClearanceError as exc:
            outcomes.append(UpdateOutcome(name, error=str(exc)))
            continue
        outcomes.append(UpdateOutcome(name, result=result))
    return outcomes


def _update_from_web(store: ListStore, source: ListSource, settings: Settings, progress: Progress | None) -> LoadResult:
    """Download into a scratch folder; keep the files under the store's archive once loaded."""
    downloads = settings.home / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{source.name}-", dir=downloads))
    try:
        path = download(source, scratch, settings)
        origin = ", ".join(item.url for item in source.downloads)
        result = load_path(store, source, path, origin=origin, progress=progress)
        archive = settings.home / "archive" / source.name / combined_digest(result.snapshot.files)
        if not archive.exists():
            archive.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(scratch), archive)
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
