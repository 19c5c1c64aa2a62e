"""The algorithm as data: every tuning constant declared once, described, and part of the config digest."""

from __future__ import annotations

from clearance.matching import ALGORITHM, DEFAULT_THRESHOLD
from clearance.matching.config import CURRENT, MatchingConfig


def test_every_constant_says_what_it_means() -> None:
    fields = MatchingConfig.model_fields
    assert len(fields) >= 25
    for name, field in fields.items():
        assert field.description and len(field.description) > 20, name


def test_the_current_algorithm_is_the_published_one() -> None:
    assert ALGORITHM == CURRENT.name == "clearance-name-v24"
    assert DEFAULT_THRESHOLD == CURRENT.default_threshold
    assert MatchingConfig.model_validate(CURRENT.config.model_dump()) == CURRENT.config
