"""What every parser needs while it reads one record of a list file.

A `Record` names the source, the file and the record, so each error a parser raises
says where to look; `build` turns a value the model refuses into such an error, with
the field of the file it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from clearance.errors import ListFormatError

_T = TypeVar("_T")


@dataclass(frozen=True)
class Record:
    """One record being read: `label` is its id in the file (or its position when it has none)."""

    source: str
    path: Path
    label: str

    def fail(self, field: str | None, message: str) -> ListFormatError:
        """The error for this record, at `field` of the file (None: the record as a whole)."""
        return ListFormatError(self.source, self.path, message, record=self.label, field=field)

    def build(self, model: Callable[..., _T], field: str | None, /, **values: Any) -> _T:
        """`model(**values)`; a value the model refuses fails this record at `field`.

        `model` is a model class, or a function building one from a whole record (`field`
        None), so a refusal anywhere in it still names the record. The message names the
        model and its field at fault: `invalid Address.country: ...`.
        """
        try:
            return model(**values)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(part) for part in (exc.title, *error["loc"]))
            raise self.fail(field, f"invalid {where}: {error['msg']}") from None


def unique(values: Iterable[_T]) -> tuple[_T, ...]:
    """The values without repeats, in their first order."""
    if isinstance(values, list) and len(values) < 2:
        return tuple(values)  # most lists hold one value, which needs no (slow) model hashing
    return tuple(dict.fromkeys(values))
