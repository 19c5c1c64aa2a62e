"""Common words of the languages texts are written in, which a one-word listed name may also be.

`TRUTH`, `EQUALITY` and `ARSENAL` are listed names, and everyday words: written
alone in a text, such a word is a weak candidate, not a hit, while `Sberbank`
or `Gazprombank` alone is a mention. Common means frequent in general text:
at least once in 10,000 words (Zipf 4) in one of the Latin-script languages
below, once in 30,000 (Zipf 4.5) in a Cyrillic or Arabic-script one, whose
press names its own banks and companies as often as that.

The list ships with the package, built from the word frequencies of wordfreq
(https://github.com/rspeer/wordfreq, data CC BY-SA 4.0) by
`python -m clearance.text.common` with wordfreq installed; the data file is
under the same licence, with that attribution.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib.resources import files
from pathlib import Path

from clearance.matching.normalize import tokens as normalized_tokens
from clearance.matching.phonetic import canonical

DATA = "data/common_words.txt"
LATIN = "en de fr es it pt nl pl cs sk sl sh hu ro sv da nb fi tr lt lv id ca".split()
OTHER = "ru uk bg mk ar fa".split()


@cache
def common_words() -> frozenset[str]:
    """Common words as the screener's tokens: normalised and in canonical spelling."""
    text = files("clearance.text").joinpath(DATA).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def build(path: Path) -> int:
    """Write the list from wordfreq's frequencies; returns the number of words written."""
    from wordfreq import iter_wordlist, zipf_frequency

    found: set[str] = set()
    for languages, floor in ((LATIN, 4.0), (OTHER, 4.5)):
        for language in languages:
            for word in iter_wordlist(language, "best"):
                if zipf_frequency(word, language) < floor:
                    break
                found.update(canonical(token) for token in normalized_tokens(word) if len(token) > 1)
    header = [
        "# Common words (clearance.text.common): wordfreq word frequencies, https://github.com/rspeer/wordfreq,",
        "# data licensed CC BY-SA 4.0; this list is derived from it and under the same licence.",
        f"# Zipf >= 4.0 in {' '.join(LATIN)}; >= 4.5 in {' '.join(OTHER)}; normalised, canonical spelling.",
    ]
    path.write_text("\n".join(header + sorted(found)) + "\n", encoding="utf-8")
    return len(found)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("data") / "common_words.txt"
    print(f"{build(target):,} words written to {target}")
