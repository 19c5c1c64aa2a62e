"""EU Annex IV to Regulation (EU) No 833/2014: military-industrial end users, screened like any list.

Annex IV names the persons and bodies to which dual-use goods and the advanced
technology of Annex VII may not go (Articles 2(7), 2a(7) and 2b(1)). The EU
publishes it only inside the Regulation's text, so the clearance project compiled
it from the Official Journal and ships it in the package (written by
bench/goods_rules.py; see docs/goods.md): `lists update` loads the packaged file,
and a new version is a reviewed change of that file. It holds the 622 entries of
Annex IV as replaced by Regulation (EU) 2023/2878, then every entry added since, up
to Regulation (EU) 2025/2033, less the one the Annex no longer lists.

Columns: id, entry_no, entry_no_current, name, aliases, country, country_code,
added_by_act, listed_on, identifying_information, source_url. The entity id is
`eu-annex-iv:<id>`, and ids never change, though the Annex is renumbered whenever it
is replaced (Regulation (EU) 2024/1745 renumbered it throughout): an entry of the
2023/2878 text keeps its number there (`eu-annex-iv:442`); a later one is named by
the act that listed it and its number in that act (`eu-annex-iv:2025-2033-817`), which
no later text renumbers and no bare number can equal. `entry_no` is that number,
`entry_no_current` the entry's number in the Annex as last amended (blank for the
2023 entries, which were not reconciled with it). `country_code` may hold several
codes, space-separated; `listed_on` is the Annex's date of listing.

A name's parenthesised part (an acronym or a second name: `Iran Aircraft
Manufacturing Industries Corporation (HESA)`) is also an alias, as is the name without
it; names joined by `;` are each a name, and so is each of `aliases` (local names and
a.k.a. names). Addresses are read from the identifying information. Entries are
organisations, except those named as given name, patronymic and surname (entries 81
and 141, Lev Anatolyevich Yershov and Vladislav Vladimirovich Fedorenko), which are
persons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from pydantic import ValidationError

from clearance.errors import ListFormatError
from clearance.lists.source import ListSource, ParsedList
from clearance.model import Address, Entity, EntityKind, Name, NameQuality
from clearance.scripts import detect_script

NAME = "eu-annex-iv"
PROGRAMME = "EU-833/2014-ANNEX-IV"
BUNDLED = Path(__file__).resolve().parents[1] / "goods" / "data" / "eu_annex_iv_entities.csv"
COLUMNS = (
    "id",
    "entry_no",
    "entry_no_current",
    "name",
    "aliases",
    "country",
    "country_code",
    "added_by_act",
    "listed_on",
    "identifying_information",
    "source_url",
)
_ID = re.compile(r"\d+|\d{4}-\d+-\d+")
"""An entry of the 2023/2878 text (its number), or a later one (listing act, number in it: `2025-2033-817`)."""
_ADDRESSES = re.compile(
    r"Address(?:\(es\))?\s*:\s*(.*?)\s*"
    r"(?=\b(?:Telephone|Tel|Phone|Fax|Websites?|E-?mails?|Registration number|Tax ID|Date of registration)\b\s*:|$)"
)
"""The addresses in an entry's identifying information: up to the next label."""
_PARENS = re.compile(r"\s*\(([^()]+)\)\s*")
_PERSON = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+(?:ovich|evich|ovna|evna|ichna) [A-Z][a-z]+\b")
"""Given name, patronymic, surname: the one shape in which Annex IV lists people."""
_STRONG_ALIAS_WORDS = 2
"""A parenthesised part with at least this many words of four letters or more is a name, not an acronym."""
ACT_DATES: dict[str, dt.date] = {
    "2022/2474": dt.date(2022, 12, 16),
    "2023/427": dt.date(2023, 2, 25),
    "2023/1214": dt.date(2023, 6, 23),
    "2023/2878": dt.date(2023, 12, 18),
    "2024/745": dt.date(2024, 2, 23),
    "2024/1745": dt.date(2024, 6, 24),
    "2024/3192": dt.date(2024, 12, 16),
    "2025/395": dt.date(2025, 2, 24),
    "2025/932": dt.date(2025, 5, 20),
    "2025/1494": dt.date(2025, 7, 18),
    "2025/2033": dt.date(2025, 10, 23),
}
"""Dates of the Council Regulations amending Annex IV: the table is as current as the latest act it encodes,
which is what `lists status` ages it by."""
_ACT = re.compile(r"\b(20\d\d/\d+)\b")


