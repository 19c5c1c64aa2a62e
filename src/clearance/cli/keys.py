"""`clearance keys ...`: the HTTP service's API keys, in the same home as the lists."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from clearance.cli.app import JsonOption, app, err, out, print_json
from clearance.service.keys import KeyStore, Role
from clearance.settings import Settings

keys_app = typer.Typer(
    help="API keys of the HTTP service (`clearance serve`): create, list, revoke.", no_args_is_help=True
)
app.add_typer(keys_app, name="keys")


def _store() -> KeyStore:
    settings = Settings.from_env()
    return KeyStore.of_home(settings.home, timeout=settings.lock_timeout)


@keys_app.command("create")
def keys_create(
    role: Annotated[
        Role, typer.Option("--role", case_sensitive=False, help="screen: screening and lists; admin: updates too.")
    ],
    label: Annotated[str, typer.Option("--label", help="Whose key it is, for `keys list`.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Create a key and print it, once: only its hash is stored. Running services accept it within seconds."""
    with _store() as store:
        key, secret = store.create(role, label)
    if as_json:
        print_json({**key.to_json(), "key": secret})
        return
    out.print(secret)
    err.print(f"created API key {key.id} ({key.role.value}): it is shown this once only; keep it now")


@keys_app.command("list")
def keys_list(as_json: JsonOption = False) -> None:
    """Every key, revoked ones too: id, role, label and dates; never a key itself."""
    with _store() as store:
        keys = store.keys()
    if as_json:
        print_json([key.to_json() for key in keys])
        return
    if not keys:
        err.print("no API keys: `clearance keys create --role screen` makes one")
        return
    table = Table("id", "role", "label", "created", "revoked")
    for key in keys:
        table.add_row(
            key.id,
            key.role.value,
            key.label,
            f"{key.created_at:%Y-%m-%d %H:%M} UTC",
            f"{key.revoked_at:%Y-%m-%d %H:%M} UTC" if key.revoked_at else "",
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(metavar="ID", help="The key's id (or the key itself).")]) -> None:
    """Revoke a key: running services refuse it within seconds. It stays listed, as revoked."""
    with _store() as store:
        key = store.revoke(key_id)
    label = f" ({key.label})" if key.label else ""
    out.print(f"revoked API key {key.id}{label} at {key.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
