"""Making the romanisations of one name equal.

Layers applied to normalised tokens:

1. `canonical`: a curated table of given names and name particles whose
   romanisations differ by more than spelling rules capture (Aleksandr /
   Alexander / Oleksandr / Alyaksandr; Mohammed / Muhammad / Mukhammed; bin /
   ibn; Kim / Gim; Lee / Yi / Ri). A match here is reported as `transliteration`.
2. `fold`: the token after the Latin spelling conventions of other languages
   (`data/script_conventions.csv`, stage `latin`: German tsch and j, French ou,
   Dutch oe and sj, Polish cz and sz, Hungarian cs, gy and ty, the Lithuanian and
   Latvian endings -as, -us and -s: Wladimirowitsch, Poutine, Poetin, Putinas all
   fold as Vladimirovich and Putin do), then folding the digraphs in which the romanisation
   systems for Cyrillic and Arabic differ (kh/h, ks/x, ph/f, sch/sh, ck/k,
   w/v, a final v/f, q/k, c/k, dzh/j), `y` read as `i` and doubled letters made
   single. Letters that stand for other sounds stay apart even where one
   language's romanisation merges them: Wang is not Fang, Zhang is not Jang.
   Ivanov and Ivanoff, Aleksei and Alexei, Chaykovskiy and Tchaikovsky fold to
   one form; Lukashenko and Lukashenka, Medvedev and Medvedyev are one letter
   apart.
3. `skeleton`: the folded form without vowels. Equal skeletons propose a
   phonetic match; how close the folded forms are decides its strength, so
   Jones and Janus (skeleton `jns`, folded two letters apart in five) are not
   one name. Short skeletons (fewer than three letters) prove little and are
   not used alone.
4. `consonants`: the skeleton without w and y, for names written in an abjad
   (Arabic, Hebrew), where short vowels are not written and long ones are
   written as w and y (محمود is `mhmwd`, Mahmoud `mhmd`), and for loanwords read
   from kana, hangul or Chinese characters, whose vowels are added. Its classes
   are the abjads' own: d and z one letter (ض, ظ: d in Arabic, z in Persian), b
   for p and f for v (Arabic has neither p nor v: بوتين is Putin). The loose
   classes go further, for scripts with fewer consonants than the name
   (`loose_consonants`; a query in an abjad or read from syllables looks listed
   tokens up by them too): b and f (Korean and Japanese write p and f, b and v
   alike; Hebrew p and f), l and r (Japanese and Chinese have one of them;
   ウラジーミル reads vrajimiru), d and j (ジ writes di in Russian names), and the
   loose sounds sh, ch, zh (شريف, Cherif). Equal consonants suffice; equal only
   by the loose classes, they count one fewer.
5. `vowelled`: the loose form in the vowel classes an abjad tells apart (a; e
   and i; o and u), for comparing the long vowels it writes (see `similarity`).
"""

from __future__ import annotations

import csv
import re
from importlib.resources import files
from typing import TYPE_CHECKING

from clearance.matching.config import CURRENT
from clearance.matching.normalize import WORD_MEMO, conventions, conventions_by_language
from clearance.memo import memo

if TYPE_CHECKING:
    from clearance.model import Entity

_DIGRAPHS = (
    ("dzh", "j"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("ch", "\x01"),
    ("sh", "\x02"),
    ("c", "k"),
    ("\x01", "ch"),
    ("\x02", "sh"),
)
_VOWELS = re.compile(r"[aeiou]")
LATIN = tuple((re.compile(pattern), replacement) for pattern, replacement in conventions("latin"))
"""Other languages' spellings of the sounds the lists' romanisations write (see the data file)."""
_ANY_LATIN = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in LATIN))
"""Whether any of them applies: one search, where most tokens need none (folding a listed token is on the path
of every query in a new process)."""
_WRITTEN_CLASSES = str.maketrans("dpv", "zbf")
_LOOSE_CLASSES = str.maketrans("fjl", "bzr")


