"""Names from any script, folded into comparable lower-case ASCII tokens.

`anyascii` transliterates every script sanctions lists use (Cyrillic, Arabic,
Persian, Chinese, Korean, Greek, Hebrew, ...) into Latin with one table per
character; it is ISC-licensed, dependency-free and measured at ~1 µs per
character. The several romanisations of one name (Lukashenko / Lukashenka,
Aleksandr / Alexander) are made equal later, by `phonetic`; this module only
makes text comparable: NFKC, diacritics and apostrophes dropped, punctuation
to spaces, case folded. Chinese and Korean characters each become one syllable
token, so 习近平 gives `xi jin ping` and the alignment joins syllables as needed.

Names of other languages are written by their own conventions, which one table
per character cannot know: Greek writes a foreign d as ντ, Hebrew a u as ו,
Japanese adds vowels (ウラジーミル for Vladimir). Those conventions are rows of
`data/script_conventions.csv`, applied to the name as written before
transliteration. A word the Wikidata name pairs spell in Latin most of the time
(`data/script_words.csv`: محمود Mahmoud, セルゲイ Sergei) takes that spelling. Any other
foreign name written in kana, in hangul (블라디미르) or in Chinese characters
(a middle dot parts a foreign name's words) is read as one word with the values
its syllables take in loanwords: kana and hangul by the rules below, Chinese
characters by `data/script_hanzi.csv`, learned from the same pairs. A Chinese
name in hangul (리팡웨이, Li Fangwei) is read as the Mandarin syllables the Korean
table for them writes (`data/script_hangul_pinyin.csv`), one token each, as the
same name in Chinese characters is.

Text noise is taken out too: letters spelled with dots (V.l.a.d.i.m.i.r),
digits written for letters inside a word (V1adimir Put1n), emoji and other
symbols between words, and a right-to-left override that displays a reversed
name as the name (it is read in display order).

`words` keeps two facts about where each token came from that matching needs:
whether its vowels can be trusted (not for an abjad, Arabic and Hebrew, where
short vowels are unwritten, nor for a loanword read from kana, hangul or
Chinese characters, which add vowels the name lacks: then only consonants are
compared), and which tokens were syllables of one written word (the order of
은정's syllables tells Eun-jeong from Jong-un).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from importlib.resources import files
from typing import Any

from anyascii import anyascii

from clearance.matching.config import CURRENT
from clearance.memo import memo

_DROP = re.compile(r"['`’‘ʼʻ´\"]")
_DOTS = re.compile(r"\.")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Arabic letters anyascii leaves out that the lists' romanisations write: alef (and ta marbuta) as a vowel,
# so التكريتي meets TIKRITI, and the article al- as a word of its own, as the lists write it (AL-TIKRITI).
_ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
_ARABIC_ARTICLE = re.compile(r"(?<![\u0600-\u06ff])ال(?=[\u0600-\u06ff])")
_ARABIC_VOWELS = str.maketrans({"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ة": "a"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200c\u2028\u2029]")
INVISIBLE = "\u00ad\u061c\u180e\u200b\u200d-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
"""Format characters (Unicode Cf) and the soft hyphen: invisible, so inside a word they only ever hide it
("Vla\u200bdimir", "Ma\u00adhan"). They are taken out, not made spaces. The zero-width non-joiner is
the exception: Persian writes it between the parts of a name (خامنه‌ای), which romanisations may
write apart, so it stays a space."""
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_OVERRIDE = re.compile("\u202e([^\u202c\u202d\u2029\n]*)")
"""A right-to-left override: what follows, up to a pop or another override, is displayed reversed."""
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_NAME_DOTS = re.compile("[\u00b7\u2027\u2022\u22c5\u30fb]")
"""Middle dots: Chinese and Japanese part the words of a foreign name with them (弗拉基米尔·普京)."""
_SPELLED = re.compile(r"(?<!\w)(?:[^\W\d_]\.){2,}[^\W\d_]\.?(?!\w)")
"""Single letters each followed by a dot: initials (A.T.E.), or a word spelled out (V.l.a.d.i.m.i.r)."""
_LEET = re.compile(r"[a-z]+(?:[0-9][a-z]+)+[0-9]?")
_FOR_LETTER = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"}
_VOWEL = frozenset("aeiouy")
_NOT_CONSONANT = re.compile(r"[aeiouwy ]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_CONVENTION_SCRIPTS = re.compile(r"[\u0370-\u03ff\u0530-\u05ff\u0600-\u06ff\u30a0-\u30ffšžč]")
"""Greek, Armenian, Hebrew, Arabic and katakana, and the háček letters of Latin: what `data/script_conventions.csv`
has rows for."""
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3]+")


def _syllabic(char: str) -> bool:
    """Characters written without spaces between names: CJK ideographs, kana and hangul."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul syllables
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FFFF
    )


def _not_latin(char: str) -> bool:
    """A letter of a script other than Latin."""
    return char.isalpha() and not unicodedata.name(char, "LATIN").startswith("LATIN")


