"""Identifier labels as the lists write them, mapped to the model's identifier types."""

from __future__ import annotations

import re

from clearance.model import IdentifierType

_RULES: tuple[tuple[re.Pattern[str], IdentifierType], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"digital currency|crypto|wallet", IdentifierType.CRYPTO),
        (r"\bimo\b|vessel registration", IdentifierType.IMO),
        (r"\bmmsi\b", IdentifierType.MMSI),
        (r"call sign", IdentifierType.CALL_SIGN),
        (r"swift|\bbic\b", IdentifierType.SWIFT_BIC),
        (r"aircraft.*serial|manufacturer.*serial|\bmsn\b", IdentifierType.AIRCRAFT_SERIAL),
        (r"tail number|aircraft.*registration", IdentifierType.AIRCRAFT_TAIL),
        (r"passport", IdentifierType.PASSPORT),
        (r"tax|\binn\b|\bvat\b|fiscal|\btin\b|\bnit\b|\brfc\b|\bcuit\b|\bruc\b", IdentifierType.TAX_ID),
        (
            r"regist|\bogrn\b|\bkpp\b|\bokpo\b|company number|commercial|business|legal entity|\blei\b",
            IdentifierType.REGISTRATION,
        ),
        (
            r"national|\bid\b|identi|cedula|\bcurp\b|\bdni\b|personal|citizen|residen|social security|\bssn\b",
            IdentifierType.NATIONAL_ID,
        ),
    )
)


def identifier_type(label: str) -> IdentifierType:
    """The model's type for a source's identifier label (`Passport`, `Tax ID No.`, `IMO`...)."""
    for pattern, kind in _RULES:
        if pattern.search(label):
            return kind
    return IdentifierType.OTHER
