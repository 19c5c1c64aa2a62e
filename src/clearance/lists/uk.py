"""The UK Sanctions List (FCDO) in its XML form.

Since 28 January 2026 this is the only UK designation list (the OFSI Consolidated
List was retired). One `Designation` is one entity; its `UniqueID` (e.g. AFG0011)
is the stable id. `LastUpdated` is bookkeeping and is deliberately not read.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree.ElementTree import Element

from clearance.countries import to_iso2
from clearance.errors import ListFormatError
from clearance.lists.dates import parse_day, parse_dob
from clearance.lists.records import Record
from clearance.lists.source import Download, ListSource, ParsedList
from clearance.lists.xml import local, parse_xml
from clearance.model import (
    Address,
    DateOfBirth,
    Entity,
    EntityKind,
    Gender,
    Identifier,
    IdentifierType,
    Name,
    NameQuality,
)
from clearance.scripts import detect_script

NAME = "uk"
URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
FILENAME = "UK-Sanctions-List.xml"

_KINDS = {"individual": EntityKind.PERSON, "entity": EntityKind.ORGANIZATION, "ship": EntityKind.VESSEL}
_GENDERS = {"male": Gender.MALE, "female": Gender.FEMALE}
_IMO = re.compile(r"^(?:IMO)?\s*:?\s*(\d{7})$", re.IGNORECASE)


def parse(path: Path) -> ParsedList:
    """Parse UK-Sanctions-List.xml; held whole (tens of MB at most), as the root carries the date."""
    root = parse_xml(NAME, path, "Designations")
    for element in root.iter():
        if "}" in element.tag:
            element.tag = local(element.tag)  # so ElementTree's own (C) path search works on plain names
    entities: dict[str, Entity] = {}
    for index, designation in enumerate(root.iterfind("Designation")):
        entity = _designation(path, index, designation)
        if entity.id in entities:
            record = entity.id.split(":", 1)[1]
            raise ListFormatError(NAME, path, "UniqueID appears twice", record=record, field="UniqueID")
        entities[entity.id] = entity
    return ParsedList(source=NAME, entities=tuple(entities.values()), files=(path,), published=_published(path, root))


def _published(path: Path, root: Element) -> dt.datetime | None:
    """The root's `dateGenerated` timestamp when present, else the `DateGenerated` day (UTC)."""
    stamp = root.get("dateGenerated")
    if stamp:
        try:
            value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            raise ListFormatError(NAME, path, f"unreadable dateGenerated {stamp!r}", field="dateGenerated") from None
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    day_text = _text(root, "DateGenerated")
    if day_text is None:
        return None
    day = parse_day(day_text)
    if day is None:
        raise ListFormatError(NAME, path, f"unreadable DateGenerated {day_text!r}", field="DateGenerated")
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _designation(path: Path, index: int, node: Element) -> Entity:
    unique_id = _text(node, "UniqueID")
    record = Record(NAME, path, unique_id or f"#{index + 1}")
    if unique_id is None:
        raise record.fail("UniqueID", "designation without UniqueID")
    kind_text = _text(node, "IndividualEntityShip") or ""
    kind = _KINDS.get(kind_text.lower())
    if kind is None:
        raise record.fail("IndividualEntityShip", f"unknown IndividualEntityShip {kind_text!r}")
    return record.build(_entity, None, record=record, kind=kind, node=node)


