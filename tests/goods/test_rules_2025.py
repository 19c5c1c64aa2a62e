"""The EU goods rules current to Regulation (EU) 2025/2033: every row of the eu-2025 tables, cited and dated."""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clearance.goods.decision import Decision
from clearance.goods.rules import GoodsRule, Regime, RegimeKind, RuleSet, load_rules, regime_dates

ROOT = Path(__file__).resolve().parents[2]
LATEST = "Regulation (EU) 2025/2033"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def table(goods_dir: Path, name: str) -> list[dict[str, str]]:
    with (goods_dir / "eu-2025" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def first_listing(rule: GoodsRule) -> str:
    """The table's `added_by_act` as the rule records it: the act, its qualifier, or what is known instead."""
    if rule.added_by and rule.listing_note:
        return f"{rule.added_by} ({rule.listing_note})"
    return rule.added_by or rule.listing_note or ""


def test_annex_vii_reproduces_the_2025_table_row_for_row(goods_dir: Path, rules: RuleSet) -> None:
    vii = rules.regime("eu-833-annex-vii")
    found = {rule.code or rule.item: rule for rule in vii.rules}
    rows = table(goods_dir, "eu_annex_vii_2025.csv")
    assert [r["cn_code"] or r["item_code"] for r in rows] == [rule.code or rule.item for rule in vii.rules]
    assert (sum(r["part"] == "A" for r in rows), sum(r["part"] == "B" for r in rows)) == (172, 112)
    for row in rows:
        rule = found[row["cn_code"] or row["item_code"]]
        assert (rule.part, rule.group, rule.description, rule.truncated) == (
            row["part"],
            row["category"],
            row["description"],
            row["truncated"] == "yes",
        )
        assert first_listing(rule) == row["added_by_act"]
        assert rule.listed_in == row["text_as_of_act"]
        assert vii.acts[rule.listed_in].url == row["source_url"]
        if row["part"] == "B":
            assert (rule.code, rule.printed, rule.ex, rule.added_by) == (
                row["cn_code"],
                row["item_code"],
                False,
                row["added_by_act"],
            )
        else:
            assert rule.code is None and not rule.truncated  # the full text, not an abridgement
    for name, act in vii.acts.items():
        number = re.fullmatch(r"Regulation \(EU\) (\d{4})/(\d+)", name)
        assert number and act.url == f"https://eur-lex.europa.eu/eli/reg/{number[1]}/{number[2]}/oj"
    assert vii.acts[LATEST].date == dt.date(2025, 10, 23)


def test_part_b_codes_added_by_the_19th_package_are_matched_citing_it(rules: RuleSet) -> None:
    rangefinders = {m.regime.id: m for m in rules.matches("90151000")}["eu-833-annex-vii"]
    assert (rangefinders.rule.label, rangefinders.rule.added_by) == ("9015 10 00", LATEST)
    assert rangefinders.regime.effective(rangefinders.rule) == dt.date(2025, 10, 23)
    assert rangefinders.regime.cite(rangefinders.rule).endswith(f"9015 10 00 added by {LATEST}")
    tantalum = [m for m in rules.matches("81039900") if m.regime.id == "eu-833-annex-vii"]
    assert [(m.rule.label, m.rule.added_by) for m in tantalum] == [("8103 99", LATEST)]


def test_annex_xxiii_is_the_list_as_replaced_by_2025_2033(goods_dir: Path, rules: RuleSet) -> None:
    xxiii = rules.regime("eu-833-annex-xxiii")
    rows = table(goods_dir, "eu_annex_xxiii_2025.csv")
    assert [(r.code, r.printed, r.ex, r.description, r.listed_in) for r in xxiii.rules] == [
        (r["cn_code"], r["cn_code_as_printed"], r["ex_code"] == "yes", r["description"], r["source_act"]) for r in rows
    ]
    assert len(rows) == 509 and sum(rule.ex for rule in xxiii.rules) == 11
    assert (xxiii.latest_act, xxiii.as_of) == (LATEST, dt.date(2025, 10, 23))
    for row, rule in zip(rows, xxiii.rules, strict=True):
        if row["status_vs_2023_1214"].startswith("same code"):
            assert "Regulation (EU) 2023/1214 or earlier" in (rule.listing_note or "")
        else:
            assert "not resolved" in (rule.listing_note or "") and rule.added_by is None


def test_a_code_new_in_annex_xxiii_is_matched_citing_2025_2033(goods_dir: Path, rules: RuleSet) -> None:
    new = [r for r in table(goods_dir, "eu_annex_xxiii_2025.csv") if r["status_vs_2023_1214"] == "NEW since 2023/1214"]
    assert len(new) == 86
    for row in new:
        found = [m for m in rules.matches(row["cn_code"]) if m.regime.id == "eu-833-annex-xxiii"]
        assert [m.rule.printed for m in found if m.rule.code == row["cn_code"]] == [row["cn_code_as_printed"]]
    ores = next(m for m in rules.matches("2613") if m.regime.id == "eu-833-annex-xxiii")
    assert ores.rule.label == "26"
    assert (
        ores.regime.cite(ores.rule)
        == f"Council Regulation (EU) No 833/2014, Annex XXIII, Article 3k; 26 as listed in {LATEST}"
    )


@pytest.mark.parametrize(
    ("annex", "article", "act", "contracts_before", "until"),
    [
        ("XXIIIE", "Article 3k(3ah)", "Regulation (EU) 2025/1494", dt.date(2025, 7, 20), dt.date(2025, 10, 21)),
        ("XXIIIF", "Article 3k(3ai)", "Regulation (EU) 2025/1494", dt.date(2025, 7, 20), dt.date(2026, 1, 21)),
        ("XXIIIG", "Article 3k(3aj)", LATEST, dt.date(2025, 10, 24), dt.date(2026, 1, 25)),
    ],
)
def test_annexes_xxiiie_f_g_are_wind_downs_of_the_annex_xxiii_ban(
    goods_dir: Path,
    rules: RuleSet,
    annex: str,
    article: str,
    act: str,
    contracts_before: dt.date,
    until: dt.date,
) -> None:
    regime = rules.regime(f"eu-833-annex-{annex.lower()}")
    rows = [r for r in table(goods_dir, "eu_annex_xxiii_efg_2025.csv") if r["annex"] == annex]
    assert [(r.code, r.printed, r.ex, r.description, r.added_by) for r in regime.rules] == [
        (r["cn_code"], r["cn_code_as_printed"], r["ex_code"] == "yes", r["description"], r["source_act"]) for r in rows
    ]
    assert {r["referred_to_in"] for r in rows} == {article} == {regime.legal_basis.article}
    assert (regime.kind, regime.effect, regime.applies_to) == (RegimeKind.WIND_DOWN, Decision.REVIEW, ("RU",))
    assert regime.transition is not None
    assert (regime.transition.regime, regime.transition.contracts_before, regime.transition.until) == (
        "eu-833-annex-xxiii",
        contracts_before,
        until,
    )
    assert regime.latest_act == act and f"until {until.day} " in regime.coverage
    code = regime.rules[0].code or ""
    assert regime.id not in {m.regime.id for m in rules.matches(code)}  # every period is over
    assert regime.id in {m.regime.id for m in rules.matches(code, on=until)}
    assert regime.id not in {m.regime.id for m in rules.matches(code, on=until + dt.timedelta(days=1))}
    assert "eu-833-annex-xxiii" in {m.regime.id for m in rules.matches(code)}  # the ban itself applies


@pytest.mark.parametrize(
    ("annex", "repeal", "in_force"),
    [
        ("XXIIIA", "Regulation (EU) 2024/1745", dt.date(2024, 6, 25)),
        ("XXIIIB", "Regulation (EU) 2025/395", dt.date(2025, 2, 25)),
    ],
)
def test_deleted_annexes_are_history_matched_only_before_their_deletion(
    goods_dir: Path, rules: RuleSet, annex: str, repeal: str, in_force: dt.date
) -> None:
    regime = rules.regime(f"eu-833-annex-{annex.lower()}")
    assert regime.repealed is not None and (regime.repealed.act, regime.repealed.date) == (repeal, in_force)
    assert not regime.in_force() and regime.in_force(in_force - dt.timedelta(days=1))
    coverage = [
        r for r in table(goods_dir, "eu_annex_xxiiiab_coverage_in_xxiii_2025.csv") if r["deleted_annex"] == annex
    ]
    assert [r["cn_code"] for r in coverage] == [rule.code for rule in regime.rules]
    for row in coverage:
        today = {m.regime.id: m.rule.code for m in rules.matches(row["cn_code"])}
        assert regime.id not in today
        assert today["eu-833-annex-xxiii"] == row["covering_code_in_xxiii_2025"]  # still banned, under XXIII
        before = {m.regime.id for m in rules.matches(row["cn_code"], on=in_force - dt.timedelta(days=1))}
        assert regime.id in before
        assert regime.id not in {m.regime.id for m in rules.matches(row["cn_code"], on=in_force)}


def test_part_a_is_found_by_keyword_and_by_code_hint(rules: RuleSet) -> None:
    by_words = {(m.regime.id, m.rule.item): m.why for m in rules.part_a("neodymium oxide, rare earth compounds", None)}
    assert by_words[("eu-833-annex-vii", "X.C.IX.012")] == 'keywords "rare earth", "rare earth compound", "neodymium"'
    by_code = {(m.regime.id, m.rule.item): m.why for m in rules.part_a(None, "284690")}
    assert by_code[("eu-833-annex-vii", "X.C.IX.012")] == "code 2846 90 falls under 2846, a classification hint"
    assert {(m.regime.id, m.rule.item) for m in rules.part_a(None, "2805.30")} >= {("eu-833-annex-vii", "X.C.IX.012")}
    assert rules.part_a("Rare-Earth magnets", None)[0].rule.item == "X.C.IX.012"  # any case, hyphen as a space
    assert ("eu-765-annex-va", "X.C.IX.012") in by_words  # the Belarus annex carries the same item


def test_part_a_keywords_are_whole_words_and_precise(rules: RuleSet) -> None:
    def items(description: str) -> set[str]:
        return {m.rule.item or "" for m in rules.part_a(description, None) if m.regime.id == "eu-833-annex-vii"}

    assert items("CNC lathe, 5-axis machining centre") >= {"X.B.X.004"}
    assert items("thermal imaging camera 640x512") == {"X.A.IV.003"}
    assert items("lithium carbonate, battery grade (CAS 554-13-2)") == {"X.C.IX.014"}
    assert items("lithium-ion battery pack") == set()  # `lithium` alone names batteries, not the listed compounds
    assert items("laser printer toner cartridges") == set()
    assert items("acetone, technical grade") == {"X.C.IX.001"}
    assert items("ceriumoxide polishing powder") == set()  # part of a word is not a keyword
    assert rules.part_a(None, None) == [] and rules.part_a("", "9999") == []


def test_every_regime_says_how_current_it_is_and_what_it_leaves_out(rules: RuleSet) -> None:
    dates = {d.id: d for d in regime_dates()}
    for regime in rules.regimes.values():
        latest = regime.acts[regime.latest_act]
        assert latest.date == regime.as_of and all(a.date <= latest.date for a in regime.acts.values()), regime.id
        assert (dates[regime.id].latest_act, dates[regime.id].as_of, dates[regime.id].gaps) == (
            regime.latest_act,
            regime.as_of,
            regime.gaps,
        )
        if regime.id.startswith("eu-833-"):
            assert regime.gaps, regime.id
            if regime.repealed is None:
                assert any("2026/506" in gap for gap in regime.gaps), regime.id
    assert dates["eu-833-annex-xxiiia"].repealed == rules.regime("eu-833-annex-xxiiia").repealed
    assert rules.regime("eu-833-annex-xl").latest_act == LATEST
    assert "12gb" in rules.regime("eu-833-annex-xl").title
    assert rules.regime("chpl").latest_act == rules.regime("chpl").legal_basis.act  # a publication is its own act


def test_belarus_annex_va_carries_the_russia_annex_vii_rules_with_the_mirror_citation(rules: RuleSet) -> None:
    va, vii = rules.regime("eu-765-annex-va"), rules.regime("eu-833-annex-vii")
    assert (va.mirrors, va.applies_to, vii.applies_to, va.effect) == (vii.id, ("BY",), ("RU",), Decision.PROHIBITED)
    assert (va.legal_basis.act, va.legal_basis.annex, va.legal_basis.article) == (
        "Council Regulation (EC) No 765/2006",
        "Va",
        "Article 1f",
    )
    assert [(r.code, r.item, r.description, r.keywords, r.hints) for r in va.rules] == [
        (r.code, r.item, r.description, r.keywords, r.hints) for r in vii.rules
    ]
    assert all(r.added_by is None and r.listed_in is None for r in va.rules)  # 833/2014's acts did not list them in Va
    note = va.mirror_note or ""
    assert (
        "Regulation (EU) 2025/2041" in note and "Not verified" in note and va.latest_act == "Regulation (EU) 2025/2041"
    )
    processors = next(m for m in rules.matches("854231") if m.regime.id == va.id)
    assert processors.regime.cite(processors.rule) == (
        "Council Regulation (EC) No 765/2006, Annex Va Part B, Article 1f; 8542 31 as in Annex VII to Council "
        "Regulation (EU) No 833/2014 (added by Regulation (EU) 2023/427), which Annex Va mirrors"
    )


def test_belarus_annex_xviii_is_transcribed_and_differs_from_annex_xxiii(rules: RuleSet) -> None:
    xviii, xxiii = rules.regime("eu-765-annex-xviii"), rules.regime("eu-833-annex-xxiii")
    text = (ROOT / "bench" / "goods_rules_data" / "765_annex_xviii_2025_2041.md").read_text(encoding="utf-8")
    printed = re.findall(r"^\| ((?:Ex )?\d[\d ]*?) \| ", text, flags=re.MULTILINE)
    assert [r.printed for r in xviii.rules] == printed and len(printed) == 430
    assert (xviii.mirrors, xviii.applies_to, xviii.legal_basis.article) == (None, ("BY",), "Article 1bb")
    assert all(r.listed_in == "Regulation (EU) 2025/2041" for r in xviii.rules)
    belarus, russia = {r.code for r in xviii.rules}, {r.code for r in xxiii.rules}
    assert belarus - russia == {"8609"} and {"8402", "8413", "8501", "95030075"} <= russia - belarus
    assert {m.regime.id for m in rules.matches("860900")} == {xviii.id}
    hybrids = {m.regime.id: m.rule.ex for m in rules.matches("870340")}
    assert hybrids == {xviii.id: True, xxiii.id: False}  # Belarus lists only high-clearance vehicles


def test_the_shipped_yaml_is_what_the_generator_writes() -> None:
    """The rules files ship; the script that writes them from the tables must still write exactly them."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "goods_rules.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_regime_model_keeps_its_promises() -> None:
    """Consistency is checked on load: a regime whose latest act or history disagrees is refused."""
    vii = load_rules().regime("eu-833-annex-vii").model_dump()
    for change, phrase in [
        ({"latest_act": "Regulation (EU) 2025/1494"}, "is dated 2025-07-18"),
        ({"kind": "wind_down"}, "wind_down regime"),
        ({"mirrors": "eu-833-annex-xxiii"}, "mirroring regime lists no rules"),
    ]:
        with pytest.raises(ValueError, match=phrase):
            Regime.model_validate({**vii, **change})
