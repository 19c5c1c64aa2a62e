"""OFAC's advanced XML (`sdn_advanced.xml`, `cons_advanced.xml`) and enhanced XML (`CONS_ENHANCED.XML`).

The advanced format is the UN "sanctions data model": every type, country, list and
programme is a numeric reference resolved through `ReferenceValueSets`, and a party's
documents, addresses and listings sit in other sections keyed by identity, location
and profile ids. Unlike the legacy CSV it states birth dates, nationalities and
identity documents as data rather than inside the free-text remarks, which is why
both OFAC sources read it when given an `.xml` file. The enhanced format carries the
same records already resolved, one `<entity>` each.

The entity id is the party's `FixedRef` (enhanced: the entity `id`), which is the
`ent_num` of OFAC's legacy CSV files, so ids stay the same whichever format is loaded.
Names are written as OFAC's own lists write them: `LAST, First Middle` for persons.
Programmes and sub-lists are sorted, so a reordering inside the file is not a change.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from pydantic import ValidationError

from clearance.countries import to_iso2
from clearance.errors import ListFormatError
from clearance.lists.dates import parse_day, parse_dob
from clearance.lists.identifiers import identifier_type
from clearance.lists.records import Record, unique
from clearance.lists.source import ParsedList
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
    PartialDate,
)
from clearance.scripts import detect_script

DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={id}"
"""OFAC's public page for one listed party, addressed by the same id."""

_CONSOLIDATED = "Consolidated List"
_SDN = "SDN List"

_KINDS = {
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
}

_GIVEN_ORDER = {"first name": 0, "middle name": 1, "patronymic": 2, "matronymic": 3}
_WHOLE_NAMES = {"entity name", "vessel name", "aircraft name"}

_IDENTIFIER_FEATURES = frozenset(
    {
        "swift/bic",
        "vessel call sign",
        "other vessel call sign",
        "aircraft manufacturer's serial number (msn)",
        "aircraft manufacturer\u2019s serial number (msn)",
        "aircraft construction number (also called l/n or s/n or f/n)",
        "aircraft tail number",
        "previous aircraft tail number",
        "aircraft mode s transponder code",
        "bik (ru)",
        "d-u-n-s number",
        "micex code",
    }
)
"""Features that are identifiers (as are `Digital Currency Address - XBT` and the like), typed by the shared rules."""
_FEATURE_TYPES = {"d-u-n-s number": IdentifierType.OTHER}
"""Where the advanced XML's features are typed otherwise than the shared rules read the label."""
_LINK_FEATURES = {"vessel owner", "aircraft operator"}
_IMO = re.compile(r"^IMO\s*:?\s*(\d{7})$", re.IGNORECASE)
_ISO2 = re.compile(r"^[A-Z]{2}$")
_NUMBER = re.compile(r"[0-9]{1,4}")
"""A year, month or day: ASCII digits (str.isdigit also takes `²`, which int() refuses)."""


def parse_advanced(source: str, path: Path) -> ParsedList:
    """Parse an OFAC advanced XML file (root `<Sanctions>`) into entities of `source`."""
    root = parse_xml(source, path, "Sanctions")
    return _Advanced(source, path, root).parse()


def parse_enhanced(source: str, path: Path) -> ParsedList:
    """Parse an OFAC enhanced XML file (root `<sanctionsData>`) into entities of `source`."""
    root = parse_xml(source, path, "sanctionsData")
    return _Enhanced(source, path, root).parse()


@dataclass
class _Draft:
    """An entity's fields as they are gathered; the model is built once all are known."""

    record: str
    kind: EntityKind = EntityKind.UNKNOWN
    names: list[Name] = field(default_factory=list)
    dates_of_birth: list[DateOfBirth] = field(default_factory=list)
    places_of_birth: list[Address] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    listed_on: list[dt.date] = field(default_factory=list)
    gender: Gender | None = None
    positions: list[str] = field(default_factory=list)
    linked_to: list[str] = field(default_factory=list)
    flag: str | None = None
    remarks: list[str] = field(default_factory=list)

    def entity(self, source: str, path: Path) -> Entity:
        sub_list = None
        if source == "ofac-cons":
            sub_list = "; ".join(sorted({name for name in self.lists if name != _CONSOLIDATED})) or None
        return Record(source, path, self.record).build(
            Entity,
            "entity",
            id=f"{source}:{self.record}",
            source=source,
            kind=self.kind,
            names=unique(self.names),
            dates_of_birth=unique(self.dates_of_birth),
            places_of_birth=unique(self.places_of_birth),
            nationalities=unique(self.nationalities),
            citizenships=unique(self.citizenships),
            addresses=unique(self.addresses),
            identifiers=unique(self.identifiers),
            programmes=tuple(sorted(set(self.programmes))),
            sub_list=sub_list,
            listed_on=min(self.listed_on) if self.listed_on else None,
            gender=self.gender,
            positions=unique(self.positions),
            linked_to=unique(self.linked_to),
            flag=self.flag,
            remarks="; ".join(unique(self.remarks)) or None,
            source_url=DETAILS_URL.format(id=self.record),
        )


