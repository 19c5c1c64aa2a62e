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
from clearance.results import HitResult, Result, Screening, ScreeningFields
from clearance.text.goods import NamedGoods
from clearance.text.mentions import Mention, RuledOut, TextResult
from clearance.text.payments import PartyResult, Payment, PaymentResult

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
    hits: tuple[HitResult, ...]

    @classmethod
    def of(cls, mention: Mention, hit_result: Callable[[Hit], HitResult] = HitResult.of) -> MentionResult:
        return cls(
            start=mention.start,
            end=mention.end,
            text=mention.text,
            kind=cast(MentionKind, mention.kind),
            linked_to=mention.linked_to,
            notes=mention.notes,
            hits=tuple(hit_result(hit) for hit in mention.hits),
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
    """The mentions' results, one `HitResult` per hit: a text naming a party a thousand times shares it."""
    shared: dict[int, HitResult] = {}  # by id: the mentions keep their hits alive meanwhile

    def hit_result(hit: Hit) -> HitResult:
        found = shared.get(id(hit))
        if found is None:
            found = shared[id(hit)] = HitResult.of(hit)
        return found

    return tuple(MentionResult.of(m, hit_result) for m in mentions)


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


class PaymentPartyResult(Result):
    """A party of the message (a customer, or an agent known by its BIC) and the listed entities it may be."""

    role: str = Field(description="As the message format names it: `beneficiary`, `debtor agent`, ...")
    name: str | None
    country: str | None
    bic: str | None
    account: str | None
    address: tuple[str, ...]
    hits: tuple[HitResult, ...]

    @classmethod
    def of(cls, screened: PartyResult) -> PaymentPartyResult:
        p = screened.party
        return cls(
            role=p.role,
            name=p.name,
            country=p.country,
            bic=p.bic,
            account=p.account,
            address=p.address,
            hits=tuple(HitResult.of(hit) for hit in screened.hits),
        )


class PaymentText(Result):
    """A free-text field of the message (remittance information, ...) screened as text."""

    field: str = Field(description="The field's tag or path and what it holds, e.g. `70 remittance information`.")
    value: str = Field(description="The field's text as the message carries it.")
    words: int
    mentions: tuple[MentionResult, ...]
    weak: tuple[MentionResult, ...]
    ruled_out: tuple[RuledOutResult, ...]


class PaymentScreening(Screening):
    """A payment message: its parties screened as parties, its free-text fields as text.

    Against the JSON of earlier releases: `snapshots` is `list_version`.
    """

    message: str = Field(description="The message type: `MT103` or `pacs.008`.")
    reference: str
    hit: bool = Field(description="Whether any party has a hit or any free-text field a mention (weak ones aside).")
    parties: tuple[PaymentPartyResult, ...]
    texts: tuple[PaymentText, ...]

    @classmethod
    def of(cls, payment: Payment, result: PaymentResult, **common: Unpack[ScreeningFields]) -> PaymentScreening:
        if result.payment != payment:
            raise ValueError(f"the result is of payment {result.payment.reference!r}, not {payment.reference!r}")
        fields: ScreeningFields = {"algorithm": result.algorithm, **common}
        screening = cls(
            message=payment.kind,
            reference=payment.reference,
            hit=result.hit,
            parties=tuple(PaymentPartyResult.of(r) for r in result.parties),
            texts=tuple(
                PaymentText(
                    field=name,
                    value=value,
                    words=t.words,
                    mentions=_each(t.mentions),
                    weak=_each(t.weak),
                    ruled_out=_ruled_out(t.ruled_out),
                )
                for (name, t), (_, value) in zip(result.texts, payment.texts, strict=True)
            ),
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
