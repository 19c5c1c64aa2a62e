"""`clearance screen`, `screen-batch`, `screen-text` and `screen-payment`: parties, files of parties, text, payments."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from clearance.batch_output import OutputFormat
from clearance.batch_output import output_format as output_format_of
from clearance.cli.app import (
    CountryColumnOption,
    DobColumnOption,
    FailOnHitOption,
    JsonOption,
    KindOption,
    LimitOption,
    NameColumnOption,
    RecordOption,
    StrictOption,
    ThresholdOption,
    TypeColumnOption,
    app,
    err,
    facade,
    finish,
    out,
    print_json,
    print_warnings,
    progress,
)
from clearance.engine import BatchJob, BatchTotals, screen_file
from clearance.engine.embedded import default_workers
from clearance.errors import InputError
from clearance.matching import Party
from clearance.matching.batch import Columns
from clearance.results import HitResult

if TYPE_CHECKING:  # text screening's modules load with its command only
    from clearance.app import Clearance
    from clearance.text.results import (
        AnomalyResult,
        DesignationHit,
        NamedGoodsResult,
        PaymentScreening,
        TextScreening,
    )


ReviewThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--review-threshold",
        min=0.0,
        max=1.0,
        help="Also report hits from this score up to --threshold, in the review band (a possible match) "
        "[default: CLEARANCE_REVIEW_THRESHOLD].",
    ),
]


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
    review_threshold: ReviewThresholdOption = None,
    limit: LimitOption = 10,
    as_json: JsonOption = False,
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
    recording: RecordOption = False,
) -> None:
    """Screen one party against every active list: one row per designation, with every list carrying it,
    every hit explained."""
    party = Party(name=name, kind=kind, dob=dob, country=country, identifiers=tuple(identifier or ()))
    with facade(record=recording) as clearance:
        result = clearance.screen(party, threshold=threshold, limit=limit, review_threshold=review_threshold)
    if as_json:
        print_json(result)
    else:
        print_warnings(result.warnings)
        print_hits(name, result.hits, result.threshold, result.review_threshold)
    finish(clearance, result.warnings, bool(result.hits), strict, fail_on_hit)


def _review(review_threshold: float | None) -> dict[str, Any]:
    """The review threshold as a keyword of a batch job: given only when asked for, so the job's own default
    (the settings' review threshold) holds otherwise."""
    return {} if review_threshold is None else {"review_threshold": review_threshold}


BAND_STYLES = {"match": "bold", "review": "yellow", "partial": "dim"}


def print_hits(name: str, hits: tuple[HitResult, ...], threshold: float, review: float | None = None) -> None:
    """One row per designation: its best entry's score, band, name and explanation, and every list carrying it."""
    at = f"threshold {threshold}" + (f", review from {review}" if review is not None else "")
    if not hits:
        out.print(Text(f"No hits for {name!r} at {at}."))
        return
    table = Table(title=Text(f"Hits for {name!r} ({at})"), title_justify="left", show_lines=True)
    for column in ("score", "band", "entity", "lists", "matched name", "why"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        why = hit.explanation
        parts = [f"{t.query} = {t.listed} ({t.method})" for t in why.tokens]
        if why.unmatched_query:
            parts.append("query only: " + " ".join(why.unmatched_query))
        if why.unmatched_listed:
            parts.append("listed only: " + " ".join(why.unmatched_listed))
        parts += [f"{e.field}: {e.detail}" for e in why.evidence]
        table.add_row(
            f"{hit.score:.2f}",
            Text(hit.band.value, BAND_STYLES.get(hit.band.value, "")),
            _with_detail(hit.name, f"{hit.entity_id} ({hit.kind})"),
            _lists_cell(hit),
            _with_detail(why.matched_name, why.matched_name_quality),
            Text("\n".join(parts)),
        )
    out.print(table)


def _lists_cell(hit: HitResult) -> Text:
    """The lists carrying the designation: the best entry's, then each other entry with its own score and band."""
    listing = " / ".join(x for x in (hit.source, hit.sub_list, ", ".join(hit.programmes)) if x)
    if hit.listed_on:
        listing += f", listed {hit.listed_on}"
    cell = Text(listing)
    for other in hit.also:
        sub_list = f" ({other.sub_list})" if other.sub_list else ""
        cell.append(f"\n{other.entity_id}{sub_list} {other.score:.2f} {other.band.value}", "dim")
        if other.listed_with is not None:
            cell.append(f" with {other.listed_with}", "dim")
        elif other.matched_name != hit.matched_name:
            cell.append(f" as {other.matched_name}", "dim")
    return cell


def _with_detail(main: str, detail: str) -> Text:
    """A cell's text over a dimmed line of detail; both printed as written, never read as markup."""
    return Text.assemble(main, "\n", (detail, "dim"))


class Engine(StrEnum):
    """Where a batch is screened: here, or on a Spark cluster (`clearance.spark`)."""

    embedded = "embedded"
    spark = "spark"


@app.command("screen-batch")
def screen_batch(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="CSV (delimiter and encoding sniffed), JSON lines (.jsonl, .ndjson) or Parquet (.parquet); "
            "columns name[,id,type,dob,country].",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write: JSON lines, CSV or Parquet by its suffix (.jsonl, .csv, .parquet) or --format; "
            "standard output without it.",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("--format", help="jsonl (one record a row), csv or parquet (one row a hit).", show_default=False),
    ] = None,
    name_column: NameColumnOption = None,
    country_column: CountryColumnOption = None,
    dob_column: DobColumnOption = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="Column of the row's id [default: id, else the line number].")
    ] = None,
    type_column: TypeColumnOption = None,
    threshold: ThresholdOption = None,
    review_threshold: ReviewThresholdOption = None,
    limit: LimitOption = 10,
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
    recording: RecordOption = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Worker processes screening rows [default: the cores available]."),
    ] = None,
    engine: Annotated[
        Engine, typer.Option("--engine", help="embedded (here, in worker processes) or spark.", case_sensitive=False)
    ] = Engine.embedded,
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", help="Where to keep the run's progress [default: OUTPUT.checkpoint]."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Go on with an interrupted run from its checkpoint.")
    ] = False,
    with_input: Annotated[
        bool,
        typer.Option("--with-input", help="Write the input's columns beside each hit (CSV or Parquet output)."),
    ] = False,
) -> None:
    """Screen every row of a file of parties; one record per row, in input order."""
    named = {"name": name_column, "country": country_column, "dob": dob_column, "id": id_column, "type": type_column}
    columns = Columns({field: column for field, column in named.items() if column is not None})
    chosen = output_format_of(output, output_format)

    def warn(text: str) -> None:
        print_warnings((text,))

    with facade(record=recording) as clearance:
        if engine is Engine.spark:
            embedded_only = {
                "--workers": workers,
                "--checkpoint": checkpoint,
                "--resume": resume,
                "--with-input": with_input,
            }
            if given := [name for name, value in embedded_only.items() if value]:
                raise InputError(f"{', '.join(given)}: options of the embedded engine, not of --engine spark")
            totals = _spark_totals(
                clearance, input_path, output, chosen, columns, threshold, limit, warn, review_threshold
            )
        else:
            job = BatchJob(
                input_path,
                output,
                chosen,
                columns,
                threshold,
                limit,
                with_input=with_input,
                **_review(review_threshold),
                workers=workers or default_workers(),
                checkpoint=checkpoint,
                resume=resume,
            )
            with progress(None, "screening", unit="rows") as done:
                totals = screen_file(clearance, job, progress=done, warn=warn)
    if totals.resumed_from:
        err.print(f"resumed after {_rows(totals.resumed_from)} already in {output}")
    print_warnings(totals.warnings)
    skipped = totals.skipped or len(totals.errors)
    _print_batch_summary(totals.rows, totals.with_hits, totals.errors, skipped, output or "standard output")
    finish(clearance, totals.warnings, totals.with_hits > 0, strict, fail_on_hit)


