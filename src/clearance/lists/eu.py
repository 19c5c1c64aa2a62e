"""EU Financial Sanctions Files (FSF): the consolidated list, XML v1.1.

The full export is tens of megabytes, so it is streamed record by record (the
root's `generationDate` is read from its start tag) instead of built as one tree.

Identity is the sanctionEntity's `logicalId`, which the XSD documents as the
stable logical identifier (kept even for entries imported from the old database).
Every detail element also carries a `regulationSummary` of the act that added it:
that is provenance, not a fact about the entity, and is left out.

The EU marks no name as the main one (the XSD says `strong` does, but in the
files every alias of a record is usually strong). The PRIMARY name is chosen
among the strong aliases in Latin script, in file order, preferring one that
has its parts split (`firstName`/`lastName`) and then one in the regulation's
language: for eu:191 the first strong alias is a French misspelling (`Bin Khalid
Fahd Bin Adballah`), and the split English one is `Khalid Sheikh MOHAMMED`. The
other strong aliases are STRONG, `strong="false"` ones are WEAK.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse

from clearance.countries import to_iso2
from clearance.errors import ListFormatError
from clearance.lists.dates import parse_day, parse_published
from clearance.lists.identifiers import identifier_type
from clearance.lists.records import Record, unique
from clearance.lists.source import Download, ListSource, ParsedList
from clearance.lists.xml import local, reading
from clearance.model import (
    Address,
    DateOfBirth,
    Entity,
    EntityKind,
    Gender,
    Identifier,
    Name,
    NameQuality,
    PartialDate,
)
from clearance.scripts import detect_script

NAME = "eu"
FILENAME = "eu_fsf.xml"
URL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"

_KINDS = {
    "person": EntityKind.PERSON,
    "enterprise": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
"""subjectType codes; the XSD leaves `code` open and fixes only classificationCode P|E."""

_CLASSIFICATIONS = {"P": EntityKind.PERSON, "E": EntityKind.ORGANIZATION}

_ID_CODES = frozenset({"passport", "id", "ssn", "regnumber", "fiscalcode", "swiftbic", "imo", "other"})
"""identificationTypeCode values that give the type; other codes are typed from their description."""

_GENDERS = {"M": Gender.MALE, "F": Gender.FEMALE}
_FLAGS = {
    "knownFalse": "known to be false",
    "knownExpired": "known to be expired",
    "reportedLost": "reported lost",
    "revokedByIssuer": "revoked by issuer",
    "diplomatic": "diplomatic",
}


@dataclass(frozen=True)
class _Record(Record):
    """One sanctionEntity being read, so every error names its file, record and field."""

    element: Element

    def children(self, tag: str) -> list[Element]:
        return [child for child in self.element if child.tag == f"{{{NAMESPACE}}}{tag}"]


def parse(path: Path) -> ParsedList:
    """Read the FSF XML v1.1 export (or the folder holding `eu_fsf.xml`)."""
    export = _Export(_resolve(path))
    entities: list[Entity] = []
    seen: set[str] = set()
    for index, element in enumerate(export, start=1):
        entity = _entity(export.path, element, index)
        if entity.id in seen:
            raise ListFormatError(
                NAME, export.path, f"duplicate logicalId {entity.id}", record=entity.id, field="logicalId"
            )
        seen.add(entity.id)
        entities.append(entity)
    stamp = export.root.get("generationDate") if export.root is not None else None
    published = parse_published(NAME, export.path, stamp, "generationDate")
    return ParsedList(source=NAME, entities=tuple(entities), files=(export.path,), published=published)


def _resolve(path: Path) -> Path:
    if path.is_dir():
        path = path / FILENAME
    if not path.is_file():
        raise ListFormatError(NAME, path, "no such file")
    if path.stat().st_size == 0:
        raise ListFormatError(NAME, path, "file is empty")
    return path


class _Export:
    """The sanctionEntity elements of a file, streamed and parsed as hostile XML.

    `clearance.lists.xml.iter_elements` streams too but hides the root, whose start
    tag carries the generation date and tells an EU file from another.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root: Element | None = None

    def __iter__(self) -> Iterator[Element]:
        path = self.path
        entity_tag = f"{{{NAMESPACE}}}sanctionEntity"
        with reading(NAME, path):
            for event, element in iterparse(
                str(path), events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
            ):
                if self.root is None:
                    if element.tag != f"{{{NAMESPACE}}}export":
                        found = f"<{element.tag}>"
                        raise ListFormatError(
                            NAME, path, f"expected root <export> of {NAMESPACE}, found {found}: not an eu file"
                        )
                    self.root = element
                elif event == "end" and element.tag == entity_tag:
                    yield element
                    element.clear()


