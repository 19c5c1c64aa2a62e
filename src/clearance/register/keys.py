"""Blocking keys: which subjects a list change can touch, found without screening them.

The name index finds a query's candidates by lookup keys (`clearance.matching.index`):
each query token looks up its own keys (`query_token_keys`: itself, folded, skeleton,
one- and two-letter deletions), and reaches every listed token indexed under one of
them; adjacent tokens joined look up `joined_token_keys`; a title looks up the names
holding it; an initial the names with that letter as a token; a token written in an
abjad, or any token looking for abjad-written ones, its consonants. Nothing else puts
a listed name among a query's candidates (a party of a register has no identifiers,
the other way in).

A subject is stored as its *probes*: the things its name looks up, each written as
one string (`u` a token, `j` a joined pair, `t` a title, `l` an initial). A probe's
keys (`probe_keys`) are the keys the index would look up for it. A listed entity's
keys (`entity_keys`) are every key under which any index holding it files one of its
names: for each of its tokens and joined pairs both the plain-token and the
joined-token keys (which set a token gets depends on the other names of the index),
the keys of every spelling the whole index records for the token (spellings come
from other entities' names too), its consonants, its titles and its single letters.

So if a subject shares no key with an entity, no index holding that entity can put
it among the subject's candidates, and screening the subject gives no hit on it.
The keys are a superset of what the screener looks up: a shared key proves nothing
(Jones and Janus share one), the real screener decides.
"""

from __future__ import annotations

from collections.abc import Sequence

from clearance.matching.index import (
    NameIndex,
    indexed_tokens,
    joined_token_keys,
    kind_is_organization,
    name_tokens,
    query_token_keys,
    single_token_keys,
)
from clearance.matching.names import analyze, is_title
from clearance.matching.persisted import index_in_memory
from clearance.matching.phonetic import consonants
from clearance.matching.similarity import MIN_SKELETON
from clearance.matching.tables import KeySet, StringTable
from clearance.model import Entity, EntityKind

SEP = "\x1f"
"""Between the parts of a probe; no normalised token holds it."""


def subject_probes(name: str, kind: EntityKind | None) -> set[str]:
    """What a party's name looks up in a name index, as `NameIndex.candidates` takes its tokens apart.

    `name` as `checked` spaces it; `kind` decides how the name is read (legal forms, titles), as in screening.
    """
    form = analyze(name, kind_is_organization(kind))
    if not form.signal:  # the screener looks up nothing for a name of noise alone
        return set()
    tokens, joined = name_tokens(form)
    plain = [i for i, noisy in enumerate(form.noise) if not noisy]
    words = [i for i in plain if len(tokens[i].text) > 1]
    probes = {f"u{SEP}{tokens[i].text}{SEP}{tokens[i].raw}{SEP}{int(tokens[i].abjad)}" for i in words or plain}
    probes.update(f"j{SEP}{pair.text}" for j, pair in enumerate(joined) if not (form.noise[j] or form.noise[j + 1]))
    probes.update(f"t{SEP}{token.text}" for token, noisy in zip(tokens, form.noise, strict=True) if noisy)
    if words:
        probes.update(f"l{SEP}{tokens[i].text}" for i in plain if len(tokens[i].text) == 1)
    return probes


def probe_keys(probe: str) -> frozenset[str]:
    """The keys the index looks up for one probe (see the module docstring)."""
    kind, _, rest = probe.partition(SEP)
    if kind == "u":
        text, raw, abjad = rest.split(SEP)
        keys = query_token_keys(text) if raw == text else query_token_keys(text) | query_token_keys(raw)
        return keys | {("#" if abjad == "1" else "%") + consonants(text)}
    if kind == "j":
        return joined_token_keys(rest)
    if kind == "t":
        return frozenset({"T:" + rest})
    if kind == "l":
        return frozenset({"L:" + rest})
    raise ValueError(f"not a probe: {probe!r}")


def entity_keys(entities: Sequence[Entity], index: NameIndex | None) -> set[str]:
    """Every key under which an index holding `entities` files one of their names.

    `index`: the whole index the entities are screened in (the active one for entities added or changed, the
    one screened before for entities removed or as they were): it knows the spellings and abjad writings
    other entities' names give the same tokens.
    """
    if not entities:
        return set()
    own = index_in_memory(entities)  # their names analysed exactly as an index build analyses them
    tables = writings([own] if index is None else [own, index])
    keys: set[str] = set()
    for listed in own.names:
        form = listed.form
        for token in indexed_tokens(form.signal):
            keys |= token_keys(token, tables)
        for token, noisy in zip(form.tokens, form.noise, strict=True):
            if noisy and is_title(token):
                keys.add("T:" + token)
                keys |= single_token_keys(token)
            if len(token) == 1:
                keys.add("L:" + token)
    return keys


Writings = list[tuple[StringTable, KeySet]]
"""Per index: the spellings it records of each token, and the tokens some name writes in an abjad."""


def writings(indexes: Sequence[NameIndex]) -> Writings:
    return [(index.tables.strings("spellings"), index.tables.key_set("abjad")) for index in indexes]


def token_keys(token: str, tables: Writings) -> set[str]:
    """Every key under which an index can file a listed token (or joined pair): as a plain token and as a
    joined pair, each spelling `tables` record for it, its consonants."""
    keys = set(single_token_keys(token) | joined_token_keys(token))
    for spellings, _ in tables:
        for spelling in spellings.get(token, ()):
            keys |= single_token_keys(spelling)
    key = consonants(token)
    if len(key) > 1:
        keys.add("#" + key)
        if len(key) >= MIN_SKELETON and any(token in abjad for _, abjad in tables):
            keys.add("%" + key)
    return keys
