"""`clearance register load|status` and `clearance rescreen`: a customer register, re-screened after list updates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from clearance.batch_output import OutputFormat, batch_writer
from clearance.batch_output import output_format as output_format_of
from clearance.cli.app import (
    CountryColumnOption,
    DobColumnOption,
    JsonOption,
    LimitOption,
    NameColumnOption,
    ThresholdOption,
    TypeColumnOption,
    app,
    err,
    facade,
    notice,
    out,
    print_json,
    print_warnings,
    register_app,
)
from clearance.matching.batch import Columns
from clearance.register import Register, Rescreen


@register_app.command("load")
def load(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="CSV (delimiter and encoding sniffed), JSON lines (.jsonl, .ndjson) or Parquet (.parquet); "
            "columns id,name[,type,dob,country].",
        ),
    ],
    name_column: NameColumnOption = None,
    country_column: CountryColumnOption = None,
    dob_column: DobColumnOption = None,
    id_column: Annotated[
        str | None, typer.Option("--id-column", help="Column of the subject's id [default: id]; required.")
    ] = None,
    type_column: TypeColumnOption = None,
    as_json: JsonOption = False,
) -> None:
    """Make the register hold the subjects of a file: new, changed and removed subjects are counted."""
    named = {"name": name_column, "country": country_column, "dob": dob_column, "id": id_column, "type": type_column}
    columns = Columns({"id": "id"} | {field: column for field, column in named.items() if column is not None})
    with facade() as clearance, Register.open(clearance.settings.home) as register:
        report = register.load(input_path, columns, warn=lambda text: print_warnings((text,)))
    if as_json:
        print_json(report.to_json())
        return
    out.print(
        f"{report.subjects:,} subjects from {report.path}: {report.new:,} new, {report.changed:,} changed, "
        f"{report.removed:,} removed, {report.unchanged:,} unchanged"
    )


@register_app.command("status")
def status(as_json: JsonOption = False) -> None:
    """Subjects, those due for a screening, alerts, and the list version last screened against."""
    with facade() as clearance, Register.open(clearance.settings.home, create=False) as register:
        found = register.status()
    if as_json:
        print_json(found)
        return
    _print_status(found)


def _print_status(found: dict[str, Any]) -> None:
    table = Table(title="Register", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    table.add_row("file", found["path"])
    table.add_row("subjects", f"{found['subjects']:,}")
    table.add_row("new or changed since screened", f"{found['due']:,}")
    table.add_row("alerts", f"{found['alerts']:,}")
    if load := found["last_load"]:
        table.add_row(
            "last load",
            f"{load['at']}: {load['path']}: {load['new']:,} new, {load['changed']:,} changed, "
            f"{load['removed']:,} removed",
        )
    screened = found["screened"]
    if screened is None:
        table.add_row("screened against", "never: run `clearance rescreen`")
    else:
        snapshots = ", ".join(f"{source} {number}" for source, number in sorted(screened["snapshots"].items()))
        table.add_row("screened against", f"list version {screened['list_version']} ({snapshots}) at {screened['at']}")
        table.add_row("threshold, limit", f"{screened['threshold']}, {screened['limit']}")
    if last := found["last_rescreen"]:
        table.add_row(
            "last rescreen",
            f"{'full' if last['full'] else 'delta'}: {last['screened']:,} screened, {last['new_alerts']:,} new "
            f"alerts, {last['delisted']:,} alerts on delisted entities dropped",
        )
    if full := found["last_full"]:
        table.add_row("last full screening", f"{full['at']} (list version {full['list_version']})")
    out.print(table)


@app.command("rescreen")
def rescreen(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the new alerts: JSON lines, CSV or Parquet by its suffix or --format; "
            "standard output without it.",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format", help="jsonl (one record a subject), csv or parquet (one row a hit).", show_default=False
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Screen every subject, not only those a change can touch.")
    ] = False,
    threshold: ThresholdOption = None,
    limit: LimitOption = 10,
) -> None:
    """Screen the register after a list update: new and changed subjects, and those sharing a key with an entity
    added, changed or removed; write only the new alerts."""
    chosen = output_format_of(output, output_format)
    with facade() as clearance, Register.open(clearance.settings.home, create=False) as register:
        job = Rescreen(clearance, register, threshold, limit, full, notify=notice)
        with batch_writer(output, chosen) as write:
            report = job.run(write)
        job.commit()
    how = "full" if report.full else "delta"
    err.print(f"{how} screening: {report.why}")
    summary = (
        f"screened {report.screened:,} of {report.subjects:,} subjects against list version {report.list_version} "
        f"into {output or 'standard output'}: {report.new_alerts:,} new alerts on "
        f"{report.subjects_with_new_alerts:,} subjects"
    )
    if report.delisted:
        summary += f"; {report.delisted:,} alerts on delisted entities dropped"
    if report.errors:
        summary += f"; {report.errors:,} subjects could not be screened (their errors are in the output)"
    err.print(summary)
