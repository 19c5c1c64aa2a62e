"""The `clearance` command's shared parts: the Typer apps, the consoles, the facade and the options.

Commands translate arguments into facade calls and results into tables or JSON;
every `ClearanceError` becomes one line on stderr and exit code 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from clearance.app import Clearance
from clearance.errors import ClearanceError
from clearance.matching import DEFAULT_THRESHOLD
from clearance.model import EntityKind
from clearance.settings import Settings

app = typer.Typer(
    help="Sanctions and export-control screening against the official lists.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
lists_app = typer.Typer(help="Official lists: update, load, inspect, compare and export.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")
cases_app = typer.Typer(
    help="Cases of recorded screenings: list, show, assign, comment, decide, approve.", no_args_is_help=True
)
app.add_typer(cases_app, name="cases")
audit_app = typer.Typer(help="The hash-chained audit trail: verify, anchor, export, replay.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
register_app = typer.Typer(
    help="The customer register: load it, see its status; `rescreen` screens it.", no_args_is_help=True
)
app.add_typer(register_app, name="register")
users_app = typer.Typer(help="Users of the review page: add, list, disable, password.", no_args_is_help=True)
app.add_typer(users_app, name="users")

# Names and text come from users and lists: no markup, no emoji codes, no highlighting, so "[/]" or ":x:"
# in a name is printed as written. Deliberate styles are `rich.text.Text` styles, never markup strings.
out = Console(highlight=False, soft_wrap=True, emoji=False, markup=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False, markup=False)
if not out.is_terminal:
    out.width = 200  # piped output: keep table rows on one line each, for grep and logs

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
KindOption = Annotated[
    EntityKind | None, typer.Option("--type", help="person, organization, vessel or aircraft.", case_sensitive=False)
]
ThresholdOption = Annotated[
    float | None,
    typer.Option("--threshold", min=0.0, max=1.0, help=f"Lowest score reported (default {DEFAULT_THRESHOLD})."),
]
LimitOption = Annotated[int, typer.Option("--limit", min=1, help="Most hits reported per party.")]
# Where a file of parties keeps each field (`screen-batch`, `register load`); `--id-column` says more per command.
NameColumnOption = Annotated[str | None, typer.Option("--name-column", help="Column of the name [default: name].")]
CountryColumnOption = Annotated[
    str | None, typer.Option("--country-column", help="Column of the country [default: country].")
]
DobColumnOption = Annotated[
    str | None, typer.Option("--dob-column", help="Column of the date of birth [default: dob].")
]
TypeColumnOption = Annotated[
    str | None, typer.Option("--type-column", help="Column of the party type [default: type].")
]
StrictOption = Annotated[
    bool | None,
    typer.Option(
        "--strict/--no-strict", help="Exit 4 when the result has warnings: a list missing or stale (CLEARANCE_STRICT)."
    ),
]
FailOnHitOption = Annotated[bool, typer.Option("--fail-on-hit", help="Exit 3 when anything is found.")]
RecordOption = Annotated[
    bool,
    typer.Option(
        "--record",
        help="Record the screening in the case database; hits in the review band open cases "
        "(CLEARANCE_RECORD records every screening).",
    ),
]

HIT_EXIT = 3
"""Exit code of a screening command given `--fail-on-hit` that found something."""
WARNING_EXIT = 4
"""Exit code of a screening command given `--strict` whose result has warnings (and of `lists status --check`)."""


def main() -> None:
    """Entry point: run the app, turning clearance's own errors into one line and exit code 1."""
    try:
        app()
    except ClearanceError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        sys.exit(1)


def notice(message: str) -> None:
    err.print(f"notice: {message}", markup=False, soft_wrap=True)


@contextmanager
def facade(settings: Settings | None = None, *, record: bool = False) -> Iterator[Clearance]:
    """The facade over the settings of the environment (read once, here); `record` records its screenings
    whatever `CLEARANCE_RECORD` says."""
    chosen = settings or Settings.from_env()
    if record and not chosen.record:
        chosen = replace(chosen, record=True)
    with Clearance(chosen, notify=notice) as opened:
        yield opened


@contextmanager
def progress(total: int | None, label: str, unit: str | None = None) -> Iterator[Callable[..., None]]:
    """A progress bar on a terminal; nothing when output is piped or in CI. With `unit` (such as "rows"), it
    shows the rate and the time left too; the function it gives takes the count done and, when it has
    changed, the new total (None: the rate alone)."""
    columns: list[ProgressColumn] = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if unit is not None:
        columns += [_RateColumn(unit), TimeRemainingColumn()]
    columns.append(TimeElapsedColumn())
    with Progress(*columns, console=err, disable=not err.is_terminal, transient=True) as bar:
        task = bar.add_task(label, total=total)

        def update(done: int, new_total: int | None = total) -> None:
            bar.update(task, completed=done, total=new_total)

        yield update


class _RateColumn(ProgressColumn):
    """Items a second, over the bar's recent updates."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} {self.unit}/s" if speed else f"- {self.unit}/s")


def print_warnings(warnings: tuple[str, ...]) -> None:
    """What a result does not cover or how stale its lists are, on stderr, so piped output stays the result."""
    for warning in warnings:
        err.print(f"warning: {warning}", markup=False, soft_wrap=True)


def finish(
    clearance: Clearance, warnings: tuple[str, ...], found: bool, strict: bool | None, fail_on_hit: bool
) -> None:
    """The exit code a pipeline acts on: a hit (if asked) before incomplete coverage (if strict) before success.

    Without `--strict` or `--no-strict`, the setting the facade was opened with decides."""
    if fail_on_hit and found:
        raise typer.Exit(HIT_EXIT)
    if warnings and (clearance.settings.strict if strict is None else strict):
        raise typer.Exit(WARNING_EXIT)


def print_json(data: Any) -> None:
    """A result model exactly as declared, or plain JSON data: indented on a terminal, compact in a pipe.

    Written as bytes straight from the serializer, never through the console's renderer: a large result
    (the mentions in 1 MB of text) would otherwise be held as several copies of some tens of MB.
    """
    indent = 2 if sys.stdout.isatty() else None
    if isinstance(data, BaseModel):
        encoded = type(data).__pydantic_serializer__.to_json(data, indent=indent)  # as model_dump_json, as bytes
    else:
        encoded = json.dumps(data, ensure_ascii=False, default=str, indent=indent).encode()
    sys.stdout.flush()
    sys.stdout.buffer.write(encoded + b"\n")
    sys.stdout.buffer.flush()
