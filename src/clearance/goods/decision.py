"""The four outcomes of a shipment screening, ordered so the worst reason decides; the legal basis a reason cites."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Decision(StrEnum):
    """What a shipment (or one reason behind it) calls for, from least to most severe."""

    CLEAR = "clear"
    REVIEW = "review"
    LICENCE_REQUIRED = "licence_required"
    PROHIBITED = "prohibited"

    @property
    def severity(self) -> int:
        return _ORDER[self]

    @classmethod
    def worst(cls, decisions: list[Decision]) -> Decision:
        """The most severe of `decisions`; clear when there are none."""
        return max(decisions, key=lambda d: d.severity, default=cls.CLEAR)


_ORDER = {decision: rank for rank, decision in enumerate(Decision)}


class LegalBasis(BaseModel):
    """What a rule or reason rests on: the act, and where in it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    act: str
    annex: str | None = None
    article: str | None = None
    url: str | None = None

    def cite(self, part: str | None = None) -> str:
        """One line: `Council Regulation (EU) No 833/2014, Annex VII Part B, Articles 2a(1) and 2b(1)`."""
        annex = f"Annex {self.annex}" + (f" Part {part}" if part else "") if self.annex else None
        return ", ".join(x for x in (self.act, annex, self.article) if x)
