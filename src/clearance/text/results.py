"""The published results of text and payment screening, declared once.

`clearance screen-text --json` and `clearance screen-payment --json` print these
models and nothing else, so a consumer can rely on their JSON Schemas
(`schemas()`). Field names are those the hand-written JSON of earlier releases
used, so existing consumers keep working; what moved is listed on each model.

A screened text is not echoed: texts can be long and confidential (contracts,
correspondence), and the character and word counts and a SHA-256 of the text are
enough to tie a result to its input. Every mention still carries its offsets and
the words as written, so an analyst holding the text sees exactly what was found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, Literal, Unpack, cast

from pydantic import Field

from clearance.matching import Hit
from clearance.matching.designation import designations
from clearance.matching.screener import Band
from clearance.results import BAND_DESCRIPTION, HitResult, Result, Screening, ScreeningFields, hit_results
from clearance.text.goods import NamedGoods
from clearance.text.mentions import Mention, RuledOut, TextResult
from clearance.text.payment_screening import Finding, PartyResult, PaymentResult, TextFieldResult
from clearance.text.payments import Anomaly, Payment

MentionKind = Literal["full", "surname", "weak"]


class TextQuery(Result):
    """What was screened, without the text itself."""

    characters: int
    words: int = Field(description="Words as the screener tokenises them.")
    sha256: str = Field(description="SHA-256 of the text encoded as UTF-8 (after any byte order mark is removed).")

    @classmethod
    def of(cls, text: str, result: TextResult) -> TextQuery:
        return cls(characters=len(text), words=result.words, sha256=hashlib.sha256(text.encode()).hexdigest())


class MentionResult(Result):
    """A place in the text that names a listed party."""

    start: int
    end: int
    text: str = Field(description="The words as written: the text's characters `start` to `end`.")
    kind: MentionKind = Field(
        description="`full`: the name; `surname`: a surname whose full name the text gives; "
        "`weak`: a surname alone, a candidate only."
    )
    linked_to: int | None = Field(description="For a surname: the start of the full-name mention it refers to.")
    notes: tuple[str, ...]
    hits: tuple[HitResult, ...] = Field(
        description="One per designation the words may name, best first, the other lists' entries in `also`."
    )

    @classmethod
    def of(
        cls, mention: Mention, results: Callable[[Sequence[Hit]], tuple[HitResult, ...]] = hit_results
    ) -> MentionResult:
        return cls(
            start=mention.start,
            end=mention.end,
            text=mention.text,
            kind=cast(MentionKind, mention.kind),
            linked_to=mention.linked_to,
            notes=mention.notes,
            hits=results(mention.hits),
        )


class RuledOutResult(Result):
    """A candidate the precision rules rejected: published so an analyst can check the reason."""

    start: int
    end: int
    text: str
    entity_id: str
    reason: str

    @classmethod
    def of(cls, ruled: RuledOut) -> RuledOutResult:
        return cls(start=ruled.start, end=ruled.end, text=ruled.text, entity_id=ruled.entity_id, reason=ruled.reason)


class NamedGoodsResult(Result):
    """Goods the text names, with the export controls their HS codes fall under."""

    start: int
    end: int
    text: str
    term: str = Field(description="The lexicon entry that matched.")
    codes: tuple[str, ...] = Field(description="HS codes: six-digit subheadings or four-digit headings.")
    note: str
    controls: tuple[str, ...] = Field(description="Each regime listing any of the codes, with the codes it lists.")

    @classmethod
    def of(cls, goods: NamedGoods) -> NamedGoodsResult:
        m = goods.mention
        return cls(
            start=m.start, end=m.end, text=m.text, term=m.term, codes=m.codes, note=m.note, controls=goods.controls
        )


def _each(mentions: Sequence[Mention]) -> tuple[MentionResult, ...]:
    """The mentions' results, one `HitResult` per designation: a text naming a party a thousand times shares it."""
    shared: dict[tuple[int, ...], HitResult] = {}  # by ids: the mentions keep their hits alive meanwhile

    def results(hits: Sequence[Hit]) -> tuple[HitResult, ...]:
        found = []
        for group in designations(hits):
            key = tuple(id(hit) for hit in group.hits)
            result = shared.get(key)
            if result is None:
                result = shared[key] = HitResult.of_designation(group)
            found.append(result)
        return tuple(found)

    return tuple(MentionResult.of(m, results) for m in mentions)


def _ruled_out(ruled: Sequence[RuledOut]) -> tuple[RuledOutResult, ...]:
    return tuple(RuledOutResult.of(r) for r in ruled)


