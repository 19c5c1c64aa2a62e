"""A name taken apart for matching: its tokens, and the noise removed from them.

Titles and honorifics (Dr, Sheikh, Hajji), generational suffixes (Jr, III) and
company legal forms (OOO, LLC, Obshchestvo s Ogranichennoy Otvetstvennostyu;
AO, PAO, JSC; GmbH; Ltd; SA; ...) say little about which party a name means:
titles and suffixes stay in the name with a small weight, legal forms are taken
out; both are reported in explanations. Legal
forms are reduced to one code each (`llc`, `jsc`, `ltd`, ...), in Latin and in
Cyrillic alike (Cyrillic is transliterated first), so `ООО Ромашка`,
`Romashka LLC` and `Romashka` share their tokens.

Titles are listed in some twenty languages as `normalize` writes them
(Президент is `prezident`, رئيس `riys`); a title written in CJK or hangul
syllables (대통령, 主席) is a run of syllable tokens at either end of its word.

Words that organisations abbreviate to fit a 35-character field (COMP, GRP,
COMM, TECH, SRVCES, INTL, HLDGS, ...) are read as the word they stand for, and
sector words (AIR, AIRLINES, AIRWAYS, AIR LINES) as their sector, on both sides
of a comparison, so `CNOOC ENERGY TECH & SRVCES LTD` and `CNOOC Energy
Technology & Services Limited` share every token (data/abbreviations.csv,
data/sectors.csv). Patronymics are read with one ending whatever the language
writes (Vladimirowitsch, Vladimirovitch, Uladzimiravich: -ovich), and the
parts of a hyphenated family name (PRIDMORE-SMITH) are all family name.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from clearance.matching.config import CURRENT
from clearance.matching.normalize import Spelling, Word, words
from clearance.matching.phonetic import canonical, fold
from clearance.memo import memo


def _data(name: str) -> str:
    return files("clearance.matching").joinpath(f"data/{name}").read_text(encoding="utf-8")


def word_list(name: str) -> frozenset[str]:
    """The words of a data file, one a line; lines starting with # say where they come from."""
    return frozenset(line.strip() for line in _data(name).splitlines() if line.strip() and not line.startswith("#"))


def _rows(name: str) -> list[dict[str, str]]:
    """A CSV data table's rows; its lines starting with # say where it comes from."""
    return list(csv.DictReader(line for line in _data(name).splitlines() if not line.startswith("#")))


_ALL_TITLES = word_list("titles.txt")
TITLES = frozenset(title for title in _ALL_TITLES if " " not in title)
_TITLE_RUNS = tuple(sorted((tuple(t.split()) for t in _ALL_TITLES if " " in t), key=len, reverse=True))
"""Titles written as one CJK or hangul word, each syllable a token (대통령: dae tong lyeong)."""
SUFFIXES = word_list("suffixes.txt")
ARTICLES = frozenset(("al", "el", "ul")) if CURRENT.config.article_noise else frozenset()
"""The Arabic article written as a word of its own (الحسيني al hsyny): lists drop it as often as they keep it
(KHAMENEI, Ali Husseini), so a query's that no listed token matched weighs what a title does."""
DETERMINERS = (
    frozenset(("the", "der", "die", "les", "los", "las")) if CURRENT.config.extra_word_beside_titles else frozenset()
)
"""Articles of European languages that news write before a title (der russische Präsident, los presidentes): a
query's weighs what a title does. Not those that are names too: Le, La, Il, Lo and Das are family or given names
(Lê, Kim Il Sung, Das)."""


def _rewrites() -> tuple[dict[tuple[str, ...], str], frozenset[str]]:
    table: dict[tuple[str, ...], str] = {}
    for row in _rows("abbreviations.csv"):
        for variant in (row["word"], *row["abbreviations"].split()):
            table[(variant,)] = row["word"]
    for row in _rows("sectors.csv"):
        for phrase in row["words"].split("|"):
            table[tuple(phrase.split())] = row["sector"]
    return table, frozenset(row["sector"] for row in _rows("sectors.csv"))


