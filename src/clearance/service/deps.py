"""What routes take from the request: the worker's `Serving`."""

from __future__ import annotations

from fastapi import Request

from clearance.service.serving import Serving


def serving(request: Request) -> Serving:
    found: Serving = request.app.state.serving
    return found