def _check_version(snapshots: dict[str, int], found: Screening) -> None:
    """The list version recorded must be the one the findings were computed on: it is the audit trail."""
    recorded = {s.source: s.snapshot_id for s in found.list_version.sources}
    if recorded != snapshots:
        raise ValueError(f"list_version names snapshots {recorded}, but the screening used {snapshots}")


class TextScreening(Screening):
    """Listed parties and controlled goods named in a text.

    Against the JSON of earlier releases: `words` moved into `query`, and
    `snapshots` is `list_version` (with each snapshot's digest and age).
    """

    query: TextQuery
    mentions: tuple[MentionResult, ...] = Field(description="Full names, and surnames the text also names in full.")
    weak: tuple[MentionResult, ...] = Field(description="Surnames alone: candidates for review, not hits.")
    ruled_out: tuple[RuledOutResult, ...]
    goods: tuple[NamedGoodsResult, ...]

    @classmethod
    def of(
        cls, text: str, result: TextResult, goods: Sequence[NamedGoods], **common: Unpack[ScreeningFields]
    ) -> TextScreening:
        fields: ScreeningFields = {"algorithm": result.algorithm, **common}
        screening = cls(
            query=TextQuery.of(text, result),
            mentions=_each(result.mentions),
            weak=_each(result.weak),
            ruled_out=_ruled_out(result.ruled_out),
            goods=tuple(NamedGoodsResult.of(g) for g in goods),
            **fields,
        )
        _check_version(result.snapshots, screening)
        return screening


AnomalyKind = Literal[
    "encoding",
    "layout",
    "invisible",
    "repeated",
    "embedded",
    "unreadable",
    "missing",
    "country",
    "length",
    "message_type",
]
DecisionKind = Literal["hit", "possible", "clean"]


class AnomalyResult(Result):
    """Something odd about the message or a field: read anyway, and said."""

    field: str = Field(description="The field's path, or `message` for the message as a whole.")
    code: AnomalyKind = Field(
        description="`encoding` (a byte order mark, UTF-16, Latin-1), `layout` (block 4 laid out loosely, no "
        "`<Document>`), `invisible` (format characters taken out), `repeated` (a party field or `Nm` given more "
        "than once), `embedded` (a field tag inside another field), `unreadable` (a field breaking its format), "
        "`missing` (a mandatory field), `country` (not a country), `length` (a name or name line longer than "
        "screening takes: its first 1,000 characters screened), `message_type` (a type read as found)."
    )
    detail: str
    review: bool = Field(description="Whether it may hide a party: then the message is at least `possible`.")

    @classmethod
    def of(cls, anomaly: Anomaly) -> AnomalyResult:
        return cls(field=anomaly.field, code=anomaly.code.value, detail=anomaly.detail, review=anomaly.review)


class DesignationHit(Result):
    """One listed designation a field may name: one row however many lists carry it."""

    designation: str = Field(
        description="Its UN reference (`un:QDi.433`), else `ofac:N` for OFAC record N on any of its lists, else "
        "the id of its best-scoring entry (`matching/designation.py` says which entries are one designation)."
    )
    name: str = Field(description="The listed name of its best-scoring entry.")
    score: float
    band: Band = Field(default=Band.MATCH, description=BAND_DESCRIPTION + " Of its best-scoring entry.")
    partial: bool = Field(
        description="Found only by part of the field (an address line, a word run that is not the listed name "
        "whole, a surname alone): for review, not the list's own decision."
    )
    via: str = Field(description="`name`, `line N`, `BIC`, `mention`, `weak mention`, `word run` or `word`.")
    query: str = Field(description="What was screened when it was found, as written.")
    entities: tuple[HitResult, ...] = Field(description="Every list entry of the designation that hit, best first.")

    @classmethod
    def of(cls, finding: Finding, hit_result: Callable[[Hit], HitResult] = HitResult.of) -> DesignationHit:
        entities = tuple(hit_result(hit) for hit in finding.hits)
        return cls(
            designation=finding.designation,
            name=entities[0].name,
            score=entities[0].score,
            band=entities[0].band,
            partial=finding.partial,
            via=finding.via,
            query=finding.query,
            entities=entities,
        )


def _anomalies(found: Sequence[Anomaly]) -> tuple[AnomalyResult, ...]:
    return tuple(AnomalyResult.of(a) for a in found)


