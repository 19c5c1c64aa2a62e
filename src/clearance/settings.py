"""Settings, read once from `CLEARANCE_*` environment variables.

| variable | meaning | default |
| --- | --- | --- |
| `CLEARANCE_HOME` | folder of the list store | the user data directory (platformdirs) |
| `CLEARANCE_LIST_DIR` | a local mirror read by `lists update` instead of downloading | unset |
| `CLEARANCE_MAX_AGE_DAYS` | a list whose active snapshot is older than this is flagged stale by `lists status` | 7 |
| `CLEARANCE_HTTP_TIMEOUT` | seconds before a download attempt is abandoned | 60 |
| `CLEARANCE_HTTP_RETRIES` | attempts per file before a download fails | 3 |
| `CLEARANCE_HS_FILE` | an HS nomenclature CSV for the goods commands to read instead | the packaged HS 2022 table |
| `CLEARANCE_EXPECTED_SOURCES` | official sources screening must cover (comma-separated) | all six |
| `CLEARANCE_STRICT` | `1`: any warning (a list missing or stale) ends a screening command with exit code 4 | `0` |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from clearance.errors import InputError
from clearance.lists.registry import OFFICIAL


@dataclass(frozen=True)
class Settings:
    home: Path
    list_dir: Path | None = None
    max_age_days: float = 7.0
    http_timeout: float = 60.0
    http_retries: int = 3
    hs_file: Path | None = None
    """None: the packaged nomenclature."""
    expected_sources: tuple[str, ...] = OFFICIAL
    """Official sources a screening should cover: each one not loaded is named in every result's warnings."""
    strict: bool = False
    """A result with warnings is a failure for the command line (exit code 4)."""

    @property
    def store_path(self) -> Path:
        return self.home / "lists.sqlite"

    @classmethod
    def from_env(cls) -> Settings:
        home = os.environ.get("CLEARANCE_HOME") or platformdirs.user_data_dir("clearance")
        list_dir = os.environ.get("CLEARANCE_LIST_DIR")
        return cls(
            home=Path(home).expanduser(),
            list_dir=Path(list_dir).expanduser() if list_dir else None,
            max_age_days=_number("CLEARANCE_MAX_AGE_DAYS", cls.max_age_days),
            http_timeout=_number("CLEARANCE_HTTP_TIMEOUT", cls.http_timeout),
            http_retries=int(_number("CLEARANCE_HTTP_RETRIES", cls.http_retries)),
            hs_file=_readable_file("CLEARANCE_HS_FILE"),
            expected_sources=_sources("CLEARANCE_EXPECTED_SOURCES"),
            strict=_flag("CLEARANCE_STRICT"),
        )


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"environment variable {name}: not a number: {raw!r}") from None
    if value < 0:
        raise InputError(f"environment variable {name}: must not be negative: {raw!r}")
    return value


def _readable_file(name: str) -> Path | None:
    """Checked here, so a wrong path stops a command before any work rather than midway through a screening."""
    raw = os.environ.get(name)
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_file():
        raise InputError(f"environment variable {name}: no such file: {path}")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputError(f"environment variable {name}: cannot read {path}: {exc.strerror}") from None
    return path


def _sources(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return OFFICIAL
    chosen = tuple(part.strip() for part in raw.split(",") if part.strip())
    unknown = [source for source in chosen if source not in OFFICIAL]
    if unknown:
        raise InputError(f"environment variable {name}: not official sources: {', '.join(unknown)}")
    return chosen


def _flag(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise InputError(f"environment variable {name}: not 0 or 1: {raw!r}")
