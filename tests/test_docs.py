"""The docs name every command and every setting, so neither can be added undocumented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from clearance import settings
from clearance.cli import app, lists_app

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_lists_command_is_documented() -> None:
    text = (DOCS / "lists.md").read_text(encoding="utf-8")
    group = typer.main.get_group(lists_app)
    assert group.commands
    for name in group.commands:
        assert f"`clearance lists {name}" in text, name


def test_every_screening_command_is_documented() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md")))
    names = [name for name in typer.main.get_group(app).commands if name != "lists"]
    assert names
    for name in names:
        assert f"clearance {name} " in text, name


def test_every_setting_is_documented() -> None:
    text = (DOCS / "lists.md").read_text(encoding="utf-8")
    variables = set(re.findall(r"`(CLEARANCE_[A-Z_]+)`", settings.__doc__ or ""))
    assert len(variables) == 16
    for variable in variables:
        assert f"`{variable}`" in text, variable
