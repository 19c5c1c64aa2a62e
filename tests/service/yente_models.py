"""Check requests and answers of clearance's yente-compatible API with yente's own pydantic models.

Run with the interpreter of `.venv-yente` (made by `make test`): yente pins its own FastAPI and
nomenklatura, so it cannot share clearance's venv. Reads one JSON document per line on stdin,
`{"model": NAME, "data": ...}`, and prints every failure; exits 1 if there is one, else prints
how many documents passed.

A document passes when yente's model validates it (`model_validate_json`, as yente reads JSON), no
value got there by coercion (each JSON value has the type of what the model made of it: a number
sent as text, or `1` for `true`, fails; an ISO date is text), and, for an answer, every field yente's
model writes is present: a yente client reads `result["datasets"]` from the JSON, not from a model
that would fill in a default. (pydantic's own strict mode cannot be used: yente's dataset model
checks its input in Python before its fields, where strict mode refuses every date given as text.)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from collections.abc import Iterator
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError
from yente.data.common import (
    AlgorithmResponse,
    DataCatalogModel,
    EntityMatchQuery,
    EntityMatchResponse,
    EntityResponse,
    SearchResponse,
)

MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (
        EntityMatchQuery,
        EntityMatchResponse,
        SearchResponse,
        EntityResponse,
        DataCatalogModel,
        AlgorithmResponse,
    )
}
REQUESTS = {"EntityMatchQuery"}
"""Models of what a client sends: fields with defaults may be left out."""


def mistyped(value: Any, raw: Any, where: str) -> Iterator[str]:
    """Values of the JSON `raw` whose type is not that of what the model made of them (`value`)."""
    if isinstance(value, BaseModel):
        if not isinstance(raw, dict):
            yield f"{where}: {type(raw).__name__} where an object is expected"
            return
        for name, info in type(value).model_fields.items():
            key = info.alias or name
            if key in raw:
                yield from mistyped(getattr(value, name), raw[key], f"{where}.{key}")
        return
    expected: tuple[type, ...]
    if value is None:
        expected = (type(None),)
    elif isinstance(value, bool):
        expected = (bool,)
    elif isinstance(value, int):
        expected = (int,)
    elif isinstance(value, float):
        expected = (int, float)
    elif isinstance(value, str | dt.date | dt.datetime | Enum):
        expected = (str,)
    elif isinstance(value, dict):
        expected = (dict,)
    elif isinstance(value, list | tuple | set | frozenset):
        expected = (list,)
    else:
        return
    if not isinstance(raw, expected) or (isinstance(raw, bool) and bool not in expected):
        yield f"{where}: {json.dumps(raw)[:60]} is {type(raw).__name__}, where {type(value).__name__} is expected"
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from mistyped(item, raw.get(key), f"{where}[{key!r}]")
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from mistyped(item, raw[number], f"{where}[{number}]")
    elif isinstance(value, set | frozenset) and value:
        sample = next(iter(value))
        for number, item in enumerate(raw):
            yield from mistyped(sample, item, f"{where}[{number}]")


def missing(value: Any, where: str) -> Iterator[str]:
    """Fields yente's model writes that the document left out (filled in by the model's defaults)."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if info.exclude:  # yente never writes these
                continue
            key = info.alias or name
            if name not in value.model_fields_set:
                yield f"{where}.{key}: missing"
            else:
                yield from missing(getattr(value, name), f"{where}.{key}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from missing(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from missing(item, f"{where}[{number}]")


def check(document: dict[str, Any]) -> list[str]:
    name = document.get("model")
    model = MODELS.get(str(name))
    if model is None:
        return [f"unknown model {name!r} (known: {', '.join(MODELS)})"]
    data = document.get("data")
    try:
        value = model.model_validate_json(json.dumps(data))
    except ValidationError as exc:
        return [f"{error['loc']}: {error['msg']}" for error in exc.errors()]
    with warnings.catch_warnings():  # yente marks `Algorithm.features` deprecated: reading it warns
        warnings.simplefilter("ignore", DeprecationWarning)
        problems = list(mistyped(value, data, str(name)))
        if name not in REQUESTS:
            problems += missing(value, str(name))
    return problems


def main() -> int:
    failed = 0
    count = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        count += 1
        document = json.loads(line)
        problems = check(document)
        for problem in problems[:20]:
            print(f"case {number} ({document.get('model')}, {document.get('label', '')}): {problem}")
        failed += bool(problems)
    if failed:
        print(f"{failed} of {count} documents fail yente's models")
        return 1
    print(f"{count} documents pass yente's models")
    return 0


if __name__ == "__main__":
    sys.exit(main())
