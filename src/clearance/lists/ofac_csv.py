"""OFAC's legacy CSV set: one primary file plus addresses, aliases and remark continuations.

OFAC publishes the SDN list and the Consolidated (non-SDN) list in the same
layout: `sdn.csv` / `cons_prim.csv` (one row per entry), `add.csv` / `cons_add.csv`
(addresses), `alt.csv` / `cons_alt.csv` (aliases) and `sdn_comments.csv` /
`cons_comments.csv` (the rest of a Remarks text longer than 1,000 characters, cut
mid-word: it is appended as it is). No header row, `-0-` for an empty cell, CRLF,
and an MS-DOS end-of-file byte (0x1A) after the last row.

Every real file (2019 to 2025) is 7-bit ASCII: OFAC transliterates names. The files
are read as UTF-8, which ASCII is a subset of, strictly: a byte that is not UTF-8
(a cp1252 or UTF-16 file) stops the load with the file and line, rather than turning
a name into something no one listed.

Aliases: alt.csv's `aka` and `nka` are OFAC's good-quality aliases (STRONG), `fka`
are FORMER. OFAC's low-quality a.k.a.s never appear in alt.csv (its alt_remarks
column is empty in every real file): the legacy format writes them into Remarks in
quotes (`a.k.a. 'BNC'`, `f.k.a. 'ANA I'`), and they become WEAK (FORMER for f.k.a.)
names. A name repeated with the same quality is kept once.

The add, alt and comments files are optional; their rows for an ent_num that the
primary file lacks are skipped, since a set mixed from two dates (the 2019 SDN set
here carries a 2023 comments file) should still load what belongs together.

No file of the set states a publication date, so `ParsedList.published` is None.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from clearance.countries import to_iso2
from clearance.errors import ListFormatError
from clearance.gcpause import gc_paused
from clearance.lists import ofac_advanced
from clearance.lists.ofac_remarks import RemarkFacts, parse_remarks
from clearance.lists.records import Record, unique
from clearance.lists.source import Download, ListSource, ParsedList
from clearance.model import (
    Address,
    Entity,
    EntityKind,
    Identifier,
    IdentifierType,
    Name,
    NameQuality,
)
from clearance.scripts import detect_script

DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}"
EXPORTS_URL = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

PRIMARY_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ADD_COLUMNS = ("ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks")
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
COMMENTS_COLUMNS = ("ent_num", "Remarks")

_KINDS = {
    "individual": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
    None: EntityKind.ORGANIZATION,
}
_ALT_QUALITY = {"aka": NameQuality.STRONG, "nka": NameQuality.STRONG, "fka": NameQuality.FORMER}
# `-0-` is OFAC's empty cell; the 2019 add.csv ends in `-0` (its last two bytes cut).
_EMPTY = frozenset({"", "-0-", "-0"})
_PROGRAMME_SPLIT = re.compile(r"\]\s*\[")
_ENT_NUM = re.compile(r"[0-9]{1,18}")
"""ASCII digits only: str.isdigit also takes `²`, which int() refuses, and a number of thousands of digits."""


@dataclass(frozen=True)
class CsvSet:
    """The file names of one list's CSV set, as OFAC names them (matched case-insensitively)."""

    source: str
    primary: str
    add: str
    alt: str
    comments: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.primary, self.add, self.alt, self.comments)


SDN_SET = CsvSet(source="ofac-sdn", primary="sdn.csv", add="add.csv", alt="alt.csv", comments="sdn_comments.csv")
CONS_SET = CsvSet(
    source="ofac-cons",
    primary="cons_prim.csv",
    add="cons_add.csv",
    alt="cons_alt.csv",
    comments="cons_comments.csv",
)
_SETS = (SDN_SET, CONS_SET)


