"""The facade: one object with a method per capability, over one home.

The CLI and the HTTP service call only this; they translate arguments and print or
serve what it returns. Domain decisions live here or below, never in a front end:
which two snapshots `diff` compares by default, when a list is stale, how a custom
watchlist is named, what counts as text. Settings are passed in once; nothing here
reads the environment.

    from clearance import Clearance, Party
    with Clearance.open(Path("~/clearance")) as app:
        app.update()
        print(app.screen(Party("Vladimir Putin")).model_dump_json(indent=2))
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from clearance.errors import ConflictError, InputError, NotFoundError, UnavailableError
from clearance.lists.diff import ListDiff
from clearance.lists.registry import OFFICIAL, SOURCES, get_source
from clearance.lists.update import LoadOptions, Progress, UpdateOutcome, load_path, update
from clearance.matching import Party, Screener
from clearance.matching.batch import party_of
from clearance.matching.designation import HITS_PER_DESIGNATION
from clearance.matching.persisted import Notify, stored_index
from clearance.matching.screener import checked
from clearance.model import Entity
from clearance.results import BatchRecord, ListVersionInfo, PartyQuery, PartyScreening, ScreeningFields, hit_results
from clearance.settings import Settings
from clearance.store import ListStore, LoadResult, Snapshot
from clearance.store.list_version import ListVersion

if TYPE_CHECKING:  # goods and text are imported by the methods that use them: a party screening needs neither
    from clearance.cases import Cases
    from clearance.export import ExportFormat
    from clearance.goods.codes import Nomenclature
    from clearance.goods.results import Classification, ShipmentScreening
    from clearance.goods.rules import RegimeDate
    from clearance.text import TextScreener
    from clearance.text.results import PaymentScreening, TextScreening

UpdateProgress = Callable[[str], Progress | None]
WARM_RECORDS_FROM = 20_000
"""Batches of this many rows or more decode every listed name and entity before the first row."""


class Freshness(StrEnum):
    """Whether a source's active list can be shown to be current."""

    CURRENT = "current"
    """The publisher's date is known and within the source's maximum age."""
    STALE = "stale"
    """The publisher's date is known and older than the maximum age."""
    UNDATED = "date unknown"
    """The file states no publication date, so nothing shows it is current."""
    MISSING = "not loaded"
    OWN = "own list"
    """A watchlist of one's own: its freshness is its owner's business."""


@dataclass(frozen=True)
class SourceStatus:
    """One source's active snapshot, its age, and whether it can be shown to be current."""

    source: str
    snapshot: Snapshot | None
    age: dt.timedelta | None
    """From the publisher's date; None when the file states none (or nothing is loaded)."""
    max_age: dt.timedelta
    freshness: Freshness
    bundled: bool = False
    """Compiled by the clearance project and shipped in the package: dated by the latest act it encodes."""

    @property
    def stale(self) -> bool:
        return self.freshness is Freshness.STALE

    def warning(self, expected: bool) -> str | None:
        """What a screening result says of this source, if anything."""
        name = self.source
        if self.freshness is Freshness.MISSING:
            return (
                f"{name} is not loaded: this screening does not cover it; run `clearance lists update {name}`"
                if expected
                else None
            )
        if self.freshness is Freshness.STALE and self.age is not None and self.bundled:
            return (
                f"{name} is as of {_day(self.snapshot)}, {self.age.days} d ago (more than {self.max_age.days} d): "
                "later acts are not in it; upgrade clearance"
            )
        if self.freshness is Freshness.STALE and self.age is not None:
            return (
                f"{name} is {self.age.days} d old (more than {self.max_age.days} d); "
                f"run `clearance lists update {name}`"
            )
        if self.freshness is Freshness.UNDATED:
            return (
                f"{name} states no publication date, so it cannot be shown to be current; run "
                f"`clearance lists update {name}`, or load it with --published DATE"
            )
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "snapshot": self.snapshot.to_json() if self.snapshot else None,
            "freshness": self.freshness.value,
            "stale": self.stale,
            "age_days": round(self.age.total_seconds() / 86400, 2) if self.age is not None else None,
            "max_age_days": self.max_age.total_seconds() / 86400,
            "bundled": self.bundled,
        }


def _day(snapshot: Snapshot | None) -> str:
    return snapshot.published.date().isoformat() if snapshot is not None and snapshot.published else "?"


