"""`clearance screen`, `screen-batch`, `screen-text` and `screen-payment`: parties, files of parties, text, payments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

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
from clearance.results import BatchRecord, HitResult

if TYPE_CHECKING:  # text screening's modules load with its command only
    from clearance.text.results import (
        AnomalyResult,
        DesignationHit,
        NamedGoodsResult,
        PaymentScreening,
        TextScreening,
    )


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
        out.print(Text(f"No hits for {name!r} at threshold {threshold}."))
        return
    table = Table(title=Text(f"Hits for {name!r} (threshold {threshold})"), title_justify="left", show_lines=True)
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
            _with_detail(hit.name, f"{hit.entity_id} ({hit.kind})"),
            Text(listing),
            _with_detail(why.matched_name, why.matched_name_quality),
            Text("\n".join(parts)),
        )
    out.print(table)


def _with_detail(main: str, detail: str) -> Text:
    """A cell's text over a dimmed line of detail; both printed as written, never read as markup."""
    return Text.assemble(main, "\n", (detail, "dim"))


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
    skipped: list[str] = []
    found = 0
    warnings: tuple[str, ...] = ()
    with facade() as clearance:
        try:
            with output.open("w", encoding="utf-8") as handle, progress(len(rows), "screening") as done:
                for count, record in enumerate(clearance.screen_rows(rows, threshold, limit), start=1):
                    if record.error is not None:
                        skipped.append(record.error)
                    found += bool(record.hits)
                    warnings = record.warnings
                    handle.write(_json_line(record))
                    done(count)
        except OSError as exc:
            raise InputError(f"{output}: cannot write: {exc.strerror}") from None
    print_warnings(warnings)
    _print_batch_summary(len(rows), found, skipped, output)
    finish(clearance, warnings, found > 0, strict, fail_on_hit)


def _json_line(record: BatchRecord) -> str:
    """One JSON line, with the line separators JSON leaves raw escaped: readers that split lines on them
    (Python's `str.splitlines`, older JavaScript) still see one record per line."""
    text = record.model_dump_json()
    for char, escaped in _RAW_SEPARATORS.items():
        text = text.replace(char, escaped)
    return text + "\n"


_RAW_SEPARATORS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
SKIPPED_SHOWN = 10
"""Skipped rows named on stderr; the output file holds every one."""


def _print_batch_summary(rows: int, found: int, skipped: list[str], output: Path) -> None:
    """Rows screened, with hits and skipped, on stderr: a skipped row is in the output only as its error."""
    for error in skipped[:SKIPPED_SHOWN]:
        err.print(f"skipped: {error}")
    if len(skipped) > SKIPPED_SHOWN:
        err.print(f"skipped: {_rows(len(skipped) - SKIPPED_SHOWN)} more, each with its error in {output}")
    summary = f"screened {rows - len(skipped):,} of {_rows(rows)} into {output}: {found:,} with hits"
    if skipped:
        summary += f"; {_rows(len(skipped))} had errors and were skipped"
    err.print(summary)


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


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
    from clearance.text.mentions import MAX_TEXT

    where = "standard input" if source == "-" else source
    most = 4 * MAX_TEXT  # bytes: UTF-8 spends at most four on a character
    try:
        if source == "-":
            data = sys.stdin.buffer.read(most + 1)
        else:
            with Path(source).open("rb") as handle:
                data = handle.read(most + 1)
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror}") from None
    if len(data) > most:  # refused before it is all read: a text may be a stream without end
        raise InputError(f"{where}: too long (over {most:,} bytes; at most {MAX_TEXT:,} characters)")
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
        table.add_row(
            f"{item.start}-{item.end}",
            Text(item.text),
            Text(", ".join(item.codes)),
            Text("\n".join(item.controls) or "not in the rules held"),
        )
    out.print(table)


