"""`clearance cases ...`: the cases recorded screenings opened, and the reviewer's actions on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from clearance.cli.app import JsonOption, cases_app, facade, out, print_json
from clearance.errors import InputError

if TYPE_CHECKING:
    from clearance.cases.models import CaseDetail, CaseStatus, CaseSummary, DecisionKind

CaseId = Annotated[str, typer.Argument(metavar="ID", help="The case's number.")]
ByOption = Annotated[str | None, typer.Option("--by", help="Who acts (default: CLEARANCE_USER, else the login name).")]


def _case_id(text: str) -> int:
    if not text.strip().isdigit():
        raise InputError(f"case id: {text!r} is not a case number")
    return int(text)


def _status(text: str | None) -> CaseStatus | None:
    from clearance.cases.models import CaseStatus

    if text is None:
        return None
    try:
        return CaseStatus(text.strip().lower().replace(" ", "_"))
    except ValueError:
        raise InputError(f"--status: {text!r} is not {', '.join(s.value for s in CaseStatus)}") from None


def _decision(text: str) -> DecisionKind:
    from clearance.cases.models import DecisionKind

    try:
        return DecisionKind.parse(text)
    except ValueError as exc:
        raise InputError(f"--{exc}") from None


@cases_app.command("list")
def list_cases(
    status: Annotated[
        str | None, typer.Option("--status", help="open, in_review, pending_approval or decided.")
    ] = None,
    assignee: Annotated[str | None, typer.Option("--assignee", help="Only this reviewer's cases.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most cases listed, oldest first.")] = 1000,
    as_json: JsonOption = False,
) -> None:
    """Cases, oldest first: status, decision, subject, alerts, best score, assignee and age."""
    chosen = _status(status)
    with facade() as clearance:
        found = clearance.cases.workflow.list_cases(chosen, assignee, limit)
    if as_json:
        print_json([case.model_dump(mode="json") for case in found])
        return
    _print_cases(found)


def _print_cases(found: list[CaseSummary]) -> None:
    if not found:
        out.print("No cases.")
        return
    table = Table(title="Cases", title_justify="left")
    for column in ("id", "status", "decision", "subject", "alerts", "best", "assignee", "age (days)"):
        table.add_column(column, overflow="fold")
    for case in found:
        table.add_row(
            str(case.id),
            case.status.value,
            case.decision.value if case.decision else "-",
            Text(case.label),
            str(case.alerts),
            f"{case.top_score:.2f}" if case.top_score is not None else "-",
            Text(case.assignee or "-"),
            f"{case.age_days:.2f}",
        )
    out.print(table)


@cases_app.command("show")
def show(case_id: CaseId, as_json: JsonOption = False) -> None:
    """One case: its alerts, decisions, comments and every audit record of it."""
    number = _case_id(case_id)
    with facade() as clearance:
        case = clearance.cases.workflow.show(number)
    if as_json:
        print_json(case)
        return
    _print_case(case)


def _print_case(case: CaseDetail) -> None:
    decision = f", {case.decision.value}" if case.decision else ""
    out.print(Text(f"Case {case.id}: {case.label} ({case.kind}), {case.status.value.replace('_', ' ')}{decision}"))
    out.print(
        Text(
            f"subject {case.subject}; opened {case.opened_at.isoformat()}, {case.age_days:.2f} days; "
            f"assignee {case.assignee or '-'}"
        )
    )
    if case.needs_approval:
        out.print(Text("four eyes: a true match, or a false positive here, needs a second user's approval"))
    table = Table(title="Alerts", title_justify="left")
    for column in ("alert", "score", "entity", "list / programmes", "matched", "status"):
        table.add_column(column, overflow="fold")
    for alert in case.alert_list:
        status = alert.status.value
        if alert.reopens is not None:
            status += f" (re-opens decision {alert.reopens})"
        table.add_row(
            str(alert.id),
            f"{alert.score:.2f}",
            Text(f"{alert.name}\n{alert.entity_id}"),
            Text(" / ".join(x for x in (alert.source, ", ".join(alert.programmes)) if x)),
            Text(alert.matched),
            Text(status),
        )
    out.print(table)
    for made in case.decisions:
        line = f"decision {made.id}: {made.decision.value} by {made.decided_by} ({made.state.value}): {made.reason}"
        if made.approved_by:
            line += f"; approved by {made.approved_by}"
        if made.rejected_by:
            line += f"; rejected by {made.rejected_by}: {made.rejection}"
        out.print(Text(line))
    for comment in case.comments:
        out.print(Text(f"comment by {comment.author} at {comment.at.isoformat()}: {comment.body}"))
    for event in case.events:
        out.print(Text(f"audit {event.seq}: {event.at.isoformat()} {event.actor} {event.event}", style="dim"))


def _by(clearance_user: str, by: str | None) -> str:
    return clearance_user if by is None else by


@cases_app.command("decide")
def decide(
    case_id: CaseId,
    decision: Annotated[str, typer.Option("--decision", help="false_positive, true_match or escalate.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: every decision needs one.")],
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Decide a case's open alerts; a true match, or a false positive on a high-risk programme, then waits
    for a second user's approval."""
    number, kind = _case_id(case_id), _decision(decision)
    with facade() as clearance:
        case = clearance.cases.workflow.decide(number, kind, reason, _by(clearance.settings.user, by))
    _print_result(case, as_json)


@cases_app.command("approve")
def approve(case_id: CaseId, by: ByOption = None, as_json: JsonOption = False) -> None:
    """Approve a case's pending decision as the second user: it becomes final."""
    number = _case_id(case_id)
    with facade() as clearance:
        case = clearance.cases.workflow.approve(number, _by(clearance.settings.user, by))
    _print_result(case, as_json)


@cases_app.command("reject")
def reject(
    case_id: CaseId,
    reason: Annotated[str, typer.Option("--reason", help="Why the decision does not stand.")],
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a case's pending decision as the second user: the case goes back into review."""
    number = _case_id(case_id)
    with facade() as clearance:
        case = clearance.cases.workflow.reject(number, reason, _by(clearance.settings.user, by))
    _print_result(case, as_json)


@cases_app.command("assign")
def assign(
    case_id: CaseId,
    to: Annotated[str, typer.Option("--to", help="The reviewer.")],
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Assign an undecided case to a reviewer; an open case goes into review."""
    number = _case_id(case_id)
    with facade() as clearance:
        case = clearance.cases.workflow.assign(number, to, _by(clearance.settings.user, by))
    _print_result(case, as_json)


@cases_app.command("comment")
def comment(
    case_id: CaseId,
    body: Annotated[str, typer.Argument(metavar="TEXT", help="The comment.")],
    by: ByOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a comment to a case."""
    number = _case_id(case_id)
    with facade() as clearance:
        case = clearance.cases.workflow.comment(number, body, _by(clearance.settings.user, by))
    _print_result(case, as_json)


def _print_result(case: CaseDetail, as_json: bool) -> None:
    if as_json:
        print_json(case)
        return
    decision = f", {case.decision.value}" if case.decision else ""
    out.print(Text(f"case {case.id}: {case.status.value.replace('_', ' ')}{decision}"))