REWRITES, SECTORS = _rewrites()
"""Abbreviations and sector words (one or two tokens) as the one token they are read as; the sectors."""
_WORD_REWRITES = {words[0]: word for words, word in REWRITES.items() if len(words) == 1}
_PHRASE_STARTS = frozenset(words[0] for words in REWRITES if len(words) > 1)


def rewritten(token: str) -> str:
    """A one-word abbreviation or sector word as the word it is read as (AIRLINES is AIR); else the token."""
    return _WORD_REWRITES.get(token, token)


_PATRONYMIC_ENDINGS = (
    ("owitsch", "ovich"),
    ("ewitsch", "evich"),
    ("ovitch", "ovich"),
    ("evitch", "evich"),
    ("owicz", "ovich"),
    ("ewicz", "evich"),
    ("ovics", "ovich"),
    ("evics", "evich"),
    ("avich", "ovich"),
)


_PATRONYMICS = ("vich", "vna", "ichna")


def is_patronymic(token: str) -> bool:
    """A Slavic patronymic (-ovich, -evna, -ichna): lists spell it out, queries mostly leave it out."""
    return len(token) > 6 and token.endswith(_PATRONYMICS)


@memo(100_000)
def patronymic(token: str) -> str:
    """A patronymic with the Russian romanisation's ending, whichever language wrote it.

    German writes -owitsch, French -ovitch, Polish -owicz, Hungarian -ovics and Belarusian -avich for
    one ending; the stem stays as written, so Vladimirowitsch and Uladzimiravich keep their spellings apart.
    """
    for ending, common in _PATRONYMIC_ENDINGS:
        if token.endswith(ending) and len(token) > len(ending) + 2:
            return token[: -len(ending)] + common
    return token