class _Document:
    """One XML document of `source`, so every error names its file (and the record and field at fault)."""

    def __init__(self, source: str, path: Path, root: Element) -> None:
        self.source = source
        self.path = path
        self.ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""

    def error(self, message: str, record: str | None = None, field: str | None = None) -> ListFormatError:
        return ListFormatError(self.source, self.path, message, record=record, field=field)

    def record(self, record: str) -> Record:
        return Record(self.source, self.path, record)


class _Advanced(_Document):
    """One advanced XML document: its reference tables and cross-section indexes."""

    def __init__(self, source: str, path: Path, root: Element) -> None:
        super().__init__(source, path, root)
        sections = {local(child.tag): child for child in root}
        for required in ("ReferenceValueSets", "DistinctParties"):
            if required not in sections:
                raise ListFormatError(source, path, f"no <{required}> in <Sanctions>: not a {source} file")
        self.refs: dict[str, dict[str, Element]] = {}
        for values in sections["ReferenceValueSets"]:
            for value in values:
                self.refs.setdefault(local(value.tag), {})[value.get("ID", "")] = value
        self.sections = sections
        self.locations = {loc.get("ID", ""): loc for loc in self._children("Locations", "Location")}
        self.documents: dict[str, list[Element]] = {}
        for doc in self._children("IDRegDocuments", "IDRegDocument"):
            self.documents.setdefault(doc.get("IdentityID", ""), []).append(doc)
        self.entries: dict[str, list[Element]] = {}
        for entry in self._children("SanctionsEntries", "SanctionsEntry"):
            self.entries.setdefault(entry.get("ProfileID", ""), []).append(entry)
        self._countries: dict[str, str | None] = {}

    def q(self, name: str) -> str:
        return self.ns + name

    def _children(self, section: str, name: str) -> list[Element]:
        parent = self.sections.get(section)
        return [] if parent is None else parent.findall(self.q(name))

    def ref(self, kind: str, ref_id: str | None, record: str, field: str) -> Element:
        """The reference value `kind` with id `ref_id`; a dangling reference is a broken file."""
        value = self.refs.get(kind, {}).get(ref_id or "")
        if value is None:
            raise self.error(f"unknown {kind} reference {ref_id!r}", record, field)
        return value

    def ref_text(self, kind: str, ref_id: str | None, record: str, field: str) -> str:
        return _clean(self.ref(kind, ref_id, record, field).text) or ""

    def parse(self) -> ParsedList:
        self._check_lists()
        drafts: dict[str, _Draft] = {}
        profiles: dict[str, str] = {}
        for party in self.sections["DistinctParties"].findall(self.q("DistinctParty")):
            record = (party.get("FixedRef") or "").strip()
            if not record:
                raise self.error("DistinctParty without FixedRef", field="FixedRef")
            if record in drafts:
                raise self.error("duplicate DistinctParty", record, "FixedRef")
            drafts[record] = self._party(record, party, profiles)
        self._relations(drafts, profiles)
        entities = tuple(draft.entity(self.source, self.path) for draft in drafts.values())
        return ParsedList(source=self.source, entities=entities, files=(self.path,), published=self._published())

    def _check_lists(self) -> None:
        """Tell the SDN file from the Consolidated one: both share one format and one schema."""
        used = {
            self.ref_text("List", entry.get("ListID"), entry.get("ProfileID", "?"), "ListID")
            for entries in self.entries.values()
            for entry in entries
        }
        if self.source == "ofac-sdn" and _CONSOLIDATED in used:
            raise self.error(f"its parties are on the {_CONSOLIDATED}: not a {self.source} file")
        if self.source == "ofac-cons" and used and used <= {_SDN}:
            raise self.error(f"all its parties are on the {_SDN}: not a {self.source} file")

    def _published(self) -> dt.datetime | None:
        issue = self.sections.get("DateOfIssue")
        if issue is None:
            return None
        day = self._point(issue, "DateOfIssue", "DateOfIssue")
        try:
            return dt.datetime(day[0], day[1], day[2], tzinfo=dt.UTC)
        except ValueError as exc:
            raise self.error(f"not a date: {exc}", field="DateOfIssue") from None

    def _point(self, element: Element, record: str, field: str) -> tuple[int, int, int]:
        """Year, month and day of a date element (all three are required by the schema)."""
        values = []
        for part in ("Year", "Month", "Day"):
            raw = _clean(element.findtext(self.q(part)))
            if raw is None or not _NUMBER.fullmatch(raw):
                raise self.error(f"{part} is {raw!r}, not a number", record, field)
            values.append(int(raw))
        return values[0], values[1], values[2]

    def _party(self, record: str, party: Element, profiles: dict[str, str]) -> _Draft:
        draft = _Draft(record)
        comments = _texts(party.findall(self.q("Comment")))
        for profile in party.findall(self.q("Profile")):
            profile_id = profile.get("ID", "")
            profiles[profile_id] = record
            draft.kind = self._kind(profile, record)
            comments.extend(_texts(profile.findall(self.q("Comment"))))
            for identity in profile.findall(self.q("Identity")):
                self._identity(draft, identity)
            for feature in profile.findall(self.q("Feature")):
                self._feature(draft, feature)
            for entry in self.entries.get(profile_id, []):
                self._entry(draft, entry)
        draft.remarks.extend(comments)
        return draft

    def _kind(self, profile: Element, record: str) -> EntityKind:
        subtype = self.ref("PartySubType", profile.get("PartySubTypeID"), record, "PartySubTypeID")
        kind = _KINDS.get((_clean(subtype.text) or "").lower())
        if kind is None:
            party_type = self.ref_text("PartyType", subtype.get("PartyTypeID"), record, "PartyTypeID")
            kind = _KINDS.get(party_type.lower(), EntityKind.UNKNOWN)
        return kind

    def _identity(self, draft: _Draft, identity: Element) -> None:
        record = draft.record
        groups = {
            group.get("ID", ""): self.ref_text("NamePartType", group.get("NamePartTypeID"), record, "NamePartTypeID")
            for group in identity.iter(self.q("NamePartGroup"))
        }
        for alias in identity.findall(self.q("Alias")):
            quality = self._quality(alias, record)
            for documented in alias.findall(self.q("DocumentedName")):
                parts = []
                for value in documented.iter(self.q("NamePartValue")):
                    group = value.get("NamePartGroupID", "")
                    if group not in groups:
                        raise self.error(f"unknown NamePartGroupID {group!r}", record, "NamePartGroupID")
                    text = _clean(value.text)
                    if text:
                        parts.append((groups[group].lower(), text))
                if not parts:
                    raise self.error("DocumentedName without a name", record, "DocumentedName")
                draft.names.append(_person_name(self.record(record), parts, quality))
        for document in self.documents.get(identity.get("ID", ""), []):
            identifier = self._document(record, document)
            if identifier is not None:
                draft.identifiers.append(identifier)

    def _quality(self, alias: Element, record: str) -> NameQuality:
        if alias.get("Primary") == "true":
            return NameQuality.PRIMARY
        if alias.get("LowQuality") == "true":
            return NameQuality.WEAK
        alias_type = self.ref_text("AliasType", alias.get("AliasTypeID"), record, "AliasTypeID")
        return NameQuality.FORMER if alias_type.upper() == "F.K.A." else NameQuality.STRONG

    def _document(self, record: str, document: Element) -> Identifier | None:
        number = _clean(document.findtext(self.q("IDRegistrationNo")))
        if not number:
            return None
        label = self.ref_text("IDRegDocType", document.get("IDRegDocTypeID"), record, "IDRegDocTypeID")
        country = None
        if document.get("IssuedBy-CountryID"):
            country = self._country(document.get("IssuedBy-CountryID"), record, "IssuedBy-CountryID")
        elif document.get("IssuedIn-LocationID"):
            location = self._location(document.get("IssuedIn-LocationID"), record, "IssuedIn-LocationID")
            country = self._location_country(location, record)
        notes = []
        authority = _clean(document.findtext(self.q("IssuingAuthority")))
        if authority:
            notes.append(f"Issuing Authority {authority}")
        for date in document.findall(self.q("DocumentDate")):
            date_type = self.ref_text("IDRegDocDateType", date.get("IDRegDocDateTypeID"), record, "DocumentDate")
            period = date.find(self.q("DatePeriod"))
            if period is not None:
                notes.append(f"{date_type} {self._period(record, period, 'DocumentDate')}")
        if document.get("ValidityID"):
            validity = self.ref_text("Validity", document.get("ValidityID"), record, "ValidityID")
            if validity.lower() != "valid":
                notes.append(validity)
        notes.extend(_texts(document.findall(self.q("Comment"))))
        return _identifier(self.record(record), label, number, country, "; ".join(notes) or None)

    def _feature(self, draft: _Draft, feature: Element) -> None:
        record = draft.record
        label = self.ref_text("FeatureType", feature.get("FeatureTypeID"), record, "FeatureTypeID")
        key = label.lower()
        for version in feature.findall(self.q("FeatureVersion")):
            texts = self._details(record, version)
            periods = [self._period(record, p, label) for p in version.findall(self.q("DatePeriod"))]
            locations = [
                self._location(v.get("LocationID"), record, label) for v in version.findall(self.q("VersionLocation"))
            ]
            if key == "birthdate":
                draft.dates_of_birth.extend(periods or [parse_dob(t) for t in texts])
            elif key == "place of birth":
                draft.places_of_birth.extend(_place(self.record(record), t) for t in texts)
                draft.places_of_birth.extend(a for a in (self._address(loc, record) for loc in locations) if a)
            elif key == "location":
                draft.addresses.extend(a for a in (self._address(loc, record) for loc in locations) if a)
                draft.addresses.extend(_place(self.record(record), t) for t in texts)
            elif key in ("nationality country", "nationality of registration", "citizenship country", "vessel flag"):
                countries = [self._location_country(loc, record) for loc in locations] or [to_iso2(t) for t in texts]
                found = [c for c in countries if c]
                if key == "citizenship country":
                    draft.citizenships.extend(found)
                elif key == "vessel flag":
                    draft.flag = draft.flag or next(iter(found), None)
                else:
                    draft.nationalities.extend(found)
            elif key == "gender":
                for text in texts:
                    draft.gender = _gender(text) or draft.gender
            elif key == "title":
                draft.positions.extend(texts)
            elif _is_identifier(key):
                draft.identifiers.extend(_feature_identifier(self.record(record), label, text) for text in texts)
            else:
                if key in _LINK_FEATURES:
                    draft.linked_to.extend(texts)
                values = texts + [str(p) for p in periods]
                values += [self._location_text(loc, record) for loc in locations]
                comment = _clean(version.findtext(self.q("Comment")))
                suffix = f" ({comment})" if comment else ""
                draft.remarks.extend(f"{label} {value}{suffix}" for value in values if value)

    def _details(self, record: str, version: Element) -> list[str]:
        """The text of each VersionDetail, or the name of the reference value it points to."""
        values = []
        for detail in version.findall(self.q("VersionDetail")):
            if detail.get("DetailReferenceID"):
                values.append(
                    self.ref_text("DetailReference", detail.get("DetailReferenceID"), record, "DetailReference")
                )
            elif text := _clean(detail.text):
                values.append(text)
        return values

    def _period(self, record: str, period: Element, field: str) -> DateOfBirth:
        """A DatePeriod as a date: OFAC writes `1962` as 1962-01-01..1962-12-31, `Jan 1962` likewise."""
        start, end = period.find(self.q("Start")), period.find(self.q("End"))
        bounds = [b for b in (start, end) if b is not None]
        if not bounds:
            raise self.error("DatePeriod without Start or End", record, field)
        points = []
        for bound in bounds:
            for name in ("From", "To"):
                point = bound.find(self.q(name))
                if point is not None:
                    points.append(self._point(point, record, field))
        if not points:
            raise self.error("DatePeriod without a date", record, field)
        circa = any(b.get("Approximate") == "true" for b in bounds)
        return _period(points[0], points[-1], circa)

    def _location(self, location_id: str | None, record: str, field: str) -> Element:
        location = self.locations.get(location_id or "")
        if location is None:
            raise self.error(f"unknown Location {location_id!r}", record, field)
        return location

    def _country(self, country_id: str | None, record: str, field: str) -> str | None:
        """ISO alpha-2 of a Country reference: its ISO2 attribute, else its name; None for `undetermined`."""
        key = country_id or ""
        if key not in self._countries:
            country = self.ref("Country", key, record, field)
            code = (country.get("ISO2") or "").strip().upper()
            self._countries[key] = code if _ISO2.match(code) else to_iso2(country.text)
        return self._countries[key]

    def _location_parts(self, location: Element, record: str) -> list[tuple[str, str]]:
        parts = []
        for part in location.findall(self.q("LocationPart")):
            kind = self.ref_text("LocPartType", part.get("LocPartTypeID"), record, "LocPartTypeID").upper()
            values = part.findall(self.q("LocationPartValue"))
            chosen = next((v for v in values if v.get("Primary") == "true"), values[0] if values else None)
            text = _clean(chosen.findtext(self.q("Value"))) if chosen is not None else None
            if text:
                parts.append((kind, text))
        return parts

    def _location_country(self, location: Element, record: str) -> str | None:
        for country in location.findall(self.q("LocationCountry")):
            if code := self._country(country.get("CountryID"), record, "LocationCountry"):
                return code
        for area in location.findall(self.q("LocationAreaCode")):
            area_code = self.ref("AreaCode", area.get("AreaCodeID"), record, "LocationAreaCode")
            if code := self._country(area_code.get("CountryID"), record, "LocationAreaCode"):
                return code
        for kind, text in self._location_parts(location, record):
            if kind == "UNKNOWN" and (code := to_iso2(text)):
                return code
        return None

    def _location_text(self, location: Element, record: str) -> str:
        """A location as words, for remarks (Former Vessel Flag, ...)."""
        parts = [text for _kind, text in self._location_parts(location, record)]
        if not parts:
            for country in location.findall(self.q("LocationCountry")):
                parts.append(self.ref_text("Country", country.get("CountryID"), record, "LocationCountry"))
        return ", ".join(parts)

    def _address(self, location: Element, record: str) -> Address | None:
        parts: dict[str, list[str]] = {}
        for kind, text in self._location_parts(location, record):
            parts.setdefault(kind, []).append(text)
        street = [t for k in ("ADDRESS1", "ADDRESS2", "ADDRESS3") for t in parts.pop(k, [])]
        region = parts.pop("STATE/PROVINCE", []) + parts.pop("REGION", [])
        city, postal = parts.pop("CITY", []), parts.pop("POSTAL CODE", [])
        other = [t for texts in parts.values() for t in texts if to_iso2(t) is None]
        values = {
            "full": ", ".join(other) or None,
            "street": ", ".join(street) or None,
            "city": ", ".join(city) or None,
            "region": ", ".join(region) or None,
            "postal_code": ", ".join(postal) or None,
            "country": self._location_country(location, record),
        }
        if not any(values.values()):
            return None
        return self.record(record).build(Address, "Location", **values)

    def _entry(self, draft: _Draft, entry: Element) -> None:
        record = draft.record
        draft.lists.append(self.ref_text("List", entry.get("ListID"), record, "ListID"))
        for event in entry.findall(self.q("EntryEvent")):
            date = event.find(self.q("Date"))
            if date is not None:
                year, month, day = self._point(date, record, "EntryEvent")
                try:
                    draft.listed_on.append(dt.date(year, month, day))
                except ValueError as exc:
                    raise self.error(f"not a date: {exc}", record, "EntryEvent") from None
        for measure in entry.findall(self.q("SanctionsMeasure")):
            measure_type = self.ref_text("SanctionsType", measure.get("SanctionsTypeID"), record, "SanctionsTypeID")
            if measure_type.lower() == "program":
                draft.programmes.extend(_texts(measure.findall(self.q("Comment"))))

    def _relations(self, drafts: dict[str, _Draft], profiles: dict[str, str]) -> None:
        """`From` is linked to `To` (owned by, acting for...): the From party names the To party."""
        for relation in self._children("ProfileRelationships", "ProfileRelationship"):
            if relation.get("Former") == "true":
                continue
            source_id, target_id = relation.get("From-ProfileID", ""), relation.get("To-ProfileID", "")
            if source_id not in profiles or target_id not in profiles:
                raise self.error(
                    f"relation {relation.get('ID')} between unknown profiles", source_id, "ProfileRelationship"
                )
            target = drafts[profiles[target_id]]
            drafts[profiles[source_id]].linked_to.append(_display_name(target))


