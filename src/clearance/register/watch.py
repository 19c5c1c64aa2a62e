"""Screening that also keeps what a later list update could turn into an alert: near misses and cut-off hits.

A subject's alerts can change without any key shared with a changed entity in two
ways a delta re-screening must see coming:

- a token's weight is its rarity among all listed names, so every update moves
  every score a little: a pair just under the threshold can cross it. The pairs
  scoring within `NEAR_MISS_MARGIN` below the threshold are kept (*near misses*);
- a subject with more hits than the limit reports only the best: an update that
  takes one of them away (a removal, a new candidate taking its candidate place)
  lets the next one in. The hits past the limit are kept too.

Subjects with either are screened again by every delta.

A removed entity can change the hits of a subject it was a candidate of: its place
among the best `candidate_limit` goes to the next entity, and if it was the best
candidate, the bar set relative to the best falls. It can do neither when the
subject's candidates were not cut by the limit (asking for one more candidate than
the limit finds none) and it was not the best one. So the screener also keeps, per
subject, whether the limit cut its candidates (*crowded*) and which entity was its
best candidate (*leader*).

`WatchingScreener.screen` gives exactly `Screener.screen`'s hits (the same
candidates, found with the same floor; the first `candidate_limit` of one more are
those of the limit; a test compares them on real names) and keeps the rest aside.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from clearance.matching.score import field_evidence
from clearance.matching.screener import Banded, Hit, Party, Screener, ranked, reach

NEAR_MISS_MARGIN = 0.05
"""How far below the threshold a pair is kept as a near miss. An update of a few entities in tens of thousands
of names moves a token's weight by hundredths of a percent, and a score by as little; 0.05 holds a weight
change of over 1 % (`clearance.register.rescreen.SETTLED`) with room to spare, and keeps the subjects watched
few (some 1 % of a synthetic base)."""

Watched = list[tuple[str, float]]
"""(entity id, score) pairs kept aside: near misses and hits past the limit."""


@dataclass(frozen=True)
class Screened:
    """What one party's screening keeps for the next delta."""

    watched: Watched
    crowded: bool
    """The candidate limit cut the party's candidates."""
    leader: str | None
    """The entity id of its best candidate."""


@dataclass(frozen=True)
class WatchingScreener(Screener):
    """A screener whose `screen` also keeps, in `watched`, each party's near misses, hits past the limit and
    candidate crowding, in the order screened (a party that cannot be screened adds nothing), for the caller to
    take as its records come."""

    margin: float = NEAR_MISS_MARGIN
    watched: deque[Screened] = field(default_factory=deque, compare=False, repr=False)

    @classmethod
    def of(cls, screener: Screener) -> WatchingScreener:
        return cls(
            screener.index, screener.version, screener.threshold, screener.candidate_limit, screener.review_threshold
        )

    def screen(
        self, party: Party, threshold: float | None = None, limit: int = 10, review_threshold: float | None = None
    ) -> list[Hit]:
        """`Screener.screen`'s hits; the pairs scoring within the margin below the threshold, and the hits past
        `limit`, are appended to `watched`."""
        asked = self.asked(party, threshold, review_threshold)
        query, dob, country, cutoff = asked.query, asked.dob, asked.country, asked.cutoff
        low = max(cutoff - self.margin, 0.0)
        # The candidates are found with the screener's own floor, so they are the same; only the names aligned
        # go lower, down to the near misses.
        lowest = 0.0 if asked.everything else reach(min(low, asked.lowest), *asked.facts)
        found_hits: list[Banded] = []
        near: Watched = []
        if party.identifiers:  # candidates by identifier come after those by name: no "one more" to ask for
            found = self.candidates_of(asked)
            crowded = True
        else:
            found = self.candidates_of(asked, self.candidate_limit + 1)
            crowded = len(found) > self.candidate_limit
            found = dict(list(found.items())[: self.candidate_limit])
        leader = self.index.facts[next(iter(found))].id if found else None
        for number, name_ids in found.items():
            value, name_id, aligned = self.best_name(query, name_ids, lowest)
            if value < lowest or name_id < 0:
                continue
            facts = self.index.facts[number]
            evidence = field_evidence(facts, party.kind, dob, country, party.identifiers)
            score = self._score(name_id, aligned, evidence)
            banded = self.band(query, asked.lone, name_id, aligned, evidence, value, score, (cutoff, asked.lowest))
            if banded is not None and value >= asked.least:  # the screener's own test
                found_hits.append(Banded(banded[1], facts.id, banded[0], name_id, aligned, evidence, banded[2]))
            elif score >= low:
                near.append((facts.id, score))
        hits = ranked(found_hits)
        self.watched.append(
            Screened(near + [(banded.entity_id, banded.score) for banded in hits[limit:]], crowded, leader)
        )
        return self.reported(query, hits[:limit])