WRITTEN_IN_ABJAD = 1
"""`Word.abjad` of a word written in an abjad: its letters are the name's consonants and long vowels."""
READ_FROM_SYLLABLES = 2
"""`Word.abjad` of a loanword read from kana, hangul or Chinese characters: the script merges sounds (l and r)."""


def _abjad(char: str) -> bool:
    """Letters of scripts that leave short vowels unwritten: Hebrew, Arabic (and Persian, Urdu), Syriac, Thaana."""
    code = ord(char)
    return 0x0590 <= code <= 0x07BF or 0x08A0 <= code <= 0x08FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _displayed(match: re.Match[str]) -> str:
    """The text an override displays reversed, in the order it is read; right-to-left letters are read that way."""
    text = match.group(1)
    return text if _RTL.search(text) else text[::-1]


def strip_control(text: str) -> str:
    """Invisible formatting characters out (a right-to-left override applied first), control characters and line
    separators to spaces."""
    if "\u202e" in text:
        text = _OVERRIDE.sub(_displayed, text)
    return _CONTROL.sub(" ", _INVISIBLE.sub("", text))


def _data_rows(name: str) -> list[dict[str, str]]:
    text = files("clearance.matching").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))


def conventions(stage: str) -> list[tuple[str, str]]:
    """The (pattern, replacement) rows of `data/script_conventions.csv` for one stage, `written` or `latin`, in the
    file's order (a rule may depend on one before it of another language)."""
    return [
        (row["pattern"], row["replacement"]) for row in _data_rows("script_conventions.csv") if row["stage"] == stage
    ]


def conventions_by_language(stage: str) -> dict[str, list[tuple[str, str]]]:
    """The (pattern, replacement) rows of one stage of `data/script_conventions.csv`, by language, each in the file's
    order."""
    found: dict[str, list[tuple[str, str]]] = {}
    for row in _data_rows("script_conventions.csv"):
        if row["stage"] == stage:
            found.setdefault(row["language"], []).append((row["pattern"], row["replacement"]))
    return found


PHRASES = tuple((re.compile(pattern), replacement) for pattern, replacement in conventions("phrase"))
"""The conventions applied to a whole name as written, before it is parted into words (see the data file)."""
_PHRASE_SCRIPTS = re.compile(r"[\u0600-\u06ff\u30a0-\u30ff\u4e00-\u9fff]")
"""Arabic, katakana and Chinese characters: the scripts the `phrase` rows are for."""


def _phrases(text: str) -> str:
    """`text` with the `phrase` conventions applied: they span words, which `words` reads one at a time."""
    if not text.isascii() and _PHRASE_SCRIPTS.search(text):
        for pattern, replacement in PHRASES:
            text = pattern.sub(replacement, text)
    return text


WRITTEN = tuple((re.compile(pattern), replacement) for pattern, replacement in conventions("written"))
"""The conventions applied to a name as written, before transliteration (see the data file)."""


def _readings(name: str, column: str = "reading") -> dict[str, str]:
    return {row["unit"]: row[column] for row in _data_rows(name) if row[column]}


_HANZI_READINGS = _readings("script_hanzi.csv")
_HANZI_OTHER_READINGS = _readings("script_hanzi.csv", "other")
_WORDS = {
    row["written"]: (row["latin"], row["script"] in ("hangul", "hanzi"), tuple(row["others"].split()))
    for row in _data_rows("script_words.csv")
}
"""Name words as other scripts write them, their usual Latin spelling and other spellings often given: in hangul
and Chinese characters only where the name is a foreign one (한 and 金 are Korean and Chinese names of their own)."""


_ARABIC_FORMS = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك"})
"""Persian yeh and kaf, and alef maksura, which Persian and Egyptian Arabic write at a word's end (علی, على): the
words table spells the name whichever form a word takes (علي Ali)."""


def _entry(word: str, loan: bool) -> tuple[str, bool, tuple[str, ...]] | None:
    """The words table's row for a word, if it spells the word here."""
    found = _WORDS.get(word) or _WORDS.get(word.translate(_ARABIC_FORMS))
    if found is None and _HANZI.search(word):
        found = _WORDS.get(traditional(word))
    return None if found is None or (found[1] and not loan) else found


def _known(word: str, loan: bool) -> str:
    found = _entry(word, loan)
    return word if found is None else found[0]


_HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@memo(5_000)
def traditional(word: str) -> str:
    """A word in simplified Chinese characters in the traditional ones (OpenCC's s2t tables): the name pairs the words
    and readings tables are learned from write Chinese mostly in traditional characters (弗拉基米爾), mainland China
    and Singapore in simplified ones (弗拉基米尔)."""
    return _converter().convert(word)  # type: ignore[no-any-return]


@functools.cache
def _converter() -> Any:
    """OpenCC's simplified-to-traditional converter, loaded on first use (some 60 ms)."""
    from opencc import OpenCC

    return OpenCC("s2t")


