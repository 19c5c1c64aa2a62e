"""The entity model every list source parses into.

One frozen model for all sources means screening, diffing, export and the HTTP
service never look at a source's native format. Pydantic gives validation at the
parser boundary and a stable JSON form, which is what the store keeps and what
`lists diff` compares field by field.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

_ISO2 = re.compile(r"^[A-Z]{2}$")
_SPACES = re.compile(r"\s+")
_log = logging.getLogger(__name__)
_problems: ContextVar[list[str] | None] = ContextVar("record_problems", default=None)


@contextmanager
def record_problems() -> Iterator[list[str]]:
    """Collect what entities built inside the block set aside (an over-long name skipped), one line each,
    so a load can report them with its result; outside such a block they are logged."""
    found: list[str] = []
    token = _problems.set(found)
    try:
        yield found
    finally:
        _problems.reset(token)


def _problem(message: str) -> None:
    found = _problems.get()
    if found is None:
        _log.warning(message)
    else:
        found.append(message)


MAX_NAME_LENGTH = 1_000
"""Characters of a listed name, and of a name to screen. The longest real listed name is 381 characters
(the 2022 US Consolidated Screening List's entry for the Russian Ministry of Defence, its units spelled
out; no other list here passes 330). Longer listed names are skipped, so a damaged or hostile file cannot
fill the index with one name of megabytes; longer names to screen are refused."""
MAX_NAMES = 1_000
"""Names one entity keeps. The most a real list gives one is 96 (OFAC SDN 10923, a charity with 95
aliases); past the cap the first names are kept."""


class Frozen(BaseModel):
    """Base for immutable, hashable, strictly-shaped values."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


KIND_WORDS: dict[str, EntityKind] = {kind.value: kind for kind in EntityKind} | {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
}
"""The kind a user writes in a `type` column (watchlists, batch input), lower-cased."""


class NameQuality(StrEnum):
    """How much a name can be trusted as evidence of identity.

    Weak aliases (OFAC "low quality", UN "Low", EU strong="false") are nicknames and
    fragments: screening gives them less weight than primary names and strong aliases.
    """

    PRIMARY = "primary"
    STRONG = "strong"
    WEAK = "weak"
    FORMER = "former"


class Name(Frozen):
    """One name of an entity: the full form as listed, and its parts where the source gives them."""

    full: str
    quality: NameQuality = NameQuality.STRONG
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    patronymic: str | None = None
    title: str | None = None
    script: str | None = None
    """ISO 15924 code of the writing system (Latn, Cyrl, Arab, Hani, ...)."""
    lang: str | None = None
    """Language as the source states it (ISO 639 where the source uses it)."""

    @field_validator("full")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # An over-long name (skipped by its entity) is spaced in one pass: no list of its words.
        value = " ".join(value.split()) if len(value) <= MAX_NAME_LENGTH else _SPACES.sub(" ", value).strip()
        if not value:
            raise ValueError("name is empty")
        return value


class PartialDate(Frozen):
    """A date known to the year, the month or the day, as lists state birth dates."""

    year: int
    month: int | None = None
    day: int | None = None

    @model_validator(mode="after")
    def _valid(self) -> PartialDate:
        if not 1000 <= self.year <= 2999:
            raise ValueError(f"year {self.year} out of range")
        if self.day is not None and self.month is None:
            raise ValueError("day without month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} out of range")
        if self.day is not None and self.month is not None:
            dt.date(self.year, self.month, self.day)
        return self

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the ISO forms the model stores)."""
        match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
        if match is None:
            raise ValueError(f"not a date: {text!r}")
        year, month, day = match.groups()
        return cls(
            year=int(year),
            month=int(month) if month else None,
            day=int(day) if day else None,
        )


class DateOfBirth(Frozen):
    """A birth date as listed: exact or partial, a range, or approximate."""

    date: PartialDate | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    circa: bool = False
    text: str | None = None
    """The source's own wording when it could not be read as a date (kept, never dropped)."""

    @model_validator(mode="after")
    def _some_value(self) -> DateOfBirth:
        if self.date is None and self.start is None and self.end is None and not self.text:
            raise ValueError("date of birth without a value")
        return self

    def __str__(self) -> str:
        if self.date is not None:
            text = str(self.date)
        elif self.start is not None or self.end is not None:
            text = f"{self.start or ''}..{self.end or ''}"
        else:
            text = self.text or ""
        return f"circa {text}" if self.circa else text


class Address(Frozen):
    """A postal address or place; `country` is ISO 3166 alpha-2 where it could be told."""

    full: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _iso2(cls, value: str | None) -> str | None:
        return _check_iso2(value)

    @model_validator(mode="after")
    def _some_value(self) -> Address:
        if not any((self.full, self.street, self.city, self.region, self.postal_code, self.country)):
            raise ValueError("address without a value")
        return self

    def __str__(self) -> str:
        if self.full:
            return self.full
        parts = (self.street, self.city, self.postal_code, self.region, self.country)
        return ", ".join(p for p in parts if p)