_FORM_ROWS = [(tuple(r["form"].split()), r["code"]) for r in csv.DictReader(_data("legal_forms.csv").splitlines())]
_FORM_WORDS = frozenset(word for form, _ in _FORM_ROWS for word in form if len(word) >= 5)
FORM_WORD_TYPO_LENGTH = CURRENT.config.form_word_typo_length
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
    misspelt or out of order, it still says nothing about which company is meant. A short word one letter from
    one is a name as often (`FORM_WORD_TYPO_LENGTH`)."""
    if len(word) < 5:
        return False
    if word in _FORM_WORDS:
        return True
    found = process.extractOne(word, _FORM_WORDS, scorer=OSA.distance, score_cutoff=1)
    # A shorter word may only have two neighbouring letters swapped (OJINT): it keeps every letter of the form's.
    return found is not None and (len(word) >= FORM_WORD_TYPO_LENGTH or Levenshtein.distance(word, found[0]) == 2)


_OFFICE_ENDINGS = tuple(word_list("title_endings.txt")) if CURRENT.config.office_compounds else ()


def _office_compound(word: str) -> bool:
    """An office written as one word with what it heads (Außenminister, Generalstabschef, Tschetschenenführer):
    German compounds, a title like the title they end in."""
    return len(word) >= 9 and word.endswith(_OFFICE_ENDINGS) if _OFFICE_ENDINGS else False


_COURTESY = frozenset(word for title in word_list("courtesy_titles.txt") for word in title.split())


def office_titled(form: NameForm) -> bool:
    """Does the name carry a title of office, rank or faith (President, Colonel, Ayatollah), not only one of
    courtesy (Mr, Herr) or a suffix? With one, a family name alone names a public person."""
    return any(
        noisy and token not in _COURTESY and token not in SUFFIXES
        for token, noisy in zip(form.tokens, form.noise, strict=True)
    )


def is_title(token: str) -> bool:
    """A title, honorific or generational suffix: noise that, when both names have it, is part of the name."""
    return token in TITLES or token in SUFFIXES


CUT_LEGAL_FORMS = CURRENT.config.cut_legal_forms
CUT_LENGTHS = range(33, 36)
"""Lengths of a name cut to fit a 35-character field (SWIFT, ISO 20022), trailing spaces left out."""
LATER_FAMILY_MIDDLE = CURRENT.config.later_family_middle
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
    abjad: tuple[int, ...] = ()
    """Per token: written in an abjad, so without short vowels, or read from syllables (`normalize.Word.abjad`)."""
    groups: tuple[tuple[int, ...], ...] = ()
    """Token positions that are the syllables of one CJK or hangul word, in written order.

    A name written as one word (习近平, 김정은) starts with its family name, which other spellings move to
    the end, so only the syllables after the first are ordered.
    """
    whole: tuple[bool, ...] = ()
    """Per token: a written word of its own, not part of one (Il-kap, AL-TIKRITI) nor a syllable (김일성, 斌 莉)."""
    read: tuple[bool, ...] = ()
    """Per token: read from a word in a script other than Latin (`normalize.Word.transliterated`), but not a
    syllable of a Chinese, Japanese or Korean name: those have romanisations of their own (준영, Jun-yong)."""
    others: tuple[tuple[Spelling, ...], ...] = ()
    """Per token: the other spellings of a word the words table spelled, canonical (`normalize.Word.others`); ()
    for any other. Only queries use them: decoded listed names keep none."""

    @property
    def removed(self) -> tuple[str, ...]:
        """What was set aside as noise: titles and suffixes, and legal forms by code."""
        titles = tuple(raw for raw, noisy in zip(self.raw, self.noise, strict=True) if noisy)
        return titles + tuple(f"legal form {code}" for code in self.legal_forms)


_Part = tuple[int, str, str, Word, int]
"""A token: the part it is in (0 family, 1 given, in `FAMILY, Given`; else 0), the token as matching reads
it (abbreviations and sector words rewritten), the token as written, its word, and where in the word it is."""


def _parts(text: str) -> list[_Part]:
    """Every token of a name, abbreviations and sector words read as the word they stand for."""
    pieces = text.split(",")
    if len(pieces) != 2 or not pieces[0].strip() or not pieces[1].strip():
        pieces = [text]
    found = [
        (part, token, word, at)
        for part, piece in enumerate(pieces)
        for word in words(piece)
        for at, token in enumerate(word.tokens)
    ]
    parts: list[_Part] = []
    i = 0
    while i < len(found):
        part, token, word, at = found[i]
        if token in _PHRASE_STARTS and i + 1 < len(found) and found[i + 1][0] == part:
            phrase = REWRITES.get((token, found[i + 1][1]))
            if phrase is not None:  # AIR LINES
                parts.append((part, phrase, token + found[i + 1][1], word, at))
                i += 2
                continue
        parts.append((part, _WORD_REWRITES.get(token, token), token, word, at))
        i += 1
    return parts


def analyze(text: str, organization: bool | None = None) -> NameForm:
    """Split a name into tokens, noise and legal forms; `organization` None means either kind.

    Legal forms are taken out for names that may be organisations; titles and
    suffixes are kept but marked as noise for names that may be persons (both
    sides of a comparison keep them, so "BICENTENARIO II" still equals itself).
    """
    parts = _parts(text)
    words_ = [token for _, token, _, _, _ in parts]
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
    if CUT_LEGAL_FORMS and organization is not False and len(kept) > 2 and len(text.rstrip()) in CUT_LENGTHS:
        size, code = _cut_form([keys[i] for i in kept], words_[kept[-1]])
        if size:
            forms.append(code)
            kept = kept[:size]
    if not kept:  # the name is nothing but a legal form: keep it as it is
        kept, forms = list(range(len(words_))), []
    read = tuple(words_[i] for i in kept)
    raw = tuple(parts[i][2] for i in kept)
    word_of = [parts[i][3] for i in kept]
    titled = _title_runs(read, word_of) if organization is not True else frozenset()
    if organization is not True and (OFFICE_HYPHENATED or ARABIC_TITLE_WORDS):
        titled |= _beside_titles(read, word_of)
    noise = tuple(
        (organization is not True and (w in TITLES or w in SUFFIXES or k in titled or _office_compound(w)))
        or (organization is not False and _legal_form_word(w))
        for k, w in enumerate(read)
    )
    if SCOPES and organization is not True and any(noise):
        noise = _with_scopes(read, word_of, noise)
    if all(noise):
        noise = tuple(False for _ in raw)
    canonical_tokens = tuple(patronymic(canonical(word)) for word in read)
    return NameForm(
        text=text,
        tokens=canonical_tokens,
        raw=raw,
        noise=noise,
        legal_forms=tuple(dict.fromkeys(forms)),
        signal=tuple(t for t, noisy in zip(canonical_tokens, noise, strict=True) if not noisy),
        edge=_edges([parts[i][0] for i in kept], noise, word_of, read),
        # A name the variants table knows (محمد is Muhammad) has its vowels back.
        abjad=tuple(word.abjad if canonical_tokens[k] == raw[k] else 0 for k, word in enumerate(word_of)),
        groups=_groups(word_of),
        whole=tuple(len(word.tokens) == 1 and not word.syllabic for word in word_of),
        read=tuple(word.transliterated and not word.syllabic for word in word_of),
        others=tuple(
            () if noise[k] else tuple((canonical(text), abjad) for text, abjad in _others(word, parts[i][4]))
            for k, (i, word) in enumerate(zip(kept, word_of, strict=True))
        ),
    )


def _others(word: Word, at: int) -> tuple[Spelling, ...]:
    """The other spellings of a word's token at `at`: its syllable's own (`normalize.Word.syllables`), else the
    word's."""
    return word.syllables[at] if word.syllables else word.others


