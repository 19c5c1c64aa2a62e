"""Goods rules as data: one YAML file per regime, every rule citing its act.

The annexes change with every sanctions package, so a new package is a reviewed
diff of a rules file, not a code change. A regime states its legal basis (act,
annex, article), the destinations it applies to, its effect, its exemptions and,
in words, what it does not cover; a rule states its code (or, for an entry the
law defines by description, that text), whether the code is `ex` (only part of
it is listed), and the act that listed it, whose date is the rule's effective date.

`data/rules.yaml` lists the files. The rules version is its declared version plus
the sha256 of every listed file, so a result records exactly which rules decided
it, and an edited file cannot pass under an old version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from clearance.errors import IntegrityError, NotFoundError
from clearance.goods.codes import CodeError, format_code, normalize_code, prefixes
from clearance.goods.decision import Decision, LegalBasis
from clearance.goods.destinations import Destinations, DestinationsFile

FORMAT = "clearance-goods-rules/1"
DATA = Path(__file__).resolve().parent / "data"
MANIFEST = "rules.yaml"
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (ten times faster); the pure-Python one otherwise."""


class RulesError(IntegrityError):
    """A rules file that is missing or does not hold what the format requires.

    Integrity, not bad input: the rules ship with clearance (or sit in a folder the
    operator names) and no request carries them, so a client can never fix them.
    """

    code = "goods_rules_invalid"

    def __init__(self, path: Path, message: str, field: str | None = None) -> None:
        self.path = path
        self.field = field
        where = f"{path}" + (f", field {field}" if field else "")
        super().__init__(f"goods rules: {where}: {' '.join(message.split())}")


class RegimeKind(StrEnum):
    EXPORT_BAN = "export_ban"
    """Goods that must not be exported to the destinations the regime applies to."""
    NO_REEXPORT = "no_reexport"
    """Goods whose buyers must be bound not to re-export them to Russia (Annex XL)."""
    HIGH_PRIORITY = "high_priority"
    """Goods that diversion schemes seek (CHPL): a red flag near Russia, not a ban."""
    END_USER_LIST = "end_user_list"
    """A list of end users (Annex IV) screened as a list source; the regime holds its legal basis."""
    TRANSSHIPMENT_COUNTRIES = "transshipment_countries"
    """Countries through which diversion to Russia is documented."""