class _Enhanced(_Document):
    """One enhanced XML document: entities already resolved, one element each."""

    def __init__(self, source: str, path: Path, root: Element) -> None:
        super().__init__(source, path, root)
        self.root = root
        entities = root.find(self.q("entities"))
        if entities is None:
            raise ListFormatError(source, path, f"no <entities> in <sanctionsData>: not a {source} file")
        self.entities = entities.findall(self.q("entity"))
        self.countries: dict[str, str] = {}
        for value in root.iterfind(self.q("referenceValues/referenceValue")):
            code = _country_code(self.text(value, "isoCode"))
            if self.text(value, "type") == "COUNTRY" and code:
                self.countries[value.get("refId", "")] = code

    def q(self, path: str) -> str:
        return "/".join(self.ns + step for step in path.split("/"))

    def text(self, element: Element, path: str | None = None) -> str | None:
        return _clean(element.text if path is None else element.findtext(self.q(path)))

    def country(self, element: Element | None, ref_id: str | None = None) -> str | None:
        """ISO alpha-2 of a country element (by its refId) or of a value that names one."""
        if element is None:
            return None
        return self.countries.get(ref_id or element.get("refId") or "") or to_iso2(self.text(element))

    def parse(self) -> ParsedList:
        lists = {
            self.text(e) for e in self.root.iterfind(self.q("publicationInfo/filters/sanctionsLists/sanctionsList"))
        }
        if self.source == "ofac-sdn" and _CONSOLIDATED in lists:
            raise self.error(f"it is the {_CONSOLIDATED}: not a {self.source} file")
        if self.source == "ofac-cons" and lists == {_SDN}:
            raise self.error(f"it is the {_SDN}: not a {self.source} file")
        drafts: dict[str, _Draft] = {}
        for element in self.entities:
            record = (element.get("id") or "").strip()
            if not record:
                raise self.error("entity without id", field="id")
            if record in drafts:
                raise self.error("duplicate entity", record, "id")
            drafts[record] = self._entity(record, element)
        for draft, element in zip(drafts.values(), self.entities, strict=True):
            for related in element.iterfind(self.q("relationships/relationship/relatedEntity")):
                target = drafts.get((related.get("entityId") or "").strip())
                name = _display_name(target) if target else self.text(related)
                if name:
                    draft.linked_to.append(name)
        entities = tuple(draft.entity(self.source, self.path) for draft in drafts.values())
        return ParsedList(source=self.source, entities=entities, files=(self.path,), published=self._published())

    def _published(self) -> dt.datetime | None:
        text = self.text(self.root, "publicationInfo/dataAsOf")
        if not text:
            return None
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError:
            raise self.error(f"not a date: {text!r}", field="dataAsOf") from None
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)

    def _entity(self, record: str, element: Element) -> _Draft:
        draft = _Draft(record)
        info = element.find(self.q("generalInfo"))
        if info is None:
            raise self.error("entity without generalInfo", record, "generalInfo")
        draft.kind = _KINDS.get((self.text(info, "entityType") or "").lower(), EntityKind.UNKNOWN)
        for item in element.iterfind(self.q("sanctionsLists/sanctionsList")):
            draft.lists.append(self.text(item) or "")
            published = item.get("datePublished")
            if published and (day := parse_day(published)) is None:
                raise self.error(f"datePublished is {published!r}, not a date", record, "sanctionsList")
            if published and day:
                draft.listed_on.append(day)
        programmes = element.iterfind(self.q("sanctionsPrograms/sanctionsProgram"))
        draft.programmes.extend(t for t in (self.text(p) for p in programmes) if t)
        for name in element.iterfind(self.q("names/name")):
            self._names(draft, name)
        for address in element.iterfind(self.q("addresses/address")):
            if (value := self._address(record, address)) is not None:
                draft.addresses.append(value)
        for feature in element.iterfind(self.q("features/feature")):
            self._feature(draft, feature)
        for document in element.iterfind(self.q("identityDocuments/identityDocument")):
            self._document(draft, document)
        if remark := self.text(info, "remarks"):
            draft.remarks.append(remark)
        return draft

    def _names(self, draft: _Draft, name: Element) -> None:
        if self.text(name, "isPrimary") == "true":
            quality = NameQuality.PRIMARY
        elif self.text(name, "isLowQuality") == "true":
            quality = NameQuality.WEAK
        elif (self.text(name, "aliasType") or "").upper() == "F.K.A.":
            quality = NameQuality.FORMER
        else:
            quality = NameQuality.STRONG
        for translation in name.iterfind(self.q("translations/translation")):
            parts = [
                ((self.text(p, "type") or "").lower(), self.text(p, "value") or "")
                for p in translation.iterfind(self.q("nameParts/namePart"))
            ]
            parts = [(kind, value) for kind, value in parts if value]
            full = self.text(translation, "formattedFullName")
            if full:
                parts = parts or [("", full)]
            elif not parts:
                raise self.error("name without a value", draft.record, "name")
            draft.names.append(_person_name(self.record(draft.record), parts, quality, full))

    def _address(self, record: str, address: Element) -> Address | None:
        translations = list(address.iterfind(self.q("translations/translation")))
        chosen = next((t for t in translations if self.text(t, "isPrimary") == "true"), None)
        parts: dict[str, list[str]] = {}
        for part in chosen.iterfind(self.q("addressParts/addressPart")) if chosen is not None else ():
            kind, value = (self.text(part, "type") or "").upper(), self.text(part, "value")
            if value:
                parts.setdefault(kind, []).append(value)
        street = [t for k in ("ADDRESS1", "ADDRESS2", "ADDRESS3") for t in parts.pop(k, [])]
        region = parts.pop("STATE/PROVINCE", []) + parts.pop("REGION", [])
        city, postal = parts.pop("CITY", []), parts.pop("POSTAL CODE", [])
        values = {
            "full": ", ".join(t for texts in parts.values() for t in texts) or None,
            "street": ", ".join(street) or None,
            "city": ", ".join(city) or None,
            "region": ", ".join(region) or None,
            "postal_code": ", ".join(postal) or None,
            "country": self.country(address.find(self.q("country"))),
        }
        if not any(values.values()):
            return None
        return self.record(record).build(Address, "address", **values)

    def _feature(self, draft: _Draft, feature: Element) -> None:
        record = draft.record
        label = self.text(feature, "type") or ""
        key = label.lower()
        value = self.text(feature, "value")
        date = feature.find(self.q("valueDate"))
        period = self._period(record, date, label) if date is not None else None
        if key == "birthdate":
            if period is not None:
                draft.dates_of_birth.append(period)
            elif value:
                draft.dates_of_birth.append(parse_dob(value))
        elif key == "place of birth" and value:
            draft.places_of_birth.append(_place(self.record(record), value))
        elif key == "location" and value:
            draft.addresses.append(_place(self.record(record), value))
        elif key in ("nationality country", "nationality of registration", "citizenship country", "vessel flag"):
            country = self.countries.get(self.text(feature, "valueRefId") or "") or to_iso2(value)
            if country and key == "citizenship country":
                draft.citizenships.append(country)
            elif country and key == "vessel flag":
                draft.flag = draft.flag or country
            elif country:
                draft.nationalities.append(country)
        elif key == "gender" and value:
            draft.gender = _gender(value) or draft.gender
        elif key == "title" and value:
            draft.positions.append(value)
        elif _is_identifier(key) and value:
            draft.identifiers.append(_feature_identifier(self.record(record), label, value))
        else:
            if key in _LINK_FEATURES and value:
                draft.linked_to.append(value)
            shown = value or (str(period) if period is not None else None)
            comment = self.text(feature, "comments")
            if shown:
                draft.remarks.append(f"{label} {shown}" + (f" ({comment})" if comment else ""))

    def _period(self, record: str, date: Element, field: str) -> DateOfBirth:
        points = []
        for name in ("fromDateBegin", "fromDateEnd", "toDateBegin", "toDateEnd"):
            if text := self.text(date, name):
                try:
                    day = dt.date.fromisoformat(text[:10])
                except ValueError:
                    raise self.error(f"{name} is {text!r}, not a date", record, field) from None
                points.append((day.year, day.month, day.day))
        if not points:
            raise self.error("date without a value", record, field)
        return _period(points[0], points[-1], self.text(date, "isApproximate") == "true")

    def _document(self, draft: _Draft, document: Element) -> None:
        number = self.text(document, "documentNumber")
        if not number:
            return
        notes = []
        if authority := self.text(document, "issuingAuthority"):
            notes.append(f"Issuing Authority {authority}")
        if self.text(document, "isValid") == "false":
            notes.append("Fraudulent")
        label = self.text(document, "type") or ""
        country = self.country(document.find(self.q("issuingCountry")))
        note = "; ".join(notes) or None
        draft.identifiers.append(_identifier(self.record(draft.record), label, number, country, note))