def _entity(path: Path, element: Element, index: int) -> Entity:
    logical_id = _attr(element, "logicalId")
    record = _Record(NAME, path, logical_id or f"sanctionEntity #{index}", element)
    if logical_id is None:
        raise record.fail("logicalId", "record without a logicalId")
    designated = _attr(element, "designationDate")
    listed_on = parse_day(designated)
    if designated and listed_on is None:
        raise record.fail("designationDate", f"unreadable date {designated!r}")
    names, gender, positions = _names(record)
    dates, places = _birth(record)
    regulations = record.children("regulation")
    urls = [url for r in regulations for u in r if local(u.tag) == "publicationUrl" and (url := _text(u))]
    identifiers, unnumbered = _identifiers(record)
    return record.build(
        Entity,
        "logicalId",
        id=f"{NAME}:{logical_id}",
        source=NAME,
        kind=_kind(record),
        names=names,
        dates_of_birth=dates,
        places_of_birth=places,
        citizenships=unique(c for e in record.children("citizenship") if (c := _country(e))),
        addresses=_addresses(record),
        identifiers=identifiers,
        programmes=unique(p for r in regulations if (p := _attr(r, "programme"))),
        listed_on=listed_on,
        gender=gender,
        positions=positions,
        remarks="\n".join(_remarks(record) + unnumbered) or None,
        source_url=urls[0] if urls else None,
    )


def _kind(record: _Record) -> EntityKind:
    subject = record.children("subjectType")
    if not subject:
        raise record.fail("subjectType", "record without a subject type")
    code = (_attr(subject[0], "code") or "").lower()
    classification = (_attr(subject[0], "classificationCode") or "").upper()
    return _KINDS.get(code) or _CLASSIFICATIONS.get(classification, EntityKind.UNKNOWN)


def _names(record: _Record) -> tuple[tuple[Name, ...], Gender | None, tuple[str, ...]]:
    aliases: list[tuple[Element, str]] = []
    genders: list[Gender] = []
    positions: list[str] = []
    for alias in record.children("nameAlias"):
        first, middle, last = _attr(alias, "firstName"), _attr(alias, "middleName"), _attr(alias, "lastName")
        full = _attr(alias, "wholeName") or " ".join(p for p in (first, middle, last) if p)
        if full:
            aliases.append((alias, full))
        if (gender := _GENDERS.get(_attr(alias, "gender") or "")) is not None:
            genders.append(gender)
        if function := _attr(alias, "function"):
            positions.append(function)
    if not aliases:
        raise record.fail("nameAlias", "record without a name")
    primary = _primary(aliases)
    names = []
    for index, (alias, full) in enumerate(aliases):
        if index == primary:
            quality = NameQuality.PRIMARY
        elif _strong(alias):
            quality = NameQuality.STRONG
        else:
            quality = NameQuality.WEAK
        language = _attr(alias, "nameLanguage")
        names.append(
            record.build(
                Name,
                "nameAlias",
                full=full,
                quality=quality,
                first=_attr(alias, "firstName"),
                middle=_attr(alias, "middleName"),
                last=_attr(alias, "lastName"),
                title=_attr(alias, "title"),
                script=detect_script(full),
                lang=language.lower() if language else None,
            )
        )
    return unique(names), genders[0] if genders else None, unique(positions)


