"""`clearance screen-shipment` and `clearance classify`: goods, routes and parties against the export rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from clearance.cli.app import (
    JsonOption,
    RecordOption,
    StrictOption,
    app,
    facade,
    finish,
    out,
    print_json,
    print_warnings,
)

if TYPE_CHECKING:  # the goods modules load with these commands only
    from clearance.goods.results import ShipmentScreening


@app.command("screen-shipment")
def screen_shipment(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The shipment, as JSON or YAML (see docs/goods.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    strict: StrictOption = None,
    fail_on_hit: Annotated[bool, typer.Option("--fail-on-hit", help="Exit 3 unless the decision is clear.")] = False,
    recording: RecordOption = False,
) -> None:
    """Screen a shipment (parties, goods, route): prohibited, licence required, review or clear, with every reason."""
    with facade(record=recording) as clearance:
        result = clearance.screen_shipment(file)
    if as_json:
        print_json(result)
    else:
        print_warnings(result.warnings)
        _print_shipment(result)
    finish(clearance, result.warnings, result.decision != "clear", strict, fail_on_hit)


def _print_shipment(result: ShipmentScreening) -> None:
    from clearance.goods.decision import Decision

    _STYLE = {
        Decision.PROHIBITED: "bold red",
        Decision.LICENCE_REQUIRED: "bold magenta",
        Decision.REVIEW: "bold yellow",
        Decision.CLEAR: "bold green",
    }
    style = _STYLE[result.decision]
    out.print(Text.assemble("Decision: ", (result.decision.value.replace("_", " ").upper(), style)))
    if result.reasons:
        table = Table(title="Reasons, worst first", title_justify="left", show_lines=True)
        for column in ("decision", "kind", "concerns", "reason", "legal basis"):
            table.add_column(column, overflow="fold")
        for reason in result.reasons:
            concerns = [f"goods[{g}]" for g in reason.goods]
            if reason.party is not None:
                concerns.append(f"parties[{reason.party}]")
            table.add_row(
                Text(reason.decision.value, style=_STYLE[reason.decision]),
                reason.kind.value,
                Text(", ".join(concerns)),
                Text(reason.message),
                Text(reason.citation or ""),
            )
        out.print(table)
    goods = Table(title="Goods", title_justify="left")
    for column in ("line", "code", "official description", "CHPL", "rules"):
        goods.add_column(column, overflow="fold")
    for line in result.goods:
        code = line.code or "-"
        if line.code_from == "classified":
            code += " (classified)"
        rules = ", ".join(dict.fromkeys(f"{r.regime} {r.entry}" for r in line.rules))
        goods.add_row(
            str(line.index), Text(code), Text(line.hs_description or ""), Text(line.chpl_tier or ""), Text(rules)
        )
    out.print(goods)
    for note in result.notes:
        out.print(Text(f"note: {note}"))
    snapshots = ", ".join(f"{s.source} {s.snapshot_id}" for s in result.list_version.sources)
    out.print(Text(f"rules: {result.rules_version}; lists: {snapshots}; algorithm {result.algorithm}"))
    in_force = [r for r in result.rules_as_of if r.repealed is None]
    latest = max(in_force, key=lambda r: r.as_of, default=None)
    if latest is not None:
        out.print(Text(f"rules current to {latest.latest_act} ({latest.as_of})"))
    # Later acts concern every result; other gaps only the regimes a reason cites.
    cited = {reason.rule.regime for reason in result.reasons if reason.rule is not None}
    for gap in dict.fromkeys(g for r in in_force for g in r.gaps if r.id in cited or g.startswith("Acts after")):
        out.print(Text(f"not encoded: {gap}"))


@app.command("classify")
def classify(
    description: Annotated[str, typer.Argument(metavar="DESCRIPTION", help="The goods, as an invoice words them.")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most candidates printed.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Suggest HS-6 codes for a goods description, best first, with confidence and evidence."""
    with facade() as clearance:
        classification = clearance.classify(description, limit=limit)
    if as_json:
        print_json(classification)
        return
    candidates = classification.candidates
    if not candidates:
        out.print(Text(f"No HS code suggested for {description!r}."))
        return
    table = Table(title=Text(f"HS codes for {description!r}"), title_justify="left", show_lines=True)
    for column in ("code", "confidence", "description", "evidence"):
        table.add_column(column, overflow="fold")
    for c in candidates:
        code = f"{c.code[:4]}.{c.code[4:]}"
        table.add_row(code, f"{c.confidence:.2f}", Text(c.description), Text("\n".join(c.evidence)), end_section=False)
    out.print(table)
