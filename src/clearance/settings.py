"""Settings, read once from `CLEARANCE_*` environment variables.

| variable | meaning | default |
| --- | --- | --- |
| `CLEARANCE_HOME` | folder of the list store | the user data directory (platformdirs) |
| `CLEARANCE_LIST_DIR` | a local mirror read by `lists update` instead of downloading | unset |
| `CLEARANCE_MAX_AGE_DAYS` | days from the publisher's date to stale: `10`, `un=30`, `10,un=30` | per source |
| `CLEARANCE_HTTP_TIMEOUT` | seconds before a download attempt is abandoned | 60 |
| `CLEARANCE_HTTP_RETRIES` | attempts per file before a download fails | 3 |
| `CLEARANCE_HS_FILE` | an HS nomenclature CSV for the goods commands to read instead | the packaged HS 2022 table |
| `CLEARANCE_EXPECTED_SOURCES` | official sources screening must cover (comma-separated) | all six |
| `CLEARANCE_STRICT` | `1`: any warning (a list missing, stale, undated) ends a screening command with exit 4 | `0` |
| `CLEARANCE_MAX_SHRINK` | a load this fraction smaller than the active snapshot is stored, not activated | 0.1 |
| `CLEARANCE_LOCK_TIMEOUT` | seconds a write waits for another process's lock on the list store | 60 |
| `CLEARANCE_DATABASE_URL` | the case database: `sqlite:///PATH` or `postgresql://USER:PW@HOST/DB` | in the home |
| `CLEARANCE_RECORD` | `1`: record every screening in the case database (or `--record` per command) | `0` |
| `CLEARANCE_RECORD_INPUT` | what a recorded screening keeps of its input: `full`, or `digest` (SHA-256) | `full` |
| `CLEARANCE_REVIEW_THRESHOLD` | lowest score of a possible match (review band) and of an alert | 0.8 |
| `CLEARANCE_FOUR_EYES_PROGRAMMES` | programmes whose false positives need a second user (`*`) | see docs/cases.md |
| `CLEARANCE_USER` | who asks, as recorded screenings and case actions name them | the login name |
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from clearance.errors import InputError
from clearance.lists.registry import OFFICIAL, SOURCES
from clearance.lists.source import DEFAULT_MAX_AGE_DAYS

FOUR_EYES_PROGRAMMES = ("SDGT", "SDT", "FTO", "NPWMD", "IRGC", "DPRK*", "IRAN*", "AL-QAIDA", "TALIBAN", "ISIL*")
"""High-risk programmes by default: terrorism, weapons proliferation, North Korea and Iran."""
RECORD_INPUTS = ("full", "digest")


@dataclass(frozen=True)
class Settings:
    home: Path
    list_dir: Path | None = None
    max_age_days: float | None = None
    """Days after which every list is stale; None: each source's own maximum age."""
    max_age_by_source: tuple[tuple[str, float], ...] = ()
    """Maximum ages of named sources, before `max_age_days` and the sources' own."""
    http_timeout: float = 60.0
    http_retries: int = 3
    hs_file: Path | None = None
    """None: the packaged nomenclature."""
    expected_sources: tuple[str, ...] = OFFICIAL
    """Official sources a screening should cover: each one not loaded is named in every result's warnings."""
    strict: bool = False
    """A result with warnings is a failure for the command line (exit code 4)."""
    max_shrink: float = 0.10
    """A load that shrinks a source by more than this fraction is stored but not activated."""
    lock_timeout: float = 60.0
    """Seconds a write waits for another process's lock on the store."""
    database_url: str | None = None
    """The case database; None: SQLite in the home."""
    record: bool = False
    """Record every screening in the case database."""
    record_input: str = "full"
    """`full`: a recorded screening keeps its input; `digest`: only the input's SHA-256."""
    review_threshold: float | None = None
    """Lowest score of a possible match: screening returns hits from it up to the match threshold (`Band.REVIEW`),
    and a recorded screening raises alerts from it. None: the algorithm's default threshold, and no review band."""
    four_eyes_programmes: tuple[str, ...] = FOUR_EYES_PROGRAMMES
    user: str = "clearance"
    """Who asks, as recordings and case actions name them when a caller names nobody."""

    @property
    def cases_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'cases.sqlite'}"

    @property
    def review_band(self) -> float:
        from clearance.matching.algorithm import DEFAULT_THRESHOLD

        return DEFAULT_THRESHOLD if self.review_threshold is None else self.review_threshold

    @property
    def store_path(self) -> Path:
        return self.home / "lists.sqlite"

    def max_age(self, source: str) -> dt.timedelta:
        """How long after its publisher's date a source's list is current."""
        named = dict(self.max_age_by_source)
        if source in named:
            return dt.timedelta(days=named[source])
        if self.max_age_days is not None:
            return dt.timedelta(days=self.max_age_days)
        known = SOURCES.get(source)
        return dt.timedelta(days=known.max_age_days if known is not None else DEFAULT_MAX_AGE_DAYS)

    @classmethod
    def from_env(cls) -> Settings:
        home = os.environ.get("CLEARANCE_HOME") or platformdirs.user_data_dir("clearance")
        list_dir = os.environ.get("CLEARANCE_LIST_DIR")
        every, by_source = _max_ages("CLEARANCE_MAX_AGE_DAYS")
        return cls(
            home=Path(home).expanduser(),
            list_dir=Path(list_dir).expanduser() if list_dir else None,
            max_age_days=every,
            max_age_by_source=by_source,
            http_timeout=number_setting("CLEARANCE_HTTP_TIMEOUT", cls.http_timeout),
            http_retries=int(number_setting("CLEARANCE_HTTP_RETRIES", cls.http_retries)),
            hs_file=_readable_file("CLEARANCE_HS_FILE"),
            expected_sources=_sources("CLEARANCE_EXPECTED_SOURCES"),
            strict=flag_setting("CLEARANCE_STRICT"),
            max_shrink=_fraction("CLEARANCE_MAX_SHRINK", cls.max_shrink),
            lock_timeout=number_setting("CLEARANCE_LOCK_TIMEOUT", cls.lock_timeout),
            database_url=_database_url("CLEARANCE_DATABASE_URL"),
            record=flag_setting("CLEARANCE_RECORD"),
            record_input=_choice("CLEARANCE_RECORD_INPUT", RECORD_INPUTS),
            review_threshold=_fraction("CLEARANCE_REVIEW_THRESHOLD", 0) if _set("CLEARANCE_REVIEW_THRESHOLD") else None,
            four_eyes_programmes=_names("CLEARANCE_FOUR_EYES_PROGRAMMES", FOUR_EYES_PROGRAMMES),
            user=os.environ.get("CLEARANCE_USER", "").strip() or _login(),
        )

    def to_env(self) -> dict[str, str]:
        """These settings as the environment variables `from_env` reads: a child process (an update job)
        then runs with exactly the settings of the process that started it."""
        ages = [*([f"{self.max_age_days:g}"] if self.max_age_days is not None else [])]
        ages += [f"{source}={days:g}" for source, days in self.max_age_by_source]
        env = {
            "CLEARANCE_HOME": str(self.home),
            "CLEARANCE_MAX_AGE_DAYS": ",".join(ages),
            "CLEARANCE_HTTP_TIMEOUT": f"{self.http_timeout:g}",
            "CLEARANCE_HTTP_RETRIES": str(self.http_retries),
            "CLEARANCE_EXPECTED_SOURCES": ",".join(self.expected_sources),
            "CLEARANCE_STRICT": "1" if self.strict else "0",
            "CLEARANCE_MAX_SHRINK": f"{self.max_shrink:g}",
            "CLEARANCE_LOCK_TIMEOUT": f"{self.lock_timeout:g}",
            "CLEARANCE_LIST_DIR": str(self.list_dir) if self.list_dir is not None else "",
            "CLEARANCE_HS_FILE": str(self.hs_file) if self.hs_file is not None else "",
            "CLEARANCE_DATABASE_URL": self.database_url or "",
            "CLEARANCE_RECORD": "1" if self.record else "0",
            "CLEARANCE_RECORD_INPUT": self.record_input,
            "CLEARANCE_REVIEW_THRESHOLD": f"{self.review_threshold:g}" if self.review_threshold is not None else "",
            "CLEARANCE_FOUR_EYES_PROGRAMMES": ",".join(self.four_eyes_programmes),
            "CLEARANCE_USER": self.user,
        }
        return env


