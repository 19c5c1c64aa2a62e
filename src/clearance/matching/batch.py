"""A file of parties to screen: its rows, and the party each row describes.

A row that cannot be read as a party raises `InputError` naming the field, which
batch screening records for that row before it goes on (`Clearance.screen_rows`).
"""

from __future__ import annotations

import csv
from pathlib import Path

from clearance.errors import InputError
from clearance.matching.screener import Party
from clearance.model import KIND_WORDS

COLUMNS = ("id", "name", "type", "dob", "country")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a batch CSV (UTF-8, header with at least `id` and `name`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 at byte {exc.start}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    header = [column.strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in ("id", "name") if column not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} in the header {header}")
    reader.fieldnames = header
    return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]


def party_of(row: dict[str, str]) -> Party:
    """The party a batch row describes; a ClearanceError naming the field when it cannot be read."""
    kind_text = row.get("type", "").strip().lower()
    if kind_text and kind_text not in KIND_WORDS:
        raise InputError(f"type: unknown {kind_text!r} (person, organization, vessel, aircraft)")
    return Party(
        name=row.get("name", ""),
        kind=KIND_WORDS.get(kind_text),
        dob=row.get("dob", "").strip() or None,
        country=row.get("country", "").strip() or None,
    )