# Hangul in loanwords (the Korean rules for writing foreign words): each syllable's initial, vowel and final.
# The vowel ㅡ is the one Korean adds to a consonant with no vowel of its own (블라디미르 is b-la-di-mi-r), so it is
# left out; ㅅ with y-vowels writes sh (셰 she); a final ㄱ, ㅂ, ㅅ are k, p, t as in 빅토르 Viktor; ㅐ writes the a of
# English Carrie, Harry and Sam (캐리, 해리, 샘), as ㅔ writes e.
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_VOWELS = (
    *("a", "a", "ya", "ye", "o", "e", "yo", "ye", "o", "wa", "we", "oe", "yo", "u", "wo", "we", "wi", "yu", "", "i"),
    "i",
)
_FINALS = (
    *("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng"),
    *("t", "t", "k", "t", "p", "t"),
)


HANGUL_Z = CURRENT.config.hangul_z
"""Whether hangul's ㅈ and ㅊ alone are read as z and ts (see the config)."""
_ALONE = {"j": "z", "ch": "ts"}
"""ㅈ and ㅊ with no vowel of their own: how Korean writes a foreign z and ts (see the config's `hangul_z`)."""


def _read_hangul(word: str) -> str:
    """A word in hangul read as the loanword it writes (see the tables above)."""
    parts: list[str] = []
    for char in word:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            parts.append(anyascii(char))
            continue
        initial, vowel, final = code // 588, code // 28 % 21, code % 28
        onset = _INITIALS[initial]
        if onset == "r" and parts and parts[-1].endswith("l"):
            parts[-1], onset = parts[-1][:-1], "l"  # ㄹㄹ is one l: 블라 bla, 콜라 kola
        sound = _VOWELS[vowel]
        if HANGUL_Z and not sound and onset in _ALONE:
            onset = _ALONE[onset]  # 디아즈 diaz, 슐츠 shults
        if onset == "s" and sound.startswith("y"):
            onset, sound = "sh", sound[1:]
        parts.append(onset + sound + _FINALS[final])
    return "".join(parts)


_SMALL_KANA = frozenset("ァィゥェォャュョヮぁぃぅぇぉゃゅょゎ")


def _read_kana(word: str) -> str:
    """A word in kana read as the loanword it writes, a kana with its small kana as one unit."""
    units: list[str] = []
    for char in word:
        if char in _SMALL_KANA and units:
            units[-1] += char
        else:
            units.append(char)
    return "".join(map(_kana_unit, units))


def _kana_unit(unit: str) -> str:
    """A kana with the small kana after it: its consonant and their vowel (シュ shu, ティ ti, ファ fa, ウィ wi)."""
    base = anyascii(unit[0])
    if len(unit) == 1:
        return base
    small = anyascii(unit[1:])
    stem = {"u": "w", "vu": "v"}.get(base, base[:-1] if base[-1:] in "aiueo" else base)
    if small.startswith("y") and stem.endswith(("sh", "ch", "j")):
        small = small[1:]
    return stem + small


def _read(word: str, table: dict[str, str]) -> str:
    return "".join(_reading_of(char, table) or anyascii(char) for char in word)


def _reading_of(char: str, table: dict[str, str]) -> str | None:
    """A character's reading in a table of simplified and traditional characters, as written or as traditional."""
    return table.get(char) or table.get(traditional(char))


