"""Other spellings a text may give a word of a listed name.

Lists write names one way; texts inflect them and spell them by their own
language's rules. A word of a text gets, beside its own normalised form, the
forms it may stand for, and the text screener uses one of them where a listed
name holds it (`Путина` is Putin in the genitive, and Maria Putina in the
nominative):

- Russian, Ukrainian and Belarusian case endings taken off (`Лаврова`, `Сергея`,
  `Лукашенку`, `Лукашэнкі`);
- scientific transliteration, as Czech, Slovak, Croatian, Slovene and Italian
  texts write Russian names (`Kalašnikov`, `Ižmaš`): š, ž, č as sh, zh, ch;
- German transliteration (`Kalaschnikow`, `Kriworutschko`): sch, tsch, w as
  sh, ch, v; French (`Poutine`): ou as u, a final e silent;
- the other number of an English noun (`Industry` for INDUSTRIES);
- the organisation words other languages use (`Koncern`, `Konzern` for CONCERN).
"""

from __future__ import annotations

import re

from clearance.matching.normalize import tokens as normalized_tokens
from clearance.matching.phonetic import canonical
from clearance.memo import memo

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ENDINGS = sorted(
    "ами ями ого его ому ему ыми ими ой ей ою ею ом ем ым им ам ям ах ях а я у ю е ы и і ї э".split(),
    key=len,
    reverse=True,
)
"""Case endings of Russian, Ukrainian and Belarusian nouns and names, longest first."""
_VOWELS = frozenset("аеёиоуыэюяіїє")
_SCIENTIFIC = str.maketrans({"š": "sh", "ž": "zh", "č": "ch", "ć": "ch", "đ": "dj", "ř": "rzh"})
_GERMAN = (("tsch", "ch"), ("sch", "sh"), ("w", "v"))
_WORDS = {
    "koncern": "concern",
    "konzern": "concern",
    "kontsern": "concern",
    "konsern": "concern",
    "concerne": "concern",
    "industrie": "industries",
    "industria": "industries",
    "industrija": "industries",
    "grupa": "group",
    "gruppa": "group",
    "gruppe": "group",
    "groupe": "group",
    "gruppo": "group",
    "grupo": "group",
    "banka": "bank",
    "banque": "bank",
    "banco": "bank",
    "kompaniya": "company",
    "kompania": "company",
    "kompanie": "company",
    "compagnie": "company",
    "compania": "company",
}
"""Organisation words as other languages write them, to the English the lists use."""


@memo(200_000)
def other_spellings(part: str) -> tuple[str, ...]:
    """The canonical forms a written word may stand for besides its own, most likely first; each one a single
    token (a word that normalises to several has none)."""
    lower = part.lower()
    found: list[str] = []
    if _CYRILLIC.search(lower):
        found += _uninflected(lower)
    else:
        if lower.translate(_SCIENTIFIC) != lower:
            found.append(lower.translate(_SCIENTIFIC))
        german = lower
        for written, read in _GERMAN:
            german = german.replace(written, read)
        if german != lower:
            found.append(german)
        french = lower.replace("ou", "u")
        if french != lower:
            found += [french, french.removesuffix("e")]
        found += _other_number(lower)
    forms: dict[str, None] = {}
    for spelling in found:
        words = normalized_tokens(spelling)
        if len(words) == 1:
            forms[canonical(words[0])] = None
    own = normalized_tokens(part)
    if len(own) == 1 and own[0] in _WORDS:
        forms[_WORDS[own[0]]] = None
    if len(own) == 1:
        forms.pop(canonical(own[0]), None)
    return tuple(forms)


def _uninflected(lower: str) -> list[str]:
    """Nominative forms a Cyrillic word may be an oblique case of: its ending off, a stem ending added back."""
    found = []
    for ending in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            stem = lower[: -len(ending)]
            tails = ("й", "", "ь", "а", "о") if stem[-1] in _VOWELS else ("", "ь", "а", "о", "й")
            found += [stem + tail for tail in tails]
    return found


def _other_number(lower: str) -> list[str]:
    """An English noun's other number: industries for industry, and back."""
    if len(lower) < 4 or not lower.isascii():
        return []
    if lower.endswith("ies"):
        return [lower[:-3] + "y"]
    if lower.endswith("y"):
        return [lower[:-1] + "ies"]
    if lower.endswith("s") and not lower.endswith("ss"):
        return [lower[:-1]]
    return [lower + "s"]
