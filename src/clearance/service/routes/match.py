"""yente-compatible matching, search, entities and catalogue."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
