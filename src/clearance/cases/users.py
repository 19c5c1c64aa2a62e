"""Users of the review page and their sessions, kept in the case database beside the cases they act on.

A password is kept as its Argon2id hash (argon2-cffi, with its default parameters: 64 MiB, three
passes), slow and memory-hard on purpose, since passwords are few bits of human choice. A login
makes a session: a random 256-bit token that only the browser's cookie holds; the database keeps
the token's SHA-256 (a fast hash suffices for a random secret, as for API keys), its expiry, and a
CSRF token that every form of the session must send back. Logging out, or disabling the user,
revokes the session at once. A failed login says only that the name or the password is wrong, and
costs the same whether or not the user exists. `LOCKOUT_FAILURES` wrong passwords in a row lock a
user's logins for `LOCKOUT_MINUTES`, right password or not, so a guesser gets a handful of tries an
hour instead of as many as Argon2 allows; the message stays the same, so the lock tells nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from clearance.cases.audit import stamp
from clearance.cases.database import Database, Row
from clearance.cases.models import View
from clearance.errors import ConflictError, InputError, NotFoundError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 12
"""Shortest password accepted, in characters."""
MAX_PASSWORD = 1_000
"""Longest password accepted: Argon2 hashes any length, but a megabyte of password is an attack, not a secret."""
LOCKOUT_FAILURES = 5
"""Wrong passwords in a row that lock a user's logins."""
LOCKOUT_MINUTES = 15
"""How long such a lock lasts; a right password after it resets the count."""
SESSION_HOURS = 8.0
"""How long a session lasts from its login, unless `CLEARANCE_REVIEW_SESSION_HOURS` says otherwise."""


class UserRole(StrEnum):
    ANALYST = "analyst"
    """Reviews cases: takes them up, assigns, comments and decides."""
    APPROVER = "approver"
    """As an analyst, and approves or rejects another user's pending decision (four eyes)."""
    ADMIN = "admin"
    """Every action."""

    @property
    def may_approve(self) -> bool:
        return self is not UserRole.ANALYST


class LoginFailed(InputError):
    """A login refused: one message whatever was wrong, so a failure tells nobody which names exist."""

    code = "login_failed"

    def __init__(self) -> None:
        super().__init__("wrong user name or password")


class User(View):
    id: int
    name: str
    role: UserRole
    created_at: dt.datetime
    disabled_at: dt.datetime | None
    last_login_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True)
