"""Names as other languages and scripts write them, and text noise, screened against the real lists.

Positives: Vladimir Putin as German, French, Dutch, Polish, Hungarian, Lithuanian, Greek, Armenian, Arabic,
Hebrew, Korean, Japanese and Chinese write him, and with noise in the text. Negatives: people of Wikidata's
Hebrew and Korean name pairs who are not listed (their English name is no hit), in their own script.
"""

from __future__ import annotations

import csv
import gzip
import random

import pytest

from clearance.matching import Party, Screener
from tests.conftest import SHARED

PUTIN = [
    "Wladimir Wladimirowitsch Putin",  # German
    "Vladimir Poutine",  # French
    "Vladimir Poetin",  # Dutch
    "Władimir Władimirowicz Putin",  # Polish
    "Vlagyimir Vlagyimirovics Putyin",  # Hungarian
    "Vladimiras Putinas",  # Lithuanian
    "Vladimirs Putins",  # Latvian
    "Βλαντίμιρ Πούτιν",  # Greek
    "Վլադիմիր Պուտին",  # Armenian
    "व्लादिमीर पुतिन",  # Hindi
    "فلاديمير بوتين",  # Arabic
    "ולדימיר פוטין",  # Hebrew
    "블라디미르 푸틴",  # Korean
    "ウラジーミル・プーチン",  # Japanese
    "V.l.a.d.i.m.i.r P.u.t.i.n",
    "V1adimir Put1n",
    "Vladimir 😀 Putin",
    "\u202enituP rimidalV",  # displayed right to left: Vladimir Putin
]
READ = [
    ("케빈 제바스티안 플로레스 차베스", "ofac-sdn:21025"),  # FLORES CHAVEZ, Kevin Sebastian: chabes
    ("胡安·卡洛斯·梅薩·巴列霍", "ofac-sdn:17025"),  # MESA VALLEJO, Juan Carlos: baleho
    ("モハンマド・アザム・エルミ", "un:TAi.063"),  # MOHAMMAD AZAM ELMI: erumi
    ("오사마 빈라덴", "ofac-sdn:6365"),  # BIN LADEN, Usama: binraden, two words run together
    ("هاردينغ إلفيس تشو ريوس", "ofac-sdn:10273"),  # CHOW RIOS, Harding Elvis: Arabic تش for ch
    ("يوسف عباس", "ofac-sdn:8209"),  # ABBES, Youcef: the Maghrebi spelling of Abbas
    ("יחיא ג'אמה", "ofac-sdn:23304"),  # JAMMEH, Yahya: Hebrew writes no silent final h
    ("라마단 압달라", "ofac-sdn:4257"),  # ABDALLAH, Ramadan
]
TITLED = [
    ("آية الله علي خامنئي", "ofac-sdn:26945"),  # Ayatollah Ali Khamenei
    ("سید علی حسینی خامنهای", "ofac-sdn:26945"),  # Persian Sayyid, and Khamenei's ending without its non-joiner
    ("السيد علي الحسيني الخامنئي", "ofac-sdn:26945"),  # the article before two words lists leave out
]
PAIRS = SHARED / "names" / "translit_fullname_pairs.tsv.gz"


@pytest.fixture(scope="module")
def putin(screener: Screener) -> set[str]:
    """Every listed entity that is Vladimir Putin."""
    return {hit.entity.id for hit in screener.screen(Party(name="Vladimir Putin")) if hit.score >= 0.99}


@pytest.mark.parametrize("name", PUTIN)
def test_putin_as_other_languages_write_him(screener: Screener, putin: set[str], name: str) -> None:
    hits = screener.screen(Party(name=name))
    assert hits and hits[0].entity.id in putin and hits[0].score >= 0.8, [(h.entity.id, h.score) for h in hits[:3]]


@pytest.mark.parametrize(("name", "entity"), READ + TITLED)
def test_names_read_from_other_scripts_find_the_listed_person(screener: Screener, name: str, entity: str) -> None:
    """A word whose reading took the other letter of a pair its script writes alike (b for v, r for l) is paired
    by sound with the listed word left over; titles written in Arabic script are set aside as titles."""
    scores = {hit.entity.id: hit.score for hit in screener.screen(Party(name=name))}
    assert scores.get(entity, 0.0) >= 0.8, sorted(scores.items(), key=lambda item: -item[1])[:3]


def test_a_korean_name_of_its_own_is_not_paired_by_sound(screener: Screener) -> None:
    """최준영 is Choe Jun-yong, another man than CHOE, Chun Yong: a Korean name's syllables have their romanisations."""
    assert not any(hit.entity.id == "ofac-sdn:21747" for hit in screener.screen(Party(name="준영 최")))


def _pairs(script: str, size: int) -> list[tuple[str, str]]:
    if not PAIRS.exists():
        pytest.skip(f"the Wikidata name pairs are missing: {PAIRS}")
    with gzip.open(PAIRS, "rt", encoding="utf-8") as handle:
        rows = [(r["english"], r["native"]) for r in csv.DictReader(handle, delimiter="\t") if r["script"] == script]
    return random.Random(7).sample(rows, size)


@pytest.mark.parametrize("script", ["hebrew", "korean"])
def test_people_not_listed_are_no_hit_in_their_own_script(screener: Screener, script: str) -> None:
    """At most three in two hundred: those left are a foreign name's one word that a listed one-word name spells
    alike (린다 르메이, Lynda Lemay, and the listed LINDA)."""
    checked = false = 0
    for english, native in _pairs(script, 300):
        if any(hit.score >= 0.6 for hit in screener.screen(Party(name=english), threshold=0.6)):
            continue  # listed, or like a listed name: not a negative
        checked += 1
        false += any(hit.score >= 0.8 for hit in screener.screen(Party(name=native)))
    assert checked > 200 and false * 200 <= checked * 3
