"""How far a batch run has got, kept beside its output so an interrupted run can go on.

A checkpoint names the input (its size and SHA-256), the options and list version
the records were screened with, how many input rows are written, and the length
the output (or a Parquet output's staged rows) had then. It is replaced atomically
after the output is on disk, so it never claims more than the output holds; the
output may hold more (rows written after it), and a resumed run cuts it back.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from clearance.errors import InputError

FORMAT = 1


def checkpoint_path(output: Path) -> Path:
    """The checkpoint kept beside an output when none is named."""
    return output.with_name(f"{output.name}.checkpoint")


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()


def options_digest(options: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class Checkpoint:
    """A run's progress: `rows` input rows are in the output's first `offset` bytes."""

    input_digest: str
    options: str
    list_version: str | None
    rows: int = 0
    offset: int = 0
    with_hits: int = 0
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)
    format: int = FORMAT

    def save(self, path: Path) -> None:
        """Replace the file at `path` atomically, on disk before it is used."""
        temporary = path.with_name(path.name + ".tmp")
        try:
            with temporary.open("w", encoding="utf-8") as handle:
                json.dump(asdict(self), handle)
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(path)
        except OSError as exc:
            raise InputError(f"{path}: cannot write the checkpoint: {exc.strerror or exc}") from None

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}")
            return cls(**data)
        except FileNotFoundError:
            raise InputError(f"{path}: no checkpoint to resume from: run without --resume") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read the checkpoint: {exc.strerror or exc}") from None
        except (ValueError, TypeError) as exc:
            raise InputError(f"{path}: not a checkpoint of this version ({exc})") from None

    def refuse_unless_matches(self, path: Path, expected: Checkpoint) -> None:
        """A one-line error when the run to resume was of another input, options or list version."""
        if self.input_digest != expected.input_digest:
            raise InputError(f"{path}: the input changed since the checkpoint: start the run again without --resume")
        if self.options != expected.options:
            raise InputError(f"{path}: the options differ from the checkpointed run's: resume with the same ones")
        if self.list_version != expected.list_version:
            raise InputError(
                f"{path}: the lists changed since the checkpoint (version {self.list_version}, now "
                f"{expected.list_version}): start the run again without --resume"
            )
