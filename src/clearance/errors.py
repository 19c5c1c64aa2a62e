"""One error root, so the CLI and the HTTP service turn every failure into one message.

Messages are one line and name the file, record and field at fault: an analyst who
loads a broken list must see at once what to fix, and nothing stored changes.
"""

from __future__ import annotations

from pathlib import Path


class ClearanceError(Exception):
    """Root of every error clearance raises on purpose."""


class ListFormatError(ClearanceError):
    """A list file that does not parse as the source it claims to be."""

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


class UnknownSourceError(ClearanceError):
    """A source name that clearance does not know."""


class DownloadError(ClearanceError):
    """An official list could not be fetched (after retries)."""


class StoreError(ClearanceError):
    """The list store cannot be opened, migrated or written."""


class NotFoundError(ClearanceError):
    """An entity or snapshot that the store does not hold."""
