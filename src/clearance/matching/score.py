"""Scoring one query name against one listed name, and the other fields against the entity.

Name score: the query's tokens are aligned to the listed name's tokens in any
order (greedy on similarity times weight, adjacent tokens may be joined), each
pair scored exact (1.0), transliteration (canonical table, 1.0), phonetic
(same skeleton, 0.9; not for joined tokens), edit distance or initial (0.6).
Edits are counted by optimal string alignment (a swap of two letters is one
edit), on the canonical spelling or the spelling as written; one edit is allowed
in 5 to 8 letters, two from 9, scored 1 - 2 * edits / length up to five letters
and 1 - 1.5 * edits / length above, so one edit weighs more in a short name:
Pugin is not Putin. Each token weighs its rarity. The score is matched
weight over total weight, where a listed token the query lacks counts 0.3 of
its weight (queries leave out middle names and patronymics) and a query token
the listed name lacks counts fully, or 0.6 when two or more tokens matched.
Legal-form words left in a name (misspelt: "Joint Stovck Company") count as
noise, like titles.
A match made only of common tokens is damped, so "Mohammed" alone is no hit.

Other fields move the name score: a date of birth that agrees to the day closes
half the distance to 1 (0.15 when only the year or month is known), one that
contradicts multiplies by 0.75; a country that
agrees closes a tenth, one that contradicts multiplies by 0.92; a person
screened against an organisation (or the reverse) multiplies by 0.6; a weak
alias by 0.9. An identical identifier is a hit on its own (at least 0.97).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import OSA

from clearance.matching.index import IndexedName, NameIndex, normalize_identifier
from clearance.matching.names import NameForm
from clearance.matching.phonetic import skeleton
from clearance.model import DateOfBirth, Entity, EntityKind, NameQuality, PartialDate

UNMATCHED_LISTED = 0.3
UNMATCHED_QUERY_AFTER_TWO = 0.6
INFORMATIVE_WEIGHT = 6.0
"""Matched weight below which a name match is damped: about two uncommon tokens."""


class Method(StrEnum):
    EXACT = "exact"
    TRANSLITERATION = "transliteration"
    PHONETIC = "phonetic"
    EDIT = "edit distance"
    INITIAL = "initial"


@dataclass(frozen=True)
class TokenMatch:
    """How one part of the query name aligned with one part of the listed name."""

    query: str
    listed: str
    method: Method
    similarity: float
    weight: float

    def to_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "listed": self.listed,
            "method": self.method.value,
            "similarity": round(self.similarity, 3),
            "weight": round(self.weight, 2),
        }


class Effect(StrEnum):
    AGREES = "agrees"
    CONTRADICTS = "contradicts"
    IDENTICAL = "identical"
    NOTE = "note"


@dataclass(frozen=True)
class Evidence:
    """What a field other than the name contributed."""

    field: str
    effect: Effect
    detail: str
    exact: bool = False
    """For dates: both sides give the full day, so agreement says much more than a shared year."""

    def to_json(self) -> dict[str, object]:
        return {"field": self.field, "effect": self.effect.value, "detail": self.detail}


@dataclass(frozen=True)
class NameScore:
    score: float
    tokens: tuple[TokenMatch, ...]
    unmatched_query: tuple[str, ...]
    unmatched_listed: tuple[str, ...]


def _similarity(q: str, c: str, q_skel: str, c_skel: str, q_raw: str, c_raw: str) -> tuple[float, Method] | None:
    if q == c:
        return (1.0, Method.EXACT) if q_raw == c_raw else (1.0, Method.TRANSLITERATION)
    if q_skel == c_skel and len(q_skel) >= 3:
        return 0.9, Method.PHONETIC
    short, long_ = (len(q), len(c)) if len(q) <= len(c) else (len(c), len(q))
    if short == 1:
        if (len(q) == 1 and c.startswith(q)) or (len(c) == 1 and q.startswith(c)):
            return 0.6, Method.INITIAL
        return None
    if short < 5:
        return None
    allowed = 1 if short < 9 else 2
    edits = OSA.distance(q, c, score_cutoff=allowed)
    if edits > allowed and (q_raw != q or c_raw != c):
        # A typo in a name the variants table rewrites (Moammad for Mohammad) is one edit from the
        # spelling as written, not from the canonical one.
        edits = OSA.distance(q_raw, c_raw, score_cutoff=allowed)
    if edits > allowed:
        return None
    return max(0.0, 1.0 - (2.0 if long_ <= 5 else 1.5) * edits / long_), Method.EDIT


def _joinable(found: tuple[float, Method]) -> bool:
    """Joined tokens must match closely in spelling: their skeletons collapse too much to prove anything."""
    return found[1] is not Method.PHONETIC and found[0] >= 0.8


def align(query: NameForm, listed: IndexedName, index: NameIndex) -> NameScore:
    """Align the query's tokens with a listed name's and score the alignment."""
    q_tokens, c_tokens = query.tokens, listed.form.tokens
    q_raw, c_raw = query.raw, listed.form.raw
    q_skel = tuple(skeleton(t) for t in q_tokens)
    c_skel = listed.skeletons
    q_weight = index.weights(query)
    c_weight = listed.weights
    options: list[tuple[float, float, float, tuple[int, ...], tuple[int, ...], Method]] = []
    for i, q in enumerate(q_tokens):
        for j, c in enumerate(c_tokens):
            found = _similarity(q, c, q_skel[i], c_skel[j], q_raw[i], c_raw[j])
            if found is not None:
                weight = c_weight[j]
                options.append((found[0] * weight, found[0], weight, (i,), (j,), found[1]))
    # Joined tokens: "jin ping" ~ "jinping", "abd al rahman" ~ "abdulrahman".
    for i in range(len(q_tokens) - 1):
        joined = q_tokens[i] + q_tokens[i + 1]
        for j, c in enumerate(c_tokens):
            found = _similarity(joined, c, skeleton(joined), c_skel[j], joined, c_raw[j])
            if found is not None and _joinable(found):
                weight = c_weight[j]
                options.append((found[0] * weight, found[0], weight, (i, i + 1), (j,), found[1]))
    for j in range(len(c_tokens) - 1):
        joined = c_tokens[j] + c_tokens[j + 1]
        for i, q in enumerate(q_tokens):
            found = _similarity(q, joined, q_skel[i], skeleton(joined), q_raw[i], joined)
            if found is not None and _joinable(found):
                weight = max(c_weight[j], c_weight[j + 1])
                options.append((found[0] * weight, found[0], weight, (i,), (j, j + 1), found[1]))
    options.sort(key=lambda option: (-option[0], -option[1]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    matches: list[TokenMatch] = []
    matched = total = 0.0
    for value, similarity, weight, qs, cs, method in options:
        if used_q.intersection(qs) or used_c.intersection(cs):
            continue
        used_q.update(qs)
        used_c.update(cs)
        matched += value
        total += weight
        matches.append(
            TokenMatch(" ".join(q_raw[i] for i in qs), " ".join(c_raw[j] for j in cs), method, similarity, weight)
        )
    lone_query = [i for i in range(len(q_tokens)) if i not in used_q]
    lone_listed = [j for j in range(len(c_tokens)) if j not in used_c]
    query_factor = UNMATCHED_QUERY_AFTER_TWO if len(matches) >= 2 else 1.0
    total += sum(q_weight[i] for i in lone_query) * query_factor
    total += sum(c_weight[j] for j in lone_listed) * UNMATCHED_LISTED
    score = matched / total if total else 0.0
    if 0 < matched < INFORMATIVE_WEIGHT:
        score *= (matched / INFORMATIVE_WEIGHT) ** 0.5
    return NameScore(
        score=min(score, 1.0),
        tokens=tuple(matches),
        unmatched_query=tuple(q_raw[i] for i in lone_query),
        unmatched_listed=tuple(c_raw[j] for j in lone_listed),
    )


def date_evidence(query: PartialDate, listed: tuple[DateOfBirth, ...]) -> Evidence | None:
    """Does a date of birth agree with any the list gives? None when the list gives none."""
    readable = [d for d in listed if d.date is not None or d.start is not None or d.end is not None]
    if not readable:
        return None
    for dob in readable:
        if dob.date is not None:
            same = dob.date.year == query.year or (dob.circa and abs(dob.date.year - query.year) <= 1)
            if same and all(
                a is None or b is None or a == b for a, b in ((dob.date.month, query.month), (dob.date.day, query.day))
            ):
                exact = query.day is not None and dob.date.day is not None and not dob.circa
                return Evidence("date_of_birth", Effect.AGREES, f"{query} agrees with listed {dob}", exact)
        else:
            start = dob.start.year if dob.start else -1
            end = dob.end.year if dob.end else 9999
            if start <= query.year <= end:
                return Evidence("date_of_birth", Effect.AGREES, f"{query} falls in listed {dob}")
    shown = ", ".join(str(d) for d in readable)
    return Evidence("date_of_birth", Effect.CONTRADICTS, f"{query} contradicts listed {shown}")


def field_evidence(
    entity: Entity,
    kind: EntityKind | None,
    dob: PartialDate | None,
    country: str | None,
    identifiers: tuple[str, ...],
) -> list[Evidence]:
    """Evidence from every field the query gives besides the name."""
    found: list[Evidence] = []
    if kind is not None and entity.kind is not EntityKind.UNKNOWN and kind is not EntityKind.UNKNOWN:
        person = {kind is EntityKind.PERSON, entity.kind is EntityKind.PERSON}
        if len(person) == 2:
            found.append(Evidence("kind", Effect.CONTRADICTS, f"query is a {kind.value}, listed a {entity.kind.value}"))
    if dob is not None:
        evidence = date_evidence(dob, entity.dates_of_birth)
        if evidence is not None:
            found.append(evidence)
    if country is not None and entity.countries:
        listed = ", ".join(entity.countries)
        if country in entity.countries:
            found.append(Evidence("country", Effect.AGREES, f"{country} is among listed {listed}"))
        else:
            found.append(Evidence("country", Effect.CONTRADICTS, f"{country} is not among listed {listed}"))
    wanted = {normalize_identifier(value) for value in identifiers}
    for identifier in entity.identifiers:
        if normalize_identifier(identifier.value) in wanted:
            label = identifier.label or identifier.type.value
            found.append(Evidence("identifier", Effect.IDENTICAL, f"{label} {identifier.value} is identical"))
    return found


def combine(name_score: float, quality: NameQuality, evidence: list[Evidence]) -> float:
    """The final score in [0, 1] from the name score and the other fields' evidence."""
    score = name_score * (0.9 if quality is NameQuality.WEAK else 1.0)
    for item in evidence:
        if item.field == "date_of_birth":
            if item.effect is Effect.AGREES:
                score += (1 - score) * (0.5 if item.exact else 0.15)
            else:
                score *= 0.75
        elif item.field == "country":
            score = score + (1 - score) * 0.1 if item.effect is Effect.AGREES else score * 0.92
        elif item.field == "kind":
            score *= 0.6
    if any(item.effect is Effect.IDENTICAL for item in evidence):
        score = max(score, 0.97)
    return min(max(score, 0.0), 1.0)