_DOUBLED = re.compile(r"(.)\1")
INITIAL_JE = CURRENT.config.initial_je
"""Whether a word's consonants keep an initial j before e (see `consonants`)."""
SILENT_FINAL_H = CURRENT.config.silent_final_h
"""Whether a final h after a vowel is left out where a spelling is compared as hangul and kana write it (see
`unwritten_h`)."""
_SILENT_FROM = 5
"""Letters a token needs for its final h to be left out: Shah keeps its own."""


def _single(text: str) -> str:
    """Doubled letters made single (a loop: re.sub with a template costs microseconds per token)."""
    if _DOUBLED.search(text) is None:
        return text
    letters: list[str] = []
    previous = ""
    for letter in text:
        if letter != previous:
            letters.append(letter)
            previous = letter
    return "".join(letters)


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
_MIN_FOLDED_LOOKUP = 4
"""Shorter folded forms are too ambiguous to look up ("yi" and "i" both fold to `i`)."""


@memo(WORD_MEMO)
def canonical(token: str) -> str:
    """The table's canonical form of a name token, or the token itself.

    A spelling the table lacks is looked up by its folded form too, so Olekh finds Oleh (and with it Oleg).
    """
    found = _CANONICAL.get(token)
    if found is None:
        folded = fold(token)
        found = _FOLDED.get(folded, token) if len(folded) >= _MIN_FOLDED_LOOKUP else token
    return found


@memo(WORD_MEMO)
def fold(token: str) -> str:
    """A normalised token with romanisation digraphs folded, `y` as `i`, no doubled letters."""
    text = token
    if _ANY_LATIN.search(text):
        for pattern, replacement in LATIN:
            text = pattern.sub(replacement, text)
    for old, new in _DIGRAPHS:
        text = text.replace(old, new)
    if text.endswith("v"):  # a final v is voiceless in Russian: Ivanov, Ivanoff
        text = text[:-1] + "f"
    return _single(text.replace("y", "i"))


@memo(WORD_MEMO)
def skeleton(token: str) -> str:
    """The consonant skeleton of a normalised token: its folded form without vowels."""
    return _single(_VOWELS.sub("", fold(token)))


@memo(WORD_MEMO)
def consonants(token: str) -> str:
    """The skeleton without w and y, which an abjad writes for long vowels (يوسف is ywsf: Yusuf, sf), with d and
    z as one letter (ض and ظ are d and dh in Arabic, z in Persian and Urdu: فضل, Fadl, Fazl), b for p and f for v,
    which Arabic writes so (بوتين Putin, فلاديمير Vladimir). What abjad-written names are looked up by.

    w and y are read as the vowels u and i, which the skeleton drops, not struck out first: struck out, they would
    bring letters together that folding then reads as one (חאג'יזאדה hajyzada as haizada, a j before a consonant
    read as German writes i; توحيد twhyd as th).

    An initial j before e is kept (`initial_je`): folding reads it y, as a German transcription writes Jewgeni, but an
    abjad writes the j of Jesus and Jerez (جيسوس jysws) as a consonant."""
    if INITIAL_JE and token.startswith("je") and not token.startswith("jeo"):
        return _single("j" + consonants(token[1:]))
    return _single(skeleton(token.replace("w", "u").replace("y", "i")).translate(_WRITTEN_CLASSES))


def unwritten_h(token: str) -> str:
    """The token without a final h after a vowel, which hangul and kana cannot write and Hebrew writes as the vowel
    (Abdallah is 압달라 apdala, Jammeh 자메 and ג'אמה jama); Sheikh keeps its kh, Shah its h. Arabic writes the h
    of Allah, so a spelling loses it only where it is compared as those scripts write it."""
    if SILENT_FINAL_H and len(token) >= _SILENT_FROM and token[-1] == "h" and token[-2] in "aeiouy":
        return token[:-1]
    return token