def _entity(record: Record, kind: EntityKind, node: Element) -> Entity:
    names = [_name(record, kind, item) for item in node.findall("Names/Name")]
    for item in node.findall("NonLatinNames/NonLatinName"):
        full = _text(item, "NameNonLatinScript")
        if full:
            names.append(Name(full=full, script=detect_script(full), lang=_text(item, "NonLatinScriptLanguage")))
    if not names:
        raise record.fail("Names", "designation without a name")

    positions = _texts(node, "Titles/Title")
    dobs: list[DateOfBirth] = []
    places: list[Address] = []
    nationalities: list[str] = []
    identifiers: list[Identifier] = []
    genders: list[Gender] = []
    linked: list[str] = []
    notes: list[str] = []
    flag: str | None = None

    for person in node.findall("IndividualDetails/Individual"):
        dobs += (parse_dob(value) for value in _texts(person, "DOBs/DOB"))
        nationalities += (code for code in map(to_iso2, _texts(person, "Nationalities/Nationality")) if code)
        positions += _texts(person, "Positions/Position")
        genders += (_GENDERS[g.lower()] for g in _texts(person, "Genders/Gender") if g.lower() in _GENDERS)
        for passport in person.findall("PassportDetails/Passport"):
            number = _text(passport, "PassportNumber")
            if number:
                note = _text(passport, "PassportAdditionalInformation")
                identifiers.append(Identifier(type=IdentifierType.PASSPORT, value=number, label="Passport", note=note))
        for national in person.findall("NationalIdentifierDetails/NationalIdentifier"):
            number = _text(national, "NationalIdentifierNumber")
            if number:
                note = _text(national, "NationalIdentifierAdditionalInformation")
                identifiers.append(
                    Identifier(type=IdentifierType.NATIONAL_ID, value=number, label="National identifier", note=note)
                )
        for location in person.findall("BirthDetails/Location"):
            place = _place(_text(location, "TownOfBirth"), _text(location, "CountryOfBirth"))
            if place is not None:
                places.append(place)

    for company in node.findall("EntityDetails/Entity"):
        for number in _texts(company, "BusinessRegistrationNumbers/BusinessRegistrationNumber"):
            identifiers.append(
                Identifier(type=IdentifierType.REGISTRATION, value=number, label="Business registration number")
            )
        linked += _texts(company, "ParentCompanies/ParentCompany")
        linked += _texts(company, "Subsidiaries/Subsidiary")
        _note(notes, "Type of entity", _texts(company, "TypeOfEntities/TypeOfEntity"))

    for ship in node.findall("ShipDetails/Ship"):
        for number in _texts(ship, "IMONumbers/IMONumber"):
            match = _IMO.match(number)
            identifiers.append(
                Identifier(type=IdentifierType.IMO, value=match.group(1) if match else number, label="IMO number")
            )
        flags = map(to_iso2, _texts(ship, "CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip"))
        flag = flag or next((code for code in flags if code), None)
        linked += _texts(ship, "CurrentOwnerOperators/CurrentOwnerOperator")
        _note(notes, "Previous owners/operators", _texts(ship, "PreviousOwnerOperators/PreviousOwnerOperator"))
        _note(notes, "Previous flags", _texts(ship, "PreviousFlags/PreviousFlag"))
        _note(notes, "Type of ship", _texts(ship, "TypeOfShipDetails/TypeOfShip"))
        _note(notes, "Tonnage", _texts(ship, "TonnageOfShipDetails/TonnageOfShip"))
        _note(notes, "Length", _texts(ship, "LengthOfShipDetails/LengthOfShip"))
        _note(notes, "Year built", _texts(ship, "YearsBuilt/YearBuilt"))

    _note(notes, "Phone", _texts(node, "PhoneNumbers/PhoneNumber"))
    _note(notes, "Email", _texts(node, "EmailAddresses/EmailAddress"))
    _note(notes, "Website", _texts(node, "Websites/Website"))
    sanctions = _text(node, "SanctionsImposed")
    _note(notes, "Sanctions imposed", sanctions.split("|") if sanctions else [])
    _note(notes, "Designation source", [value for value in [_text(node, "DesignationSource")] if value])
    _note(notes, "UN reference", [value for value in [_text(node, "UNReferenceNumber")] if value])
    _note(notes, "OFSI group ID", [value for value in [_text(node, "OFSIGroupID")] if value])
    remarks = [value for value in (_text(node, "OtherInformation"), _text(node, "UKStatementofReasons")) if value]

    listed_text = _text(node, "DateDesignated")
    listed_on = parse_day(listed_text)
    if listed_text and listed_on is None:
        raise record.fail("DateDesignated", f"unreadable date {listed_text!r}")
    return Entity(
        id=f"{NAME}:{record.label}",
        source=NAME,
        kind=kind,
        names=tuple(dict.fromkeys(names)),
        dates_of_birth=tuple(dict.fromkeys(dobs)),
        places_of_birth=tuple(dict.fromkeys(places)),
        nationalities=tuple(nationalities),
        addresses=tuple(dict.fromkeys(a for a in map(_address, node.findall("Addresses/Address")) if a)),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programmes=tuple(value for value in [_text(node, "RegimeName")] if value),
        listed_on=listed_on,
        gender=genders[0] if len(set(genders)) == 1 else None,
        positions=tuple(dict.fromkeys(positions)),
        linked_to=tuple(dict.fromkeys(linked)),
        flag=flag,
        remarks="\n".join([*remarks, *notes]) or None,
    )


