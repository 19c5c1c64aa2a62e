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
from importlib.resources import files

from rapidfuzz import process
from rapidfuzz.distance import OSA

from clearance.matching.config import CURRENT
from clearance.matching.normalize import Word, words
from clearance.matching.phonetic import canonical, fold
from clearance.memo import memo


def _data(name: str) -> str:
    return files("clearance.matching").joinpath(f"data/{name}").read_text(encoding="utf-8")


def _word_list(name: str) -> frozenset[str]:
    return frozenset(line.strip() for line in _data(name).splitlines() if line.strip() and not line.startswith("#"))


TITLES = _word_list("titles.txt")
SUFFIXES = _word_list("suffixes.txt")
_FORM_ROWS = [(tuple(r["form"].split()), r["code"]) for r in csv.DictReader(_data("legal_forms.csv").splitlines())]
_FORM_WORDS = frozenset(word for form, _ in _FORM_ROWS for word in form if len(word) >= 5)
_FOLDED_FORM_WORDS = frozenset(fold(word) for form, _ in _FORM_ROWS for word in form if len(word) >= 4)
_LONG_FORM_WORDS = tuple(sorted(word for word in _FOLDED_FORM_WORDS if len(word) >= 6))


@memo(100_000)
def form_key(word: str) -> str:
    """A word as legal forms are looked up: folded, and a long word snapped to the form word one edit away.

    Lists spell Obshchestvo s Ogranichennoy Otvetstvennostyu a dozen ways (ogranichennoi, otvetstvennostiu,
    obschestvo, otvetsvennostyu); each of them is one form.
    """
    if len(word) < 4:  # LLP is not LP
        return word
    folded = fold(word)
    if folded in _FOLDED_FORM_WORDS or len(folded) < 6:
        return folded
    found = process.extractOne(folded, _LONG_FORM_WORDS, scorer=OSA.distance, score_cutoff=1)
    return folded if found is None else found[0]


LEGAL_FORMS: dict[tuple[str, ...], str] = {}
for _form, _code in _FORM_ROWS:
    LEGAL_FORMS.setdefault(tuple(form_key(word) for word in _form), _code)
_LONGEST_FORM = max(len(form) for form in LEGAL_FORMS)
_FORM_STARTS = frozenset(form[0] for form in LEGAL_FORMS)


@memo(100_000)
def _legal_form_word(word: str) -> bool:
    """A word of a legal form left over after the forms were taken out ("Joint Stovck Company"):
    misspelt or out of order, it still says nothing about which company is meant."""
    if len(word) < 5:
        return False
    return word in _FORM_WORDS or process.extractOne(word, _FORM_WORDS, scorer=OSA.distance, score_cutoff=1) is not None


def is_title(token: str) -> bool:
    """A title, honorific or generational suffix: noise that, when both names have it, is part of the name."""
    return token in TITLES or token in SUFFIXES


NOISE_WEIGHT = CURRENT.config.noise_weight
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
    """Per token: a title, honorific or suffix; it weighs NOISE_WEIGHT when the other name lacks it."""
    legal_forms: tuple[str, ...] = ()
    signal: tuple[str, ...] = ()
    """The tokens that identify: everything but the noise."""
    edge: tuple[bool, ...] = ()
    """Per token: the family name or the first given name, rather than a middle name or patronymic.

    In `FAMILY, Given Middle` the family part and the first given name; otherwise the first and the last
    token. Lists spell names out in full and queries leave middle names out, so a listed middle name the
    query lacks costs less than a listed given or family name it lacks.
    """
    abjad: tuple[bool, ...] = ()
    """Per token: written in an abjad, so without short vowels (see `phonetic`)."""
    groups: tuple[tuple[int, ...], ...] = ()
    """Token positions that are the syllables of one CJK or hangul word, in written order.

    A name written as one word (习近平, 김정은) starts with its family name, which other spellings move to
    the end, so only the syllables after the first are ordered.
    """

    @property
    def removed(self) -> tuple[str, ...]:
        """What was set aside as noise: titles and suffixes, and legal forms by code."""
        titles = tuple(raw for raw, noisy in zip(self.raw, self.noise, strict=True) if noisy)
        return titles + tuple(f"legal form {code}" for code in self.legal_forms)


def _parts(text: str) -> list[tuple[int, str, Word]]:
    """Every token with the part it is in (0 family, 1 given, in `FAMILY, Given`; else 0) and its word."""
    pieces = text.split(",")
    if len(pieces) != 2 or not pieces[0].strip() or not pieces[1].strip():
        pieces = [text]
    return [(part, token, word) for part, piece in enumerate(pieces) for word in words(piece) for token in word.tokens]


