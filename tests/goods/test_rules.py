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
    chpl = by_code("chpl")
    assert chpl.keys() == {r["hs_code"].replace(".", "") for r in rows(goods_dir, "chpl.csv")}
    for row in rows(goods_dir, "chpl.csv"):
        rule = chpl[row["hs_code"].replace(".", "")]
        assert (rule["tier"], rule["description"], rule["printed"]) == (row["tier"], row["description"], row["hs_code"])

    xl = by_code("eu-833-annex-xl")
    assert [(c, r["tier"], r["description"], r["added_by"]) for c, r in xl.items()] == [
        (r["cn_code"], r["tier"], r["description"], r["source_act"]) for r in rows(goods_dir, "eu_annex_xl_chpl_cn.csv")
    ]

    vii = by_code("eu-833-annex-vii")
    for row in rows(goods_dir, "eu_annex_vii.csv"):
        rule = vii[row["cn_code"] or row["item_code"]]
        assert (rule["part"], rule["group"], rule["description"]) == (row["part"], row["category"], row["description"])
        assert rule["truncated"] == (row["truncated"] == "yes")
        if row["part"] == "B":
            assert (rule["printed"], rule["added_by"]) == (row["item_code"], row["added_by_act"])
        else:
            assert rule["code"] is None and row["added_by_act"].startswith(str(rule["listed_in"]))
    assert len(vii) == 213

    main = by_code("eu-833-annex-xxiii")
    assert [(c, r["printed"], r["ex"], r["description"]) for c, r in main.items()] == [
        (r["cn_code"], r["cn_code_as_printed"], r["ex_code"] == "yes", r["description"])
        for r in rows(goods_dir, "eu_annex_xxiii_main_cn.csv")
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
    assert (DATA / "eu_annex_iv_entities.csv").read_bytes() == (goods_dir / "eu_annex_iv_entities.csv").read_bytes()


def test_counts_and_legal_bases() -> None:
    rules = load_rules()
    counts = {regime.id: len(regime.rules) for regime in rules.regimes.values()}
    assert counts == {
        "eu-833-annex-vii": 213,
        "eu-833-annex-xxiii": 592,
        "eu-833-annex-xxiiia": 154,
        "eu-833-annex-xxiiib": 28,
        "eu-833-annex-xl": 50,
        "eu-833-annex-iv": 0,
        "chpl": 50,
        "fincen-bis-transshipment-2022": 0,
    }
    assert len(rules.described_only()) == 160
    assert sum(rule.ex for rule in rules.regime("eu-833-annex-xxiii").rules) == 10
    vii = rules.regime("eu-833-annex-vii")
    assert (
        vii.legal_basis.cite("B") == "Council Regulation (EU) No 833/2014, Annex VII Part B, Articles 2a(1) and 2b(1)"
    )
    assert vii.applies_to == ("RU",) and vii.effect is Decision.PROHIBITED
    for regime in rules.of_kind(RegimeKind.EXPORT_BAN, RegimeKind.NO_REEXPORT):
        assert regime.legal_basis.act == "Council Regulation (EU) No 833/2014" and regime.legal_basis.annex
        assert all(rule.added_by or rule.listed_in for rule in regime.rules), regime.id


def test_854231_is_annex_vii_part_b_of_the_10th_package_and_chpl_tier_1() -> None:
    found = {m.regime.id: m for m in load_rules().matches("854231")}
    assert found.keys() == {"eu-833-annex-vii", "eu-833-annex-xl", "chpl"}
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
        "chpl": "8525.89",
    }
    heading = rules.matches("8542")
    assert heading and all(m.coverage is Coverage.NARROWER for m in heading)
    trucks = rules.matches("870422")
    assert [(m.rule.label, m.coverage) for m in trucks] == [("ex 8704", Coverage.PART_OF_CODE)]
    assert "covers only part of this code" in (trucks[0].note() or "")
    assert rules.matches("280530") == []  # rare earths: Annex VII Part A by description, never by code
    assert rules.matches("441830") == [] and rules.matches("441860")


def test_the_version_is_the_declared_one_plus_the_files_sha256(tmp_path: Path) -> None:
    shipped = load_rules().version
    assert (shipped.name, shipped.version, len(shipped.sha256)) == ("clearance-goods-rules", "1", 64)
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