def _name(record: Record, kind: EntityKind, node: Element) -> Name:
    """Name1..Name5 are given names and Name6 the surname (for entities and ships, the whole name)."""
    parts = [_text(node, f"Name{i}") for i in range(1, 7)]
    full = " ".join(part for part in parts if part)
    if not full:
        raise record.fail("Name", "name without any of Name1..Name6")
    quality = _quality(record, _text(node, "NameType") or "", _text(node, "AliasStrength") or "")
    if kind is not EntityKind.PERSON:
        return Name(full=full, quality=quality, script=detect_script(full))
    middle = " ".join(part for part in parts[1:5] if part)
    return Name(
        full=full,
        quality=quality,
        first=parts[0],
        middle=middle or None,
        last=parts[5],
        script=detect_script(full),
    )


def _quality(record: Record, name_type: str, strength: str) -> NameQuality:
    """`Primary Name`, `Primary name variation`, `Alias` (Good/Low quality a.k.a); casing varies."""
    kind = name_type.lower()
    if kind.startswith("primary"):
        return NameQuality.STRONG if "variation" in kind else NameQuality.PRIMARY
    if "alias" in kind or "a.k.a" in kind:
        return NameQuality.WEAK if strength.lower().startswith("low") else NameQuality.STRONG
    if "former" in kind or "f.k.a" in kind:
        return NameQuality.FORMER
    raise record.fail("NameType", f"unknown NameType {name_type!r}")


def _address(node: Element) -> Address | None:
    lines = [line for line in (_text(node, f"AddressLine{i}") for i in range(1, 7)) if line]
    postal = _text(node, "AddressPostalCode")
    country_text = _text(node, "AddressCountry")
    country = to_iso2(country_text)
    shown = [*lines, *([postal] if postal else []), *([country_text] if country_text else [])]
    if not shown:
        return None
    full = ", ".join(shown) if lines or postal or country is None else None
    return Address(full=full, postal_code=postal, country=country)


def _place(town: str | None, country_text: str | None) -> Address | None:
    country = to_iso2(country_text)
    shown = [value for value in (town, country_text) if value]
    if not shown:
        return None
    full = ", ".join(shown) if town or country is None else None
    return Address(full=full, city=town, country=country)


def _text(node: Element, path: str) -> str | None:
    """The text at `path`, whitespace collapsed; None when absent or blank."""
    value = node.findtext(path)
    return (" ".join(value.split()) or None) if value else None


def _texts(node: Element, path: str) -> list[str]:
    return [value for value in (" ".join((child.text or "").split()) for child in node.iterfind(path)) if value]


def _note(notes: list[str], label: str, values: list[str]) -> None:
    values = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if values:
        notes.append(f"{label}: {', '.join(values)}")


SOURCE = ListSource(
    name=NAME,
    title="UK Sanctions List (FCDO)",
    parser=parse,
    downloads=(Download(url=URL, filename=FILENAME),),
    homepage="https://www.gov.uk/government/publications/the-uk-sanctions-list",
)
