"""Names from any script, folded into comparable lower-case ASCII tokens.

`anyascii` transliterates every script sanctions lists use (Cyrillic, Arabic,
Persian, Chinese, Korean, Greek, Hebrew, ...) into Latin with one table per
character; it is ISC-licensed, dependency-free and measured at ~1 µs per
character. The several romanisations of one name (Lukashenko / Lukashenka,
Aleksandr / Alexander) are made equal later, by `phonetic`; this module only
makes text comparable: NFKC, diacritics and apostrophes dropped, punctuation
to spaces, case folded. Chinese and Korean characters each become one syllable
token, so 习近平 gives `xi jin ping` and the alignment joins syllables as needed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_DROP = re.compile(r"['`’‘ʼʻ´\"]")
_DOTS = re.compile(r"\.")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


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


def strip_control(text: str) -> str:
    """Remove control and invisible formatting characters, which only ever hide a name."""
    return _CONTROL.sub(" ", text)


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces; idempotent."""
    text = unicodedata.normalize("NFKC", strip_control(text))
    if not text.isascii():
        text = "".join(f" {anyascii(c)} " if _syllabic(c) else c for c in text)
        text = anyascii(text)
    text = _DROP.sub("", text.casefold())
    text = _DOTS.sub(" ", text)
    return " ".join(_NON_WORD.split(text)).strip()


def tokens(text: str) -> list[str]:
    """The words of a name after normalisation."""
    folded = normalize(text)
    return folded.split(" ") if folded else []
