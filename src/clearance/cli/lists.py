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

from clearance.app import SourceStatus
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


def _report_load(result: LoadResult) -> None:
    snap = result.snapshot
    if result.created:
        out.print(
            f"{snap.source}: loaded snapshot {snap.id} with {snap.entity_count:,} entities (sha256 {snap.sha256[:12]})"
        )
    else:
        out.print(
            f"{snap.source}: unchanged, snapshot {snap.id} holds these files and is active (sha256 {snap.sha256[:12]})"
        )


@lists_app.command("update")
def lists_update(
    sources: Annotated[list[str] | None, typer.Argument(help="Sources to update; all when none is given.")] = None,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir", help="Read a local mirror of the list files instead of downloading (CLEARANCE_LIST_DIR)."
        ),
    ] = None,
) -> None:
    """Download (or read from a mirror) the newest official lists and store each as a snapshot."""
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

        outcomes = clearance.update(sources or (), on_source)
    failed = 0
    for outcome in outcomes:
        if outcome.result is not None:
            _report_load(outcome.result)
        else:
            failed += 1
            err.print(f"error: {outcome.error}", markup=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


@lists_app.command("load")
def lists_load(
    source: Annotated[str, typer.Argument(help=f"Source name: {', '.join(SOURCES)}, or custom.")],
    path: Annotated[Path, typer.Argument(help="The list file, or the folder of a multi-file list (OFAC CSV).")],
    name: Annotated[
        str | None, typer.Option("--name", help="With `custom`: the watchlist's name (a CSV of id,name,...).")
    ] = None,
) -> None:
    """Load one list version from a file or folder, and make it the active snapshot of its source."""
    with facade() as clearance, progress(None, f"loading {source}") as loaded:
        result = clearance.load(source, path, name, progress=loaded)
    _report_load(result)


@lists_app.command("status")
def lists_status(
    as_json: JsonOption = False,
    max_age: Annotated[
        float | None, typer.Option("--max-age", help="Days after which a list is stale (CLEARANCE_MAX_AGE_DAYS).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 4 when an expected list is missing or any list is stale.")
    ] = False,
) -> None:
    """Per source: the active snapshot, its publication date, age and entity count; stale lists flagged."""
    with facade() as clearance:
        rows = clearance.status(list(SOURCES), max_age)
        limit = clearance.settings.max_age_days if max_age is None else max_age
        expected = clearance.settings.expected_sources
    failing = [r.source for r in rows if r.stale or (r.snapshot is None and r.source in expected)]
    if as_json:
        print_json([row.to_json() for row in rows])
    else:
        _print_status(rows, limit)
    if check and failing:
        raise typer.Exit(WARNING_EXIT)


def _print_status(rows: list[SourceStatus], limit: float) -> None:
    table = Table(title="Lists")
    for column in ("source", "snapshot", "published", "loaded", "age", "entities", "status"):
        table.add_column(column, justify="right" if column in ("snapshot", "entities") else "left")
    for row in rows:
        snap = row.snapshot
        if snap is None or row.age is None:
            table.add_row(row.source, "-", "-", "-", "-", "-", "[yellow]not loaded[/]")
            continue
        table.add_row(
            row.source,
            str(snap.id),
            snap.published.date().isoformat() if snap.published else "not stated",
            snap.loaded_at.strftime("%Y-%m-%d %H:%M"),
            _days(row.age),
            f"{snap.entity_count:,}",
            f"[red]stale (> {int(limit)} d)[/]" if row.stale else "[green]current[/]",
        )
    out.print(table)
    for row in rows:
        if row.stale and row.age is not None:
            err.print(f"warning: {row.source} is {_days(row.age)} old; run `clearance lists update {row.source}`")


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
    table = Table(title=f"{entity.name}  ({entity.id})", show_header=False, title_justify="left")
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("kind", entity.kind.value)
    table.add_row("source", entity.source + (f" / {entity.sub_list}" if entity.sub_list else ""))
    for name in entity.names:
        details = ", ".join(x for x in (name.quality.value, name.script, name.lang) if x)
        table.add_row("name", f"{name.full}  [dim]({details})[/]")
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
            table.add_row(label, str(value))
    for identifier in entity.identifiers:
        country = f" ({identifier.country})" if identifier.country else ""
        label = f" [dim]{identifier.label}[/]" if identifier.label else ""
        table.add_row(identifier.type.value, f"{identifier.value}{country}{label}")
    for label, single in (
        ("gender", entity.gender.value if entity.gender else None),
        ("flag", entity.flag),
        ("listed on", entity.listed_on.isoformat() if entity.listed_on else None),
        ("remarks", entity.remarks),
        ("source record", entity.source_url),
    ):
        if single:
            table.add_row(label, single)
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
            s.source,
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
    out.print(f"{snap.source}: snapshot {snap.id} is now active ({snap.entity_count:,} entities)")


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
        f"[bold]{result.source}[/]: snapshot {result.old_snapshot} -> {result.new_snapshot}: "
        f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed"
    )
    for entity in result.added:
        out.print(f"[green]+ {entity.id}[/]  {entity.name}")
    for entity in result.removed:
        out.print(f"[red]- {entity.id}[/]  {entity.name}")
    for change in result.changed:
        out.print(f"[yellow]~ {change.entity_id}[/]  {change.name}")
        for field in change.fields:
            if field.removed or field.added:
                for item in field.removed:
                    out.print(f"    {field.field}: [red]- {json.dumps(item, ensure_ascii=False)}[/]")
                for item in field.added:
                    out.print(f"    {field.field}: [green]+ {json.dumps(item, ensure_ascii=False)}[/]")
            else:
                old = json.dumps(field.old, ensure_ascii=False)
                new = json.dumps(field.new, ensure_ascii=False)
                out.print(f"    {field.field}: [red]{old}[/] -> [green]{new}[/]")


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
