"""Who may call: API keys and their roles."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from fastapi import Request


class Role(StrEnum):
    SCREEN = "screen"
    """Screening, search, entities and list status."""
    ADMIN = "admin"
    """All of the above, and list updates and roll-backs."""


@dataclass(frozen=True)
class Caller:
    key_id: str | None
    role: Role


def require(role: Role) -> Callable[[Request], Awaitable[Caller]]:
    async def caller(request: Request) -> Caller:
        found = Caller(key_id=None, role=Role.ADMIN)
        request.state.key_id = found.key_id
        return found

    return caller
