"""EU Annex IV as a list source: the shipped file, read like any list."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clearance.errors import ListFormatError
from clearance.lists.eu_annex_iv import SOURCE, parse
from clearance.lists.registry import get_source
from clearance.model import EntityKind, NameQuality

ENTITIES = {entity.id: entity for entity in parse(SOURCE.bundled or Path("missing")).entities}


def test_every_entry_is_read(goods_dir: Path) -> None:
    rows = list(csv.DictReader((goods_dir / "eu_annex_iv_entities.csv").open(encoding="utf-8")))
    assert len(ENTITIES) == len(rows) == 622
    assert get_source("eu-annex-iv") is SOURCE and SOURCE.bundled and SOURCE.bundled.is_file()
    tenth = [e for e in ENTITIES.values() if e.remarks and e.remarks.endswith("Listed by: Regulation (EU) 2023/427")]
    assert len(tenth) == 96
    assert {int(e.id.split(":")[1]) for e in tenth} == set(range(411, 507))


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
        ("entry_no,name,", "entry,name,", "expected columns"),
        ("\n2,OJSC Stankoinstrument,", "\n1,OJSC Stankoinstrument,", "occurs twice"),
        ("\n2,OJSC Stankoinstrument,", "\nx,OJSC Stankoinstrument,", "entry_no"),
        ("\n2,OJSC Stankoinstrument,", "\n2,,", "field name"),
        (
            "\n2,OJSC Stankoinstrument,Russia,RU,",
            "\n2,OJSC Stankoinstrument,Russia,RUS,",
            "entry 2, field country_code",
        ),
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
