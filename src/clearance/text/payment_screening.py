"""Screening a payment message read by `text/payments.py`: its parties as parties, its free text as text.

A party field is screened by its name (an MT name wrapped over two lines is joined), by each of its
name and address lines on its own, and by its BIC as an identifier (with its first eight letters: lists
often carry a bank's BIC8 alone). A free-text field goes through the text screener. That one is made for
prose, where a lone word common among listed names is no mention: SBERBANK is a word of some 200 listed
names, so "PAYMENT VIA SBERBANK" names no one to it. So each run of name words a free-text field holds
outside the text screener's mentions is also screened as a party name, and a word that is by itself the
whole of some listed name (SBERBANK, ROSNEFT) on its own. A party field whose name or line was cut to the
length screening takes (a `length` anomaly) is screened as text as well, so a listed name inside what is
left of it is still found.

Hits are grouped by designation (`matching/designation.py`): an OFAC record on the SDN list, the
consolidated list and in the CSL is one finding carrying every list entry of it, and so is a UN designation
with the UK's and OFAC's entries of it. A finding is *partial* when only part
of a field found it (an address line, a word run that is not a listed name whole, a surname alone): it
calls for review, not for the list's own decision.

The message's decision is `hit` when any finding is whole, `possible` when there are only partial ones
or an anomaly that may hide a party (`Anomaly.review`), `clean` otherwise. Screenings are remembered for
the life of the text screener they run on, which is one list version: payments name the same customers
and banks day after day.

On a message never seen, the party matcher is most of the time (some 0.4 ms a name). The rest is kept
from repeating work: a BIC no list carries is not screened (the index says so in one look-up), and what
the index says of a single word (the listed names holding it, whether one is that word alone), which
decides whether an address line or a remittance word is screened at all, is remembered per index
(`Vocabulary`), as addresses and remittance lines are made of the same few thousand words. Reading and
screening make no reference cycles, so the cycle collector is paused meanwhile (`gc_paused`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from clearance.gcpause import gc_paused
from clearance.matching import Hit, Party, Screener
from clearance.matching.designation import designations
from clearance.matching.index import NameIndex
from clearance.matching.normalize import strip_control
from clearance.memo import memoised
from clearance.model import MAX_NAME_LENGTH, EntityKind
from clearance.text.mentions import SEED_WEIGHT, TextResult, TextScreener
from clearance.text.payments import Payment, PaymentParty, PaymentText, bic_identifiers
from clearance.text.tokens import GLUE, Token, tokenize

HITS_PER_QUERY = 20
"""Hits asked for per screening: one OFAC designation alone is up to four list entries."""
QUERY_MEMO = 50_000
"""Party screenings remembered per list version (names, lines, word runs, BICs)."""
WORD_MEMO = 50_000
"""Words whose listed names are remembered per index: the words of addresses and remittances recur."""
TEXT_MEMO = 10_000
"""Free texts remembered per list version: remittance lines repeat ("SALARY", "INVOICE ...")."""
MAX_RUN_WORDS = 5
"""Longest word run screened whole; in a longer one, its words that are a listed name alone still are."""
_STOP = GLUE | frozenset(
    "via per re payment payments pay paid invoice invoices inv ref reference contract order fee fees transfer "
    "salary rent purchase acc account bnf ins rfb narr tsu end user".split()
)
"""Words that end a run: remittance vocabulary is no part of a name ("PAYMENT VIA SBERBANK")."""


class Decision(StrEnum):
    HIT = "hit"
    """A whole name, BIC or mention of a listed party, at or above the threshold."""
    POSSIBLE = "possible"
    """Only partial findings, or an anomaly that may hide a party: for review."""
    CLEAN = "clean"


@dataclass(frozen=True)
class Finding:
    """One designation a field may name, with every list entry of it that hit."""

    designation: str
    """`ofac:N` for OFAC record N on any of its lists, else the list entry's own id."""
    hits: tuple[Hit, ...]
    """One per list entry, best first."""
    query: str
    """What was screened: the name, a line, a word run, a mention as written, a BIC."""
    via: str
    """`name`, `line 2`, `BIC`, `mention`, `weak mention`, `word run`, `word`."""
    partial: bool

    @property
    def score(self) -> float:
        return self.hits[0].score


