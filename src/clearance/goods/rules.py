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
import re
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
    WIND_DOWN = "wind_down"
    """Goods for which another regime's ban did not yet bind earlier contracts, until a date (a transition list)."""


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


class Repeal(_Model):
    """The act that deleted a regime's annex: its rules stay as history, in force only before `date`."""

    act: str
    date: dt.date
    """The first day the annex no longer applied: the deleting act's entry into force."""
    url: str


class Transition(_Model):
    """A wind-down: `regime`'s prohibitions did not apply, until `until`, to executing contracts concluded before
    `contracts_before` (or ancillary contracts necessary for their execution)."""

    regime: str
    contracts_before: dt.date
    until: dt.date
    """The last day such contracts could be executed."""


def _code_list(values: tuple[str, ...]) -> tuple[str, ...]:
    for value in values:
        try:
            code = normalize_code(value)
        except CodeError as exc:
            raise ValueError(str(exc)) from None
        if code != value:
            raise ValueError(f"write codes as digits only: {code!r}, not {value!r}")
    return values


def _normal_text(text: str) -> str:
    """Case, hyphens and runs of spaces do not decide a keyword match: `Rare-Earth` reads as `rare earth`."""
    return " ".join(_HYPHENS.sub(" ", text.casefold()).split())


_HYPHENS = re.compile(r"[\-\u2010-\u2015]")
_WORD = re.compile(r"\w+")


