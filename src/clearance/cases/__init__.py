"""Cases: recorded screenings, alerts, the review workflow, remembered decisions and the audit trail.

`Cases` is what the facade opens over the case database of its settings (`Clearance.cases`):
its `workflow` is the API a reviewer's front end calls, its `recorder` keeps screenings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from clearance.cases.audit import Anchor, Verification
from clearance.cases.models import CaseDetail, CaseStatus, CaseSummary, DecisionKind
from clearance.cases.recording import EntityDigests, Recorder, acting_as
from clearance.cases.store import CaseStore
from clearance.cases.workflow import FourEyes, Workflow
from clearance.settings import Settings


class Cases:
    def __init__(self, settings: Settings, entity_digests: EntityDigests) -> None:
        self.store = CaseStore(settings.cases_url, settings.lock_timeout)
        self.workflow = Workflow(self.store, FourEyes(settings.four_eyes_programmes))
        self.recorder = Recorder(
            self.store,
            entity_digests,
            keep_input=settings.record_input == "full",
            review_threshold=settings.review_band,
            user=settings.user,
        )

    def close(self) -> None:
        self.store.close()

    def verify(self, anchors: Sequence[Anchor] = ()) -> Verification:
        from clearance.cases import audit

        with self.store.read() as tx:
            return audit.verify(tx, anchors)

    def anchors(self, every: int) -> list[Anchor]:
        from clearance.cases import audit

        with self.store.read() as tx:
            return audit.anchors(tx, every)

    def export(self, start: str | None, end: str | None) -> Iterator[dict[str, Any]]:
        from clearance.cases import audit

        with self.store.read() as tx:
            yield from audit.export(tx, start, end)


__all__ = [
    "Anchor",
    "CaseDetail",
    "CaseStatus",
    "CaseSummary",
    "Cases",
    "DecisionKind",
    "Recorder",
    "Verification",
    "Workflow",
    "acting_as",
]
