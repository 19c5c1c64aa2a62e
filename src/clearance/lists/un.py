"""UN Security Council Consolidated List (XML).

The UN file has no namespace and, since 2018, no stable element order (the 2025 and
2026 files do not validate against the 2018 XSD), so records are read by element
name and never validated against the schema.

Identity is `REFERENCE_NUMBER` (`KPi.033`): `DATAID`, `VERSIONNUM` and
`LAST_DAY_UPDATED` are bookkeeping that would make `lists diff` report changes
that are none, so they never reach the entity. Names, addresses and documents keep
the file's order so that two versions with the same content give equal entities.

FIRST_NAME..FOURTH_NAME are positions, not roles: the UN fills them in the order
the name is written, which is given name first for most regimes but family name
first for Korean and Chinese names (KPi.033: FIRST_NAME `RI`, the family name).
They are recorded as written: `first` is FIRST_NAME, `last` the last later part,
`middle` the parts between.

The consolidated list holds individuals and entities only (vessels are designated
on committee lists of their own); the `IMO number: 5xxxxxx` that DPRK entities
carry in their comments is the IMO company number of the owner or manager, so
every ENTITY is an organisation and that number becomes an IMO identifier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from clearance.countries import to_iso2
from clearance.errors import ListFormatError
from clearance.lists.dates import parse_date, parse_day, parse_dob, parse_published
from clearance.lists.identifiers import identifier_type
from clearance.lists.records import Record, unique
from clearance.lists.source import Download, ListSource, ParsedList
from clearance.lists.xml import find, findall, parse_xml, text
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

NAME = "un"
FILENAME = "consolidated.xml"
URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"

_ALIAS_QUALITY = {
    "good": NameQuality.STRONG,
    "a.k.a.": NameQuality.STRONG,
    "low": NameQuality.WEAK,
    "f.k.a.": NameQuality.FORMER,
}
"""Unknown quality words are read as STRONG: a new UN wording must not drop a name."""

_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_ORIGINAL_SCRIPT = re.compile(r"(?:original script|in arabic(?: script)?)\s*:\s*(.+)$", re.IGNORECASE)
_GENDER_IN_COMMENTS = re.compile(r"\bgender\s*[:\[]\s*(male|female)\b", re.IGNORECASE)
_IMO_IN_COMMENTS = re.compile(r"\bIMO(?:\s+number)?\s*:?\s*(\d{7})\b", re.IGNORECASE)
_APPROXIMATELY = re.compile(r"approx(?:imately|\.)?|circa|about", re.IGNORECASE)
_LISTED_AS = re.compile(r"\s*\((?:previously|formerly) listed as\)\s*$", re.IGNORECASE)
_BRACKETED = re.compile(r"([^()]+?)\s*\((?:original script\s*:\s*)?([^()]+)\)\s*,?")
_QUALIFIER = re.compile(r"\s*\(.*\)\s*$")
_DATE_ZONE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})$")
"""The 2018 file writes some dates as xs:date with a zone (`1960-01-01-05:00`): a birth date has none."""


@dataclass(frozen=True)
class _Record(Record):
    """One INDIVIDUAL or ENTITY being read, so every error names its file, record and field."""

    element: Element


def parse(path: Path) -> ParsedList:
    """Read the UN consolidated XML (or the folder holding `consolidated.xml`)."""
    path = _resolve(path)
    root = parse_xml(NAME, path, "CONSOLIDATED_LIST")
    entities: list[Entity] = []
    seen: set[str] = set()
    for group, tag, kind in (
        ("INDIVIDUALS", "INDIVIDUAL", EntityKind.PERSON),
        ("ENTITIES", "ENTITY", EntityKind.ORGANIZATION),
    ):
        container = find(root, group)
        if container is None:
            continue
        for index, element in enumerate(findall(container, tag), start=1):
            entity = _entity(path, element, f"{tag} #{index}", kind)
            if entity.id in seen:
                raise ListFormatError(
                    NAME, path, f"duplicate reference number {entity.id}", record=entity.id, field="REFERENCE_NUMBER"
                )
            seen.add(entity.id)
            entities.append(entity)
    published = parse_published(NAME, path, root.get("dateGenerated"), "dateGenerated")
    return ParsedList(source=NAME, entities=tuple(entities), files=(path,), published=published)


def _resolve(path: Path) -> Path:
    if path.is_dir():
        path = path / FILENAME
    if not path.is_file():
        raise ListFormatError(NAME, path, "no such file")
    return path


def _entity(path: Path, element: Element, position: str, kind: EntityKind) -> Entity:
    reference = text(element, "REFERENCE_NUMBER")
    record = _Record(NAME, path, reference or position, element)
    if reference is None:
        raise record.fail("REFERENCE_NUMBER", "record without a reference number")
    comments = text(element, "COMMENTS1")
    identifiers, unnumbered = _documents(record)
    remarks = [comments] if comments else []
    remarks += unnumbered
    listed = text(element, "LISTED_ON")
    listed_on = parse_day(listed)
    if listed and listed_on is None:
        raise record.fail("LISTED_ON", f"unreadable date {listed!r}")
    dates, places = _birth(record)
    programme = text(element, "UN_LIST_TYPE")
    return record.build(
        Entity,
        "REFERENCE_NUMBER",
        id=f"{NAME}:{reference}",
        source=NAME,
        kind=kind,
        names=_names(record, kind),
        dates_of_birth=dates,
        places_of_birth=places,
        nationalities=unique(c for c in map(_country, _values(element, "NATIONALITY")) if c),
        addresses=_addresses(record, kind),
        identifiers=identifiers + _imo_numbers(record, comments),
        programmes=(programme,) if programme else (),
        listed_on=listed_on,
        gender=_gender(element, comments),
        positions=unique(_values(element, "DESIGNATION")),
        remarks="\n".join(remarks) or None,
    )


def _names(record: _Record, kind: EntityKind) -> tuple[Name, ...]:
    element = record.element
    parts = [text(element, tag) for tag in _NAME_PARTS]
    written = [p for p in parts if p]
    if not written:
        raise record.fail("FIRST_NAME", "record without a name")
    titles = _values(element, "TITLE")
    if kind is EntityKind.PERSON:
        rest = [p for p in parts[1:] if p]
        primary = record.build(
            Name,
            "FIRST_NAME",
            full=" ".join(written),
            quality=NameQuality.PRIMARY,
            first=parts[0],
            middle=" ".join(rest[:-1]) or None,
            last=rest[-1] if rest else None,
            title=", ".join(unique(titles)) or None,
            script=detect_script(" ".join(written)),
        )
    else:
        primary = record.build(
            Name,
            "FIRST_NAME",
            full=" ".join(written),
            quality=NameQuality.PRIMARY,
            script=detect_script(" ".join(written)),
        )
    names = [primary]
    original = text(element, "NAME_ORIGINAL_SCRIPT")
    if original:
        names.append(_name(record, "NAME_ORIGINAL_SCRIPT", original, NameQuality.STRONG))
    alias_tag = "INDIVIDUAL_ALIAS" if kind is EntityKind.PERSON else "ENTITY_ALIAS"
    for alias in findall(element, alias_tag):
        value = text(alias, "ALIAS_NAME")
        if not value:
            continue
        quality = _ALIAS_QUALITY.get((text(alias, "QUALITY") or "").lower(), NameQuality.STRONG)
        names += [_name(record, alias_tag, part, quality) for part in _alias_parts(value)]
        note = text(alias, "NOTE")
        match = _ORIGINAL_SCRIPT.search(note) if note else None
        if match and detect_script(match.group(1)) not in (None, "Latn"):
            names.append(_name(record, f"{alias_tag}/NOTE", match.group(1), quality))
    return unique(names)


def _alias_parts(value: str) -> list[str]:
    """An ALIAS_NAME split where the UN wrote two scripts in one field.

    `Abdelali Abou Dher (عبد العالي ابو ذر)` and `Abu Muhammad (original script: Абу Мухаммад)`
    are a name and its original script; `حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)` is a
    name and its transliterations. `(previously listed as)` is a remark, not part of the name.
    Anything else, nested brackets included, is kept as written.
    """
    value = _LISTED_AS.sub("", value)
    match = _BRACKETED.fullmatch(value)
    if match is None:
        return [value]
    outer, inner = match.group(1), match.group(2).strip()
    outer_script, inner_script = detect_script(outer), detect_script(inner)
    if outer_script == "Latn" and inner_script not in (None, "Latn"):
        return [outer, inner]
    if outer_script not in (None, "Latn") and inner_script == "Latn":
        return [outer, *(p.strip() for p in inner.split(";") if p.strip())]
    return [value]


def _name(record: _Record, field: str, full: str, quality: NameQuality) -> Name:
    return record.build(Name, field, full=full, quality=quality, script=detect_script(full))


def _birth(record: _Record) -> tuple[tuple[DateOfBirth, ...], tuple[Address, ...]]:
    """Birth dates and places, including those the UN attaches to an alias (QDi.290)."""
    dates: list[DateOfBirth] = []
    places: list[Address] = []
    for element in findall(record.element, "INDIVIDUAL_DATE_OF_BIRTH"):
        dob = _date_of_birth(record, element)
        if dob is not None:
            dates.append(dob)
    for element in findall(record.element, "INDIVIDUAL_PLACE_OF_BIRTH"):
        place = _address(record, element, "INDIVIDUAL_PLACE_OF_BIRTH")
        if place is not None:
            places.append(place)
    for alias in findall(record.element, "INDIVIDUAL_ALIAS"):
        born = _written_dob(record, "INDIVIDUAL_ALIAS/DATE_OF_BIRTH", text(alias, "DATE_OF_BIRTH"), False)
        if born is not None:
            dates.append(born)
        city, country = text(alias, "CITY_OF_BIRTH"), text(alias, "COUNTRY_OF_BIRTH")
        if city or country:
            full = _full((city, country), None, country)
            field = "INDIVIDUAL_ALIAS/COUNTRY_OF_BIRTH"
            places.append(record.build(Address, field, city=city, country=_country(country), full=full))
    return unique(dates), unique(places)


def _date_of_birth(record: _Record, element: Element) -> DateOfBirth | None:
    """EXACT / APPROXIMATELY / BETWEEN with DATE, YEAR or FROM_YEAR..TO_YEAR; a NOTE may refine it."""
    field = "INDIVIDUAL_DATE_OF_BIRTH"
    circa = (text(element, "TYPE_OF_DATE") or "").upper() == "APPROXIMATELY"
    note = text(element, "NOTE")
    if note and _APPROXIMATELY.fullmatch(note.strip(" .")):
        circa, note = True, None
    low, high = text(element, "FROM_YEAR"), text(element, "TO_YEAR")
    value = _DATE_ZONE.sub(r"\1", text(element, "DATE") or "") or text(element, "YEAR")
    if low or high:
        start, end = parse_date(low or ""), parse_date(high or "")
        if (low and start is None) or (high and end is None):
            return record.build(DateOfBirth, field, text=_join(f"{low or ''}..{high or ''}", note), circa=circa)
        return record.build(DateOfBirth, field, start=start, end=end, circa=circa, text=note)
    if value:
        date = parse_date(value)
        if date is None:
            return record.build(DateOfBirth, field, text=_join(value, note), circa=circa)
        if note and date.month is None and (refined := parse_date(f"{note} {date.year}")) is not None:
            return record.build(DateOfBirth, field, date=refined, circa=circa)
        return record.build(DateOfBirth, field, date=date, circa=circa, text=note)
    return _written_dob(record, f"{field}/NOTE", note, circa)


def _written_dob(record: _Record, field: str, value: str | None, circa: bool) -> DateOfBirth | None:
    """A birth date the UN wrote as text (`Nov. 1973`, `30-35 years old`); None when it holds nothing."""
    if not value or not any(c.isalnum() for c in value):
        return None
    try:
        dob = parse_dob(_DATE_ZONE.sub(r"\1", value))
    except ValueError as exc:
        raise record.fail(field, f"unreadable date of birth {value!r}: {exc}") from None
    if not circa or dob.circa:
        return dob
    return record.build(DateOfBirth, field, date=dob.date, start=dob.start, end=dob.end, text=dob.text, circa=True)


def _addresses(record: _Record, kind: EntityKind) -> tuple[Address, ...]:
    tag = "INDIVIDUAL_ADDRESS" if kind is EntityKind.PERSON else "ENTITY_ADDRESS"
    found = (_address(record, element, tag) for element in findall(record.element, tag))
    return unique(a for a in found if a is not None)


def _address(record: _Record, element: Element, field: str) -> Address | None:
    """Address or birth place; `full` keeps the UN's wording when the parts would lose some of it.

    Some addresses are a NOTE alone (`A2, City Computer Plaza, Shar-e-Now, Kabul, Afghanistan`):
    their country is read from the last comma-separated part when that names one.
    """
    street, city = text(element, "STREET"), text(element, "CITY")
    region, postal = text(element, "STATE_PROVINCE"), text(element, "ZIP_CODE")
    country_text, note = text(element, "COUNTRY"), text(element, "NOTE")
    if not any((street, city, region, postal, country_text, note)):
        return None
    country = _country(country_text)
    if country is None and note and not any((street, city, region, postal, country_text)):
        country = _country(_QUALIFIER.sub("", note).rsplit(",", 1)[-1])
    return record.build(
        Address,
        field,
        street=street,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        full=_full((street, city, region, postal, country_text), note, country_text),
    )


def _full(parts: Iterable[str | None], note: str | None, country: str | None) -> str | None:
    if not note and (not country or to_iso2(country)):
        return None
    listed = ", ".join(p for p in parts if p)
    if note:
        bracketed = note if note.startswith("(") and note.endswith(")") else f"({note})"
        return f"{listed} {bracketed}" if listed else note
    return listed


def _documents(record: _Record) -> tuple[tuple[Identifier, ...], list[str]]:
    """Identifiers, and the documents the UN lists without a NUMBER (their text goes to remarks)."""
    found: list[Identifier] = []
    unnumbered: list[str] = []
    for element in findall(record.element, "INDIVIDUAL_DOCUMENT"):
        kind = text(element, "TYPE_OF_DOCUMENT")
        detail = text(element, "TYPE_OF_DOCUMENT2")
        number, note = text(element, "NUMBER"), text(element, "NOTE")
        issuer, issued_in = text(element, "ISSUING_COUNTRY"), text(element, "COUNTRY_OF_ISSUE")
        label = _document_label(kind, detail)
        if not number:
            said = "; ".join(p for p in (issuer, note) if p)
            if label or said:
                unnumbered.append(f"{label or 'Document'}: {said}" if said else f"{label} (no number given)")
            continue
        issue = [f"issued {d}" for d in (text(element, "DATE_OF_ISSUE"),) if d]
        place = ", ".join(p for p in (text(element, "CITY_OF_ISSUE"), issued_in if issued_in != issuer else None) if p)
        if place:
            issue.append(f"in {place}")
        notes = [" ".join(issue)] if issue else []
        notes += [note] if note else []
        found.append(
            record.build(
                Identifier,
                "INDIVIDUAL_DOCUMENT",
                type=_document_type(kind, detail),
                value=number,
                country=_country(issuer) or _country(issued_in),
                label=label,
                note="; ".join(notes) or None,
            )
        )
    return unique(found), unnumbered


def _document_label(kind: str | None, detail: str | None) -> str | None:
    detail = detail.rstrip(" :") if detail else None
    if kind and detail and detail.lower() != kind.lower():
        return f"{kind}: {detail}"
    return kind or detail


def _document_type(kind: str | None, detail: str | None) -> IdentifierType:
    """The free-text TYPE_OF_DOCUMENT2 when it says more, else the UN's own category.

    TYPE_OF_DOCUMENT is a closed UN vocabulary in three languages (`Passport`, `Numéro de
    passeport`, `National Identification Number`...), which the shared rules read.
    """
    refined = identifier_type(detail) if detail else IdentifierType.OTHER
    if refined is not IdentifierType.OTHER:
        return refined
    return identifier_type(kind) if kind else IdentifierType.OTHER


def _imo_numbers(record: _Record, comments: str | None) -> tuple[Identifier, ...]:
    if not comments:
        return ()
    return unique(
        record.build(
            Identifier, "COMMENTS1", type=IdentifierType.IMO, value=number, label="IMO number", note="from COMMENTS1"
        )
        for number in _IMO_IN_COMMENTS.findall(comments)
    )


def _gender(element: Element, comments: str | None) -> Gender | None:
    """GENDER is given for few records; most state it in COMMENTS1 (`Gender: Male`, `Gender [Male]`)."""
    value = (text(element, "GENDER") or "").lower()
    if value in ("male", "female"):
        return Gender(value)
    match = _GENDER_IN_COMMENTS.search(comments) if comments else None
    return Gender(match.group(1).lower()) if match else None


def _country(value: str | None) -> str | None:
    """ISO alpha-2; a trailing qualifier such as `Bahrain (citizenship revoked in Jan. 2015)` is ignored."""
    if not value:
        return None
    return to_iso2(value) or to_iso2(_QUALIFIER.sub("", value))


def _values(element: Element, tag: str) -> list[str]:
    return [v for node in findall(element, tag) for child in findall(node, "VALUE") if (v := text(child))]


def _join(value: str, note: str | None) -> str:
    return f"{value} ({note})" if note else value


SOURCE = ListSource(
    name=NAME,
    title="UN Security Council Consolidated List",
    parser=parse,
    downloads=(Download(url=URL, filename=FILENAME),),
    homepage="https://www.un.org/securitycouncil/content/un-sc-consolidated-list",
)