class Session:
    """A live session: whose, until when, and the CSRF token its forms carry."""

    user: User
    csrf_token: str
    expires_at: dt.datetime

    def csrf_ok(self, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf_token.encode(), (sent or "").encode())


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _time(text: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(str(text)) if text else None


USER_COLUMNS = "u.id, u.name, u.role, u.created_at, u.disabled_at, u.last_login_at"


def _user(row: Row) -> User:
    uid, name, role, created, disabled, last = row[:6]
    return User(
        id=int(uid),
        name=name,
        role=UserRole(role),
        created_at=dt.datetime.fromisoformat(str(created)),
        disabled_at=_time(disabled),
        last_login_at=_time(last),
    )


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise InputError(
            f"user name: {name[:70]!r} is not 1 to 64 letters, digits and . _ @ - (starting with a letter or digit)"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password: too short ({len(password)} characters; at least {MIN_PASSWORD})")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"password: too long (at most {MAX_PASSWORD:,} characters)")
    return password


class Users:
    """The users and sessions of one case database."""

    def __init__(
        self,
        db: Database,
        session_hours: float = SESSION_HOURS,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.db = db
        self.session_hours = session_hours
        self.now = now
        self.hasher = PasswordHasher()
        self._dummy = self.hasher.hash(secrets.token_urlsafe(16))
        """Verified against when a name is unknown, so that a miss costs what a wrong password does."""

    # -- managing users ------------------------------------------------------------------

    def add(self, name: str, role: UserRole, password: str) -> User:
        name, password = check_name(name), check_password(password)
        hashed = self.hasher.hash(password)
        with self.db.write() as tx:
            if tx.one("SELECT 1 FROM users WHERE name = ?", (name,)) is not None:
                raise ConflictError(f"user {name} exists already")
            tx.run(
                "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, role.value, hashed, stamp(self.now())),
            )
        return self.get(name)

    def get(self, name: str) -> User:
        with self.db.read() as tx:
            row = tx.one(f"SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?", (name,))
        if row is None:
            raise NotFoundError(f"no user {name!r}: `clearance users list` shows them")
        return _user(row)

    def all(self) -> list[User]:
        with self.db.read() as tx:
            return [_user(row) for row in tx.all(f"SELECT {USER_COLUMNS} FROM users u ORDER BY u.name")]

    def disable(self, name: str) -> User:
        """Disable a user: no login from now on, and every session of theirs ends at once."""
        at = stamp(self.now())
        with self.db.write() as tx:
            row = tx.one("SELECT id FROM users WHERE name = ?", (name,))
            if row is None:
                raise NotFoundError(f"no user {name!r}: `clearance users list` shows them")
            tx.run("UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?", (at, row[0]))
            tx.run("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", (at, row[0]))
        return self.get(name)

    def set_password(self, name: str, password: str) -> User:
        """A new password; the user's sessions end, so a stolen one does not outlive the change."""
        hashed = self.hasher.hash(check_password(password))
        at = stamp(self.now())
        with self.db.write() as tx:
            row = tx.one("SELECT id FROM users WHERE name = ?", (name,))
            if row is None:
                raise NotFoundError(f"no user {name!r}: `clearance users list` shows them")
            tx.run("UPDATE users SET password_hash = ? WHERE id = ?", (hashed, row[0]))
            tx.run("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", (at, row[0]))
        return self.get(name)

    # -- sessions ------------------------------------------------------------------------

    def login(self, name: str, password: str) -> tuple[str, Session]:
        """A new session for a right name and password of an enabled user, and its token (for the cookie only)."""
        with self.db.read() as tx:
            row = tx.one(
                f"SELECT {USER_COLUMNS}, u.password_hash, u.locked_until FROM users u WHERE u.name = ?",
                (name.strip(),),
            )
        now = self.now()
        locked = row is not None and row[7] is not None and dt.datetime.fromisoformat(str(row[7])) > now
        if row is None or locked or len(password) > MAX_PASSWORD:
            self._verify(self._dummy, password[:MAX_PASSWORD])
            raise LoginFailed()
        user, hashed = _user(row), str(row[6])
        if not self._verify(hashed, password):
            self._failed(user.id, now)
            raise LoginFailed()
        if not user.active:
            raise LoginFailed()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        expires = now + dt.timedelta(hours=self.session_hours)
        rehashed = self.hasher.hash(password) if self.hasher.check_needs_rehash(hashed) else hashed
        with self.db.write() as tx:
            tx.run(
                "INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, expires_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (token_digest(token), user.id, csrf, stamp(now), stamp(expires)),
            )
            tx.run(
                "UPDATE users SET last_login_at = ?, password_hash = ?, failed_logins = 0, locked_until = NULL"
                " WHERE id = ?",
                (stamp(now), rehashed, user.id),
            )
            tx.run("DELETE FROM sessions WHERE user_id = ? AND expires_at < ?", (user.id, stamp(now)))
        return token, Session(user.model_copy(update={"last_login_at": now}), csrf, expires)

    def _failed(self, user_id: int, now: dt.datetime) -> None:
        """Count a wrong password; the one that makes `LOCKOUT_FAILURES` in a row locks the user's logins."""
        until = stamp(now + dt.timedelta(minutes=LOCKOUT_MINUTES))
        with self.db.write() as tx:
            tx.run(  # the right-hand sides read the row as it was: both columns move on the same count
                "UPDATE users SET locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END,"
                " failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END WHERE id = ?",
                (LOCKOUT_FAILURES, until, LOCKOUT_FAILURES, user_id),
            )

    def session(self, token: str | None) -> Session | None:
        """The live session of a cookie's token: None when unknown, expired, revoked, or its user disabled."""
        if not token or len(token) > 200:
            return None
        with self.db.read() as tx:
            row = tx.one(
                f"SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id"
                " WHERE s.token_sha256 = ? AND s.revoked_at IS NULL AND u.disabled_at IS NULL",
                (token_digest(token),),
            )
        if row is None:
            return None
        expires = dt.datetime.fromisoformat(str(row[7]))
        if expires <= self.now():
            return None
        return Session(_user(row), str(row[6]), expires)

    def logout(self, token: str) -> None:
        with self.db.write() as tx:
            tx.run(
                "UPDATE sessions SET revoked_at = ? WHERE token_sha256 = ? AND revoked_at IS NULL",
                (stamp(self.now()), token_digest(token)),
            )

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return self.hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False
