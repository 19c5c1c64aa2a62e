"""`clearance audit ...`: verify the hash chain, print anchors, export for a regulator, replay a screening."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from clearance.cli.app import JsonOption, audit_app, err, facade, out, print_json
from clearance.errors import InputError

AnchorOption = Annotated[
    list[str] | None,
    typer.Option("--anchor", metavar="SEQ:HASH", help="An anchor kept elsewhere, to check (repeatable)."),
]


@audit_app.command("verify")
def verify(anchor: AnchorOption = None, as_json: JsonOption = False) -> None:
    """Check every record's hash and link in order; name the first edited, missing or reordered record."""
    from clearance.cases.audit import Anchor
    from clearance.cases.failures import AuditChainError

    kept = [Anchor.parse(text) for text in anchor or ()]
    with facade() as clearance:
        found = clearance.cases.verify(kept)
    if as_json:
        print_json(found)
        if not found.sound:
            raise typer.Exit(1)
        return
    if not found.sound:
        raise AuditChainError(f"audit trail broken at record {found.first_bad}: {found.problem}")
    checked = f"; {found.anchors_checked} anchor(s) match" if kept else ""
    head = f"; anchor {found.head}" if found.head else ""
    out.print(Text(f"audit trail sound: {found.records:,} records{checked}{head}"))


@audit_app.command("anchor")
def anchor(
    every: Annotated[int | None, typer.Option("--every", min=1, help="Also every N-th record's hash.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the trail's head (and every N-th record) as SEQ:HASH, to keep outside the database."""
    from clearance.cases import audit

    with facade() as clearance, clearance.cases.store.read() as tx:
        found = audit.anchors(tx, every) if every else [a for a in [audit.head(tx)] if a is not None]
    if as_json:
        print_json([a.model_dump() for a in found])
        return
    if not found:
        out.print("The audit trail is empty.")
    for item in found:
        out.print(str(item))


def _moment(text: str | None, name: str, end: bool) -> str | None:
    """A date (its whole day) or a date and time, as the trail stamps times; an end date counts in full."""
    from clearance.cases.audit import stamp

    if text is None:
        return None
    try:
        if len(text.strip()) == 10:
            day = dt.date.fromisoformat(text.strip())
            when = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(days=1 if end else 0)
        else:
            when = dt.datetime.fromisoformat(text.strip())
            when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    except ValueError:
        raise InputError(f"{name}: {text!r} is not a date (YYYY-MM-DD) or a date and time") from None
    return stamp(when)


@audit_app.command("export")
def export(
    start: Annotated[
        str | None, typer.Option("--from", help="First day (YYYY-MM-DD) or moment (ISO 8601), UTC.")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, included in full, or moment, excluded.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here, not to standard output.")] = None,
) -> None:
    """Write the audit records of a period as JSON lines: each record with its hash and its predecessor's."""
    first, last = _moment(start, "--from", end=False), _moment(end, "--to", end=True)
    if first and last and first >= last:
        raise InputError("--to: before --from")
    count = 0
    with facade() as clearance:
        try:
            handle = output.open("w", encoding="utf-8") if output else None
        except OSError as exc:
            raise InputError(f"{output}: cannot write: {exc.strerror}") from None
        try:
            for line in clearance.cases.export(first, last):
                text = json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
                if handle is not None:
                    handle.write(text)
                else:
                    typer.echo(text, nl=False)
                count += 1
        finally:
            if handle is not None:
                handle.close()
    if output is not None:
        err.print(f"exported {count:,} audit records to {output}")


@audit_app.command("replay")
def replay(
    record: Annotated[str, typer.Argument(metavar="RECORD", help="The audit record of a screening (its number).")],
    as_json: JsonOption = False,
) -> None:
    """Run a recorded screening again on the list version it was recorded against, and compare the hits."""
    from clearance.cases.replay import replay as run_again

    if not record.strip().isdigit():
        raise InputError(f"record: {record!r} is not an audit record number")
    with facade() as clearance:
        found = run_again(clearance, clearance.cases.store, int(record))
    if as_json:
        print_json(found)
    else:
        versions = ", ".join(f"{source} {sid}" for source, sid in sorted(found.snapshots.items()))
        out.print(Text(f"screening {found.screening} ({found.kind}) of {found.recorded_at}, lists {versions}"))
        if (found.algorithm, found.config) != (found.algorithm_now, found.config_now):
            out.print(
                Text(
                    f"the algorithm was {found.algorithm} {found.config}; it is now "
                    f"{found.algorithm_now} {found.config_now}"
                )
            )
        table = Table(title="Hits", title_justify="left")
        for column in ("entity", "recorded", "replayed"):
            table.add_column(column)
        recorded = {h.entity_id: h.score for h in found.recorded}
        replayed = {h.entity_id: h.score for h in found.replayed}
        for entity in sorted(recorded.keys() | replayed.keys()):
            then, now = recorded.get(entity), replayed.get(entity)
            table.add_row(
                Text(entity), f"{then:.4f}" if then is not None else "-", f"{now:.4f}" if now is not None else "-"
            )
        out.print(table)
        out.print(Text("same hits" if found.same else "the hits differ"))
    if not found.same:
        raise typer.Exit(1)