@dataclass(frozen=True)
class PartyResult:
    party: PaymentParty
    findings: tuple[Finding, ...]

    @property
    def hits(self) -> tuple[Hit, ...]:
        return tuple(hit for finding in self.findings for hit in finding.hits)


@dataclass(frozen=True)
class TextFieldResult:
    text: PaymentText
    result: TextResult
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PaymentResult:
    payment: Payment
    parties: tuple[PartyResult, ...]
    texts: tuple[TextFieldResult, ...]
    decision: Decision
    algorithm: str
    snapshots: dict[str, int] = field(default_factory=dict)

    @property
    def hit(self) -> bool:
        return self.decision is Decision.HIT


@dataclass(frozen=True)
class _Found:
    hit: Hit
    query: str
    via: str
    partial: bool


class PaymentScreener:
    """Screens payment messages on one text screener (and so one party screener and list version).

    Holds its text screener weakly: `payment_screener` keeps one per text screener, and it goes with it.
    """

    def __init__(self, texts: TextScreener) -> None:
        self._texts = weakref.ref(texts)
        self.screener: Screener = texts.screener
        self._words = vocabulary(texts.screener.index)
        self._party = memoised(self._screen_party, QUERY_MEMO)
        self._text = memoised(self._screen_text, TEXT_MEMO)
        self._worth = memoised(self._could_name, QUERY_MEMO)
        self._alone = memoised(self._is_whole_name, QUERY_MEMO)

    @gc_paused()
    def screen(self, payment: Payment) -> PaymentResult:
        texts = self._texts()
        if texts is None:
            raise RuntimeError("the text screener of this payment screener is gone")
        parties = tuple(PartyResult(p, self._party_findings(p)) for p in payment.parties)
        fields = tuple(self._text_field(t) for t in payment.texts)
        findings = [f for r in parties for f in r.findings] + [f for t in fields for f in t.findings]
        if any(not f.partial for f in findings):
            decision = Decision.HIT
        elif findings or any(a.review for a in payment.all_anomalies):
            decision = Decision.POSSIBLE
        else:
            decision = Decision.CLEAN
        return PaymentResult(
            payment, parties, fields, decision, texts.screener.algorithm, dict(texts.screener.snapshots)
        )

    # -- parties --------------------------------------------------------------------------------

    def _party_findings(self, party: PaymentParty) -> tuple[Finding, ...]:
        found: list[_Found] = []
        seen: set[str] = set()

        def screen(text: str, via: str, partial: bool) -> None:
            key = " ".join(text.split()).casefold()
            if key and key not in seen:
                seen.add(key)
                hits = self._party(text, party.kind, party.country, party.dob)
                found.extend(_Found(hit, text, via, partial) for hit in hits if not partial or _names(hit))

        if party.name:
            screen(party.name, "name", False)
        for number, line in enumerate(party.lines, start=1):
            partial = number > party.name_lines
            if not partial:
                screen(line, f"line {number}", False)
            elif self._worth(line):
                screen(line, f"line {number}", True)
                for query, _ in self._word_queries(line, []):
                    screen(query, f"line {number}", True)  # "C/O KALASHNIKOV CONCERN"
        if party.bic:
            identifiers = bic_identifiers(party.bic)
            if any(self.screener.index.by_identifier(bic) for bic in identifiers):  # else a screening finds none
                hits = self._party("", EntityKind.ORGANIZATION, party.country, None, identifiers)
                found.extend(_Found(hit, party.bic, "BIC", False) for hit in hits)
        if party.free:
            found += self._in_text(party.text, surnames=False)
        elif party.cut:
            found += self._in_text("\n".join(dict.fromkeys((party.name or "", *party.lines))), surnames=False)
        return _grouped(found)

    def _screen_party(
        self,
        name: str,
        kind: EntityKind | None,
        country: str | None,
        dob: str | None,
        identifiers: tuple[str, ...] = (),
    ) -> tuple[Hit, ...]:
        if not identifiers and not " ".join(strip_control(name).split()):
            return ()  # nothing a screening reads: control characters only
        query = Party(name=name, kind=kind, country=country, dob=dob, identifiers=identifiers)
        return tuple(self.screener.screen(query, limit=HITS_PER_QUERY))

    def _could_name(self, line: str) -> bool:
        """Whether every word of some listed name is in the line (its rarer words lead there): an address
        line that holds no listed name whole is not screened on its own, as such a hit would not count."""
        words = {t.norm for t in tokenize(line)}
        index = self.screener.index
        for word in words:
            if (
                word in index.names_of
                and index.weight(word) >= SEED_WEIGHT
                and any(names <= words for names in self._words.names(word))
            ):
                return True
        return False

    # -- free text ------------------------------------------------------------------------------

    def _text_field(self, text: PaymentText) -> TextFieldResult:
        result = self._text(text.text)
        return TextFieldResult(text, result, _grouped(self._found_in(text.text, result)))

    def _screen_text(self, text: str, surnames: bool = True) -> TextResult:
        texts = self._texts()
        if texts is None:
            raise RuntimeError("the text screener of this payment screener is gone")
        return texts.screen(text, surnames=surnames)

    def _in_text(self, text: str, surnames: bool = True) -> list[_Found]:
        return self._found_in(text, self._text(text, surnames))

    def _found_in(self, text: str, result: TextResult) -> list[_Found]:
        """The mentions the text screener found, and what the word runs outside them name."""
        found = [
            _Found(hit, mention.text, "mention", _short(mention.text))
            for mention in result.mentions
            for hit in mention.hits
        ]
        found += [
            _Found(hit, mention.text, "weak mention", True)
            for mention in result.weak
            if not _short(mention.text, 2)
            for hit in mention.hits
        ]
        covered = [(m.start, m.end) for m in result.mentions]
        for query, via in self._word_queries(text, covered):
            for hit in self._party(query, None, None, None):
                if _names(hit):
                    found.append(_Found(hit, query, via, not _whole(hit)))
        return found

    def _word_queries(self, text: str, covered: list[tuple[int, int]]) -> list[tuple[str, str]]:
        """(query, via) for the word runs of a text outside `covered`, and their words that are a listed name alone."""
        queries: list[tuple[str, str]] = []
        for run, alone in _runs(text, covered, self._seed):
            queries += [(run, "word run")] if not alone else []
            queries += [(word, "word") for word in alone if not _short(word) and self._alone(word)]
        return queries

    def _seed(self, token: Token) -> bool:
        index = self.screener.index
        return token.norm in index.names_of and index.weight(token.norm) >= SEED_WEIGHT

    def _is_whole_name(self, word: str) -> bool:
        """Whether some listed name is this word alone (PJSC SBERBANK's legal form aside)."""
        words = tokenize(word)
        return bool(words) and self._words.alone(words[0].norm)