def _loan_hangul(word: str) -> bool:
    """Hangul that writes a foreign name: four syllables or more, or the vowel ㅡ that Korean adds to a consonant
    with nothing after it (드, 르, 스; 블 before 라), which Korean names do not have."""
    syllables = [ord(char) - 0xAC00 for char in word if 0xAC00 <= ord(char) <= 0xD7A3]
    if len(syllables) >= 4:
        return True
    for i, code in enumerate(syllables):
        if (code // 28) % 21 == 18:  # the vowel ㅡ
            final = code % 28
            following = syllables[i + 1] // 588 if i + 1 < len(syllables) else -1
            if final == 0 or (final == 8 and following == 5):  # no final; or ㄹ before ㄹ
                return True
    return False


HANZI_TITLED_LOAN = CURRENT.config.hanzi_titled_loan
"""Whether a word of Chinese characters all read in foreign names, beside a title, is a foreign name
(`_titled_loan`)."""


def _titled_loan(text: str) -> bool:
    """Is a word of Chinese characters, beside a title or a country written on to it (which the `phrase` rows read
    apart as the English words they are: 白俄罗斯总统卢卡申科, belarus president 卢卡申科), a foreign name: of three
    characters or more, each with a reading in foreign names (`data/script_hanzi.csv`)? A Chinese official's name
    nearly always has a character no foreign name uses (习近平, 李强)."""
    if not _HANZI.search(text):
        return False
    found = text.split()
    return any(word.isascii() for word in found) and any(
        len(word) >= 3 and all(_HANZI.match(char) and _reading_of(char, _HANZI_READINGS) for char in word)
        for word in found
    )


def loanwords(text: str) -> bool:
    """Does a name in hangul or Chinese characters write a foreign name? Then each word is read whole.

    Chinese and Japanese part a foreign name's words with a middle dot. Hangul shows it in its syllables, or in
    its words: a Korean name is one word, or a family name of one syllable and a given name of two, and one of its
    words is, or begins with, a Korean family name."""
    if _NAME_DOTS.search(text) or (HANZI_TITLED_LOAN and _titled_loan(text)):
        return True
    hangul = [word for word in text.split() if _HANGUL.search(word) and word not in _KOREAN_TITLES]
    if any(_loan_hangul(word) for word in hangul):
        return True
    if any(word in _KOREAN_FAMILY_NAMES for word in hangul):
        return False
    if len(hangul) >= 2 and not any(word[0] in _KOREAN_FAMILY_NAMES for word in hangul):
        return True  # 캐리 람, Carrie Lam: words apart, none of them a Korean family name nor begun by one
    return sum(len(_HANGUL.findall(word)) >= 2 for word in hangul) >= 2


_KOREAN_TITLES = frozenset("대통령 장관 위원장 국무위원장 주석 동지 경애하는 원수 총비서 총리 장군".split())
"""Titles written beside a Korean name, which are no loanword however many syllables they have (`data/titles.txt`
has them as read)."""
_KOREAN_FAMILY_NAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진지엄채원천방공현함변염"
    "여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용리라로"
)
"""The family names of nearly every Korean (of one syllable; 리, 라, 로 as North Korea writes 이, 나, 노): a name
with one written apart is Korean, however many given names it has (영철 수민 김)."""


# Hangul in Korean names, one syllable a token, as North Korea romanises them and the lists write its people
# (Kim Kyong Ok, Ri Pyong Chol, Pak To Chun, O Kuk Ryol): plain stops k, t, p, ch; ㅈ j; ㅓ and ㅕ o and yo;
# ㅡ u. Aspirated stops drop the h they take there (Jang Song Thaek): `phonetic.fold` folds th to t anyway.
_NAME_INITIALS = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_NAME_VOWELS = (
    *("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu"),
    *("u", "ui", "i"),
)


