"""Real-world development set for party screening: names as people write them, each pointing at the listed entity.

The generated set (party_devset.py) makes its variants with our own rules, so a matcher
tuned on it learns those rules back and its recall looks better than it is. Here the
queries are spellings found outside the project:

- `bench/realworld/queries.jsonl`: names gathered by hand from public pages (other
  languages' Wikipedias, news, encyclopaedias), each with its URL, and real non-listed
  people named on the same pages;
- cross-source aliases: a name one authority lists for a person (a UN record's Arabic
  name, an OFAC record's other spelling) screened for the same person in another
  authority's record that does not hold that name;
- Wikidata transliteration pairs (`../shared/data/names`, CC0, read in place): the
  native-script label of a person whose English label is a listed name in its order, and listed
  names written token by token with Wikidata's most common rendering of each token;
- rule-made variants of real listed names (noise, 35-character truncation, initials,
  word order, surname only, SWIFT-style abbreviation, dropped patronymic), marked as
  constructed;
- negatives: real non-listed people (hand-gathered, and Wikidata people whose name is
  not listed, some sharing a listed surname) and OpenSanctions' synthetic non-listed people.

Every expected id is checked against the real lists; the build stops on one that is missing.
Each query falls in `dev` or `test` by a stable hash of its entity cluster (the listed ids
it points at, joined across authorities), so every spelling of one person is on one side.
The test split is locked: it is written only with `--split test`, and tuning never looks at it.

    .venv/bin/python bench/realworld_devset.py                 # dev split -> bench/.cache/realworld_dev.jsonl
    .venv/bin/python bench/realworld_devset.py --split test    # the locked split, for the final measurement only
    .venv/bin/python bench/realworld_devset.py --split renderings  # the dev split's listed people, all rendered
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from anyascii import anyascii

from clearance.model import Entity, EntityKind
from clearance.scripts import detect_script
from party_devset import (
    CACHE,
    DATA,
    LISTS,
    OFAC_SOURCES,
    PEER_NEGATIVES,
    listed_keys,
    load_entities,
    name_key,
    name_keys,
    ofac_twins,
    peer_negatives,
    write_devset,
)

BENCH = Path(__file__).resolve().parent
HAND = BENCH / "realworld" / "queries.jsonl"
NAMES = DATA / "names"
SEED = 20261205
TEST_SHARE = 30
"""Per cent of entity clusters in the locked test split."""
SPLITS = ("dev", "test")
RENDERINGS = "renderings"
"""Not a split: the listed people of the dev split's clusters rendered token by token, all of them (`renderings`)."""

FAMILIES = (
    "language",
    "title",
    "initials",
    "patronymic",
    "abbreviation",
    "given_name_variant",
    "noise",
    "surname_only",
    "truncated",
    "order",
)
LICENCES = {
    "ofac-sdn": "US government work (OFAC SDN list), public domain",
    "ofac-cons": "US government work (OFAC Consolidated list), public domain",
    "us-csl": "US government work (trade.gov Consolidated Screening List), public domain",
    "un": "UN Security Council Consolidated List, public document",
    "eu": "EU Financial Sanctions File, reuse authorised (Commission Decision 2011/833/EU)",
    "uk": "UK Sanctions List, Open Government Licence v3.0",
}
WIKIDATA = "CC0 1.0 (Wikidata labels, via steveash/NETransliteration-COLING2018)"
PEERS = "CC BY-NC 4.0 (OpenSanctions test fixtures; measurement only)"

CROSS_PER_ENTITY = 3
CROSS_LATIN = 220
WIKIDATA_FULL_PER_SCRIPT = 60
WIKIDATA_TOKENS_PER_SCRIPT = 40
CONSTRUCTED_PER_FAMILY = 45
WIKIDATA_NEGATIVES_PER_SCRIPT = 80
SURNAME_NEGATIVES = 120


@dataclass(frozen=True)
class RealQuery:
    """One screening request, where its spelling comes from and what a correct screener returns."""

    qid: str
    text: str
    kind: str
    dob: str | None
    country: str | None
    expected: tuple[str, ...]
    """The listed entity (or the same person listed twice) and their same-record twins; empty for negatives."""
    family: str
    language: str
    """A language tag for hand-gathered names; otherwise the script (ISO 15924) or the Wikidata script name."""
    origin: str
    """hand, cross-source, wikidata, constructed, peers."""
    source: str
    licence: str
    split: str = ""

    @property
    def positive(self) -> bool:
        return bool(self.expected)


# --- helpers ---------------------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", anyascii(text).casefold())


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _script(text: str) -> str:
    return detect_script(text) or "Zyyy"


def _full_dob(entity: Entity) -> str | None:
    for dob in entity.dates_of_birth:
        if dob.date is not None and dob.date.day is not None:
            return str(dob.date)
    return None


