"""Screening: a party, a batch of them, a text, a payment message, a shipment; and goods classification.

A party screening takes well under a millisecond, so it runs on the event loop; a text,
payment or shipment can take tens of milliseconds and runs on the thread pool, where
it does not hold other requests back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from clearance.errors import InputError
from clearance.goods.results import Classification, ShipmentScreening
from clearance.matching import DEFAULT_THRESHOLD, Party
from clearance.model import MAX_NAME_LENGTH, EntityKind
from clearance.results import BatchRecord, PartyScreening
from clearance.service.auth import Role, require
from clearance.service.deps import Served, json_response
from clearance.service.problems import PROBLEM_RESPONSES
from clearance.text.results import PaymentScreening, TextScreening


def _number(value: object) -> object:
    """JSON numbers only: `true` or `"10"` is refused, not read as 1 or 10; 43.0 is 43."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValueError("a number is required")
    return value


Number = BeforeValidator(_number)

router = APIRouter(tags=["screening"], responses=PROBLEM_RESPONSES, dependencies=[Depends(require(Role.SCREEN))])


class PartyRequest(BaseModel):
    """A party as `clearance screen` takes it: only the name is required."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH, examples=["Vladimir Putin"])
    type: EntityKind | None = None
    dob: str | None = Field(
        default=None,
        pattern=r"^\d{4}(-\d{2}){0,2}$",
        description="YYYY, YYYY-MM or YYYY-MM-DD.",
        examples=["1952-10-07"],
    )
    country: str | None = Field(default=None, description="ISO 3166 code or country name.")
    ids: tuple[str, ...] = Field(default=(), description="Passport, tax, IMO or other numbers.")
    threshold: Annotated[float | None, Number] = Field(
        default=None, ge=0, le=1, description=f"Default {DEFAULT_THRESHOLD}."
    )
    review_threshold: Annotated[float | None, Number] = Field(
        default=None,
        ge=0,
        le=1,
        description="Also report hits from this score up to `threshold`, in the `review` band (a possible match); "
        "by default the service's `CLEARANCE_REVIEW_THRESHOLD`.",
    )
    limit: Annotated[int, Number] = Field(default=10, ge=1, le=100, description="Most designations reported.")

    def party(self) -> Party:
        return Party(name=self.name, kind=self.type, dob=self.dob, country=self.country, identifiers=self.ids)


class TextRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, examples=["Sberbank and Rosoboronexport were named in the order."])
    goods: bool = Field(
        default=True, strict=True, description="Also look for export-controlled goods named in the text."
    )
    threshold: Annotated[float | None, Number] = Field(default=None, ge=0, le=1)


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1, examples=["thermal imaging camera"])
    limit: Annotated[int, Number] = Field(default=5, ge=1, le=50)


def _found(request: Request, hits: int) -> None:
    """What the request log records of a screening: how many hits, never what they were."""
    request.state.hits = hits


@router.post("/screen/party", response_model=PartyScreening, summary="Screen one party")
async def screen_party(body: PartyRequest, request: Request, served: Served) -> Response:
    request.state.names = (body.name,)
    served.screener()  # 503 until a version is loaded
    result = served.app.screen(
        body.party(), threshold=body.threshold, limit=body.limit, review_threshold=body.review_threshold
    )
    _found(request, len(result.hits))
    return json_response(result)


_BATCH_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "One JSON object per line: `name` (required), and `id`, `type`, `dob`, `country`.",
        "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
    }
}


def _rows(body: bytes) -> list[tuple[int, dict[str, str] | InputError]]:
    rows: list[tuple[int, dict[str, str] | InputError]] = []
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (UnicodeDecodeError, ValueError) as exc:
            rows.append((number, InputError(f"not a JSON object: {exc}")))
            continue
        if not isinstance(value, dict):
            rows.append((number, InputError("not a JSON object")))
            continue
        rows.append((number, {str(k): "" if v is None else str(v) for k, v in value.items()}))
    if not rows:
        raise InputError("batch: no rows; send one JSON object per line")
    return rows


@router.post(
    "/screen/batch",
    summary="Screen many parties; one JSON line back per line sent",
    openapi_extra=_BATCH_BODY,
    response_class=StreamingResponse,
    responses={200: {"content": {"application/x-ndjson": {"schema": BatchRecord.model_json_schema()}}}},
)
async def screen_batch(request: Request, served: Served) -> StreamingResponse:
    rows = _rows(await request.body())
    served.screener()
    records = served.app.screen_rows(rows)

    def lines() -> Iterator[bytes]:
        for record in records:
            yield BatchRecord.__pydantic_serializer__.to_json(record) + b"\n"

    request.state.hits = None
    return StreamingResponse(lines(), media_type="application/x-ndjson")


@router.post("/screen/text", response_model=TextScreening, summary="Listed parties and goods named in a text")
def screen_text(body: TextRequest, request: Request, served: Served) -> Response:
    served.screener()
    result = served.app.screen_text(body.text, where="text", goods=body.goods, threshold=body.threshold)
    _found(request, len(result.mentions))
    return json_response(result)


_PAYMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "An MT103 (SWIFT FIN text) or an ISO 20022 pacs.008 (XML) message, as sent.",
        "content": {
            "text/plain": {"schema": {"type": "string"}},
            "application/xml": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/screen/payment",
    response_model=PaymentScreening,
    summary="Screen a payment message",
    openapi_extra=_PAYMENT_BODY,
)
async def screen_payment(request: Request, served: Served) -> Response:
    message = await request.body()
    served.screener()
    result = await run_in_threadpool(served.app.screen_payment, message, "payment")
    _found(request, sum(len(p.hits) for p in result.parties) + sum(len(t.hits) for t in result.texts))
    return json_response(result)


_SHIPMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A shipment as `clearance screen-shipment` reads it (docs/shipment.schema.json); YAML too.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Shipment"}}},
    }
}


@router.post(
    "/screen/shipment",
    response_model=ShipmentScreening,
    summary="Screen a shipment's parties, goods and route",
    openapi_extra=_SHIPMENT_BODY,
)
async def screen_shipment(request: Request, served: Served) -> Response:
    shipment = await request.body()
    served.screener()
    result = await run_in_threadpool(served.app.screen_shipment, shipment, "shipment")
    _found(request, len(result.reasons))
    return json_response(result)


@router.post("/classify", response_model=Classification, summary="Likely HS codes of a goods description")
def classify(body: ClassifyRequest, served: Served) -> Response:
    return json_response(served.app.classify(body.description, limit=body.limit))