class Coverage(StrEnum):
    """How a rule covers a declared code."""

    FULL = "full"
    """The rule's code is the declared code or one of its parents."""
    PART_OF_CODE = "part_of_code"
    """An `ex` rule: the annex lists only part of the code, the part its description states."""
    NARROWER = "narrower"
    """The rule lists a subdivision of the declared code: the goods may or may not fall under it."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Act(_Model):
    date: dt.date
    url: str


class Exemption(_Model):
    """An exemption in words; with `destinations`, the regime does not apply to those countries."""

    text: str
    article: str | None = None
    destinations: tuple[str, ...] = ()


class SourceNote(_Model):
    title: str
    url: str | None = None


class GoodsRule(_Model):
    """One entry of a regime: a code (HS/CN prefix) or, for entries defined in words, an item and its text."""

    code: str | None = None
    printed: str | None = None
    item: str | None = None
    part: str | None = None
    group: str | None = None
    tier: str | None = None
    ex: bool = False
    description: str
    truncated: bool = False
    added_by: str | None = None
    """The act that first listed the entry, where known."""
    listed_in: str | None = None
    """The act whose text was read, where the first listing act is not resolved."""

    @field_validator("code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            code = normalize_code(value)
        except CodeError as exc:
            raise ValueError(str(exc)) from None
        if code != value:
            raise ValueError(f"write codes as digits only: {code!r}, not {value!r}")
        return code

    @model_validator(mode="after")
    def _code_or_item(self) -> GoodsRule:
        if (self.code is None) == (self.item is None):
            raise ValueError("a rule has either a code or an item (an entry defined by description)")
        return self

    @property
    def label(self) -> str:
        """The entry as the annex prints it: `8542 31`, `ex 8704`, `X.C.IX.012`."""
        if self.code is None:
            return self.item or ""
        return self.printed or format_code(self.code)


class CountryEntry(_Model):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str


class Regime(_Model):
    """One legal regime (an annex, a list, an alert) and its rules."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    kind: RegimeKind
    authority: str
    legal_basis: LegalBasis
    applies_to: tuple[str, ...] = ()
    """Destinations (ISO alpha-2) where the regime's effect applies by its own terms."""
    effect: Decision
    as_of: dt.date
    """Date of the latest act (or publication) whose text the rules reproduce."""
    coverage: str
    exemptions: tuple[Exemption, ...] = ()
    sources: tuple[SourceNote, ...] = Field(min_length=1)
    acts: dict[str, Act] = Field(default_factory=dict)
    list_source: str | None = None
    rules: tuple[GoodsRule, ...] = ()
    countries: tuple[CountryEntry, ...] = ()

    @model_validator(mode="after")
    def _acts_known(self) -> Regime:
        for number, rule in enumerate(self.rules):
            for act in (rule.added_by, rule.listed_in):
                if act is not None and act not in self.acts:
                    raise ValueError(f"rules[{number}]: act {act!r} is not in the regime's acts")
        return self

    def effective(self, rule: GoodsRule) -> dt.date | None:
        """The date of the act that first listed `rule`; None when that act is not resolved."""
        return self.acts[rule.added_by].date if rule.added_by else None

    def exempted(self, destination: str) -> Exemption | None:
        """The exemption that takes `destination` (ISO alpha-2) out of this regime, if any."""
        return next((e for e in self.exemptions if destination in e.destinations), None)

    def cite(self, rule: GoodsRule | None = None) -> str:
        """The legal basis, with the rule's annex part and listing act: what a reason prints."""
        text = self.legal_basis.cite(rule.part if rule else None)
        if rule is not None and rule.added_by:
            text += f"; {rule.label} added by {rule.added_by}"
        elif rule is not None and rule.listed_in:
            text += f"; {rule.label} as listed in {rule.listed_in}"
        return text


class Manifest(_Model):
    format: str
    name: str
    version: str
    regimes: tuple[str, ...] = Field(min_length=1)
    destinations: str

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        if value != FORMAT:
            raise ValueError(f"unknown format {value!r} (this clearance reads {FORMAT})")
        return value


class RulesVersion(_Model):
    """Which rules decided a result: the declared version and the sha256 of every rules file."""

    name: str
    version: str
    sha256: str

    def __str__(self) -> str:
        return f"{self.name} {self.version} (sha256 {self.sha256[:12]})"


@dataclass(frozen=True)
class RuleMatch:
    regime: Regime
    rule: GoodsRule
    coverage: Coverage

    @property
    def partial(self) -> bool:
        return self.coverage is not Coverage.FULL

    def note(self) -> str | None:
        """What a partial match means, in the words a result prints."""
        if self.coverage is Coverage.PART_OF_CODE:
            return f"{self.rule.label} covers only part of this code: {self.rule.description}"
        if self.coverage is Coverage.NARROWER:
            return f"the rule lists {self.rule.label}, a subdivision of the declared code: the goods may fall under it"
        return None


