"""EU Annex IV as a list source: the shipped file, read like any list."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.lists.eu_annex_iv import SOURCE, parse
from clearance.lists.registry import get_source
from clearance.model import EntityKind, NameQuality

ENTITIES = {entity.id: entity for entity in parse(SOURCE.bundled or Path("missing")).entities}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_entry_is_read(goods_dir: Path) -> None:
    base = read(goods_dir / "eu_annex_iv_entities.csv")
    changes = read(goods_dir / "eu-2025" / "eu_annex_iv_changes_2024_2025.csv")
    added = sum(r["change"] == "added" for r in changes)
    removed = sum(r["change"].startswith("removed") for r in changes)
    assert (len(base), added, removed) == (622, 275, 1)
    assert len(ENTITIES) == len(base) + added - removed == 896
    assert get_source("eu-annex-iv") is SOURCE and SOURCE.bundled and SOURCE.bundled.is_file()
    tenth = [e for e in ENTITIES.values() if e.remarks and e.remarks.endswith("Listed by: Regulation (EU) 2023/427")]
    assert len(tenth) == 96
    assert {int(e.id.split(":")[1]) for e in tenth} == set(range(411, 507))
    assert parse(SOURCE.bundled).published == dt.datetime(2025, 10, 23, tzinfo=dt.UTC)  # Regulation (EU) 2025/2033


def test_the_shipped_file_is_the_2023_table_then_the_changes_row_for_row(goods_dir: Path) -> None:
    """The 2023/2878 entries unchanged, under their numbers; then each later addition, in the order listed, under the
    id of its listing act and number there; the entry the Annex dropped (Qisda Optronics, 2025/932) is not there."""
    assert SOURCE.bundled is not None
    shipped = read(SOURCE.bundled)
    base = read(goods_dir / "eu_annex_iv_entities.csv")
    old = ("entry_no", "name", "country", "country_code", "added_by_act", "source_url")
    assert [tuple(r[c] for c in old) for r in shipped[:622]] == [tuple(r[c] for c in old) for r in base]
    assert all(r["id"] == r["entry_no"] and not (r["aliases"] or r["listed_on"]) for r in shipped[:622])
    changes = read(goods_dir / "eu-2025" / "eu_annex_iv_changes_2024_2025.csv")
    gone = {r["name_as_printed"] for r in changes if r["change"].startswith("removed")}
    kept = [r for r in changes if r["change"] == "added" and r["name_as_printed"] not in gone]
    assert len(shipped) == 622 + len(kept) == 896
    assert len(gone) == 1 and next(iter(gone)).startswith("Qisda Optronics (Suzhou)")
    named = {"Russia": "RU", "China": "CN", "India": "IN", "Sri Lanka": "LK", "Hong Kong, China": "HK", "Serbia": "RS"}
    named |= {"Kazakhstan": "KZ", "Thailand": "TH", "Türkiye": "TR"}
    for row, change in zip(shipped[622:], kept, strict=True):
        act = re.fullmatch(r"Regulation \(EU\) (\d{4})/(\d+)", change["act"])
        assert act is not None
        day, month, year = change["date_of_listing"].split(".")
        assert (row["id"], row["entry_no"], row["entry_no_current"], row["name"], row["added_by_act"]) == (
            f"{act[1]}-{act[2]}-{change['entry_no_as_listed']}",
            change["entry_no_as_listed"],
            change["entry_no_current"],
            change["name"],
            change["act"],
        )
        assert row["listed_on"] == dt.date(int(year), int(month), int(day)).isoformat()
        assert (row["country"], row["identifying_information"], row["source_url"]) == (
            change["country"],
            change["identifying_information"],
            change["source_url"],
        )
        derived = change["country"].removesuffix("(derived from address)").strip()
        assert row["country_code"] == (named[derived] if derived in named else derived)
        assert all(alias in change["name_as_printed"] for alias in row["aliases"].split("; ") if alias)


def test_ids_are_unique_and_later_entries_never_take_a_bare_number() -> None:
    ids = [e.id for e in ENTITIES.values()]
    assert len(ids) == len(set(ids)) == 896
    later = [e for e in ENTITIES.values() if e.listed_on is not None]
    assert len(later) == 274 and all(re.fullmatch(r"eu-annex-iv:\d{4}-\d+-\d+", e.id) for e in later)
    numbered = sorted(int(i.split(":")[1]) for i in ids if re.fullmatch(r"eu-annex-iv:\d+", i))
    assert numbered == list(range(1, 623))  # the 2023/2878 entries, under their numbers in that text


def test_an_entity_of_the_19th_package_is_listed_with_its_date_and_qisda_is_gone() -> None:
    unikom = ENTITIES["eu-annex-iv:2025-2033-861"]
    assert (unikom.name, unikom.listed_on, unikom.source_url) == (
        "Unikom LLC",
        dt.date(2025, 10, 24),
        "https://eur-lex.europa.eu/eli/reg/2025/2033/oj",
    )
    assert [n.full for n in unikom.names] == ["Unikom LLC", "ООО Уником"]
    assert [(a.full, a.country) for a in unikom.addresses] == [
        ("Office 516, Room 21N, Lett. A, 9 Lipovaya Alley, 197183, St. Petersburg, Russian Federation", "RU")
    ]
    assert unikom.remarks and unikom.remarks.startswith(
        "Annex IV entry 861 (entry 861 of Regulation (EU) 2025/2033). "
        "Listed by: Regulation (EU) 2025/2033 on 2025-10-24."
    )
    assert (
        sum(e.listed_on is not None and e.listed_on.year == 2025 and e.listed_on.month == 10 for e in ENTITIES.values())
        == 45
    )
    assert not [e for e in ENTITIES.values() if any("Qisda" in n.full for n in e.names)]
    renumbered = ENTITIES["eu-annex-iv:2024-745-624"]  # number 624 in 2024/745, 589 in the Annex as amended since
    assert (renumbered.name, renumbered.addresses[0].country) == ("Si2 Microsystems Pvt Ltd", "IN")
    assert renumbered.remarks == (
        "Annex IV entry 589 (entry 624 of Regulation (EU) 2024/745). Listed by: Regulation (EU) 2024/745 on 2024-02-23"
    )


def test_a_later_entry_gives_its_aliases_and_every_country() -> None:
    xinghua = ENTITIES["eu-annex-iv:2025-1494-802"]
    assert "北京兴华恒成科技有限公司" in {n.full for n in xinghua.names}
    assert "Xingtac" in {n.full for n in xinghua.names}
    assert {a.country for a in xinghua.addresses if a.country} == {"HK", "CN"}
    assert any(a.full and "Wan Chai, Hong Kong" in a.full for a in xinghua.addresses)


def test_qods_aviation_industries_is_entry_442_of_the_10th_package() -> None:
    qods = ENTITIES["eu-annex-iv:442"]
    assert (qods.name, qods.kind, qods.programmes) == (
        "Qods Aviation Industries",
        EntityKind.ORGANIZATION,
        ("EU-833/2014-ANNEX-IV",),
    )
    assert qods.addresses[0].country == "IR"
    assert qods.remarks == "Annex IV entry 442. Listed by: Regulation (EU) 2023/427"
    assert qods.source_url == "https://eur-lex.europa.eu/eli/reg/2023/427/oj"


def test_names_aliases_and_kinds() -> None:
    hesa = ENTITIES["eu-annex-iv:536"]
    assert [(n.full, n.quality) for n in hesa.names] == [
        ("Iran Aircraft Manufacturing Industries Corporation (HESA)", NameQuality.PRIMARY),
        ("Iran Aircraft Manufacturing Industries Corporation", NameQuality.STRONG),
        ("HESA", NameQuality.WEAK),
    ]
    assert "Central Institute of Aviation Motors" in {n.full for n in ENTITIES["eu-annex-iv:248"].names}
    assert ENTITIES["eu-annex-iv:81"].kind is EntityKind.PERSON
    assert ENTITIES["eu-annex-iv:370"].kind is EntityKind.ORGANIZATION  # A.A. Kharkevich Institute
    zaliv = ENTITIES["eu-annex-iv:26"]
    assert zaliv.addresses[0].country == "UA" and "Crimea" in str(zaliv.addresses[0])
    assert ENTITIES["eu-annex-iv:1"].addresses == ()  # the Annex's country of JSC Sirius was not captured


@pytest.mark.parametrize(
    ("old", "new", "phrase"),
    [
        ("id,entry_no,", "entry,entry_no,", "expected columns"),
        ("\n2,2,,OJSC Stankoinstrument,", "\n1,2,,OJSC Stankoinstrument,", "occurs twice"),
        ("\n2,2,,OJSC Stankoinstrument,", "\n2,x,,OJSC Stankoinstrument,", "field entry_no"),
        ("\n2,2,,OJSC Stankoinstrument,", "\n2-2,2,,OJSC Stankoinstrument,", "field id"),
        ("\n2,2,,OJSC Stankoinstrument,", "\n2,2,,,", "field name"),
        ("OJSC Stankoinstrument,,Russia,RU,", "OJSC Stankoinstrument,,Russia,RUS,", "entry 2, field country_code"),
        ("Regulation (EU) 2025/2033,2025-10-24,", "Regulation (EU) 2025/2033,24.10.2025,", "field listed_on"),
    ],
)
def test_a_spoilt_file_is_refused_in_one_line(tmp_path: Path, old: str, new: str, phrase: str) -> None:
    assert SOURCE.bundled is not None
    text = SOURCE.bundled.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "annex-iv.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ListFormatError) as caught:
        parse(path)
    assert phrase in str(caught.value) and str(path) in str(caught.value) and "\n" not in str(caught.value)
