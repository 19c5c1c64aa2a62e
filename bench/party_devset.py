"""Development set for party screening: real listed names, made variants of them, and non-listed names.

Positives come from the real lists loaded together (the sources of the mirror's
`latest.json`), so the benchmark measures the names screening meets in practice,
not names made to suit a matcher. Every query is built with a seeded generator per
entity, so the set is the same on every run and adding a rule changes only its own
queries. Negatives are Faker names in six locales plus OpenSanctions' synthetic
non-listed people; any that equals a listed name is dropped, because a hit on it
would be correct and would otherwise count as a false positive.

    .venv/bin/python bench/party_devset.py        # build, print the composition, write bench/.cache/
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import string
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from anyascii import anyascii
from faker import Faker

from clearance.countries import to_iso2
from clearance.lists.registry import get_source
from clearance.lists.update import mirror_path
from clearance.model import Entity, EntityKind, Name, NameQuality
from clearance.scripts import detect_script

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache"
DATA = BENCH.parents[1] / "shared" / "data"
LISTS = DATA / "lists"
PEER_NEGATIVES = DATA / "peers" / "opensanctions" / "screening-fixtures" / "negatives_global.csv"

SEED = 20260805
PER_STRATUM = 500
"""Entities sampled per (source, kind); smaller sources are taken whole."""
FAKER_LOCALES = ("ru_RU", "fa_IR", "ar_AA", "zh_CN", "en_US", "de_DE")
FAKER_PERSONS = 700
FAKER_COMPANIES = 300
ATTRIBUTE_SHARE = 0.5
"""Share of queries that carry a date of birth / a country, drawn independently, positives and negatives alike."""

SCREENED_KINDS = (EntityKind.PERSON, EntityKind.ORGANIZATION)
OFAC_SOURCES = ("ofac-sdn", "ofac-cons", "us-csl")
CIS = {"RU", "BY", "UA", "KZ", "KG", "UZ", "TJ", "TM", "AZ", "AM", "GE", "MD", "SU"}
LOCALE_COUNTRIES = {
    "ru_RU": ("RU",),
    "fa_IR": ("IR",),
    "ar_AA": ("SA", "AE", "EG", "IQ", "SY", "JO", "LB", "YE"),
    "zh_CN": ("CN",),
    "en_US": ("US",),
    "de_DE": ("DE",),
}


@dataclass(frozen=True)
class Query:
    """One screening request and what a correct screener returns for it."""

    qid: str
    text: str
    kind: str
    dob: str | None
    country: str | None
    expected: tuple[str, ...]
    """Ids of the listed entity and its same-record twins (an OFAC entry repeated in the CSL); empty for negatives."""
    variation: str
    script: str
    origin: str
    """The listed entity's source for positives; `faker:<locale>` or `peers` for negatives."""

    @property
    def positive(self) -> bool:
        return bool(self.expected)


# --- loading -------------------------------------------------------------------------------------------------------


def load_entities(lists: Path = LISTS) -> list[Entity]:
    """Every entity of the sources the mirror's `latest.json` names, in its order."""
    sources = json.loads((lists / "latest.json").read_text(encoding="utf-8"))
    entities: list[Entity] = []
    for name in sources:
        entities.extend(get_source(name).parse(mirror_path(lists, name)).entities)
    return entities


# --- normalisation ---------------------------------------------------------------------------------------------------

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def name_key(text: str) -> str:
    """Casefolded, punctuation-free, token-sorted: two names with this key equal are the same name."""
    return " ".join(sorted(_PUNCT.sub(" ", text.casefold()).split()))


_SYLLABIC = re.compile(r"([\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af])")
_FORM_WORDS = frozenset(
    "llc ooo ao oao zao pao jsc ojsc cjsc pjsc ltd limited liability inc incorporated corp corporation co company "
    "plc gmbh ag kg kgaa mbh ohg ev sa srl sarl bv llp fze fzco group and sons joint stock closed open public "
    "ip npo rao ak td tov too ink inkorporeyted grupp partnery i".split()
)