@dataclass(frozen=True)
class RuleSet:
    """Every regime, indexed by code: a declared code finds its rules in at most five lookups."""

    version: RulesVersion
    regimes: dict[str, Regime]
    destinations: Destinations
    _covering: dict[str, list[tuple[Regime, GoodsRule]]] = field(default_factory=dict, repr=False)
    _narrower: dict[str, list[tuple[Regime, GoodsRule]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for regime in self.regimes.values():
            for rule in regime.rules:
                if rule.code is None:
                    continue
                self._covering.setdefault(rule.code, []).append((regime, rule))
                for parent in prefixes(rule.code)[:-1]:
                    self._narrower.setdefault(parent, []).append((regime, rule))

    def matches(self, code: str) -> list[RuleMatch]:
        """Every rule that covers `code` (a normalised code), wholly or in part."""
        found = []
        for prefix in prefixes(code):
            for regime, rule in self._covering.get(prefix, ()):
                found.append(RuleMatch(regime, rule, Coverage.PART_OF_CODE if rule.ex else Coverage.FULL))
        for regime, rule in self._narrower.get(code, ()):
            found.append(RuleMatch(regime, rule, Coverage.NARROWER))
        return found

    def of_kind(self, *kinds: RegimeKind) -> list[Regime]:
        return [r for r in self.regimes.values() if r.kind in kinds]

    def regime(self, regime_id: str) -> Regime:
        try:
            return self.regimes[regime_id]
        except KeyError:
            raise NotFoundError(f"goods rules: no regime {regime_id!r} (known: {', '.join(self.regimes)})") from None

    def countries(self, kind: RegimeKind) -> dict[str, tuple[Regime, CountryEntry]]:
        """Country code -> (regime, entry) over every regime of `kind`."""
        return {c.code: (r, c) for r in self.of_kind(kind) for c in r.countries}

    def described_only(self) -> list[tuple[Regime, GoodsRule]]:
        """Entries defined by description (Annex VII Part A): carried, never matched by code."""
        return [(r, rule) for r in self.regimes.values() for rule in r.rules if rule.code is None]


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise RulesError(path, f"cannot read: {exc.strerror}") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise RulesError(path, f"not YAML: {exc}") from None


def _validated(model: type[BaseModel], path: Path, data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"]).lstrip(".")
        raise RulesError(path, error["msg"].removeprefix("Value error, "), field=where or None) from None


class RegimeDate(BaseModel):
    """How current one shipped regime is: the latest act its rules reproduce."""

    id: str
    as_of: dt.date
    legal_basis: LegalBasis


def regime_dates(directory: Path | None = None) -> list[RegimeDate]:
    """Each regime's date, read without validating its rules: for status pages, where a second counts."""
    folder = directory or DATA
    manifest: Manifest = _validated(Manifest, folder / MANIFEST, _read_yaml(folder / MANIFEST))
    return [_validated(RegimeDate, folder / name, _read_yaml(folder / name)) for name in manifest.regimes]


def load_rules(directory: Path | None = None) -> RuleSet:
    """The rules in `directory`, read afresh; without one, those shipped in the package, read once per process."""
    return _shipped() if directory is None else _load(directory.resolve())


@lru_cache(maxsize=1)
def _shipped() -> RuleSet:
    return _load(DATA)


def _load(directory: Path) -> RuleSet:
    manifest_path = directory / MANIFEST
    manifest: Manifest = _validated(Manifest, manifest_path, _read_yaml(manifest_path))
    digest = hashlib.sha256()
    regimes: dict[str, Regime] = {}
    for name in (MANIFEST, *manifest.regimes, manifest.destinations):
        path = directory / name
        try:
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError as exc:
            raise RulesError(path, f"cannot read: {exc.strerror}") from None
    for name in manifest.regimes:
        path = directory / name
        regime: Regime = _validated(Regime, path, _read_yaml(path))
        if regime.id in regimes:
            raise RulesError(path, f"regime {regime.id!r} is defined twice", field="id")
        regimes[regime.id] = regime
    destinations_path = directory / manifest.destinations
    data: DestinationsFile = _validated(DestinationsFile, destinations_path, _read_yaml(destinations_path))
    try:
        destinations = Destinations(data)
    except ValueError as exc:
        raise RulesError(destinations_path, str(exc)) from None
    version = RulesVersion(name=manifest.name, version=manifest.version, sha256=digest.hexdigest())
    by_kind: dict[RegimeKind, int] = defaultdict(int)
    for regime in regimes.values():
        by_kind[regime.kind] += 1
    for kind in (RegimeKind.EXPORT_BAN, RegimeKind.HIGH_PRIORITY, RegimeKind.END_USER_LIST):
        if not by_kind[kind]:
            raise RulesError(manifest_path, f"no regime of kind {kind.value}", field="regimes")
    return RuleSet(version=version, regimes=regimes, destinations=destinations)