def _plurals(word: str) -> tuple[str, str]:
    return word + "s", word + "es"


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
    """The act whose text of the entry was read: what a reason cites where the first listing act is not resolved."""
    listing_note: str | None = None
    """What the sources say of the entry's listing where it is not one act plainly (or, in a mirror, whence it came)."""
    keywords: tuple[str, ...] = ()
    """Terms a shipment description may name the entry by (whole words, any case): for entries defined in words."""
    hints: tuple[str, ...] = ()
    """HS/CN code prefixes under which goods of an entry defined in words are usually declared: a pointer, not a
    listing."""

    @field_validator("hints")
    @classmethod
    def _hints(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _code_list(value)

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for keyword in value:
            if len(_normal_text(keyword)) < 2 or keyword != keyword.strip():
                raise ValueError(f"keyword {keyword!r}: write it trimmed, two characters or more")
        return value

    @field_validator("code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return None if value is None else _code_list((value,))[0]

    @model_validator(mode="after")
    def _code_or_item(self) -> GoodsRule:
        if (self.code is None) == (self.item is None):
            raise ValueError("a rule has either a code or an item (an entry defined by description)")
        return self

    def keyword_words(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each keyword with its words as a normalised description splits them (`Rare-Earth` -> rare, earth)."""
        return [(keyword, tuple(_WORD.findall(_normal_text(keyword)))) for keyword in self.keywords]

    @property
    def label(self) -> str:
        """The entry as the annex prints it: `8542 31`, `ex 8704`, `X.C.IX.012`."""
        if self.code is None:
            return self.item or ""
        return self.printed or format_code(self.code)


class CountryEntry(_Model):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str


def _current(data: Any) -> Any:
    """Fill in a regime's `latest_act` (raw YAML, before validation): where not written, its newest act.

    A regime with no acts of its own (a publication, not an amended annex: the CHPL, an alert) has its legal
    basis as its one act, dated `as_of`.
    """
    if not isinstance(data, dict):
        return data
    data = dict(data)
    acts = data.get("acts") or {}
    basis = data.get("legal_basis")
    if not acts and isinstance(basis, dict) and basis.get("act") and basis.get("url") and "as_of" in data:
        acts = data["acts"] = {basis["act"]: {"date": data["as_of"], "url": basis["url"]}}
    if data.get("latest_act") is None and isinstance(acts, dict) and acts:
        dated = [(str(act.get("date")), n, name) for n, (name, act) in enumerate(acts.items()) if isinstance(act, dict)]
        if dated:
            data["latest_act"] = max(dated)[2]  # of two acts of one day, the one written last
    return data


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
    latest_act: str
    """That act: a key of `acts`, dated `as_of`, no act newer (written, or the newest act when not)."""
    coverage: str
    gaps: tuple[str, ...] = ()
    """What the rules are known not to cover (later acts, unresolved history, texts not read), one point each."""
    exemptions: tuple[Exemption, ...] = ()
    sources: tuple[SourceNote, ...] = Field(min_length=1)
    acts: dict[str, Act] = Field(default_factory=dict)
    list_source: str | None = None
    repealed: Repeal | None = None
    """The act that deleted the annex; its rules are then history, matched only for a date before the deletion."""
    transition: Transition | None = None
    """For a wind-down list: the regime whose ban it suspended, and for which contracts until when."""
    mirrors: str | None = None
    """The regime whose rules this one takes at load time: its annex is, by law, the same list."""
    mirror_note: str | None = None
    """Why the rules are derived: the act that made the lists the same, what was verified and what differs."""
    rules: tuple[GoodsRule, ...] = ()
    countries: tuple[CountryEntry, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _fill_latest_act(cls, data: Any) -> Any:
        return _current(data)

    @model_validator(mode="after")
    def _acts_known(self) -> Regime:
        for number, rule in enumerate(self.rules):
            for act in (rule.added_by, rule.listed_in):
                if act is not None and act not in self.acts:
                    raise ValueError(f"rules[{number}]: act {act!r} is not in the regime's acts")
        if self.latest_act not in self.acts:
            raise ValueError(f"latest_act {self.latest_act!r} is not in the regime's acts")
        latest = self.acts[self.latest_act].date
        if latest != self.as_of:
            raise ValueError(f"latest_act {self.latest_act!r} is dated {latest}, but as_of is {self.as_of}")
        newer = [name for name, act in self.acts.items() if act.date > latest]
        if newer:
            raise ValueError(f"latest_act {self.latest_act!r} is older than {', '.join(newer)}")
        if self.repealed is not None and self.repealed.date < self.as_of:
            raise ValueError(f"repealed on {self.repealed.date}, before the act the rules reproduce ({self.as_of})")
        if (self.kind is RegimeKind.WIND_DOWN) != (self.transition is not None):
            raise ValueError("a wind_down regime, and only one, names its transition")
        if self.mirrors is not None and (self.rules or not self.mirror_note):
            raise ValueError("a mirroring regime lists no rules of its own and says why in mirror_note")
        return self

    def in_force(self, on: dt.date | None = None) -> bool:
        """Whether the regime applies on `on` (today when None): not yet deleted, and a wind-down not yet over."""
        day = on or dt.date.today()
        if self.repealed is not None and day >= self.repealed.date:
            return False
        return self.transition is None or day <= self.transition.until

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
        elif rule is not None and rule.listing_note:
            text += f"; {rule.label} {rule.listing_note}"
        return text

    def mirrored(self, source: Regime) -> Regime:
        """This regime with `source`'s rules, each saying it was derived (the source's listing acts are not this
        regime's: another act of another Regulation put each entry in this annex)."""
        annex = f"Annex {self.legal_basis.annex}" if self.legal_basis.annex else self.id
        origin = f"Annex {source.legal_basis.annex} to {source.legal_basis.act}"
        rules = []
        for rule in source.rules:
            how = (
                f"added by {rule.added_by}"
                if rule.added_by
                else f"listed in {rule.listed_in}"
                if rule.listed_in
                else ""
            )
            note = f"as in {origin}{f' ({how})' if how else ''}, which {annex} mirrors"
            rules.append(rule.model_copy(update={"added_by": None, "listed_in": None, "listing_note": note}))
        return self.model_copy(update={"rules": tuple(rules)})


class Manifest(_Model):
    format: str
    name: str
    version: str
    regimes: tuple[str, ...] = Field(min_length=1)
    destinations: str
    party_words: str | None = None
    """The words a branch or trading name adds to a listed name (`clearance.goods.parties`): they change which
    parties a shipment finds, so they are part of the rules version."""

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
class PartAMatch:
    """An entry defined in words that a description or a code points to: for a reviewer to check, not a listing."""

    regime: Regime
    rule: GoodsRule
    why: str
    """What pointed to it: `keyword "rare earth"`, `code 2846 90 falls under 2846, a classification hint`."""


@dataclass(frozen=True)
class RuleSet:
    """Every regime, indexed by code: a declared code finds its rules in at most five lookups."""

    version: RulesVersion
    regimes: dict[str, Regime]
    destinations: Destinations
    _covering: dict[str, list[tuple[Regime, GoodsRule]]] = field(default_factory=dict, repr=False)
    _narrower: dict[str, list[tuple[Regime, GoodsRule]]] = field(default_factory=dict, repr=False)
    _described: list[tuple[Regime, GoodsRule]] = field(default_factory=list, repr=False)
    _by_word: dict[str, list[tuple[int, str, tuple[str, ...]]]] = field(default_factory=dict, repr=False)
    """A keyword's first word (for a one-word keyword, with its plurals too) -> (entry number, keyword, its
    words): a description is read once, word by word, and only the keywords a word may begin are compared."""
    _by_hint: dict[str, set[int]] = field(default_factory=dict, repr=False)
    """Every code hint and each of its prefixes of four digits or more -> the entries hinted: a code is compared
    only with the hints it falls under or contains."""

    def __post_init__(self) -> None:
        for regime in self.regimes.values():
            for rule in regime.rules:
                if rule.code is None:
                    self._described.append((regime, rule))
                    continue
                self._covering.setdefault(rule.code, []).append((regime, rule))
                for parent in prefixes(rule.code)[:-1]:
                    self._narrower.setdefault(parent, []).append((regime, rule))
        for number, (_, rule) in enumerate(self._described):
            for keyword, words in rule.keyword_words():
                forms = (words[0], *_plurals(words[0])) if len(words) == 1 else (words[0],)
                for form in forms:
                    self._by_word.setdefault(form, []).append((number, keyword, words))
            for hint in rule.hints:
                for size in range(min(4, len(hint)), len(hint) + 1):
                    self._by_hint.setdefault(hint[:size], set()).add(number)

    def matches(self, code: str, on: dt.date | None = None) -> list[RuleMatch]:
        """Every rule that covers `code` (a normalised code), wholly or in part, of the regimes in force on `on`.

        Without a date, those in force today: a deleted annex (XXIIIA, XXIIIB) is then never matched, nor a
        wind-down list whose period is over; with a date before the deletion or the end, they are.
        """
        day = on or dt.date.today()
        found = []
        for prefix in prefixes(code):
            for regime, rule in self._covering.get(prefix, ()):
                if regime.in_force(day):
                    found.append(RuleMatch(regime, rule, Coverage.PART_OF_CODE if rule.ex else Coverage.FULL))
        for regime, rule in self._narrower.get(code, ()):
            if regime.in_force(day):
                found.append(RuleMatch(regime, rule, Coverage.NARROWER))
        return found

    def part_a(self, description: str | None, code: str | None) -> list[PartAMatch]:
        """The entries defined in words (Annex VII Part A and its mirrors) that `description` names by a keyword
        (whole words, any case, hyphens as spaces, a plural `s` allowed) or whose code hints `code` falls under
        (or, for a code of four digits or more, contains): what a reviewer checks the goods against, since no
        code decides them. `code` is read as `normalize_code` reads it."""
        words = _WORD.findall(_normal_text(description)) if description else []
        named: dict[int, set[str]] = {}
        for start, word in enumerate(words):
            for number, keyword, wanted in self._by_word.get(word, ()):
                end = start + len(wanted)
                if end > len(words) or tuple(words[start : end - 1]) != wanted[:-1]:
                    continue
                if words[end - 1] == wanted[-1] or words[end - 1] in _plurals(wanted[-1]):
                    named.setdefault(number, set()).add(keyword)
        declared = normalize_code(code) if code is not None else None
        hinted: set[int] = set()  # a superset: the hints are compared one by one below
        if declared is not None:
            for size in range(1, len(declared) + 1):
                hinted |= self._by_hint.get(declared[:size], set())
        found = []
        day = dt.date.today()
        for number in sorted(named.keys() | hinted):
            regime, rule = self._described[number]
            if not regime.in_force(day):
                continue
            reasons = []
            named_here = [keyword for keyword in rule.keywords if keyword in named.get(number, ())]
            if named_here:
                quoted = ", ".join(f'"{k}"' for k in named_here)
                reasons.append(f"keyword{'s' if len(named_here) > 1 else ''} {quoted}")
            if declared is not None:
                for hint in rule.hints:
                    if declared.startswith(hint):
                        shown = format_code(hint)
                        reasons.append(
                            f"code {shown} is a classification hint"
                            if declared == hint
                            else f"code {format_code(declared)} falls under {shown}, a classification hint"
                        )
                        break
                    if len(declared) >= 4 and hint.startswith(declared):
                        reasons.append(
                            f"code {format_code(declared)} contains {format_code(hint)}, a classification hint"
                        )
                        break
            if reasons:
                found.append(PartAMatch(regime, rule, "; ".join(reasons)))
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
        """Entries defined by description (Annex VII Part A): carried, never matched by code. Each once: a regime
        that mirrors another (Annex Va to Regulation 765/2006) repeats its entries and is not counted again."""
        return [(r, rule) for r, rule in self._described if r.mirrors is None and r.in_force()]


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
    """How current one shipped regime is: the latest act its rules reproduce, and what it is known to leave out."""

    id: str
    as_of: dt.date
    latest_act: str
    legal_basis: LegalBasis
    gaps: tuple[str, ...] = ()
    repealed: Repeal | None = None

    @model_validator(mode="before")
    @classmethod
    def _fill_latest_act(cls, data: Any) -> Any:
        return _current(data)


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


def _linked(regime: Regime, regimes: dict[str, Regime], path: Path) -> None:
    """A regime that names another (the one it mirrors, the ban its wind-down suspends) names one that is there."""
    if regime.mirrors is not None:
        source = regimes.get(regime.mirrors)
        if source is None or source.mirrors is not None:
            raise RulesError(
                path, f"mirrors {regime.mirrors!r}, which is not a regime with rules of its own", "mirrors"
            )
    if regime.transition is not None:
        banned = regimes.get(regime.transition.regime)
        if banned is None or banned.kind is not RegimeKind.EXPORT_BAN:
            raise RulesError(path, f"suspends {regime.transition.regime!r}, which is not an export ban", "transition")


def _load(directory: Path) -> RuleSet:
    manifest_path = directory / MANIFEST
    manifest: Manifest = _validated(Manifest, manifest_path, _read_yaml(manifest_path))
    digest = hashlib.sha256()
    regimes: dict[str, Regime] = {}
    for name in (MANIFEST, *manifest.regimes, manifest.destinations, *filter(None, [manifest.party_words])):
        path = directory / name
        try:
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError as exc:
            raise RulesError(path, f"cannot read: {exc.strerror}") from None
    paths: dict[str, Path] = {}
    for name in manifest.regimes:
        path = directory / name
        regime: Regime = _validated(Regime, path, _read_yaml(path))
        if regime.id in regimes:
            raise RulesError(path, f"regime {regime.id!r} is defined twice", field="id")
        regimes[regime.id], paths[regime.id] = regime, path
    for regime in list(regimes.values()):
        _linked(regime, regimes, paths[regime.id])
        if regime.mirrors is not None:
            regimes[regime.id] = regime.mirrored(regimes[regime.mirrors])
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