def authority(entity: Entity) -> str:
    """OFAC's records (SDN, Consolidated, and their copies in the CSL) are one authority; other CSL lists another."""
    number = entity.id.split(":", 1)[1].split(":")[0]
    if entity.source in OFAC_SOURCES and number.isdigit():
        return "ofac"
    return entity.source


def expand(ids: Iterable[str], twins: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    out: set[str] = set()
    for entity_id in ids:
        out.add(entity_id)
        out.update(twins.get(entity_id, ()))
    return tuple(sorted(out))


# --- hand-gathered ---------------------------------------------------------------------------------------------------


def hand_queries(path: Path = HAND) -> Iterator[RealQuery]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            yield RealQuery(
                qid=f"hand:{row['id']}",
                text=row["text"],
                kind=row["kind"],
                dob=row.get("dob"),
                country=row.get("country"),
                expected=tuple(row["expected"]),
                family=row["family"],
                language=row["language"],
                origin="hand",
                source=row["source"],
                licence=row["licence"],
            )


# --- cross-source aliases --------------------------------------------------------------------------------------------

_PATRONYMIC = re.compile(r"(?:ovich|evich|ovych|ich|ovna|evna|ivna|yevich|ievich|ovitch|owitsch)$")


_TITLES = frozenset(
    "dr doctor sheikh shaykh shaikh sheik mullah mulla maulavi maulvi mawlawi molvi qari haji hajji alhaji general "
    "colonel col gen imam sayyid sayed sayyed seyed mufti maulana ayatollah hojatoleslam eng engineer professor prof "
    "mr mrs president minister commander emir amir".split()
)


def _latin_family(query: str, target: Entity) -> str:
    own = set(_tokens(query))
    target_tokens = {t for n in target.names for t in _tokens(n.full)}
    if (own - target_tokens) & _TITLES:
        return "title"
    patronymic_q = any(_PATRONYMIC.search(t) for t in own)
    patronymic_t = any(_PATRONYMIC.search(t) for n in target.names for t in _tokens(n.full))
    if patronymic_q != patronymic_t:
        return "patronymic"
    return "given_name_variant"


def _short_form(name: str, others: list[str]) -> bool:
    """An acronym, or a name with fewer words than every name of the other record."""
    words = name.split()
    if any(w.isupper() and 2 <= len(w.strip("().,")) <= 6 and len(words) <= 3 for w in words):
        return True
    return all(len(words) < len(other.split()) for other in others)


def cross_source_links(entities: list[Entity]) -> list[tuple[Entity, Entity]]:
    """Pairs (a, b) of records of one person or organisation by two authorities.

    Persons: a shared name (token-sorted, transliterated) and a shared full date of birth.
    Organisations: a shared name of two or more words that few entities bear.
    """
    by_key: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        if entity.kind not in (EntityKind.PERSON, EntityKind.ORGANIZATION):
            continue
        for key in {name_key(anyascii(n.full)) for n in entity.names}:
            if len(key.split()) >= 2:
                by_key[key].append(entity)
    pairs: set[tuple[str, str]] = set()
    found: list[tuple[Entity, Entity]] = []
    for group in by_key.values():
        authorities = {authority(e) for e in group}
        if len(authorities) < 2:
            continue
        for a in group:
            for b in group:
                if authority(a) == authority(b) or a.kind is not b.kind or (a.id, b.id) in pairs:
                    continue
                if a.kind is EntityKind.PERSON:
                    dobs_a = {str(d.date) for d in a.dates_of_birth if d.date and d.date.day}
                    dobs_b = {str(d.date) for d in b.dates_of_birth if d.date and d.date.day}
                    if dobs_a.isdisjoint(dobs_b):
                        continue
                elif len(group) > 6:  # a name many organisations share (with their twins) says little
                    continue
                pairs.add((a.id, b.id))
                found.append((a, b))
    return found


def cross_source_queries(entities: list[Entity], twins: dict[str, tuple[str, ...]]) -> Iterator[RealQuery]:
    """A name one authority lists, screened for the same party in another authority's record lacking that name.

    Other scripts' names are all kept; Latin spellings, far more numerous, are sampled down to
    CROSS_LATIN so that they do not swamp the other families.
    """
    links = cross_source_links(entities)
    queries = list(_cross_source_queries(entities, twins, links))
    latin = [q for q in queries if q.family != "language"]
    keep = set(random.Random(f"{SEED}:cross").sample(range(len(latin)), min(CROSS_LATIN, len(latin))))
    kept_latin = {latin[i].qid for i in keep}
    apart = listed_apart(entities, links)
    return iter(
        [
            q
            for q in queries
            if (q.family == "language" or q.qid in kept_latin)
            and tuple(q.qid.removeprefix("cross:").rsplit(":", 1)[0].split(">")) not in apart
        ]
    )


def listed_apart(entities: list[Entity], links: list[tuple[Entity, Entity]]) -> set[tuple[str, str]]:
    """Linked organisations that one authority lists apart: it gives the other's main name to another record of its
    own, one that shares no name with the linked one. A shared alias joined two organisations there (the UN gives
    Ansar al-Islam the alias Soldiers of God, which OFAC gives Jaysh al-Adl; OFAC lists ANSAR AL-ISLAM apart), so
    neither's names are screened for the other. Asked of the CSL's other lists, several authorities in one, never.

    Left out after the queries are drawn, so that every other query and the splits stay as they were.
    """
    holders: dict[str, list[Entity]] = defaultdict(list)
    keys: dict[str, set[str]] = {}
    for entity in entities:
        keys[entity.id] = {name_key(anyascii(n.full)) for n in entity.names}
        for key in keys[entity.id]:
            holders[key].append(entity)

    def apart(a: Entity, b: Entity) -> bool:
        others = holders.get(name_key(anyascii(a.names[0].full)), [])
        return (
            authority(b) != "us-csl"
            and b not in others
            and any(authority(c) == authority(b) and keys[c.id].isdisjoint(keys[b.id]) for c in others)
        )

    return {(a.id, b.id) for a, b in links if a.kind is EntityKind.ORGANIZATION and (apart(a, b) or apart(b, a))}


def _cross_source_queries(
    entities: list[Entity], twins: dict[str, tuple[str, ...]], links: list[tuple[Entity, Entity]]
) -> Iterator[RealQuery]:
    per_target: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    # One OFAC record is repeated in up to three sources: keep the SDN copy as the target, the rest come as twins.
    rank = {"ofac-sdn": 0, "ofac-cons": 1, "un": 2, "eu": 3, "uk": 4, "us-csl": 5}
    links = sorted(links, key=lambda ab: (rank.get(ab[1].source, 9), ab[1].id, ab[0].id))
    targets_done: set[str] = set()
    for source, target in links:
        group = expand([target.id], twins)
        if any(t in targets_done and t != target.id for t in group):
            continue
        target_names = [n.full for e in entities_by_id(entities, group) for n in e.names]
        target_keys = {name_key(anyascii(n)) for n in target_names} | {_fold(n) for n in target_names}
        if authority(source) == "us-csl":
            continue  # other US lists' CSL rows carry parsing debris ("and KB Radar", "F.K.A. ...") as names
        for name in source.names:
            if per_target[target.id] >= CROSS_PER_ENTITY:
                break
            if _fold(name.full) in target_keys or name_key(anyascii(name.full)) in target_keys:
                continue
            if len(_tokens(name.full)) < 2 and name.script in (None, "Latn"):
                continue
            if (name.full, target.id) in seen:
                continue
            latin = name.script in (None, "Latn") and _script(name.full) == "Latn"
            if latin and not set(_tokens(name.full)) & {t for n in target_names for t in _tokens(n)}:
                continue  # an unrelated alias (a nom de guerre) belongs to no family here
            if latin and target.kind is EntityKind.ORGANIZATION and not _short_form(name.full, target_names):
                continue  # another organisation name is an alias, not one of the families measured here
            seen.add((name.full, target.id))
            per_target[target.id] += 1
            targets_done.add(target.id)
            if not latin:
                family = "language"
            elif target.kind is EntityKind.ORGANIZATION:
                family = "abbreviation"
            else:
                family = _latin_family(name.full, target)
            yield RealQuery(
                qid=f"cross:{source.id}>{target.id}:{per_target[target.id]}",
                text=name.full,
                kind=target.kind.value,
                dob=None,
                country=None,
                expected=group,
                family=family,
                language=_script(name.full),
                origin="cross-source",
                source=f"{source.source} record {source.id} (a name the {target.source} record {target.id} lacks)",
                licence=LICENCES.get(source.source, source.source),
            )


_BY_ID: dict[int, dict[str, Entity]] = {}


def entities_by_id(entities: list[Entity], ids: Iterable[str]) -> list[Entity]:
    if id(entities) not in _BY_ID:
        _BY_ID[id(entities)] = {e.id: e for e in entities}
    index = _BY_ID[id(entities)]
    return [index[i] for i in ids if i in index]


# --- Wikidata transliteration pairs ----------------------------------------------------------------------------------


def _person_keys(entities: list[Entity]) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        if entity.kind is EntityKind.PERSON:
            for name in entity.names:
                if name.script in (None, "Latn"):
                    key = name_key(anyascii(name.full))
                    if len(key.split()) >= 2:
                        keys[key].add(entity.id)
    return keys


_ARTICLES = frozenset({"al", "el"})


def _in_listed_order(label: str, entity: Entity) -> bool:
    """Is an English label one of the entity's names, its words in the listed order with the family name first or
    last (the Arabic article anywhere: Al-Saadi Gaddafi is GADDAFI, Saadi)? Words alike in any order are not enough:
    the order of a Korean given name's syllables is the name (Kim Nam-il, a footballer, is not KIM, Il-Nam)."""
    words = [t for t in _tokens(label) if t not in _ARTICLES]
    for name in entity.names:
        listed = [t for t in _tokens(name.full) if t not in _ARTICLES]
        if len(listed) == len(words) and any(words == listed[i:] + listed[:i] for i in range(len(listed))):
            return True
    return False


def wikidata_full_queries(
    entities: list[Entity], twins: dict[str, tuple[str, ...]], names: Path = NAMES
) -> Iterator[RealQuery]:
    """Hebrew and Korean Wikidata labels of persons whose English label is a listed person's name, in its order."""
    path = names / "translit_fullname_pairs.tsv.gz"
    if not path.is_file():
        return
    keys = _person_keys(entities)
    per_script: Counter[str] = Counter()
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            ids = keys.get(name_key(anyascii(row["english"])))
            if ids:
                ids = {e.id for e in entities_by_id(entities, ids) if _in_listed_order(row["english"], e)}
            if not ids or row["native"] in seen or per_script[row["script"]] >= WIKIDATA_FULL_PER_SCRIPT:
                continue
            groups = {expand([i], twins) for i in ids}
            if len(groups) > 2:  # a name so common that it names several listed people
                continue
            seen.add(row["native"])
            per_script[row["script"]] += 1
            yield RealQuery(
                qid=f"wikidata:{row['script']}:{per_script[row['script']]}",
                text=row["native"],
                kind=EntityKind.PERSON.value,
                dob=None,
                country=None,
                expected=expand(ids, twins),
                family="language",
                language=_LANGUAGE[row["script"]],
                origin="wikidata",
                source=f"../shared/data/names/translit_fullname_pairs.tsv.gz: {row['english']} = {row['native']}",
                licence=WIKIDATA,
            )


_JOIN = {"chinese": "·", "katakana": "・", "arabic": " ", "hebrew": " ", "korean": " "}
_EAST_ASIAN = {"CN": "chinese", "TW": "chinese", "HK": "chinese", "MO": "chinese", "KP": "korean", "KR": "korean"}
_LANGUAGE = {"arabic": "ar", "chinese": "zh", "hebrew": "he", "korean": "ko", "katakana": "ja-Kana", "japanese": "ja"}


def token_table(names: Path = NAMES) -> dict[str, dict[str, str]]:
    """Per script, each Latin token's most frequent native rendering (seen at least twice)."""
    path = names / "translit_token_pairs.tsv.gz"
    best: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["script"] not in _JOIN:
                continue
            count = int(row["count"])
            current = best[row["script"]].get(row["latin"])
            if count >= 2 and (current is None or count > current[0]):
                best[row["script"]][row["latin"]] = (count, row["native"])
    return {script: {latin: native for latin, (_, native) in table.items()} for script, table in best.items()}


def wikidata_token_queries(
    entities: list[Entity],
    twins: dict[str, tuple[str, ...]],
    names: Path = NAMES,
    per_script: int | None = WIKIDATA_TOKENS_PER_SCRIPT,
) -> Iterator[RealQuery]:
    """Listed person names written token by token with Wikidata's commonest rendering of each token, `per_script`
    at most (None: all)."""
    table = token_table(names)
    if not table:
        return
    rng = random.Random(f"{SEED}:tokens")
    persons = [e for e in entities if e.kind is EntityKind.PERSON and authority(e) in ("ofac", "un")]
    persons = [
        e for e in persons if e.source != "us-csl" or not any(t.startswith("ofac-sdn:") for t in twins.get(e.id, ()))
    ]
    rng.shuffle(persons)
    for script, joiner in _JOIN.items():
        tokens = table.get(script, {})
        made = 0
        for entity in persons:
            if per_script is not None and made >= per_script:
                break
            primary = entity.names[0]
            first, last = primary.first or "", primary.last or ""
            given, family = _tokens(first), _tokens(last)
            if not given or not family or len(given) + len(family) > 4:
                continue
            east = _EAST_ASIAN.get(next((c for c in entity.countries if c in _EAST_ASIAN), ""), "")
            if east and east != script:
                continue  # a Korean name in Chinese characters (or the reverse) is not a token-by-token rendering
            ordered = family + given if east else given + family
            if not all(t in tokens for t in ordered):
                continue
            parts = [tokens[t] for t in ordered]
            text = "".join(parts) if east else joiner.join(parts)
            made += 1
            yield RealQuery(
                qid=f"wikidata-tokens:{script}:{entity.id}",
                text=text,
                kind=EntityKind.PERSON.value,
                dob=None,
                country=None,
                expected=expand([entity.id], twins),
                family="language",
                language=_LANGUAGE[script],
                origin="wikidata",
                source=(
                    f"composed from ../shared/data/names/translit_token_pairs.tsv.gz (each token's commonest "
                    f"{script} label) for the listed name {primary.full!r}"
                ),
                licence=WIKIDATA,
            )


def namesakes(entities: list[Entity]) -> Callable[[list[str]], bool]:
    """A test of a person's name tokens: does a listed person share the surname and a given name starting alike?
    Sergey/Sergei Naryshkin is the listed man, not a negative."""
    listed_by_token: dict[str, list[set[str]]] = defaultdict(list)
    for entity in entities:
        if entity.kind is EntityKind.PERSON:
            for name in entity.names:
                tokens = set(_tokens(name.full))
                for token in tokens:
                    listed_by_token[token].append(tokens)

    def namesake(tokens: list[str]) -> bool:
        return any(any(t.startswith(tokens[0][:4]) for t in other) for other in listed_by_token.get(tokens[-1], ()))

    return namesake


def wikidata_negatives(listed: set[str], entities: list[Entity], names: Path = NAMES) -> Iterator[RealQuery]:
    """Wikidata people whose names are not listed: native and English labels, and some sharing a listed surname."""
    path = names / "translit_fullname_pairs.tsv.gz"
    if not path.is_file():
        return
    surnames = Counter(
        _tokens(e.names[0].last or "")[-1]
        for e in entities
        if e.kind is EntityKind.PERSON and _tokens(e.names[0].last or "")
    )
    shared = {s for s, n in surnames.items() if len(s) >= 5 and n <= 3}
    rng = random.Random(f"{SEED}:wikidata-negatives")
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows[row["script"]].append(row)
    namesake = namesakes(entities)
    kept: list[RealQuery] = []
    surname_rows: list[dict[str, str]] = []
    for script, pool in sorted(rows.items()):
        rng.shuffle(pool)
        made = 0
        for row in pool:
            tokens = _tokens(row["english"])
            if len(tokens) < 2 or namesake(tokens):
                continue
            if tokens[-1] in shared:
                surname_rows.append(row)
                continue
            if made >= WIKIDATA_NEGATIVES_PER_SCRIPT:
                continue
            made += 1
            for text, lang in ((row["native"], _LANGUAGE[script]), (row["english"], "Latn")):
                kept.append(_negative(f"wikidata-neg:{script}:{made}:{lang}", text, lang, row))
    for number, row in enumerate(surname_rows[:SURNAME_NEGATIVES]):
        kept.append(
            _negative(f"wikidata-neg:surname:{number}", row["english"], "Latn", row, "hard: shares a listed surname")
        )
    yield from kept


def _negative(qid: str, text: str, language: str, row: dict[str, str], note: str = "") -> RealQuery:
    return RealQuery(
        qid=qid,
        text=text,
        kind=EntityKind.PERSON.value,
        dob=None,
        country=None,
        expected=(),
        family="negative",
        language=language,
        origin="wikidata",
        source=f"../shared/data/names/translit_fullname_pairs.tsv.gz: {row['english']} = {row['native']}"
        + (f" ({note})" if note else ""),
        licence=WIKIDATA,
    )


# --- constructed from real listed names ------------------------------------------------------------------------------

_HOMOGLYPH = {"l": "1", "o": "0", "e": "3", "a": "4", "i": "1", "s": "5"}
_OCR = [("rn", "m"), ("m", "rn"), ("cl", "d"), ("li", "h"), ("O", "0"), ("I", "l"), ("S", "5"), ("B", "8")]
_EMOJI = ("🙂", "⭐", "🔥", "✅")
_EXTRA = ("xyz", "Moscow", "Dubai", "Tehran", "London", "ref 2291", "c/o")
_ABBREVIATIONS = {
    "COMPANY": "COMP",
    "COMMUNICATION": "COMM",
    "COMMUNICATIONS": "COMM",
    "GROUP": "GRP",
    "TECHNOLOGY": "TECH",
    "TECHNOLOGIES": "TECH",
    "SERVICES": "SRVCES",
    "SERVICE": "SRVC",
    "INTERNATIONAL": "INTL",
    "INDUSTRIAL": "IND",
    "INDUSTRY": "IND",
    "INDUSTRIES": "INDS",
    "CORPORATION": "CORP",
    "LIMITED": "LTD",
    "TRADING": "TRDG",
    "ENGINEERING": "ENG",
    "DEVELOPMENT": "DEV",
    "MANAGEMENT": "MGMT",
    "INVESTMENT": "INV",
    "INVESTMENTS": "INVS",
    "ELECTRONICS": "ELEC",
    "ELECTRONIC": "ELEC",
    "MANUFACTURING": "MFG",
    "ASSOCIATION": "ASSN",
    "BROTHERS": "BROS",
    "NATIONAL": "NATL",
    "DEPARTMENT": "DEPT",
    "EQUIPMENT": "EQUIP",
    "SHIPPING": "SHPG",
    "PETROLEUM": "PETR",
    "JOINT": "JT",
    "STOCK": "STK",
    "AND": "&",
    "RESEARCH": "RES",
    "INSTITUTE": "INST",
    "AIRLINES": "AIR LINES",
    "CONSTRUCTION": "CONSTR",
    "INDUSTRIALNAYA": "IND",
    "SCIENTIFIC": "SCI",
    "PRODUCTION": "PROD",
}
SWIFT_WIDTH = 35


def _noise(text: str, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(("emoji", "dotted", "digits", "bidi", "extra", "ocr"))
    words = text.split()
    if kind == "emoji" and len(words) > 1:
        return " ".join(w + (f" {rng.choice(_EMOJI)}" if i < len(words) - 1 else "") for i, w in enumerate(words)), kind
    if kind == "dotted":
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        words[longest] = ".".join(words[longest])
        return " ".join(words), kind
    if kind == "digits":
        out = list(text)
        spots = [i for i, c in enumerate(out) if c.lower() in _HOMOGLYPH]
        for i in rng.sample(spots, min(2, len(spots))):
            out[i] = _HOMOGLYPH[out[i].lower()]
        return "".join(out), kind
    if kind == "bidi":
        return "\u202b" + text.replace(" ", " \u200f", 1) + "\u202c", kind
    if kind == "ocr":
        for old, new in rng.sample(_OCR, len(_OCR)):
            if old in text:
                return text.replace(old, new, 1), kind
    return f"{text} {rng.choice(_EXTRA)}", "extra"


def _given_last(entity: Entity) -> tuple[list[str], list[str], str | None] | None:
    name = entity.names[0]
    if not name.first or not name.last:
        if "," not in name.full:
            return None
        last, first = (p.strip() for p in name.full.split(",", 1))
        return first.split(), last.split(), None
    given = [p for p in (name.first, name.middle) if p]
    return " ".join(given).split(), name.last.split(), name.patronymic


def constructed_queries(entities: list[Entity], twins: dict[str, tuple[str, ...]]) -> Iterator[RealQuery]:
    """Rule-made variants of real listed names, one family at a time, each marked as constructed."""
    rng = random.Random(f"{SEED}:constructed")
    pool = [
        e
        for e in entities
        if e.kind in (EntityKind.PERSON, EntityKind.ORGANIZATION)
        and authority(e) in ("ofac", "un")
        and (e.source != "us-csl" or not any(t.startswith("ofac-sdn:") for t in twins.get(e.id, ())))
        and e.names[0].script in (None, "Latn")
    ]
    pool.sort(key=lambda e: e.id)
    persons = [e for e in pool if e.kind is EntityKind.PERSON]
    orgs = [e for e in pool if e.kind is EntityKind.ORGANIZATION]
    rng.shuffle(persons)
    rng.shuffle(orgs)

    def make(family: str, entity: Entity, text: str, how: str, dob: str | None = None) -> RealQuery:
        listed = entity.names[0].full
        return RealQuery(
            qid=f"constructed:{family}:{entity.id}",
            text=text,
            kind=entity.kind.value,
            dob=dob,
            country=entity.countries[0] if dob and entity.countries else None,
            expected=expand([entity.id], twins),
            family=family,
            language=_script(text),
            origin="constructed",
            source=f"constructed from {listed!r} ({entity.id}): {how}",
            licence=LICENCES.get(entity.source, entity.source),
        )

    listed = {_fold(n.full) for e in entities for n in e.names}

    def fresh(text: str) -> bool:
        return bool(text.strip()) and _fold(text) not in listed

    def take(family: str, candidates: list[Entity], build) -> Iterator[RealQuery]:  # type: ignore[no-untyped-def]
        made = 0
        for entity in candidates:
            if made >= CONSTRUCTED_PER_FAMILY:
                return
            built = build(entity)
            if built is None:
                continue
            text, how, dob = built
            if fresh(text):
                made += 1
                yield make(family, entity, text, how, dob)

    def noise(entity: Entity):  # type: ignore[no-untyped-def]
        text, kind = _noise(entity.names[0].full, random.Random(f"{SEED}:noise:{entity.id}"))
        return text, f"noise ({kind})", None

    def truncated(entity: Entity):  # type: ignore[no-untyped-def]
        full = entity.names[0].full
        return (full[:SWIFT_WIDTH], "cut at 35 characters", None) if len(full) > SWIFT_WIDTH + 3 else None

    def initials(entity: Entity):  # type: ignore[no-untyped-def]
        parts = _given_last(entity)
        if parts is None or not parts[0]:
            return None
        given, last, _ = parts
        dots = " ".join(f"{g[0].upper()}." for g in given)
        style = random.Random(f"{SEED}:initials:{entity.id}").choice(("first", "last", "tight"))
        surname = " ".join(last).title()
        if style == "first":
            return f"{dots} {surname}", "given names as initials", None
        if style == "last":
            return f"{surname} {dots}", "surname first, given names as initials", None
        return f"{dots.replace(' ', '')}{surname}", "initials joined to the surname", None

    def order(entity: Entity):  # type: ignore[no-untyped-def]
        parts = _given_last(entity)
        if parts is None or not parts[0]:
            return None
        given, last, _ = parts
        return " ".join([*last, *given]), "surname first, no comma", None

    def surname_only(entity: Entity):  # type: ignore[no-untyped-def]
        parts = _given_last(entity)
        dob = _full_dob(entity)
        if parts is None or dob is None or len(" ".join(parts[1])) < 5:
            return None
        return " ".join(parts[1]), "surname alone, with the listed date of birth and country", dob

    def patronymic(entity: Entity):  # type: ignore[no-untyped-def]
        parts = _given_last(entity)
        if parts is None or len(parts[0]) < 2 or not _PATRONYMIC.search(parts[0][-1].lower()):
            return None
        given, last, _ = parts
        return " ".join([*given[:-1], *last]).title(), "patronymic dropped", None

    def abbreviation(entity: Entity):  # type: ignore[no-untyped-def]
        full = entity.names[0].full.upper()
        words = [_ABBREVIATIONS.get(w.strip(",."), w) for w in full.split()]
        text = " ".join(words)[:SWIFT_WIDTH].strip()
        if text == full[:SWIFT_WIDTH].strip():
            return None
        return text, "SWIFT-style word abbreviations, cut at 35 characters", None

    yield from take("noise", persons[:200] + orgs[:100], noise)
    yield from take("truncated", persons[200:] + orgs[100:], truncated)
    yield from take("initials", persons[400:], initials)
    yield from take("order", persons[600:], order)
    yield from take("surname_only", persons[800:], surname_only)
    yield from take("patronymic", persons, patronymic)
    yield from take("abbreviation", orgs[300:], abbreviation)


# --- the set ---------------------------------------------------------------------------------------------------------


class _Clusters:
    """Union-find over entity ids, so that every spelling of one party lands in one split."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for other in ids[1:]:
            a, b = self.find(ids[0]), self.find(other)
            if a != b:
                self.parent[max(a, b)] = min(a, b)


def split_of(key: str) -> str:
    digest = int(hashlib.sha256(f"realworld:{key}".encode()).hexdigest(), 16)
    return "test" if digest % 100 < TEST_SHARE else "dev"


def validate(queries: list[RealQuery], ids: set[str]) -> None:
    missing = sorted({(q.qid, i) for q in queries for i in q.expected if i not in ids})
    if missing:
        raise SystemExit(
            "expected ids missing from the real lists:\n" + "\n".join(f"  {qid}: {i}" for qid, i in missing)
        )
    bad = sorted({q.family for q in queries if q.positive and q.family not in FAMILIES})
    if bad:
        raise SystemExit(f"unknown families: {', '.join(bad)}")


def build(
    entities: list[Entity], hand: Path = HAND, names: Path = NAMES, peer_limit: int | None = None
) -> list[RealQuery]:
    """Every query with its split assigned; fails loudly when an expected id is not in the lists."""
    twins = ofac_twins(entities)
    ids = {e.id for e in entities}
    hand_rows = list(hand_queries(hand))
    validate(hand_rows, ids)
    hand_rows = [replace(q, expected=expand(q.expected, twins)) for q in hand_rows]
    positives = [
        *[q for q in hand_rows if q.positive],
        *cross_source_queries(entities, twins),
        *wikidata_full_queries(entities, twins, names),
        *wikidata_token_queries(entities, twins, names),
        *constructed_queries(entities, twins),
    ]
    validate(positives, ids)
    clusters = _clusters(entities, twins, positives)
    seen: set[tuple[str, str]] = set()
    out: list[RealQuery] = []
    for query in positives:
        marker = (query.text, query.expected[0])
        if marker in seen:
            continue
        seen.add(marker)
        out.append(replace(query, split=split_of(clusters.find(query.expected[0]))))

    listed = listed_keys(entities)
    texts: set[str] = set()
    dropped: list[str] = []
    negatives = [*(q for q in hand_rows if not q.positive), *wikidata_negatives(listed, entities, names)]
    for query in negatives:
        if not listed.isdisjoint(name_keys(query.text)):
            dropped.append(query.text)
            continue
        if name_key(query.text) in texts:
            continue
        texts.add(name_key(query.text))
        out.append(replace(query, split=split_of(name_key(query.text))))
    if dropped:
        print(f"negatives dropped as listed names: {', '.join(dropped[:20])}", file=sys.stderr)
    for peer in peer_negatives(PEER_NEGATIVES, seed=SEED, limit=peer_limit):
        out.append(
            RealQuery(
                qid=peer.qid,
                text=peer.text,
                kind=peer.kind,
                dob=peer.dob,
                country=peer.country,
                expected=(),
                family="negative",
                language=peer.script,
                origin="peers",
                source="../shared/data/peers/opensanctions/screening-fixtures/negatives_global.csv",
                licence=PEERS,
                split=split_of(name_key(peer.text)),
            )
        )
    return out


def _clusters(entities: list[Entity], twins: dict[str, tuple[str, ...]], positives: list[RealQuery]) -> _Clusters:
    """The entity clusters the splits are drawn by: entries linked across sources, and the ids one query expects."""
    clusters = _Clusters()
    for a, b in cross_source_links(entities):
        clusters.union([a.id, b.id, *twins.get(a.id, ()), *twins.get(b.id, ())])
    for query in positives:
        clusters.union(query.expected)
    return clusters


def renderings(entities: list[Entity], queries: list[RealQuery], names: Path = NAMES) -> list[RealQuery]:
    """Every listed person of the dev split's clusters written token by token with Wikidata's commonest rendering
    of each token (`wikidata_token_queries` without its cap), but for those the dev split holds, beside the dev
    split's negatives: a larger set of one family for development, which never reaches into the test split's
    clusters (`RENDERINGS`)."""
    twins = ofac_twins(entities)
    clusters = _clusters(entities, twins, [q for q in queries if q.positive])
    taken = {(q.text, q.expected[0]) for q in queries if q.positive}
    found = []
    for query in wikidata_token_queries(entities, twins, names, per_script=None):
        clusters.union(query.expected)
        marker = (query.text, query.expected[0])
        if marker in taken or split_of(clusters.find(query.expected[0])) != "dev":
            continue
        taken.add(marker)
        found.append(replace(query, split=RENDERINGS))
    return found + [q for q in queries if q.split == "dev" and not q.positive]


def select(queries: list[RealQuery], split: str) -> list[RealQuery]:
    return [q for q in queries if q.split == split]


def composition(queries: list[RealQuery]) -> dict[str, dict[str, int]]:
    pos = [q for q in queries if q.positive]
    neg = [q for q in queries if not q.positive]
    return {
        "total": {
            "positives": len(pos),
            "negatives": len(neg),
            "clusters": len({q.expected[0] for q in pos}),
        },
        "positives_by_family": dict(Counter(q.family for q in pos).most_common()),
        "positives_by_language": dict(Counter(q.language for q in pos).most_common()),
        "positives_by_origin": dict(Counter(q.origin for q in pos).most_common()),
        "positives_by_kind": dict(Counter(q.kind for q in pos).most_common()),
        "negatives_by_origin": dict(Counter(q.origin for q in neg).most_common()),
        "negatives_by_language": dict(Counter(q.language for q in neg if q.origin != "peers").most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--split",
        choices=(*SPLITS, RENDERINGS),
        default="dev",
        help="test is locked: the final measurement only; renderings: the dev split's people, all rendered",
    )
    parser.add_argument("--lists", type=Path, default=LISTS)
    parser.add_argument("--peer-negatives", type=int, default=None, help="use only the first N peer negatives")
    parser.add_argument("--out", type=Path, default=None, help="default bench/.cache/realworld_<split>.jsonl")
    args = parser.parse_args()
    entities = load_entities(args.lists)
    queries = build(entities, peer_limit=args.peer_negatives)
    chosen = renderings(entities, queries) if args.split == RENDERINGS else select(queries, args.split)
    out = args.out or CACHE / f"realworld_{args.split}.jsonl"
    write_devset(chosen, out)
    both = {split: composition(select(queries, split))["total"] for split in SPLITS}
    print(json.dumps({"splits": both, args.split: composition(chosen)}, indent=2, ensure_ascii=False))
    print(f"-> {out}")


if __name__ == "__main__":
    main()
