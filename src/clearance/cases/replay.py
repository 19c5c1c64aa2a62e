"""Replay: a recorded screening run again on the list version it was recorded against.

Snapshots are never edited or dropped, so the recorded snapshot ids name exactly the entities
screened against then; the facade builds (or finds kept) the name index of that version and
screens the recorded input again. The replay shows the recorded and the new hits side by side,
and whether the algorithm or its config changed since.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from clearance.cases.recording import request_value
from clearance.errors import ConflictError, NotFoundError
from clearance.matching import Party
from clearance.matching.algorithm import ALGORITHM, config_digest
from clearance.model import EntityKind

if TYPE_CHECKING:
    from clearance.app import Clearance
    from clearance.cases.store import CaseStore


class ReplayHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    entity_id: str
    score: float


class Replay(BaseModel):
    """A recorded screening and the same screening run again on its list version."""

    model_config = ConfigDict(frozen=True)

    record: int | None = Field(description="The audit record asked for.")
    screening: int
    kind: str
    list_version: str | None
    snapshots: dict[str, int]
    recorded_at: str
    algorithm: str = Field(description="The algorithm recorded.")
    config: str = Field(description="Its config digest, recorded.")
    algorithm_now: str
    config_now: str
    recorded: tuple[ReplayHit, ...]
    replayed: tuple[ReplayHit, ...]
    same: bool = Field(description="Whether the replay found the same entities with the same scores.")


def hits_in(result: Any) -> tuple[ReplayHit, ...]:
    """Every (entity, score) a result names, wherever it nests them (party hits, mentions, payment fields)."""
    found: dict[str, float] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("entity_id"), str) and isinstance(node.get("score"), int | float):
                entity = node["entity_id"]
                found[entity] = max(found.get(entity, 0.0), float(node["score"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return tuple(ReplayHit(entity_id=e, score=s) for e, s in sorted(found.items()))


def screening_of(store: CaseStore, record: int) -> int:
    """The screening an audit record is about (its own screening, an alert's, a case opened by one)."""
    with store.read() as tx:
        row = tx.one("SELECT screening_id FROM audit_log WHERE seq = ?", (record,))
    if row is None:
        raise NotFoundError(f"no audit record {record}")
    if row[0] is None:
        raise NotFoundError(f"audit record {record} is not about a screening: give a screening's record")
    return int(row[0])


def replay(app: Clearance, store: CaseStore, record: int) -> Replay:
    screening_id = screening_of(store, record)
    with store.read() as tx:
        row = tx.one(
            "SELECT kind, input, result, list_version, snapshots, algorithm, config_digest, screened_at"
            " FROM screenings WHERE id = ?",
            (screening_id,),
        )
    if row is None:
        raise NotFoundError(f"no screening {screening_id}: audit record {record} names one the store lacks")
    kind, data, result, list_version, snapshots_json, algorithm, config, screened_at = row
    if data is None:
        raise ConflictError(
            f"screening {screening_id} was recorded with its input as a digest only (CLEARANCE_RECORD_INPUT=digest): "
            "there is nothing to replay"
        )
    request = json.loads(data)
    snapshots = {str(k): int(v) for k, v in json.loads(snapshots_json).items()}
    with app.at_version(snapshots) as then:
        again = _run(then, kind, request)
    recorded, replayed = hits_in(json.loads(result)), hits_in(json.loads(again.model_dump_json()))
    return Replay(
        record=record,
        screening=screening_id,
        kind=kind,
        list_version=list_version,
        snapshots=snapshots,
        recorded_at=screened_at,
        algorithm=algorithm,
        config=config,
        algorithm_now=ALGORITHM,
        config_now=config_digest(),
        recorded=recorded,
        replayed=replayed,
        same=recorded == replayed,
    )


def _run(app: Clearance, kind: str, request: dict[str, Any]) -> BaseModel:
    if kind in ("party", "batch"):
        query = request.get("party")
        if query is None:
            raise ConflictError(f"this {kind} screening was not run (the row had an error): nothing to replay")
        party = Party(
            name=query["name"],
            kind=EntityKind(query["type"]) if query.get("type") else None,
            dob=query.get("dob"),
            country=query.get("country"),
            identifiers=tuple(query.get("ids") or ()),
        )
        limit = request.get("limit", 10)
        return app.screen(party, request.get("threshold"), limit, review_threshold=request.get("review_threshold"))
    if kind == "text":
        return app.screen_text(
            request_value(request, "text"),
            request.get("where", "text"),
            bool(request.get("goods", True)),
            request.get("threshold"),
        )
    if kind == "payment":
        message = request_value(request, "message")
        return app.screen_payment(message.encode() if isinstance(message, str) else message, request["where"])
    if kind == "shipment":
        shipment = request_value(request, "shipment")
        return app.screen_shipment(shipment.encode() if isinstance(shipment, str) else shipment, request["where"])
    raise ConflictError(f"a {kind} screening cannot be replayed")
