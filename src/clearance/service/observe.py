"""Request logs and metrics."""

from __future__ import annotations

from fastapi import FastAPI

from clearance.service.settings import ServiceSettings


def install(app: FastAPI, service: ServiceSettings) -> None:
    """Nothing yet."""