class Vocabulary:
    """What an index says of single words, remembered for as long as the index lives: the payment screeners
    on it come and go with its text screeners, while the words of addresses and remittance lines recur."""

    def __init__(self, index: NameIndex) -> None:
        self._index = weakref.ref(index)  # held by `_VOCABULARIES` under the index: no hold on it
        self.names = memoised(self._names_of, WORD_MEMO)
        self.alone = memoised(self._alone, WORD_MEMO)

    def _names_of(self, word: str) -> tuple[frozenset[str], ...]:
        """The identifying words of each listed name holding `word`, each set once."""
        index = self._index()
        if index is None:
            raise RuntimeError("the index of this vocabulary is gone")
        return tuple({frozenset(index.signal(int(n))) for n in index.names_of.get(word, ())})

    def _alone(self, word: str) -> bool:
        """Whether some listed name is `word` alone."""
        index = self._index()
        if index is None:
            raise RuntimeError("the index of this vocabulary is gone")
        return any(len(index.signal(int(n))) == 1 for n in index.names_of.get(word, ()))


_VOCABULARIES: weakref.WeakKeyDictionary[NameIndex, Vocabulary] = weakref.WeakKeyDictionary()
_VOCABULARIES_LOCK = threading.Lock()  # not `_LOCK`: `payment_screener` holds that while it makes a screener


