"""`clearance screen-shipment FILE [--json]`: screen one shipment file, print the decision and its reasons.

Thin: read the file, build the party screener from the store, call the library,
print. Every failure is a ClearanceError, which the main CLI prints as one line.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from clearance.goods.decision import Decision
from clearance.goods.result import ShipmentResult
from clearance.goods.screening import ShipmentScreener
from clearance.goods.shipment import read_shipment
from clearance.matching import Screener
from clearance.settings import Settings
from clearance.store import ListStore

_STYLE = {
    Decision.PROHIBITED: "bold red",
    Decision.LICENCE_REQUIRED: "bold magenta",
    Decision.REVIEW: "bold yellow",
    Decision.CLEAR: "bold green",
}


def register(app: typer.Typer) -> None:
    """Add `screen-shipment` to the `clearance` command."""
    app.command("screen-shipment")(screen_shipment)


def screen_shipment(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The shipment, as JSON or YAML (see docs/goods.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Screen a shipment (parties, goods, route): prohibited, licence required, review or clear, with every reason."""
    shipment = read_shipment(file)
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False)
    with (
        ListStore(Settings.from_env().store_path) as store,
        err.status("building the name index", spinner="dots") if err.is_terminal else nullcontext(),
    ):
        screener = ShipmentScreener(Screener.from_store(store))
    result = screener.screen(shipment)
    if as_json:
        out.print_json(json.dumps(result.to_json(), ensure_ascii=False, default=str))
        return
    if not out.is_terminal:
        out.width = 200
    _print(out, result)


def _print(out: Console, result: ShipmentResult) -> None:
    style = _STYLE[result.decision]
    out.print(f"Decision: [{style}]{result.decision.value.replace('_', ' ').upper()}[/]", markup=True)
    if result.reasons:
        table = Table(title="Reasons, worst first", title_justify="left", show_lines=True)
        for column in ("decision", "kind", "concerns", "reason", "legal basis"):
            table.add_column(column, overflow="fold")
        for reason in result.reasons:
            concerns = [f"goods[{g}]" for g in reason.goods]
            if reason.party is not None:
                concerns.append(f"parties[{reason.party}]")
            table.add_row(
                f"[{_STYLE[reason.decision]}]{reason.decision.value}[/]",
                reason.kind.value,
                ", ".join(concerns),
                reason.message,
                reason.citation or "",
            )
        out.print(table)
    goods = Table(title="Goods", title_justify="left")
    for column in ("line", "code", "official description", "CHPL", "rules"):
        goods.add_column(column, overflow="fold")
    for line in result.goods:
        code = line.code or "-"
        if line.code_from == "classified":
            code += " (classified)"
        rules = ", ".join(dict.fromkeys(f"{r.regime} {r.label}" for r in line.rules))
        goods.add_row(str(line.index), code, line.hs_description or "", line.chpl_tier or "", rules)
    out.print(goods)
    for note in result.notes:
        out.print(f"note: {note}", markup=False)
    snapshots = ", ".join(f"{name} {sid}" for name, sid in sorted(result.snapshots.items()))
    out.print(f"rules: {result.rules_version}; lists: {snapshots}; algorithm {result.algorithm}", markup=False)