_UNSAID = (("^kn", "n"), ("^wr", "r"), ("igh", "i"))
"""Letters English spells and does not say, which scripts that write by sound leave out: the k of Knowles (놀스,
נואלס), the w of Wright and the gh of Bright (브라이트)."""
_SOUTH_SLAVIC = (("j(?=[aeiou].*ic$)", "y"), ("dz(?=.*ic$)", "j"), ("(?<=...)ic$", "ich"))
"""A word ending in -ic, as the lists write a South Slavic name's -ić and -ič without their marks, as it is said: the
ch of its ending, dž as j, and j before a vowel as y (Karadzic is 카라지치 karajichi, Jovanovic יובאנוביץ'
ywvanwvych)."""
_TS = (("ts", "ch"),)
"""The ts hangul writes with ㅊ before a vowel (Kuznetsov 쿠즈네초프)."""
HEARD = tuple(
    (re.compile(pattern), said)
    for pattern, said in (
        *(_UNSAID if CURRENT.config.unsaid_letters else ()),
        *(_TS if CURRENT.config.heard_ts else ()),
        *(_SOUTH_SLAVIC if CURRENT.config.slavic_ending else ()),
    )
)
"""How a Latin spelling is said where its letters mislead, as scripts that write by sound write it (see `heard`)."""


@memo(WORD_MEMO)
def heard(token: str) -> str:
    """`consonants` of a Latin spelling as hangul and kana write it, which have no kh and th and no final h: k for
    kh, s for th (Khamis is 카미스 kamis, Bouthaina 부사이나 busaina; `unwritten_h`), and as said where its letters
    mislead (`HEARD`: Knowles is 놀스 nols, Karadzic 카라지치 karajichi); "" when the spelling has none of them."""
    spoken = unwritten_h(token)
    for pattern, said in HEARD:
        spoken = pattern.sub(said, spoken)
    if "kh" not in spoken and "th" not in spoken and spoken == token:
        return ""
    return consonants(spoken.replace("kh", "k").replace("th", "s"))


_SYLLABLE_END_R = re.compile(r"(?<=[aeiouy])r+(?![aeiouy])")
UNSAID_R = CURRENT.config.unsaid_r


@memo(WORD_MEMO)
def unsaid_r(token: str) -> str:
    """`consonants` of a Latin spelling without the r that ends a syllable, as kana, hangul and Chinese characters
    write a name English says without it (Dirks ダークス, McGovern 맥거번, Horner 霍納); "" where it has none."""
    if not UNSAID_R or "r" not in token:
        return ""
    said = _SYLLABLE_END_R.sub("", token)
    return consonants(said) if said != token and len(said) > 2 else ""


SPOKEN = {
    language: tuple((re.compile(pattern), replacement) for pattern, replacement in rows)
    for language, rows in conventions_by_language("spoken").items()
}
"""How names are said in a language where its spelling is no guide to other scripts (see the data file)."""


SPOKEN_LANGUAGE = CURRENT.config.spoken_language
"""Whether a listed person's name is compared as their language says it too (see `spoken`)."""
_SPANISH = frozenset("AR BO CL CO CR CU DO EC ES GQ GT HN MX NI PA PE PR PY SV UY VE".split())
"""Countries whose people's names are said as Spanish says them."""
_LANGUAGE_OF = {country: "es" for country in _SPANISH} | (
    {"RU": "ru", "BY": "ru"} if CURRENT.config.russian_spoken else {}
)
"""The language a country's people's names are said in, where `SPOKEN` has one: Belarusians' names are on the lists
as Russian writes them (LUKASHENKO)."""


def spoken_language(entity: Entity) -> str | None:
    """The language a listed person's name is said in, as far as `SPOKEN` has one for it: that of a country the person
    is a national or citizen of, or, where the list gives neither, a country the person is tied to (an address); None
    for anyone else. A Haitian with an address in the Dominican Republic keeps Martelly's ll."""
    if not SPOKEN_LANGUAGE:
        return None
    own = (*entity.nationalities, *entity.citizenships) or entity.countries
    return next((_LANGUAGE_OF[country] for country in own if country in _LANGUAGE_OF), None)


def spoken(token: str, language: str) -> str:
    """`consonants` of a listed Latin spelling as it is said in a language (`SPOKEN`), which scripts that write by sound
    follow: Jimenez is said himenes (히메네스, חימנס, 希门尼斯); "" where that changes none of them."""
    said = token
    for pattern, replacement in SPOKEN.get(language, ()):
        said = pattern.sub(replacement, said)
    found = consonants(said)
    return found if found != consonants(token) else ""


