"""Names from any script, folded into comparable lower-case ASCII tokens.

`anyascii` transliterates every script sanctions lists use (Cyrillic, Arabic,
Persian, Chinese, Korean, Greek, Hebrew, ...) into Latin with one table per
character; it is ISC-licensed, dependency-free and measured at ~1 µs per
character. The several romanisations of one name (Lukashenko / Lukashenka,
Aleksandr / Alexander) are made equal later, by `phonetic`; this module only
makes text comparable: NFKC, diacritics and apostrophes dropped, punctuation
to spaces, case folded. Chinese and Korean characters each become one syllable
token, so 习近平 gives `xi jin ping` and the alignment joins syllables as needed.

`words` keeps two facts about where each token came from that matching needs:
whether it was written in an abjad (Arabic, Hebrew: short vowels unwritten, so
only consonants can be compared), and which tokens were syllables of one written
word (the order of 은정's syllables tells Eun-jeong from Jong-un).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

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


def _abjad(char: str) -> bool:
    """Letters of scripts that leave short vowels unwritten: Hebrew, Arabic (and Persian, Urdu), Syriac, Thaana."""
    code = ord(char)
    return 0x0590 <= code <= 0x07BF or 0x08A0 <= code <= 0x08FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def strip_control(text: str) -> str:
    """Invisible formatting characters out, control characters and line separators to spaces."""
    return _CONTROL.sub(" ", _INVISIBLE.sub("", text))


@memo(200_000)
def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; idempotent."""
    text = unicodedata.normalize("NFKC", strip_control(text))
    if not text.isascii():
        # Ё is Yo in the romanisations lists use (Tsaryov, Yong); anyascii writes it E, as for Е.
        text = text.replace("ё", "yo").replace("Ё", "Yo")
        if _ARABIC_LETTERS.search(text):
            text = _ARABIC_ARTICLE.sub("al ", text).translate(_ARABIC_VOWELS)
        text = "".join(f" {anyascii(c)} " if _syllabic(c) else c for c in text)
        text = anyascii(text)
    text = _DROP.sub("", text.casefold())
    text = _DOTS.sub(" ", text)
    return " ".join(_NON_WORD.split(text)).strip()


def tokens(text: str) -> list[str]:
    """The words of a name after normalisation."""
    folded = normalize(text)
    return folded.split(" ") if folded else []


@dataclass(frozen=True)
class Word:
    """The tokens one written word gives, and how it was written."""

    tokens: tuple[str, ...]
    syllabic: bool
    """Written in CJK or hangul syllables: its tokens are syllables in written order."""
    abjad: bool
    """Written in an abjad: its tokens have no short vowels."""


def words(text: str) -> list[Word]:
    """The words of a name, each with its normalised tokens; their tokens joined are `tokens(text)`."""
    found = []
    for chunk in unicodedata.normalize("NFKC", strip_control(text)).split():
        folded = normalize(chunk)
        if folded:
            plain = chunk.isascii()
            syllabic = not plain and any(map(_syllabic, chunk))
            found.append(Word(tuple(folded.split(" ")), syllabic, not plain and any(map(_abjad, chunk))))
    return found
