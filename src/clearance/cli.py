"""The `clearance` command: a thin shell over the library.

Commands translate arguments into library calls and results into tables or JSON;
every `ClearanceError` becomes one line on stderr and exit code 1.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clearance.commands import classify as classify_command
from clearance.commands import shipment as shipment_command
from clearance.errors import ClearanceError
from clearance.export import ExportFormat, export
from clearance.lists.diff import ListDiff
from clearance.lists.registry import SOURCES, get_source
from clearance.lists.update import load_path, update
from clearance.matching import DEFAULT_THRESHOLD, Hit, Party, Screener
from clearance.matching.batch import read_rows, screen_rows
from clearance.model import Entity, EntityKind
from clearance.settings import Settings
from clearance.store import ListStore, LoadResult, Snapshot
from clearance.text import TextResult, TextScreener
from clearance.text.goods import NamedGoods, named_goods
from clearance.text.payments import read_payment, screen_payment
from clearance.text.report import html_report

app = typer.Typer(
    help="Sanctions and export-control screening against the official lists.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
lists_app = typer.Typer(help="Official lists: update, load, inspect, compare and export.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
if not out.is_terminal:
    out.width = 200  # piped output: keep table rows on one line each, for grep and logs

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def main() -> None:
    """Entry point: run the app, turning clearance's own errors into one line and exit code 1."""
    try:
        app()
    except ClearanceError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        sys.exit(1)


def _store() -> ListStore:
    return ListStore(Settings.from_env().store_path)


@contextmanager
def _progress(total: int | None, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; nothing when output is piped or in CI."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda done: bar.update(task, completed=done)


def _print_json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))


def _age(snapshot: Snapshot) -> dt.timedelta:
    return dt.datetime.now(dt.UTC) - snapshot.as_of.astimezone(dt.UTC)


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


def _screener() -> Screener:
    with _store() as store, _progress(None, "building the name index"):
        return Screener.from_store(store)


KindOption = Annotated[
    EntityKind | None, typer.Option("--type", help="person, organization, vessel or aircraft.", case_sensitive=False)
]
ThresholdOption = Annotated[
    float | None,
    typer.Option("--threshold", min=0.0, max=1.0, help=f"Lowest score reported (default {DEFAULT_THRESHOLD})."),
]
LimitOption = Annotated[int, typer.Option("--limit", min=1, help="Most hits reported per party.")]