def _print_mentions(result: TextScreening) -> None:
    words = result.query.words
    if not result.mentions and not result.weak:
        out.print(Text(f"No listed party named in {words:,} words."))
        return
    table = Table(title=Text(f"Listed parties named in the text ({words:,} words)"), title_justify="left")
    for column in ("at", "as written", "kind", "entity", "list", "score", "why"):
        table.add_column(column, overflow="fold")
    for mention in [*result.mentions, *result.weak]:
        hit = mention.hits[0] if mention.hits else None
        if hit is None:
            continue
        why = [f"{t.query} = {t.listed} ({t.method})" for t in hit.explanation.tokens] + list(mention.notes)
        table.add_row(
            f"{mention.start}-{mention.end}",
            Text(mention.text),
            Text(mention.kind),
            _with_detail(hit.name, ", ".join(h.entity_id for h in mention.hits)),
            Text(" / ".join(x for x in (hit.source, hit.sub_list, ", ".join(hit.programmes)) if x)),
            f"{hit.score:.2f}",
            Text("\n".join(why)),
        )
    out.print(table)
    for ruled in result.ruled_out:
        reason = f"ruled out: {ruled.text!r} at {ruled.start} is not {ruled.entity_id}: {ruled.reason}"
        out.print(Text(reason, style="dim"))


@app.command("screen-payment")
def screen_payment(
    path: Annotated[
        Path,
        typer.Argument(
            help="A SWIFT MT (MT103, MT202 and their STP, REMIT and COV forms) or ISO 20022 (pacs.008, pacs.009, "
            "pain.001) message, bare or in its header and wrapper."
        ),
    ],
    as_json: JsonOption = False,
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
) -> None:
    """Screen a payment message: parties and BICs as parties, free text as text; hit, possible or clean."""
    with facade() as clearance:
        result = clearance.screen_payment(path)
    if as_json:
        print_json(result)
    else:
        print_warnings(result.warnings)
        _print_payment(result)
    finish(clearance, result.warnings, result.decision != "clean", strict, fail_on_hit)


_DECISIONS = {
    "hit": Text.assemble(("HIT", "bold red"), ": review before release"),
    "possible": Text.assemble(("POSSIBLE", "bold yellow"), ": partial findings or anomalies; review before release"),
    "clean": Text("clean: no hit", "green"),
}


def _print_payment(result: PaymentScreening) -> None:
    parties = f" from {result.sender}" if result.sender else ""
    parties += f" to {result.receiver}" if result.receiver else ""
    title = Text(f"{result.message} {result.reference}{parties}")
    table = Table(title=title, title_justify="left", show_lines=True)
    for column in ("field", "role", "text", "hits", "anomalies"):
        table.add_column(column, overflow="fold")
    rows = [(p.field, p.role, p.text, p.hits, p.anomalies) for p in result.parties]
    rows += [(t.field, t.role, t.text, t.hits, t.anomalies) for t in result.texts]
    for field, role, text, hits, anomalies in rows:
        table.add_row(Text(field), Text(role), Text(text), _hits_cell(hits), _anomalies_cell(anomalies))
    out.print(table)
    for anomaly in result.anomalies:
        out.print(Text(f"{anomaly.field}: {anomaly.code}: {anomaly.detail}", "yellow" if anomaly.review else "dim"))
    out.print(_DECISIONS[result.decision])


def _hits_cell(hits: tuple[DesignationHit, ...]) -> Text:
    """Each designation, then every list entry of it: an OFAC record is on up to four lists."""
    if not hits:
        return Text("-")
    cell = Text()
    for number, hit in enumerate(hits):
        if number:
            cell.append("\n")
        partial = "possible: " if hit.partial else ""
        cell.append(f"{partial}{hit.score:.2f} {hit.name} ({hit.designation})", "bold" if not hit.partial else "")
        cell.append(f"\n  by {hit.via}: {hit.query!r}", "dim")
        for entity in hit.entities:
            listing = " / ".join(x for x in (entity.source, entity.sub_list, ", ".join(entity.programmes)) if x)
            cell.append(f"\n  {entity.score:.2f} {entity.entity_id} {entity.name} [{listing}]")
    return cell


def _anomalies_cell(anomalies: tuple[AnomalyResult, ...]) -> Text:
    cell = Text()
    for number, anomaly in enumerate(anomalies):
        if number:
            cell.append("\n")
        cell.append(f"{anomaly.code}: {anomaly.detail}", "yellow" if anomaly.review else "dim")
    return cell or Text("-")
