"""`clearance lists ...`: update, load, inspect, compare, roll back and export the official lists."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from clearance.app import Freshness, SourceStatus
from clearance.cli.app import WARNING_EXIT, JsonOption, err, facade, lists_app, out, print_json, progress
from clearance.errors import InputError
from clearance.export import ExportFormat
from clearance.lists.diff import ListDiff
from clearance.lists.registry import SOURCES
from clearance.lists.update import Progress as LoadProgress
from clearance.model import Entity
from clearance.settings import Settings
from clearance.store import LoadResult


def _days(delta: dt.timedelta) -> str:
    days = delta.total_seconds() / 86400
    return f"{days:.1f} d" if days < 10 else f"{days:,.0f} d"


ActivateOption = Annotated[
    bool,
    typer.Option(
        "--activate",
        help="Make the version active even if it looks like a regression (far fewer entities, an older date), "
        "or if its files were stored before and another snapshot is active.",
    ),
]
OFFLINE_HINT = (
    "hint: no list could be downloaded. Offline, point CLEARANCE_LIST_DIR (or --dir) at a local mirror of the "
    "list files, or load each file with `clearance lists load SOURCE FILE`"
)


_PROBLEMS_SHOWN = 20


def _report_load(result: LoadResult) -> bool:
    """One line on what a load did; False when the version was held back (stored but not active)."""
    for problem in result.problems[:_PROBLEMS_SHOWN]:
        err.print(f"warning: {problem}")
    if len(result.problems) > _PROBLEMS_SHOWN:
        err.print(f"warning: and {len(result.problems) - _PROBLEMS_SHOWN:,} more records kept in part")
    snap = result.snapshot
    digest = f"sha256 {snap.sha256[:12]}"
    if result.held is not None:
        what = (
            f"stored snapshot {snap.id} ({snap.entity_count:,} entities) but did not activate it"
            if result.created
            else f"did not activate snapshot {snap.id}"
        )
        err.print(
            f"warning: {snap.source}: {what}: {result.held}. Screening goes on against the active snapshot. "
            f"To switch: `clearance lists activate {snap.id}` (or load again with --activate)"
        )
        return False
    if result.created:
        out.print(f"{snap.source}: loaded snapshot {snap.id} with {snap.entity_count:,} entities ({digest})")
    elif result.switched:
        was = f" (was {result.previous.id})" if result.previous is not None else ""
        out.print(f"{snap.source}: snapshot {snap.id} holds these files and is active again{was} ({digest})")
    else:
        out.print(f"{snap.source}: unchanged, snapshot {snap.id} holds these files and is active ({digest})")
    return True


@lists_app.command("update")
def lists_update(
    sources: Annotated[list[str] | None, typer.Argument(help="Sources to update; all when none is given.")] = None,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir", help="Read a local mirror of the list files instead of downloading (CLEARANCE_LIST_DIR)."
        ),
    ] = None,
    activate: ActivateOption = False,
) -> None:
    """Download (or read from a mirror) the newest official lists and store each as a snapshot.

    Exit 1 when a source failed, 4 when a version was stored but held back; the others are loaded either way.
    """
    settings = Settings.from_env()
    if directory is not None:
        settings = dataclasses.replace(settings, list_dir=directory)
    with (
        facade(settings) as clearance,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            disable=not err.is_terminal,
            transient=True,
        ) as bar,
    ):

        def on_source(name: str) -> LoadProgress:
            task = bar.add_task(f"loading {name}", total=None)
            return lambda done: bar.update(task, completed=done)

        outcomes = clearance.update(sources or (), on_source, force=activate)
    failed = held = 0
    for outcome in outcomes:
        if outcome.result is not None:
            held += not _report_load(outcome.result)
        else:
            failed += 1
            err.print(f"error: {outcome.source}: {outcome.error}")
    downloaded = [o for o in outcomes if SOURCES[o.source].bundled is None]
    if downloaded and all(
        o.error and "download" in o.error.lower() or "connect" in (o.error or "") for o in downloaded
    ):
        err.print(OFFLINE_HINT)
    if failed:
        raise typer.Exit(1)
    if held:
        raise typer.Exit(WARNING_EXIT)


@lists_app.command("load")
def lists_load(
    source: Annotated[str, typer.Argument(help=f"Source name: {', '.join(SOURCES)}, or custom.")],
    path: Annotated[Path, typer.Argument(help="The list file, or the folder of a multi-file list (OFAC CSV).")],
    name: Annotated[
        str | None, typer.Option("--name", help="With `custom`: the watchlist's name (a CSV of id,name,...).")
    ] = None,
    activate: ActivateOption = False,
    published: Annotated[
        dt.datetime | None,
        typer.Option(
            "--published",
            formats=["%Y-%m-%d"],
            help="The publisher's date of a file that states none (OFAC's CSV set, the CSL), so its age can be told.",
        ),
    ] = None,
) -> None:
    """Load one list version from a file or folder, and make it the active snapshot of its source.

    A version with far fewer entities than the active one, or an older publication date, is stored
    but not activated (exit 4) unless --activate is given.
    """
    with facade() as clearance, progress(None, f"loading {source}") as loaded:
        day = published.date() if published is not None else None
        result = clearance.load(source, path, name, progress=loaded, force=activate, published=day)
    if not _report_load(result):
        raise typer.Exit(WARNING_EXIT)


@lists_app.command("status")
def lists_status(
    as_json: JsonOption = False,
    max_age: Annotated[
        float | None,
        typer.Option("--max-age", help="Days after which every list is stale (default: CLEARANCE_MAX_AGE_DAYS)."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 4 when an expected list is missing, or a list is stale or undated."),
    ] = False,
) -> None:
    """Per source: the active snapshot, its publication date, age and freshness; then the bundled goods rules."""
    with facade() as clearance:
        rows = clearance.status(list(SOURCES), max_age)
        expected = clearance.settings.expected_sources
        regimes = clearance.rules_dates()
    warnings = [w for r in rows if (w := r.warning(r.source in expected))]
    if as_json:
        print_json(
            {
                "lists": [row.to_json() for row in rows],
                "rules": [
                    {
                        "regime": r.id,
                        "as_of": r.as_of.isoformat(),
                        "latest_act": r.latest_act,
                        "act": r.legal_basis.act,
                        "gaps": list(r.gaps),
                        "repealed": r.repealed.model_dump(mode="json") if r.repealed else None,
                        "bundled": True,
                    }
                    for r in regimes
                ],
            }
        )
    else:
        _print_status(rows)
        rules = Table(title="Bundled goods rules (as of the latest act each encodes)")
        for column in ("regime", "as of", "latest act", "not encoded"):
            rules.add_column(column, overflow="fold")
        for regime in regimes:
            state = (
                f"deleted by {regime.repealed.act} ({regime.repealed.date}): history only" if regime.repealed else ""
            )
            rules.add_row(
                regime.id,
                regime.as_of.isoformat(),
                Text(regime.latest_act),
                Text("\n".join(x for x in (state, *regime.gaps) if x) or "-"),
            )
        out.print(rules)
        for warning in warnings:
            err.print(f"warning: {warning}")
    if check and warnings:
        raise typer.Exit(WARNING_EXIT)


_FRESHNESS_STYLE = {
    Freshness.CURRENT: "green",
    Freshness.STALE: "red",
    Freshness.UNDATED: "yellow",
    Freshness.MISSING: "yellow",
    Freshness.OWN: "",
}


def _print_status(rows: list[SourceStatus]) -> None:
    table = Table(title="Lists")
    for column in ("source", "snapshot", "published", "loaded", "age", "entities", "status"):
        table.add_column(column, justify="right" if column in ("snapshot", "entities") else "left")
    for row in rows:
        snap = row.snapshot
        label = row.freshness.value
        if row.freshness is Freshness.STALE:
            label = f"stale (> {row.max_age.days} d)"
        status = Text(label, style=_FRESHNESS_STYLE[row.freshness])
        if snap is None:
            table.add_row(row.source, "-", "-", "-", "-", "-", status)
            continue
        published = snap.published.date().isoformat() if snap.published else "not stated"
        table.add_row(
            row.source,
            str(snap.id),
            f"{published} (latest act)" if row.bundled and snap.published else published,
            snap.loaded_at.strftime("%Y-%m-%d %H:%M"),
            _days(row.age) if row.age is not None else "-",
            f"{snap.entity_count:,}",
            status,
        )
    out.print(table)


@lists_app.command("verify")
def lists_verify() -> None:
    """Check the whole store: SQLite's own check, then every record and snapshot against its digest.

    Exit 0 when sound; otherwise one line per fault and exit 1.
    """
    with facade() as clearance:
        faults = clearance.verify()
        path = clearance.settings.store_path
    if faults:
        for fault in faults:
            err.print(f"error: {path}: {fault}")
        err.print(
            f"{len(faults):,} fault(s): restore the store from a backup, or move it away and load the lists again"
        )
        raise typer.Exit(1)
    out.print(f"{path}: sound (SQLite integrity check, every record and snapshot digest)")


@lists_app.command("show")
def lists_show(
    entity_id: Annotated[str, typer.Argument(help="Entity id, such as ofac-sdn:9760 or un:KPi.033.")],
    snapshot: Annotated[int | None, typer.Option(help="Read from this snapshot instead of the active one.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show one listed entity, every field as the list states it."""
    with facade() as clearance:
        entity = clearance.entity(entity_id, snapshot)
    if as_json:
        print_json(entity.to_json())
        return
    out.print(_entity_table(entity))


