"""`clearance screen`, `screen-batch`, `screen-text` and `screen-payment`: parties, files of parties, text, payments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from clearance.cli.app import (
    FailOnHitOption,
    JsonOption,
    KindOption,
    LimitOption,
    StrictOption,
    ThresholdOption,
    app,
    err,
    facade,
    finish,
    out,
    print_json,
    print_warnings,
    progress,
)
from clearance.errors import InputError
from clearance.matching import Party
from clearance.matching.batch import read_rows
from clearance.results import HitResult

if TYPE_CHECKING:  # text screening's modules load with its command only
    from clearance.text.results import NamedGoodsResult, PaymentScreening, TextScreening


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
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
) -> None:
    """Screen one party against every active list; every hit explained."""
    party = Party(name=name, kind=kind, dob=dob, country=country, identifiers=tuple(identifier or ()))
    with facade() as clearance:
        result = clearance.screen(party, threshold=threshold, limit=limit)
    if as_json:
        print_json(result)
    else:
        print_warnings(result.warnings)
        _print_hits(name, result.hits, result.threshold)
    finish(clearance, result.warnings, bool(result.hits), strict, fail_on_hit)


def _print_hits(name: str, hits: tuple[HitResult, ...], threshold: float) -> None:
    if not hits:
        out.print(f"No hits for {name!r} at threshold {threshold}.")
        return
    table = Table(title=f"Hits for {name!r} (threshold {threshold})", title_justify="left", show_lines=True)
    for column in ("score", "entity", "list", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        why = hit.explanation
        parts = [f"{t.query} = {t.listed} ({t.method})" for t in why.tokens]
        if why.unmatched_query:
            parts.append("query only: " + " ".join(why.unmatched_query))
        if why.unmatched_listed:
            parts.append("listed only: " + " ".join(why.unmatched_listed))
        parts += [f"{e.field}: {e.detail}" for e in why.evidence]
        listing = " / ".join(x for x in (hit.source, hit.sub_list, ", ".join(hit.programmes)) if x)
        if hit.listed_on:
            listing += f", listed {hit.listed_on}"
        table.add_row(
            f"{hit.score:.2f}",
            f"{hit.name}\n[dim]{hit.entity_id} ({hit.kind})[/]",
            listing,
            f"{why.matched_name}\n[dim]{why.matched_name_quality}[/]",
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
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
) -> None:
    """Screen every row of a CSV file; one JSON line per row, in input order."""
    rows = read_rows(input_path)
    errors = found = 0
    warnings: tuple[str, ...] = ()
    with facade() as clearance:
        try:
            with output.open("w", encoding="utf-8") as handle, progress(len(rows), "screening") as done:
                for count, record in enumerate(clearance.screen_rows(rows, threshold, limit), start=1):
                    errors += record.error is not None
                    found += bool(record.hits)
                    warnings = record.warnings
                    handle.write(record.model_dump_json() + "\n")
                    done(count)
        except OSError as exc:
            raise InputError(f"{output}: cannot write: {exc.strerror}") from None
    print_warnings(warnings)
    err.print(f"screened {len(rows):,} rows into {output}" + (f"; {errors:,} rows had errors" if errors else ""))
    finish(clearance, warnings, found > 0, strict, fail_on_hit)


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
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
) -> None:
    """Find listed parties named in a text: where, as written, which entity and why."""
    where = "standard input" if source == "-" else source
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror}") from None
    with facade() as clearance:
        result = clearance.screen_text(data, where, goods=with_goods, threshold=threshold)
        if html is not None:
            try:
                html.write_text(clearance.report_text(data, where, threshold), encoding="utf-8")
            except OSError as exc:
                raise InputError(f"{html}: cannot write: {exc.strerror}") from None
    if as_json:
        print_json(result)
    else:
        print_warnings(result.warnings)
        _print_mentions(result)
        _print_goods(result.goods)
    finish(clearance, result.warnings, bool(result.mentions), strict, fail_on_hit)


def _print_goods(goods: tuple[NamedGoodsResult, ...]) -> None:
    if not goods:
        return
    table = Table(title="Goods named in the text", title_justify="left")
    for column in ("at", "as written", "HS codes", "export controls"):
        table.add_column(column, overflow="fold")
    for item in goods:
        table.add_row(f"{item.start}-{item.end}", item.text, ", ".join(item.codes), "\n".join(item.controls) or "-")
    out.print(table)


def _print_mentions(result: TextScreening) -> None:
    words = result.query.words
    if not result.mentions and not result.weak:
        out.print(f"No listed party named in {words:,} words.")
        return
    table = Table(title=f"Listed parties named in the text ({words:,} words)", title_justify="left")
    for column in ("at", "as written", "kind", "entity", "list", "score", "why"):
        table.add_column(column, overflow="fold")
    for mention in [*result.mentions, *result.weak]:
        hit = mention.hits[0] if mention.hits else None
        if hit is None:
            continue
        why = [f"{t.query} = {t.listed} ({t.method})" for t in hit.explanation.tokens] + list(mention.notes)
        table.add_row(
            f"{mention.start}-{mention.end}",
            mention.text,
            mention.kind,
            f"{hit.name}\n[dim]{', '.join(h.entity_id for h in mention.hits)}[/]",
            " / ".join(x for x in (hit.source, hit.sub_list, ", ".join(hit.programmes)) if x),
            f"{hit.score:.2f}",
            "\n".join(why),
        )
    out.print(table)
    for ruled in result.ruled_out:
        out.print(f"[dim]ruled out: {ruled.text!r} at {ruled.start} is not {ruled.entity_id}: {ruled.reason}[/]")


@app.command("screen-payment")
def screen_payment(
    path: Annotated[Path, typer.Argument(help="An MT103 (SWIFT FIN) or pacs.008 (ISO 20022 XML) message.")],
    as_json: JsonOption = False,
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
) -> None:
    """Screen a payment message: its parties and BICs as parties, its free-text fields as text."""
    with facade() as clearance:
        result = clearance.screen_payment(path)
    if as_json:
        print_json(result)
    else:
        print_warnings(result.warnings)
        _print_payment(result)
    finish(clearance, result.warnings, result.hit, strict, fail_on_hit)


def _print_payment(result: PaymentScreening) -> None:
    table = Table(title=f"{result.message} {result.reference}", title_justify="left")
    for column in ("field", "value", "hits"):
        table.add_column(column, overflow="fold")
    for party in result.parties:
        value = " ".join(x for x in (party.name, f"BIC {party.bic}" if party.bic else None, party.country) if x)
        hits = "\n".join(f"{h.score:.2f} {h.entity_id} {h.name}" for h in party.hits) or "-"
        table.add_row(party.role, value, hits)
    for text in result.texts:
        hits = "\n".join(
            f"{m.hits[0].score:.2f} {m.hits[0].entity_id} {m.hits[0].name} ({m.text!r})"
            for m in text.mentions
            if m.hits
        )
        table.add_row(text.field, text.value, hits or "-")
    out.print(table)
    out.print("[bold red]HIT[/]: review before release" if result.hit else "[green]no hit[/]")