def number_setting(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return _non_negative(name, raw)


def _non_negative(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"environment variable {name}: not a number: {raw!r}") from None
    if value < 0:
        raise InputError(f"environment variable {name}: must not be negative: {raw!r}")
    return value


def _fraction(name: str, default: float) -> float:
    value = number_setting(name, default)
    if value > 1:
        raise InputError(f"environment variable {name}: a fraction from 0 to 1: {value!r}")
    return value


def _max_ages(name: str) -> tuple[float | None, tuple[tuple[str, float], ...]]:
    """`10`, `un=30,ofac-sdn=3` or `10,un=30`: days for every source, and for named ones."""
    raw = os.environ.get(name, "").strip()
    every: float | None = None
    named: list[tuple[str, float]] = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        source, _, days = part.rpartition("=")
        value = _non_negative(name, days)
        if not source:
            every = value
        elif source.strip() not in SOURCES and not source.strip().startswith("custom:"):
            raise InputError(f"environment variable {name}: unknown source {source.strip()!r}")
        else:
            named.append((source.strip(), value))
    return every, tuple(named)


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


def flag_setting(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no"):
        return False
    if raw in ("1", "true", "yes"):
        return True
    raise InputError(f"environment variable {name}: not 0 or 1: {raw!r}")


def _set(name: str) -> bool:
    return bool(os.environ.get(name, "").strip())


def _database_url(name: str) -> str | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.startswith(("sqlite:///", "postgresql://", "postgres://")) or raw == "sqlite:///":
        shown = raw.split("@")[-1]  # never a password in a message
        raise InputError(f"environment variable {name}: not sqlite:///PATH nor postgresql://...: {shown!r}")
    return raw


def _choice(name: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return choices[0]
    if raw not in choices:
        raise InputError(f"environment variable {name}: not {' or '.join(choices)}: {raw!r}")
    return raw


def _names(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name and no USER or LOGNAME: a container's numeric user
        return f"uid {os.getuid()}"
