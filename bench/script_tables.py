"""Rebuild the matcher's script tables from the Wikidata name pairs (CC0), read in place from ../shared.

- `src/clearance/matching/data/script_words.csv`: whole name words written in Arabic, Hebrew,
  kana, hangul or Chinese characters, and the Latin spelling most often paired with each (kept
  where a word is paired eight times or more and that spelling makes at least three of them and
  half of all; words that translate a label's English words rather than spell a name are left out),
  and the other spellings paired with it at least three times and in a tenth of its pairs or more
  (스티븐: Stephen, and Steven).
- `src/clearance/matching/data/script_hanzi.csv`: Chinese characters as they are read in foreign
  names, learned by aligning each Latin name with its characters (Viterbi alignment, started from
  each character's pinyin and re-estimated four times), kept for characters seen ten times or more;
  an r the alignment gave a character before a consonant is left to the syllable before (丁 tin).
  `other`: a second reading, for a character seen fifty times or more, where one makes a fifth of
  its alignments or more and its consonants are others, l and r aside (吉 gi, and ji in Haji).

The tables are derived from token pairs aggregated over all the people in the pairs file, so the
real-world set's Wikidata queries (bench/realworld_devset.py) share their source: the benchmark
reports recall by origin, and its hand-gathered and cross-source queries are independent of it.

    .venv/bin/python bench/script_tables.py
"""

from __future__ import annotations

import collections
import gzip
import math
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from clearance.matching.phonetic import consonants

BENCH = Path(__file__).resolve().parent
PAIRS = BENCH.parents[1] / "shared" / "data" / "names" / "translit_token_pairs.tsv.gz"
DATA = BENCH.parent / "src" / "clearance" / "matching" / "data"
SCRIPTS = {"arabic": "arabic", "hebrew": "hebrew", "katakana": "kana", "japanese": "kana", "korean": "hangul"}
SCRIPTS["chinese"] = "hanzi"
NOT_NAMES = frozenset({"in", "of", "the", "on", "and", "i", "ii", "iii", "iv", "v", "x"})
"""Latin words a label's translation gives for a native word that is no name (من is "of")."""
OTHER_SHARE = 0.1
"""The share of a word's pairs another spelling must make to be kept beside the commonest (three pairs at least)."""
LONGEST_READING = 5
"""Most Latin letters one character may stand for in an alignment."""
ROUNDS = 4
OTHER_READING_SHARE = 0.2
"""The share of a character's alignments a second reading must make to be kept as its other reading."""
OTHER_READING_SEEN = 50
"""The alignments a character must have for a second reading to be kept."""

Pair = tuple[str, str, str, int]


def pairs() -> Iterator[Pair]:
    """(script, Latin letters only, native word, count) of every token pair."""
    with gzip.open(PAIRS, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            script, latin, native, count = line.rstrip("\n").split("\t")
            letters = re.sub(r"[^a-z]", "", anyascii(latin).lower())
            if letters and " " not in native:
                yield script, letters, native, int(count)


def words() -> list[tuple[str, str, str, int, int, str]]:
    """(script, word, Latin spelling, pairs agreeing, pairs, other spellings) of the words kept for
    `script_words.csv`, the other spellings commonest first."""
    spellings: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for script, latin, native, count in pairs():
        if script == "japanese" and not all(0x30A0 <= ord(c) <= 0x30FF for c in native):
            continue
        spellings[(SCRIPTS[script], native)][latin] += count
    rows = []
    for (script, native), found in spellings.items():
        total = sum(found.values())
        latin, top = found.most_common(1)[0]
        if latin not in NOT_NAMES and total >= 8 and top >= 3 and top * 2 >= total:
            others = [
                other
                for other, count in found.most_common()[1:]
                if count >= 3 and count >= OTHER_SHARE * total and other not in NOT_NAMES
            ]
            rows.append((script, native, latin, top, total, " ".join(others)))
    return sorted(rows)


def _alignment(latin: str, units: str, score: Callable[[str, str], float]) -> list[str] | None:
    """The Latin letters each character stands for, in the most likely split of `latin` (None: no split)."""
    worst = -1e18
    best = [[worst] * (len(latin) + 1) for _ in range(len(units) + 1)]
    back = [[0] * (len(latin) + 1) for _ in range(len(units) + 1)]
    best[0][0] = 0.0
    for i, unit in enumerate(units, 1):
        for j in range(len(latin) + 1):
            for k in range(max(0, j - LONGEST_READING), j + 1):
                if best[i - 1][k] > worst / 2:
                    value = best[i - 1][k] + score(unit, latin[k:j])
                    if value > best[i][j]:
                        best[i][j], back[i][j] = value, k
    if best[len(units)][len(latin)] <= worst / 2:
        return None
    found, j = [], len(latin)
    for i in range(len(units), 0, -1):
        k = back[i][j]
        found.append(latin[k:j])
        j = k
    return found[::-1]


def hanzi() -> list[tuple[str, str, int, int, str]]:
    """(character, reading, alignments giving it, alignments, other reading or "") for `script_hanzi.csv`."""
    names = [
        (latin, native, count)
        for script, latin, native, count in pairs()
        if script == "chinese"
        and all(0x3400 <= ord(c) <= 0x9FFF for c in native)
        and len(native) <= 12
        and len(latin) <= 4 * len(native) + 2
    ]
    pinyin: dict[str, str] = {}

    def prior(unit: str, chunk: str) -> float:
        reading = pinyin.setdefault(unit, re.sub(r"[^a-z]", "", anyascii(unit).lower()))
        return -1.5 * Levenshtein.distance(chunk, reading) - 0.3 * len(chunk) * (chunk == "")

    table: dict[str, collections.Counter[str]] = {}
    for _ in range(ROUNDS):

        def score(unit: str, chunk: str, learned: dict[str, collections.Counter[str]] = table) -> float:
            seen = learned.get(unit)
            if not seen:
                return prior(unit, chunk)
            return math.log((seen.get(chunk, 0) + 0.1 * math.exp(prior(unit, chunk))) / (sum(seen.values()) + 1))

        counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        for latin, native, count in names:
            split = _alignment(latin, native, score)
            for unit, chunk in zip(native, split or (), strict=False):
                counts[unit][chunk] += count
        table = counts
    rows = []
    for unit, seen in table.items():
        total = sum(seen.values())
        (reading, top), *second = seen.most_common(2)
        if total >= 10 and reading:
            # Chinese writes no r at a syllable's end: an r before a consonant is the syllable before's (馬丁 Martin).
            reading = re.sub(r"^r(?=[^aeiouyr])", "", reading)
            other = ""
            if total >= OTHER_READING_SEEN and second and second[0][1] >= OTHER_READING_SHARE * total:
                other = re.sub(r"^r(?=[^aeiouyr])", "", second[0][0])
                if not other or _heard(other) == _heard(reading):
                    other = ""
            rows.append((unit, reading, top, total, other))
    return sorted(rows, key=lambda row: -row[3])


def _heard(reading: str) -> str:
    """A reading's consonants, l and r one: Chinese characters write the two alike."""
    return consonants(reading.replace("l", "r"))


def write(path: Path, header: str, rows: list[tuple[object, ...]]) -> None:
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    lines = [*kept, header, *(",".join(map(str, row)) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(rows):,} rows", file=sys.stderr)


def main() -> None:
    write(DATA / "script_words.csv", "script,written,latin,pairs,of,others", list(words()))
    write(DATA / "script_hanzi.csv", "unit,reading,pairs,of,other", list(hanzi()))


if __name__ == "__main__":
    main()
