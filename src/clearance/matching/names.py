"""A name taken apart for matching: its tokens, and the noise removed from them.

Titles and honorifics (Dr, Sheikh, Hajji), generational suffixes (Jr, III) and
company legal forms (OOO, LLC, Obshchestvo s Ogranichennoy Otvetstvennostyu;
AO, PAO, JSC; GmbH; Ltd; SA; ...) say little about which party a name means:
titles and suffixes stay in the name with a small weight, legal forms are taken
out; both are reported in explanations. Legal
forms are reduced to one code each (`llc`, `jsc`, `ltd`, ...), in Latin and in
Cyrillic alike (Cyrillic is transliterated first), so `ООО Ромашка`,
`Romashka LLC` and `Romashka` share their tokens.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from rapidfuzz.distance import OSA

from clearance.matching.normalize import tokens
from clearance.matching.phonetic import canonical


def _data(name: str) -> str:
    return files("clearance.matching").joinpath(f"data/{name}").read_text(encoding="utf-8")


def _word_list(name: str) -> frozenset[str]:
    return frozenset(line.strip() for line in _data(name).splitlines() if line.strip() and not line.startswith("#"))


TITLES = _word_list("titles.txt")
SUFFIXES = _word_list("suffixes.txt")
LEGAL_FORMS: dict[tuple[str, ...], str] = {
    tuple(row["form"].split()): row["code"] for row in csv.DictReader(_data("legal_forms.csv").splitlines())
}
_LONGEST_FORM = max(len(form) for form in LEGAL_FORMS)
_FORM_STARTS = frozenset(form[0] for form in LEGAL_FORMS)
_FORM_WORDS = frozenset(word for form in LEGAL_FORMS for word in form if len(word) >= 5)


@lru_cache(maxsize=100_000)
def _legal_form_word(word: str) -> bool:
    """A word of a legal form left over after the forms were taken out ("Joint Stovck Company"):
    misspelt or out of order, it still says nothing about which company is meant."""
    if len(word) < 5:
        return False
    return word in _FORM_WORDS or any(
        abs(len(word) - len(form)) <= 1 and OSA.distance(word, form, score_cutoff=1) <= 1 for form in _FORM_WORDS
    )


NOISE_WEIGHT = 0.3
"""Weight of a title or suffix token: present, but never what makes or breaks a match."""


@dataclass(frozen=True)
class NameForm:
    """The comparable form of one name."""

    text: str
    tokens: tuple[str, ...]
    """Normalised tokens without legal forms, each in its canonical spelling."""
    raw: tuple[str, ...]
    """The same tokens as written (normalised, not canonicalised), for explanations."""
    noise: tuple[bool, ...] = ()
    """Per token: a title, honorific or suffix, weighed NOISE_WEIGHT and not indexed."""
    legal_forms: tuple[str, ...] = ()

    @property
    def removed(self) -> tuple[str, ...]:
        """What was set aside as noise: titles and suffixes, and legal forms by code."""
        titles = tuple(raw for raw, noisy in zip(self.raw, self.noise, strict=True) if noisy)
        return titles + tuple(f"legal form {code}" for code in self.legal_forms)

    signal: tuple[str, ...] = ()
    """The tokens that identify: everything but the noise."""


def analyze(text: str, organization: bool | None = None) -> NameForm:
    """Split a name into tokens, noise and legal forms; `organization` None means either kind.

    Legal forms are taken out for names that may be organisations; titles and
    suffixes are kept but marked as noise for names that may be persons (both
    sides of a comparison keep them, so "BICENTENARIO II" still equals itself).
    """
    words = tokens(text)
    kept: list[str] = []
    forms: list[str] = []
    i = 0
    while i < len(words):
        matched = 0
        if organization is not False and words[i] in _FORM_STARTS:
            for size in range(min(_LONGEST_FORM, len(words) - i), 0, -1):
                code = LEGAL_FORMS.get(tuple(words[i : i + size]))
                # A short form inside a longer name is ambiguous ("sa", "co", "ao"): only at either end.
                at_edge = i == 0 or i + size == len(words)
                if code is not None and (at_edge or size > 1 or len(words[i]) > 3):
                    forms.append(code)
                    matched = size
                    break
        if matched:
            i += matched
            continue
        kept.append(words[i])
        i += 1
    if not kept:  # the name is nothing but a legal form: keep it as it is
        kept, forms = words, []
    noise = tuple(
        (organization is not True and (w in TITLES or w in SUFFIXES))
        or (organization is not False and _legal_form_word(w))
        for w in kept
    )
    if all(noise):
        noise = tuple(False for _ in kept)
    canonical_tokens = tuple(canonical(word) for word in kept)
    return NameForm(
        text=text,
        tokens=canonical_tokens,
        raw=tuple(kept),
        noise=noise,
        legal_forms=tuple(dict.fromkeys(forms)),
        signal=tuple(t for t, noisy in zip(canonical_tokens, noise, strict=True) if not noisy),
    )