def name_keys(text: str) -> set[str]:
    """Keys under which two names are the same name, to keep listed names out of the negatives.

    The name as written and transliterated by anyascii, with CJK and Hangul syllables spaced
    (马利 is `ma li`, as lists write it, not `mali`), each with and without legal-form words
    (`Snow LLC` is the listed `SNOW`).
    """
    spaced = anyascii(_SYLLABIC.sub(r" \1 ", text))
    keys = set()
    for form in (text, anyascii(text), spaced):
        key = name_key(form)
        keys.add(key)
        bare = " ".join(t for t in key.split() if t not in _FORM_WORDS)
        if bare:
            keys.add(bare)
    return keys


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _match_case(template: str, text: str) -> str:
    if template.isupper():
        return text.upper()
    if template[:1].isupper():
        return text[:1].upper() + text[1:]
    return text.lower()


# --- romanisation swaps ----------------------------------------------------------------------------------------------

_SLAVIC = re.compile(r"(?:ov|ev|ova|eva|in|ina|sky|skiy|skii|skaya|ich|vich|vna|enko|uk|yuk|yev|yeva)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Swap:
    """A regex whose match may be written any of `forms`: the spellings one source letter has across systems."""

    pattern: re.Pattern[str]
    forms: tuple[str, ...]
    slavic: bool


def _swap(pattern: str, forms: Iterable[str], slavic: bool) -> Swap:
    return Swap(re.compile(pattern, re.IGNORECASE), tuple(forms), slavic)


_C = "bcdfghjklmnprstvz"
SWAPS: tuple[Swap, ...] = (
    # Cyrillic-origin: the same Russian letter in BGN/PCGN, passport (ICAO) and French/German styles.
    _swap(rf"(?<=[{_C}])(?:iy|ii|y)\b", ("iy", "ii", "y"), True),
    _swap(r"kh", ("kh", "h"), True),
    _swap(rf"(?<=[aeiou])h(?=[aeiou{_C}])", ("kh",), True),
    _swap(r"ks", ("ks", "x"), True),
    _swap(r"(?<=[aeiou])x", ("ks",), True),
    _swap(r"(?<=\w)(?:ov|off)\b", ("ov", "off"), True),
    _swap(r"(?<=\w)(?:ev|eff)\b", ("ev", "eff"), True),
    _swap(r"\bye", ("e",), True),
    _swap(rf"\be(?=[{_C}])", ("ye",), True),
    _swap(r"(?<=[aeiou])ye", ("e",), True),
    _swap(r"(?<=[aeiou])e(?=v)", ("ye",), True),
    _swap(r"(?:ya|ia)", ("ya", "ia"), True),
    _swap(r"(?:yu|iu)", ("yu", "iu"), True),
    _swap(r"(?<![ts])ch", ("tch",), True),
    _swap(r"tch", ("ch",), True),
    _swap(r"(?<![sc])sh(?!ch)", ("sch",), True),
    _swap(r"sch(?!ch)", ("sh",), True),
    # Arabic-origin: the common spellings of the same Arabic name or particle.
    _swap(
        r"\b(?:mohammed|muhammad|mohamad|mohammad|muhammed|mohamed|mohammed)\b",
        ("Mohammed", "Muhammad", "Mohamad", "Mohammad", "Muhammed", "Mohamed"),
        False,
    ),
    _swap(r"\babdul\s+", ("Abd al-", "Abdel "), False),
    _swap(r"\babd\s+al[- ]", ("Abdul ", "Abdel "), False),
    _swap(r"\babdel\s+", ("Abdul ", "Abd al-"), False),
    _swap(r"\b(?:bin|ibn)\b", ("bin", "ibn"), False),
    _swap(r"\b(?:al|el)(?=[- ]\w)", ("al", "el"), False),
)


def romanisation_variant(name: str, slavic: bool, rng: random.Random) -> str | None:
    """One romanisation swap at one place where its pattern occurs; None when none applies."""
    options: list[tuple[int, int, str]] = []
    for swap in SWAPS:
        if swap.slavic and not slavic:
            continue
        for match in swap.pattern.finditer(name):
            found = match.group(0)
            for form in swap.forms:
                if _fold(form) != _fold(found):
                    options.append((match.start(), match.end(), _match_case(found, form)))
    if not options:
        return None
    start, end, form = rng.choice(options)
    return name[:start] + form + name[end:]


# --- legal forms -------------------------------------------------------------------------------------------------

LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    ("LLC", "L.L.C.", "OOO", "Limited Liability Company", "Obshchestvo s Ogranichennoi Otvetstvennostyu", "TOO"),
    ("JSC", "AO", "Joint Stock Company", "Joint-Stock Company", "Aktsionernoe Obshchestvo"),
    ("OJSC", "OAO", "Open Joint Stock Company", "Open Joint-Stock Company"),
    ("CJSC", "ZAO", "Closed Joint Stock Company", "Closed Joint-Stock Company"),
    ("PJSC", "PAO", "Public Joint Stock Company", "Public Joint-Stock Company"),
    ("Co., Ltd.", "Company Limited", "Co. Ltd"),
    ("Pvt. Ltd.", "Private Limited"),
    ("Pte. Ltd.", "Private Limited"),
    ("Sdn. Bhd.", "Sendirian Berhad"),
    ("Ltd.", "Limited", "Ltd"),
    ("Inc.", "Incorporated", "Inc"),
    ("Corp.", "Corporation", "Corp"),
    ("PLC", "Public Limited Company"),
    ("S.A. de C.V.", "SA de CV"),
    ("S.A.", "SA", "Sociedad Anonima"),
    ("S.R.L.", "SRL"),
    ("S.A.R.L.", "SARL"),
    ("GmbH",),
    ("AG",),
    ("B.V.", "BV"),
    ("FZE", "FZCO", "FZ-LLC"),
    ("LLP",),
    ("Company", "Co."),
)


