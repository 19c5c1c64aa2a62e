"""Errors as `application/problem+json` (RFC 9457), with the status and code of their kind.

The kinds and their statuses are declared once, in `clearance.errors`; this only
writes them out. A request FastAPI cannot validate is a bad input too, answered 422
with the same body, so a client reads every failure one way.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from clearance.errors import ClearanceError

PROBLEM = "application/problem+json"
log = logging.getLogger("clearance.service")


class Problem(BaseModel):
    """The body of every error response."""

    type: str = Field(description="A URI naming the error code; stable, unlike `detail`'s wording.")
    title: str
    status: int
    detail: str
    code: str = Field(description="`bad_input`, `not_found`, `conflict`, `unavailable`, `data_integrity`, ...")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {PROBLEM: {}}, "description": title}
    for status, title in (
        (401, "No API key, or an unknown one"),
        (403, "The API key's role may not do this"),
        (404, "No such entity, snapshot or dataset"),
        (409, "Sound, but the store's state forbids it now"),
        (413, "The request body is too large"),
        (422, "What was sent can never succeed as it is"),
        (429, "Too many requests for this API key"),
        (500, "A fault of the service or of the data it holds"),
        (503, "The lists are not loaded, or the store is unavailable"),
    )
}
"""Documented on every route, so the OpenAPI schema says what a client may receive."""

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Bad input",
    429: "Too many requests",
    500: "Internal error",
    503: "Unavailable",
}
_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "bad_input",
    429: "rate_limited",
}


def problem(status: int, code: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(
        type=f"https://clearance.dev/errors/{code}",
        title=_TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        code=code,
    )
    return JSONResponse(body.model_dump(), status_code=status, media_type=PROBLEM, headers=headers)


async def _clearance_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ClearanceError)
    if exc.status >= 500:
        log.error("%s: %s", exc.code, exc)
    return problem(exc.status, exc.code, str(exc))


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(part) for part in first.get("loc", ()))
    more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return problem(422, "bad_input", f"{where}: {first.get('msg')}{more}")


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:  # FastAPI's answer to a body that is not JSON: bad input, as any other
        return problem(422, "bad_input", f"body: {exc.detail}")
    code = _CODES.get(exc.status_code, "error")
    return problem(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error")
    return problem(500, "internal_error", f"internal error ({type(exc).__name__}); the request id is in the logs")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ClearanceError, _clearance_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
