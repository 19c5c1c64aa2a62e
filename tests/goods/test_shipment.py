"""Shipment files: the minimal shipment is accepted; bad input is one line naming the field, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from clearance.goods.shipment import (
    MAX_BYTES,
    PartyRole,
    ShipmentError,
    loads_shipment,
    parse_shipment,
    read_shipment,
    shipment_schema,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
MINIMAL: dict[str, Any] = {
    "parties": [{"role": "consignee", "name": "OOO Example", "country": "RU", "address": "Moscow"}],
    "goods": [{"hs_code": "854231", "description": "microcontrollers"}],
    "route": {"origin": "DE", "transit": ["KZ"], "destination": "RU"},
}


def variant(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(MINIMAL))
    for path, value in changes.items():
        *parents, last = path.split("__")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return data


def test_the_minimal_shipment_is_accepted_as_json_and_yaml(tmp_path: Path) -> None:
    for name, text in (
        ("s.json", json.dumps(MINIMAL)),
        ("s.yaml", yaml.safe_dump(MINIMAL)),
        ("s.txt", json.dumps(MINIMAL)),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        shipment = read_shipment(tmp_path / name)
        assert shipment.parties[0].role is PartyRole.CONSIGNEE
        assert (shipment.goods[0].hs_code, shipment.route.transit, shipment.route.destination) == (
            "854231",
            ("KZ",),
            "RU",
        )


def test_codes_and_countries_are_normalised() -> None:
    shipment = parse_shipment(
        variant(goods__0__hs_code="8542.31.90", route__destination="Crimea", route__origin="germany")
    )
    assert (shipment.goods[0].hs_code, shipment.route.origin, shipment.route.destination) == (
        "85423190",
        "DE",
        "UA-CRI",
    )
    assert parse_shipment(variant(goods__0__hs_code=...)).goods[0].hs_code is None
    assert parse_shipment(variant(goods__0__description=...)).goods[0].description is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"parties": ...}, "parties: required field is missing"),
        ({"parties": []}, "parties: Tuple should have at least 1 item"),
        ({"route__destination": ...}, "route.destination: required field is missing"),
        ({"route": ...}, "route: required field is missing"),
        ({"parties__0__name": ...}, "parties[0].name: required field is missing"),
        ({"parties__0__role": "buyer"}, "parties[0].role: Input should be 'exporter'"),
        ({"goods__0__hs_code": "8542x1"}, "goods[0].hs_code: not a goods code: '8542x1'"),
        ({"goods__0__hs_code": "85423"}, "goods[0].hs_code: not a goods code: '85423' has 5 digits"),
        ({"goods__0__hs_code": 854231}, 'goods[0].hs_code: give the code as text, e.g. "854231"'),
        ({"goods__0__hs_code": ..., "goods__0__description": ...}, "goods[0]: a goods line needs an hs_code"),
        ({"route__transit": ["XX"]}, "route.transit[0]: unknown country code 'XX'"),
        ({"parties__0__country": "QQ"}, "parties[0].country: unknown country code 'QQ'"),
        ({"route__destination": "Atlantis"}, "route.destination: unknown country 'Atlantis'"),
        ({"goods__0__hscode": "854231"}, "goods[0].hscode: unknown field"),
        ({"goods__0__quantity": -1}, "goods[0].quantity: Input should be greater than or equal to 0"),
        ({"parties__0__imo": "IMO 9187620"}, "parties[0].imo: not an IMO number: 'IMO 9187620' (the check digit"),
        ({"goods__0__dual_use_code": "three"}, "goods[0].dual_use_code: String should match pattern"),
    ],
)
def test_bad_fields_are_named(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ShipmentError) as caught:
        parse_shipment(variant(**changes), "shipment.json")
    assert str(caught.value).startswith(f"shipment.json: {message}"), str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the top level must be an object"),
        ("[1, 2]", "the top level must be an object"),
        ('{"parties": [', "not JSON: Expecting value at line 1, column 14"),
        ("parties: [\n", "not YAML:"),
        (
            "base: &p {role: consignee, name: X}\nparties: [*p]\n",
            "YAML aliases are not accepted in a shipment at line 2",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_text_is_one_line(text: str, message: str) -> None:
    with pytest.raises(ShipmentError) as caught:
        loads_shipment(text, "s")
    assert str(caught.value).startswith(f"s: {message}"), str(caught.value)


def test_a_10_mb_shipment_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = variant()
    big["goods"] = [{"hs_code": "854231", "description": "x" * 1000}] * 10_000
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big), encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    with pytest.raises(ShipmentError, match=rf"big.json: [\d,]+ bytes; a shipment file is at most {MAX_BYTES:,} bytes"):
        read_shipment(path)


def test_other_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ShipmentError, match="cannot read"):
        read_shipment(tmp_path / "missing.json")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(json.dumps(variant(parties__0__name="Société"), ensure_ascii=False).encode("latin-1"))
    with pytest.raises(ShipmentError, match="not UTF-8"):
        read_shipment(latin1)


def test_the_documented_schema_is_the_models() -> None:
    documented = json.loads((DOCS / "shipment.schema.json").read_text(encoding="utf-8"))
    assert documented == shipment_schema()
    assert documented["required"] == ["parties", "goods", "route"]
    assert documented["$defs"]["Route"]["required"] == ["destination"]