@app.command("screen")
def screen(
    name: Annotated[str, typer.Argument(help="The name to screen, in any script.")],
    kind: KindOption = None,
    dob: Annotated[str | None, typer.Option("--dob", help="Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="Country (ISO code or name).")] = None,
    identifier: Annotated[
        list[str] | None, typer.Option("--id", help="An identifier: passport, IMO, registration number (repeatable).")
    ] = None,
    threshold: ThresholdOption = None,
    limit: LimitOption = 10,
    as_json: JsonOption = False,
) -> None:
    """Screen one party against every active list; every hit explained."""
    screener = _screener()
    party = Party(name=name, kind=kind, dob=dob, country=country, identifiers=tuple(identifier or ()))
    hits = screener.screen(party, threshold=threshold, limit=limit)
    if as_json:
        _print_json(
            {
                "query": {
                    "name": name,
                    "type": kind.value if kind else None,
                    "dob": dob,
                    "country": country,
                    "ids": list(party.identifiers),
                },
                "algorithm": screener.algorithm,
                "threshold": screener.threshold if threshold is None else threshold,
                "snapshots": dict(screener.snapshots),
                "hits": [hit.to_json() for hit in hits],
            }
        )
        return
    _print_hits(name, hits, screener.threshold if threshold is None else threshold)


def _print_hits(name: str, hits: list[Hit], threshold: float) -> None:
    if not hits:
        out.print(f"No hits for {name!r} at threshold {threshold}.")
        return
    table = Table(title=f"Hits for {name!r} (threshold {threshold})", title_justify="left", show_lines=True)
    for column in ("score", "entity", "list", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        entity, why = hit.entity, hit.explanation
        parts = [f"{t.query} = {t.listed} ({t.method.value})" for t in why.tokens]
        if why.unmatched_query:
            parts.append("query only: " + " ".join(why.unmatched_query))
        if why.unmatched_listed:
            parts.append("listed only: " + " ".join(why.unmatched_listed))
        parts += [f"{e.field}: {e.detail}" for e in why.evidence]
        listing = " / ".join(x for x in (entity.source, entity.sub_list, ", ".join(entity.programmes)) if x)
        if entity.listed_on:
            listing += f", listed {entity.listed_on.isoformat()}"
        table.add_row(
            f"{hit.score:.2f}",
            f"{entity.name}\n[dim]{entity.id} ({entity.kind.value})[/]",
            listing,
            f"{why.matched_name.full}\n[dim]{why.matched_name.quality.value}[/]",
            "\n".join(parts),
        )
    out.print(table)


@app.command("screen-batch")
def screen_batch(
    input_path: Annotated[
        Path, typer.Argument(metavar="INPUT.csv", help="CSV with columns id,name[,type,dob,country].")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write one JSON line per input row.")],
    threshold: ThresholdOption = None,
    limit: LimitOption = 10,
) -> None:
    """Screen every row of a CSV file; one JSON line per row, in input order."""
    rows = read_rows(input_path)
    screener = _screener()
    errors = 0
    try:
        with output.open("w", encoding="utf-8") as handle, _progress(len(rows), "screening") as progress:
            for done, record in enumerate(screen_rows(screener, rows, threshold, limit), start=1):
                errors += "error" in record
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                progress(done)
    except OSError as exc:
        raise ClearanceError(f"{output}: cannot write: {exc.strerror}") from None
    err.print(f"screened {len(rows):,} rows into {output}" + (f"; {errors:,} rows had errors" if errors else ""))


def _read_text(source: str) -> str:
    """Text from a file or `-` (stdin): UTF-8 only, and never binary data."""
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise ClearanceError(f"{source}: cannot read: {exc.strerror}") from None
    name = "standard input" if source == "-" else source
    if b"\x00" in data[:65536]:
        raise ClearanceError(f"{name}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClearanceError(f"{name}: not UTF-8 text at byte {exc.start}") from None


@app.command("screen-text")
def screen_text(
    source: Annotated[str, typer.Argument(metavar="FILE|-", help="A UTF-8 text file, or - for standard input.")],
    as_json: JsonOption = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write an HTML report with the hits highlighted.")
    ] = None,
    threshold: ThresholdOption = None,
    with_goods: Annotated[
        bool, typer.Option("--goods/--no-goods", help="Also mark goods the text names and their export controls.")
    ] = True,
) -> None:
    """Find listed parties named in a text: where, as written, which entity and why."""
    content = _read_text(source)
    screener = _screener()
    result = TextScreener(screener, threshold).screen(content)
    goods = named_goods(content) if with_goods else []
    if html is not None:
        try:
            html.write_text(html_report(content, result, f"Screening of {source}"), encoding="utf-8")
        except OSError as exc:
            raise ClearanceError(f"{html}: cannot write: {exc.strerror}") from None
    if as_json:
        _print_json({**result.to_json(), "goods": [g.to_json() for g in goods]})
        return
    _print_mentions(content, result)
    _print_goods(goods)


def _print_goods(goods: list[NamedGoods]) -> None:
    if not goods:
        return
    table = Table(title="Goods named in the text", title_justify="left")
    for column in ("at", "as written", "HS codes", "export controls"):
        table.add_column(column, overflow="fold")
    for item in goods:
        m = item.mention
        table.add_row(f"{m.start}-{m.end}", m.text, ", ".join(m.codes), "\n".join(item.controls) or "-")
    out.print(table)


def _print_mentions(content: str, result: TextResult) -> None:
    if not result.mentions and not result.weak:
        out.print(f"No listed party named in {result.words:,} words.")
        return
    table = Table(title=f"Listed parties named in the text ({result.words:,} words)", title_justify="left")
    for column in ("at", "as written", "kind", "entity", "list", "score", "why"):
        table.add_column(column, overflow="fold")
    for mention in [*result.mentions, *result.weak]:
        hit = mention.hits[0] if mention.hits else None
        if hit is None:
            continue
        entity = hit.entity
        why = [f"{t.query} = {t.listed} ({t.method.value})" for t in hit.explanation.tokens] + list(mention.notes)
        table.add_row(
            f"{mention.start}-{mention.end}",
            mention.text,
            mention.kind,
            f"{entity.name}\n[dim]{', '.join(h.entity.id for h in mention.hits)}[/]",
            " / ".join(x for x in (entity.source, entity.sub_list, ", ".join(entity.programmes)) if x),
            f"{hit.score:.2f}",
            "\n".join(why),
        )
    out.print(table)
    for ruled in result.ruled_out:
        out.print(f"[dim]ruled out: {ruled.text!r} at {ruled.start} is not {ruled.entity_id}: {ruled.reason}[/]")


@app.command("screen-payment")
def screen_payment_command(
    path: Annotated[Path, typer.Argument(help="An MT103 (SWIFT FIN) or pacs.008 (ISO 20022 XML) message.")],
    as_json: JsonOption = False,
) -> None:
    """Screen a payment message: its parties and BICs as parties, its free-text fields as text."""
    payment = read_payment(path)
    result = screen_payment(payment, _screener())
    if as_json:
        _print_json(result.to_json())
        return
    table = Table(title=f"{payment.kind} {payment.reference}", title_justify="left")
    for column in ("field", "value", "hits"):
        table.add_column(column, overflow="fold")
    for party in result.parties:
        p = party.party
        value = " ".join(x for x in (p.name, f"BIC {p.bic}" if p.bic else None, p.country) if x)
        hits = "\n".join(f"{h.score:.2f} {h.entity.id} {h.entity.name}" for h in party.hits) or "-"
        table.add_row(p.role, value, hits)
    for (name, value), (_, text_result) in zip(payment.texts, result.texts, strict=True):
        hits = "\n".join(
            f"{m.hits[0].score:.2f} {m.hits[0].entity.id} {m.hits[0].entity.name} ({m.text!r})"
            for m in text_result.mentions
            if m.hits
        )
        table.add_row(name, value, hits or "-")
    out.print(table)
    out.print("[bold red]HIT[/]: review before release" if result.hit else "[green]no hit[/]")


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
    names = sources or list(SOURCES)
    for name in names:
        get_source(name)
    with (
        _store() as store,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            disable=not err.is_terminal,
            transient=True,
        ) as bar,
    ):

        def progress(name: str) -> Callable[[int], None]:
            task = bar.add_task(f"loading {name}", total=None)
            return lambda done: bar.update(task, completed=done)

        outcomes = update(store, names, settings, progress)
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
    if source == "custom":
        if not name:
            raise ClearanceError("lists load custom: give the watchlist a name with --name")
        source = f"custom:{name}"
    elif name is not None:
        raise ClearanceError("--name goes with `lists load custom` only")
    list_source = get_source(source)
    with _store() as store, _progress(None, f"loading {source}") as progress:
        result = load_path(store, list_source, path, progress=progress)
    _report_load(result)


@lists_app.command("status")
def lists_status(
    as_json: JsonOption = False,
    max_age: Annotated[
        float | None, typer.Option("--max-age", help="Days after which a list is stale (CLEARANCE_MAX_AGE_DAYS).")
    ] = None,
) -> None:
    """Per source: the active snapshot, its publication date, age and entity count; stale lists flagged."""
    settings = Settings.from_env()
    limit = dt.timedelta(days=max_age if max_age is not None else settings.max_age_days)
    with _store() as store:
        active = store.active_snapshots()
    rows = []
    for name in [*SOURCES, *sorted(set(active) - set(SOURCES))]:
        snap = active.get(name)
        rows.append((name, snap, snap is not None and _age(snap) > limit))
    if as_json:
        _print_json(
            [
                {
                    "source": name,
                    "snapshot": snap.to_json() if snap else None,
                    "stale": stale,
                    "age_days": round(_age(snap).total_seconds() / 86400, 2) if snap else None,
                }
                for name, snap, stale in rows
            ]
        )
        return
    table = Table(title="Lists")
    for column in ("source", "snapshot", "published", "loaded", "age", "entities", "status"):
        table.add_column(column, justify="right" if column in ("snapshot", "entities") else "left")
    for name, snap, stale in rows:
        if snap is None:
            table.add_row(name, "-", "-", "-", "-", "-", "[yellow]not loaded[/]")
            continue
        table.add_row(
            name,
            str(snap.id),
            snap.published.date().isoformat() if snap.published else "not stated",
            snap.loaded_at.strftime("%Y-%m-%d %H:%M"),
            _days(_age(snap)),
            f"{snap.entity_count:,}",
            f"[red]stale (> {limit.days} d)[/]" if stale else "[green]current[/]",
        )
    out.print(table)
    for name, snap, stale in rows:
        if stale and snap is not None:
            err.print(f"warning: {name} is {_days(_age(snap))} old; run `clearance lists update {name}`")


@lists_app.command("show")
def lists_show(
    entity_id: Annotated[str, typer.Argument(help="Entity id, such as ofac-sdn:9760 or un:KPi.033.")],
    snapshot: Annotated[int | None, typer.Option(help="Read from this snapshot instead of the active one.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show one listed entity, every field as the list states it."""
    with _store() as store:
        entity = store.entity(entity_id, snapshot)
    if as_json:
        _print_json(entity.to_json())
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
    if source is not None:
        get_source(source)
    with _store() as store:
        snapshots = store.snapshots(source)
    if as_json:
        _print_json([s.to_json() for s in snapshots])
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
    with _store() as store:
        snap = store.activate(snapshot)
    out.print(f"{snap.source}: snapshot {snap.id} is now active ({snap.entity_count:,} entities)")


@lists_app.command("diff")
def lists_diff(
    source: Annotated[str, typer.Argument(help="Source name.")],
    old: Annotated[int | None, typer.Argument(help="Old snapshot id; default: the one before the active.")] = None,
    new: Annotated[int | None, typer.Argument(help="New snapshot id; default: the active one.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Entities added, removed and changed between two snapshots of a source, field by field."""
    get_source(source)
    with _store() as store:
        snapshots = store.snapshots(source)
        if (old is None) != (new is None):
            raise ClearanceError("diff takes both OLD and NEW snapshot ids, or neither")
        if old is None or new is None:
            active = next((s for s in snapshots if s.active), None)
            earlier = [s for s in snapshots if active is not None and s.id < active.id]
            if active is None or not earlier:
                raise ClearanceError(f"{source}: fewer than two snapshots to compare; load another version first")
            old, new = earlier[-1].id, active.id
        result = store.diff(old, new)
    if as_json:
        _print_json(result.to_json())
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
    for name in source or ():
        get_source(name)
    with _store() as store:
        entities = store.active_entities(source)
        if output is None:
            count = export(entities, fmt, sys.stdout)
        else:
            try:
                with output.open("w", encoding="utf-8", newline="") as handle:
                    count = export(entities, fmt, handle)
            except OSError as exc:
                raise ClearanceError(f"{output}: cannot write: {exc.strerror}") from None
    err.print(f"exported {count:,} entities as {fmt.value}")


classify_command.register(app)
shipment_command.register(app)