def written_as_one(form: NameForm) -> str | None:
    """The identifying tokens joined, when they are the syllables of one word written in hangul or Chinese
    characters (푸틴 대통령: 푸틴 read pu tin), which the lists write as one word (PUTIN); else None."""
    signal = [k for k, noisy in enumerate(form.noise) if not noisy]
    if len(signal) < 2 or signal[-1] - signal[0] != len(signal) - 1 or any(form.whole[k] for k in signal):
        return None
    return "".join([form.tokens[k] for k in signal])


def is_article(tokens: tuple[str, ...], k: int) -> bool:
    """Is the token at `k` an article written before another word of the name, one not a title (Al-Sheikh, آل
    الشيخ, is a family's name)?"""
    return tokens[k] in ARTICLES and k + 1 < len(tokens) and tokens[k + 1] not in TITLES


PORTFOLIO_WORDS = CURRENT.config.portfolio_words
_LINKS = frozenset(
    "of the for de des du del della dello degli delle dei di da do dos das la le l los las les el fur".split()
)
"""Prepositions and articles that join a title of office to what the office heads (ministre de la Défense, ministro
degli esteri, Minister für Verteidigung, Secretary of the Treasury)."""
_BEFORE_TITLES = frozenset(("le", "la", "il", "lo", "el", "l"))
"""Articles of Romance languages, names too (Lê, Il), which only right before a title are no word of the name."""


def title_links(form: NameForm) -> frozenset[int]:
    """Positions of a query's words that join a title of office to what it heads (ministro degli esteri: degli),
    and of a Romance article right before a title (le ministre): words of the title, not of the name. A name's own
    particles (dos Santos after Presidente) still match the listed name's; unmatched they cost what a title does."""
    if not PORTFOLIO_WORDS:
        return frozenset()
    tokens, noise = form.tokens, form.noise
    found: set[int] = set()
    for k in range(1, len(tokens)):
        if tokens[k] in _LINKS and (noise[k - 1] or k - 1 in found):
            found.add(k)
    found.update(k for k in range(len(tokens) - 1) if tokens[k] in _BEFORE_TITLES and noise[k + 1])
    return frozenset(found)


OFFICE_HYPHENATED = CURRENT.config.office_hyphenated
ARABIC_TITLE_WORDS = CURRENT.config.arabic_title_words
_ALL_SCOPES = word_list("office_scopes.txt") if CURRENT.config.office_scope else frozenset()
SCOPES = frozenset(scope for scope in _ALL_SCOPES if " " not in scope)
"""Words naming what an office heads, a country or its people (russe, Venezuelan, России rossii) or a portfolio
(Défense, esteri): beside a title of office they are no words of the name (see the data file)."""
SCOPE_RUNS = tuple(sorted((tuple(scope.split()) for scope in _ALL_SCOPES if " " in scope), key=len, reverse=True))
"""Such words written in Chinese characters or hangul (俄罗斯 e luo si), or hyphenated (Noord-Korea), one token each."""


