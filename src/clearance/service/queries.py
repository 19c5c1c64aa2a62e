"""What a yente query means to clearance: the parties it names, and how their hits come back as yente's
scored entities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from clearance.countries import to_iso2
from clearance.errors import InputError
from clearance.lists.dates import parse_date
from clearance.matching import Hit, Party
from clearance.matching.score import Effect
from clearance.model import MAX_NAME_LENGTH, EntityKind, NameQuality
from clearance.results import ExplanationResult
from clearance.service.datasets import KIND_SCHEMAS, Scope, ftm_id, seen_at
from clearance.service.yente import EntityExample, FeatureResult, ScoredEntityResponse
from clearance.store import Snapshot

# -- queries ------------------------------------------------------------------------------

SCHEMA_KINDS: dict[str, EntityKind | None] = {
    "Thing": None,
    "LegalEntity": None,
    "Person": EntityKind.PERSON,
    "Organization": EntityKind.ORGANIZATION,
    "Company": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}
"""The FtM schemas a query may have, and the kind of party each screens as (None: any kind)."""

SEARCH_SCHEMAS: dict[str, frozenset[str]] = {
    "Thing": frozenset(KIND_SCHEMAS.values()),
    "LegalEntity": frozenset({"Person", "Organization", "LegalEntity"}),
    "Person": frozenset({"Person"}),
    "Organization": frozenset({"Organization"}),
    "Company": frozenset({"Organization"}),
    "PublicBody": frozenset({"Organization"}),
    "Vessel": frozenset({"Vessel"}),
    "Airplane": frozenset({"Airplane"}),
}
"""The schemas of listed entities a search for a schema returns (the lists do not tell a company from
another organisation, so `Company` finds organisations)."""

NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
DOB_PROPS = ("birthDate",)
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "mainCountry")
ID_PROPS = (
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "passportNumber",
    "socialSecurityNumber",
    "vatCode",
    "imoNumber",
    "mmsi",
    "callSign",
    "serialNumber",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "kppCode",
    "bikCode",
    "swiftBic",
    "leiCode",
    "dunsCode",
    "uniqueEntityId",
    "npiCode",
    "publicKey",
)
"""The FtM properties screened as identifiers; other properties are taken and not screened (as yente does
with those it has no use for)."""

MAX_SCREENINGS = 100
"""Party screenings one query may make (names x dates of birth x countries): some 50 ms at most."""


@dataclass(frozen=True)
class Plan:
    """What one query screens: a party per name, date of birth and country it gives."""

    parties: tuple[Party, ...]
    names: tuple[str, ...]
    notes: tuple[str, ...]
    """Values left out (not a date, not a country), for the answer's warnings."""


def texts(value: str | Sequence[Any] | None) -> list[str]:
    """A property's values as text, in order and once each; what is not text or a number is left out."""
    found: list[str] = []
    for item in [value] if isinstance(value, str) else value or ():
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if text and text not in found:
                found.append(text)
    return found


def echo(example: EntityExample) -> EntityExample:
    """The query as read: every property a list of text (yente echoes its cleaned query alike)."""
    properties: dict[str, str | list[Any]] = {}
    for prop, value in example.properties.items():
        values = texts(value)
        if values:
            properties[prop] = values
    return EntityExample(id=example.id, schema_=example.schema_, properties=properties)


def plan(example: EntityExample) -> Plan:
    """The parties a query screens as; `InputError` when it gives nothing to screen by."""
    if example.schema_ not in SCHEMA_KINDS:
        raise InputError(f"schema: {example.schema_!r} is not one clearance screens ({', '.join(SCHEMA_KINDS)})")
    kind = SCHEMA_KINDS[example.schema_]
    props = {prop: texts(value) for prop, value in example.properties.items()}
    names: list[str] = []
    for prop in NAME_PROPS:
        for name in props.get(prop, ()):
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
    if not names:
        names = combined_names(props)
    for name in names:
        if len(name) > MAX_NAME_LENGTH:
            raise InputError(f"name: too long ({len(name):,} characters; at most {MAX_NAME_LENGTH:,})")
    notes: list[str] = []
    dobs: list[str] = []
    for prop in DOB_PROPS:
        for value in props.get(prop, ()):
            date = parse_date(value.split("T", 1)[0])
            if date is None:
                notes.append(f"{prop} {value!r} is not a date: left out")
            elif str(date) not in dobs:
                dobs.append(str(date))
    countries: list[str] = []
    for prop in COUNTRY_PROPS:
        for value in props.get(prop, ()):
            code = to_iso2(value)
            if code is None:
                notes.append(f"{prop} {value!r} is not a country: left out")
            elif code not in countries:
                countries.append(code)
    ids = tuple(dict.fromkeys(value for prop in ID_PROPS for value in props.get(prop, ())))
    if not names and not ids:
        raise InputError(f"properties: no name ({', '.join(NAME_PROPS)}) and no identifier to screen by")
    count = max(len(names), 1) * max(len(dobs), 1) * max(len(countries), 1)
    if count > MAX_SCREENINGS:
        raise InputError(
            f"properties: {len(names)} names x {len(dobs)} dates of birth x {len(countries)} countries make {count} "
            f"screenings (at most {MAX_SCREENINGS}); send fewer values, or split the query"
        )
    dob_options: list[str | None] = [*dobs] or [None]
    country_options: list[str | None] = [*countries] or [None]
    parties = tuple(
        Party(name=name, kind=kind, dob=dob, country=country, identifiers=ids)
        for name, dob, country in product(names or [""], dob_options, country_options)
    )
    return Plan(parties, tuple(names), tuple(notes))


