"""The published result models: their JSON Schemas in docs/ are the ones the code declares."""

from __future__ import annotations

import json
from pathlib import Path

from clearance.results import schemas

SCHEMAS = Path(__file__).resolve().parents[1] / "docs" / "schemas"


def test_the_published_schemas_are_current() -> None:
    declared = schemas()
    assert {"party.schema.json", "text.schema.json", "payment.schema.json"} <= set(declared)
    stale = [
        name
        for name, schema in declared.items()
        if not (SCHEMAS / name).is_file() or json.loads((SCHEMAS / name).read_text(encoding="utf-8")) != schema
    ]
    assert not stale, f"regenerate with `python -m clearance.results docs/schemas`: {stale}"


def test_every_result_records_how_it_was_screened() -> None:
    for name, schema in schemas().items():
        if name == "classification.schema.json":
            continue
        for field in ("algorithm", "config", "threshold", "list_version", "warnings", "screened_at"):
            assert field in schema["properties"], (name, field)
