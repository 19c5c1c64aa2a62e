"""The shared reading of identifier labels, which every parser types its labels with."""

from __future__ import annotations

import pytest

from clearance.lists.identifiers import identifier_type
from clearance.model import IdentifierType as T


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Passport", T.PASSPORT),
        ("Numéro de passeport", T.PASSPORT),
        ("Número de pasaporte", T.PASSPORT),
        ("Tax ID No.", T.TAX_ID),
        ("V.A.T. Number", T.TAX_ID),
        ("R.F.C.", T.TAX_ID),
        ("C.I.F.", T.TAX_ID),
        ("US FEIN", T.TAX_ID),
        ("C.U.R.P.", T.NATIONAL_ID),
        ("D.N.I.", T.NATIONAL_ID),
        ("C.U.I.P.", T.NATIONAL_ID),
        ("Credencial electoral", T.NATIONAL_ID),
        ("National Identification No.", T.NATIONAL_ID),
        ("Registration Number", T.REGISTRATION),
        ("regnumber", T.REGISTRATION),
        ("C.R. No.", T.REGISTRATION),
        ("Romanian C.R.", T.REGISTRATION),
        ("Istanbul Chamber of Comm. No.", T.REGISTRATION),
        ("Unified Social Credit Code (USCC)", T.REGISTRATION),
        ("D-U-N-S Number", T.REGISTRATION),
        ("Government Gazette Number", T.REGISTRATION),
        ("Aircraft Construction Number (also called L/N or S/N or F/N)", T.AIRCRAFT_SERIAL),
        ("Aircraft Tail Number", T.AIRCRAFT_TAIL),
        ("Vessel Registration Identification", T.IMO),
        ("MMSI", T.MMSI),
        ("Other Vessel Call Sign", T.CALL_SIGN),
        ("SWIFT/BIC", T.SWIFT_BIC),
        ("Digital Currency Address - XBT", T.CRYPTO),
        ("Driver's License No.", T.OTHER),
        ("BIK (RU)", T.OTHER),
    ],
)
def test_identifier_type(label: str, kind: T) -> None:
    assert identifier_type(label) is kind
