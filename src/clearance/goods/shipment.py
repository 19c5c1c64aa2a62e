"""A shipment as screened: its parties, goods lines and route, read from JSON or YAML.

Input is refused before any screening when it is malformed, with one line naming
the field at fault (`goods[3].hs_code: ...`): a shipment screened on a guessed
reading of a bad file would give a decision about some other shipment. Codes are
text (a number loses leading zeros: YAML reads 0101 as 65), countries are ISO
codes (or names) checked against the known ones, unknown fields are refused (a
misspelt `hs_code` must not pass as a line without a code), and a file is at most
`MAX_BYTES` long. YAML anchors and aliases are refused: they expand a small file
into a huge document.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from clearance.errors import InputError
from clearance.goods.codes import CodeError, normalize_code
from clearance.goods.destinations import Destinations
from clearance.goods.rules import load_rules
from clearance.model import EntityKind

MAX_BYTES = 1_000_000
"""A shipment of the largest size allowed (5,000 lines) takes about half of this."""
MAX_GOODS = 5_000
MAX_PARTIES = 200
MAX_TEXT = 2_000


class ShipmentError(InputError):
    """A shipment file that cannot be read, or that does not hold a valid shipment."""

    code = "shipment_invalid"


class PartyRole(StrEnum):
    EXPORTER = "exporter"
    CONSIGNEE = "consignee"
    END_USER = "end_user"
    NOTIFY_PARTY = "notify_party"
    INTERMEDIARY = "intermediary"
    CARRIER = "carrier"
    VESSEL = "vessel"


RECEIVING = frozenset({PartyRole.CONSIGNEE, PartyRole.END_USER})
"""The parties the goods go to: their countries are destinations too ("for use in Russia")."""


def _destinations(info: ValidationInfo) -> Destinations:
    context = info.context or {}
    found = context.get("destinations")
    return found if isinstance(found, Destinations) else load_rules().destinations


def _country(value: str, info: ValidationInfo) -> str:
    return _destinations(info).resolve(value)


def _code(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(f'give the code as text, e.g. "{value}": a number loses leading zeros')
    if isinstance(value, str):
        try:
            return normalize_code(value)
        except CodeError as exc:
            raise ValueError(str(exc)) from None
    return value


def _imo(value: str) -> str:
    digits = value.upper().removeprefix("IMO").strip()
    if len(digits) != 7 or not digits.isdigit():
        raise ValueError(f"not an IMO number: {value!r} (7 digits, e.g. IMO 9187629)")
    check = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10
    if check != int(digits[6]):
        raise ValueError(f"not an IMO number: {value!r} (the check digit should be {check})")
    return digits


Country = Annotated[
    str,
    Field(
        min_length=1, max_length=100, description="ISO 3166 alpha-2 code (or a country name); UA-43 etc. for regions"
    ),
    AfterValidator(_country),
]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
GoodsCode = Annotated[
    str,
    BeforeValidator(_code),
    Field(description="HS-6, CN-8 or TARIC-10 code, as text; dots and spaces allowed (8542.31, 8542 31 90)"),
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ShipmentParty(_Model):
    """A party to the shipment; every one is screened against the lists."""

    role: PartyRole
    name: Annotated[str, Field(min_length=1, max_length=500)]
    country: Country | None = None
    address: Text | None = None
    kind: EntityKind | None = Field(default=None, description="person, organization, vessel or aircraft")
    imo: Annotated[str, AfterValidator(_imo)] | None = Field(default=None, description="IMO number of a vessel")
    identifiers: tuple[Annotated[str, Field(min_length=1, max_length=100)], ...] = Field(default=(), max_length=20)
    dob: str | None = Field(default=None, description="date of birth of a person: YYYY, YYYY-MM or YYYY-MM-DD")


class GoodsLine(_Model):
    """One line of goods: a code, a description, or both."""

    hs_code: GoodsCode | None = None
    description: Text | None = None
    quantity: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    unit: Annotated[str, Field(max_length=20)] | None = None
    value: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    origin: Country | None = None
    dual_use_code: Annotated[str, Field(pattern=r"^\d[A-E]\d{3}[\w.]{0,20}$")] | None = Field(
        default=None, description="Dual-use control entry (EU Annex I of Regulation 2021/821, e.g. 3A001), if any"
    )

    @model_validator(mode="after")
    def _code_or_description(self) -> GoodsLine:
        if self.hs_code is None and self.description is None:
            raise ValueError("a goods line needs an hs_code, a description, or both")
        return self


class Route(_Model):
    origin: Country | None = None
    transit: tuple[Country, ...] = Field(default=(), max_length=20)
    destination: Country


class Shipment(_Model):
    """A shipment to screen: who takes part, what goes, and where."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        title="Shipment",
        json_schema_extra={
            "examples": [
                {
                    "parties": [{"role": "consignee", "name": "OOO Example", "country": "RU", "address": "Moscow"}],
                    "goods": [{"hs_code": "854231", "description": "microcontrollers"}],
                    "route": {"origin": "DE", "transit": ["KZ"], "destination": "RU"},
                }
            ]
        },
    )

    reference: Annotated[str, Field(max_length=200)] | None = None
    date: dt.date | None = Field(default=None, description="Date of export; rules listed after it do not apply")

    @field_validator("date", mode="before")
    @classmethod
    def _written_date(cls, value: object) -> object:
        """A date as written (`2025-03-01`), never a number read as seconds since 1970."""
        if isinstance(value, int | float):
            raise ValueError("a date is written YYYY-MM-DD, not as a number")
        return value

    parties: tuple[ShipmentParty, ...] = Field(min_length=1, max_length=MAX_PARTIES)
    goods: tuple[GoodsLine, ...] = Field(min_length=1, max_length=MAX_GOODS)
    route: Route


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})
"""The explicit tags a shipment may use; PyYAML's constructors for the others (`!!timestamp x`, `!!bool x`,
`!!int ''`) fail with AttributeError, KeyError or IndexError on text they do not expect."""


