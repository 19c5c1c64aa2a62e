"""The name index of a list version, kept beside the store and shared by every process.

Building an index over every list takes some 10 s; loading the kept file takes
milliseconds (see `tables`). A file is named by the algorithm, its config digest and
the list version, and its header repeats them: one made by other code or for other
lists is never used. One that fails its digest is rebuilt, with a notice. Index
files are written when lists are loaded, updated or activated, and built here
when a screening finds none.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from clearance.errors import ClearanceError, UnavailableError, error_class
from clearance.matching.algorithm import ALGORITHM, config_digest
from clearance.matching.index import NameIndex
from clearance.matching.tables import IndexFileError, TableFile, write_file
from clearance.model import Entity
from clearance.store import ListStore
from clearance.store.list_version import ListVersion

INDEX_DIR = "indexes"
KEEP = 4
"""Index files kept per store: the current one and a few recent ones, for a quick roll-back."""

Notify = Callable[[str], None]


def index_meta(version: ListVersion | None) -> dict[str, Any]:
    """What an index file must say of itself to be used for `version`."""
    return {
        "algorithm": ALGORITHM,
        "config": config_digest(),
        "list_version": version.digest if version is not None else None,
        "snapshots": version.snapshot_ids if version is not None else {},
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def index_path(store: ListStore, version: ListVersion) -> Path:
    return store.path.parent / INDEX_DIR / f"{ALGORITHM}-{config_digest()}-{version.digest}.idx"


def index_in_memory(entities: Iterable[Entity], version: ListVersion | None = None) -> NameIndex:
    """An index kept in this process only, for entities that are not in a store; warm, as such a process
    screens many names against it."""
    index = NameIndex(TableFile.from_bytes(NameIndex.build(entities, index_meta(version))))
    index.warm()
    return index


def open_index(path: Path, version: ListVersion) -> NameIndex:
    """The kept index of `version`; `IndexFileError` if it is damaged or was made for anything else."""
    tables = TableFile.open(path)
    expected = index_meta(version)
    for key in ("algorithm", "config", "list_version", "python"):
        if tables.meta.get(key) != expected[key]:
            raise IndexFileError(f"{path}: made for {key} {tables.meta.get(key)!r}, not {expected[key]!r}")
    return NameIndex(tables)


def build_index(store: ListStore, version: ListVersion) -> Path:
    """Build and keep the index of `version`, and drop all but the most recent few of the others.

    The build runs in a process of its own: it peaks near 1 GB for every list here, and a process gives
    all of that back when it ends, so a service that rebuilds as lists change stays its own small size.
    """
    path = index_path(store, version)
    ids = ",".join(str(snapshot.id) for snapshot in version.snapshots)
    built = subprocess.run(
        [sys.executable, "-m", "clearance.matching.persisted", str(store.path), ids],
        capture_output=True,
        text=True,
        check=False,
    )
    if built.returncode != 0:
        last = (built.stderr.strip().splitlines() or [f"exit code {built.returncode}"])[-1]
        code, _, message = last.partition("\t")
        if built.returncode == _REFUSED and message:
            raise error_class(code)(message)  # the store's own verdict (a tampered record, a held lock), as is
        raise UnavailableError(f"{path}: the name index could not be built: {last}")
    kept = sorted(path.parent.glob("*.idx"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
    return path


def _build_here(store_path: Path, snapshot_ids: list[int]) -> None:
    """The build itself, in the process `build_index` starts."""
    with ListStore(store_path, create=False) as store:
        version = ListVersion(tuple(store.snapshot(i) for i in snapshot_ids))
        write_file(index_path(store, version), NameIndex.build(version.entities(store), index_meta(version)))


def stored_index(store: ListStore, version: ListVersion, notify: Notify | None = None) -> NameIndex:
    """The index of `version`, loaded when kept, else built and kept first."""
    path = index_path(store, version)
    if path.exists():
        try:
            return open_index(path, version)
        except IndexFileError as exc:
            if notify is not None:
                notify(f"{exc}; rebuilding it")
    return open_index(build_index(store, version), version)


_REFUSED = 3
"""Exit code of a build that a `ClearanceError` stopped; its last line of stderr is `code<TAB>message`."""

if __name__ == "__main__":  # python -m clearance.matching.persisted STORE SNAPSHOT_IDS, as build_index runs it
    try:
        _build_here(Path(sys.argv[1]), [int(i) for i in sys.argv[2].split(",")])
    except ClearanceError as exc:
        print(f"{exc.code}\t{exc}", file=sys.stderr)
        sys.exit(_REFUSED)
