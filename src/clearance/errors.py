"""One error root, so the CLI and the HTTP service turn every failure into one message.

Messages are one line and name the file, record and field at fault: an analyst who
loads a broken list must see at once what to fix, and nothing stored changes.

Every error is of one of five kinds. The kind says who can fix it, and so what a
service answers; the code is what a client matches on, because messages change
wording and codes do not (a published code is never renamed or reused):

| kind | class | code | HTTP status | who can fix it |
| --- | --- | --- | --- | --- |
| bad input | `InputError` | `bad_input` | 422 | the caller: what was sent never succeeds as it is |
| not found | `NotFoundError` | `not_found` | 404 | the caller: no entity, snapshot or regime of that id |
| conflict | `ConflictError` | `conflict` | 409 | the caller: sound, but the store's state forbids it now |
| unavailable | `UnavailableError` | `unavailable` | 503 | the operator, or time: a download, the store, the lists |
| data integrity | `IntegrityError` | `data_integrity` | 500 | the operator: data clearance holds is broken |
| (unclassified) | `ClearanceError` | `internal_error` | 500 | unknown, so it counts as the server's fault |

Bad input answers 422, not 400: the service's request models already answer
malformed requests with FastAPI's 422, so a client sees one status for "fix what
you sent", whichever layer noticed. Data integrity answers 500 rather than 503
because retrying cannot help: a store or reference file that fails its check stays
broken until someone repairs it. Data that ships with clearance (the goods rules,
the goods lexicon) is held data: no request carries it and no client can fix it,
so a file of it that breaks its format is an integrity fault. A file or value the
caller names (a list to load, an HS nomenclature, a `CLEARANCE_*` setting) is that
caller's input, even when the caller is the operator; settings and the
nomenclature are checked before any work starts, so a service stops at start-up
rather than answering with them.

Specific classes refine the code and keep their kind's status:

| class | kind | code |
| --- | --- | --- |
| `ListFormatError` | bad input | `list_format` |
| `UnsafeXMLError` | bad input | `unsafe_xml` |
| `UnknownSourceError` | bad input | `unknown_source` |
| `DownloadError` | unavailable | `download_failed` |
| `StoreError` | unavailable | `store_unavailable` |

`StoreError` is the store that cannot be opened, created, locked or migrated by this
version: the same request succeeds once the operator frees, upgrades or restores it.
A store that opens but fails its own consistency check is `IntegrityError` instead.
Modules with errors of their own (screening, payments, shipments, goods codes and
rules, the name index) derive them from a kind in the same way.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import ClassVar


class ErrorKind(StrEnum):
    """The five kinds; each value is also the code of the kind's own class."""

    BAD_INPUT = "bad_input"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    UNAVAILABLE = "unavailable"
    DATA_INTEGRITY = "data_integrity"


class ClearanceError(Exception):
    """Root of every error clearance raises on purpose.

    Raised as itself, it has no kind: nothing says the caller or the operator can fix
    it, so a service answers 500 and a client learns only that clearance failed.
    """

    kind: ClassVar[ErrorKind | None] = None
    code: ClassVar[str] = "internal_error"
    status: ClassVar[int] = 500


class InputError(ClearanceError):
    """What the caller sent (an argument, a file, a query) can never succeed as it is."""

    kind = ErrorKind.BAD_INPUT
    code = "bad_input"
    status = 422


class NotFoundError(ClearanceError):
    """An entity, snapshot or other named record that the store or the rules do not hold."""

    kind = ErrorKind.NOT_FOUND
    code = "not_found"
    status = 404


class ConflictError(ClearanceError):
    """A sound request that the store's current state forbids; it succeeds once that state changes."""

    kind = ErrorKind.CONFLICT
    code = "conflict"
    status = 409


class UnavailableError(ClearanceError):
    """Something clearance needs is not there now (a download, the store, loaded lists): retry or ask the operator."""

    kind = ErrorKind.UNAVAILABLE
    code = "unavailable"
    status = 503


class IntegrityError(ClearanceError):
    """Data clearance holds and trusts is broken: a corrupt store, a record failing its digest, bad reference data."""

    kind = ErrorKind.DATA_INTEGRITY
    code = "data_integrity"
    status = 500


class ListFormatError(InputError):
    """A list file that does not parse as the source it claims to be."""

    code = "list_format"

    def __init__(
        self,
        source: str,
        path: Path | str,
        message: str,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.source = source
        self.path = str(path)
        self.record = record
        self.field = field
        where = self.path
        if record is not None:
            where += f", record {record}"
        if field is not None:
            where += f", field {field}"
        super().__init__(f"{source}: {where}: {' '.join(message.split())}")


class UnsafeXMLError(ListFormatError):
    """XML carrying a DTD, entity declarations or external references: never expanded."""

    code = "unsafe_xml"


class UnknownSourceError(InputError):
    """A source name that clearance does not know."""

    code = "unknown_source"


class DownloadError(UnavailableError):
    """An official list could not be fetched (after retries); the publisher may answer later."""

    code = "download_failed"


class StoreError(UnavailableError):
    """The list store cannot be opened, created, locked or migrated by this version of clearance."""

    code = "store_unavailable"


def error_class(code: str) -> type[ClearanceError]:
    """The class raised under `code` (among those imported), so an error crossing a process keeps its kind."""
    pending: list[type[ClearanceError]] = [ClearanceError]
    while pending:
        cls = pending.pop()
        if cls.code == code and cls.__module__.startswith("clearance"):
            return cls
        pending.extend(cls.__subclasses__())
    return ClearanceError
