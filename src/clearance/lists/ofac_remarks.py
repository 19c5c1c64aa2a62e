"""The facts OFAC's legacy CSV hides in its free-text Remarks column.

The legacy SDN and Consolidated CSV files have no columns for birth dates,
nationalities, documents or low-quality aliases: OFAC writes them into Remarks as
`;`-separated statements (`DOB 30 Aug 1954; POB Kopys, Vitebsk oblast, Belarus;
Passport 123 (Iran) issued 2001; a.k.a. 'BNC'.`). Screening needs them as fields,
so each statement that reads as a known fact becomes one; every other statement
(websites, e-mail, phone numbers, sanctions notes, aircraft models, ...) stays in
the remarks text, so nothing the source says is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clearance.countries import to_iso2
from clearance.lists.dates import parse_date, parse_dob
from clearance.model import Address, DateOfBirth, Gender, Identifier, IdentifierType, NameQuality

_T = IdentifierType

# Identifier labels as OFAC writes them in Remarks (every one seen in the SDN and
# Consolidated files from 2019 to 2025), with the model's type for each. The label is
# kept on the identifier, so a type chosen here never hides what OFAC called it. A label
# OFAC adds later stays in the remarks text until it is added here: guessing which
# words of a new statement are the label and which the number would invent identifiers.
_ID_LABELS: dict[str, IdentifierType] = {
    "Passport": _T.PASSPORT,
    "Passport Booklet": _T.PASSPORT,
    "Diplomatic Passport": _T.PASSPORT,
    "British National Overseas Passport": _T.PASSPORT,
    "Stateless Person Passport": _T.PASSPORT,
    "Travel Document Number": _T.PASSPORT,
    "National ID No.": _T.NATIONAL_ID,
    "National Foreign ID Number": _T.NATIONAL_ID,
    "Identification Number": _T.NATIONAL_ID,
    "Personal ID Card": _T.NATIONAL_ID,
    "Cedula No.": _T.NATIONAL_ID,
    "C.U.R.P.": _T.NATIONAL_ID,
    "C.U.R.P. #": _T.NATIONAL_ID,
    "C.U.I.": _T.NATIONAL_ID,
    "D.N.I.": _T.NATIONAL_ID,
    "N.I.E.": _T.NATIONAL_ID,
    "I.F.E.": _T.NATIONAL_ID,
    "Credencial electoral": _T.NATIONAL_ID,
    "Electoral Registry No.": _T.NATIONAL_ID,
    "LE Number": _T.NATIONAL_ID,
    "SSN": _T.NATIONAL_ID,
    "Residency Number": _T.NATIONAL_ID,
    "Numero de Identidad": _T.NATIONAL_ID,
    "Citizen's Card Number": _T.NATIONAL_ID,
    "Turkish Identification Number": _T.NATIONAL_ID,
    "Turkish Identificiation Number": _T.NATIONAL_ID,
    "Tazkira National ID Card": _T.NATIONAL_ID,
    "Kenyan ID No.": _T.NATIONAL_ID,
    "Moroccan Personal ID No.": _T.NATIONAL_ID,
    "Stateless Person ID Card": _T.NATIONAL_ID,
    "Refugee ID Card": _T.NATIONAL_ID,
    "CNP (Personal Numerical Code)": _T.NATIONAL_ID,
    "Romanian Permanent Resident CAN": _T.NATIONAL_ID,
    "Tax ID No.": _T.TAX_ID,
    "NIT #": _T.TAX_ID,
    "R.F.C.": _T.TAX_ID,
    "R.F.C. #": _T.TAX_ID,
    "RFC": _T.TAX_ID,
    "RUC #": _T.TAX_ID,
    "RIF #": _T.TAX_ID,
    "RTN": _T.TAX_ID,
    "C.U.I.T.": _T.TAX_ID,
    "C.I.F.": _T.TAX_ID,
    "V.A.T. Number": _T.TAX_ID,
    "US FEIN": _T.TAX_ID,
    "RSIN": _T.TAX_ID,
    "Fiscal Code": _T.TAX_ID,
    "Italian Fiscal Code": _T.TAX_ID,
    "Romanian Tax Registration": _T.TAX_ID,
    "Numero Unico de Identificacao Tributaria (NUIT)": _T.TAX_ID,
    "Registration ID": _T.REGISTRATION,
    "Registration Number": _T.REGISTRATION,
    "Public Registration Number": _T.REGISTRATION,
    "Business Registration Number": _T.REGISTRATION,
    "Business Registration Document #": _T.REGISTRATION,
    "Business Number": _T.REGISTRATION,
    "Commercial Registry Number": _T.REGISTRATION,
    "Company Number": _T.REGISTRATION,
    "UK Company Number": _T.REGISTRATION,
    "Government Gazette Number": _T.REGISTRATION,
    "Folio Mercantil No.": _T.REGISTRATION,
    "Matricula Mercantil No": _T.REGISTRATION,
    "Trade License No.": _T.REGISTRATION,
    "C.R. No.": _T.REGISTRATION,
    "Romanian C.R.": _T.REGISTRATION,
    "Legal Entity Number": _T.REGISTRATION,
    "Unified Social Credit Code (USCC)": _T.REGISTRATION,
    "United Social Credit Code Certificate (USCCC)": _T.REGISTRATION,
    "Chamber of Commerce Number": _T.REGISTRATION,
    "Dubai Chamber of Commerce Membership No.": _T.REGISTRATION,
    "Istanbul Chamber of Comm. No.": _T.REGISTRATION,
    "Certificate of Incorporation Number": _T.REGISTRATION,
    "Branch Unit Number": _T.REGISTRATION,
    "Enterprise Number": _T.REGISTRATION,
    "Registered Charity No.": _T.REGISTRATION,
    "MSB Registration Number": _T.REGISTRATION,
    "Central Registration System Number": _T.REGISTRATION,
    "D-U-N-S Number": _T.REGISTRATION,
    "SWIFT/BIC": _T.SWIFT_BIC,
    "MMSI": _T.MMSI,
    "Other Vessel Call Sign": _T.CALL_SIGN,
    "Aircraft Tail Number": _T.AIRCRAFT_TAIL,
    "Aircraft Manufacturer's Serial Number (MSN)": _T.AIRCRAFT_SERIAL,
    "Aircraft Serial Identification": _T.AIRCRAFT_SERIAL,
    "Aircraft Construction Number (also called L/N or S/N or F/N)": _T.AIRCRAFT_SERIAL,
    "Aircraft Mode S Transponder Code": _T.OTHER,
    "BIK (RU)": _T.OTHER,
    "ISIN": _T.OTHER,
    "Driver's License No.": _T.OTHER,
    "License": _T.OTHER,
    "Pilot License Number": _T.OTHER,
    "Tourism License No.": _T.OTHER,
    "Afghan Money Service Provider License Number": _T.OTHER,
    "Cartilla de Servicio Militar Nacional": _T.OTHER,
    "Birth Certificate Number": _T.OTHER,
    "Seafarer's Identification Document": _T.OTHER,
    "Immigration No.": _T.OTHER,
    "SRE Permit No.": _T.OTHER,
    "VisaNumberID": _T.OTHER,
    "File Number": _T.OTHER,
    "C.U.I.P.": _T.OTHER,
}

# Labels under which OFAC writes IMO numbers: the ship's own, and the IMO company number.
_IMO_LABELS = ("Vessel Registration Identification", "Company Number", "Identification Number")

_ALT = re.compile(r"^alt\.\s+", re.IGNORECASE)
_ID = re.compile(
    r"^(?P<label>" + "|".join(re.escape(label) for label in sorted(_ID_LABELS, key=len, reverse=True)) + r"):?\s+"
    r"(?P<rest>.+)$"
)
_IMO = re.compile(r"^(?P<label>" + "|".join(_IMO_LABELS) + r") IMO (?P<value>\d{7})$")
_CRYPTO = re.compile(r"^(?P<label>Digital Currency Address - (?P<coin>[A-Z0-9]+))\s+(?P<value>\S+)$")
_ALIAS = re.compile(r"^(?P<kind>a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(?P<name>.+)'$", re.IGNORECASE)
_DATES = re.compile(r"\s+(?P<dates>(?:issued|expires)\s+.*)$")
_COUNTRY = re.compile(r"\s*\((?P<country>[^()]+)\)$")
_YEARS = re.compile(r"^(?P<circa>circa\s+)?(?P<start>\d{4})\s*-\s*(?P<end>\d{4})$", re.IGNORECASE)
_ABBREVIATION_END = re.compile(r"(?:^|[\s,])(?:[A-Za-z]\.)+[A-Za-z]\.$")

_ALIAS_QUALITY = {"a.k.a.": NameQuality.WEAK, "f.k.a.": NameQuality.FORMER, "n.k.a.": NameQuality.WEAK}


@dataclass
class RemarkFacts:
    """What one Remarks text states; `remarks` keeps the statements that are not fields."""

    aliases: list[tuple[NameQuality, str]] = field(default_factory=list)
    dates_of_birth: list[DateOfBirth] = field(default_factory=list)
    places_of_birth: list[Address] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    gender: Gender | None = None
    linked_to: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def split_remarks(text: str) -> list[str]:
    """The statements of a Remarks text, without the period OFAC puts after the last one.

    OFAC never doubles that period, so a text ending `... S.A.` ends with the name's own
    abbreviation: it is kept there, and names ending in a bare word (`LTD.`) lose it
    (the CSV reader restores it from the list's own names).
    """
    text = " ".join(text.split())
    if text.endswith(".") and not _ABBREVIATION_END.search(text):
        text = text[:-1]
    return [part.strip() for part in re.split(r";\s*", text) if part.strip()]


def parse_remarks(text: str | None) -> RemarkFacts:
    """Read every statement of a Remarks text into facts; keep the rest as text."""
    facts = RemarkFacts()
    if not text:
        return facts
    for statement in split_remarks(text):
        if not _read_statement(statement, facts):
            facts.remarks.append(statement)
    return facts


def _read_statement(statement: str, facts: RemarkFacts) -> bool:
    """Add one statement to `facts`; False when it is not a fact the model has a field for."""
    if m := _ALIAS.match(statement):
        facts.aliases.append((_ALIAS_QUALITY[m.group("kind").lower()], m.group("name").strip()))
        return True
    body = _ALT.sub("", statement)
    head, _, value = body.partition(" ")
    value = value.strip()
    if not value:
        return False
    if head == "DOB":
        facts.dates_of_birth.append(_dob(value))
        return True
    if head == "POB":
        facts.places_of_birth.append(_place(value))
        return True
    if head in ("nationality", "citizen"):
        code = to_iso2(value)
        if code is None:
            return False
        (facts.nationalities if head == "nationality" else facts.citizenships).append(code)
        return True
    if head == "Gender" and value.lower() in ("male", "female"):
        facts.gender = Gender(value.lower())
        return True
    if body.startswith("Linked To:"):
        name = body.removeprefix("Linked To:").strip()
        if name:
            facts.linked_to.append(name)
        return bool(name)
    if body.startswith("Nationality of Registration "):
        code = to_iso2(body.removeprefix("Nationality of Registration "))
        if code is not None:
            facts.nationalities.append(code)
        return code is not None
    identifier = _identifier(body)
    if identifier is None:
        return False
    facts.identifiers.append(identifier)
    return True


def _dob(value: str) -> DateOfBirth:
    """A birth date; `circa 1979-1982` (a year range OFAC writes with a hyphen) as a range."""
    dob = parse_dob(value)
    if dob.text is not None and (m := _YEARS.match(value)):
        start, end = parse_date(m.group("start")), parse_date(m.group("end"))
        if start is not None and end is not None:
            return DateOfBirth(start=start, end=end, circa=bool(m.group("circa")))
    return dob


def _place(value: str) -> Address:
    """A place of birth: as written, with the country its last part names."""
    country = to_iso2(value.rsplit(",", 1)[-1]) or to_iso2(value)
    if country is None and (m := _COUNTRY.search(value)):
        country = to_iso2(m.group("country"))
    return Address(full=value, country=country)


def _identifier(body: str) -> Identifier | None:
    if m := _IMO.match(body):
        return Identifier(type=IdentifierType.IMO, value=m.group("value"), label=f"{m.group('label')} IMO")
    if m := _CRYPTO.match(body):
        return Identifier(type=IdentifierType.CRYPTO, value=m.group("value"), label=m.group("label"))
    if m := _ID.match(body):
        label = m.group("label")
        value, country, note = _document_parts(m.group("rest"))
        if not value:
            return None
        return Identifier(type=_ID_LABELS[label], value=value, country=country, label=label, note=note)
    return None


def _document_parts(rest: str) -> tuple[str, str | None, str | None]:
    """`A123 (Iran) issued 2001 expires 2011` -> number, ISO country, note on the dates."""
    note = None
    if m := _DATES.search(rest):
        note = m.group("dates")
        rest = rest[: m.start()]
    country = None
    if (m := _COUNTRY.search(rest)) and (code := to_iso2(m.group("country"))) is not None:
        country = code
        rest = rest[: m.start()]
    return rest.strip(), country, note
