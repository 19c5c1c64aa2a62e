"""Screening a file of parties: one result record per input row, in input order.

A bad row becomes an error record for that row and the batch goes on: one
malformed line must not stop the screening of a million good ones.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clearance.errors import ClearanceError
from clearance.matching.screener import Party, Screener
from clearance.model import KIND_WORDS

COLUMNS = ("id", "name", "type", "dob", "country")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a batch CSV (UTF-8, header with at least `id` and `name`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClearanceError(f"{path}: not UTF-8 at byte {exc.start}") from None
    except OSError as exc:
        raise ClearanceError(f"{path}: cannot read: {exc.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    header = [column.strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in ("id", "name") if column not in header]
    if missing:
        raise ClearanceError(f"{path}: missing column(s) {', '.join(missing)} in the header {header}")
    reader.fieldnames = header
    return [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]


def party_of(row: dict[str, str]) -> Party:
    """The party a batch row describes; a ClearanceError naming the field when it cannot be read."""
    kind_text = row.get("type", "").strip().lower()
    if kind_text and kind_text not in KIND_WORDS:
        raise ClearanceError(f"type: unknown {kind_text!r} (person, organization, vessel, aircraft)")
    return Party(
        name=row.get("name", ""),
        kind=KIND_WORDS.get(kind_text),
        dob=row.get("dob", "").strip() or None,
        country=row.get("country", "").strip() or None,
    )


def screen_rows(
    screener: Screener, rows: list[dict[str, str]], threshold: float | None, limit: int
) -> Iterator[dict[str, Any]]:
    """One record per row: `{"id", "hits": [...]}` or `{"id", "error"}`."""
    for line, row in enumerate(rows, start=2):
        row_id = row.get("id", "").strip() or f"line {line}"
        try:
            hits = screener.screen(party_of(row), threshold=threshold, limit=limit)
        except ClearanceError as exc:
            yield {"id": row_id, "error": f"line {line}: {exc}"}
            continue
        yield {"id": row_id, "hits": [hit.to_json() for hit in hits]}