def parse(path: Path) -> ParsedList:
    """Read the compiled Annex IV CSV (UTF-8, header row)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ListFormatError(NAME, path, f"not UTF-8 at byte {exc.start}") from None
    except OSError as exc:
        raise ListFormatError(NAME, path, f"cannot read: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))  # quoted line breaks stay in their cell
    entities: dict[str, Entity] = {}
    acts: set[str] = set()
    try:
        header = tuple(reader.fieldnames or ())
        if header != COLUMNS:
            raise ListFormatError(NAME, path, f"expected columns {', '.join(COLUMNS)}; found {list(header)}", "header")
        for line, row in enumerate(reader, start=2):
            acts.update(_ACT.findall(row.get("added_by_act") or ""))
            if None in row:
                raise ListFormatError(NAME, path, "more cells than header columns", record=f"line {line}")
            entity = _entity(path, line, row)
            if entity.id in entities:
                raise ListFormatError(NAME, path, f"entry {entity.id} occurs twice", f"line {line}", "id")
            entities[entity.id] = entity
    except csv.Error as exc:  # a cell over the csv module's limit of 131,072 characters
        raise ListFormatError(NAME, path, f"malformed CSV: {exc}", f"line {reader.line_num}") from None
    if not entities:
        raise ListFormatError(NAME, path, "no entries")
    return ParsedList(source=NAME, entities=tuple(entities.values()), files=(path,), published=_latest_act(path, acts))


def _latest_act(path: Path, acts: set[str]) -> dt.datetime:
    """The date of the latest amending act the table encodes, as the list's publication date."""
    unknown = sorted(acts - ACT_DATES.keys())
    if unknown:
        raise ListFormatError(NAME, path, f"no date known for act(s) {', '.join(unknown)}: add them to ACT_DATES")
    if not acts:
        raise ListFormatError(NAME, path, "no entry names the act that listed it", field="added_by_act")
    latest = max(ACT_DATES[act] for act in acts)
    return dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC)


def names_of(text: str) -> list[Name]:
    """The listed name as written, and the aliases its `;` and parentheses hold."""
    names = [Name(full=text, quality=NameQuality.PRIMARY, script=detect_script(text))]
    seen = {text.casefold()}

    def add(full: str, quality: NameQuality) -> None:
        full = " ".join(full.replace("\u201c", "").replace("\u201d", "").split()).strip(" ,;")
        if full and full.casefold() not in seen:
            seen.add(full.casefold())
            names.append(Name(full=full, quality=quality, script=detect_script(full)))

    for part in (p for p in text.split(";") if p.strip()):
        add(part, NameQuality.STRONG)
        bare = _PARENS.sub(" ", part)
        add(bare, NameQuality.STRONG)
        for inner in _PARENS.findall(part):
            long_words = [w for w in inner.split() if len(w) >= 4 and not w.isupper()]
            add(inner, NameQuality.STRONG if len(long_words) >= _STRONG_ALIAS_WORDS else NameQuality.WEAK)
    return names


