"""`clearance screen-text` and `screen-payment` through the command line."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from clearance.matching import ALGORITHM
from clearance.text.results import TextScreening
from tests.test_cli import run

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "text" / "news-russia-weapons-sanctions-2023-02.txt"
PAYMENTS = Path(__file__).parent / "text" / "data"


@pytest.fixture(scope="module")
def home(listed_home: Path) -> Path:
    return listed_home


class Report(HTMLParser):
    """What an HTML report holds: its marks, the anchors of the places named, cards, links, and any script."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, str]] = []  # (classes, text) of each marked piece of the text
        self.anchors: list[str] = []
        self.cards: list[str] = []
        self.links: list[str] = []
        self.external: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "mark":
            self._in_mark = True
            self.marks.append((values.get("class") or "", ""))
        if tag == "span" and values.get("id"):
            self.anchors.append(values["id"] or "")
        if tag == "section" and values.get("class") == "card":
            self.cards.append(values.get("id") or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in ("script", "link", "img", "iframe") or any(k.startswith("on") for k in values):
            self.external.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            classes, text = self.marks[-1]
            self.marks[-1] = (classes, text + data)


def read_report(path: Path) -> Report:
    report = Report()
    report.feed(path.read_text(encoding="utf-8"))
    return report


def check_report(report: Report, data: dict[str, Any]) -> None:
    """Every mention and goods phrase of the JSON is marked in the HTML, each mention links to every entity
    its hits name, each entity and goods term has its card, and the page is self-contained."""
    parties = [*data["mentions"], *data["weak"]]
    assert sorted(a for a in report.anchors if a.startswith("at-")) == sorted(f"at-{m['start']}" for m in parties)
    assert sorted(a for a in report.anchors if a.startswith("goods-at-")) == sorted(
        f"goods-at-{g['start']}" for g in data["goods"]
    )
    for mention in parties:
        for hit in mention["hits"]:
            assert hit["entity_id"] in report.cards and f"#{hit['entity_id']}" in report.links
            assert f"#at-{mention['start']}" in report.links  # the card links back to where it is named
    assert len([c for c in report.cards if c.startswith("goods-")]) == len({g["term"] for g in data["goods"]})
    assert not report.external


def test_screen_text_json_and_html(home: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.html"
    result = run(home, "screen-text", str(ARTICLE), "--json", "--html", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    text = ARTICLE.read_text(encoding="utf-8")
    assert {m["text"] for m in data["mentions"]} == {
        "Vladimir Putin",
        "Putin",
        "Alexander Lukashenko",
        "Lukashenko",
        "Dmitry Medvedev",
        "Medvedev",
    }
    for mention in data["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
        assert mention["hits"][0]["algorithm"] == ALGORITHM
    page = read_report(report)
    check_report(page, data)
    assert "us-csl:36407" in page.cards and "us-csl:35096" in page.cards
    marked = {text for classes, text in page.marks if "goods" in classes.split()}
    assert {"integrated circuits", "thermal cameras", "drones"} <= {t.lower() for t in marked}
    html = report.read_text(encoding="utf-8")
    assert "8542" in html and "Common High Priority List" in html


def test_screen_text_from_stdin(home: Path) -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "clearance", "screen-text", "-"],
        input=b"Talks between Vladimir Putin and the delegation.",
        env={**os.environ, "CLEARANCE_HOME": str(home)},
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0 and b"PUTIN, Vladimir Vladimirovich" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x00\x01\x02binary", "binary data"), (b"caf\xe9 Putin", "not UTF-8 text at byte 3")],
)
def test_screen_text_bad_input(home: Path, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = run(home, "screen-text", str(path))
    assert result.returncode == 1 and message in result.stderr and result.stderr.count("\n") == 1


def test_screen_text_empty(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("")
    result = run(home, "screen-text", str(path))
    assert result.returncode == 0 and "No listed party named in 0 words" in result.stdout


def test_screen_payment(home: Path) -> None:
    hit = json.loads(run(home, "screen-payment", str(PAYMENTS / "mt103_listed_beneficiary.txt"), "--json").stdout)
    assert hit["hit"] and hit["message"] == "MT103"
    beneficiary = next(p for p in hit["parties"] if p["role"] == "beneficiary")
    assert beneficiary["hits"][0]["name"] == "KALASHNIKOV CONCERN"
    clean = run(home, "screen-payment", str(PAYMENTS / "pacs008_clean.xml"))
    assert clean.returncode == 0 and "no hit" in clean.stdout


def test_fail_on_hit_for_text_payments_and_batches(home: Path, tmp_path: Path) -> None:
    assert run(home, "screen-payment", str(PAYMENTS / "mt103_listed_beneficiary.txt")).returncode == 0
    assert run(home, "screen-payment", str(PAYMENTS / "mt103_listed_beneficiary.txt"), "--fail-on-hit").returncode == 3
    assert run(home, "screen-payment", str(PAYMENTS / "mt103_clean.txt"), "--fail-on-hit").returncode == 0
    note = tmp_path / "note.txt"
    note.write_text("Payment to RI WON HO, Pyongyang.", encoding="utf-8")
    assert run(home, "screen-text", str(note), "--fail-on-hit").returncode == 3
    rows = tmp_path / "rows.csv"
    rows.write_text("id,name\n1,RI WON HO\n2,Olaf Scholz\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert run(home, "screen-batch", str(rows), "-o", str(out), "--fail-on-hit").returncode == 3
    assert run(home, "screen-batch", str(rows), "-o", str(out), "--strict").returncode == 4  # the UN list is stale


def test_invisible_characters_and_line_break_hyphens_hide_no_name(home: Path, tmp_path: Path) -> None:
    """Zero-width spaces, soft hyphens and a word hyphenated across lines are read as a reader sees them;
    each mention is still reported as written, at its place in the text."""
    text = "Talks with Vla\u200bdimir Pu\u200btin. Drones flew on Ma\u00adhan Air. Later Dmitry Med-\nvedev spoke."
    path = tmp_path / "hidden.txt"
    path.write_text(text, encoding="utf-8")
    result = run(home, "screen-text", str(path), "--json", "--no-goods")
    assert result.returncode == 0, result.stderr
    mentions = json.loads(result.stdout)["mentions"]
    written = {m["text"] for m in mentions}
    assert {"Vla\u200bdimir Pu\u200btin", "Ma\u00adhan Air", "Dmitry Med-\nvedev"} <= written, written
    assert all(text[m["start"] : m["end"]] == m["text"] for m in mentions)
    party = json.loads(run(home, "screen", "Vla\u200bdimir Pu\u2060tin", "--json").stdout)
    assert "us-csl:35096" in {hit["entity_id"] for hit in party["hits"]}


def a_folder(root: Path) -> Path:
    """A folder of real texts: the article in a subfolder, two short notes naming listed parties (one as an
    HTML page), a scan that is no text, and a file of a kind not screened."""
    folder = root / "documents"
    (folder / "news").mkdir(parents=True)
    shutil.copy(ARTICLE, folder / "news" / ARTICLE.name)
    (folder / "rifles.md").write_text(
        "# Order 17\n\nKalashnikov Concern shipped assault rifles and ammunition to the buyer.\n", encoding="utf-8"
    )
    (folder / "flight.html").write_text(
        "<html><head><title>Cargo</title><script>var Rosneft = 1;</script></head><body>"
        "<p>The cargo flew on <b>Mahan Air</b>: drones, and an electron microscope.</p></body></html>",
        encoding="utf-8",
    )
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\x00\x01\x02\xff binary")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / ".hidden.txt").write_text("Vladimir Putin", encoding="utf-8")
    return folder


def test_screen_text_folder(home: Path, tmp_path: Path) -> None:
    folder = a_folder(tmp_path)
    reports = tmp_path / "reports"
    result = run(home, "screen-text", str(folder), "--out", str(reports))
    assert result.returncode == 1, result.stderr  # a document could not be read: the run is incomplete
    assert f"skipped: {folder / 'scan.txt'}: binary data, not text" in result.stderr
    assert "photo.png" in result.stderr and "error: 1 of 4 documents could not be read" in result.stderr
    assert not re.search(r"[\d-] documents/s", result.stderr)  # no progress bar off a terminal
    for name in ("news/" + ARTICLE.name, "rifles.md", "flight.html"):
        assert name.split("/")[-1] in result.stdout
        data = json.loads((reports / f"{name}.json").read_text(encoding="utf-8"))
        TextScreening.model_validate(data)
        check_report(read_report(reports / f"{name}.html"), data)
    assert sorted(p.name for p in reports.iterdir()) == [
        "flight.html.html",
        "flight.html.json",
        "news",
        "rifles.md.html",
        "rifles.md.json",
    ]
    rifles = TextScreening.model_validate_json((reports / "rifles.md.json").read_text(encoding="utf-8"))
    assert {hit.name.upper() for m in rifles.mentions for hit in m.hits} == {"KALASHNIKOV CONCERN"}
    assert {g.term for g in rifles.goods} == {"assault rifle", "ammunition"}
    flight = TextScreening.model_validate_json((reports / "flight.html.json").read_text(encoding="utf-8"))
    assert {m.text for m in flight.mentions} == {"Mahan Air"}  # the script's "Rosneft" is no text of the page
    assert {g.term for g in flight.goods} == {"drone", "electron microscope"}
    page = (reports / "flight.html.html").read_text(encoding="utf-8")
    assert "electron microscope" in page and "not in the rules held" in page and "880622" in page

    (folder / "scan.txt").unlink()
    clean = run(home, "screen-text", str(folder), "--out", str(reports), "--fail-on-hit")
    assert clean.returncode == 3 and "skipped" not in clean.stderr, clean.stderr


def test_screen_text_folder_arguments(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    missing = run(home, "screen-text", str(folder))
    assert missing.returncode == 1 and "give --out DIR" in missing.stderr
    empty = run(home, "screen-text", str(folder), "--out", str(tmp_path / "out"))
    assert empty.returncode == 1 and "no text documents" in empty.stderr
    note = tmp_path / "note.txt"
    note.write_text("Nothing here.", encoding="utf-8")
    single = run(home, "screen-text", str(note), "--out", str(tmp_path / "out"))
    assert single.returncode == 1 and "--out is for a folder" in single.stderr