def _primary(aliases: list[tuple[Element, str]]) -> int:
    """The index of the alias shown as the entity's name (see the module docstring)."""
    candidates = [i for i, (alias, full) in enumerate(aliases) if _strong(alias) and detect_script(full) == "Latn"]
    if not candidates:
        return next((i for i, (alias, _full) in enumerate(aliases) if _strong(alias)), 0)

    def rank(index: int) -> tuple[bool, bool]:
        alias = aliases[index][0]
        split = bool(_attr(alias, "firstName") or _attr(alias, "lastName"))
        language = (_attr(alias, "nameLanguage") or "").lower()
        return not split, language not in ("", (_attr(alias, "regulationLanguage") or "").lower())

    return min(candidates, key=rank)


def _strong(alias: Element) -> bool:
    return (_attr(alias, "strong") or "true").lower() != "false"


def _birth(record: _Record) -> tuple[tuple[DateOfBirth, ...], tuple[Address, ...]]:
    dates: list[DateOfBirth] = []
    places: list[Address] = []
    for element in record.children("birthdate"):
        dob = _date_of_birth(record, element)
        if dob is not None:
            dates.append(dob)
        city, region = _attr(element, "city"), _attr(element, "region")
        postal, place = _attr(element, "zipCode"), _attr(element, "place")
        country = _country(element)
        if any((city, region, postal, place, country)):
            places.append(
                record.build(
                    Address,
                    "birthdate",
                    city=city,
                    region=region,
                    postal_code=postal,
                    country=country,
                    full=_joined(bool(place), (city, postal, place, region, _attr(element, "countryDescription"))),
                )
            )
    return unique(dates), unique(places)


def _date_of_birth(record: _Record, element: Element) -> DateOfBirth | None:
    """A full date, a partial one (year, month, day), or a year range; other calendars are kept as text."""
    circa = (_attr(element, "circa") or "").lower() == "true"
    calendar = (_attr(element, "calendarType") or "GREGORIAN").upper()
    full = _attr(element, "birthdate")
    year, month, day = _attr(element, "year"), _attr(element, "monthOfYear"), _attr(element, "dayOfMonth")
    low, high = _attr(element, "yearRangeFrom"), _attr(element, "yearRangeTo")
    if not any((full, year, low, high)):
        return None
    if full:
        written = full
    elif year:
        written = "-".join(p.zfill(2) for p in (year, month, day if month else None) if p)
    else:
        written = f"{low or ''}..{high or ''}"
    if calendar != "GREGORIAN":
        return record.build(DateOfBirth, "birthdate", text=f"{written} ({calendar.lower()} calendar)", circa=circa)
    try:
        if full:
            return DateOfBirth(date=PartialDate.parse(full[:10]), circa=circa)
        if year:
            date = PartialDate(
                year=int(year), month=int(month) if month else None, day=int(day) if day and month else None
            )
            return DateOfBirth(date=date, circa=circa)
        start = PartialDate(year=int(low)) if low else None
        end = PartialDate(year=int(high)) if high else None
        return DateOfBirth(start=start, end=end, circa=circa)
    except ValueError:
        return record.build(DateOfBirth, "birthdate", text=written, circa=circa)


def _addresses(record: _Record) -> tuple[Address, ...]:
    found: list[Address] = []
    for element in record.children("address"):
        street, city, region = _attr(element, "street"), _attr(element, "city"), _attr(element, "region")
        postal, po_box, place = _attr(element, "zipCode"), _attr(element, "poBox"), _attr(element, "place")
        country = _country(element)
        contacts = [
            f"{(key or '').lower()} {value}".strip()
            for info in element
            if local(info.tag) == "contactInfo" and (value := _attr(info, "value"))
            for key in (_attr(info, "key"),)
        ]
        if (_attr(element, "asAtListingTime") or "").lower() == "true":
            contacts.append("as at listing time")
        if not any((street, city, region, postal, po_box, place, country, contacts)):
            continue
        box = f"P.O. Box {po_box}" if po_box else None
        listed = (street, box, city, postal, place, region, _attr(element, "countryDescription"))
        full = _joined(bool(place or po_box or contacts), listed)
        if full is not None and contacts:
            full = "; ".join([full, *contacts]) if full else "; ".join(contacts)
        found.append(
            record.build(
                Address,
                "address",
                street=street,
                city=city,
                region=region,
                postal_code=postal,
                country=country,
                full=full,
            )
        )
    return unique(found)


