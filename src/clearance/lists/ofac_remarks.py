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
from clearance.lists.identifiers import identifier_type
from clearance.model import Address, DateOfBirth, Gender, Identifier, IdentifierType, NameQuality

_T = IdentifierType

# Identifier labels as OFAC writes them in Remarks (every one seen in the SDN and
# Consolidated files from 2019 to 2025). The label is kept on the identifier, so the type
# given to it never hides what OFAC called it. A label OFAC adds later stays in the remarks
# text until it is added here: guessing which words of a new statement are the label and
# which the number would invent identifiers. Each label is typed by the shared rules
# (`clearance.lists.identifiers`), except where OFAC's Remarks mean something else by it.
_ID_LABELS: tuple[str, ...] = (
    "Passport",
    "Passport Booklet",
    "Diplomatic Passport",
    "British National Overseas Passport",
    "Stateless Person Passport",
    "Travel Document Number",
    "National ID No.",
    "National Foreign ID Number",
    "Identification Number",
    "Personal ID Card",
    "Cedula No.",
    "C.U.R.P.",
    "C.U.R.P. #",
    "C.U.I.",
    "D.N.I.",
    "N.I.E.",
    "I.F.E.",
    "Credencial electoral",
    "Electoral Registry No.",
    "LE Number",
    "SSN",
    "Residency Number",
    "Numero de Identidad",
    "Citizen's Card Number",
    "Turkish Identification Number",
    "Turkish Identificiation Number",
    "Tazkira National ID Card",
    "Kenyan ID No.",
    "Moroccan Personal ID No.",
    "Stateless Person ID Card",
    "Refugee ID Card",
    "CNP (Personal Numerical Code)",
    "Romanian Permanent Resident CAN",
    "Tax ID No.",
    "NIT #",
    "R.F.C.",
    "R.F.C. #",
    "RFC",
    "RUC #",
    "RIF #",
    "RTN",
    "C.U.I.T.",
    "C.I.F.",
    "V.A.T. Number",
    "US FEIN",
    "RSIN",
    "Fiscal Code",
    "Italian Fiscal Code",
    "Romanian Tax Registration",
    "Numero Unico de Identificacao Tributaria (NUIT)",
    "Registration ID",
    "Registration Number",
    "Public Registration Number",
    "Business Registration Number",
    "Business Registration Document #",
    "Business Number",
    "Commercial Registry Number",
    "Company Number",
    "UK Company Number",
    "Government Gazette Number",
    "Folio Mercantil No.",
    "Matricula Mercantil No",
    "Trade License No.",
    "C.R. No.",
    "Romanian C.R.",
    "Legal Entity Number",
    "Unified Social Credit Code (USCC)",
    "United Social Credit Code Certificate (USCCC)",
    "Chamber of Commerce Number",
    "Dubai Chamber of Commerce Membership No.",
    "Istanbul Chamber of Comm. No.",
    "Certificate of Incorporation Number",
    "Branch Unit Number",
    "Enterprise Number",
    "Registered Charity No.",
    "MSB Registration Number",
    "Central Registration System Number",
    "D-U-N-S Number",
    "SWIFT/BIC",
    "MMSI",
    "Other Vessel Call Sign",
    "Aircraft Tail Number",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Aircraft Serial Identification",
    "Aircraft Construction Number (also called L/N or S/N or F/N)",
    "Aircraft Mode S Transponder Code",
    "BIK (RU)",
    "ISIN",
    "Driver's License No.",
    "License",
    "Pilot License Number",
    "Tourism License No.",
    "Afghan Money Service Provider License Number",
    "Cartilla de Servicio Militar Nacional",
    "Birth Certificate Number",
    "Seafarer's Identification Document",
    "Immigration No.",
    "SRE Permit No.",
    "VisaNumberID",
    "File Number",
    "C.U.I.P.",
)
_ID_TYPES: dict[str, IdentifierType] = {
    # where OFAC's Remarks mean something else by a label than the shared rules read in it
    "Travel Document Number": _T.PASSPORT,
    "C.U.I.": _T.NATIONAL_ID,
    "Electoral Registry No.": _T.NATIONAL_ID,
    "LE Number": _T.NATIONAL_ID,
    "Numero Unico de Identificacao Tributaria (NUIT)": _T.TAX_ID,
    "Cartilla de Servicio Militar Nacional": _T.OTHER,
    "Seafarer's Identification Document": _T.OTHER,
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
        return Identifier(type=_id_type(label), value=value, country=country, label=label, note=note)
    return None


def _id_type(label: str) -> IdentifierType:
    return _ID_TYPES.get(label) or identifier_type(label)


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