def _entity(path: Path, line: int, row: dict[str, str | None]) -> Entity:
    record = f"line {line}"
    key = (row.get("id") or "").strip()
    entry = (row.get("entry_no") or "").strip()
    name = " ".join((row.get("name") or "").split())
    if not _ID.fullmatch(key):
        raise ListFormatError(NAME, path, f"id {key!r} is neither a number nor act-number", record, "id")
    if not entry.isdigit():
        raise ListFormatError(NAME, path, f"entry number {entry!r} is not a number", record, "entry_no")
    if not name:
        raise ListFormatError(NAME, path, "empty name", f"entry {key}", "name")
    codes = (row.get("country_code") or "").split()
    for code in codes:
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ListFormatError(NAME, path, f"not an ISO 3166 alpha-2 code: {code!r}", f"entry {key}", "country_code")
    listed = (row.get("listed_on") or "").strip()
    try:
        listed_on = dt.date.fromisoformat(listed) if listed else None
    except ValueError:
        raise ListFormatError(NAME, path, f"not a date: {listed!r}", f"entry {key}", "listed_on") from None
    act = (row.get("added_by_act") or "").strip()
    info = " ".join((row.get("identifying_information") or "").split())
    try:
        return Entity(
            id=f"{NAME}:{key}",
            source=NAME,
            kind=EntityKind.PERSON if _PERSON.match(name) else EntityKind.ORGANIZATION,
            names=_names(name, row.get("aliases") or ""),
            addresses=_addresses((row.get("country") or "").strip(), codes, info),
            programmes=(PROGRAMME,),
            listed_on=listed_on,
            remarks=_remarks(row, entry, act, listed_on, info),
            source_url=(row.get("source_url") or "").strip() or None,
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(map(str, error["loc"])) or None
        raise ListFormatError(NAME, path, error["msg"], f"entry {key}", field) from None


def _names(name: str, aliases: str) -> tuple[Name, ...]:
    """The listed name and its variants first, then each alias the entry gives (local names, a.k.a.) and its own."""
    names = names_of(name)
    seen = {n.full.casefold() for n in names}
    for alias in (a.strip() for a in aliases.split(";") if a.strip()):
        for found in names_of(alias):
            if found.full.casefold() not in seen:
                seen.add(found.full.casefold())
                strong = found.quality is NameQuality.PRIMARY
                names.append(found.model_copy(update={"quality": NameQuality.STRONG}) if strong else found)
    return tuple(names)


def _addresses(country: str, codes: list[str], info: str) -> tuple[Address, ...]:
    """The addresses the entry gives, each with its country where the entry has only one; else the country alone.

    A country the table derived from the addresses (`RU (derived from address)`) is not the Annex's words, so it is
    not written as an address; an entry's countries all appear, as codes, whatever the addresses say.
    """
    found = _ADDRESSES.search(info)
    places = [p.strip(" ;,") for p in found.group(1).split("; ")] if found else []
    one = codes[0] if len(codes) == 1 else None
    addresses = [Address(full=place, country=one) for place in places if place]
    if addresses and one:
        return tuple(addresses)
    written = None if country.endswith("(derived from address)") else country or None
    if not codes:
        return (*addresses, Address(full=written)) if written else tuple(addresses)
    return (*addresses, *(Address(full=written if i == 0 else None, country=c) for i, c in enumerate(codes)))


def _remarks(row: dict[str, str | None], entry: str, act: str, listed_on: dt.date | None, info: str) -> str:
    """Old entries as before (`Annex IV entry 442. Listed by: ...`); later ones with their numbers and listing."""
    current = (row.get("entry_no_current") or "").strip()
    if listed_on is None and not current:
        return f"Annex IV entry {entry}. Listed by: {act}" if act else f"Annex IV entry {entry}"
    text = f"Annex IV entry {current or entry} (entry {entry} of {act}). Listed by: {act}"
    text += f" on {listed_on.isoformat()}" if listed_on else ""
    return f"{text}. {info}" if info else text


SOURCE = ListSource(
    name=NAME,
    title="EU Annex IV to Regulation (EU) No 833/2014 (military-industrial end users)",
    parser=parse,
    homepage="https://eur-lex.europa.eu/eli/reg/2014/833/oj",
    bundled=BUNDLED,
    max_age_days=365.0,  # the EU amends Annex IV several times a year: a year past its latest act, it is behind
)
