"""Exporting the active lists: JSON lines, a flat CSV, or FollowTheMoney entities.

FollowTheMoney (FtM) is the entity format of OpenSanctions and Aleph; exporting it
lets a clearance store feed their tools. The mapping is written out here rather
than through the `followthemoney` package, which would pull a large dependency
tree into every install for one output format.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import IO, Any

from clearance.model import Entity, EntityKind, IdentifierType, NameQuality


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    FTM = "ftm"


CSV_COLUMNS = (
    "id",
    "source",
    "sub_list",
    "kind",
    "name",
    "aliases",
    "dates_of_birth",
    "places_of_birth",
    "nationalities",
    "citizenships",
    "countries",
    "identifiers",
    "programmes",
    "listed_on",
    "remarks",
)


def export(entities: Iterable[Entity], fmt: ExportFormat, out: IO[str]) -> int:
    """Write `entities` to `out` in `fmt`; returns how many entities were written."""
    count = 0
    if fmt is ExportFormat.CSV:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for entity in entities:
            writer.writerow(csv_row(entity))
            count += 1
        return count
    for entity in entities:
        records = [entity.to_json()] if fmt is ExportFormat.JSONL else list(ftm_entities(entity))
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: one that begins like one gets a leading quote (OWASP).

    List text is written by others (a custom watchlist is anyone's file): `=HYPERLINK(...)` in a name must
    stay text when an analyst opens the export.
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def csv_row(entity: Entity) -> list[str]:
    """One flat row; several values in a cell are separated by `; `."""

    def join(values: Iterable[object]) -> str:
        return "; ".join(str(v) for v in values)

    return [
        spreadsheet_safe(cell)
        for cell in (
            entity.id,
            entity.source,
            entity.sub_list or "",
            entity.kind.value,
            entity.name,
            join(n.full for n in entity.names if n.full != entity.name),
            join(entity.dates_of_birth),
            join(entity.places_of_birth),
            join(entity.nationalities),
            join(entity.citizenships),
            join(entity.countries),
            join(f"{i.type.value}:{i.value}" + (f" ({i.country})" if i.country else "") for i in entity.identifiers),
            join(entity.programmes),
            entity.listed_on.isoformat() if entity.listed_on else "",
            entity.remarks or "",
        )
    ]


_SCHEMA = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.VESSEL: "Vessel",
    EntityKind.AIRCRAFT: "Airplane",
    EntityKind.UNKNOWN: "LegalEntity",
}

_ID_PROPERTY = {
    IdentifierType.PASSPORT: "passportNumber",
    IdentifierType.TAX_ID: "taxNumber",
    IdentifierType.REGISTRATION: "registrationNumber",
    IdentifierType.IMO: "imoNumber",
    IdentifierType.MMSI: "mmsi",
    IdentifierType.CALL_SIGN: "callSign",
    IdentifierType.SWIFT_BIC: "swiftBic",
    IdentifierType.AIRCRAFT_SERIAL: "serialNumber",
    IdentifierType.AIRCRAFT_TAIL: "registrationNumber",
}

_NAME_PROPERTY = {
    NameQuality.PRIMARY: "name",
    NameQuality.STRONG: "alias",
    NameQuality.WEAK: "weakAlias",
    NameQuality.FORMER: "previousName",
}


def ftm_entities(entity: Entity) -> Iterator[dict[str, Any]]:
    """The FtM entities for one listed entity: the party, its Sanction, and any crypto wallets."""
    schema = _SCHEMA[entity.kind]
    props: dict[str, list[str]] = {}

    def add(prop: str, *values: str | None) -> None:
        for value in values:
            if value and value not in props.setdefault(prop, []):
                props[prop].append(value)

    primary = entity.name
    add("name", primary)
    for name in entity.names:
        if name.full != primary:
            add(_NAME_PROPERTY[name.quality], name.full)
    if entity.kind is EntityKind.PERSON:
        first = entity.names[0]
        add("firstName", first.first)
        add("middleName", first.middle)
        add("lastName", first.last)
        add("fatherName", first.patronymic)
        add("title", first.title)
        add("birthDate", *(str(d.date) for d in entity.dates_of_birth if d.date is not None))
        add("birthPlace", *(str(p) for p in entity.places_of_birth))
        add("nationality", *(c.lower() for c in entity.nationalities))
        add("citizenship", *(c.lower() for c in entity.citizenships))
        add("gender", entity.gender.value if entity.gender else None)
        add("position", *entity.positions)
    add("address", *(str(a) for a in entity.addresses))
    add("country", *(a.country.lower() for a in entity.addresses if a.country))
    if entity.kind in (EntityKind.VESSEL, EntityKind.AIRCRAFT) and entity.flag:
        add("flag", entity.flag.lower())
    wallets = []
    for identifier in entity.identifiers:
        if identifier.type is IdentifierType.CRYPTO:
            wallets.append(identifier)
            continue
        prop = _ID_PROPERTY.get(identifier.type, "idNumber")
        if entity.kind is not EntityKind.VESSEL and prop in ("imoNumber", "mmsi", "callSign", "flag"):
            prop = "idNumber"
        if entity.kind is not EntityKind.AIRCRAFT and prop == "serialNumber":
            prop = "idNumber"
        if entity.kind is EntityKind.PERSON and prop in ("registrationNumber", "swiftBic"):
            prop = "idNumber"
        add(prop, identifier.value)
    add("notes", entity.remarks)
    add("sourceUrl", entity.source_url)
    add("topics", "sanction")
    yield {"id": _ftm_id(entity.id), "schema": schema, "properties": props, "datasets": [entity.source]}
    sanction: dict[str, list[str]] = {"entity": [_ftm_id(entity.id)], "authority": [entity.sub_list or entity.source]}
    if entity.programmes:
        sanction["program"] = list(entity.programmes)
    if entity.listed_on:
        sanction["listingDate"] = [entity.listed_on.isoformat()]
    if entity.source_url:
        sanction["sourceUrl"] = [entity.source_url]
    yield {
        "id": _ftm_id(entity.id, "sanction"),
        "schema": "Sanction",
        "properties": sanction,
        "datasets": [entity.source],
    }
    for wallet in wallets:
        yield {
            "id": _ftm_id(entity.id, "wallet", wallet.value),
            "schema": "CryptoWallet",
            "properties": {
                "publicKey": [wallet.value],
                "holder": [_ftm_id(entity.id)],
                **({"currency": [wallet.label]} if wallet.label else {}),
            },
            "datasets": [entity.source],
        }


def _ftm_id(*parts: str) -> str:
    """FtM ids are slugs; clearance ids (`un:KPi.033`) are kept readable inside them."""
    return "-".join(part.replace(":", "-").replace(" ", "-") for part in parts)
