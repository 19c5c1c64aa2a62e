"""The `clearance` command: a thin shell over the facade (`clearance.app.Clearance`)."""

from clearance.cli import goods, keys, lists, screening, service
from clearance.cli.app import app, lists_app, main

__all__ = ["app", "goods", "keys", "lists", "lists_app", "main", "screening", "service"]