def _person_name(record: Record, parts: list[tuple[str, str]], quality: NameQuality, full: str | None = None) -> Name:
    """A name from typed parts, written as OFAC's other formats write it: `LAST, First Middle` for persons."""

    def joined(kind: str) -> str | None:
        return " ".join(v for k, v in parts if k == kind) or None

    last = joined("last name")
    others = [(k, v) for k, v in parts if k != "last name"]
    if full:
        pass
    elif last is None or not others or any(k in _WHOLE_NAMES for k, _ in others):
        full = " ".join(v for _k, v in parts)
    else:
        given = sorted(others, key=lambda item: _GIVEN_ORDER.get(item[0], len(_GIVEN_ORDER)))
        full = f"{last.upper()}, {' '.join(v for _k, v in given)}"
    return record.build(
        Name,
        "name",
        full=full,
        quality=quality,
        first=joined("first name"),
        middle=joined("middle name"),
        last=last,
        patronymic=joined("patronymic"),
        script=detect_script(full),
    )


def _identifier(record: Record, label: str, number: str, country: str | None, note: str | None) -> Identifier:
    kind = identifier_type(label)
    if kind is IdentifierType.IMO and (match := _IMO.match(number)):
        number = match.group(1)
    return record.build(Identifier, label, type=kind, value=number, country=country, label=label, note=note)