def _runs(
    text: str, covered: list[tuple[int, int]], seed: Callable[[Token], bool]
) -> Iterable[tuple[str, tuple[str, ...]]]:
    """(run, words) for each run of name words outside `covered`, broken at punctuation, line breaks,
    numbers and remittance words, and holding a seed word: a short run is screened whole (words empty);
    a longer one by each of its seed words."""
    words = tokenize(text)
    runs: list[list[Token]] = []
    current: list[Token] = []
    previous: Token | None = None
    for token in words:
        inside = any(start <= token.start < end for start, end in covered)
        stop = inside or token.norm in _STOP or len(token.norm) < 2 or any(c.isdigit() for c in token.text)
        joined = previous is not None and text[previous.end : token.start].strip(" \t") == ""
        if current and (stop or not joined):
            runs.append(current)
            current = []
        if not stop:
            current.append(token)
        previous = token
    if current:
        runs.append(current)
    for run in runs:
        seeds = [t for t in run if seed(t)]
        if not seeds:
            continue
        written = text[run[0].start : run[-1].end]
        if len(written) > MAX_NAME_LENGTH or _short(written):
            continue
        if len(run) <= MAX_RUN_WORDS:
            yield written, ()
            if len(run) > 1:
                yield written, tuple(t.text for t in seeds)
        else:
            yield written, tuple(t.text for t in seeds)


def _short(written: str, most: int = 3) -> bool:
    """Whether a word is too short to stand for a party alone: letter codes (`ABC-15`, `O/B`, `D:`) abound in
    remittance fields, so a listed acronym found alone in one is a possible hit, not a hit."""
    return sum(c.isalpha() for c in written) <= most


def _names(hit: Hit) -> bool:
    """Whether a part of a field (an address line, a word run) names the listed party: every word of the listed
    name matched, a person's by two at least. "AMSTERDAM" is no mention of AMSTERDAM TRADE BANK."""
    why = hit.explanation
    return not why.unmatched_listed and (hit.entity.kind is not EntityKind.PERSON or len(why.tokens) >= 2)


def _whole(hit: Hit) -> bool:
    """Whether a word run is the listed name and nothing more: then it is a hit, not a possible one."""
    return _names(hit) and not hit.explanation.unmatched_query


def _grouped(found: list[_Found]) -> tuple[Finding, ...]:
    """Hits grouped by designation; a finding is whole when any whole query found it, and names the best."""
    best: dict[str, Hit] = {}
    for entry in found:
        known = best.get(entry.hit.entity.id)
        if known is None or entry.hit.score > known.score:
            best[entry.hit.entity.id] = entry.hit
    findings = []
    for group in designations(best.values()):
        ids = {hit.entity.id for hit in group.hits}
        entries = [entry for entry in found if entry.hit.entity.id in ids]
        whole = [e for e in entries if not e.partial]
        lead = max(whole or entries, key=lambda e: e.hit.score)
        findings.append(Finding(group.key, group.hits, lead.query, lead.via, not whole))
    findings.sort(key=lambda f: (f.partial, -f.score, f.designation))
    return tuple(findings)


_SCREENERS: weakref.WeakKeyDictionary[TextScreener, PaymentScreener] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def vocabulary(index: NameIndex) -> Vocabulary:
    """The vocabulary of an index: one each, so its memos serve every payment screener on it."""
    with _VOCABULARIES_LOCK:
        found = _VOCABULARIES.get(index)
        if found is None:
            found = _VOCABULARIES[index] = Vocabulary(index)
        return found


def payment_screener(texts: TextScreener) -> PaymentScreener:
    """The payment screener of a text screener: one each, so its memos serve every message screened on it."""
    with _LOCK:
        found = _SCREENERS.get(texts)
        if found is None:
            found = _SCREENERS[texts] = PaymentScreener(texts)
        return found


def screen_payment(payment: Payment, screener: Screener, text_screener: TextScreener | None = None) -> PaymentResult:
    """Screen a message's parties as parties and its free text as text, on `text_screener` when it is over
    `screener` (its memos then serve later messages too)."""
    texts = (
        text_screener if text_screener is not None and text_screener.screener is screener else TextScreener(screener)
    )
    return payment_screener(texts).screen(payment)