def _spans(word_of: list[Word]) -> list[list[int]]:
    """The positions of each written word's tokens (a hyphenated word, or one of CJK or hangul syllables, has
    several)."""
    spans: list[list[int]] = []
    for k, word in enumerate(word_of):
        if spans and word_of[spans[-1][0]] is word:
            spans[-1].append(k)
        else:
            spans.append([k])
    return spans


def _beside_titles(tokens: tuple[str, ...], word_of: list[Word]) -> frozenset[int]:
    """Positions of words that are part of a title: a hyphenated word ending in a title of office (Wagner-Chef: what
    the office heads); the Arabic article written in one word with a title (الرئيس al riys), and an adjective of
    origin with its article right after a title (الرئيس السوري al riys al swry: the Syrian president)."""
    spans = _spans(word_of)
    found: set[int] = set()
    for n, span in enumerate(spans):
        last = tokens[span[-1]]
        if (
            OFFICE_HYPHENATED
            and len(span) >= 2
            and not word_of[span[0]].syllabic  # a CJK or hangul word's syllables: `_title_runs`
            and last in TITLES
            and last not in _COURTESY
            and all(len(tokens[k]) >= 4 and tokens[k] not in TITLES for k in span[:-1])
        ):
            found.update(span)
        if not (ARABIC_TITLE_WORDS and len(span) == 2 and word_of[span[0]].transliterated and tokens[span[0]] == "al"):
            continue
        named = tokens[span[1]]
        if named in TITLES or (
            n > 0 and len(named) >= 3 and named.endswith("y") and tokens[spans[n - 1][-1]] in TITLES
        ):
            found.update(span)
    return frozenset(found)


def _title_runs(tokens: tuple[str, ...], word_of: list[Word]) -> frozenset[int]:
    """Positions of titles written as one CJK or hangul word (대통령, 主席): syllables at either end of a word."""
    if not any(word.syllabic for word in word_of):
        return frozenset()
    found: set[int] = set()
    for k in range(len(tokens)):
        for run in _TITLE_RUNS:
            end = k + len(run)
            if tokens[k:end] != run or any(word_of[m] is not word_of[k] for m in range(k, end)):
                continue
            own = [m for m, word in enumerate(word_of) if word is word_of[k]]
            if k == own[0] or end - 1 == own[-1]:
                found.update(range(k, end))
    if SCOPE_RUNS:  # 俄罗斯总统普京: the country, then the office, then the name, written as one word
        for span in _spans(word_of):
            at = span[0] + _runs_length(tokens, span, span[0], SCOPE_RUNS)
            office = _runs_length(tokens, span, at, _TITLE_RUNS) if at > span[0] else 0
            if office:
                found.update(range(span[0], at + office))
    return frozenset(found)


def _runs_length(tokens: tuple[str, ...], span: list[int], start: int, runs: tuple[tuple[str, ...], ...]) -> int:
    """How many of a word's tokens from `start` on are runs of `runs` one after another, the longest first."""
    at, end = start, span[-1] + 1
    while at < end:
        run = next((run for run in runs if tokens[at : at + len(run)] == run and at + len(run) <= end), None)
        if run is None:
            break
        at += len(run)
    return at - start


def _with_scopes(tokens: tuple[str, ...], word_of: list[Word], noise: tuple[bool, ...]) -> tuple[bool, ...]:
    """`noise` with the words naming what an office heads (`SCOPES`) beside a title of office, or beside another such
    word that is, as noise too (le président russe, North Korean leader, Президент России, הנשיא הרוסי, 러시아 대통령,
    ministre de la Défense). A preposition or article may stand between (President of Russia). A title of courtesy
    does not count: Mr Russo is named Russo."""
    spans = _spans(word_of)

    def scope(span: list[int]) -> bool:
        words = tuple(tokens[k] for k in span)
        if len(words) > 1 and words[0] == "al":  # الروسي al rwsy: the Arabic article written in one word
            words = words[1:]
        return (len(words) == 1 and words[0] in SCOPES) or words in SCOPE_RUNS

    marked = [
        all(noise[k] for k in span) and any(tokens[k] not in _COURTESY and tokens[k] not in SUFFIXES for k in span)
        for span in spans
    ]
    linking = [len(span) == 1 and tokens[span[0]] in _LINKS for span in spans]
    waiting = [n for n, span in enumerate(spans) if not marked[n] and scope(span)]
    found: set[int] = set()
    while waiting:
        beside = [n for n in waiting if any(_marked_beside(marked, linking, n, step) for step in (-1, 1))]
        if not beside:
            break
        for n in beside:
            marked[n] = True
            found.update(spans[n])
            waiting.remove(n)
    return tuple(noisy or k in found for k, noisy in enumerate(noise))


