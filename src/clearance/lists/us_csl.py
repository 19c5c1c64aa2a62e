"""The US Consolidated Screening List (trade.gov): thirteen Commerce, State and Treasury lists in one CSV.

Every row keeps the list it comes from as `sub_list`, a short code taken from the
parenthesised abbreviation in the `source` column:

    SDN     Specially Designated Nationals (SDN) - Treasury Department
    SSI     Sectoral Sanctions Identifications List (SSI) - Treasury Department
    FSE     Foreign Sanctions Evaders (FSE) - Treasury Department
    PLC     Palestinian Legislative Council List (PLC) - Treasury Department
    CAP     Capta List (CAP) - Treasury Department
    NS-MBS  Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department
    CMIC    Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department
    EL      Entity List (EL) - Bureau of Industry and Security
    DPL     Denied Persons List (DPL) - Bureau of Industry and Security
    UVL     Unverified List (UVL) - Bureau of Industry and Security
    MEU     Military End User (MEU) List - Bureau of Industry and Security
    ISN     Nonproliferation Sanctions (ISN) - State Department
    DTC     ITAR Debarred (DTC) - State Department

Ids. Treasury rows carry OFAC's entity number as `_id`, and OFAC lists share that
numbering: one party on SDN, SSI and CAP is three rows with one `_id`. So the id is
`us-csl:<_id>` for SDN rows and for the Commerce and State lists (whose `_id` is a
hash of their own), and `us-csl:<_id>:<code>` for the other Treasury lists
(`us-csl:34616:CAP`). The id then depends on the row alone, never on which other
lists hold the same party, and stays stable when a party joins or leaves one of
them. Rows that still share an id (CAP lists BANK OF KUNLUN twice) are merged into
one entity. Files without `_id` (2019) use the entity number where there is one
(the same value later files put in `_id`), else `<code>-<16 hex of SHA-1 of source,
name, addresses, Federal Register notice and start date>`.

Kind. `type` gives Individual/Entity/Vessel/Aircraft for the Treasury lists only.
The Commerce and State lists leave it empty and mix people and companies (DPL and
ITAR debarred are mostly people, the Entity List mostly companies): a name with a
legal form or an organisation word, and every Military End User row, is an
organisation; every other untyped row is `unknown` rather than a guess.

Kept in remarks, one `Label: value` line each: the row's remarks, Federal Register
notice, end date, standard order, licence requirement and policy, vessel details,
and the informational parts of `ids` (sanctions risk notes, directives, websites,
e-mail, phone, established dates). `source_list_url` is dropped (a link to the
list, not to the record).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from clearance.countries import to_iso2
from clearance.errors import ListFormatError
from clearance.gcpause import gc_paused
from clearance.lists.dates import parse_day, parse_dob
from clearance.lists.files import read_list_file
from clearance.lists.identifiers import identifier_type
from clearance.lists.records import Record
from clearance.lists.source import Download, ListSource, ParsedList
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

NAME = "us-csl"
URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
FILENAME = "consolidated.csv"

_COLUMNS = (
    "source,entity_number,type,programs,name,title,addresses,federal_register_notice,start_date,end_date,"
    "standard_order,license_requirement,license_policy,call_sign,vessel_type,gross_tonnage,"
    "gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,"
    "dates_of_birth,nationalities,places_of_birth,source_information_url,ids"
).split(",")

_SUB_LISTS = {
    "Specially Designated Nationals (SDN) - Treasury Department": "SDN",
    "Sectoral Sanctions Identifications List (SSI) - Treasury Department": "SSI",
    "Foreign Sanctions Evaders (FSE) - Treasury Department": "FSE",
    "Palestinian Legislative Council List (PLC) - Treasury Department": "PLC",
    "Capta List (CAP) - Treasury Department": "CAP",
    "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department": "NS-MBS",
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department": "CMIC",
    "Entity List (EL) - Bureau of Industry and Security": "EL",
    "Denied Persons List (DPL) - Bureau of Industry and Security": "DPL",
    "Unverified List (UVL) - Bureau of Industry and Security": "UVL",
    "Military End User (MEU) List - Bureau of Industry and Security": "MEU",
    "Nonproliferation Sanctions (ISN) - State Department": "ISN",
    "ITAR Debarred (DTC) - State Department": "DTC",
}
_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
_ORGANISATION_LISTS = frozenset({"MEU"})
_ORGANISATION = re.compile(
    r"\b(?:ltd|limited|llc|l\.l\.c|inc|incorporated|corp|corporation|co|company|companies|gmbh|ag|s\.a|s\.a\.s|"
    r"s\.r\.l|srl|sarl|b\.v|bv|n\.v|pte|pty|plc|ooo|oao|zao|pao|jsc|ojsc|cjsc|fze|fzco|fzc|llp|lp|kg|sdn|bhd|"
    r"group|holdings?|industr(?:y|ies|ial)|enterprises?|trading|technolog(?:y|ies)|tech|electronics?|"
    r"engineering|institute|university|academy|cent(?:er|re)|bureau|ministry|department|bank|airlines?|"
    r"airways|aviation|shipping|logistics|services|systems|laborator(?:y|ies)|factory|plant|works|agency|"
    r"organi[sz]ation|association|foundation|government|establishment|firm|import|export|manufacturing|"
    r"international|solutions|commission|committee|council|army|regiment|brigade|a\.s|oy|s\.r\.o|associates|"
    r"exporters|importers)\b",
    re.IGNORECASE,
)
_LINKED = re.compile(r"\(Linked To: ([^)]*)\)")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_IMO = re.compile(r"^IMO\s*(\d{7})$", re.IGNORECASE)
_C1 = re.compile("[\x80-\x9f]")
_GENDERS = {"male": Gender.MALE, "female": Gender.FEMALE}
_INFO_LABELS = re.compile(
    r"[:\-]$|^(?:website|email address|phone number|fax|organization established date|organization type|"
    r"target type|aircraft model|aircraft manufacture date|aircraft operator|former vessel flag|other vessel flag|"
    r"other vessel type|vessel year of build|nationality of registration|registration country|issuer name|"
    r"listing date|effective date|purchase/sales for divestment date|executive order|subject to directive)",
    re.IGNORECASE,
)
_LABEL_WORDS = re.compile(r"[:\-]$|^gender$|\bno\.?$|number|#$|\bid\b|passport|code|license|registr", re.IGNORECASE)


@gc_paused()
def parse(path: Path) -> ParsedList:
    """Parse consolidated.csv (or a gzip of it: the magic bytes decide, not the name)."""
    rows = _rows(path, _text(path))
    header = [column.strip() for column in rows[0]]
    missing = [column for column in _COLUMNS if column not in header]
    if missing:
        raise ListFormatError(
            NAME, path, f"header lacks {', '.join(missing[:3])}{'...' if len(missing) > 3 else ''}: not a us-csl file"
        )
    body = list(_body_rows(rows, len(header), path))
    label_first = _label_first(row[header.index("ids")] for _, row in body)
    entities: dict[str, Entity] = {}
    for number, row in body:
        entity = _entity(path, number, dict(zip(header, row, strict=True)), label_first)
        seen = entities.get(entity.id)
        entities[entity.id] = entity if seen is None else _merge(path, seen, entity)
    return ParsedList(source=NAME, entities=tuple(entities.values()), files=(path,))


def _body_rows(rows: Sequence[list[str]], width: int, path: Path) -> Iterable[tuple[int, list[str]]]:
    """Data rows numbered as CSV records (header = row 1); blank lines skipped, rows of another width refused."""
    for index, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != width:
            raise ListFormatError(
                NAME, path, f"row has {len(row)} columns, expected {width} (truncated or damaged file)", f"row {index}"
            )
        yield index, row


def _text(path: Path) -> str:
    data = read_list_file(NAME, path)
    if not data or data.isspace():
        raise ListFormatError(NAME, path, "file is empty")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise ListFormatError(NAME, path, "file is UTF-16 or binary, expected UTF-8 CSV")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFormatError(NAME, path, f"not UTF-8 (byte {exc.start}): wrong encoding") from None
    # The 2022 file holds a few cp1252 quotes decoded as Latin-1 C1 controls ("Xi\x92an"): put them back.
    return _C1.sub(_cp1252, text) if _C1.search(text) else text


def _cp1252(match: re.Match[str]) -> str:
    try:
        return match.group(0).encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return match.group(0)


def _rows(path: Path, text: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        raise ListFormatError(NAME, path, f"CSV error: {exc}", f"row {reader.line_num}") from None
    if not rows or not rows[0]:
        raise ListFormatError(NAME, path, "no header row: not a us-csl file")
    return rows


def _entity(path: Path, number: int, row: dict[str, str], label_first: bool) -> Entity:
    record = Record(NAME, path, row.get("_id") or row["entity_number"] or f"row {number}")
    return record.build(_build, None, record=record, row=row, label_first=label_first)


def _build(record: Record, row: dict[str, str], label_first: bool) -> Entity:
    code = _sub_list(record, row["source"])
    name = row["name"].strip()
    if not name:
        raise record.fail("name", "row without a name")
    kind = _kind(record, code, row["type"], name)
    person = row["type"].strip().lower() == "individual"
    names = [_name(name, NameQuality.PRIMARY, person)]
    names += (_name(alias, NameQuality.STRONG, person) for alias in _split(row["alt_names"]) if alias != name)

    remarks: list[str] = []
    if row["remarks"].strip():
        remarks.append(row["remarks"].strip())
    linked = [party.strip() for found in _LINKED.findall(row["remarks"]) for party in found.split(";")]
    linked += _split(row["vessel_owner"])
    identifiers: list[Identifier] = []
    genders: list[Gender] = []
    for part in _split(row["ids"]):
        _id_part(part, label_first, identifiers, genders, remarks)
    if row["call_sign"].strip():
        identifiers.append(Identifier(type=IdentifierType.CALL_SIGN, value=row["call_sign"], label="Call Sign"))
    for label, column in (
        ("Federal Register notice", "federal_register_notice"),
        ("End date", "end_date"),
        ("Standard order", "standard_order"),
        ("License requirement", "license_requirement"),
        ("License policy", "license_policy"),
        ("Vessel type", "vessel_type"),
        ("Gross tonnage", "gross_tonnage"),
        ("Gross registered tonnage", "gross_registered_tonnage"),
    ):
        if value := " ".join(row[column].split()):
            remarks.append(f"{label}: {value}")

    listed_on = parse_day(row["start_date"])
    if row["start_date"].strip() and listed_on is None:
        # The 2022 file has a start date of "0097-06-30": kept as written rather than failing the whole list.
        remarks.append(f"Start date: {row['start_date'].strip()}")
    return Entity(
        id=_id(code, row),
        source=NAME,
        kind=kind,
        names=tuple(dict.fromkeys(names)),
        dates_of_birth=tuple(dict.fromkeys(_dob(value) for value in _split(row["dates_of_birth"]))),
        places_of_birth=tuple(dict.fromkeys(_place(value) for value in _split(row["places_of_birth"]))),
        nationalities=tuple(_countries(row["nationalities"])),
        citizenships=tuple(_countries(row["citizenships"])),
        addresses=tuple(dict.fromkeys(_address(value) for value in _split(row["addresses"]))),
        identifiers=tuple(dict.fromkeys(identifiers)),
        programmes=tuple(dict.fromkeys(_split(row["programs"]))),
        sub_list=code,
        listed_on=listed_on,
        gender=genders[0] if len(set(genders)) == 1 else None,
        positions=tuple(dict.fromkeys(_split(row["title"]))),
        linked_to=tuple(dict.fromkeys(party for party in linked if party)),
        flag=to_iso2(row["vessel_flag"]),
        remarks="\n".join(remarks) or None,
        source_url=row["source_information_url"].strip() or None,
    )


def _sub_list(record: Record, source: str) -> str:
    """The short code of a CSL list: known ones by table, new ones by their parenthesised abbreviation."""
    source = " ".join(source.split())
    if code := _SUB_LISTS.get(source):
        return code
    match = re.search(r"\(([^)]+)\)", source)
    if match:
        return re.sub(r"\s+LIST$", "", match.group(1).strip().upper())
    if not source:
        raise record.fail("source", "row without a source list")
    return re.sub(r"[^A-Z0-9]+", "-", source.split(" - ")[0].upper()).strip("-")


def _id(code: str, row: dict[str, str]) -> str:
    record = row.get("_id", "").strip() or row["entity_number"].strip()
    if not record:
        key = "\x1f".join(
            " ".join(row[column].split())
            for column in ("source", "name", "addresses", "federal_register_notice", "start_date")
        )
        record = f"{code}-{hashlib.sha1(key.encode()).hexdigest()[:16]}"
    if code != "SDN" and "treasury" in row["source"].lower():
        return f"{NAME}:{record}:{code}"
    return f"{NAME}:{record}"


def _kind(record: Record, code: str, type_text: str, name: str) -> EntityKind:
    kind = type_text.strip().lower()
    if kind:
        if kind not in _KINDS:
            raise record.fail("type", f"unknown type {type_text!r}")
        return _KINDS[kind]
    if code in _ORGANISATION_LISTS or _ORGANISATION.search(name):
        return EntityKind.ORGANIZATION
    return EntityKind.UNKNOWN


def _name(full: str, quality: NameQuality, person: bool) -> Name:
    """OFAC writes people as `LAST, Given Names`: the comma marks the surname, so it is kept as a part."""
    last, comma, given = full.partition(", ")
    if person and comma and last.strip() and given.strip() and ", " not in given:
        first, _, middle = given.strip().partition(" ")
        return Name(
            full=full,
            quality=quality,
            first=first,
            middle=middle.strip() or None,
            last=last.strip(),
            script=detect_script(full),
        )
    return Name(full=full, quality=quality, script=detect_script(full))


@lru_cache(maxsize=32768)
def _dob(text: str) -> DateOfBirth:
    """Cached: the values repeat across rows, and frozen models can be shared."""
    return parse_dob(text)


@lru_cache(maxsize=32768)
def _address(text: str) -> Address:
    """`street, city, state, postal code, CC`, empty parts left out: only the trailing country code is sure."""
    parts = [part.strip() for part in text.split(",")]
    country = parts[-1] if _ISO2.match(parts[-1]) and to_iso2(parts[-1]) else None
    rest = ", ".join(parts[:-1]) if country else text.strip()
    return Address(full=text.strip() if rest else None, country=country)


@lru_cache(maxsize=32768)
def _place(text: str) -> Address:
    return Address(full=text, country=to_iso2(text.split(",")[-1]))


def _countries(text: str) -> list[str]:
    return [code for code in map(to_iso2, _split(text)) if code]


def _split(text: str) -> list[str]:
    if not text:
        return []
    return [part for part in (" ".join(value.split()) for value in text.split(";")) if part]


def _label_first(ids_columns: Iterable[str]) -> bool:
    """Whether `ids` entries read `Label, value, CC` (the 2025 file) or `CC, value, Label` (2019, 2022).

    The order is a property of the file, so the entries vote: a country code or a
    label-like word at one end marks that end.
    """
    votes = 0
    for column in ids_columns:
        for entry in _split(column):
            parts = [part.strip() for part in entry.split(",")]
            if len(parts) < 2:
                continue
            first, last = parts[0], parts[-1]
            if len(parts) >= 3 and _ISO2.match(first):
                votes -= 1
            elif len(parts) >= 3 and _ISO2.match(last):
                votes += 1
            elif _LABEL_WORDS.search(last) and not _LABEL_WORDS.search(first):
                votes -= 1
            elif _LABEL_WORDS.search(first) and not _LABEL_WORDS.search(last):
                votes += 1
    return votes > 0


def _id_part(
    entry: str, label_first: bool, identifiers: list[Identifier], genders: list[Gender], remarks: list[str]
) -> None:
    """One `;`-separated entry of `ids`: an identifier, the gender, or information kept in remarks."""
    parts = [part.strip() for part in entry.split(",")]
    if len(parts) < 2:
        remarks.append(entry)
        return
    label, values = (parts[0], parts[1:]) if label_first else (parts[-1], parts[:-1])
    if label.lower() == "gender":
        gender = _GENDERS.get(" ".join(values).lower())
        if gender is not None:
            genders.append(gender)
        return
    if _INFO_LABELS.search(label):
        remarks.append(f"{label.rstrip(' :-')}: {', '.join(values)}")
        return
    country: str | None = None
    edge = 0 if not label_first else -1
    if len(values) > 1 and _ISO2.match(values[edge]) and to_iso2(values[edge]):
        country = values.pop(edge)
    dates = [value for value in values if _ISO_DAY.match(value)] if len(values) > 1 else []
    value = ", ".join(value for value in values if value not in dates)
    if not value:
        remarks.append(entry)
        return
    kind = identifier_type(label)
    if match := _IMO.match(value):
        # A ship's number, or under `Company Number` the IMO company number of its owner or manager: both IMO.
        kind, value = IdentifierType.IMO, match.group(1)
    note = None
    if len(dates) == 2 and not label_first:
        # Expiry first: in all 246 such entries of the 2022 file the first date is the later one, and OFAC's
        # own text agrees (K475336: "issued 31 Aug 2009 expires 30 Aug 2014" is "2014-08-30, 2009-08-31").
        note = f"expires {dates[0]}, issued {dates[1]}"
    elif dates:
        note = f"dates {', '.join(dates)} (issue or expiry, not stated)"
    identifiers.append(Identifier(type=kind, value=value, country=country, label=label, note=note))


def _merge(path: Path, first: Entity, second: Entity) -> Entity:
    """Two rows of one list with one id: their listed values together, the first row's single values first."""
    if first == second:
        return first
    merged: dict[str, Any] = {}
    for field in Entity.model_fields:
        a, b = getattr(first, field), getattr(second, field)
        if isinstance(a, tuple):
            merged[field] = tuple(dict.fromkeys((*a, *b)))
        elif field == "remarks" and a and b and a != b:
            merged[field] = f"{a}\n{b}"
        else:
            merged[field] = a if a is not None else b
    try:
        return Entity(**merged)
    except ValidationError as exc:
        raise ListFormatError(NAME, path, f"cannot merge rows: {exc.errors()[0]['msg']}", record=first.id) from None


SOURCE = ListSource(
    name=NAME,
    title="US Consolidated Screening List (trade.gov)",
    parser=parse,
    downloads=(Download(url=URL, filename=FILENAME),),
    homepage="https://www.trade.gov/consolidated-screening-list",
)
