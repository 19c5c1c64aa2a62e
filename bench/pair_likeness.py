"""How alike the matcher finds a word written in another script and its Latin label, over the Wikidata pairs.

The real-world set's Wikidata queries write each word of a listed name as the commonest native label of that
word, so how often the matcher's reading of a native word comes back alike to the Latin word it stands for
bounds how many such queries can be found. Each token pair of `../shared/data/names` (CC0, read in place)
seen `--min-count` times or more, whose Latin word has four letters or more, is read as the second word of a
name beside a foreign family name (as the set writes names, so hangul is read as a loanword), and compared
with `similarity`; a pair counts, weighted by how often it was seen, when the likeness is 0.8 or more. The
peer beside it is anyascii's transliteration against the Latin word by rapidfuzz's ratio, at 80.

    .venv/bin/python bench/pair_likeness.py                      # arabic, hebrew, korean, katakana, chinese
    .venv/bin/python bench/pair_likeness.py --scripts hebrew --misses 30
"""

from __future__ import annotations

import argparse
import gzip
from collections import Counter

from anyascii import anyascii
from rapidfuzz import fuzz

from clearance.matching.index import form_tokens, query_tokens
from clearance.matching.names import analyze
from clearance.matching.similarity import query_token, similarity
from realworld_devset import NAMES

BESIDE = {"korean": "스미스 ", "katakana": "スミス・", "hebrew": "סמית' ", "arabic": "سميث ", "chinese": "史密斯·"}
"""A foreign family name (Smith) the word is read after: alone, a short word in hangul is read as Korean."""
ALIKE = 0.8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scripts", default=",".join(BESIDE), help=f"comma-separated, of {', '.join(BESIDE)}")
    parser.add_argument("--min-count", type=int, default=3, help="pairs seen at least this often")
    parser.add_argument("--misses", type=int, default=0, help="print this many of the commonest misses per script")
    args = parser.parse_args()
    scripts = args.scripts.split(",")
    seen: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    peer: Counter[str] = Counter()
    misses: dict[str, list[tuple[int, str, str, str]]] = {script: [] for script in scripts}
    with gzip.open(NAMES / "translit_token_pairs.tsv.gz", "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            script, latin, native, count = line.rstrip("\n").split("\t")
            if script not in scripts or int(count) < args.min_count or len(latin) < 4 or not latin.isalpha():
                continue
            read, listed = analyze(BESIDE[script] + native, False), analyze(latin, False)
            if len(read.tokens) != 2 or len(listed.tokens) != 1:
                continue
            word = query_tokens(read, lambda text, raw, abjad, reading: query_token(text, raw, abjad, False, reading))
            found = similarity(word[1], form_tokens(listed)[0])
            weight = int(count)
            seen[script] += weight
            if found is not None and found[0] >= ALIKE:
                ours[script] += weight
            else:
                misses[script].append((weight, native, word[1].text, latin))
            peer[script] += weight * (fuzz.ratio(anyascii(native).lower(), latin) >= 100 * ALIKE)
    print(f"{'script':<10} {'pairs seen':>11} {'clearance':>10} {'anyascii+rapidfuzz':>19}")
    for script in scripts:
        total = max(seen[script], 1)
        print(f"{script:<10} {seen[script]:>11,} {ours[script] / total:>10.1%} {peer[script] / total:>19.1%}")
    for script in scripts:
        for weight, native, reading, latin in sorted(misses[script], reverse=True)[: args.misses]:
            print(f"  {script} {weight:>4} {native} read {reading!r}, not {latin!r}")


if __name__ == "__main__":
    main()