class PaymentPartyResult(Result):
    """A party field (a customer, an institution by name or BIC) and the listed designations it may name."""

    field: str = Field(description="Its path: `:59:`, `:59:[2]`, `:70:/:59:`, `Document/.../Cdtr/Nm[2]`.")
    role: str = Field(description="As the format names it: `beneficiary`, `debtor agent`, `underlying creditor`, ...")
    text: str = Field(description="The field's text, invisible format characters taken out.")
    name: str | None = Field(description="The name screened; an MT name wrapped over two lines is joined.")
    country: str | None
    bic: str | None
    account: str | None
    address: tuple[str, ...]
    hits: tuple[DesignationHit, ...]
    anomalies: tuple[AnomalyResult, ...]

    @classmethod
    def of(cls, screened: PartyResult) -> PaymentPartyResult:
        p = screened.party
        return cls(
            field=p.field,
            role=p.role,
            text=p.text,
            name=p.name,
            country=p.country,
            bic=p.bic,
            account=p.account,
            address=p.address,
            hits=tuple(DesignationHit.of(f) for f in screened.findings),
            anomalies=_anomalies(p.anomalies),
        )


class PaymentText(Result):
    """A free-text field (remittance information, instructions, ...) screened as text, and its word runs as names."""

    field: str = Field(description="Its path: `:70:`, `Document/.../CdtTrfTxInf[1]/RmtInf/Ustrd[2]`.")
    role: str = Field(description="What it holds: `remittance information`, `envelope contents`, ...")
    text: str = Field(description="The field's text, invisible format characters taken out.")
    words: int
    mentions: tuple[MentionResult, ...]
    weak: tuple[MentionResult, ...]
    ruled_out: tuple[RuledOutResult, ...]
    hits: tuple[DesignationHit, ...] = Field(
        description="The designations its mentions and word runs name, one row each (weak mentions as partial)."
    )
    anomalies: tuple[AnomalyResult, ...]

    @classmethod
    def of(cls, screened: TextFieldResult) -> PaymentText:
        t, found = screened.text, screened.result
        return cls(
            field=t.field,
            role=t.role,
            text=t.text,
            words=found.words,
            mentions=_each(found.mentions),
            weak=_each(found.weak),
            ruled_out=_ruled_out(found.ruled_out),
            hits=tuple(DesignationHit.of(f) for f in screened.findings),
            anomalies=_anomalies(t.anomalies),
        )


class PaymentScreening(Screening):
    """A payment message: its party fields screened as parties, its free-text fields as text, and a decision.

    Against the JSON of earlier releases: `snapshots` is `list_version`; `decision` (`hit`, `possible`,
    `clean`) is new, and `hit` now means `decision` is `hit` (a partial finding or an anomaly calling for
    review is `possible`); a party's `hits` are one row per designation, each with its list entries in
    `entities`, where they were one row per list entry; parties and texts carry their `field` path, their
    `text` and `anomalies`; a text's field label moved to `role` and its `value` is `text`; texts carry `hits`;
    `sender`, `receiver`, `definition` and the message's own `anomalies` are new; `message` names the form too
    (`MT103 STP`, `MT202 COV`, `pacs.009 COV`, `pain.001`).
    """

    message: str = Field(
        description="`MT103`, `MT103 STP`, `MT103 REMIT`, `MT202`, `MT202 COV`, `pacs.008`, `pacs.009`, "
        "`pacs.009 COV`, `pain.001`, or another type screened as found."
    )
    reference: str
    sender: str | None = Field(description="The sending institution's BIC, from the header or wrapper.")
    receiver: str | None
    definition: str | None = Field(description="The message definition named: `MT103`, `pacs.008.001.08`, ...")
    decision: DecisionKind = Field(
        description="`hit`: a whole name, BIC or mention of a listed party; `possible`: only partial findings, "
        "or an anomaly that may hide a party; `clean`: neither."
    )
    hit: bool = Field(description="Whether `decision` is `hit`.")
    parties: tuple[PaymentPartyResult, ...]
    texts: tuple[PaymentText, ...]
    anomalies: tuple[AnomalyResult, ...] = Field(description="Of the message as a whole; each field's are on it.")

    @classmethod
    def of(cls, payment: Payment, result: PaymentResult, **common: Unpack[ScreeningFields]) -> PaymentScreening:
        if result.payment != payment:
            raise ValueError(f"the result is of payment {result.payment.reference!r}, not {payment.reference!r}")
        fields: ScreeningFields = {"algorithm": result.algorithm, **common}
        screening = cls(
            message=payment.kind,
            reference=payment.reference,
            sender=payment.sender,
            receiver=payment.receiver,
            definition=payment.definition,
            decision=result.decision.value,
            hit=result.hit,
            parties=tuple(PaymentPartyResult.of(r) for r in result.parties),
            texts=tuple(PaymentText.of(t) for t in result.texts),
            anomalies=_anomalies(payment.anomalies),
            **fields,
        )
        _check_version(result.snapshots, screening)
        return screening


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema of each published text and payment result, by file name."""
    return {
        "text.schema.json": TextScreening.model_json_schema(),
        "payment.schema.json": PaymentScreening.model_json_schema(),
    }
