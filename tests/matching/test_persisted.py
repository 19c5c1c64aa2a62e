"""The kept name index: built once per list version, loaded by later screeners, never used when wrong."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from clearance.errors import UnavailableError
from clearance.lists.registry import get_source
from clearance.lists.update import LoadOptions, load_path
from clearance.matching import Party, Screener
from clearance.matching.index import NameIndex
from clearance.matching.persisted import index_meta, index_path, open_index, stored_index
from clearance.matching.tables import IndexFileError, TableFile
from clearance.store import ListStore
from clearance.store.list_version import ListVersion

UN_OLD = "un/UN_consolidated_2025-11-20.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"
NAMES = ["RI WON HO", "Kim Jong Un", "Abdul Ghani Baradar", "Mohammed Ali", "Tabarak Investment", "Ri Won-ho"]


def hits(screener: Screener) -> list[list[tuple[str, float, int | None]]]:
    return [[(h.entity.id, h.score, h.snapshot_id) for h in screener.screen(Party(n), threshold=0.5)] for n in NAMES]


@pytest.fixture
def store(tmp_path: Path, lists_dir: Path) -> ListStore:
    store = ListStore(tmp_path / "lists.sqlite")
    load_path(store, get_source("un"), lists_dir / UN_NEW)
    return store


def test_the_index_is_kept_and_loaded_with_the_same_results(store: ListStore) -> None:
    version = ListVersion.active(store)
    path = index_path(store, version)
    assert not path.exists()
    built = Screener.from_store(store)
    assert path.exists()
    written = path.stat().st_mtime_ns
    loaded = Screener.from_store(store)
    assert path.stat().st_mtime_ns == written
    assert hits(loaded) == hits(built)
    assert hits(loaded) == hits(Screener.build(version.entities(store), version=version))
    assert any(h[0] == "un:KPi.033" for h in hits(loaded)[0])


def test_a_damaged_index_is_rebuilt_with_a_notice(store: ListStore) -> None:
    expected = hits(Screener.from_store(store))
    path = index_path(store, ListVersion.active(store))
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    notices: list[str] = []
    assert hits(Screener.from_store(store, notify=notices.append)) == expected
    assert len(notices) == 1 and "digest does not match" in notices[0] and "rebuilding" in notices[0]
    assert Screener.from_store(store, notify=notices.append) and len(notices) == 1


def test_a_truncated_or_foreign_file_is_refused(store: ListStore, tmp_path: Path) -> None:
    version = ListVersion.active(store)
    Screener.from_store(store)
    path = index_path(store, version)
    cut = tmp_path / "cut.idx"
    cut.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(IndexFileError, match="digest"):
        TableFile.open(cut)
    not_an_index = tmp_path / "text.idx"
    not_an_index.write_text("hello")
    with pytest.raises(IndexFileError, match="not a clearance name index"):
        TableFile.open(not_an_index)


def test_an_index_of_another_algorithm_is_never_used(store: ListStore) -> None:
    version = ListVersion.active(store)
    path = index_path(store, version)
    other = {**index_meta(version), "algorithm": "clearance-name-v1"}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(NameIndex.build(version.entities(store)[:50], other))
    with pytest.raises(IndexFileError, match="algorithm"):
        open_index(path, version)
    notices: list[str] = []
    index = stored_index(store, version, notices.append)
    assert len(index.entities) == 1_003 and len(notices) == 1


def test_each_list_version_has_its_own_index(store: ListStore, lists_dir: Path) -> None:
    new = Screener.from_store(store)
    old_snapshot = load_path(store, get_source("un"), lists_dir / UN_OLD, options=LoadOptions(force=True)).snapshot
    old = Screener.from_store(store)
    assert old.version != new.version and old.snapshots == {"un": old_snapshot.id}
    for found in hits(old):
        assert {snapshot for _, _, snapshot in found} <= {old_snapshot.id}
    assert len(list((store.path.parent / "indexes").glob("*.idx"))) == 2


def test_threads_share_one_screener(store: ListStore) -> None:
    screener = Screener.from_store(store)
    alone = hits(screener)
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda _: hits(screener), range(8)))
    assert together == [alone] * 8


def test_no_lists_is_an_error_not_a_clean_result(tmp_path: Path) -> None:
    with pytest.raises(UnavailableError, match="no lists are loaded"):
        Screener.from_store(ListStore(tmp_path / "lists.sqlite"))


def test_a_warmed_index_screens_the_same(store: ListStore) -> None:
    cold = hits(Screener.from_store(store))
    warmed = Screener.from_store(store)
    warmed.index.warm(records=True)
    assert hits(warmed) == cold
