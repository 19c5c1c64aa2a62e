"""Users and sessions of the review page, on both case databases, and `clearance users`."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearance.cases.database import migrations
from clearance.cases.store import CaseStore
from clearance.cases.users import LOCKOUT_FAILURES, LOCKOUT_MINUTES, LoginFailed, UserRole, Users, token_digest
from clearance.cli import app as cli
from clearance.errors import ClearanceError, ConflictError, InputError, NotFoundError
from tests.web.conftest import PASSWORD


class Clock:
    def __init__(self) -> None:
        self.at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.at


def test_users_log_in_hold_a_session_until_it_expires_and_log_out(case_url: str) -> None:
    clock = Clock()
    with CaseStore(case_url) as store:
        assert store.db.schema_version == len(migrations()) == 2
        users = Users(store.db, session_hours=8, now=clock)
        alice = users.add("alice", UserRole.ANALYST, PASSWORD)
        assert alice.role is UserRole.ANALYST and alice.active
        token, session = users.login("alice", PASSWORD)
        assert session.user.name == "alice" and session.expires_at == clock.at + dt.timedelta(hours=8)
        assert users.session(token) == session.__class__(session.user, session.csrf_token, session.expires_at)
        assert session.csrf_ok(session.csrf_token) and not session.csrf_ok("") and not session.csrf_ok(None)
        with store.read() as tx:  # only the token's digest is kept, and only the password's Argon2id hash
            assert tx.one("SELECT COUNT(*) FROM sessions WHERE token_sha256 = ?", (token_digest(token),)) == (1,)
            hashed = tx.one("SELECT password_hash FROM users WHERE name = 'alice'")
        assert hashed and str(hashed[0]).startswith("$argon2id$") and PASSWORD not in str(hashed[0])
        clock.at += dt.timedelta(hours=8)
        assert users.session(token) is None  # expired
        token, _ = users.login("alice", PASSWORD)
        users.logout(token)
        assert users.session(token) is None  # revoked


def test_a_failed_login_says_the_same_whatever_was_wrong(case_url: str) -> None:
    with CaseStore(case_url) as store:
        users = Users(store.db)
        users.add("bob", UserRole.APPROVER, PASSWORD)
        messages = set()
        for name, password in (("bob", "wrong password!!"), ("nobody", PASSWORD), ("bob", ""), ("", "")):
            with pytest.raises(LoginFailed) as failed:
                users.login(name, password)
            messages.add(str(failed.value))
        assert messages == {"wrong user name or password"}


def test_disabling_a_user_ends_their_sessions_and_refuses_their_logins(case_url: str) -> None:
    with CaseStore(case_url) as store:
        users = Users(store.db)
        users.add("carol", UserRole.ADMIN, PASSWORD)
        token, _ = users.login("carol", PASSWORD)
        assert users.disable("carol").disabled_at is not None
        assert users.session(token) is None
        with pytest.raises(LoginFailed):
            users.login("carol", PASSWORD)
        users.set_password("carol", "another long password")
        with pytest.raises(LoginFailed):
            users.login("carol", "another long password")


def test_bad_names_passwords_and_duplicates_are_refused(case_url: str) -> None:
    with CaseStore(case_url) as store:
        users = Users(store.db)
        with pytest.raises(InputError, match="^password: too short"):
            users.add("dave", UserRole.ANALYST, "short")
        with pytest.raises(InputError, match="^user name:"):
            users.add("dave smith", UserRole.ANALYST, PASSWORD)
        users.add("dave", UserRole.ANALYST, PASSWORD)
        with pytest.raises(ConflictError, match="user dave exists already"):
            users.add("dave", UserRole.APPROVER, PASSWORD)
        with pytest.raises(NotFoundError, match="no user 'erin'"):
            users.disable("erin")


def users_cli(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Exit code, stdout, and stderr with the message `clearance` prints for an error it raises."""
    result = CliRunner().invoke(cli, ["users", *args], input=stdin, env={"CLEARANCE_HOME": str(home)})
    failure = f"error: {result.exception}" if isinstance(result.exception, ClearanceError) else ""
    return result.exit_code, result.stdout, result.stderr + failure


def test_the_users_command_adds_lists_and_disables(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, _, said = users_cli(home, "add", "alice", "--role", "approver", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 0 and "added user alice (approver)" in said
    code, _, said = users_cli(home, "add", "bob", "--role", "boss", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1 and "--role: 'boss' is not analyst, approver, admin" in said
    code, _, said = users_cli(home, "add", "bob", "--role", "analyst", "--password-stdin", stdin="\n")
    assert code == 1 and "no password on standard input" in said
    code, shown, _ = users_cli(home, "list")
    assert code == 0 and "alice" in shown and "approver" in shown and PASSWORD not in shown
    code, _, said = users_cli(home, "disable", "alice")
    assert code == 0 and "disabled user alice" in said
    code, _, said = users_cli(home, "disable", "zed")
    assert code == 1 and "no user 'zed'" in said
    with sqlite3.connect(home / "cases.sqlite") as db:
        assert db.execute("SELECT name, role, disabled_at IS NOT NULL FROM users").fetchall() == [
            ("alice", "approver", 1)
        ]


def test_wrong_passwords_in_a_row_lock_logins_for_a_while(case_url: str) -> None:
    clock = Clock()
    with CaseStore(case_url) as store:
        users = Users(store.db, now=clock)
        users.add("carol", UserRole.ANALYST, PASSWORD)
        for _ in range(LOCKOUT_FAILURES - 1):
            with pytest.raises(LoginFailed):
                users.login("carol", "not the password")
        users.login("carol", PASSWORD)  # a right password resets the count
        for _ in range(LOCKOUT_FAILURES):
            with pytest.raises(LoginFailed):
                users.login("carol", "not the password")
        with pytest.raises(LoginFailed, match="wrong user name or password"):  # locked: the right one fails too
            users.login("carol", PASSWORD)
        clock.at += dt.timedelta(minutes=LOCKOUT_MINUTES)
        users.login("carol", PASSWORD)
        for _ in range(LOCKOUT_FAILURES):  # a lock that has run out is no protection spent: it locks again
            with pytest.raises(LoginFailed):
                users.login("carol", "not the password")
        with pytest.raises(LoginFailed):
            users.login("carol", PASSWORD)
