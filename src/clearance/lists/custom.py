"""An organisation's own watchlist, loaded from CSV and screened like any official list.

Columns: `id,name` and optionally `type` (person, organization, vessel, aircraft),
`aliases` (separated by `;`), `dob` (several separated by `;`), `country` (ISO
code or name; several separated by `;`) and `ids` (identifier values separated
by `;`, each optionally `label:value`). The source is named `custom:NAME`.
"""

from __future__ import annotations

import csv
import io
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from clearance.countries import to_iso2
from clearance.errors import ListFormatError
from clearance.lists.dates import parse_dob
from clearance.lists.identifiers import identifier_type
from clearance.lists.source import ListSource, ParsedList
from clearance.model import KIND_WORDS, Entity, EntityKind, Identifier, Name, NameQuality
from clearance.scripts import detect_script

PREFIX = "custom:"
REQUIRED = ("id", "name")
OPTIONAL = ("type", "aliases", "dob", "country", "ids")


def custom_source(name: str) -> ListSource:
    """The source for the watchlist called `name` (letters, digits, `-` and `_`)."""
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ListFormatError(PREFIX + name, "-", "a watchlist name is letters, digits, '-' and '_' only", field="name")
    source = PREFIX + name
    return ListSource(name=source, title=f"Watchlist {name}", parser=partial(parse, source))


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def parse(source: str, path: Path) -> ParsedList:
    """Read a watchlist CSV (UTF-8, header row)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFormatError(source, path, f"not UTF-8 at byte {exc.start}") from None
    except OSError as exc:
        raise ListFormatError(source, path, f"cannot read: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))  # quoted line breaks stay in their cell
    try:
        return _read(source, path, reader)
    except csv.Error as exc:  # a cell over the csv module's limit of 131,072 characters
        raise ListFormatError(source, path, f"malformed CSV: {exc}", record=f"line {reader.line_num}") from None


def _read(source: str, path: Path, reader: csv.DictReader[str]) -> ParsedList:
    header = [column.strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ListFormatError(source, path, f"missing column(s) {', '.join(missing)}; found {header}", record="header")
    reader.fieldnames = header
    entities: dict[str, Entity] = {}
    for line, row in enumerate(reader, start=2):
        if None in row:
            raise ListFormatError(source, path, "more cells than header columns", record=f"line {line}")
        entity = _entity(source, path, line, row)
        if entity.id in entities:
            raise ListFormatError(source, path, f"id {entity.id} occurs twice", record=f"line {line}", field="id")
        entities[entity.id] = entity
    return ParsedList(source=source, entities=tuple(entities.values()), files=(path,))


def _entity(source: str, path: Path, line: int, row: dict[str, str | None]) -> Entity:
    record = f"line {line}"
    own_id = (row.get("id") or "").strip()
    name = (row.get("name") or "").strip()
    if not own_id:
        raise ListFormatError(source, path, "empty id", record=record, field="id")
    if not name:
        raise ListFormatError(source, path, "empty name", record=record, field="name")
    kind_text = (row.get("type") or "").strip().lower()
    if kind_text and kind_text not in KIND_WORDS:
        raise ListFormatError(source, path, f"unknown type {kind_text!r}", record=record, field="type")
    countries = []
    for value in _split(row.get("country")):
        code = to_iso2(value)
        if code is None:
            raise ListFormatError(source, path, f"not a country: {value!r}", record=record, field="country")
        countries.append(code)
    dobs = [parse_dob(value) for value in _split(row.get("dob"))]
    if any(dob.text for dob in dobs):
        raise ListFormatError(source, path, f"not a date: {row.get('dob')!r}", record=record, field="dob")
    identifiers = []
    for value in _split(row.get("ids")):
        label, _, number = value.rpartition(":")
        if not number.strip():
            raise ListFormatError(source, path, f"identifier {value!r} has no number", record=record, field="ids")
        identifiers.append(Identifier(type=identifier_type(label), value=number, label=label or None))
    names = [Name(full=name, quality=NameQuality.PRIMARY, script=detect_script(name))]
    names += [
        Name(full=alias, quality=NameQuality.STRONG, script=detect_script(alias))
        for alias in _split(row.get("aliases"))
    ]
    try:
        return Entity(
            id=f"{source}:{own_id}",
            source=source,
            kind=KIND_WORDS.get(kind_text, EntityKind.UNKNOWN),
            names=tuple(names),
            dates_of_birth=tuple(dobs),
            nationalities=tuple(countries),
            identifiers=tuple(identifiers),
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        raise ListFormatError(
            source, path, error["msg"], record=record, field=".".join(map(str, error["loc"]))
        ) from None
