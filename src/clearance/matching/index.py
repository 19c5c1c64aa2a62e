"""The candidate index over every name variant of every listed entity.

A query must score a few dozen candidates, never the whole list. Every name is
indexed under three kinds of key per token: the canonical token, its consonant
skeleton (romanisation variants), and its one-letter deletions (typos, after
SymSpell: two strings within one edit share a deletion key). Adjacent tokens are
also indexed joined, for names written split or run together (Jin Ping /
Jinping, Abd al-Rahman / Abdulrahman). Candidates are ranked by the summed
rarity (inverse document frequency) of the query tokens they share, so a shared
"Mohammed" counts for little and a shared "Lukashenka" for much.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from clearance.matching.names import NOISE_WEIGHT, NameForm, analyze
from clearance.matching.phonetic import skeleton
from clearance.model import Entity, EntityKind, Name

MIN_SKELETON = 3
"""Shorter skeletons ("n" for Eun / Un / An) prove nothing on their own."""
MIN_DELETE = 5
"""Tokens shorter than this get no typo keys: one edit in four letters is another name."""
MAX_POSTINGS = 1500
"""A key shared by more names than this is skipped when the query has rarer tokens."""
RELATIVE_CUTOFF = 0.35
"""Candidates sharing less than this share of the best candidate's token weight are not scored."""

_ID_NOISE = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True)
class IndexedName:
    entity: int
    name: Name
    form: NameForm
    skeletons: tuple[str, ...]
    weights: tuple[float, ...] = ()


def kind_is_organization(kind: EntityKind | None) -> bool | None:
    """How to read a name: as an organisation's (legal forms), a person's (titles), or either."""
    if kind is None or kind is EntityKind.UNKNOWN:
        return None
    return kind is not EntityKind.PERSON


def indexed_tokens(tokens: Sequence[str]) -> list[str]:
    """The tokens of a name and its adjacent pairs joined (see the module docstring)."""
    return [*tokens, *(a + b for a, b in zip(tokens, tokens[1:], strict=False))]


@lru_cache(maxsize=500_000)
def single_token_keys(token: str) -> frozenset[str]:
    keys = {token}
    skel = skeleton(token)
    if len(skel) >= MIN_SKELETON:
        keys.add("~" + skel)
    if len(token) >= MIN_DELETE:
        keys.update("-" + token[:i] + token[i + 1 :] for i in range(len(token)))
        keys.add("-" + token)
    return frozenset(keys)


def joined_token_keys(token: str) -> frozenset[str]:
    skel = skeleton(token)
    return frozenset((token, "~" + skel) if len(skel) >= MIN_SKELETON else (token,))


def normalize_identifier(value: str) -> str:
    """Identifier values compared without spaces, dashes, case or an `IMO` prefix."""
    text = _ID_NOISE.sub("", value.upper())
    return text[3:] if text.startswith("IMO") and text[3:].isdigit() else text


