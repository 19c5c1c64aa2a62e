"""Digests of list files, which identify a list version whatever its file names."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileDigest:
    name: str
    sha256: str
    size: int

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "sha256": self.sha256, "size": self.size}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> FileDigest:
        return cls(name=str(data["name"]), sha256=str(data["sha256"]), size=int(str(data["size"])))


def digest_files(paths: Iterable[Path]) -> tuple[FileDigest, ...]:
    """The sha256 of each file, streamed so large lists need little memory."""
    digests = []
    for path in paths:
        sha = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
        digests.append(FileDigest(name=path.name, sha256=sha.hexdigest(), size=path.stat().st_size))
    return tuple(digests)


def combined_digest(files: Iterable[FileDigest]) -> str:
    """One sha256 over a set of files: the same content gives the same digest, in any order."""
    lines = sorted(f"{f.sha256}  {f.name.lower()}" for f in files)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
