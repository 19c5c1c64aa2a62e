"""Making the romanisations of one name equal.

Two layers, both applied to normalised tokens:

1. `canonical`: a curated table of given names and name particles whose
   romanisations differ by more than spelling rules capture (Aleksandr /
   Alexander / Oleksandr / Alyaksandr; Mohammed / Muhammad / Mukhammed; bin /
   ibn; Kim / Gim; Lee / Yi / Ri). A match here is reported as `transliteration`.
2. `skeleton`: a consonant skeleton after folding the digraphs in which the
   romanisation systems for Cyrillic and Arabic differ (kh/h, ks/x, ph/f,
   sch/sh, ck/k, v/w/f, q/k, c/k, dzh/zh/j) and dropping vowels and `y`.
   Lukashenko and Lukashenka, Medvedev and Medvedyev, Dmitriy and Dmitri,
   Yevgeny and Evgeny, Ivanov and Ivanoff get one skeleton; so does Arabic
   transliterated without vowels (mhmd) and with them (Muhammad). Reported as
   `phonetic`. Short skeletons (fewer than three letters) prove little and are
   not used on their own.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files

_DIGRAPHS = (
    ("dzh", "j"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("v", "f"),
    ("ch", "\x01"),
    ("sh", "\x02"),
    ("c", "k"),
    ("\x01", "ch"),
    ("\x02", "sh"),
)
_VOWELS = re.compile(r"[aeiouy]")
_REPEATS = re.compile(r"(.)\1+")


def _load_variants() -> dict[str, str]:
    table: dict[str, str] = {}
    with files("clearance.matching").joinpath("data/name_variants.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            canonical = row["canonical"]
            table[canonical] = canonical
            for variant in row["variants"].split():
                table[variant] = canonical
    return table


_CANONICAL = _load_variants()


def canonical(token: str) -> str:
    """The table's canonical form of a name token, or the token itself."""
    return _CANONICAL.get(token, token)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The consonant skeleton of a normalised token (see the module docstring)."""
    text = token
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    text = _REPEATS.sub(r"\1", _VOWELS.sub("", text))
    return text
