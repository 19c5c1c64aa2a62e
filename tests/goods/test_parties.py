"""Shipment parties on the real lists: a listed company behind a trading-name suffix, one finding per designation."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from clearance.goods.parties import FoundBy, PartyFinding, name_cores, screen_party
from clearance.matching import Party, Screener
from clearance.matching.designation import designation_keys, ofac_record
from clearance.model import EntityKind
from clearance.text import TextScreener

PEERS = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "peers"
    / "opensanctions"
    / "screening-fixtures"
    / "negatives_global.csv"
)
TREASURY = frozenset({"SDN", "SSI", "FSE", "PLC", "CAP", "NS-MBS", "CMIC"})
"""The US CSL lists Treasury keeps, whose rows carry OFAC's record number."""


@pytest.fixture(scope="module")
def text_screener(screener: Screener) -> TextScreener:
    """As the app builds it: over the party screener, at its threshold."""
    return TextScreener(screener)


def by_designation(findings: list[PartyFinding]) -> dict[str, PartyFinding]:
    keys = [f.designation for f in findings]
    assert len(keys) == len(set(keys)), keys
    return {f.designation: f for f in findings}


def ids(finding: PartyFinding) -> set[str]:
    return {hit.entity.id for hit in finding.hits}


@pytest.mark.parametrize(
    ("name", "listed", "via"),
    [
        ("Rosoboronexport Moscow Branch", "ofac:18782", "name without 'Moscow Branch'"),
    ],
)
def test_a_suffix_does_not_hide_a_listed_company(
    screener: Screener, text_screener: TextScreener, name: str, listed: str, via: str
) -> None:
    number = listed.split(":")[1]
    assert not [h for h in screener.screen(Party(name)) if f"ofac:{ofac_record(h.entity.id)}" == listed]
    finding = by_designation(screen_party(screener, text_screener, Party(name)))[listed]
    assert finding.partial and finding.found_by is FoundBy.CORE
    assert finding.via == via
    assert f"ofac-sdn:{number}" in ids(finding) and f"us-csl:{number}" in ids(finding)
    assert finding.score == 1.0


@pytest.mark.parametrize(
    ("name", "listed"),
    [
        ("Mahan Air Cargo", "ofac:12927"),
        ("Mahan Airlines", "ofac:12927"),
        ("Kalashnikov Concern (Izhevsk)", "ofac:16911"),
        ("Rosoboronexport Kazakhstan GmbH", "ofac:18782"),
    ],
)
def test_a_sector_word_or_one_extra_word_is_found_on_the_full_name(
    screener: Screener, text_screener: TextScreener, name: str, listed: str
) -> None:
    """AIRLINES is AIR (a sector word); one extra word beside a listed name matched word for word costs little."""
    finding = by_designation(screen_party(screener, text_screener, Party(name)))[listed]
    assert not finding.partial and finding.found_by is FoundBy.FULL_NAME and finding.via == "full name"
    assert finding.score >= 0.8


def test_each_list_of_a_suffixed_name_is_found(screener: Screener, text_screener: TextScreener) -> None:
    found = by_designation(screen_party(screener, text_screener, Party("Rosoboronexport Moscow Branch")))
    assert ids(found["ofac:18782"]) == {"ofac-sdn:18782", "ofac-cons:18782", "us-csl:18782", "us-csl:18782:SSI"}
    assert "eu-annex-iv:44" in found
    assert all(f.via == "name without 'Moscow Branch'" for f in found.values())
    kalashnikov = screen_party(screener, text_screener, Party("Kalashnikov Concern (Izhevsk)"))
    entity_list = [f for f in kalashnikov if f.best.entity.sub_list == "EL"]
    assert len(entity_list) == 1 and entity_list[0].designation == entity_list[0].best.entity.id


@pytest.mark.parametrize("name", ["Representative Office of Rosoboronexport"])
def test_a_listed_name_within_the_name(screener: Screener, text_screener: TextScreener, name: str) -> None:
    assert not screener.screen(Party(name))
    assert not screen_party(screener, None, Party(name))  # no core gets there: only the text screener does
    finding = by_designation(screen_party(screener, text_screener, Party(name)))["ofac:18782"]
    assert finding.found_by is FoundBy.WITHIN and finding.partial
    assert finding.via == "listed name within the party's name"
    assert finding.query == "Rosoboronexport"


def test_one_ofac_record_on_two_lists_is_one_finding(screener: Screener, text_screener: TextScreener) -> None:
    hits = screener.screen(Party("Mahan Air"))
    assert {"ofac-sdn:12927", "us-csl:12927"} <= {h.entity.id for h in hits}
    findings = screen_party(screener, text_screener, Party("Mahan Air"))
    mahan = [f for f in findings if {"ofac-sdn:12927", "us-csl:12927"} & ids(f)]
    assert len(mahan) == 1
    # Commerce's Denied Persons List names the airline as OFAC's record does (MAHAN AIRWAYS): one party too.
    assert ids(mahan[0]) == {"ofac-sdn:12927", "us-csl:12927", "us-csl:297258c50cc9e06d78bc5a096d11090baa5fa37c"}
    assert not mahan[0].partial and mahan[0].via == "full name" and mahan[0].score == 1.0


