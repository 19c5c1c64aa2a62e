"""`clearance classify DESCRIPTION [--limit N] [--json]`: the likely HS-6 codes of a goods description.

Thin: call `clearance.goods.classify`, print a table or JSON. Errors are ClearanceError,
which the main CLI prints as one line.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearance.goods.classify import ALGORITHM, classify


def register(app: typer.Typer) -> None:
    """Add `classify` to the `clearance` command."""
    app.command("classify")(classify_command)


def classify_command(
    description: Annotated[str, typer.Argument(metavar="DESCRIPTION", help="The goods, as an invoice words them.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most candidates printed.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Suggest HS-6 codes for a goods description, best first, with confidence and evidence."""
    candidates = classify(description, limit=limit)
    out = Console(highlight=False, soft_wrap=True)
    if as_json:
        payload = {
            "description": description,
            "algorithm": ALGORITHM,
            "candidates": [c.to_json() for c in candidates],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    if not out.is_terminal:
        out.width = 200
    if not candidates:
        out.print(f"No HS code suggested for {description!r}.")
        return
    table = Table(title=f"HS codes for {description!r}", title_justify="left", show_lines=True)
    for column in ("code", "confidence", "description", "evidence"):
        table.add_column(column, overflow="fold")
    for c in candidates:
        code = f"{c.code[:4]}.{c.code[4:]}"
        table.add_row(code, f"{c.confidence:.2f}", c.description, "\n".join(c.evidence), end_section=False)
    out.print(table, markup=False)