def _marked_beside(marked: list[bool], linking: list[bool], n: int, step: int) -> bool:
    """Is the next word from word `n` in the direction `step` marked, past any linking words (de la)?"""
    m = n + step
    while 0 <= m < len(marked) and linking[m] and not marked[m]:
        m += step
    return 0 <= m < len(marked) and marked[m]


def _whole_surname(parts: list[_Part], indexes: list[int]) -> bool:
    """Whether these words are the whole first part of a "SURNAME, Given" name."""
    first = [i for i, (part, _, _, _, _) in enumerate(parts) if part == 0]
    return len(first) < len(parts) and first == indexes


def _edge_form(keys: list[str]) -> tuple[int, str]:
    """A legal form that the name starts (size > 0) or ends (size < 0) with, leaving at least one token."""
    for size in range(min(_LONGEST_FORM, len(keys) - 1), 0, -1):
        for edge, part in ((-size, keys[-size:]), (size, keys[:size])):
            code = LEGAL_FORMS.get(tuple(part))
            if code is not None:
                return edge, code
    return 0, ""


def _cut_form(keys: list[str], last: str) -> tuple[int, str]:
    """A legal form of two words or more that a name cut at 35 characters ends with the start of (OPEN JT STK COM
    for OPEN JOINT STOCK COMPANY, LTD LIABI for LTD LIABILITY COMPANY), leaving at least one token: (-size, code),
    else (0, ""). `last` is the last word as written, folded as the forms' words are."""
    start = fold(last)
    for size in range(min(_LONGEST_FORM, len(keys) - 1), 1, -1):
        head = tuple(keys[-size:-1])
        for form, code in LEGAL_FORMS.items():
            if len(form) >= size and form[: size - 1] == head and form[size - 1].startswith(start):
                return -size, code
    return 0, ""


def _edges(part: list[int], noise: tuple[bool, ...], word_of: list[Word], tokens: tuple[str, ...]) -> tuple[bool, ...]:
    """The family and first given name; every part of a hyphenated family name written last (PRIDMORE-SMITH).

    The second part of a hyphenated given name (Hamid-Reza, Hui-bong) is as easily left out as a middle name.
    """
    signal = [i for i, noisy in enumerate(noise) if not noisy]
    if not signal:
        return tuple(False for _ in noise)
    edges = {signal[0], signal[-1]}
    given = [i for i in signal if part[i] == 1]
    if given:  # FAMILY, Given Middle
        family = [i for i in signal if part[i] == 0]
        if LATER_FAMILY_MIDDLE and family:
            # MADURO MOROS: a second family name is left out as middle names are, when the first one is no
            # common surname (GARCIA DURAN, Maria is not Maria Garcia).
            first = next((i for i in family if len(tokens[i]) > 2), family[-1])
            end = max(i for i in family if word_of[i] is word_of[first])
            if patronymic(canonical(tokens[first])) not in COMMON_SURNAMES:
                family = [i for i in family if i <= end]
        edges = set(family) | {given[0]}
    else:
        last = word_of[signal[-1]]
        if len(last.tokens) > 1 and not last.syllabic:  # the al of AL-TIKRITI is no family name of its own
            edges.update(i for i in signal if word_of[i] is last and len(tokens[i]) > 2)
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


COMMON_SURNAMES = frozenset(token for name in word_list("common_surnames.txt") for token in analyze(name).tokens)
"""Family names too common to report given alone, in their canonical spelling, whatever their weight (the file's
names are single words, so making them reads no family name here)."""
