"""Country names and codes as the lists write them, read into ISO 3166 alpha-2."""

from __future__ import annotations

import pytest

from clearance.countries import to_iso2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Libya", "LY"),
        ("Libyan Arab Jamahiriya", "LY"),
        ("LIBYAN ARAB JAMAHIRIYA.", "LY"),
        ("Socialist People\u2019s Libyan Arab Jamahiriya", "LY"),
        ("Russia", "RU"),
        ("UA-CRI", "UA"),
        ("-0-", None),
        ("Atlantis", None),
        (None, None),
    ],
)
def test_to_iso2(text: str | None, code: str | None) -> None:
    assert to_iso2(text) == code
