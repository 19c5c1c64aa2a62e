"""The shipped rules: every row of the team-compiled tables, cited, versioned, and nothing else."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from clearance.goods.decision import Decision
from clearance.goods.rules import DATA, Coverage, RegimeKind, RulesError, load_rules


def rows(goods_dir: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((goods_dir / name).open(encoding="utf-8")))


def by_code(regime: str) -> dict[str, dict[str, object]]:
    rules = load_rules().regime(regime).rules
    return {rule.code or rule.item or "": rule.model_dump() for rule in rules}


def test_the_rules_reproduce_the_team_tables_row_for_row(goods_dir: Path) -> None:
    """The 2023 tables that are still the source of a regime; Annexes VII, XXIII and IV: test_rules_2025.py."""
    chpl = by_code("chpl")
    assert chpl.keys() == {r["hs_code"].replace(".", "") for r in rows(goods_dir, "chpl.csv")}
    for row in rows(goods_dir, "chpl.csv"):
        rule = chpl[row["hs_code"].replace(".", "")]
        assert (rule["tier"], rule["description"], rule["printed"]) == (row["tier"], row["description"], row["hs_code"])

    xl = by_code("eu-833-annex-xl")
    assert [(c, r["tier"], r["description"], r["added_by"]) for c, r in xl.items()] == [
        (r["cn_code"], r["tier"], r["description"], r["source_act"]) for r in rows(goods_dir, "eu_annex_xl_chpl_cn.csv")
    ]

    for annex in ("XXIIIA", "XXIIIB"):
        rules = by_code(f"eu-833-annex-{annex.lower()}")
        assert [(c, r["description"], r["added_by"]) for c, r in rules.items()] == [
            (r["cn_code"], r["description"], r["source_act"])
            for r in rows(goods_dir, "eu_annex_xxiii_cn.csv")
            if r["annex"] == annex
        ]

    points = load_rules().regime("fincen-bis-transshipment-2022").countries
    assert [(c.code, c.name) for c in points] == [
        (r["country_code"], r["country"]) for r in rows(goods_dir, "diversion_risk_countries.csv")
    ]


def test_counts_and_legal_bases() -> None:
    rules = load_rules()
    counts = {regime.id: len(regime.rules) for regime in rules.regimes.values()}
    expected = {
        "eu-833-annex-vii": 284,
        "eu-833-annex-xxiii": 509,
        "eu-833-annex-xxiiie": 183,
        "eu-833-annex-xxiiif": 8,
        "eu-833-annex-xxiiig": 60,
        "eu-833-annex-xxiiia": 154,
        "eu-833-annex-xxiiib": 28,
        "eu-833-annex-xl": 50,
        "eu-833-annex-iv": 0,
        "eu-765-annex-va": 284,
        "eu-765-annex-xviii": 430,
        "chpl": 50,
        "fincen-bis-transshipment-2022": 0,
    }
    assert {regime: counts.get(regime) for regime in expected} == expected
    assert len(rules.described_only()) == 172  # Annex VII Part A once: its Belarus mirror is not counted again
    assert sum(rule.ex for rule in rules.regime("eu-833-annex-xxiii").rules) == 11
    vii = rules.regime("eu-833-annex-vii")
    assert (
        vii.legal_basis.cite("B") == "Council Regulation (EU) No 833/2014, Annex VII Part B, Articles 2a(1) and 2b(1)"
    )
    assert vii.applies_to == ("RU",) and vii.effect is Decision.PROHIBITED
    for regime in rules.of_kind(RegimeKind.EXPORT_BAN, RegimeKind.NO_REEXPORT, RegimeKind.WIND_DOWN):
        if not regime.id.startswith(("eu-833-", "eu-765-")):
            continue
        assert regime.legal_basis.act in {"Council Regulation (EU) No 833/2014", "Council Regulation (EC) No 765/2006"}
        assert regime.legal_basis.annex and regime.legal_basis.article, regime.id
        assert all(rule.added_by or rule.listed_in or rule.listing_note for rule in regime.rules), regime.id


def test_854231_is_annex_vii_part_b_of_the_10th_package_and_chpl_tier_1() -> None:
    found = {m.regime.id: m for m in load_rules().matches("854231")}
    assert found.keys() == {"eu-833-annex-vii", "eu-833-annex-xl", "eu-765-annex-va", "chpl"}
    vii = found["eu-833-annex-vii"]
    assert (vii.rule.part, vii.rule.added_by, str(vii.regime.effective(vii.rule))) == (
        "B",
        "Regulation (EU) 2023/427",
        "2023-02-25",
    )
    assert found["chpl"].rule.tier == "1"
    assert {m.regime.id for m in load_rules().matches("85423190")} == found.keys()


def test_prefixes_cover_longer_codes_and_shorter_codes_are_partial() -> None:
    rules = load_rules()
    camera = {m.regime.id: m.rule.label for m in rules.matches("852589")}
    assert camera == {
        "eu-833-annex-vii": "8525 89",
        "eu-833-annex-xxiii": "8525",
        "eu-833-annex-xl": "8525 89",
        "eu-765-annex-va": "8525 89",
        "eu-765-annex-xviii": "8525",
        "chpl": "8525.89",
    }
    heading = rules.matches("8542")
    assert heading and all(m.coverage is Coverage.NARROWER for m in heading)
    trucks = rules.matches("870422")
    assert [(m.regime.id, m.rule.label, m.coverage) for m in trucks] == [
        ("eu-833-annex-xxiii", "Ex 8704", Coverage.PART_OF_CODE),
        ("eu-765-annex-xviii", "Ex 8704", Coverage.PART_OF_CODE),
    ]
    assert "covers only part of this code" in (trucks[0].note() or "")
    assert rules.matches("280530") == []  # rare earths: Annex VII Part A by description, never by code
    assert rules.matches("441830") == [] and rules.matches("441860")


def test_the_version_is_the_declared_one_plus_the_files_sha256(tmp_path: Path) -> None:
    shipped = load_rules().version
    assert (shipped.name, shipped.version, len(shipped.sha256)) == ("clearance-goods-rules", "2", 64)
    copy = tmp_path / "rules"
    shutil.copytree(DATA, copy)
    assert load_rules(copy).version == shipped
    chpl = copy / "chpl.yaml"
    chpl.write_text(chpl.read_text(encoding="utf-8").replace("tier: 4.B", "tier: 4.A", 1), encoding="utf-8")
    assert load_rules(copy).version.sha256 != shipped.sha256


@pytest.mark.parametrize(
    ("file", "old", "new", "phrase"),
    [
        ("chpl.yaml", "- code: '854231'", "- code: '8542.31'", "chpl.yaml, field rules[0].code: write codes as digits"),
        ("chpl.yaml", "- code: '854231'", "- code: '85423'", "rules[0].code: not a goods code"),
        ("eu-833-annex-xl.yaml", "effect: prohibited", "effect: forbidden", "field effect"),
        ("eu-833-annex-vii.yaml", "added_by: Regulation (EU) 2023/427", "added_by: Regulation (EU) 2023/999", "act"),
        ("rules.yaml", "format: clearance-goods-rules/1", "format: other/2", "unknown format"),
        ("rules.yaml", "  - chpl.yaml\n", "  - chpl.yaml\n  - missing.yaml\n", "missing.yaml: cannot read"),
        ("destinations.yaml", "names: [Sevastopol,", "names: [Simferopol,", "given for both"),
        (
            "eu-833-annex-xl.yaml",
            "latest_act: Regulation (EU) 2025/2033",
            "latest_act: Regulation (EU) 2024/1745",
            "is dated 2024-06-24, but as_of is 2025-10-23",
        ),
        ("eu-833-annex-xl.yaml", "as_of: 2025-10-23", "as_of: 2025-10-24", "latest_act"),
        ("eu-833-annex-vii.yaml", "  - '280530'", "  - '28053'", "rules[119].hints: not a goods code"),
        ("eu-765-annex-va.yaml", "mirrors: eu-833-annex-vii", "mirrors: eu-833-annex-vi", "field mirrors"),
        ("eu-833-annex-xxiiig.yaml", "  regime: eu-833-annex-xxiii", "  regime: eu-833-annex-iv", "field transition"),
        ("eu-833-annex-xxiiia.yaml", "date: 2024-06-25", "date: 2023-01-01", "repealed on 2023-01-01"),
    ],
)
def test_a_broken_rules_file_is_named_with_its_field(
    tmp_path: Path, file: str, old: str, new: str, phrase: str
) -> None:
    copy = tmp_path / "rules"
    shutil.copytree(DATA, copy)
    text = (copy / file).read_text(encoding="utf-8")
    assert old in text
    (copy / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(copy)
    assert phrase in str(caught.value) and "\n" not in str(caught.value)