def _load_yaml(text: str, source: str) -> Any:
    """YAML through the safe loader, once no alias (which repeats a node without copying it) nor other tag is in it."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        tag: str | None = getattr(event, "tag", None)
        refused = None
        if isinstance(event, yaml.AliasEvent):
            refused = "aliases"
        elif tag is not None and tag not in _PLAIN_TAGS:
            refused = f"tags such as {tag.replace('tag:yaml.org,2002:', '!!')}"
        if refused is not None:
            mark: Any = event.start_mark
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            raise ShipmentError(f"{source}: YAML {refused} are not accepted in a shipment{where}")
    return yaml.safe_load(text)


def _field(loc: tuple[int | str, ...]) -> str:
    """`goods[3].hs_code`; a key that is no name (an unknown field can be any text) is quoted, so it stays one line."""
    parts = (f"[{p}]" if isinstance(p, int) else f".{p}" if p.isidentifier() else f"[{p!r}]" for p in loc)
    return "".join(parts).lstrip(".") or "(top level)"


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    return str(error["msg"]).removeprefix("Value error, ")


def _echo(error: Any, errors: list[Any]) -> bool:
    """A list's "too short" that only repeats that one of its items failed."""
    loc = error["loc"]
    return bool(
        error["type"] == "too_short" and any(len(o["loc"]) > len(loc) and o["loc"][: len(loc)] == loc for o in errors)
    )


def parse_shipment(data: Any, source: str = "shipment", destinations: Destinations | None = None) -> Shipment:
    """A validated shipment from parsed JSON/YAML; ShipmentError naming the first field at fault."""
    if not isinstance(data, dict):
        raise ShipmentError(f"{source}: the top level must be an object with parties, goods and route")
    context = {"destinations": destinations or load_rules().destinations}
    try:
        return Shipment.model_validate(data, context=context)
    except ValidationError as exc:
        errors = [e for e in exc.errors() if not _echo(e, exc.errors())]
        first = errors[0]
        more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        raise ShipmentError(f"{source}: {_field(first['loc'])}: {_message(first)}{more}") from None
    except RecursionError:
        raise ShipmentError(f"{source}: nested too deeply") from None


def loads_shipment(text: str, source: str = "shipment", fmt: str | None = None) -> Shipment:
    """Parse a shipment from JSON or YAML text (`fmt` "json" or "yaml"; guessed from the text when None)."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ShipmentError(f"{source}: larger than {MAX_BYTES:,} bytes, the most a shipment may be")
    fmt = fmt or ("json" if text.lstrip().startswith(("{", "[")) else "yaml")
    try:
        data = json.loads(text) if fmt == "json" else _load_yaml(text, source)
    except json.JSONDecodeError as exc:
        raise ShipmentError(f"{source}: not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ShipmentError(f"{source}: not YAML: {problem}{where}") from None
    except ValueError as exc:  # a number of over 4,300 digits, or a YAML date such as 2021-99-99
        detail = str(exc).split(";", 1)[0]
        raise ShipmentError(
            f"{source}: not {'JSON' if fmt == 'json' else 'YAML'}: unreadable value: {detail}"
        ) from None
    except RecursionError:
        raise ShipmentError(f"{source}: nested too deeply") from None
    return parse_shipment(data, source)


def read_shipment(path: Path) -> Shipment:
    """Read a shipment file (`.json`, `.yaml` or `.yml`; other names are read as whichever they hold)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ShipmentError(f"{path}: {size:,} bytes; a shipment file is at most {MAX_BYTES:,} bytes")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ShipmentError(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise ShipmentError(f"{path}: larger than {MAX_BYTES:,} bytes, the most a shipment file may be")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ShipmentError(f"{path}: not UTF-8 at byte {exc.start}") from None
    suffix = path.suffix.lower()
    fmt = "json" if suffix == ".json" else "yaml" if suffix in (".yaml", ".yml") else None
    return loads_shipment(text, str(path), fmt)


def shipment_schema() -> dict[str, Any]:
    """The JSON Schema of a shipment file (docs/shipment.schema.json is this, written out)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **Shipment.model_json_schema()}
