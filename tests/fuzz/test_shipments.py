"""Shipment files (JSON, YAML), damaged or arbitrary, are read or refused with one ClearanceError line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from clearance.goods.shipment import loads_shipment, read_shipment
from tests.fuzz.strategies import FUZZ, byte_mutation, refused_cleanly, scratch, values

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "examples" / "shipment.json").read_text(encoding="utf-8"))
RAW = "RAW-TOKEN-7F3"
"""Stands in the tree for a token written into the text as it is (JSON cannot dump an over-long integer)."""
RAW_JSON = ("9" * 5_000, "-" + "9" * 5_000, "1e999", "-1e999", "NaN", "Infinity", "1.5e-400", "-0", "[" * 5_000)
RAW_YAML = (
    "2021-99-99",
    "2001-12-14 99:99:99",
    "2001-12-14t21:59:43.10-05:00",
    "!!binary abc",
    "!!binary ===",
    "!!python/name:os.system",
    "!!float x",
    "!!int 0x",
    "!!timestamp x",
    "!!set {a}",
    "!!omap [a]",
    "!!str",
    "0o17",
    "1_000",
    "1:20:30",
    ".inf",
    ".nan",
    "~",
    "9" * 5_000,
    "&a [1]",
    "*a",
    "{? [a]: b}",
    "[" * 2_000,
)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), values, st.just(RAW)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(values, st.sampled_from(["hs_code", "name"])), inner, max_size=3),
    ),
    max_leaves=6,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON tree (the root included)."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*path, index))
    return found


@st.composite
def mutated_tree(draw: st.DrawFn, tree: Any) -> Any:
    """The example shipment with one to three values replaced, removed, repeated or added."""
    tree = json.loads(json.dumps(tree))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(tree)))
        if not path:
            tree = draw(json_values)
            continue
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        kind = draw(st.sampled_from(["replace", "replace", "remove", "repeat", "add"]))
        if kind == "replace":
            parent[last] = draw(json_values)
        elif kind == "remove":
            del parent[last]
        elif kind == "repeat" and isinstance(parent, list):
            parent.insert(last, parent[last])
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(values)] = draw(json_values)
    return tree


def _write(tree: Any, fmt: str, raw: str) -> str:
    if fmt == "json":
        text = json.dumps(tree, allow_nan=True, ensure_ascii=False)
        return text.replace(json.dumps(RAW), raw)
    text = yaml.safe_dump(tree, allow_unicode=True)
    return text.replace(RAW, raw)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@FUZZ
@given(data=st.data())
def test_mutated_shipment_files(fmt: str, data: st.DataObject) -> None:
    tree = data.draw(mutated_tree(EXAMPLE))
    text = _write(tree, fmt, data.draw(st.sampled_from(RAW_JSON if fmt == "json" else RAW_YAML)))
    raw = text.encode("utf-8", "surrogatepass")
    if data.draw(st.integers(0, 3)) == 0:
        raw = data.draw(byte_mutation(raw))
    with scratch() as folder:
        path = folder / f"shipment.{fmt}"
        path.write_bytes(raw)
        refused_cleanly(lambda: read_shipment(path), str(path))


@pytest.mark.parametrize("fmt", ["json", "yaml", None])
@FUZZ
@given(text=st.one_of(st.text(max_size=300), st.sampled_from(RAW_YAML + RAW_JSON)))
@example(text="!!timestamp")  # PyYAML's constructor failed with AttributeError
@example(text="date: 2021-99-99")  # ValueError from datetime
@example(text='{"parties": ' + "9" * 5_000 + "}")  # ValueError: over Python's 4,300 digits
@example(text='{"\\n": 1, "parties": [], "goods": [], "route": {}}')  # an unknown field named by a newline
def test_arbitrary_text_as_a_shipment(fmt: str | None, text: str) -> None:
    refused_cleanly(lambda: loads_shipment(text, "shipment", fmt), "shipment")