def analyze(text: str, organization: bool | None = None) -> NameForm:
    """Split a name into tokens, noise and legal forms; `organization` None means either kind.

    Legal forms are taken out for names that may be organisations; titles and
    suffixes are kept but marked as noise for names that may be persons (both
    sides of a comparison keep them, so "BICENTENARIO II" still equals itself).
    """
    parts = _parts(text)
    words_ = [token for _, token, _ in parts]
    keys = [form_key(word) for word in words_] if organization is not False else []
    kept: list[int] = []
    forms: list[str] = []
    i = 0
    while i < len(words_):
        matched = 0
        if organization is not False and keys[i] in _FORM_STARTS:
            for size in range(min(_LONGEST_FORM, len(words_) - i), 0, -1):
                code = LEGAL_FORMS.get(tuple(keys[i : i + size]))
                # A short form inside a longer name is ambiguous ("sa", "co", "ao"): only at either end.
                at_edge = i == 0 or i + size == len(words_)
                if code is not None and organization is None and _whole_surname(parts, list(range(i, i + size))):
                    break  # "PAO, Yu Yi": the part before the comma of a name of either kind is a surname
                if code is not None and (at_edge or size > 1 or len(words_[i]) > 3):
                    forms.append(code)
                    matched = size
                    break
        if matched:
            i += matched
            continue
        kept.append(i)
        i += 1
    while organization is not False and len(kept) > 1:  # "DONATA CO. D.O.O.": then CO. is at the end
        size, code = _edge_form([keys[i] for i in kept])
        if not size or (size > 0 and organization is None and _whole_surname(parts, kept[:size])):
            break
        forms.append(code)
        kept = kept[size:] if size > 0 else kept[:size]
    if not kept:  # the name is nothing but a legal form: keep it as it is
        kept, forms = list(range(len(words_))), []
    raw = tuple(words_[i] for i in kept)
    noise = tuple(
        (organization is not True and (w in TITLES or w in SUFFIXES))
        or (organization is not False and _legal_form_word(w))
        for w in raw
    )
    if all(noise):
        noise = tuple(False for _ in raw)
    canonical_tokens = tuple(canonical(word) for word in raw)
    return NameForm(
        text=text,
        tokens=canonical_tokens,
        raw=raw,
        noise=noise,
        legal_forms=tuple(dict.fromkeys(forms)),
        signal=tuple(t for t, noisy in zip(canonical_tokens, noise, strict=True) if not noisy),
        edge=_edges([parts[i][0] for i in kept], noise),
        # A name the variants table knows (محمد is Muhammad) has its vowels back.
        abjad=tuple(parts[i][2].abjad and canonical_tokens[k] == raw[k] for k, i in enumerate(kept)),
        groups=_groups([parts[i][2] for i in kept]),
    )


def _whole_surname(parts: list[tuple[int, str, Word]], indexes: list[int]) -> bool:
    """Whether these words are the whole first part of a "SURNAME, Given" name."""
    first = [i for i, (part, _, _) in enumerate(parts) if part == 0]
    return len(first) < len(parts) and first == indexes


def _edge_form(keys: list[str]) -> tuple[int, str]:
    """A legal form that the name starts (size > 0) or ends (size < 0) with, leaving at least one token."""
    for size in range(min(_LONGEST_FORM, len(keys) - 1), 0, -1):
        for edge, part in ((-size, keys[-size:]), (size, keys[:size])):
            code = LEGAL_FORMS.get(tuple(part))
            if code is not None:
                return edge, code
    return 0, ""


def _edges(part: list[int], noise: tuple[bool, ...]) -> tuple[bool, ...]:
    signal = [i for i, noisy in enumerate(noise) if not noisy]
    if not signal:
        return tuple(False for _ in noise)
    edges = {signal[0], signal[-1]}
    given = [i for i in signal if part[i] == 1]
    if given:  # FAMILY, Given Middle
        edges = {i for i in signal if part[i] == 0} | {given[0]}
    return tuple(i in edges for i in range(len(noise)))


def _groups(word_of: list[Word]) -> tuple[tuple[int, ...], ...]:
    if not any(word.syllabic for word in word_of):
        return ()
    groups: dict[int, list[int]] = {}
    for position, word in enumerate(word_of):
        if word.syllabic:
            groups.setdefault(id(word), []).append(position)
    whole = len({id(word) for word in word_of}) == 1
    ordered = (tuple(group[1:] if whole else group) for group in groups.values())
    return tuple(group for group in ordered if len(group) >= 2)