def _entity_table(entity: Entity) -> Table:
    table = Table(title=Text(f"{entity.name}  ({entity.id})"), show_header=False, title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("kind", entity.kind.value)
    table.add_row("source", entity.source + (f" / {entity.sub_list}" if entity.sub_list else ""))
    for name in entity.names:
        details = ", ".join(x for x in (name.quality.value, name.script, name.lang) if x)
        table.add_row("name", Text.assemble(name.full, (f"  ({details})", "dim")))
    rows: list[tuple[str, Any]] = [
        ("date of birth", entity.dates_of_birth),
        ("place of birth", entity.places_of_birth),
        ("nationality", entity.nationalities),
        ("citizenship", entity.citizenships),
        ("address", entity.addresses),
        ("programme", entity.programmes),
        ("position", entity.positions),
        ("linked to", entity.linked_to),
    ]
    for label, values in rows:
        for value in values:
            table.add_row(label, Text(str(value)))
    for identifier in entity.identifiers:
        country = f" ({identifier.country})" if identifier.country else ""
        note = Text(f" {identifier.label}", style="dim") if identifier.label else Text()
        table.add_row(identifier.type.value, Text.assemble(f"{identifier.value}{country}", note))
    for label, single in (
        ("gender", entity.gender.value if entity.gender else None),
        ("flag", entity.flag),
        ("listed on", entity.listed_on.isoformat() if entity.listed_on else None),
        ("remarks", entity.remarks),
        ("source record", entity.source_url),
    ):
        if single:
            table.add_row(label, Text(single))
    return table


@lists_app.command("snapshots")
def lists_snapshots(
    source: Annotated[str | None, typer.Argument(help="Only this source.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Every snapshot kept, oldest first: what `diff` and `activate` take."""
    with facade() as clearance:
        snapshots = clearance.snapshots(source)
    if as_json:
        print_json([s.to_json() for s in snapshots])
        return
    table = Table(title="Snapshots")
    for column in ("id", "source", "published", "loaded", "entities", "sha256", "active"):
        table.add_column(column)
    for s in snapshots:
        table.add_row(
            str(s.id),
            Text(s.source),
            s.published.isoformat() if s.published else "-",
            s.loaded_at.strftime("%Y-%m-%d %H:%M:%S"),
            f"{s.entity_count:,}",
            s.sha256[:12],
            "yes" if s.active else "",
        )
    out.print(table)


@lists_app.command("activate")
def lists_activate(snapshot: Annotated[int, typer.Argument(help="Snapshot id (see `lists snapshots`).")]) -> None:
    """Make a kept snapshot the active one of its source, e.g. to roll back an update."""
    with facade() as clearance:
        snap = clearance.activate(snapshot)
    out.print(Text(f"{snap.source}: snapshot {snap.id} is now active ({snap.entity_count:,} entities)"))


@lists_app.command("diff")
def lists_diff(
    source: Annotated[str, typer.Argument(help="Source name.")],
    old: Annotated[int | None, typer.Argument(help="Old snapshot id; default: the one before the active.")] = None,
    new: Annotated[int | None, typer.Argument(help="New snapshot id; default: the active one.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Entities added, removed and changed between two snapshots of a source, field by field."""
    with facade() as clearance:
        result = clearance.diff(source, old, new)
    if as_json:
        print_json(result.to_json())
        return
    _print_diff(result)


def _print_diff(result: ListDiff) -> None:
    out.print(
        Text.assemble(
            (result.source, "bold"),
            f": snapshot {result.old_snapshot} -> {result.new_snapshot}: "
            f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed",
        )
    )
    for entity in result.added:
        out.print(Text.assemble((f"+ {entity.id}", "green"), f"  {entity.name}"))
    for entity in result.removed:
        out.print(Text.assemble((f"- {entity.id}", "red"), f"  {entity.name}"))
    for change in result.changed:
        out.print(Text.assemble((f"~ {change.entity_id}", "yellow"), f"  {change.name}"))
        for field in change.fields:
            if field.removed or field.added:
                for item in field.removed:
                    out.print(Text.assemble(f"    {field.field}: ", (f"- {_json(item)}", "red")))
                for item in field.added:
                    out.print(Text.assemble(f"    {field.field}: ", (f"+ {_json(item)}", "green")))
            else:
                out.print(
                    Text.assemble(
                        f"    {field.field}: ", (_json(field.old), "red"), " -> ", (_json(field.new), "green")
                    )
                )


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@lists_app.command("export")
def lists_export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl, csv, or ftm (FollowTheMoney JSON lines).")],
    source: Annotated[list[str] | None, typer.Option("--source", help="Only these sources (repeatable).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Export the entities of the active snapshots."""
    with facade() as clearance:
        if output is None:
            count = clearance.export(fmt, sys.stdout, source or ())
        else:
            try:
                with output.open("w", encoding="utf-8", newline="") as handle:
                    count = clearance.export(fmt, handle, source or ())
            except OSError as exc:
                raise InputError(f"{output}: cannot write: {exc.strerror}") from None
    err.print(f"exported {count:,} entities as {fmt.value}")