def _is_identifier(feature: str) -> bool:
    """Whether a feature type (lower-cased) holds an identifier rather than a fact for the remarks."""
    return feature in _IDENTIFIER_FEATURES or feature.startswith("digital currency address")


def _feature_identifier(record: Record, label: str, value: str) -> Identifier:
    kind = _FEATURE_TYPES.get(label.lower()) or identifier_type(label)
    return record.build(Identifier, label, type=kind, value=value, label=label)


def _place(record: Record, text: str) -> Address:
    """A place written as text (`Shati`, `Moscow, Russia`): the country where its last part names one."""
    return record.build(Address, "place", full=text, country=to_iso2(text.rsplit(",", 1)[-1]))


def _period(low: tuple[int, int, int], high: tuple[int, int, int], circa: bool) -> DateOfBirth:
    """Fold a span of days back into the precision it stands for: one day, a month, a year, or a range."""
    try:
        if low == high:
            return DateOfBirth(date=PartialDate(year=low[0], month=low[1], day=low[2]), circa=circa)
        whole_years = low[1:] == (1, 1) and high[1:] == (12, 31)
        last_day = calendar.monthrange(high[0], high[1])[1] if 1 <= high[1] <= 12 else 0
        whole_months = low[2] == 1 and high[2] == last_day
        if whole_years:
            start, end = PartialDate(year=low[0]), PartialDate(year=high[0])
        elif whole_months:
            start, end = PartialDate(year=low[0], month=low[1]), PartialDate(year=high[0], month=high[1])
        else:
            start = PartialDate(year=low[0], month=low[1], day=low[2])
            end = PartialDate(year=high[0], month=high[1], day=high[2])
        if start == end:
            return DateOfBirth(date=start, circa=circa)
        return DateOfBirth(start=start, end=end, circa=circa)
    except (ValidationError, ValueError):
        text = "{:04d}-{:02d}-{:02d}".format(*low)
        if high != low:
            text += "..{:04d}-{:02d}-{:02d}".format(*high)
        return DateOfBirth(text=text, circa=circa)


def _gender(text: str) -> Gender | None:
    return {"male": Gender.MALE, "female": Gender.FEMALE}.get(text.strip().lower())


def _display_name(draft: _Draft) -> str:
    primary = next((n for n in draft.names if n.quality is NameQuality.PRIMARY), None)
    return (primary or draft.names[0]).full if draft.names else draft.record


def _country_code(code: str | None) -> str | None:
    code = (code or "").strip().upper()
    return code if _ISO2.match(code) else None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None


def _texts(elements: Iterable[Element]) -> list[str]:
    return [t for t in (_clean(e.text) for e in elements) if t]
