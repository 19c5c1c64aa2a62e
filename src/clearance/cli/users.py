"""`clearance users ...`: who may log in to the review page, kept in the case database."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from clearance.cli.app import JsonOption, err, facade, out, print_json, users_app
from clearance.errors import InputError

if TYPE_CHECKING:
    from clearance.cases.users import User, UserRole

NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="The user's login name.")]


def _role(text: str) -> UserRole:
    from clearance.cases.users import UserRole

    try:
        return UserRole(text.strip().lower())
    except ValueError:
        raise InputError(f"--role: {text!r} is not {', '.join(r.value for r in UserRole)}") from None


def _password(from_stdin: bool) -> str:
    """The new password: one line of stdin for scripts, else asked twice without echo on the terminal."""
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise InputError("--password-stdin: no password on standard input")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask the password on: give it on standard input with --password-stdin")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Password again", hide_input=True) != first:
        raise InputError("the two passwords differ")
    return str(first)


def _print_user(user: User, what: str, as_json: bool) -> None:
    if as_json:
        print_json(user)
        return
    err.print(Text(f"{what} user {user.name} ({user.role.value})"))


@users_app.command("add")
def add(
    name: NameArgument,
    role: Annotated[str, typer.Option("--role", help="analyst, approver or admin.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a user; the password is asked twice without echo (or read from standard input), and only its
    Argon2 hash is kept."""
    from clearance.cases.users import Users, check_name

    chosen = _role(role)
    check_name(name)
    password = _password(password_stdin)
    with facade() as clearance:
        user = Users(clearance.cases.store.db).add(name, chosen, password)
    _print_user(user, "added", as_json)


@users_app.command("list")
def list_users(as_json: JsonOption = False) -> None:
    """Every user: role, when added, last login, and whether disabled. Never a password."""
    from clearance.cases.users import Users

    with facade() as clearance:
        found = Users(clearance.cases.store.db).all()
    if as_json:
        print_json([user.model_dump(mode="json") for user in found])
        return
    if not found:
        out.print("No users: `clearance users add NAME --role analyst` adds one.")
        return
    table = Table(title="Users", title_justify="left")
    for column in ("name", "role", "added", "last login", "disabled"):
        table.add_column(column)
    for user in found:
        table.add_row(
            Text(user.name),
            user.role.value,
            user.created_at.isoformat(timespec="seconds"),
            user.last_login_at.isoformat(timespec="seconds") if user.last_login_at else "-",
            user.disabled_at.isoformat(timespec="seconds") if user.disabled_at else "-",
        )
    out.print(table)


@users_app.command("disable")
def disable(name: NameArgument, as_json: JsonOption = False) -> None:
    """Disable a user: no more logins, and their open sessions end at once. Their records stay."""
    from clearance.cases.users import Users

    with facade() as clearance:
        user = Users(clearance.cases.store.db).disable(name)
    _print_user(user, "disabled", as_json)


@users_app.command("password")
def password(
    name: NameArgument,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Set a user's password; their open sessions end."""
    from clearance.cases.users import Users

    new = _password(password_stdin)
    with facade() as clearance:
        user = Users(clearance.cases.store.db).set_password(name, new)
    _print_user(user, "new password for", as_json)
