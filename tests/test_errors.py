"""Error kinds: every error a front end can meet carries a kind, a stable code and its HTTP status.

A service maps errors to statuses in one place, by these attributes; a subclass that
lost its kind, or overrode its status, would answer 500 where 404 or 503 was meant.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import clearance
from clearance.cli import app
from clearance.errors import (
    ClearanceError,
    ConflictError,
    DownloadError,
    ErrorKind,
    InputError,
    IntegrityError,
    ListFormatError,
    NotFoundError,
    UnavailableError,
    UnknownSourceError,
)
from clearance.goods.classify import classify
from clearance.goods.rules import load_rules
from clearance.lists import eu_annex_iv, un
from clearance.lists.registry import get_source
from clearance.lists.update import download, load_path, mirror_path
from clearance.settings import Settings
from clearance.store import ListStore

KINDS: dict[type[ClearanceError], tuple[ErrorKind, str, int]] = {
    InputError: (ErrorKind.BAD_INPUT, "bad_input", 422),
    NotFoundError: (ErrorKind.NOT_FOUND, "not_found", 404),
    ConflictError: (ErrorKind.CONFLICT, "conflict", 409),
    UnavailableError: (ErrorKind.UNAVAILABLE, "unavailable", 503),
    IntegrityError: (ErrorKind.DATA_INTEGRITY, "data_integrity", 500),
}
"""Published: a client matches on these codes and statuses, so changing one breaks it."""
KIND_CLASS = {kind: cls for cls, (kind, _, _) in KINDS.items()}
STATUSES = {status for _, _, status in KINDS.values()}
UK = "uk/uk_sanctions_list_excerpt_2026-08-14.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"
WATCHLIST_WITHOUT_ID = "us-csl/fixture_consolidated.csv"
"""A real CSV whose id column is `_id`: as a watchlist, it lacks the required `id`."""


def _every_error_class() -> list[type[ClearanceError]]:
    for module in pkgutil.walk_packages(clearance.__path__, "clearance."):
        if not module.name.endswith(".__main__"):  # entry points: importing one runs it
            importlib.import_module(module.name)

    def below(cls: type[ClearanceError]) -> Iterator[type[ClearanceError]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return sorted(set(below(ClearanceError)), key=_name)


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


ERROR_CLASSES = _every_error_class()


def test_the_five_kinds_are_pinned() -> None:
    assert set(KIND_CLASS) == set(ErrorKind)
    for cls, (kind, code, status) in KINDS.items():
        assert (cls.kind, cls.code, cls.status) == (kind, code, status)
        assert kind.value == code
    assert len({code for _, code, _ in KINDS.values()}) == 5


def test_the_root_is_unclassified_and_answers_500() -> None:
    assert ClearanceError.kind is None
    assert ClearanceError.code == "internal_error"
    assert ClearanceError.status == 500


def test_every_module_was_searched() -> None:
    found = {_name(cls) for cls in ERROR_CLASSES}
    assert {_name(cls) for cls in KINDS} <= found
    assert {
        "clearance.goods.codes.CodeError",
        "clearance.matching.screener.ScreeningError",
        "clearance.text.payments.PaymentFormatError",
    } <= found


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=_name)
def test_every_error_class_has_a_kind_a_code_and_its_kinds_status(cls: type[ClearanceError]) -> None:
    assert cls.kind in KIND_CLASS
    assert issubclass(cls, KIND_CLASS[cls.kind])
    assert cls.status == KIND_CLASS[cls.kind].status
    assert cls.status in STATUSES
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", cls.code)


def test_no_two_classes_define_the_same_code() -> None:
    defined = [cls.__dict__["code"] for cls in [ClearanceError, *ERROR_CLASSES] if "code" in cls.__dict__]
    assert len(defined) == len(set(defined))


def _store(tmp_path: Path) -> ListStore:
    return ListStore(tmp_path / "lists.sqlite")


def test_a_list_file_that_does_not_parse_is_bad_input(tmp_path: Path, lists_dir: Path) -> None:
    with _store(tmp_path) as store:
        with pytest.raises(ListFormatError) as caught:
            load_path(store, un.SOURCE, lists_dir / UK)
        assert store.snapshots() == []
    assert "expected root element" in str(caught.value)
    assert (caught.value.kind, caught.value.code, caught.value.status) == (ErrorKind.BAD_INPUT, "list_format", 422)


def test_an_unknown_source_is_bad_input() -> None:
    with pytest.raises(UnknownSourceError) as caught:
        get_source("nope")
    assert (caught.value.kind, caught.value.code, caught.value.status) == (ErrorKind.BAD_INPUT, "unknown_source", 422)


def test_a_watchlist_without_a_required_column_is_bad_input(tmp_path: Path, lists_dir: Path) -> None:
    with _store(tmp_path) as store, pytest.raises(ListFormatError, match=r"missing column\(s\) id") as caught:
        load_path(store, get_source("custom:internal"), lists_dir / WATCHLIST_WITHOUT_ID)
    assert caught.value.kind is ErrorKind.BAD_INPUT


def test_a_path_that_does_not_exist_is_bad_input(tmp_path: Path) -> None:
    with _store(tmp_path) as store, pytest.raises(InputError, match="no such file or folder") as caught:
        load_path(store, un.SOURCE, tmp_path / "missing.xml")
    assert caught.value.code == "bad_input"


def test_an_entity_the_store_does_not_hold_is_not_found(tmp_path: Path) -> None:
    with _store(tmp_path) as store, pytest.raises(NotFoundError) as caught:
        store.entity("nope:1")
    assert (caught.value.code, caught.value.status) == ("not_found", 404)


def test_an_unknown_goods_regime_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="no regime 'nope'"):
        load_rules().regime("nope")


def test_a_diff_with_one_snapshot_is_a_conflict(
    tmp_path: Path, lists_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEARANCE_HOME", str(tmp_path))
    with ListStore(Settings.from_env().store_path) as store:
        load_path(store, un.SOURCE, lists_dir / UN_NEW)
    result = CliRunner().invoke(app, ["lists", "diff", "un"])
    assert isinstance(result.exception, ConflictError)
    assert "fewer than two snapshots" in str(result.exception)
    assert result.exception.status == 409


def test_a_source_missing_from_the_mirror_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(UnavailableError, match="no file or folder for it in the list mirror") as caught:
        mirror_path(tmp_path, "un")
    assert caught.value.status == 503


def test_a_source_without_a_download_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(DownloadError) as caught:
        download(eu_annex_iv.SOURCE, tmp_path, Settings.from_env())
    assert (caught.value.kind, caught.value.code, caught.value.status) == (
        ErrorKind.UNAVAILABLE,
        "download_failed",
        503,
    )


def test_screening_with_no_lists_loaded_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["screen", "Ri Won Ho"])
    assert isinstance(result.exception, UnavailableError)
    assert "no list store here" in str(result.exception)
    assert (result.exception.code, result.exception.status) == ("store_missing", 503)
    assert not (tmp_path / "lists.sqlite").exists()  # reading never creates an empty store


def test_a_bad_setting_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_HTTP_RETRIES", "many")
    with pytest.raises(InputError, match="CLEARANCE_HTTP_RETRIES: not a number"):
        Settings.from_env()


def test_an_unknown_expected_source_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLEARANCE_EXPECTED_SOURCES", "un, eu-annex-iv")
    with pytest.raises(InputError, match="CLEARANCE_EXPECTED_SOURCES: not official sources: eu-annex-iv"):
        Settings.from_env()
    monkeypatch.setenv("CLEARANCE_EXPECTED_SOURCES", "un,ofac-sdn")
    assert Settings.from_env().expected_sources == ("un", "ofac-sdn")


def test_an_empty_goods_description_is_bad_input() -> None:
    with pytest.raises(InputError, match="the goods description is empty"):
        classify("   ")


def test_every_code_is_documented() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "errors.md").read_text(encoding="utf-8")
    for cls in [ClearanceError, *ERROR_CLASSES]:
        assert f"`{cls.__name__}`" in text and f"`{cls.code}`" in text, _name(cls)