def source_status(name: str, snapshot: Snapshot | None, max_age: dt.timedelta, now: dt.datetime) -> SourceStatus:
    """How current one source's active snapshot is, by its publisher's date alone."""
    known = SOURCES.get(name)
    bundled = known is not None and known.bundled is not None
    if snapshot is None:
        return SourceStatus(name, None, None, max_age, Freshness.MISSING, bundled)
    if known is None:
        return SourceStatus(name, snapshot, None, max_age, Freshness.OWN)
    age = snapshot.age(now)
    if age is None:
        return SourceStatus(name, snapshot, None, max_age, Freshness.UNDATED, bundled)
    return SourceStatus(name, snapshot, age, max_age, Freshness.STALE if age > max_age else Freshness.CURRENT, bundled)


class Clearance:
    """Lists, screening and goods over one store; safe to share between threads once opened."""

    def __init__(self, settings: Settings, notify: Notify | None = None, *, pinned: bool = False) -> None:
        """`pinned`: screen against the list version loaded first until `refresh` swaps in the active one.

        A long-running process (the service) pins: no request waits for an index to load or reads the
        store to learn the version, and each request finishes on the version it started with.
        """
        self.settings = settings
        self.notify = notify
        self.pinned = pinned
        self._local = threading.local()
        self._stores: list[ListStore] = []
        self._screener: Screener | None = None
        self._text: TextScreener | None = None
        self._nomenclature: Nomenclature | None = None
        self._fields: dict[float | None, tuple[float, weakref.ref[Screener], ScreeningFields]] = {}
        self._lock = threading.Lock()
        self._cases: Cases | None = None

    @classmethod
    def open(cls, home: Path, **settings: Any) -> Clearance:
        """A facade over the store in `home`; other settings as `Settings` names them, else their defaults."""
        return cls(Settings(home=home, **settings))

    def __enter__(self) -> Clearance:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            stores, self._stores = self._stores, []
            self._local = threading.local()
            cases, self._cases = self._cases, None
        for store in stores:
            store.close()
        if cases is not None:
            cases.close()

    @property
    def store(self) -> ListStore:
        """This thread's connection to the store; reading never creates one (a missing store is an error)."""
        return self._thread_store(create=False)

    def _writable_store(self) -> ListStore:
        """The store, created if there is none yet: only loading lists may do that."""
        return self._thread_store(create=True)

    def _thread_store(self, create: bool) -> ListStore:
        """One connection per thread: a SQLite connection's transactions must not interleave across threads."""
        store: ListStore | None = getattr(self._local, "store", None)
        if store is None:
            store = ListStore(self.settings.store_path, timeout=self.settings.lock_timeout, create=create)
            self._local.store = store
            with self._lock:
                self._stores.append(store)
        return store

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    # -- cases -------------------------------------------------------------------------

    @property
    def cases(self) -> Cases:
        """The case database of these settings (`cases.sqlite` in the home unless `database_url` names one),
        opened and migrated on first use: its workflow, recorder and audit trail."""
        from clearance.cases import Cases

        with self._lock:
            if self._cases is None:
                self._cases = Cases(self.settings, lambda pairs: self.store.record_digests(pairs))
            return self._cases

    def _record(self, kind: str, request: dict[str, Any], result: Any) -> None:
        """Record a screening in the case database when the settings say so; a screening that must be
        recorded and cannot be fails, rather than return a result nobody can later account for."""
        if self.settings.record:
            self.cases.recorder.record(kind, request, result)

    def at_version(self, snapshot_ids: dict[str, int]) -> Clearance:
        """A facade screening against exactly these kept snapshots (source -> snapshot id), recording nothing:
        a recorded screening replayed on the list version it had."""
        snapshots = []
        for source, snapshot_id in sorted(snapshot_ids.items()):
            snapshot = self.store.snapshot(snapshot_id)
            if snapshot.source != source:
                raise ConflictError(f"snapshot {snapshot_id} is of {snapshot.source}, not {source}")
            snapshots.append(snapshot)
        version = ListVersion(tuple(snapshots))
        then = Clearance(replace(self.settings, record=False), self.notify, pinned=True)
        then._screener = self._screener_of(version)
        return then

    # -- lists -------------------------------------------------------------------------

    def update(
        self, sources: Sequence[str] = (), progress: UpdateProgress | None = None, force: bool = False
    ) -> list[UpdateOutcome]:
        """Refresh sources (all when none are named) from the mirror or the publishers; then index them.

        A version that looks like a regression (far fewer entities, an older publication date) is
        stored but left inactive unless `force`; its outcome's `held` says why.
        """
        for name in sources:
            get_source(name)
        outcomes = update(self._writable_store(), list(sources), self.settings, progress, force=force)
        self._index()
        return outcomes

    def load(
        self,
        source: str,
        path: Path,
        name: str | None = None,
        progress: Progress | None = None,
        *,
        force: bool = False,
        published: dt.date | None = None,
    ) -> LoadResult:
        """Load one list version from a file or folder; `custom` with a `name` loads a watchlist of one's own.

        `published` states the publisher's date of a file that states none; `force` activates a version
        the regression guard would hold back, or re-activates files stored before.
        """
        if source == "custom":
            if not name:
                raise InputError("lists load custom: give the watchlist a name with --name")
            source = f"custom:{name}"
        elif name is not None:
            raise InputError("--name goes with `lists load custom` only")
        if published is not None and published > self.now().date():
            raise InputError(f"--published: {published.isoformat()} is in the future")
        stated = dt.datetime(published.year, published.month, published.day, tzinfo=dt.UTC) if published else None
        options = LoadOptions(force=force, max_shrink=self.settings.max_shrink, published=stated)
        result = load_path(self._writable_store(), get_source(source), path, progress=progress, options=options)
        self._index()
        return result

    def activate(self, snapshot_id: int) -> Snapshot:
        """Make a kept snapshot the active one of its source (a roll-back), and index the lists so."""
        snapshot = self.store.activate(snapshot_id)
        self._index()
        return snapshot

    def _index(self) -> None:
        """Keep the active lists' index now (unless it is kept already), so that screening finds it."""
        if self.store.active_snapshots():
            stored_index(self.store, ListVersion.active(self.store), self.notify)

    def status(self, sources: Sequence[str], max_age_days: float | None = None) -> list[SourceStatus]:
        """Per source (those named, and any other active one): its active snapshot, age and freshness."""
        settings = self.settings if max_age_days is None else replace(self.settings, max_age_days=max_age_days)
        active = self.store.active_snapshots()
        now = self.now()
        names = [*sources, *sorted(set(active) - set(sources))]
        return [source_status(name, active.get(name), settings.max_age(name), now) for name in names]

    def rules_dates(self) -> list[RegimeDate]:
        """Each bundled goods regime with the date of the latest act it reproduces: how current the rules are."""
        from clearance.goods.rules import regime_dates

        return regime_dates()

    def verify(self) -> list[str]:
        """Every fault in the store (SQLite's own check, every record and snapshot digest); empty when sound."""
        return self.store.verify()

    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        if source is not None:
            get_source(source)
        return self.store.snapshots(source)

    def entity(self, entity_id: str, snapshot_id: int | None = None) -> Entity:
        return self.store.entity(entity_id, snapshot_id)

    def diff(self, source: str, old: int | None = None, new: int | None = None) -> ListDiff:
        """What changed between two snapshots of a source; by default the one before the active, and the active."""
        get_source(source)
        if (old is None) != (new is None):
            raise InputError("diff takes both OLD and NEW snapshot ids, or neither")
        if old is None or new is None:
            snapshots = self.store.snapshots(source)
            active = next((s for s in snapshots if s.active), None)
            earlier = [s for s in snapshots if active is not None and s.id < active.id]
            if active is None or not earlier:
                raise ConflictError(f"{source}: fewer than two snapshots to compare; load another version first")
            old, new = earlier[-1].id, active.id
        return self.store.diff(old, new)

    def export(self, fmt: ExportFormat, out: IO[str], sources: Sequence[str] = ()) -> int:
        """Write the entities of the active snapshots (of some sources); returns how many."""
        from clearance.export import export

        for name in sources:
            get_source(name)
        return export(self.store.active_entities(list(sources) or None), fmt, out)

    # -- screening ---------------------------------------------------------------------

    def screener(self) -> Screener:
        """The party screener of the active list version: loaded once, reloaded when the lists change
        (or, pinned, when `refresh` says so)."""
        current = self._screener
        if self.pinned and current is not None:
            return current
        version = self._screenable_version()
        with self._lock:
            if self._screener is None or self._screener.version != version:
                self._screener = self._screener_of(version)
                self._text = None
            return self._screener

    @property
    def loaded(self) -> Screener | None:
        """The screener loaded now, without asking the store which version is active."""
        return self._screener

    def refresh(self) -> bool:
        """Swap in the active list version's screener if it is not the one screening now.

        The new index is opened (and its text screener built) before the swap, so requests never wait on
        it; a request that began before the swap keeps the screener it began with. Its key tables are not
        warmed into dictionaries: that costs some 80 MB per process, and the memos of a long-lived one
        come within 5 % of the speed within a few thousand queries. Returns whether it swapped.
        """
        version = self._screenable_version()
        current = self._screener
        if current is not None and current.version == version:
            return False
        screener = self._screener_of(version)
        with self._lock:
            self._screener = screener
            self._text = None
        self._text_screener()  # built now, off any request's path
        return True

    def _screener_of(self, version: ListVersion) -> Screener:
        """The party screener over a list version's kept index. It returns possible matches down to the settings'
        review threshold (the review band), the hits a recorded screening raises alerts from."""
        index = stored_index(self.store, version, self.notify)
        return Screener(index, version, review_threshold=self.settings.review_threshold)

    def _screenable_version(self) -> ListVersion:
        version = ListVersion.active(self.store)
        if not set(version.sources) & set(OFFICIAL):
            raise UnavailableError(
                f"no official list is loaded (only {', '.join(version.sources)}): a screening against these alone "
                "would look clean; run `clearance lists update`"
            )
        return version

    def _text_screener(self, threshold: float | None = None) -> TextScreener:
        """The text screener over the current party screener (one kept for the default threshold)."""
        from clearance.text import TextScreener

        screener = self.screener()
        if threshold is not None:
            return TextScreener(screener, threshold)
        with self._lock:
            if self._text is None or self._text.screener is not screener:
                self._text = TextScreener(screener)
            return self._text

    def _common(self, screener: Screener, threshold: float | None) -> ScreeningFields:
        """What every result records of how it was screened, and warnings of what it may have missed.

        Worked out at most once a second per screener and threshold (a sixth of a millisecond, which a
        service answering in one would feel); within a second neither a list's age, kept to a hundredth
        of a day, nor its freshness moves. `screened_at` is always now. The memo holds the screener
        weakly, so a swapped-out index is freed as soon as the last request on it ends.
        """
        key = threshold
        held = self._fields.get(key)
        clock = time.monotonic()
        if held is not None and held[1]() is screener and clock - held[0] < 1.0:
            return {**held[2], "screened_at": self.now()}
        fields = self._fields_now(screener, threshold)
        if len(self._fields) > 16:  # thresholds are the callers': keep a few
            self._fields.clear()
        self._fields[key] = (clock, weakref.ref(screener), fields)
        return fields

    def _fields_now(self, screener: Screener, threshold: float | None) -> ScreeningFields:
        now = self.now()
        version = screener.version
        loaded = {s.source: s for s in version.snapshots} if version else {}
        expected = self.settings.expected_sources
        names = [*expected, *sorted(set(loaded) - set(expected))]
        statuses = [source_status(name, loaded.get(name), self.settings.max_age(name), now) for name in names]
        return {
            "threshold": screener.threshold if threshold is None else threshold,
            "list_version": ListVersionInfo.of(version, now),
            "warnings": tuple(warning for status in statuses if (warning := status.warning(status.source in expected))),
            "screened_at": now,
        }

    def screening_fields(self, screener: Screener, threshold: float | None = None) -> ScreeningFields:
        """What a result a front end builds itself (the yente-compatible API's) must record of how it screened:
        the same fields, warnings included, as every result of this facade."""
        return self._common(screener, threshold)

    def screen(
        self, party: Party, threshold: float | None = None, limit: int = 10, *, review_threshold: float | None = None
    ) -> PartyScreening:
        """One party against the active lists; a bad query is refused before the index is loaded.

        Possible matches come back in the review band from `review_threshold` up (the settings' when None)."""
        checked(party)
        screener = self.screener()
        wanted = limit * HITS_PER_DESIGNATION  # one designation may be on several lists: one result
        hits = screener.screen(party, threshold=threshold, limit=wanted, review_threshold=review_threshold)
        result = PartyScreening(
            query=PartyQuery.of(party),
            hits=hit_results(hits, limit),
            review_threshold=screener.review_threshold if review_threshold is None else review_threshold,
            **self._common(screener, threshold),
        )
        request = {"party": result.query.model_dump(), "threshold": threshold, "limit": limit}
        if review_threshold is not None:
            request["review_threshold"] = review_threshold
        self._record("party", request, result)
        return result

    def screen_rows(
        self,
        rows: Iterable[tuple[int, dict[str, str] | InputError]],
        threshold: float | None = None,
        limit: int = 10,
        *,
        warm_records: bool | None = None,
        review_threshold: float | None = None,
    ) -> Iterator[BatchRecord]:
        """One record per row of `read_rows` (a list, or a stream from `InputFile.rows`), in order (see
        `_screen_rows`); recorded first when the settings say so, some hundreds of rows to a transaction.
        `warm_records` decodes every listed record first; by default, when `rows` is a list of
        `WARM_RECORDS_FROM` rows or more. `review_threshold`: as `screen`'s."""
        if warm_records is None:
            warm_records = isinstance(rows, Sized) and len(rows) >= WARM_RECORDS_FROM
        records = self._screen_rows(rows, threshold, limit, warm_records, review_threshold)
        if not self.settings.record:
            return records
        version = self.screener().version
        request: dict[str, Any] = {"threshold": threshold, "limit": limit}
        if review_threshold is not None:
            request["review_threshold"] = review_threshold
        return self.cases.recorder.rows(records, request, version)

    def _screen_rows(
        self,
        rows: Iterable[tuple[int, dict[str, str] | InputError]],
        threshold: float | None,
        limit: int,
        warm_records: bool,
        review_threshold: float | None = None,
    ) -> Iterator[BatchRecord]:
        """One record per row of `read_rows` (its line, its cells or why they cannot be read), in order: a row
        that cannot be read or screened gets its error, its line first, and the batch goes on."""
        screener = self.screener()
        # Key tables in dictionaries: a fraction of a second, repaid within a few hundred rows; every record
        # decoded first: some 5 s, repaid from about 20,000 rows on (see `NameIndex.warm`).
        screener.index.warm(records=warm_records)
        how = self._common(screener, threshold)
        yield from batch_records(screener, rows, how, threshold, limit, self.now, review_threshold=review_threshold)

    def screen_text(
        self, content: str | bytes, where: str = "text", goods: bool = True, threshold: float | None = None
    ) -> TextScreening:
        """Listed parties (and goods) named in a text; bytes must be UTF-8 text, never binary data."""
        from clearance.text.goods import named_goods
        from clearance.text.mentions import check_length
        from clearance.text.results import TextScreening

        text = decode_text(content, where) if isinstance(content, bytes) else content
        check_length(text, where)
        found = named_goods(text, hs_file=self.settings.hs_file) if goods else []
        screener = self._text_screener(threshold)
        result = TextScreening.of(text, screener.screen(text), found, **self._common(screener.screener, threshold))
        self._record("text", {"text": text, "where": where, "goods": goods, "threshold": threshold}, result)
        return result

    def report_text(
        self,
        content: str | bytes,
        where: str = "text",
        threshold: float | None = None,
        goods: bool = True,
        screening: TextScreening | None = None,
    ) -> str:
        """A text as an HTML page with the listed parties and goods it names marked, and what the lists and
        the goods rules say of them. Give the text's `screening` (from `screen_text`) to report it rather
        than screen the text again; `threshold` and `goods` then play no part."""
        from clearance.text.mentions import check_length
        from clearance.text.report import html_report

        text = decode_text(content, where) if isinstance(content, bytes) else content
        check_length(text, where)
        if screening is None:
            screening = self.screen_text(text, where, goods=goods, threshold=threshold)
        listed: dict[str, Entity] = {}
        for mention in [*screening.mentions, *screening.weak]:
            for hit in mention.hits:
                if hit.entity_id in listed:
                    continue
                try:
                    listed[hit.entity_id] = self.entity(hit.entity_id, hit.snapshot_id)
                except NotFoundError:  # a list version since dropped: the card keeps what the result says
                    continue
        return html_report(text, screening, f"Screening of {where}", listed)

    def screen_payment(self, message: Path | bytes, where: str = "payment") -> PaymentScreening:
        """An MT103 or pacs.008 message (a file, or its bytes named by `where`): its parties and BICs as
        parties, its free-text fields as text."""
        from clearance.text.payments import loads_payment, read_payment, screen_payment
        from clearance.text.results import PaymentScreening

        payment = read_payment(message) if isinstance(message, Path) else loads_payment(message, where)
        texts = self._text_screener()
        result = screen_payment(payment, texts.screener, texts)
        screening = PaymentScreening.of(payment, result, **self._common(texts.screener, None))
        if self.settings.record:
            data = message.read_bytes() if isinstance(message, Path) else message
            self._record(
                "payment", {"message": data, "where": str(message) if isinstance(message, Path) else where}, screening
            )
        return screening

    def screen_shipment(self, shipment: Path | bytes, where: str = "shipment") -> ShipmentScreening:
        """A shipment (a JSON or YAML file, or its bytes named by `where`): its parties, goods and route:
        prohibited, licence required, review or clear, with reasons."""
        from clearance.goods.results import ShipmentScreening
        from clearance.goods.screening import ShipmentScreener
        from clearance.goods.shipment import ShipmentError, loads_shipment, read_shipment

        if isinstance(shipment, Path):
            read = read_shipment(shipment)
        else:
            try:
                read = loads_shipment(shipment.decode("utf-8-sig"), where)
            except UnicodeDecodeError as exc:
                raise ShipmentError(f"{where}: not UTF-8 at byte {exc.start}") from None
        nomenclature = self.nomenclature()  # a bad file fails here, before the name index is loaded
        screener = self.screener()
        result = ShipmentScreener(screener, nomenclature=nomenclature).screen(read)
        screening = ShipmentScreening.of(result, **self._common(screener, None))
        if self.settings.record:
            data = shipment.read_bytes() if isinstance(shipment, Path) else shipment
            where = str(shipment) if isinstance(shipment, Path) else where
            self._record("shipment", {"shipment": data, "where": where}, screening)
        return screening

    def classify(self, description: str, limit: int = 5) -> Classification:
        """Likely HS-6 codes of a goods description, best first."""
        from clearance.goods.classify import classify
        from clearance.goods.results import Classification

        return Classification.of(description, classify(description, limit=limit, hs_file=self.settings.hs_file))

    def nomenclature(self) -> Nomenclature:
        from clearance.goods.codes import load_nomenclature

        if self._nomenclature is None:
            self._nomenclature = load_nomenclature(self.settings.hs_file)
        return self._nomenclature