SPARK_MISSING = "the Spark engine needs pyspark: pip install 'clearance[spark]'"


def _spark_totals(
    clearance: Clearance,
    input_path: Path,
    output: Path | None,
    chosen: OutputFormat,
    columns: Columns,
    threshold: float | None,
    limit: int,
    warn: Callable[[str], None],
    review_threshold: float | None = None,
) -> BatchTotals:
    """The file screened by `clearance.spark`, its totals as the embedded engine's."""
    try:
        from clearance.spark import screen_file as spark_screen_file
    except ImportError:
        raise InputError(SPARK_MISSING) from None
    found = spark_screen_file(
        clearance, input_path, output, chosen, columns, threshold, limit, warn=warn, review_threshold=review_threshold
    )
    return BatchTotals(found.rows, found.with_hits, found.errors[:SKIPPED_SHOWN], found.warnings, len(found.errors))


SKIPPED_SHOWN = 10
"""Skipped rows named on stderr; the output file holds every one."""


def _print_batch_summary(rows: int, found: int, errors: list[str], skipped: int, output: Path | str) -> None:
    """Rows screened, with hits and skipped, on stderr: a skipped row is in the output only as its error."""
    for error in errors[:SKIPPED_SHOWN]:
        err.print(f"skipped: {error}")
    if skipped > SKIPPED_SHOWN:
        err.print(f"skipped: {_rows(skipped - SKIPPED_SHOWN)} more, each with its error in {output}")
    summary = f"screened {rows - skipped:,} of {_rows(rows)} into {output}: {found:,} with hits"
    if skipped:
        summary += f"; {_rows(skipped)} had errors and were skipped"
    err.print(summary)


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


