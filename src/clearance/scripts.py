"""Which writing system a name is written in (ISO 15924), from its letters alone.

Sources rarely say; screening needs to know to pick a transliteration.
Unicode character names carry the script as their first word, which is enough
for the scripts sanctions lists use.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

_SCRIPTS = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "ARABIC": "Arab",
    "CJK": "Hani",
    "HANGUL": "Hang",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "GREEK": "Grek",
    "HEBREW": "Hebr",
    "GEORGIAN": "Geor",
    "ARMENIAN": "Armn",
    "THAI": "Thai",
    "DEVANAGARI": "Deva",
    "ETHIOPIC": "Ethi",
    "MYANMAR": "Mymr",
    "KHMER": "Khmr",
    "TAMIL": "Taml",
    "BENGALI": "Beng",
}


def detect_script(text: str) -> str | None:
    """The ISO 15924 code of the script most of the letters are in; None without letters."""
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else None
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        first = unicodedata.name(char, "").split(" ", 1)[0]
        counts[_SCRIPTS.get(first, "Zyyy")] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]
