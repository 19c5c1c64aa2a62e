"""What every route shares: the worker's `Serving`, and results written as their models write them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel

from clearance.service.serving import Serving


async def serving(request: Request) -> Serving:
    """The worker's `Serving`, read on the event loop: a plain function dependency would cost every request
    a trip through the thread pool (a fifth of a millisecond, and a tail of several)."""
    found: Serving = request.app.state.serving
    return found


Served = Annotated[Serving, Depends(serving)]


def json_response(result: BaseModel, headers: dict[str, str] | None = None) -> Response:
    """The result as its model writes it: no second validation, as FastAPI would give a returned model."""
    return Response(
        type(result).__pydantic_serializer__.to_json(result), media_type="application/json", headers=headers
    )
