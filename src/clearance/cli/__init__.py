"""The `clearance` command: a thin shell over the facade (`clearance.app.Clearance`)."""

from clearance.cli import audit, cases, goods, keys, lists, register, screening, service, users
from clearance.cli.app import app, audit_app, cases_app, lists_app, main, register_app, users_app

__all__ = [
    "app",
    "audit",
    "audit_app",
    "cases",
    "cases_app",
    "goods",
    "keys",
    "lists",
    "lists_app",
    "main",
    "register",
    "register_app",
    "screening",
    "service",
    "users",
    "users_app",
]
