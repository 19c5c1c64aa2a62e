"""Re-screening a register after a list update: only what can have changed, with the alerts a full run gives.

A list update changes a few entities; a register changes a few subjects between
loads. A delta re-screening screens in full, with the real screener over the whole
active index:

- every subject new or changed since it was last screened;
- every subject with a near miss or a hit past the limit at its last screening
  (`clearance.register.watch`): every update moves every score a little;
- every subject alerted on an entity removed, or among whose candidates an entity
  removed or a changed entity as it was stood (`Rescreen._candidate_of`, asked of
  the index screened before, of the subjects sharing a key with one,
  `clearance.register.keys`): a removal frees a candidate's place, and lets the
  next candidate in;
- every subject sharing a key with a token of an entity added, changed or removed
  since the last full screening whose standing in the index moved since then
  (`unsettled_keys`): its weight by more than `SETTLED`, or its spellings, abjad
  writing, plain or joined use, which decide how the subject reaches other
  entities holding that token;
- of the other subjects sharing a key with an entity added or changed (as it is),
  those with a pair that could reach the screener's floor against one of those
  entities (`Rescreen._reaching`): a few alignments each, with the active index.

Why skipping every other subject leaves its alerts as they were. Take a subject S
not new or changed, with no near miss and no hit past the limit, with no removed
entity among its candidates, sharing no key with an unsettled token, and scoring
below the floor against every entity added or changed. Its hits are decided by its
candidates (the best `candidate_limit` by an estimate), then its scores against
them, then the limit.

- Scores: against an entity neither added nor changed, S's score moves only by the
  weights of the tokens of both names. A weight is `log(1 + names / names holding
  the token)`; since the last full screening, tokens of no changed entity moved by
  the change in the number of names alone, at most its share (`SETTLED` bounds it,
  else the screening is full), and tokens of changed entities are settled or S
  shares no key with them. S was last screened at a version in between, so its
  weights then and now differ by at most 2 `SETTLED`. A score is a ratio of sums of
  weights, damped by the square root of one: weights within a factor (1 +- d) move
  it by at most some 3d, less than `NEAR_MISS_MARGIN`. S had no pair within the
  margin under the threshold, so no pair crosses it.
- Candidates: an entity added or changed enters S's candidates only through a
  shared key; scoring below the floor, it is no hit. It can take a candidate place
  (or raise the bar relative to the best candidate), so the candidates are those of
  before, less some, plus it: S's hits are among those it had, and since S had no
  hit past the limit, all of them were reported and alerted. An entity removed took
  no place among S's candidates: it was not one of them. Unsettled tokens (new
  spellings, abjad writings) are the only way the index's reach into other entities
  changes, and S shares none.
- So S's hits are among those it had: no new alert.

What is left is the estimate that ranks candidates: it moves with the weights too,
so a candidate at the edge of the `candidate_limit` could swap places with the next
one. That is not looked for; a periodic `--full` settles it (docs/register.md).

An entity changed only in fields screening does not read (`UNSCREENED_FIELDS`, such
as remarks) changes no score and blocks nothing. Of each subject screened, the hits
not alerted before are the new alerts; the register keeps them, so no pair is
alerted twice.

Alerts on entities no longer listed are not new alerts: they are dropped from the
register and counted (`delisted`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from clearance.errors import ConflictError, InputError, NotFoundError
from clearance.matching.algorithm import ALGORITHM, config_digest
from clearance.matching.batch import Row, party_of
from clearance.matching.index import IndexedName, NameIndex, indexed_tokens, kind_is_organization
from clearance.matching.names import analyze
from clearance.matching.persisted import Notify, stored_index
from clearance.matching.score import QueryName, align, combine, field_evidence, name_factor
from clearance.matching.screener import Band, Party, Screener, checked, reach, rounded
from clearance.model import Entity, PartialDate
from clearance.register.database import Register, bulk
from clearance.register.keys import entity_keys, token_keys, writings
from clearance.register.watch import NEAR_MISS_MARGIN, WatchingScreener
from clearance.results import BatchRecord, HitResult
from clearance.store import ListStore
from clearance.store.list_version import ListVersion

if TYPE_CHECKING:
    from clearance.app import Clearance

SETTLED = NEAR_MISS_MARGIN / 8
"""The most a token's weight may move, relatively, since the last full screening, for the near-miss band to
cover what it does to scores. A subject's scores were last worked out at some version in between: its weights
then and now are each within `SETTLED` of the full screening's, so within twice that of each other, and a score
moves by at most some three times its weights (see the module docstring): 6/8 of the margin. A token in one more
name of a hundred moves by some 0.2 %; the number of names growing by 0.6 % moves every weight by at most as
much."""

UNSCREENED_FIELDS = frozenset(
    {"remarks", "source_url", "programmes", "sub_list", "listed_on", "positions", "linked_to", "gender"}
)
"""Entity fields no part of party screening reads (a test keeps it so): a change to them alone changes no hit."""


@dataclass(frozen=True)
class ListChange:
    """The entities two list versions differ in, as screening sees them."""

    added: tuple[Entity, ...] = ()
    changed: tuple[tuple[Entity, Entity], ...] = ()
    """(as it was, as it is) for entities changed in a field screening reads."""
    removed: tuple[Entity, ...] = ()
    unscreened: int = 0
    """Entities changed only in `UNSCREENED_FIELDS`."""

    @property
    def now(self) -> list[Entity]:
        return [*self.added, *(after for _, after in self.changed)]

    @property
    def before(self) -> list[Entity]:
        return [*self.removed, *(before for before, _ in self.changed)]


def screened_alike(before: Entity, after: Entity) -> bool:
    """Whether two records of an entity give every query the same score."""
    return before.model_dump(exclude=set(UNSCREENED_FIELDS)) == after.model_dump(exclude=set(UNSCREENED_FIELDS))


def list_change(store: ListStore, before: ListVersion, after: ListVersion) -> ListChange:
    """What changed between two list versions, source by source (`ListStore.diff`); a source in one of them only
    is added or removed whole."""
    old, new = before.snapshot_ids, after.snapshot_ids
    added: list[Entity] = []
    changed: list[tuple[Entity, Entity]] = []
    removed: list[Entity] = []
    unscreened = 0
    for source in sorted(old.keys() | new.keys()):
        was, now = old.get(source), new.get(source)
        if was == now:
            continue
        if was is None:
            assert now is not None
            added.extend(store.entities(now))
        elif now is None:
            removed.extend(store.entities(was))
        else:
            diff = store.diff(was, now)
            added.extend(diff.added)
            removed.extend(diff.removed)
            for change in diff.changed:
                pair = (store.entity(change.entity_id, was), store.entity(change.entity_id, now))
                if screened_alike(*pair):
                    unscreened += 1
                else:
                    changed.append(pair)
    return ListChange(tuple(added), tuple(changed), tuple(removed), unscreened)


def entity_numbers(index: NameIndex, entities: Sequence[Entity]) -> list[int] | None:
    """The numbers of `entities` in `index`, found through the names holding every token of one of their names;
    None if one is not there."""
    numbers: list[int] = []
    for entity in entities:
        organization = kind_is_organization(entity.kind)
        tried: set[int] = set()
        for name in entity.names:  # one name that finds it is enough: an entity id has one number
            held = [index.names_of.get(token) for token in analyze(name.full, organization).signal]
            if not held or any(ids is None for ids in held):
                continue
            common = functools.reduce(_common, sorted(held, key=len))
            reached = {index.name_entity(int(i)) for i in common} - tried
            found = [number for number in sorted(reached) if index.facts[number].id == entity.id]
            if found:
                numbers.extend(found)
                break
            tried |= reached
        else:
            return None
    return numbers


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The name ids two postings share. Taken as sets (`assume_unique`: a name holding a token twice only adds a
    candidate, which the id check drops), since sorting their union afresh cost most of a delta's planning."""
    return np.intersect1d(a, b, assume_unique=True)


