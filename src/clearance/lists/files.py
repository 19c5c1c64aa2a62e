"""Reading list files: their digests, which identify a list version whatever its file names, and their
bytes, decompressed within a cap."""

from __future__ import annotations

import gzip
import hashlib
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from clearance.errors import ListFormatError


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


MAX_DECOMPRESSED = 128 * 1024 * 1024
"""Bytes a compressed list file may decompress to. The full US Consolidated Screening List of 2022 is
5,829,294 bytes (1.4 MB as gzip); the cap leaves room for twenty times that, and refuses a few
megabytes of gzip that would expand to gigabytes (a decompression bomb) before memory runs out."""
GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 1 << 20


def read_list_file(source: str, path: Path, limit: int = MAX_DECOMPRESSED) -> bytes:
    """A list file's bytes, decompressed when it is a gzip (its magic bytes decide, not its name).

    Decompression streams a block at a time and stops past `limit`, so a bomb costs at most that.
    """
    try:
        with path.open("rb") as handle:
            if handle.read(2) != GZIP_MAGIC:
                handle.seek(0)
                return handle.read()
            handle.seek(0)
            return _gunzip(source, path, handle, limit)
    except OSError as exc:
        raise ListFormatError(source, path, f"cannot read file: {exc.strerror}") from None


def _gunzip(source: str, path: Path, handle: BinaryIO, limit: int) -> bytes:
    blocks: list[bytes] = []
    size = 0
    try:
        with gzip.GzipFile(fileobj=handle) as unzipped:
            while block := unzipped.read(_BLOCK):
                size += len(block)
                if size > limit:
                    raise ListFormatError(
                        source, path, f"gzip decompresses to more than {limit:,} bytes: refused as not a list"
                    )
                blocks.append(block)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise ListFormatError(source, path, f"damaged or truncated gzip: {exc}") from None
    return b"".join(blocks)
