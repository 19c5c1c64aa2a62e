"""The current algorithm's name, default threshold, and the digest of everything that sets its scores.

The config digest covers the typed config (`config.py`) and every data table the
matcher reads (variants, titles, legal forms, abbreviations, sector words, script
conventions and words, common surnames), so an index built with other values or
tables is never used, and a result records exactly which it came from.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

from clearance.matching.config import CURRENT

ALGORITHM = CURRENT.name
DEFAULT_THRESHOLD = CURRENT.default_threshold


@cache
def config_digest() -> str:
    """Digest of the tuning constants and data tables the scores depend on."""
    digest = hashlib.sha256()
    digest.update(CURRENT.config.model_dump_json().encode())
    data = files("clearance.matching").joinpath("data")
    for item in sorted(data.iterdir(), key=lambda entry: entry.name):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()[:16]