@app.command("screen-text")
def screen_text(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE|DIR|-",
            help="A UTF-8 text file (.html and .htm read as the text a reader sees), - for standard input, or a "
            "folder: every .txt, .text, .md, .html and .htm file in it and its subfolders.",
        ),
    ],
    as_json: JsonOption = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write an HTML report with the hits highlighted.")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="For a folder (and required there): where to write each document's JSON and HTML report, "
            "as DOCUMENT.json and DOCUMENT.html under the document's path in the folder.",
        ),
    ] = None,
    threshold: ThresholdOption = None,
    with_goods: Annotated[
        bool, typer.Option("--goods/--no-goods", help="Also mark goods the text names and their export controls.")
    ] = True,
    strict: StrictOption = None,
    fail_on_hit: FailOnHitOption = False,
) -> None:
    """Find listed parties named in a text, or in every text document of a folder: where, as written, which
    entity and why."""
    if source != "-" and Path(source).is_dir():
        if out_dir is None:
            raise InputError(f"{source}: a folder is screened into a folder of reports: give --out DIR")
        if as_json or html is not None:
            raise InputError("--json and --html are for one text; a folder's reports go to --out DIR")
        _screen_folder(Path(source), out_dir, threshold, with_goods, strict, fail_on_hit)
        return
    if out_dir is not None:
        raise InputError("--out is for a folder of documents; for one text use --json and --html")
    where = "standard input" if source == "-" else source
    text = _read_document(None if source == "-" else Path(source), where)
    with facade() as clearance:
        result = clearance.screen_text(text, where, goods=with_goods, threshold=threshold)
        if html is not None:
            _write(html, clearance.report_text(text, where, screening=result))
    if as_json:
        print_json(result)
    else:
        print_warnings(result.warnings)
        _print_mentions(result)
        _print_goods(result.goods)
    finish(clearance, result.warnings, bool(result.mentions), strict, fail_on_hit)


