"""What every parser owes the store, checked on the newest real file of each source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.model import Entity


@pytest.mark.parametrize("name", list(SOURCES))
def test_parsed_entities_are_well_formed(name: str, lists_dir: Path) -> None:
    source = SOURCES[name]
    parsed = source.parse(mirror_path(lists_dir, name))
    assert parsed.source == name
    assert parsed.entities and all(path.is_file() for path in parsed.files)
    ids = [entity.id for entity in parsed.entities]
    assert len(ids) == len(set(ids))
    for entity in parsed.entities:
        assert entity.source == name
        assert Entity.model_validate_json(json.dumps(entity.to_json())) == entity
    if parsed.published is not None:
        assert parsed.published.tzinfo is not None