def unsettled_keys(entities: Sequence[Entity], old: NameIndex, new: NameIndex) -> set[str] | None:
    """The keys of the tokens of `entities` (those added, changed or removed since the last full screening, as
    they are and as they were) whose standing in the index moved from `old` (the last full screening's) to `new`
    beyond what the near-miss band covers: a weight by more than `SETTLED`, the spellings recorded, the
    writing in an abjad, the use as a plain token, a joined pair's weight. None when the number of names alone
    moves every weight by more than `SETTLED`, or the single letters indexed differ (they are numbered)."""
    if abs(len(new.names) / max(len(old.names), 1) - 1) > SETTLED:
        return None
    tables = [
        (
            index,
            index.tables.strings("spellings"),
            index.tables.key_set("abjad"),
            index.tables.key_set("plain"),
            index.tables.floats("joined_weight"),
        )
        for index in (old, new)
    ]
    if set(old.tables.ids("letters")) != set(new.tables.ids("letters")):
        return None

    def moved(a: float | None, b: float | None) -> bool:
        return (a is None) != (b is None) or (a is not None and b is not None and abs(b / a - 1) > SETTLED)

    keys: set[str] = set()
    own = writings([old, new])
    for entity in entities:
        organization = kind_is_organization(entity.kind)
        for name in entity.names:
            form = analyze(name.full, organization)
            noise = [token for token, noisy in zip(form.tokens, form.noise, strict=True) if noisy]
            tokens = [*indexed_tokens(form.signal), *noise]
            for token in tokens:
                (i, spell_i, abjad_i, plain_i, joined_i), (j, spell_j, abjad_j, plain_j, joined_j) = tables
                if (
                    moved(i.weight(token), j.weight(token))
                    or moved(joined_i.get(token), joined_j.get(token))
                    or spell_i.get(token, ()) != spell_j.get(token, ())
                    or (token in abjad_i) != (token in abjad_j)
                    or (token in plain_i) != (token in plain_j)
                ):
                    keys |= token_keys(token, own)
    return keys