def _form_pattern(form: str) -> str:
    parts = []
    for char in form:
        if char == ".":
            parts.append(r"\.?")
        elif char == " ":
            parts.append(r"[\s,]+")
        elif char == "-":
            parts.append(r"[-\s]")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


_LEGAL = [
    (re.compile(rf"(?<![\w.]){_form_pattern(form)}(?![\w])", re.IGNORECASE), group)
    for group in LEGAL_FORMS
    for form in sorted(group, key=len, reverse=True)
]


def legal_form_variant(name: str, rng: random.Random) -> str | None:
    """Drop the legal form, or write it as another form of the same group (LLC -> OOO); None without one."""
    for pattern, group in _LEGAL:
        match = pattern.search(name)
        if match is None:
            continue
        others = [form for form in group if _fold(form).replace(".", "") != _fold(match.group(0)).replace(".", "")]
        replacement = rng.choice(others) if others and rng.random() < 0.5 else ""
        if replacement and name.isupper():
            replacement = replacement.upper()
        varied = name[: match.start()] + replacement + name[match.end() :]
        varied = re.sub(r"\s+", " ", re.sub(r"\(\s*\)|\"\s*\"|«\s*»", "", varied)).strip(" ,-")
        varied = re.sub(r"\s+,", ",", varied)
        if len(_PUNCT.sub("", varied)) < 3:
            return None
        return varied
    return None


# --- Latin to Cyrillic ---------------------------------------------------------------------------------------------

_TO_CYRILLIC = {
    "shch": "щ",
    "tch": "ч",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "ch": "ч",
    "sh": "ш",
    "yu": "ю",
    "ya": "я",
    "yo": "ё",
    "ye": "е",
    "a": "а",
    "b": "б",
    "c": "к",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "j": "дж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "кс",
    "y": "ы",
    "z": "з",
}
_CYR_KEYS = sorted(_TO_CYRILLIC, key=len, reverse=True)
_VOWELS = set("aeiouy")


def to_cyrillic(text: str) -> str:
    """Russian Cyrillic for a romanised name: the inverse of the common BGN/passport tables, greedy longest match.

    Word-final `y`, `iy` and `ii` are `ий` after a consonant (Dmitry, -sky), `y` is `й` after a vowel (Sergey);
    `y` between a vowel and a consonant is `й` (Aydar); `ye`/`ya`/`yu`/`yo` after a consonant take a soft sign
    (Tatyana). Ambiguous letters keep their most usual value.
    """
    return re.sub(r"[A-Za-z]+", lambda m: _word_to_cyrillic(m.group(0)), text)


