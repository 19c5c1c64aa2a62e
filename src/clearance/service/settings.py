"""The service's settings, read once from `CLEARANCE_*` environment variables, beside the store's own.

| variable | meaning | default |
| --- | --- | --- |
| `CLEARANCE_SERVICE_AUTH` | `0`: answer without an API key (a trial on one's own machine only) | `1` |
| `CLEARANCE_RATE_LIMIT` | requests per second per API key, per worker; `0`: no limit | 200 |
| `CLEARANCE_MAX_REQUEST_BYTES` | the largest request body, except a batch's | 1,048,576 |
| `CLEARANCE_MAX_BATCH_BYTES` | the largest `/screen/batch` body | 67,108,864 |
| `CLEARANCE_CORS_ORIGINS` | origins allowed to call from a browser (comma-separated) | none: CORS off |
| `CLEARANCE_LOG_NAMES` | `1`: request logs include the names screened | `0` |
| `CLEARANCE_UPDATE_EVERY_HOURS` | hours between scheduled list updates; `0`: none | 0 |
| `CLEARANCE_REFRESH_SECONDS` | how often a worker looks for a new active list version | 2 |
| `CLEARANCE_WORKER_MEMORY_MB` | a worker past this much memory (PSS) forgets what its memos hold; `0`: never | 240 |
| `CLEARANCE_WORKER_MAX_REQUESTS` | with several workers, requests before a worker is replaced; `0`: never | 5,000 |

API keys are not settings: `clearance keys create|list|revoke` keeps them in the home
(`service.sqlite`), and running workers read them again within seconds. With
`--workers` over 1, `clearance serve` sets `PROMETHEUS_MULTIPROC_DIR` itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from clearance.settings import flag_setting, number_setting


@dataclass(frozen=True)
class ServiceSettings:
    auth: bool = True
    rate_limit: float = 200.0
    """Requests per second per key and worker, with a burst of twice as many; 0 for none."""
    max_request_bytes: int = 1 << 20
    max_batch_bytes: int = 64 << 20
    cors_origins: tuple[str, ...] = ()
    log_names: bool = False
    """Screened names are personal data: request logs leave them out unless this is set."""
    update_every_hours: float = 0.0
    refresh_seconds: float = 2.0
    worker_memory_mb: float = 240.0
    """A worker's heap grows with the names it meets; past this PSS it empties its memos (`clearance.memo`)
    and fills them again in the memory they held, so it stays near this size for good."""
    worker_max_requests: int = 0
    """Requests after which a worker closes its connections and is replaced (see `recycling`); 0 for never."""

    @classmethod
    def from_env(cls) -> ServiceSettings:
        auth = os.environ.get("CLEARANCE_SERVICE_AUTH", "").strip()
        origins = os.environ.get("CLEARANCE_CORS_ORIGINS", "")
        return cls(
            auth=True if not auth else flag_setting("CLEARANCE_SERVICE_AUTH"),
            rate_limit=number_setting("CLEARANCE_RATE_LIMIT", cls.rate_limit),
            max_request_bytes=int(number_setting("CLEARANCE_MAX_REQUEST_BYTES", cls.max_request_bytes)),
            max_batch_bytes=int(number_setting("CLEARANCE_MAX_BATCH_BYTES", cls.max_batch_bytes)),
            cors_origins=tuple(origin.strip() for origin in origins.split(",") if origin.strip()),
            log_names=flag_setting("CLEARANCE_LOG_NAMES"),
            update_every_hours=number_setting("CLEARANCE_UPDATE_EVERY_HOURS", cls.update_every_hours),
            refresh_seconds=max(0.1, number_setting("CLEARANCE_REFRESH_SECONDS", cls.refresh_seconds)),
            worker_memory_mb=number_setting("CLEARANCE_WORKER_MEMORY_MB", cls.worker_memory_mb),
            worker_max_requests=int(number_setting("CLEARANCE_WORKER_MAX_REQUESTS", cls.worker_max_requests)),
        )