@dataclass
class RescreenReport:
    """What a re-screening screened and found."""

    full: bool
    why: str
    """Why the whole register was screened, or what the delta screening covered."""
    list_version: str
    subjects: int
    screened: int = 0
    due: int = 0
    """Subjects new or changed since their last screening."""
    sharing: int = 0
    """Subjects whose names look up a key of an entity added, changed or removed."""
    watched: int = 0
    """Subjects with a near miss or a hit past the limit at their last screening."""
    reaching: int = 0
    """Subjects sharing a key only with entities added or changed, and whose pair with one could reach the floor."""
    displaced: int = 0
    """Subjects among whose candidates an entity removed (or changed, as it was) was at their last screening: its
    place may go to another."""
    added: int = 0
    changed: int = 0
    removed: int = 0
    unscreened_changes: int = 0
    new_alerts: int = 0
    subjects_with_new_alerts: int = 0
    delisted: int = 0
    """Alerts dropped because their entity is no longer listed."""
    errors: int = 0
    screened_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


def alerting(hit: HitResult) -> list[tuple[str, str, float]]:
    """The list entries of a designation's result that raise alerts, as (entity id, source, score): the lead and
    each other list's entry of it, but for partial-name hits, which never do (as in the case workflow)."""
    entries = [
        (hit.entity_id, hit.source, hit.score, hit.band),
        *((o.entity_id, o.source, o.score, o.band) for o in hit.also),
    ]
    return [(entity, source, score) for entity, source, score, band in entries if band != Band.PARTIAL]