class NameIndex:
    """Names, keys and token rarities of a set of entities; immutable once built."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[Entity] = list(entities)
        self.names: list[IndexedName] = []
        self.by_entity: list[list[int]] = []
        names_of: defaultdict[str, list[int]] = defaultdict(list)
        plain: set[str] = set()
        frequency: Counter[str] = Counter()
        identifiers: defaultdict[str, list[int]] = defaultdict(list)
        for number, entity in enumerate(self.entities):
            organization = kind_is_organization(entity.kind)
            seen: set[tuple[str, ...]] = set()
            own: list[int] = []
            for name in entity.names:
                form = analyze(name.full, organization)
                if not form.tokens or form.tokens in seen:
                    continue
                seen.add(form.tokens)
                name_id = len(self.names)
                self.names.append(IndexedName(number, name, form, tuple(skeleton(t) for t in form.tokens)))
                own.append(name_id)
                frequency.update(set(form.signal))
                plain.update(form.signal)
                for token in set(indexed_tokens(form.signal)):
                    names_of[token].append(name_id)
            self.by_entity.append(own)
            for identifier in entity.identifiers:
                value = normalize_identifier(identifier.value)
                if len(value) >= 4 and number not in identifiers[value]:
                    identifiers[value].append(number)
        self.names_of: dict[str, list[int]] = dict(names_of)
        tokens_of: defaultdict[str, list[str]] = defaultdict(list)
        for token in self.names_of:
            # Joined pairs get no typo keys: they exist to catch spacing, and are long enough to flood the index.
            keys = single_token_keys(token) if token in plain else joined_token_keys(token)
            for key in keys:
                tokens_of[key].append(token)
        self.tokens_of: dict[str, list[str]] = dict(tokens_of)
        self.identifiers: dict[str, list[int]] = dict(identifiers)
        total = max(len(self.names), 1)
        self.rare_weight = math.log(1 + total)
        self._weights = {token: math.log(1 + total / count) for token, count in frequency.items()}
        self.names = [IndexedName(n.entity, n.name, n.form, n.skeletons, self.weights(n.form)) for n in self.names]

    def weight(self, token: str) -> float:
        """How much sharing `token` says: its inverse document frequency among all names."""
        return self._weights.get(token, self.rare_weight)

    def weights(self, form: NameForm) -> tuple[float, ...]:
        """The weight of each token of a name; titles and suffixes weigh NOISE_WEIGHT."""
        return tuple(
            NOISE_WEIGHT if noisy else self.weight(token) for token, noisy in zip(form.tokens, form.noise, strict=True)
        )

    def candidates(self, form: NameForm, limit: int) -> list[tuple[int, list[int]]]:
        """The entities whose names share the most (rarest) tokens with `form`, best first.

        Returns (entity number, its name ids worth scoring) pairs.
        """
        hits = [
            (self.weight(token), found)
            for token in dict.fromkeys(indexed_tokens(form.signal))
            if (found := self._postings(token))
        ]
        hits.sort(key=lambda item: len(item[1]))
        scores: dict[int, float] = {}
        for position, (weight, found) in enumerate(hits):
            if len(found) > MAX_POSTINGS and position > 0:
                continue
            for name_id, factor in found.items():
                scores[name_id] = scores.get(name_id, 0.0) + weight * factor
        by_entity: dict[int, list[tuple[float, int]]] = {}
        for name_id, score in scores.items():
            by_entity.setdefault(self.names[name_id].entity, []).append((score, name_id))
        best_of = {entity: max(named)[0] for entity, named in by_entity.items()}
        ranked = heapq.nlargest(limit, best_of, key=best_of.__getitem__)
        top = best_of[ranked[0]] if ranked else 0.0
        result = []
        for entity in ranked:
            if best_of[entity] < RELATIVE_CUTOFF * top:
                break
            named = sorted(by_entity[entity], reverse=True)
            best = named[0][0]
            result.append((entity, [name_id for score, name_id in named[:6] if score >= 0.5 * best]))
        return result

    @lru_cache(maxsize=50_000)  # noqa: B019 (an index lives as long as its process uses it)
    def _postings(self, token: str) -> dict[int, float]:
        """Name ids a query token reaches, each with how close its key is (exact 1, skeleton 0.9, typo 0.7)."""
        found: dict[int, float] = {}
        for factor, keys in self._keys_by_closeness(token):
            for key in keys:
                for listed in self.tokens_of.get(key, ()):
                    for name_id in self.names_of[listed]:
                        found.setdefault(name_id, factor)
        return found

    @staticmethod
    def _keys_by_closeness(token: str) -> list[tuple[float, list[str]]]:
        """A token's keys, closest first: the token itself, its skeleton, its typo keys."""
        keys = single_token_keys(token)
        skel = [k for k in keys if k.startswith("~")]
        typos = [k for k in keys if k.startswith("-")]
        return [(1.0, [token]), (0.9, skel), (0.7, typos)]

    def by_identifier(self, value: str) -> list[int]:
        """Entities carrying an identifier equal to `value` (normalised)."""
        return self.identifiers.get(normalize_identifier(value), [])