def _read_korean(char: str) -> str:
    """A hangul syllable of a Korean name (see the tables above); other characters as anyascii reads them."""
    code = ord(char) - 0xAC00
    if not 0 <= code < 11172:
        return anyascii(char)
    return _NAME_INITIALS[code // 588] + _NAME_VOWELS[code // 28 % 21] + _FINALS[code % 28]


TABLE_WORD_READ = CURRENT.config.table_word_read
"""A word in an abjad the words table spells is read from its letters too (`Word.others`)."""
TABLE_SPELLINGS = CURRENT.config.table_spellings
"""A word the words table spells has the table's other spellings of it too (`Word.others`)."""
READ_FROM_CONSONANTS = 2 if CURRENT.config.read_two_consonants else 3
"""A loanword read from syllables compares by its consonants from this many: fewer match too many names."""
MANDARIN_HANGUL = CURRENT.config.mandarin_hangul
"""Whether a Chinese name in hangul is read as the Mandarin syllables it writes (see `chinese_hangul`)."""
HANGUL_ARTICLE = CURRENT.config.hangul_article
"""Whether a foreign name in hangul begun by the Arabic article is compared without it too (see `_after_article`)."""
ARABIC_G = CURRENT.config.arabic_g
"""Whether a word in Arabic letters with ج is compared as written with g there too (see the config)."""
HEBREW_DOUBLE_YOD = CURRENT.config.hebrew_double_yod
"""Whether a word in Hebrew letters with a double yod inside is compared with an l there too (`_DOUBLE_YOD`)."""
_DOUBLE_YOD = re.compile(r"(?<=\w)יי(?=\w)")
"""A double yod inside a word: the y Hebrew writes for a Spanish ll (ארייאנו Arellano, גאייגו Gallego), as Spanish
says it, and a y or i between vowels in other names (חאבייר Javier)."""
KANA_SOUNDS = CURRENT.config.kana_sounds
"""Whether a word in kana is compared with シ, ワ, a final ン and a lone long o read as other sounds too (see
`_other_kana_readings`)."""
HANGUL_MANDARIN = CURRENT.config.hangul_mandarin
"""Whether a Korean reading of hangul is compared with the Mandarin syllables it writes too (`_mandarin_syllables`)."""
KANA_ADDED_VOWELS = CURRENT.config.kana_added_vowels
"""Whether a word read from kana is compared without the vowels kana adds to a consonant alone too (see the config)."""
HANZI_OTHER_READINGS = CURRENT.config.hanzi_other_readings
"""Whether a word read from Chinese characters is compared as read with a character's other reading too (see
`_other_hanzi_readings`)."""
KANA_CHI = CURRENT.config.kana_chi
"""Whether a word in kana is compared with チ read as chi too (see `_other_kana_readings`)."""
_PINYINS = {row["hangul"]: tuple(row["pinyin"].split()) for row in _data_rows("script_hangul_pinyin.csv")}
"""Hangul spellings of Mandarin syllables (one hangul syllable or two: 샤오 xiao), and every pinyin syllable the Korean
orthography's table writes so (장: zhang and jiang; see the data file)."""
_PINYIN = {hangul: pinyin[0] for hangul, pinyin in _PINYINS.items()}
"""Each read as the first: the syllable the table's order puts first."""
_PINYIN_SPAN = max(map(len, _PINYIN))
_SYLLABLE = 0xAC00
_CHINESE_SOUNDS = frozenset(
    {(14, 0), (15, 0), (16, 0), (16, 4)}  # ㅝ ㅞ ㅟ after a consonant: 궈 뤄 줴 쉐 쥐 취 쉬 뤼 쥔
    | {(7, 4), (5, 4)}  # -ian: 젠 첸 셴 롄 톈 옌
    | {(4, 21), (13, 21), (20, 21)}  # -eng, -ong and -ing after a consonant: 펑 덩 훙 둥 밍 링
)
"""(vowel, final) pairs of Mandarin syllables as hangul writes them that neither Korean names (광 환 권 are names of
their own, and 정 성 경 명 are ㅓ and ㅕ) nor the Korean spelling of Western names have after a consonant: a Chinese
name's tell."""
_KOREAN_LIKE = frozenset("ㅈㅊㅅㅇ")
"""Initials after which -eng, -ong and -ing are Korean syllables too (정 청 성 중 충 숭 징 싱 융 잉)."""
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FINAL_CONSONANTS = frozenset("스즈츠르")
"""Syllables of the vowel ㅡ that the Korean spelling of a Western name ends a word with, for its final s, z, ts and
r. Mandarin has them too (shi, zhi, chi, ri), but rarely last in a name."""


def _chinese_units(word: str) -> list[str] | None:
    """A word in hangul parted into Mandarin syllables as the Korean table writes them, the longest first; None
    unless every syllable is part of one."""
    units: list[str] = []
    i = 0
    while i < len(word):
        for size in range(min(_PINYIN_SPAN, len(word) - i), 0, -1):
            if word[i : i + size] in _PINYIN:
                units.append(word[i : i + size])
                i += size
                break
        else:
            return None
    return units


def _chinese_tell(unit: str) -> bool:
    """Is a hangul spelling of a Mandarin syllable one that Korean names and the Korean spelling of Western names do
    not have: a tense initial (쑨 Sun, 쩌 Ze), a syllable the table spells with two (샤오 xiao, 저우 zhou, 웨이 wei,
    위안 yuan), or one of `_CHINESE_SOUNDS`?"""
    code = ord(unit[0]) - _SYLLABLE
    initial, vowel, final = _CHO[code // 588], code // 28 % 21, code % 28
    if initial in "ㅆㅉ":
        return True
    if len(unit) > 1:  # but -ai, -ei and -ui before 웨이 (라이스 Rice, 베이커 Baker, 루이스 Luis)
        return unit[1] != "이" or unit == "웨이"
    if initial == "ㅇ":
        return (vowel, final) == (7, 4)  # 옌 yan
    return (vowel, final) in _CHINESE_SOUNDS and not (final == 21 and initial in _KOREAN_LIKE)


@memo(20_000)
def chinese_hangul(text: str) -> bool:
    """Does a name in hangul write a Chinese name by the Korean table of Mandarin syllables (리팡웨이 Li Fangwei, 뤄촨쉬
    Luo Chuanxu)? Every hangul word parts into the table's syllables, none ends as Korean writes a Western name's final
    consonant, and one of them is a tell (`_chinese_tell`): many Korean names and the Korean spelling of Western names
    part into its syllables too (장지청, 스미스), and without a tell they are read as before."""
    if not MANDARIN_HANGUL or text.isascii() or not _HANGUL.search(text):
        return False
    hangul = [word for word in text.split() if _HANGUL.search(word) and word not in _KOREAN_TITLES]
    if not hangul or not all(_HANGUL_WORD.fullmatch(word) for word in hangul):
        return False
    if any(word[-1] in _FINAL_CONSONANTS or "르" in word for word in hangul):
        return False  # 안와르 Anwar, 라이스 Rice: how Korean writes a Western name's final consonant (and its r)
    parted = [_chinese_units(word) for word in hangul]
    return all(units is not None for units in parted) and any(
        _chinese_tell(unit) for units in parted for unit in units or ()
    )


def _read_chinese(word: str) -> str:
    """A word in hangul read as the Mandarin syllables it writes, one token each (see `chinese_hangul`)."""
    units = _chinese_units(word) or [word]
    return "".join(f" {_PINYIN.get(unit) or anyascii(unit)} " for unit in units)


def _word_reading(word: str, loan: bool, chinese: bool = False) -> str:
    """One written word transliterated: kana and loanwords read whole, a Chinese name in hangul by the Korean table
    of Mandarin syllables, other syllables one token each."""
    if _KANA.search(word):
        return _read_kana(word)
    if chinese and _HANGUL.search(word):
        return _read_chinese(word)
    if loan and _HANGUL.search(word):
        return _read_hangul(word)
    if loan and any(map(_syllabic, word)):
        return _read(word, _HANZI_READINGS)
    return "".join(f" {_read_korean(c) if _HANGUL.match(c) else anyascii(c)} " if _syllabic(c) else c for c in word)


def _spelled_out(match: re.Match[str]) -> str:
    """Letters with dots joined into a word when they spell one: in lower case, or more than an acronym has."""
    letters = match.group(0).replace(".", "")
    return letters if len(letters) >= 5 or not letters.isupper() else match.group(0)


def _letters_for_digits(token: str) -> str:
    """Digits written for letters inside a word of letters: 0 o, 1 l or i (i between consonants), 3 e, 4 a, 5 s,
    7 t, 8 b. Only single digits between letters, and a last one after such a digit (BARR1O5), at most one for two
    letters: never an identifier or a number."""
    if not _LEET.fullmatch(token):
        return token
    digits = sum(char.isdigit() for char in token)
    if 2 * digits > len(token) - digits:
        return token
    letters = list(token)
    for i, char in enumerate(letters):
        if char == "1":
            after = letters[i + 1] if i + 1 < len(letters) else ""
            letters[i] = "l" if letters[i - 1] in _VOWEL or after in _VOWEL else "i"
        elif char.isdigit():
            letters[i] = _FOR_LETTER.get(char, char)
    return "".join(letters)


def _symbol(char: str) -> bool:
    """Emoji, pictographs and other symbols, with their modifiers: never part of a name."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("So", "Co", "Cs")
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0000 <= code <= 0xE007F
    )


@memo(200_000)
def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; idempotent."""
    text = _phrases(unicodedata.normalize("NFKC", strip_control(text)))
    return _normalize(text, *_reading(text))


def _reading(text: str) -> tuple[bool, bool]:
    """How a name's words in syllables are read: whole, as loanwords (`loanwords`), or as the Mandarin syllables a
    Chinese name in hangul writes (`chinese_hangul`), which is then no loanword."""
    chinese = chinese_hangul(text)
    return loanwords(text) and not chinese, chinese


@memo(50_000)
def _normalize(text: str, loan: bool, chinese: bool = False, tables: bool = True) -> str:
    if "." in text:
        text = _SPELLED.sub(_spelled_out, text)
    if not text.isascii():
        text = "".join(" " if _symbol(c) else c for c in _NAME_DOTS.sub(" ", text))
        text = " ".join(_known(word, loan) if tables else word for word in text.split()).casefold()
        # Ё is Yo in the romanisations lists use (Tsaryov, Yong); anyascii writes it E, as for Е.
        text = text.replace("ё", "yo")
        if _ARABIC_LETTERS.search(text):
            text = _ARABIC_ARTICLE.sub("al ", text).translate(_ARABIC_VOWELS)
        if _CONVENTION_SCRIPTS.search(text):
            for pattern, replacement in WRITTEN:
                text = pattern.sub(replacement, text)
        text = anyascii(" ".join(_word_reading(word, loan, chinese) for word in text.split()))
    text = _DROP.sub("", text.casefold())
    text = _DOTS.sub(" ", text)
    found = _NON_WORD.split(text)
    if any(char.isdigit() for char in text):
        found = [_letters_for_digits(token) for token in found]
    return " ".join(found).strip()


def tokens(text: str) -> list[str]:
    """The words of a name after normalisation."""
    folded = normalize(text)
    return folded.split(" ") if folded else []


Spelling = tuple[str, int]
"""Another spelling of a word, and its `Word.abjad`: how it is compared."""


@dataclass(frozen=True)
class Word:
    """The tokens one written word gives, and how it was written."""

    tokens: tuple[str, ...]
    syllabic: bool
    """Written in CJK or hangul syllables: its tokens are syllables in written order."""
    abjad: int
    """Its vowels cannot be compared: written in an abjad (short vowels unwritten, `WRITTEN_IN_ABJAD`), or a loanword
    read from kana, hangul or Chinese characters (vowels added, `READ_FROM_SYLLABLES`); not so (0) for a word the
    tables spell."""
    transliterated: bool = False
    """Written in a script other than Latin: its Latin letters are a reading, which may merge sounds the name's
    own spelling tells apart (l and r, b and v, s and z)."""
    others: tuple[Spelling, ...] = ()
    """For a word of one token the words table spells: its other spellings there (스티븐: Steven beside Stephen), and,
    for a word in an abjad, the word read from its letters (סטיבן stybn), compared as written in an abjad; for a foreign
    name in hangul begun by the Arabic article, the name without it (알사디 sadi, `_after_article`); for a word read
    from Chinese characters, the word read with a character's other reading (哈吉 haji, `_other_hanzi_readings`);
    else ().
    Kana and hangul spell a name's vowels, which the table's spellings keep: read by their loose sounds instead,
    루돌프 (Rudolf) was Rodolfo."""
    syllables: tuple[tuple[Spelling, ...], ...] = ()
    """Per token of a name in hangul read as Korean that parts into the Korean table's Mandarin syllables: the pinyin
    each syllable writes there, where it differs (왕천 wang chon: chen and cen; `_mandarin_syllables`); else ()."""


def _after_article(chunk: str, loan: bool, chinese: bool) -> str | None:
    """A foreign name in hangul read without the Arabic article Korean joins to it (알사디 sadi), when it begins with
    알 and has two syllables more; else None. 알리 (Ali) and 알렉세이 (Aleksei) begin so too, which is why the reading
    is another spelling to compare, not the word's own."""
    if not (chunk.startswith("알") and len(chunk) >= 3 and _HANGUL_WORD.fullmatch(chunk)):
        return None
    rest = _normalize(chunk[1:], loan, chinese)
    return rest if rest and " " not in rest else None


_ADDED_VOWEL = re.compile(r"(?<=[^aeiouyw])u$|(?<=[td])o$")
_FU_ALONE = re.compile(r"fu(?=[^aeiouyw])")


def _without_added_vowels(reading: str) -> str | None:
    """A word read from kana without the vowels kana adds to a consonant alone: the u, or o after t and d, after its
    final consonant (サイード saido, Said; ヌール nuru, Nur), and the u of フ before a consonant, which writes the h of
    an Arabic name there (マフディー mafudi, Mahdi); None when it has none. Kana ends no syllable in a consonant but n,
    so the vowel may be the name's own (ヤクブ yakubu) or the script's, and フ is f too (ホフマン, Hoffman): another
    spelling, not the word's."""
    rest = _FU_ALONE.sub("h", _ADDED_VOWEL.sub("", reading))
    return rest if rest != reading and len(rest) >= 3 else None


WORD_MEMO = 20_000
"""Words each per-word memo keeps. The words of a batch or a service's names repeat by a Zipf law: the most
recent 20,000 hold nearly all repeats, as many as 200,000 did, in a tenth of the memory of each worker."""
_CHI = re.compile("チ(?![ャュョェィ])")
_KANA_SOUNDS = (
    (_CHI, "chi"),
    *(((re.compile("シ(?![ャュョェ])"), "si"), (re.compile("ワ"), "va")) if KANA_SOUNDS else ()),
)
"""Kana and the other sounds they write in foreign names: チ a Russian ch (`_other_kana_readings`), and with
`kana_sounds` シ a Russian si and ワ a Russian va."""
_SYLLABLE_NG = re.compile("(?<=^..)ン$|(?<=^.)ン$")
"""A final ン of a word of one or two syllables (チャン, ピン, アウン): the ng of a Chinese, Korean or Burmese syllable,
with `kana_sounds`."""
_SYLLABLE_OE = re.compile("(?<=^[オコソトノホモヨロゴゾドボポ])ー$")
"""A syllable in o made long (ソー, モー): the oe of a Burmese name (Soe, Moe), with `kana_sounds`."""


def _other_kana_readings(chunk: str, loan: bool, chinese: bool) -> list[str]:
    """A word in kana read with チ as chi, where the names' convention reads it ti (プーチン Putin): Japanese writes
    a Russian ч so too (チリコフ Chirikov, セルゲーエヴィチ Sergeyevich); and with `kana_sounds` シ as si and ワ as va
    (ワシリエフ vasiriefu, Vasiliev), in a word of one or two syllables a final ン as ng (チャン chang, Chang), and
    a lone long o as oe (ソー soe, Soe)."""
    sounds = chunk
    for pattern, said in _KANA_SOUNDS:
        sounds = pattern.sub(said, sounds)
    texts = [sounds]
    if KANA_SOUNDS:
        texts += [pattern.sub(said, chunk) for pattern, said in ((_SYLLABLE_NG, "ng"), (_SYLLABLE_OE, "e"))]
    found = []
    for text in texts:
        read = _normalize(text, loan, chinese) if text != chunk else ""
        if read and " " not in read:
            found.append(read)
    return found


def _other_hanzi_readings(word: str) -> list[str]:
    """A word read from Chinese characters as read with one character's other reading (`data/script_hanzi.csv`),
    for each character that has one: 哈吉 haji beside hagi. One character at a time: a name has one or two such."""
    readings = [_reading_of(char, _HANZI_READINGS) or anyascii(char) for char in word]
    found = []
    for i, char in enumerate(word):
        if other := _reading_of(char, _HANZI_OTHER_READINGS):
            read = _normalize("".join(readings[:i] + [other] + readings[i + 1 :]), False)
            if read and " " not in read:
                found.append(read)
    return found


def loanword_consonants(text: str) -> int:
    """The consonants of a loanword read from syllables, w and y counted as the vowels they write there."""
    return len(_NOT_CONSONANT.sub("", text))


def _by_consonants(reading: str) -> bool:
    """Is a loanword read from syllables compared by its consonants alone: from READ_FROM_CONSONANTS of them."""
    return loanword_consonants(reading) >= READ_FROM_CONSONANTS


def words(text: str) -> list[Word]:
    """The words of a name, each with its normalised tokens; their tokens joined are `tokens(text)`."""
    text = _phrases(unicodedata.normalize("NFKC", strip_control(text)))
    loan, chinese = _reading(text)
    found = (_word(chunk, loan, chinese) for chunk in _NAME_DOTS.sub(" ", text).split())
    return [replace(word) for word in found if word is not None]  # `names` tells a name's words apart by identity


@memo(WORD_MEMO)
def _word(chunk: str, loan: bool, chinese: bool) -> Word | None:
    """One written word of a name, read as the name's words are (`_reading`); None when nothing of it is left. Kept
    for the most recent words (`WORD_MEMO`): names repeat their given names and surnames."""
    folded = _normalize(chunk, loan, chinese)
    if not folded:
        return None
    # A word the tables know is spelled with its vowels; any other is read from its letters or syllables.
    written = not chunk.isascii() and _known(chunk, loan) == chunk
    read = written and (bool(_KANA.search(chunk)) or (loan and any(map(_syllabic, chunk))))
    syllabic = written and not read and any(map(_syllabic, chunk))
    abjad = (
        READ_FROM_SYLLABLES
        if read and _by_consonants(folded)
        else WRITTEN_IN_ABJAD
        if written and any(map(_abjad, chunk))
        else 0
    )
    transliterated = not chunk.isascii() and any(map(_not_latin, chunk))
    others: list[Spelling] = []
    if HANGUL_ARTICLE and read and (rest := _after_article(chunk, loan, chinese)):
        others.append((rest, READ_FROM_SYLLABLES if _by_consonants(rest) else 0))
    if KANA_ADDED_VOWELS and read and " " not in folded and _KANA.search(chunk):
        if rest := _without_added_vowels(folded):
            others.append((rest, READ_FROM_SYLLABLES if _by_consonants(rest) else 0))
    if KANA_CHI and read and " " not in folded:
        for rest in _other_kana_readings(chunk, loan, chinese):
            others.append((rest, READ_FROM_SYLLABLES if _by_consonants(rest) else 0))
    if HANZI_OTHER_READINGS and read and " " not in folded and not _KANA.search(chunk) and _HANZI.search(chunk):
        for rest in _other_hanzi_readings(chunk):
            if rest != folded:
                others.append((rest, READ_FROM_SYLLABLES if _by_consonants(rest) else 0))
    if ARABIC_G and "ج" in chunk and " " not in folded:
        with_g = _normalize(chunk.replace("ج", "گ"), loan, chinese, tables=False)
        if with_g and " " not in with_g:
            others.append((with_g, WRITTEN_IN_ABJAD))  # جوتيريز jwtyryz, Gutierrez
    if HEBREW_DOUBLE_YOD and written and _DOUBLE_YOD.search(chunk) and " " not in folded:
        with_l = _normalize(_DOUBLE_YOD.sub("ל", chunk), loan, chinese, tables=False)
        if with_l and " " not in with_l:
            others.append((with_l, WRITTEN_IN_ABJAD))  # ארייאנו aryyanw, Arellano
    if not written and " " not in folded:
        if TABLE_WORD_READ and any(map(_abjad, chunk)):
            letters = _normalize(chunk, loan, chinese, tables=False)
            if letters and " " not in letters and letters != folded:
                others.append((letters, WRITTEN_IN_ABJAD))
        if TABLE_SPELLINGS and (entry := _entry(chunk, loan)):
            others += ((other, 0) for other in entry[2])
    tokens = tuple(folded.split(" "))
    syllables = _mandarin_syllables(chunk, tokens) if HANGUL_MANDARIN and syllabic and not chinese else ()
    return Word(tokens, syllabic, abjad, transliterated, tuple(others), syllables)


def _mandarin_syllables(chunk: str, tokens: tuple[str, ...]) -> tuple[tuple[Spelling, ...], ...]:
    """The pinyin syllables each syllable of a word in hangul read as Korean writes in the Korean table of Mandarin
    syllables, where they differ from the Korean reading: a Chinese name with no syllable only Mandarin has (왕천,
    Wang Chen) is read as Korean (`chinese_hangul`), and may be either. () unless every syllable is one of the
    table's on its own."""
    units = _chinese_units(chunk)
    if units is None or len(units) != len(chunk) or len(units) != len(tokens):
        return ()
    return tuple(
        tuple((pinyin, 0) for pinyin in _PINYINS[unit] if pinyin != token)
        for unit, token in zip(units, tokens, strict=True)
    )