_LOOSE_SOUNDS = (("zh", "x"), ("sh", "x"), ("ch", "x"), ("g", "k"))
"""Sounds other languages write alike or for one another: French ch and German sch for sh (Loukachenko,
Prigoschin), sh for zh, and g for the q or k of Arabic names (Gaddafi, Qadhafi). x is free once folded."""


@memo(WORD_MEMO)
def loose(token: str) -> str:
    """The folded form with the loose sounds as one letter each (see `_LOOSE_SOUNDS`)."""
    text = fold(token)
    for old, new in _LOOSE_SOUNDS:
        text = text.replace(old, new)
    return text


@memo(WORD_MEMO)
def loose_skeleton(token: str) -> str:
    """The skeleton of the loose form: what tokens alike but for the loose sounds share."""
    return _single(_VOWELS.sub("", loose(token)))


_VOWEL_CLASSES = str.maketrans("eo", "iu")


@memo(WORD_MEMO)
def vowelled(token: str, abjad: bool) -> str:
    """The loose form (`loose`) with e as i and o as u, the vowels an abjad tells apart, and its consonants in the
    loose classes; in an abjad-written token its w and y as the long vowels u and i they mostly write. `similarity`
    compares the two: an abjad's letters, vowels included, stand in the other spelling in order (dwdyk, dudik:
    Dodik) where it writes the same name, and a loanword read from syllables holds the name's letters (reonop,
    Leonov)."""
    if abjad:
        token = token.replace("w", "u").replace("y", "i")
    return _single(loose(token).translate(_VOWEL_CLASSES).translate(_WRITTEN_CLASSES).translate(_LOOSE_CLASSES))


_COARSE_SOUNDS = (("sh", "s"), ("ch", "s"), ("zh", "s"), ("ts", "s"))
_COARSE_CLASSES = str.maketrans("eovfpzjldg", "iubbbssrtk")
"""Sounds a script with fewer letters than the name writes alike: e and i, o and u; b, v, f and p (hangul, kana);
s, z, sh, ch, zh, ts and j (Korean writes z and j alike, Chinese s and z); l and r; d and t; g and k."""


@memo(WORD_MEMO)
def coarse(token: str) -> str:
    """The folded form with the sounds other scripts merge as one letter each (`_COARSE_CLASSES`): what a token read
    from such a script may still agree on when its reading took the other letter of a pair (차베스 chabes, Chavez)."""
    text = fold(unwritten_h(token))
    for old, new in _COARSE_SOUNDS:
        text = text.replace(old, new)
    return _single(text.translate(_COARSE_CLASSES))


_COARSE_VOWELS = str.maketrans("", "", "aiu")


@memo(WORD_MEMO)
def coarse_consonants(token: str) -> str:
    """`coarse` without its vowels: what a token read from another script looks listed tokens up by, to pair with
    one left over (see `similarity.read_likeness`)."""
    return coarse(token).translate(_COARSE_VOWELS)


def in_order(letters: str, within: str) -> bool:
    """Do `letters` stand in `within` in their order, with others between?"""
    rest = iter(within)
    return all(letter in rest for letter in letters)


def loose_consonants(token: str) -> str:
    """`consonants` with the loose classes too: b and f, l and r, d and j each one letter (see the module
    docstring). A match that needs them proves less (see `similarity`)."""
    return loosen(consonants(token))


def loosen(key: str, written: bool = False, sounds: bool = True) -> str:
    """Consonants (`consonants`) in the loose classes, the loose sounds (`_LOOSE_SOUNDS`: French ch for the sh of
    شريف, Cherif) as one letter: what a query in an abjad or read from syllables looks up. `written`: only the
    classes an abjad writes alike too (f for p, v and f; Hebrew פ is p and f), as its letters tell l from r and j
    from z, which kana and hangul readings merge. `sounds`: False, the letters' classes only, where a word heard
    otherwise than spelled has taken the sound a loose one would stand for (Yatsenko heard yachenko is no
    Yushchenko)."""
    if sounds:
        for old, new in _LOOSE_SOUNDS:
            key = key.replace(old, new)
    return _single(key.translate(_ABJAD_CLASSES if written else _LOOSE_CLASSES))


_ABJAD_CLASSES = str.maketrans("f", "b")


_FOLDED = {fold(variant): name for variant, name in _CANONICAL.items()}