def _word_to_cyrillic(word: str) -> str:
    lower = word.lower()
    out: list[str] = []
    i = 0
    while i < len(lower):
        if lower.endswith(("iy", "ii"), i) and i + 2 == len(lower):
            chunk, cyr = lower[i:], "ий"
        else:
            chunk = next(k for k in _CYR_KEYS if lower.startswith(k, i))
            cyr = _TO_CYRILLIC[chunk]
        end = i + len(chunk)
        if chunk in ("ye", "ya", "yu", "yo") and i > 0 and lower[i - 1] not in _VOWELS:
            cyr = "ь" + cyr
        if chunk == "y":
            prev_vowel = i > 0 and lower[i - 1] in _VOWELS
            at_end = end == len(lower)
            if prev_vowel and (at_end or lower[end] not in _VOWELS):
                cyr = "й"
            elif at_end:
                cyr = "ий"
        source = word[i:end]
        if word.isupper() and len(word) > 1:
            cyr = cyr.upper()
        elif source[:1].isupper():
            cyr = cyr[:1].upper() + cyr[1:]
        out.append(cyr)
        i = end
    return "".join(out)


# --- person name shapes ----------------------------------------------------------------------------------------------


def _split_comma(name: str) -> tuple[str, str] | None:
    """`LAST, Given Names` as (last, given); None when the name is not in that form."""
    if name.count(",") != 1:
        return None
    last, given = (part.strip() for part in name.split(","))
    if not last or not given:
        return None
    return last, given


def word_order_variant(name: str) -> str | None:
    """`LAST, First` as `First LAST`; otherwise the family name (last token) moved to the front."""
    parts = _split_comma(name)
    if parts is not None:
        return f"{parts[1]} {parts[0]}"
    tokens = name.split()
    if len(tokens) < 2:
        return None
    return " ".join([tokens[-1], *tokens[:-1]])


_PARTICLES = {"abd", "abu", "al", "el", "bin", "ibn", "ben", "bint", "umm", "abdul", "de", "van", "von"}


def dropped_middle_variant(name: str) -> str | None:
    """Only the first given name and the family name: middle names and patronymics dropped.

    Skipped when the kept given name is a particle (`'Abd al-Aziz` is one name, not `'Abd`).
    """
    parts = _split_comma(name)
    if parts is not None:
        last, given = parts
        tokens = given.split()
        if len(tokens) < 2 or len(last.split()) + len(tokens) < 3 or _is_particle(tokens[0]):
            return None
        return f"{last}, {tokens[0]}"
    tokens = name.split()
    if len(tokens) < 3 or _is_particle(tokens[0]) or _is_particle(tokens[-2]):
        return None
    return f"{tokens[0]} {tokens[-1]}"


def _is_particle(token: str) -> bool:
    return _PUNCT.sub("", token.casefold()) in _PARTICLES


def initials_variant(name: str) -> str | None:
    """The first given name reduced to its initial (`PUTIN, V. Vladimirovich`, `D. UMAROV`)."""
    parts = _split_comma(name)
    if parts is not None:
        last, given = parts
        tokens = given.split()
        if len(tokens[0]) < 3 or not tokens[0][0].isalpha():
            return None
        return f"{last}, {' '.join([tokens[0][0] + '.', *tokens[1:]])}"
    tokens = name.split()
    if len(tokens) < 2 or len(tokens[0]) < 3 or not tokens[0][0].isalpha():
        return None
    return " ".join([tokens[0][0] + ".", *tokens[1:]])