def _joined(needed: bool, parts: Iterable[str | None]) -> str | None:
    """The address as written, only when it holds something (place, P.O. box, phone) the parts cannot."""
    if not needed:
        return None
    return ", ".join(p for p in parts if p and p != "UNKNOWN")


def _identifiers(record: _Record) -> tuple[tuple[Identifier, ...], list[str]]:
    found: list[Identifier] = []
    unnumbered: list[str] = []
    for element in record.children("identification"):
        code = (_attr(element, "identificationTypeCode") or "").lower()
        description = _attr(element, "identificationTypeDescription")
        number, latin = _attr(element, "number"), _attr(element, "latinNumber")
        notes = [f"issued by {by}" for by in (_attr(element, "issuedBy"),) if by]
        notes += [f"{label} {d}" for label, name in _DATES if (d := _attr(element, name))]
        notes += [f"name on document: {n}" for n in (_attr(element, "nameOnDocument"),) if n]
        notes += [f"region: {r}" for r in (_attr(element, "region"),) if r]
        notes += [text for flag, text in _FLAGS.items() if (_attr(element, flag) or "").lower() == "true"]
        if latin and number and latin != number:
            notes.append(f"latin number: {latin}")
        label = description or code or None
        if not (number or latin):
            unnumbered.append(f"{label or 'Identification'} (no number given)")
            continue
        kind = identifier_type(code if code in _ID_CODES else description or code)
        found.append(
            record.build(
                Identifier,
                "identification",
                type=kind,
                value=number or latin,
                country=_country(element),
                label=label,
                note="; ".join(notes) or None,
            )
        )
    return unique(found), unnumbered


_DATES = (("issued on", "issueDate"), ("valid from", "validFrom"), ("valid to", "validTo"))


def _remarks(record: _Record) -> list[str]:
    """The record's remarks, its designation details, and remarks the EU attaches to a detail (eu:330)."""
    found = [r for e in record.children("remark") if (r := _text(e))]
    if details := _attr(record.element, "designationDetails"):
        found.append(details)
    for info in record.children("additionalInformation"):
        key, value = _attr(info, "key"), _attr(info, "value")
        if value:
            found.append(f"{key}: {value}" if key else value)
    for child in record.element:
        if local(child.tag) in ("remark", "additionalInformation"):
            continue
        found += [r for e in child.iter() if e is not child and local(e.tag) == "remark" and (r := _text(e))]
    return list(unique(found))


def _country(element: Element) -> str | None:
    """ISO alpha-2 from countryIso2Code, or from the description when the code is missing; `00` is unknown."""
    code = (_attr(element, "countryIso2Code") or "").upper()
    if len(code) == 2 and code.isalpha():
        return code
    return to_iso2(_attr(element, "countryDescription"))


def _attr(element: Element, name: str) -> str | None:
    """An attribute with its whitespace folded; blank and a lone `-` (the EU's filler) are None."""
    value = element.get(name)
    if value is None:
        return None
    value = " ".join(value.split())
    return value if value and value != "-" else None


def _text(element: Element) -> str | None:
    value = " ".join((element.text or "").split())
    return value or None


SOURCE = ListSource(
    name=NAME,
    title="EU Financial Sanctions Files: consolidated list",
    parser=parse,
    downloads=(Download(url=URL, filename=FILENAME),),
    homepage="https://webgate.ec.europa.eu/fsd/fsf",
)