def test_ofac_hits_group_and_other_lists_stay_apart(screener: Screener, text_screener: TextScreener) -> None:
    found = by_designation(screen_party(screener, text_screener, Party("Rosoboronexport")))
    assert ids(found["ofac:18782"]) == {"ofac-sdn:18782", "ofac-cons:18782", "us-csl:18782", "us-csl:18782:SSI"}
    # The EU's own entry, with the State Department's entry naming it as the EU does (Rosoboronexport OJSC).
    assert ids(found["eu-annex-iv:44"]) == {"eu-annex-iv:44", "us-csl:2be713eb08a8a1ac56347669ae65d546e35a370a"}
    isn = [f for f in found.values() if f.best.entity.sub_list == "ISN"]
    assert len(isn) == 1 and len(isn[0].hits) == 1 and isn[0].designation == isn[0].best.entity.id
    assert all(not f.partial and f.score == 1.0 for f in (found["ofac:18782"], found["eu-annex-iv:44"], isn[0]))
    # every hit is still there: the lists a designation is on can all be named
    hits = {h.entity.id for h in screener.screen(Party("Rosoboronexport"), limit=20)}
    assert {h.entity.id for f in found.values() for h in f.hits} == hits


def test_designations_of_the_real_ids(screener: Screener) -> None:
    """OFAC record numbers are shared by its lists and by the CSL's Treasury rows, and only by them."""
    by_number: dict[str, set[str]] = {}
    for entity in screener.index.entities:
        number = ofac_record(entity.id)
        if entity.source in ("ofac-sdn", "ofac-cons") or (entity.source == "us-csl" and entity.sub_list in TREASURY):
            assert number == entity.id.split(":")[1], entity.id
            by_number.setdefault(number, set()).add(entity.source)
        else:
            assert number is None, entity.id
    shared = [sources for sources in by_number.values() if len(sources) > 1]
    assert len(shared) > 8_000  # the SDN list is in the CSL whole
    assert ofac_record("us-csl:34616:CAP") == ofac_record("ofac-cons:34616") == "34616"


@pytest.mark.parametrize(
    "name", ["Siemens Logistics", "Maersk Line", "Air France Cargo", "Deutsche Bank Moscow Branch", "Emirates SkyCargo"]
)
def test_companies_on_no_list(screener: Screener, text_screener: TextScreener, name: str) -> None:
    assert screen_party(screener, text_screener, Party(name)) == []
    assert screen_party(screener, text_screener, Party(name, kind=EntityKind.ORGANIZATION)) == []


@pytest.mark.parametrize(
    ("name", "cores"),
    [
        ("Air France Cargo", ["Air France"]),  # a place before a line of business is the name
        ("Deutsche Bank Moscow Branch", ["Deutsche Bank"]),  # a place before a branch word is the branch's
        ("Bank of Moscow Branch", ["Bank of Moscow"]),
        ("Rosoboronexport Branch in Moscow", ["Rosoboronexport Branch", "Rosoboronexport"]),
        ("Mahan Air Cargo LLC", ["Mahan Air LLC"]),  # the legal form stays
        ("MAHAN AIRLINES CARGO", ["MAHAN AIRLINES", "MAHAN AIR"]),
        ("Global Trading Group", []),  # nothing but trading-name words: no core
        ("Day Trading", []),  # too little left to screen
        ("Maschinenbau Mueller GmbH", []),
    ],
)
def test_name_cores(name: str, cores: list[str]) -> None:
    assert [core.text for core in name_cores(name)] == cores


def test_a_persons_name_only_loses_its_brackets(screener: Screener, text_screener: TextScreener) -> None:
    person = screen_party(screener, text_screener, Party("Mahan Air Cargo", kind=EntityKind.PERSON))
    assert not [f for f in person if f.partial]
    bracketed = screen_party(screener, text_screener, Party("Kalashnikov Concern (Izhevsk)", kind=EntityKind.VESSEL))
    assert all(f.via == "name without '(Izhevsk)'" for f in bracketed if f.partial)


def peer_names(count: int, offset: int = 0) -> list[dict[str, str]]:
    with PEERS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    step = len(rows) // count
    return rows[offset::step][:count]


def full_name_designations(screener: Screener, name: str) -> set[str]:
    return set(designation_keys(screener.screen(Party(name), limit=20)).values())


def test_people_on_no_list_gain_no_findings(screener: Screener, text_screener: TextScreener) -> None:
    """2,000 of the synthetic people on no list: the core and within-name paths add (measured) none."""
    before = after = partial = 0
    for row in peer_names(2_000):
        findings = screen_party(screener, text_screener, Party(row["full_name"]))
        before += min(len(full_name_designations(screener, row["full_name"])), 5)
        after += len(findings)
        partial += sum(f.partial for f in findings)
    print(f"2,000 people: {before} findings on the full name, {after} with the new paths, {partial} partial")
    assert partial <= 4
    assert after <= before + 4


def test_companies_named_after_people_gain_few_findings(screener: Screener, text_screener: TextScreener) -> None:
    """2,000 companies named after the synthetic people ("Wheeler Logistics", "Lucas (Dubai)"): cores of one
    surname. What they add is review on a listed one-word name (RAMAN COMPANY for "Raman (Dubai)", SAHA for
    "Saha Cargo"): 17 measured, held under 1.5%."""
    suffixes = ["Trading", "Logistics", "Moscow Branch", "Cargo", "Group", "(Dubai)", "Airlines", "Shipping Services"]
    before = partial = 0
    for i, row in enumerate(peer_names(2_000, offset=1)):
        name = f"{row['last_name']} {suffixes[i % len(suffixes)]}"
        findings = screen_party(screener, text_screener, Party(name))
        before += sum(not f.partial for f in findings)
        partial += sum(f.partial for f in findings)
    print(f"2,000 companies: {before} full-name findings, {partial} partial")
    assert partial <= 30