def combined_names(props: dict[str, list[str]]) -> list[str]:
    """Full names from name parts (`firstName`, `lastName`, ...), for a query that gives no whole name."""
    parts = [props.get(prop) or [""] for prop in NAME_PARTS]
    if not any(any(values) for values in parts):
        return []
    names = [" ".join(part for part in combo if part) for combo in product(*parts)]
    return list(dict.fromkeys(names))[:MAX_SCREENINGS]


@dataclass(frozen=True)
class Selection:
    """Which hits a request keeps: by source, schema and id."""

    sources: frozenset[str] | None
    """None: every source loaded."""
    schemas: frozenset[str] = frozenset()
    """Schemas left out."""
    entity_ids: frozenset[str] = frozenset()
    """Ids (or FtM referents) left out."""

    def keeps(self, hit: Hit) -> bool:
        entity = hit.entity
        if self.sources is not None and entity.source not in self.sources:
            return False
        if self.schemas and KIND_SCHEMAS[entity.kind] in self.schemas:
            return False
        return not self.entity_ids or (entity.id not in self.entity_ids and ftm_id(entity.id) not in self.entity_ids)


def merged(hits: Iterable[Hit], selection: Selection) -> list[Hit]:
    """One hit per entity, its best, best first: the hits of every party a query screened as."""
    best: dict[str, Hit] = {}
    for hit in hits:
        if not selection.keeps(hit):
            continue
        kept = best.get(hit.entity.id)
        if kept is None or hit.score > kept.score:
            best[hit.entity.id] = hit
    return sorted(best.values(), key=lambda hit: (-hit.score, hit.entity.id))


def features(hit: Hit) -> dict[str, FeatureResult]:
    """The hit's score broken down into features named like nomenklatura's."""
    why = hit.explanation
    listed = why.matched_name
    found = {
        "name_match": FeatureResult(
            detail=f"{why.query_name!r} ~ {listed.full!r} ({listed.quality.value} name)",
            score=round(why.name_score, 4),
            query=why.query_name,
            candidate=listed.full,
        )
    }
    if listed.quality is NameQuality.WEAK:
        found["weak_alias_match"] = FeatureResult(detail=f"{listed.full!r} is a weak alias", score=1.0)
    ids = []
    for item in why.evidence:
        name: str | None = None
        if item.field == "date_of_birth":
            if item.effect is Effect.AGREES:
                name = "dob_day_match" if item.exact else "dob_year_match"
            elif item.effect is Effect.CONTRADICTS:
                name = "dob_mismatch"
        elif item.field == "country":
            name = "country_match" if item.effect is Effect.AGREES else "country_mismatch"
        elif item.field == "kind":
            name = "kind_mismatch"
        elif item.field == "identifier":
            ids.append(item.detail)
        if name is not None:
            found[name] = FeatureResult(detail=item.detail, score=1.0)
    if ids:
        found["identifier_match"] = FeatureResult(detail="; ".join(ids), score=1.0)
    return found


def scored(hit: Hit, scope: Scope, threshold: float, also: Sequence[Hit] = ()) -> ScoredEntityResponse:
    """A hit as yente scores an entity; with the other lists' entries of its designation (`also`), merged as
    OpenSanctions merges one party's records: their datasets and FtM ids join the hit's `datasets` and
    `referents`, and the hit's own entity gives the rest."""
    explanations = features(hit)
    score = round(hit.score, 4)
    card = scope.card(hit.entity, hit.snapshot_id)
    if also:
        others = [scope.card(other.entity, other.snapshot_id) for other in also]
        card = {
            **card,
            "datasets": list(dict.fromkeys([*card["datasets"], *(d for o in others for d in o["datasets"])])),
            "referents": list(dict.fromkeys([*card["referents"], *(r for o in others for r in o["referents"])])),
        }
    return ScoredEntityResponse.model_construct(
        **card,
        score=score,
        match=score >= threshold,
        explanations=explanations,
        features={name: feature.score for name, feature in explanations.items()},
        explanation=ExplanationResult.of(hit.explanation),
    )


def dataset_version(snapshot: Snapshot) -> str:
    """A list version as yente names dataset versions: its date, then clearance's snapshot id."""
    return f"{seen_at(snapshot).astimezone(dt.UTC):%Y%m%d%H%M%S}-{snapshot.id}"
