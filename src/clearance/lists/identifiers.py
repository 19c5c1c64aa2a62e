"""Identifier labels as the lists write them, mapped to the model's identifier types.

Every parser types the labels it has no closed vocabulary for here, so a label reads
the same whichever list carries it. Dots are dropped before matching: `V.A.T. Number`,
`C.U.R.P.`, `R.F.C.` and `D.N.I.` read as `VAT Number`, `CURP`, `RFC` and `DNI`.
The first rule that matches decides.
"""

from __future__ import annotations

import re
from functools import lru_cache

from clearance.model import IdentifierType

_RULES: tuple[tuple[re.Pattern[str], IdentifierType], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"digital currency|crypto|wallet", IdentifierType.CRYPTO),
        (r"\bimo\b|vessel registration", IdentifierType.IMO),
        (r"\bmmsi\b", IdentifierType.MMSI),
        (r"call sign", IdentifierType.CALL_SIGN),
        (r"swift|\bbic\b", IdentifierType.SWIFT_BIC),
        (
            r"aircraft.*serial|manufacturer.*serial|\bmsn\b|aircraft construction number",
            IdentifierType.AIRCRAFT_SERIAL,
        ),
        (r"tail number|aircraft.*registration", IdentifierType.AIRCRAFT_TAIL),
        (r"passport|passeport|pasaporte", IdentifierType.PASSPORT),
        (
            r"tax|\binn\b|\bvat\b|fiscal|\btin\b|\bnit\b|\brfc\b|\bcuit\b|\bruc\b|^us fein$|^rif\b|^cif$|^rtn$|^rsin$",
            IdentifierType.TAX_ID,
        ),
        (
            r"regist|\breg ?number\b|\bogrn\b|\bkpp\b|\bokpo\b|company number|commercial|business|legal entity|\blei\b|"
            r"mercantil|chamber of comm|trade license|incorporation|social credit code|enterprise number|branch unit|"
            r"gazette|d-u-n-s|^le number|^(?:romanian )?cr\b",
            IdentifierType.REGISTRATION,
        ),
        (
            r"national|\bid\b|identi|cedula|\bcurp\b|\bdni\b|personal|citizen|residen|social security|\bssn\b|"
            r"^cuip$|^ife$|^nie$|credencial electoral|cartilla",
            IdentifierType.NATIONAL_ID,
        ),
    )
)


@lru_cache(maxsize=4096)
def identifier_type(label: str) -> IdentifierType:
    """The model's type for a source's identifier label (`Passport`, `Tax ID No.`, `IMO`...)."""
    text = label.replace(".", "")
    for pattern, kind in _RULES:
        if pattern.search(text):
            return kind
    return IdentifierType.OTHER