class Rescreen:
    """One re-screening: planned on creation, `run` screens and writes the new alerts, `commit` keeps them.

    Nothing is kept until `commit`: call it once the output is complete, so that alerts a failed write lost
    are alerted again next time rather than never.
    """

    def __init__(
        self,
        clearance: Clearance,
        register: Register,
        threshold: float | None = None,
        limit: int = 10,
        full: bool = False,
        notify: Notify | None = None,
    ) -> None:
        self.clearance = clearance
        self.register = register
        self.threshold = threshold
        self.limit = limit
        screener = clearance.screener()  # no official list loaded: refused here, before anything is screened
        assert screener.version is not None
        self.version = screener.version
        self.cutoff = screener.threshold if threshold is None else threshold
        self.settings = {
            "threshold": self.cutoff,
            "limit": limit,
            "algorithm": ALGORITHM,
            "config": config_digest(),
        }
        self.report = RescreenReport(full=True, why="", list_version=self.version.digest, subjects=len(register))
        self.ids: list[str] | None = None
        """The subjects to screen; None: every one."""
        self._before: ListVersion | None = None
        self._last_full: ListVersion | None = None
        why = "asked for (--full)" if full else self._full_because()
        if why is None:
            self._plan_delta(clearance.store, notify)
        else:
            self.report.why = why
        self._new: list[tuple[str, str, str, float]] = []
        self._watch: list[tuple[str, str, float]] = []
        self._lead: list[tuple[str, str, str]] = []
        self._screened: list[str] = []

    def _full_because(self) -> str | None:
        last = self.register.meta("screened")
        if last is None:
            return "first screening of this register"
        for key, value in self.settings.items():
            if last.get(key) != value:
                return f"the {key} differs from the last screening's ({last.get(key)!r}, now {value!r})"
        try:
            snapshots = tuple(self.clearance.store.snapshot(i) for _, i in sorted(last["snapshots"].items()))
        except NotFoundError:
            return "the list version last screened against is no longer in the store"
        self._before = ListVersion(snapshots)
        last_full = self.register.meta("last_full") or {}
        try:
            full = tuple(self.clearance.store.snapshot(i) for _, i in sorted(last_full["snapshots"].items()))
        except (KeyError, NotFoundError):
            return "the list version of the last full screening is not in the store (the drift is measured from it)"
        self._last_full = ListVersion(full)
        return None

    def _plan_delta(self, store: ListStore, notify: Notify | None) -> None:
        assert self._before is not None
        change = list_change(store, self._before, self.version)
        due = self.register.due_ids()
        report = self.report
        report.full = False
        report.due = len(due)
        report.added, report.changed, report.removed = len(change.added), len(change.changed), len(change.removed)
        report.unscreened_changes = change.unscreened
        if not (change.now or change.before):
            self.ids = sorted(due)
            report.why = f"{len(due):,} new or changed subjects; no entity added, changed or removed"
            return
        screener = self.clearance.screener()
        new = screener.index
        old = stored_index(store, self._before, notify)
        assert self._last_full is not None
        if self._last_full.digest == self._before.digest:
            since, reference = change, old
        else:  # every entity changed since the last full screening, against its index
            since, reference = list_change(store, self._last_full, self.version), stored_index(store, self._last_full)
        unsettled = unsettled_keys([*since.now, *since.before], reference, new)
        if unsettled is None:
            self.ids = None
            report.full = True
            report.why = "the update moved every token's weight by more than the near-miss band covers"
            return
        pairs = self.register.watched()
        cutoff = self.cutoff
        watched = {subject for subject, kept in pairs.items() if any(score >= cutoff for _, score in kept)}
        gone = [entity.id for entity in change.before]
        settled_not = self.register.sharing(unsettled)
        sharing = self.register.sharing(entity_keys(change.now, new))
        crowded = self.register.sharing(entity_keys(change.before, old)) - self.register.uncrowded(gone)
        removed = self._candidate_of(
            sorted(crowded - due - watched - settled_not), change.before, replace(screener, index=old)
        )
        report.displaced = len(removed)
        removed |= self.register.alerted_on(entity.id for entity in change.removed)
        # An entry added, changed or removed joins or leaves the designation of entries a subject is alerted on,
        # and with it that subject's result (`Hit.listed_with`).
        together = new.listed_together(e.id for e in change.now) | old.listed_together(e.id for e in change.before)
        removed |= self.register.alerted_on(together)
        full = due | watched | removed | settled_not
        reaching = self._reaching(sorted(sharing - full), change.now, screener)
        near = {subject: kept for subject, kept in pairs.items() if subject not in full | reaching}
        crossing = self._crossing(near, screener)
        self.ids = sorted(full | reaching | crossing)
        report.sharing, report.watched, report.reaching = len(sharing | crowded), len(pairs), len(reaching)
        report.why = (
            f"{len(due):,} new or changed subjects, {len(watched):,} with hits past the limit, {len(crossing):,} of"
            f" {len(near):,} with near misses only whose near miss could now cross the threshold, "
            f"{len(removed):,} of {len(crowded):,} sharing a key with the {len(change.removed)} removed entities (or "
            f"changed ones as they were) that were among their candidates, {len(settled_not):,} a key of a token "
            f"whose weight or spellings moved, and {len(reaching):,} of {len(sharing - full):,} sharing a key with "
            f"the {len(change.added)} added and {len(change.changed)} changed entities that could score against one"
        )

    def _candidate_of(self, ids: Sequence[str], entities: Sequence[Entity], screener: Screener) -> set[str]:
        """The subjects among whose candidates one of `entities` (removed, or changed as they were) is, with
        `screener` over the index last screened against: the others' candidates are the same without them."""
        if not ids:
            return set()
        numbers = entity_numbers(screener.index, entities)
        if numbers is None:
            return set(ids)
        wanted = set(numbers)
        found: set[str] = set()
        # The candidates depend on the name, the kind, the year of birth and the country: customers share them.
        among: dict[tuple[str, bool | None, int | None, str | None, float], bool] = {}
        for rows in self.register.subjects_rows(ids):
            for _, row in rows:
                assert isinstance(row, dict)
                try:
                    party = party_of(row)
                    asked = screener.asked(party, self.threshold)
                except InputError:
                    found.add(row["id"])
                    continue
                year = asked.dob.year if asked.dob is not None else None
                shape = (party.name or "", kind_is_organization(party.kind), year, asked.country, asked.floor)
                candidate = among.get(shape)
                if candidate is None:
                    candidate = among[shape] = not wanted.isdisjoint(screener.candidates_of(asked))
                if candidate:
                    found.add(row["id"])
        return found

    def _crossing(self, near: dict[str, list[tuple[str, float]]], screener: Screener) -> set[str]:
        """The subjects one of whose near misses could now reach the threshold: its best score over all the
        entity's names (screening scores a few of them, so no less), with the active index."""
        if not near:
            return set()
        index = screener.index
        snapshots = self.version.snapshot_ids
        numbers: dict[str, list[int] | None] = {}
        found: set[str] = set()
        # Customers share names and often the other fields too: each query is made, and each pair scored, once.
        queries: dict[tuple[str, bool | None], QueryName] = {}
        best: dict[tuple[str, Party, int], float] = {}
        for rows in self.register.subjects_rows(sorted(near)):
            for _, row in rows:
                assert isinstance(row, dict)
                ident = row["id"]
                try:
                    party = party_of(row)
                    name, dob, country = checked(party)
                except InputError:
                    found.add(ident)
                    continue
                shape = (name, kind_is_organization(party.kind))
                query = queries.get(shape)
                if query is None:
                    query = queries[shape] = screener.query(analyze(*shape), shape[1] is False)
                for entity_id, _ in near[ident]:
                    if entity_id not in numbers:
                        snapshot = snapshots.get(entity_id.split(":", 1)[0])
                        try:
                            entity = self.clearance.store.entity(entity_id, snapshot) if snapshot else None
                        except NotFoundError:
                            entity = None
                        numbers[entity_id] = None if entity is None else entity_numbers(index, [entity])
                    held = numbers[entity_id]
                    if held is None:  # not found (delisted, or an id of another form): screen to be sure
                        found.add(ident)
                        break
                    for number in held:
                        pair = (name, replace(party, name=""), number)
                        score = best.get(pair)
                        if score is None:
                            score = best[pair] = self._best(screener, query, number, party, dob, country)
                        if score >= self.cutoff:
                            break
                    else:
                        continue
                    found.add(ident)
                    break
        return found

    @staticmethod
    def _best(
        screener: Screener, query: QueryName, number: int, party: Party, dob: PartialDate | None, country: str | None
    ) -> float:
        """A party's best score against one entity over all its names, as `Screener.hit` scores a pair (without
        the explanation)."""
        index = screener.index
        evidence = field_evidence(index.facts[number], party.kind, dob, country, party.identifiers)
        best = 0.0
        for name_id in index.entity_names(number):
            aligned = align(query, index.names[name_id]) if query.tokens else None
            name_score = aligned.score if aligned is not None else 0.0
            best = max(best, rounded(combine(name_score, index.names[name_id].quality, evidence)))
        return best

    def _reaching(self, ids: Sequence[str], entities: Sequence[Entity], screener: Screener) -> set[str]:
        """The subjects whose pair with one of `entities` could reach the screener's floor (`value >= floor` in
        `Screener.screen`, scored with the active index as there): the others cannot get a hit on them."""
        if not ids:
            return set()
        index = screener.index
        numbers = entity_numbers(index, entities)
        if numbers is None:
            return set(ids)
        names = [index.names[i] for number in numbers for i in index.entity_names(number)]
        listed = [(name, name_factor(name.name.quality)) for name in names]
        found: set[str] = set()
        # Whether a pair can reach the floor depends on the name, the kind and which other fields are given:
        # customers share names, so each name is aligned once, as far as the least floor any fields give.
        lowest = min(reach(self.cutoff, dob, country) for dob in (False, True) for country in (False, True))
        best: dict[tuple[str, bool | None], float] = {}
        for rows in self.register.subjects_rows(ids):
            for _, row in rows:
                assert isinstance(row, dict)  # the register's rows are read and checked at load
                try:
                    party = party_of(row)
                    name, dob, country = checked(party)
                except InputError:
                    found.add(row["id"])  # screened, so that its error is written as a full run writes it
                    continue
                shape = (name, kind_is_organization(party.kind))
                value = best.get(shape)
                if value is None:
                    value = best[shape] = self._best_of(screener, shape, listed, lowest)
                if value >= reach(self.cutoff, dob is not None, country is not None):
                    found.add(row["id"])
        return found

    @staticmethod
    def _best_of(
        screener: Screener,
        shape: tuple[str, bool | None],
        listed: Sequence[tuple[IndexedName, float]],
        least: float,
    ) -> float:
        """A query's (name, organisation or not) best name score against the `listed` names (each with its quality's
        factor), when it reaches `least`; else less (0 when no pair does)."""
        form = analyze(*shape)
        if not form.signal or not form.tokens:  # no candidate, no score: no hit
            return 0.0
        query = screener.query(form, shape[1] is False)
        best = 0.0
        for name_of, factor in listed:
            aligned = align(query, name_of, max(least, best / factor))
            if aligned is not None:
                best = max(best, aligned.score * factor)
        return best

    def _chunks(self) -> Iterator[list[Row]]:
        if self.ids is None:
            yield from self.register.subjects_rows()
        elif self.ids:
            yield from self.register.subjects_rows(self.ids)

    def run(self, write: Callable[[BatchRecord], None]) -> RescreenReport:
        """Screen the planned subjects; write one record per subject with new alerts, holding those alone.

        Each subject is screened as `clearance screen-batch` screens a row (`batch_records`), by a screener that
        also keeps its near misses and hits past the limit (`WatchingScreener`), for the next delta.
        """
        from clearance.app import WARM_RECORDS_FROM, batch_records  # the facade imports the register

        known = self.register.alerts()
        report = self.report
        screener = self.clearance.screener()
        watching = WatchingScreener.of(screener)
        fields = self.clearance.screening_fields(screener, self.threshold)
        screener.index.warm(records=self.ids is None or len(self.ids) >= WARM_RECORDS_FROM)
        for rows in self._chunks():
            records = batch_records(watching, rows, fields, self.threshold, self.limit, self.clearance.now)
            if self.clearance.settings.record:
                settings = {"threshold": self.threshold, "limit": self.limit}
                records = self.clearance.cases.recorder.rows(records, settings, screener.version)
            for record in records:
                if record.list_version != self.version.digest:
                    raise ConflictError("the active lists changed during the re-screening; run it again")
                report.screened += 1
                self._screened.append(record.id)
                if record.error is not None:
                    report.errors += 1
                    write(record)
                    continue
                kept = watching.watched.popleft()
                self._watch.extend((record.id, entity, score) for entity, score in kept.watched)
                if len(record.hits) >= self.limit:  # designations past the limit are not reported: watch it
                    last = record.hits[-1]
                    self._watch.append((record.id, last.entity_id, last.score))
                self._lead.append((record.id, "1" if kept.crowded else "0", kept.leader or ""))
                fresh = [
                    (hit, entries)
                    for hit in record.hits
                    if (entries := [entry for entry in alerting(hit) if (record.id, entry[0]) not in known])
                ]
                if not fresh:
                    continue
                report.subjects_with_new_alerts += 1
                for _, entries in fresh:
                    report.new_alerts += len(entries)
                    self._new.extend((record.id, *entry) for entry in entries)
                write(record.model_copy(update={"hits": tuple(hit for hit, _ in fresh)}))
        return report

    def commit(self) -> RescreenReport:
        """Keep the new alerts, drop those on delisted entities, and record the list version screened against."""
        report = self.report
        delisted = self._delisted()
        with self.register.transaction() as db:
            if self._new:
                bulk(db, "found", ("subject", "entity_id", "source", "score"), self._new)
                db.execute(
                    "INSERT INTO alerts SELECT subject, entity_id, source, CAST(score AS DOUBLE), ?, ? FROM found",
                    [self.version.digest, report.screened_at],
                )
                db.execute("DROP TABLE found")
            if delisted:
                bulk(db, "gone", ("entity_id",), ([entity] for entity in delisted))
                found = db.execute(
                    "SELECT count(*) FROM alerts WHERE entity_id IN (SELECT entity_id FROM gone)"
                ).fetchone()
                report.delisted = int(found[0]) if found else 0
                db.execute("DELETE FROM alerts WHERE entity_id IN (SELECT entity_id FROM gone)")
                db.execute("DROP TABLE gone")
            if report.full:
                db.execute("DELETE FROM watch")
                db.execute("DELETE FROM lead")
            elif self._screened:
                bulk(db, "again", ("subject",), ([ident] for ident in self._screened))
                db.execute("DELETE FROM watch WHERE subject IN (SELECT subject FROM again)")
                db.execute("DELETE FROM lead WHERE subject IN (SELECT subject FROM again)")
                db.execute("DROP TABLE again")
            if self._lead:
                bulk(db, "led", ("subject", "crowded", "leader"), self._lead)
                db.execute("INSERT INTO lead SELECT subject, crowded = '1', nullif(leader, '') FROM led")
                db.execute("DROP TABLE led")
            if self._watch:
                bulk(db, "near", ("subject", "entity_id", "score"), self._watch)
                db.execute("INSERT INTO watch SELECT subject, entity_id, CAST(score AS DOUBLE) FROM near")
                db.execute("DROP TABLE near")
            db.execute("UPDATE subjects SET screened = digest WHERE screened IS DISTINCT FROM digest")
            screened = {
                **self.settings,
                "list_version": self.version.digest,
                "snapshots": self.version.snapshot_ids,
                "at": report.screened_at,
            }
            self.register.set_meta(db, "screened", screened)
            self.register.set_meta(db, "last_rescreen", report.to_json())
            if report.full:  # what the rarity drift a delta leaves alone is settled as of
                last_full = {
                    "list_version": self.version.digest,
                    "snapshots": self.version.snapshot_ids,
                    "at": report.screened_at,
                }
                self.register.set_meta(db, "last_full", last_full)
        return report

    def _delisted(self) -> list[str]:
        """Entities alerted on that the active list version no longer holds."""
        snapshots = self.version.snapshot_ids
        alerted = self.register.db.execute("SELECT DISTINCT entity_id, source FROM alerts").fetchall()
        pairs = [(snapshots[source], entity) for entity, source in alerted if source in snapshots]
        listed = self.clearance.store.record_digests(pairs)
        return sorted(
            entity for entity, source in alerted if source not in snapshots or (snapshots[source], entity) not in listed
        )
