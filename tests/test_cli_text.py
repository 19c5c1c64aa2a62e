"""`clearance screen-text` and `screen-payment` through the command line."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from clearance.matching import ALGORITHM
from tests.test_cli import run

ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "text" / "news-russia-weapons-sanctions-2023-02.txt"
PAYMENTS = Path(__file__).parent / "text" / "data"


@pytest.fixture(scope="module")
def home(listed_home: Path) -> Path:
    return listed_home


class Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []
        self.entities: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")
        if tag == "div" and values.get("class") == "entity":
            self.entities.append(values.get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks[-1] += data


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
    marks = Marks()
    marks.feed(report.read_text(encoding="utf-8"))
    assert len(marks.marks) == len(data["mentions"]) + len(data["weak"])
    assert "us-csl:36407" in marks.entities and "us-csl:35096" in marks.entities


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