class IdentifierType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"
    REGISTRATION = "registration_number"
    IMO = "imo"
    MMSI = "mmsi"
    CALL_SIGN = "call_sign"
    SWIFT_BIC = "swift_bic"
    CRYPTO = "crypto_address"
    AIRCRAFT_SERIAL = "aircraft_serial"
    AIRCRAFT_TAIL = "aircraft_tail_number"
    OTHER = "other"


class Identifier(Frozen):
    """A document or registry number; `label` keeps the source's own type name."""

    type: IdentifierType
    value: str
    country: str | None = None
    label: str | None = None
    note: str | None = None

    @field_validator("value")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("identifier value is empty")
        return value

    @field_validator("country")
    @classmethod
    def _iso2(cls, value: str | None) -> str | None:
        return _check_iso2(value)


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Entity(Frozen):
    """A listed person, organisation, vessel or aircraft as one source states it.

    `id` is `<source>:<the source's own stable record id>` so it survives list
    versions and can be diffed across them.
    """

    id: str
    source: str
    kind: EntityKind
    names: tuple[Name, ...]
    dates_of_birth: tuple[DateOfBirth, ...] = ()
    places_of_birth: tuple[Address, ...] = ()
    nationalities: tuple[str, ...] = ()
    citizenships: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programmes: tuple[str, ...] = ()
    sub_list: str | None = None
    """For compound sources (the US Consolidated Screening List): the list the record comes from."""
    listed_on: dt.date | None = None
    gender: Gender | None = None
    positions: tuple[str, ...] = ()
    linked_to: tuple[str, ...] = ()
    """Names of parties the source says this one is linked to or acts for."""
    flag: str | None = None
    """Flag state of a vessel or aircraft (ISO alpha-2)."""
    remarks: str | None = None
    source_url: str | None = None

    @field_validator("nationalities", "citizenships")
    @classmethod
    def _iso2_all(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(_check_iso2(v) or "" for v in values if v))

    @field_validator("flag")
    @classmethod
    def _flag_iso2(cls, value: str | None) -> str | None:
        return _check_iso2(value)

    @field_validator("names")
    @classmethod
    def _bounded(cls, names: tuple[Name, ...], info: ValidationInfo) -> tuple[Name, ...]:
        """Every parser builds entities here, so every list format keeps to the caps; each cut is reported."""
        if len(names) <= MAX_NAMES and all(len(name.full) <= MAX_NAME_LENGTH for name in names):
            return names
        where = f"{info.data.get('source', '?')}: record {info.data.get('id', '?')}, field names"
        kept = tuple(name for name in names if len(name.full) <= MAX_NAME_LENGTH)
        for name in names:
            if len(name.full) > MAX_NAME_LENGTH:
                _problem(f"{where}: a name of {len(name.full):,} characters skipped (at most {MAX_NAME_LENGTH:,})")
        if not kept and names:
            first = names[0]
            cut = first.full[: MAX_NAME_LENGTH + 1].rsplit(" ", 1)[0][:MAX_NAME_LENGTH]
            _problem(f"{where}: no other name, so the first is kept cut to {len(cut):,} characters")
            kept = (first.model_copy(update={"full": cut, "first": None, "middle": None, "last": None}),)
        if len(kept) > MAX_NAMES:
            _problem(f"{where}: {len(kept):,} names; the first {MAX_NAMES:,} kept")
            kept = kept[:MAX_NAMES]
        return kept

    @model_validator(mode="after")
    def _has_name(self) -> Entity:
        if not self.names:
            raise ValueError("entity without a name")
        if not self.id.startswith(f"{self.source}:"):
            raise ValueError(f"id {self.id!r} does not start with {self.source!r}")
        return self

    @property
    def name(self) -> str:
        """The name to show: the first primary name, else the first name listed."""
        for name in self.names:
            if name.quality is NameQuality.PRIMARY:
                return name.full
        return self.names[0].full

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country the entity is tied to, for filters and screening evidence."""
        found = [*self.nationalities, *self.citizenships]
        found += [a.country for a in self.addresses if a.country]
        if self.flag:
            found.append(self.flag)
        return tuple(dict.fromkeys(found))

    def to_json(self) -> dict[str, Any]:
        """The stored form: defaults left out, so adding a field later changes no digest."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def canonical_json(self) -> str:
        """The stored form as text with sorted keys: one text, and so one digest, per content."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _check_iso2(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().upper()
    if not _ISO2.match(value):
        raise ValueError(f"not an ISO 3166 alpha-2 code: {value!r}")
    return value