def batch_records(
    screener: Screener,
    rows: Iterable[tuple[int, dict[str, str] | InputError]],
    how: ScreeningFields,
    threshold: float | None,
    limit: int,
    now: Callable[[], dt.datetime],
    *,
    review_threshold: float | None = None,
) -> Iterator[BatchRecord]:
    """The records of rows screened by `screener`, with the fields `how` says (`Clearance.screening_fields`).

    The one per-row path of every batch engine (this facade's, `clearance.spark`'s executors), so that they
    cannot differ: a row that cannot be read or screened gets its error, its line first, and the batch goes on.
    """
    version = screener.version.digest if screener.version is not None else None
    # Only when given: re-screening's `WatchingScreener.screen` takes no review threshold.
    review = {} if review_threshold is None else {"review_threshold": review_threshold}
    for line, row in rows:
        row_id = (row.get("id", "").strip() if isinstance(row, dict) else "") or f"line {line}"
        common = {
            "id": row_id,
            "threshold": how["threshold"],
            "review_threshold": screener.review_threshold if review_threshold is None else review_threshold,
            "list_version": version,
            "warnings": how.get("warnings", ()),
            "screened_at": now(),
        }
        try:
            if isinstance(row, InputError):
                raise row
            party = party_of(row)
            hits = screener.screen(party, threshold=threshold, limit=limit * HITS_PER_DESIGNATION, **review)
        except InputError as exc:
            yield BatchRecord(query=None, error=f"line {line}: {exc}", **common)
            continue
        yield BatchRecord(query=PartyQuery.of(party), hits=hit_results(hits, limit), **common)


def decode_text(data: bytes, where: str) -> str:
    """Text as UTF-8 (a byte order mark allowed), never binary data."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{where}: binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 text at byte {exc.start}") from None


__all__ = ["Clearance", "Freshness", "SourceStatus", "source_status"]