def typo_variant(name: str, rng: random.Random) -> str | None:
    """One keyboard slip in one word of five or more letters: insert, delete, substitute or transpose."""
    words = [m for m in re.finditer(r"[A-Za-z]+", name) if len(m.group(0)) >= 5]
    if not words:
        return None
    match = rng.choice(words)
    word = match.group(0)
    letters = string.ascii_uppercase if word.isupper() else string.ascii_lowercase
    op = rng.choice(("insert", "delete", "substitute", "transpose"))
    pos = rng.randrange(1, len(word) - 1)
    if op == "insert":
        new = word[:pos] + rng.choice(letters) + word[pos:]
    elif op == "delete":
        new = word[:pos] + word[pos + 1 :]
    elif op == "substitute":
        new = word[:pos] + rng.choice([c for c in letters if c.lower() != word[pos].lower()]) + word[pos + 1 :]
    else:
        pairs = [i for i in range(len(word) - 1) if word[i].lower() != word[i + 1].lower()]
        if not pairs:
            return None
        i = rng.choice(pairs)
        new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return name[: match.start()] + new + name[match.end() :]


# --- positives -------------------------------------------------------------------------------------------------------


def ofac_twins(entities: list[Entity]) -> dict[str, tuple[str, ...]]:
    """Ids of the same OFAC record in other sources (the CSL repeats SDN entries under the same number)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for entity in entities:
        number = entity.id.split(":", 1)[1]
        if entity.source in OFAC_SOURCES and number.isdigit():
            groups[number].append(entity.id)
    twins: dict[str, tuple[str, ...]] = {}
    for ids in groups.values():
        for entity_id in ids:
            twins[entity_id] = tuple(sorted(i for i in ids if i != entity_id))
    return twins


def sample_entities(entities: list[Entity], twins: dict[str, tuple[str, ...]], rng: random.Random) -> list[Entity]:
    """Up to PER_STRATUM persons and organisations per source, plus every one with a non-Latin listed name.

    CSL entries that repeat an OFAC SDN record are left to the SDN stratum, so the CSL
    stratum samples the other US lists (Entity List, Denied Persons, ...).
    """
    strata: dict[tuple[str, EntityKind], list[Entity]] = defaultdict(list)
    for entity in entities:
        if entity.kind not in SCREENED_KINDS:
            continue
        if entity.source == "us-csl" and any(t.startswith("ofac-sdn:") for t in twins.get(entity.id, ())):
            continue
        strata[(entity.source, entity.kind)].append(entity)
    chosen: dict[str, Entity] = {}
    for key in sorted(strata):
        pool = sorted(strata[key], key=lambda e: e.id)
        for entity in rng.sample(pool, min(PER_STRATUM, len(pool))):
            chosen[entity.id] = entity
        for entity in pool:
            if any(n.script not in (None, "Latn") for n in entity.names):
                chosen[entity.id] = entity
    return sorted(chosen.values(), key=lambda e: e.id)


def _script(name: Name) -> str:
    return name.script or detect_script(name.full) or "Zyyy"


def _attributes(entity: Entity, rng: random.Random) -> tuple[str | None, str | None]:
    dob = None
    exact = [str(d.date) for d in entity.dates_of_birth if d.date is not None and d.date.day is not None]
    if entity.kind is EntityKind.PERSON and exact and rng.random() < ATTRIBUTE_SHARE:
        dob = exact[0]
    countries = entity.countries
    country = countries[0] if countries and rng.random() < ATTRIBUTE_SHARE else None
    return dob, country


def entity_queries(entity: Entity, twins: tuple[str, ...], listed: set[str], seed: int) -> Iterator[Query]:
    """The queries one listed entity yields: at most one per variation type."""
    rng = random.Random(f"{seed}:{entity.id}")
    expected = (entity.id, *twins)
    primary = entity.name
    person = entity.kind is EntityKind.PERSON

    def query(variation: str, text: str, script: str) -> Query:
        dob, country = _attributes(entity, rng)
        return Query(
            qid=f"{variation}:{entity.id}",
            text=text,
            kind=entity.kind.value,
            dob=dob,
            country=country,
            expected=expected,
            variation=variation,
            script=script,
            origin=entity.source,
        )

    others = [n for n in entity.names if _fold(n.full) != _fold(primary)]
    arabic = [n for n in others if _script(n) == "Arab"]
    if arabic:
        name = rng.choice(arabic)
        yield query("arabic_script", name.full, "Arab")
    strong = [n for n in others if _script(n) != "Arab" and n.quality in (NameQuality.STRONG, NameQuality.FORMER)]
    original = [n for n in strong if _script(n) != "Latn"]
    if strong:
        name = rng.choice(original or strong)
        yield query("alias", name.full, _script(name))
    weak = [n for n in others if _script(n) != "Arab" and n.quality is NameQuality.WEAK]
    if weak:
        name = rng.choice(weak)
        yield query("weak_alias", name.full, _script(name))

    if detect_script(primary) != "Latn":
        return
    slavic = person and (bool(CIS & set(entity.countries)) or bool(_SLAVIC.search(primary)))
    makers: list[tuple[str, Callable[[], str | None]]] = [
        ("romanisation", lambda: romanisation_variant(primary, slavic, rng)),
        ("typo", lambda: typo_variant(primary, rng)),
    ]
    if person:
        makers += [
            ("word_order", lambda: word_order_variant(primary)),
            ("dropped_middle", lambda: dropped_middle_variant(primary)),
            ("initials", lambda: initials_variant(primary)),
        ]
    else:
        makers.append(("legal_form", lambda: legal_form_variant(primary, rng)))
    if person and CIS & set(entity.countries):
        makers.append(("cyrillic", lambda: to_cyrillic(primary)))
    for variation, make in makers:
        text = make()
        if text is None or _fold(text) in listed:
            continue
        yield query(variation, text, "Cyrl" if variation == "cyrillic" else "Latn")


def positives(entities: list[Entity], seed: int = SEED) -> list[Query]:
    twins = ofac_twins(entities)
    by_id = {e.id: e for e in entities}
    queries: list[Query] = []
    for entity in sample_entities(entities, twins, random.Random(seed)):
        group = [entity, *(by_id[t] for t in twins.get(entity.id, ()))]
        listed = {_fold(n.full) for member in group for n in member.names}
        queries.extend(entity_queries(entity, twins.get(entity.id, ()), listed, seed))
    return queries


# --- negatives -------------------------------------------------------------------------------------------------------


def listed_keys(entities: Iterable[Entity]) -> set[str]:
    keys: set[str] = set()
    for entity in entities:
        for name in entity.names:
            keys |= name_keys(name.full)
    return keys


FA_COMPANY_FORMS = ("شرکت {}", "شرکت بازرگانی {}", "گروه صنعتی {}", "شرکت تولیدی {}", "{} و شرکا")


def fake_company(fake: Faker, locale: str, rng: random.Random) -> str:
    """A made-up company name: Faker's own, except where Faker draws from lists of real companies.

    ru_RU mixes in real large Russian companies (several are sanctioned) and fa_IR returns
    only real Iranian companies; those would be hits, not negatives, so they are avoided.
    """
    if locale == "fa_IR":
        return rng.choice(FA_COMPANY_FORMS).format(fake.last_name())
    real = {c for provider in fake.providers for c in getattr(provider, "large_companies", ())}
    while True:
        name = fake.company()
        if name not in real:
            return name


def faker_negatives(seed: int = SEED) -> Iterator[Query]:
    """Persons (first + family name, in the locale's order) and companies in each locale."""
    for locale in FAKER_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(f"{seed}:{locale}")
        rng = random.Random(f"{seed}:{locale}")
        for i in range(FAKER_PERSONS + FAKER_COMPANIES):
            person = i < FAKER_PERSONS
            if person:
                if rng.random() < 0.5:
                    first, last = fake.first_name_male(), fake.last_name_male()
                else:
                    first, last = fake.first_name_female(), fake.last_name_female()
                text = f"{last}{first}" if locale == "zh_CN" else f"{first} {last}"
                dob = fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat()
                dob = dob if rng.random() < ATTRIBUTE_SHARE else None
            else:
                text, dob = fake_company(fake, locale, rng), None
            country = rng.choice(LOCALE_COUNTRIES[locale]) if rng.random() < ATTRIBUTE_SHARE else None
            yield Query(
                qid=f"negative:faker:{locale}:{i}",
                text=text,
                kind=(EntityKind.PERSON if person else EntityKind.ORGANIZATION).value,
                dob=dob,
                country=country,
                expected=(),
                variation="negative",
                script=detect_script(text) or "Zyyy",
                origin=f"faker:{locale}",
            )


def peer_negatives(path: Path = PEER_NEGATIVES, seed: int = SEED, limit: int | None = None) -> Iterator[Query]:
    """OpenSanctions' synthetic non-listed people, with their birth date and nationality on ATTRIBUTE_SHARE of them."""
    if not path.is_file():
        return
    rng = random.Random(f"{seed}:peers")
    with path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if limit is not None and i >= limit:
                break
            text = " ".join(row["full_name"].split())
            if not text:
                continue
            dob = row.get("date_of_birth") or None
            country = to_iso2(row.get("nationality") or None)
            yield Query(
                qid=f"negative:peers:{i}",
                text=text,
                kind=EntityKind.PERSON.value,
                dob=dob if rng.random() < ATTRIBUTE_SHARE else None,
                country=country if rng.random() < ATTRIBUTE_SHARE else None,
                expected=(),
                variation="negative",
                script=detect_script(text) or "Zyyy",
                origin="peers",
            )


def negatives(entities: list[Entity], seed: int = SEED, peer_limit: int | None = None) -> list[Query]:
    """Non-listed names, each once; a name equal to any listed name (in any script) is dropped."""
    listed = listed_keys(entities)
    seen: set[str] = set()
    kept: list[Query] = []
    for query in [*faker_negatives(seed), *peer_negatives(seed=seed, limit=peer_limit)]:
        own = name_key(query.text)
        if own in seen or sum(c.isalpha() for c in query.text) < 2 or not listed.isdisjoint(name_keys(query.text)):
            continue
        seen.add(own)
        kept.append(query)
    return kept


# --- the set ---------------------------------------------------------------------------------------------------------


def build_devset(entities: list[Entity], seed: int = SEED, peer_limit: int | None = None) -> list[Query]:
    return [*positives(entities, seed), *negatives(entities, seed, peer_limit)]


def composition(queries: list[Query]) -> dict[str, dict[str, int]]:
    """Counts per variation type, script, origin and kind, for the report."""
    pos = [q for q in queries if q.positive]
    neg = [q for q in queries if not q.positive]
    return {
        "total": {"positives": len(pos), "negatives": len(neg), "entities": len({q.expected[0] for q in pos})},
        "positives_by_variation": dict(Counter(q.variation for q in pos).most_common()),
        "positives_by_script": dict(Counter(q.script for q in pos).most_common()),
        "positives_by_source": dict(Counter(q.origin for q in pos).most_common()),
        "positives_by_kind": dict(Counter(q.kind for q in pos).most_common()),
        "negatives_by_origin": dict(Counter(q.origin for q in neg).most_common()),
        "negatives_by_script": dict(Counter(q.script for q in neg).most_common()),
        "negatives_by_kind": dict(Counter(q.kind for q in neg).most_common()),
        "with_dob": {"positives": sum(1 for q in pos if q.dob), "negatives": sum(1 for q in neg if q.dob)},
        "with_country": {"positives": sum(1 for q in pos if q.country), "negatives": sum(1 for q in neg if q.country)},
    }


def write_devset(queries: Iterable[Any], path: Path) -> None:
    """Queries (dataclasses) as JSON lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for query in queries:
            out.write(json.dumps(asdict(query), ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lists", type=Path, default=LISTS, help="list mirror folder (with latest.json)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--peer-negatives", type=int, default=None, help="use only the first N peer negatives")
    parser.add_argument("--out", type=Path, default=CACHE / "party_devset.jsonl")
    args = parser.parse_args()
    started = time.perf_counter()
    entities = load_entities(args.lists)
    loaded = time.perf_counter()
    queries = build_devset(entities, args.seed, args.peer_negatives)
    built = time.perf_counter()
    write_devset(queries, args.out)
    print(json.dumps(composition(queries), indent=2))
    print(f"lists loaded in {loaded - started:.1f} s, dev set built in {built - loaded:.1f} s -> {args.out}")


if __name__ == "__main__":
    main()