def _read_document(path: Path | None, where: str) -> str:
    """The text of a file (standard input when `path` is None): UTF-8, no longer than text screening takes;
    an HTML page as the text a reader sees."""
    from clearance.app import decode_text
    from clearance.text.documents import html_text, is_html
    from clearance.text.mentions import MAX_TEXT, check_length

    most = 4 * MAX_TEXT  # bytes: UTF-8 spends at most four on a character
    try:
        if path is None:
            data = sys.stdin.buffer.read(most + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(most + 1)
    except OSError as exc:
        raise InputError(f"{where}: cannot read: {exc.strerror}") from None
    if len(data) > most:  # refused before it is all read: a text may be a stream without end
        raise InputError(f"{where}: too long (over {most:,} bytes; at most {MAX_TEXT:,} characters)")
    text = decode_text(data, where)
    if path is not None and is_html(path):
        text = html_text(text)
    check_length(text, where)
    return text


def _write(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None


def _screen_folder(
    folder: Path, out_dir: Path, threshold: float | None, goods: bool, strict: bool | None, fail_on_hit: bool
) -> None:
    """Every text document of `folder` screened on one index, each reported into `out_dir`; a document
    that cannot be read is named on stderr and skipped, and the run then exits 1 once the rest is done."""
    from clearance.text.documents import SUFFIXES, folder_documents

    documents, others = folder_documents(folder, leave_out=out_dir)
    if not documents:
        raise InputError(f"{folder}: no text documents ({', '.join(SUFFIXES)}) in it or its subfolders")
    screened: list[tuple[Path, TextScreening]] = []
    skipped: list[str] = []
    warnings: tuple[str, ...] = ()
    with facade() as clearance:
        clearance.screener()  # the index loads before the bar starts, so its rate and time left are the documents'
        with _document_progress(len(documents)) as advance:
            for path in documents:
                name = path.relative_to(folder)
                try:
                    text = _read_document(path, str(path))
                except InputError as exc:  # this document's fault only: the others go on
                    skipped.append(str(exc))
                    advance()
                    continue
                result = clearance.screen_text(text, str(path), goods=goods, threshold=threshold)
                _write_reports(out_dir / name, result, clearance.report_text(text, str(path), screening=result))
                screened.append((name, result))
                warnings = result.warnings
                advance()
    print_warnings(warnings)
    _print_documents(screened, out_dir)
    for error in skipped:
        err.print(f"skipped: {error}")
    if others:
        shown = ", ".join(str(p) for p in others[:SKIPPED_SHOWN])
        more = f" and {len(others) - SKIPPED_SHOWN:,} more" if len(others) > SKIPPED_SHOWN else ""
        err.print(f"not screened, not text ({', '.join(SUFFIXES)}): {shown}{more}")
    if skipped:
        raise InputError(f"{len(skipped):,} of {len(documents):,} documents could not be read and were skipped")
    finish(clearance, warnings, any(result.mentions for _, result in screened), strict, fail_on_hit)


def _write_reports(report: Path, result: TextScreening, page: str) -> None:
    """REPORT.json (the `TextScreening` that `--json` prints) and REPORT.html beside it."""
    try:
        report.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{report.parent}: cannot create: {exc.strerror}") from None
    _write(report.with_name(f"{report.name}.json"), result.model_dump_json(indent=2) + "\n")
    _write(report.with_name(f"{report.name}.html"), page)


@contextmanager
def _document_progress(total: int) -> Iterator[Callable[[], None]]:
    """A bar with the documents done, the rate and the time left; drawn on a terminal only."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("screening", total=total)
        yield lambda: bar.advance(task)


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} documents/s" if speed else "- documents/s")


def _print_documents(screened: list[tuple[Path, TextScreening]], out_dir: Path) -> None:
    table = Table(title=Text(f"{len(screened):,} documents screened, reports in {out_dir}"), title_justify="left")
    for column in ("document", "words", "mentions", "weak", "listed parties", "goods"):
        table.add_column(column, overflow="fold", justify="left" if column == "document" else "right")
    for name, result in screened:
        parties = {hit.designation or hit.entity_id for mention in result.mentions for hit in mention.hits}
        table.add_row(
            Text(str(name)),
            f"{result.query.words:,}",
            f"{len(result.mentions):,}",
            f"{len(result.weak):,}",
            f"{len(parties):,}",
            f"{len({g.term for g in result.goods}):,}",
        )
    out.print(table)


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
    for column in ("at", "as written", "kind", "entity", "lists", "score", "band", "why"):
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
            _with_detail(hit.name, ", ".join(entity for h in mention.hits for entity in h.entity_ids)),
            _lists_cell(hit),
            f"{hit.score:.2f}",
            Text(hit.band.value, BAND_STYLES.get(hit.band.value, "")),
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
        cell.append(
            f"{partial}{hit.score:.2f} {hit.band.value} {hit.name} ({hit.designation})",
            "bold" if not hit.partial else "",
        )
        cell.append(f"\n  by {hit.via}: {hit.query!r}", "dim")
        for entity in hit.entities:
            listing = " / ".join(x for x in (entity.source, entity.sub_list, ", ".join(entity.programmes)) if x)
            cell.append(f"\n  {entity.score:.2f} {entity.band.value} {entity.entity_id} {entity.name} [{listing}]")
    return cell


def _anomalies_cell(anomalies: tuple[AnomalyResult, ...]) -> Text:
    cell = Text()
    for number, anomaly in enumerate(anomalies):
        if number:
            cell.append("\n")
        cell.append(f"{anomaly.code}: {anomaly.detail}", "yellow" if anomaly.review else "dim")
    return cell or Text("-")
