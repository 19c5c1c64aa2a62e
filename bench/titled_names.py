"""Names with a title of office, rank or faith, as news and letters write them: how many find their entity.

`bench/realworld/titled.tsv` holds names written for this project from public figures' titles
(President Putin, le président russe Vladimir Poutine, الرئيس بشار الأسد, 푸틴 대통령), each with the id
of the listed entity it names; none is a query of the real-world set. Each is screened at the
default threshold against the lists the benchmarks load; a name counts as found when its entity
is among the hits in the match band. An earlier version runs from its own source:

    .venv/bin/python bench/titled_names.py
    git archive b759c04 src | tar -x -C /tmp/v6 && PYTHONPATH=/tmp/v6/src .venv/bin/python bench/titled_names.py
"""

from __future__ import annotations

import csv
from pathlib import Path

from clearance.matching import ALGORITHM, Party, Screener
from clearance.matching.screener import Band
from party_devset import LISTS, load_entities

NAMES = Path(__file__).resolve().parent / "realworld" / "titled.tsv"


def main() -> None:
    rows = list(
        csv.DictReader((line for line in NAMES.open(encoding="utf-8") if not line.startswith("#")), delimiter="\t")
    )
    screener = Screener.build(load_entities(LISTS))
    found = 0
    for row in rows:
        hits = screener.screen(Party(row["name"]))
        score = next((h.score for h in hits if h.entity.id == row["expected"] and h.band is Band.MATCH), None)
        found += score is not None
        print(f"{'found' if score is not None else 'miss ':5} {score or 0.0:.3f}  {row['name']}")
    print(f"{ALGORITHM}: {found} of {len(rows)} titled names found at the default threshold")


if __name__ == "__main__":
    main()
