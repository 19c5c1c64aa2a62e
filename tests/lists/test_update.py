"""Downloading official files: retries, truncation and errors, against a real HTTP server on loopback."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from clearance.errors import DownloadError
from clearance.lists import un, us_csl
from clearance.lists.registry import SOURCES
from clearance.lists.source import Download, ListSource
from clearance.lists.update import LoadOptions, _update_from_web, download, mirror_path, update
from clearance.settings import Settings
from clearance.store import ListStore

UN_FILE = "un/UN_consolidated_2026-02-27.xml"


class ListServer(ThreadingHTTPServer):
    body: bytes
    failures_left: int
    requests: int


class Handler(BaseHTTPRequestHandler):
    server: ListServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.server.requests += 1
        if self.path == "/missing":
            self.send_error(404)
            return
        if self.server.failures_left > 0:
            self.server.failures_left -= 1
            self.send_error(503)
            return
        body = self.server.body
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Fri, 19 Dec 2025 15:04:05 GMT")
        self.end_headers()
        if self.path == "/truncated":
            body = body[: len(body) // 2]
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server(lists_dir: Path) -> Iterator[ListServer]:
    httpd = ListServer(("127.0.0.1", 0), Handler)
    httpd.body = (lists_dir / UN_FILE).read_bytes()
    httpd.failures_left = 0
    httpd.requests = 0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _settings(tmp_path: Path, retries: int = 3) -> Settings:
    return Settings(home=tmp_path, list_dir=None, max_age_days=7, http_timeout=10, http_retries=retries)


def _source_at(server: ListServer, path: str) -> ListSource:
    url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    return dataclasses.replace(un.SOURCE, downloads=(Download(url=url, filename="consolidated.xml"),))


def test_download_retries_server_errors(server: ListServer, tmp_path: Path) -> None:
    server.failures_left = 2
    path = download(_source_at(server, "/consolidated.xml"), tmp_path, _settings(tmp_path)).path
    assert path.read_bytes() == server.body
    assert server.requests == 3
    assert len(un.SOURCE.parse(path).entities) == 1003


def test_a_download_is_dated_by_the_publishers_server(server: ListServer, tmp_path: Path, lists_dir: Path) -> None:
    """The CSL states no publication date in its file: its Last-Modified header dates the snapshot."""
    server.body = (lists_dir / "us-csl/fixture_consolidated.csv").read_bytes()
    url = f"http://127.0.0.1:{server.server_address[1]}/consolidated.csv"
    csl = dataclasses.replace(us_csl.SOURCE, downloads=(Download(url=url, filename="consolidated.csv"),))
    with ListStore(tmp_path / "lists.sqlite") as store:
        result = _update_from_web(store, csl, _settings(tmp_path), None, LoadOptions())
    assert result.snapshot.published == dt.datetime(2025, 12, 19, 15, 4, 5, tzinfo=dt.UTC)
    assert (tmp_path / "archive" / "us-csl").is_dir()


def test_download_gives_up_after_the_last_retry(server: ListServer, tmp_path: Path) -> None:
    server.failures_left = 5
    with pytest.raises(DownloadError, match="failed after 2 attempts: HTTP 503"):
        download(_source_at(server, "/consolidated.xml"), tmp_path, _settings(tmp_path, retries=2))


def test_download_refuses_a_truncated_file(server: ListServer, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="truncated"):
        download(_source_at(server, "/truncated"), tmp_path, _settings(tmp_path, retries=1))


def test_download_does_not_retry_a_missing_file(server: ListServer, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(_source_at(server, "/missing"), tmp_path, _settings(tmp_path))
    assert server.requests == 1


def test_every_source_names_its_official_download() -> None:
    for source in SOURCES.values():
        if source.bundled is not None:
            assert source.bundled.is_file(), source.name
            continue
        assert source.downloads, source.name
        assert all(d.url.startswith("https://") for d in source.downloads), source.name


def test_mirror_follows_latest_json(lists_dir: Path) -> None:
    assert mirror_path(lists_dir, "un") == lists_dir / UN_FILE
    assert mirror_path(lists_dir, "ofac-sdn") == lists_dir / "ofac/sdn_csv_2021-07-07"


def test_a_failed_source_does_not_stop_the_others(tmp_path: Path, lists_dir: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "un.xml").write_bytes((lists_dir / UN_FILE).read_bytes())
    (mirror / "eu.xml").write_text("<export")
    settings = dataclasses.replace(_settings(tmp_path), list_dir=mirror)
    with ListStore(tmp_path / "lists.sqlite") as store:
        outcomes = {o.source: o for o in update(store, ["eu", "un"], settings)}
        assert outcomes["eu"].error is not None and "eu.xml" in outcomes["eu"].error
        assert outcomes["un"].result is not None and outcomes["un"].result.snapshot.entity_count == 1003
        assert set(store.active_snapshots()) == {"un"}
