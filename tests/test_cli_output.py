"""Names and text from users and lists reach the console as written: never read as markup or emoji codes."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from clearance.cli.app import err, out
from tests.test_cli import run

PUTIN = "us-csl:35096"
MEDVEDEV = "us-csl:36407"


def test_the_consoles_print_str_table_cells_and_titles_as_written() -> None:
    for console in (out, err):
        table = Table(title="[bold]title[/] :x:")
        table.add_column("[red]column")
        table.add_row("[bold red]Vladimir Putin[/] [/] :x:")
        with console.capture() as captured:
            console.print(table)
            console.print("[/] :x:")
        printed = captured.get()
        for literal in ("[bold]title[/] :x:", "[red]column", "[bold red]Vladimir Putin[/] [/] :x:", "[/] :x:"):
            assert literal in printed, printed


def test_a_closing_tag_alone_is_a_name_like_any_other(listed_home: Path) -> None:
    result = run(listed_home, "screen", "[/]")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("No hits for '[/]' at threshold 0.8.")
    data = json.loads(run(listed_home, "screen", "[/]", "--json").stdout)
    assert data["query"]["name"] == "[/]" and data["hits"] == []


def test_markup_in_a_name_is_printed_and_screened_as_written(listed_home: Path) -> None:
    name = "[bold red]Vladimir Putin[/]"
    result = run(listed_home, "screen", name, "--threshold", "0.5", "--limit", "3")
    assert result.returncode == 0, result.stderr
    assert f"Hits for '{name}' (threshold 0.5)" in result.stdout
    assert PUTIN in result.stdout and "query only: bold red" in result.stdout
    data = json.loads(run(listed_home, "screen", name, "--threshold", "0.5", "--limit", "3", "--json").stdout)
    assert data["query"]["name"] == name and data["hits"][0]["entity_id"] == PUTIN


def test_emoji_codes_in_a_name_stay_text(listed_home: Path) -> None:
    result = run(listed_home, "screen", "Vladimir Putin :x:")
    assert result.returncode == 0, result.stderr
    assert "Hits for 'Vladimir Putin :x:'" in result.stdout and PUTIN in result.stdout
    assert "\u274c" not in result.stdout
    data = json.loads(run(listed_home, "screen", "Vladimir Putin :x:", "--json").stdout)
    assert data["query"]["name"] == "Vladimir Putin :x:" and data["hits"][0]["entity_id"] == PUTIN


def test_markup_in_a_text_is_screened_as_written(listed_home: Path, tmp_path: Path) -> None:
    text = "Funds went to [/] Vladimir Putin and [bold red]Dmitry Medvedev[/] :x: on Monday."
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    result = run(listed_home, "screen-text", str(path))
    assert result.returncode == 0, result.stderr
    assert PUTIN in result.stdout and MEDVEDEV in result.stdout
    data = json.loads(run(listed_home, "screen-text", str(path), "--json").stdout)
    found = {m["text"]: m["hits"][0]["entity_id"] for m in data["mentions"]}
    assert found == {"Vladimir Putin": PUTIN, "Dmitry Medvedev": MEDVEDEV}
    assert all(text[m["start"] : m["end"]] == m["text"] for m in data["mentions"])


def test_a_listed_name_holding_markup_is_printed_as_listed(lists_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "lists", "load", "un", str(lists_dir / "un/UN_consolidated_2026-02-27.xml")).returncode == 0
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text("id,name,type\nw1,Evil [/] Trading,organization\n", encoding="utf-8")
    loaded = run(home, "lists", "load", "custom", str(watchlist), "--name", "internal")
    assert loaded.returncode == 0, loaded.stderr
    result = run(home, "screen", "Evil Trading")
    assert result.returncode == 0, result.stderr
    assert "Evil [/] Trading" in result.stdout and "custom:internal:w1" in result.stdout
    hits = json.loads(run(home, "screen", "Evil Trading", "--json").stdout)["hits"]
    assert hits[0]["entity_id"] == "custom:internal:w1" and hits[0]["name"] == "Evil [/] Trading"
    shown = run(home, "lists", "show", "custom:internal:w1")
    assert shown.returncode == 0 and "Evil [/] Trading" in shown.stdout, shown.stderr


def test_markup_in_a_goods_description_is_printed_as_written(listed_home: Path) -> None:
    description = "[/] ball bearings [bold red]"
    result = run(listed_home, "classify", description, "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert f"HS codes for '{description}'" in result.stdout and "8482.10" in result.stdout