def ofac_source(csv_set: CsvSet, title: str, homepage: str) -> ListSource:
    """An OFAC list read from its CSV set (a folder, or one file of it) or from an `.xml` file (advanced XML)."""

    def parse(path: Path) -> ParsedList:
        if path.suffix.lower() == ".xml" and not path.is_dir():
            return ofac_advanced.parse_advanced(csv_set.source, path)
        return parse_csv_set(csv_set, path)

    return ListSource(
        name=csv_set.source,
        title=title,
        parser=parse,
        downloads=tuple(Download(url=EXPORTS_URL + name.upper(), filename=name) for name in csv_set.names),
        homepage=homepage,
    )


@dataclass
class _Entry:
    """One primary row with what the other files add to it, before it becomes an Entity."""

    ent_num: str
    row: list[str | None]
    line: int
    remarks: str = ""
    addresses: list[Address] = field(default_factory=list)
    aliases: list[tuple[NameQuality, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def csv_set_folder(csv_set: CsvSet, path: Path) -> Path:
    """The folder of the set that `path` (the folder, or one file of it) points to."""
    if path.is_dir():
        return path
    name = path.name.lower()
    if name in csv_set.names:
        return path.parent
    for other in _SETS:
        if other is not csv_set and name in other.names:
            raise ListFormatError(
                csv_set.source, path, f"not a {csv_set.source} file: {path.name} belongs to {other.source}"
            )
    raise ListFormatError(
        csv_set.source,
        path,
        f"not a {csv_set.source} file: expected a folder holding {csv_set.primary} or that file itself",
    )


@gc_paused()
def parse_csv_set(csv_set: CsvSet, path: Path) -> ParsedList:
    """Parse the CSV set in the folder `path` (or the folder of the file `path`)."""
    if not path.exists():
        raise ListFormatError(csv_set.source, path, "no such file or folder")
    folder = csv_set_folder(csv_set, path)
    found = _find_files(folder)
    primary = found.get(csv_set.primary)
    if primary is None:
        raise ListFormatError(
            csv_set.source,
            folder,
            f"the primary file {csv_set.primary} is missing (required; found: "
            f"{', '.join(sorted(p.name for p in found.values())) or 'no CSV file'})",
        )
    entries = _read_primary(csv_set, primary)
    files = [primary]
    if (add := found.get(csv_set.add)) is not None:
        files.append(add)
        _read_addresses(csv_set, add, entries)
    if (alt := found.get(csv_set.alt)) is not None:
        files.append(alt)
        _read_aliases(csv_set, alt, entries)
    if (comments := found.get(csv_set.comments)) is not None:
        files.append(comments)
        _read_comments(csv_set, comments, entries)
    primary_names = {entry.row[1] for entry in entries.values() if entry.row[1]}
    entities = tuple(_entity(csv_set, primary, entry, primary_names) for entry in entries.values())
    return ParsedList(source=csv_set.source, entities=entities, files=tuple(files), published=None)


def _find_files(folder: Path) -> dict[str, Path]:
    """The folder's files by lower-cased name: OFAC serves `SDN.CSV`, mirrors keep `sdn.csv`."""
    found: dict[str, Path] = {}
    for item in sorted(folder.iterdir()):
        if item.is_file():
            found.setdefault(item.name.lower(), item)
    return found


def read_rows(source: str, path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str | None]]]:
    """Rows of one file of the set as (line number, cells with `-0-` as None), checked for shape."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(source, path, f"cannot read the file: {exc.strerror or exc}") from None
    if not data.strip(b"\x1a \t\r\n"):
        raise ListFormatError(source, path, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ListFormatError(source, path, "UTF-16 byte-order mark: the file must be UTF-8 (ASCII)")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ListFormatError(source, path, f"line {line}: NUL byte: not a text CSV file (UTF-16?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise ListFormatError(source, path, f"line {line}: byte 0x{byte} is not UTF-8/ASCII ({exc.reason})") from None
    text = text.rstrip("\r\n\t ").removesuffix("\x1a")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    first = True
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = f"line {reader.line_num}: malformed CSV: {exc}"
            if "unexpected end of data" in str(exc):
                problem += " (the file ends inside a quoted field: truncated?)"
            if first:
                problem = f"not a {source} file (OFAC legacy CSV): {problem}"
            raise ListFormatError(source, path, problem) from None
        if not row:
            continue
        line = reader.line_num
        if len(row) != len(columns) or not _ENT_NUM.fullmatch(row[0].strip()):
            problem = (
                f"{len(row)} columns, expected {len(columns)} ({', '.join(columns)})"
                if len(row) != len(columns)
                else f"ent_num {row[0].strip()[:40]!r} is not a number (1 to 18 digits)"
            )
            if first:
                problem = f"not a {source} file (OFAC legacy CSV): line {line} has {problem}"
            else:
                problem = f"line {line} has {problem}"
            record = row[0].strip() if _ENT_NUM.fullmatch(row[0].strip()) else f"line {line}"
            field_name = None if len(row) != len(columns) else "ent_num"
            raise ListFormatError(source, path, problem, record=record, field=field_name)
        first = False
        yield line, [_cell(value) for value in row]


def _cell(value: str) -> str | None:
    value = " ".join(value.split())
    return None if value in _EMPTY else value


def _read_primary(csv_set: CsvSet, path: Path) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for line, row in read_rows(csv_set.source, path, PRIMARY_COLUMNS):
        ent_num = str(int(row[0] or "0"))
        if ent_num in entries:
            raise ListFormatError(
                csv_set.source,
                path,
                f"line {line}: ent_num {ent_num} repeats line {entries[ent_num].line}",
                record=ent_num,
                field="ent_num",
            )
        entries[ent_num] = _Entry(ent_num=ent_num, row=row, line=line, remarks=row[11] or "")
    return entries


def _read_addresses(csv_set: CsvSet, path: Path, entries: dict[str, _Entry]) -> None:
    """Addresses by ent_num; rows for entries the primary file lacks are skipped (a mixed set)."""
    for _line, row in read_rows(csv_set.source, path, ADD_COLUMNS):
        entry = entries.get(str(int(row[0] or "0")))
        if entry is None:
            continue
        street, city, country_text, note = row[2], row[3], row[4], row[5]
        region = None
        if country_text is not None and country_text.startswith("Region:"):
            region = country_text.removeprefix("Region:").strip() or None
        country = to_iso2(region if region is not None else country_text)
        if street or city or country_text:
            full = ", ".join(part for part in (street, city, country_text) if part)
            record = Record(csv_set.source, path, entry.ent_num)
            entry.addresses.append(
                record.build(Address, "address", full=full, street=street, city=city, region=region, country=country)
            )
        if note:
            entry.notes.append(f"Address: {note}")


def _read_aliases(csv_set: CsvSet, path: Path, entries: dict[str, _Entry]) -> None:
    for line, row in read_rows(csv_set.source, path, ALT_COLUMNS):
        entry = entries.get(str(int(row[0] or "0")))
        if entry is None:
            continue
        alt_type, name, note = (row[2] or "").lower(), row[3], row[4]
        quality = _ALT_QUALITY.get(alt_type)
        if quality is None:
            raise ListFormatError(
                csv_set.source,
                path,
                f"line {line}: unknown alt_type {row[2]!r}",
                record=entry.ent_num,
                field="alt_type",
            )
        if name is None:
            raise ListFormatError(
                csv_set.source, path, f"line {line}: alias without a name", record=entry.ent_num, field="alt_name"
            )
        entry.aliases.append((quality, name))
        if note:
            entry.notes.append(f"{name}: {note}")


def _read_comments(csv_set: CsvSet, path: Path, entries: dict[str, _Entry]) -> None:
    """Remark continuations; the SDN comments of 2019 here are of a later list, so unknown ids are skipped."""
    for _line, row in read_rows(csv_set.source, path, COMMENTS_COLUMNS):
        entry = entries.get(str(int(row[0] or "0")))
        if entry is not None and row[1]:
            entry.remarks += row[1]


def _entity(csv_set: CsvSet, path: Path, entry: _Entry, primary_names: set[str]) -> Entity:
    record = Record(csv_set.source, path, entry.ent_num)
    row = entry.row
    sdn_type = (row[2] or "").lower() or None
    if sdn_type not in _KINDS:
        raise record.fail("SDN_Type", f"line {entry.line}: unknown SDN_Type {row[2]!r}")
    if row[1] is None:
        raise record.fail("SDN_Name", f"line {entry.line}: empty name")
    return record.build(
        _build,
        None,
        source=csv_set.source,
        entry=entry,
        name=row[1],
        kind=_KINDS[sdn_type],
        facts=parse_remarks(entry.remarks),
        primary_names=primary_names,
    )


def _build(
    source: str, entry: _Entry, name: str, kind: EntityKind, facts: RemarkFacts, primary_names: set[str]
) -> Entity:
    """The entity of one primary row; a value the model refuses fails the record (see `_entity`)."""
    row = entry.row
    positions = tuple(dict.fromkeys(part.strip() for part in (row[4] or "").split(";") if part.strip()))
    titles = {p.rstrip(".") for p in positions}
    remarks = [s for s in facts.remarks if s.rstrip(".") not in titles]
    identifiers: list[Identifier] = []
    flag = None
    vessel_notes: list[str] = []
    if row[5]:
        identifiers.append(Identifier(type=IdentifierType.CALL_SIGN, value=row[5], label="Call Sign"))
    if row[9]:
        flag = to_iso2(row[9])
        if flag is None:
            vessel_notes.append(f"Vessel Flag {row[9]}")
    for label, value in (("Vessel Type", row[6]), ("Tonnage", row[7]), ("GRT", row[8]), ("Vessel Owner", row[10])):
        if value:
            vessel_notes.append(f"{label} {value}")
    identifiers.extend(facts.identifiers)
    names = _names(name, kind, entry.aliases + facts.aliases)
    linked = tuple(dict.fromkeys(_linked_name(party, primary_names) for party in facts.linked_to))
    text = "; ".join([*vessel_notes, *remarks, *entry.notes])
    return Entity(
        id=f"{source}:{entry.ent_num}",
        source=source,
        kind=kind,
        names=names,
        dates_of_birth=unique(facts.dates_of_birth),
        places_of_birth=unique(facts.places_of_birth),
        nationalities=tuple(facts.nationalities),
        citizenships=tuple(facts.citizenships),
        addresses=unique(entry.addresses),
        identifiers=unique(identifiers),
        programmes=_programmes(row[3]),
        gender=facts.gender,
        positions=positions,
        linked_to=linked,
        flag=flag,
        remarks=text or None,
        source_url=DETAILS_URL.format(entry.ent_num),
    )


def _names(primary: str, kind: EntityKind, aliases: list[tuple[NameQuality, str]]) -> tuple[Name, ...]:
    """The listed name first, then alt.csv's aliases, then the low-quality ones from Remarks."""
    unique = dict.fromkeys([(NameQuality.PRIMARY, primary), *((quality, text) for quality, text in aliases)])
    return tuple(_name(text, quality, kind) for quality, text in unique)


def _name(full: str, quality: NameQuality, kind: EntityKind) -> Name:
    """A name as listed; for persons OFAC writes `LAST, Given names`, which gives the parts."""
    last = first = None
    if kind is EntityKind.PERSON and "," in full:
        last_part, _, first_part = full.partition(",")
        last, first = last_part.strip() or None, first_part.strip() or None
    return Name(full=full, quality=quality, last=last, first=first, script=detect_script(full))


def _linked_name(name: str, primary_names: set[str]) -> str:
    """The linked name as the list writes it: the end of Remarks takes or leaves a final period
    (`... LTD.`, `... S.A.`) that only the list's own names can settle."""
    if name in primary_names:
        return name
    if f"{name}." in primary_names:
        return f"{name}."
    if name.endswith(".") and name[:-1] in primary_names:
        return name[:-1]
    return name


def _programmes(value: str | None) -> tuple[str, ...]:
    """`UKRAINE-EO13662] [RUSSIA-EO14024`: OFAC's way of listing several programmes in one cell."""
    if not value:
        return ()
    parts = (part.strip(" []") for part in _PROGRAMME_SPLIT.split(value))
    return tuple(dict.fromkeys(part for part in parts if part))
