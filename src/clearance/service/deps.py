"""What routes take from the request: the worker's `Serving`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from clearance.service.serving import Serving


async def serving(request: Request) -> Serving:
    """The worker's `Serving`, read on the event loop: a plain function dependency would cost every request
    a trip through the thread pool (a fifth of a millisecond, and a tail of several)."""
    found: Serving = request.app.state.serving
    return found


Served = Annotated[Serving, Depends(serving)]
