"""One result per designation: real screenings' hits grouped across the lists that carry one listed party."""

from __future__ import annotations

import dataclasses

import pytest

from clearance.matching import Party, Screener
from clearance.matching.designation import HITS_PER_DESIGNATION, designations, keys, un_reference
from clearance.matching.screener import Band, Hit
from clearance.model import Entity
from clearance.results import HitResult, hit_results


def screened(screener: Screener, name: str, limit: int = 10) -> tuple[list[Hit], tuple[HitResult, ...]]:
    """The hits as the screener gives them, and as results: one per designation."""
    hits = screener.screen(Party(name), limit=limit * HITS_PER_DESIGNATION)
    return hits, hit_results(hits, limit)


def rows(results: tuple[HitResult, ...]) -> list[set[str]]:
    return [set(result.entity_ids) for result in results]


@pytest.fixture(scope="module")
def by_id(all_entities: list[Entity]) -> dict[str, Entity]:
    return {entity.id: entity for entity in all_entities}


def test_sberbank_is_one_row_per_designation_with_every_list(screener: Screener) -> None:
    hits, results = screened(screener, "Sberbank")
    assert sorted(entity for r in results for entity in r.entity_ids) == sorted(h.entity.id for h in hits)
    groups = rows(results)
    assert {"ofac-cons:17018", "us-csl:17018", "us-csl:17018:NS-MBS", "us-csl:17018:SSI"} in groups
    assert {"ofac-cons:18715", "us-csl:18715", "us-csl:18715:CAP", "us-csl:18715:SSI"} in groups
    assert len(results) < len(hits) and len({r.designation for r in results}) == len(results)
    lead = next(r for r in results if r.designation == "ofac:17018")
    assert lead.entity_id == "ofac-cons:17018" and lead.band is Band.MATCH
    assert [(a.source, a.sub_list) for a in lead.also] == [("us-csl", "SDN"), ("us-csl", "NS-MBS"), ("us-csl", "SSI")]
    assert all(a.score == 1.0 and a.band is Band.MATCH and a.matched_name for a in lead.also)


def test_rosoboronexport_keeps_each_lists_own_designation_apart(screener: Screener) -> None:
    hits, results = screened(screener, "Rosoboronexport")
    ofac = {"ofac-cons:18782", "ofac-sdn:18782", "us-csl:18782", "us-csl:18782:SSI"}
    assert ofac in rows(results)
    # The EU's Annex IV and the State Department's nonproliferation list designate it themselves: rows apart from
    # OFAC's record. The EU's entry and the State entry naming it as the EU does (Rosoboronexport OJSC) are one.
    others = {
        (r.source, r.sub_list, tuple(a.entity_id for a in r.also))
        for r in results
        if r.designation != "ofac:18782" and r.score == 1.0
    }
    assert others == {
        ("eu-annex-iv", None, ("us-csl:2be713eb08a8a1ac56347669ae65d546e35a370a",)),
        ("us-csl", "ISN", ()),
    }
    assert sorted(entity for r in results for entity in r.entity_ids) == sorted(h.entity.id for h in hits)


def test_an_ofac_sdn_entry_and_its_csl_copy_are_one_row(screener: Screener) -> None:
    _, results = screened(screener, "Mahan Air")
    assert results[0].entity_id == "ofac-sdn:12927"
    # Commerce's Denied Persons List names the airline as OFAC's record does (MAHAN AIRWAYS is MAHAN AIR): one party.
    assert [(a.entity_id, a.sub_list) for a in results[0].also] == [
        ("us-csl:12927", "SDN"),
        ("us-csl:297258c50cc9e06d78bc5a096d11090baa5fa37c", "DPL"),
    ]
    assert not any(r.entity_id == "us-csl:12927" for r in results)


def test_a_csl_list_giving_a_row_to_each_address_of_a_party_is_one_designation(screener: Screener) -> None:
    _, results = screened(screener, "Al Naser Airlines")
    # OFAC's record has four names; the Denied Persons List's order of 17 November 2021 a row for each name in Iraq,
    # the Emirates and Jordan: twelve rows and OFAC's two copies are one airline.
    (airline,) = [r for r in results if r.designation == "ofac:18133"]
    dpl = [a for a in airline.also if a.sub_list == "DPL"]
    assert airline.entity_id == "ofac-sdn:18133" and len(dpl) == 12
    assert "us-csl:580202ddd04ce2c3ded1cf16a466a0c4b1f652a0" in {a.entity_id for a in dpl}  # AL NASER WINGS AIRLINES
    assert not any(r.sub_list == "DPL" for r in results)


def test_a_un_designation_is_one_group_with_the_ofac_entries_sharing_its_passports(screener: Screener) -> None:
    _, results = screened(screener, "Abdul Rehman Makki")
    assert rows(results)[0] == {"un:QDi.433", "ofac-sdn:12295", "us-csl:12295"}
    assert results[0].designation == "un:QDi.433" and results[0].entity_id == "un:QDi.433"


def test_a_un_designation_is_one_group_with_the_uk_entry_citing_it(screener: Screener) -> None:
    _, results = screened(screener, "Akram Turki Hishan al-Mazidih")
    [group] = [r for r in results if r.designation == "un:QDi.276"]
    assert set(group.entity_ids) == {"un:QDi.276", "uk:AQD0128"}


def test_keys_are_the_entrys_own_references_and_numbers(by_id: dict[str, Entity]) -> None:
    uk = keys(by_id["uk:AQD0128"])
    # Its own UN reference; not the ones its remarks cite for a cousin and a group.
    assert "un:QDi.276" in uk and not {"un:QDi.277", "un:QDe.115"} & uk
    # A ration card number, which the UN gives another man too, is no key.
    assert not uk & keys(by_id["un:QDi.226"])
    assert {"ofac:12295", "passport:A5199819", "passport:CG9153881"} <= keys(by_id["ofac-sdn:12295"])
    assert keys(by_id["us-csl:17018:SSI"]) >= {"ofac:17018"}
    # A company's IMO number is not a ship's: OFAC gives one number to both, on two companies.
    assert keys(by_id["ofac-sdn:19583"]) & keys(by_id["ofac-sdn:23723"]) == set()
    assert keys(by_id["us-csl:442dc2a9ddf18d3f49e7ff87b3f8fa987c15eb83"]) == frozenset()


def test_un_references_are_read_as_the_un_writes_them() -> None:
    assert un_reference(" qdi.276 ") == "QDi.276" and un_reference("KPe.022") == "KPe.022"
    assert un_reference("UNSC RESOLUTION 1483") is None and un_reference("QDi.27") is None


def test_grouping_is_transitive_and_keeps_every_hit(screener: Screener) -> None:
    hits = screener.screen(Party("Abdul Rehman Makki"), limit=40)
    bare = _entity(hits, "us-csl:12295").model_copy(update={"identifiers": ()})
    # The CSL copy without its passports shares nothing with the UN entry, only OFAC's number with the SDN's.
    assert not keys(bare) & keys(_entity(hits, "un:QDi.433"))
    chained = [dataclasses.replace(h, entity=bare) if h.entity.id == bare.id else h for h in hits]
    grouped = designations(reversed(chained))
    assert {h.entity.id for h in grouped[0].hits} == {"un:QDi.433", "ofac-sdn:12295", "us-csl:12295"}
    assert sum(len(g.hits) for g in grouped) == len(hits)
    assert grouped[0].lead.score == max(h.score for h in grouped[0].hits)


def test_a_un_entry_an_ofac_entry_and_its_csl_copy_are_one_group(screener: Screener) -> None:
    hits = screener.screen(Party("Abdul Rehman Makki"), limit=40)
    # The UN entry and OFAC's share passports, which the CSL copy holds too, with OFAC's number.
    assert {"passport:CG9153881", "ofac:12295"} <= keys(_entity(hits, "us-csl:12295"))
    [group, *_] = designations(reversed(hits))
    assert {h.entity.id for h in group.hits} == {"un:QDi.433", "ofac-sdn:12295", "us-csl:12295"}
    assert group.key == "un:QDi.433" and group.lead.entity.id == "un:QDi.433"


def test_each_entry_keeps_its_own_band(screener: Screener) -> None:
    hits = screener.screen(Party("Sberbank"), limit=40)
    banded = [dataclasses.replace(h, band=Band.REVIEW) if h.entity.id.startswith("us-csl") else h for h in hits]
    first = next(r for r in hit_results(banded) if r.designation == "ofac:17018")
    assert first.band is Band.MATCH and {a.band for a in first.also} == {Band.REVIEW}
    assert HitResult.model_validate_json(first.model_dump_json()) == first


def test_the_limit_counts_designations(screener: Screener) -> None:
    hits = screener.screen(Party("Sberbank"), limit=40)
    [first] = hit_results(hits, 1)
    assert first.designation == "ofac:17018" and len(first.also) == 3


def _entity(hits: list[Hit], entity_id: str) -> Entity:
    return next(h.entity for h in hits if h.entity.id == entity_id)


def test_ofacs_copy_of_a_un_entry_is_listed_with_it_though_its_names_are_latin_only(screener: Screener) -> None:
    """The UN entry has the name in Arabic, OFAC's does not: OFAC's shows under the UN's row, listed with it."""
    hits, results = screened(screener, "انور ناصر عبدالله العولقي")  # Anwar al-Aulaqi
    lead = results[0]
    assert lead.entity_id == "un:QDi.283" and lead.score == 1.0 and lead.listed_with is None
    ofac = next(a for a in lead.also if a.entity_id == "ofac-sdn:12109")
    assert ofac.listed_with == "un:QDi.283" and ofac.score == lead.score and ofac.band is Band.MATCH
    own = Screener.screen(screener, Party("انور ناصر عبدالله العولقي"), limit=40)
    assert next(h for h in own if h.entity.id == "ofac-sdn:12109").listed_with == "un:QDi.283"
    assert sorted(entity for r in results for entity in r.entity_ids) == sorted(h.entity.id for h in hits)


def test_ofacs_entry_sharing_a_nickname_and_birthday_is_listed_with_the_un_entry(screener: Screener) -> None:
    """The UN's alias Abdurahman Salem Ibrahim Milad is no name of OFAC's entry of the man: it shows with the UN's."""
    hits = Screener.screen(screener, Party("Abdurahman Salem Ibrahim Milad"), limit=10)
    assert hits[0].entity.id == "un:LYi.026"
    assert next(h for h in hits if h.entity.id == "ofac-sdn:24312").listed_with == "un:LYi.026"


def test_entries_are_linked_by_a_shared_name_and_date_of_birth(by_id: dict[str, Entity]) -> None:
    from clearance.matching.designation import person_keys
    from clearance.matching.names import analyze

    def own(entity_id: str) -> frozenset[str]:
        entity = by_id[entity_id]
        return person_keys(entity, [analyze(name.full, False).signal for name in entity.names])

    # RUBEN PESTANO LAVILLA, JR as the UN and OFAC list him, born 1972-10-04 on both.
    assert own("un:QDi.247") & own("ofac-sdn:10853")
    assert not own("un:QDi.247") & own("ofac-sdn:12109")
    # Abd al-Rahman Milad: the UN and OFAC spell his names apart, but both give the nickname al-Bija and 1986-07-27.
    assert own("un:LYi.026") & own("ofac-sdn:24312") == {"person:1986-07-27:al bija"}
    # Malik Barkhanoev: OFAC writes his patronymic Ruslanovish; both give the nickname Saifuddin Ingushi.
    assert own("un:QDi.405") & own("ofac-sdn:22643")


def test_rows_of_one_csl_list_are_linked_by_a_name_and_the_day_they_were_listed(by_id: dict[str, Entity]) -> None:
    from clearance.matching.designation import listing_keys
    from clearance.matching.names import analyze

    def own(entity_id: str) -> frozenset[str]:
        entity = by_id[entity_id]
        return listing_keys(entity, [analyze(name.full, True).signal for name in entity.names])

    # The Entity List's Katrangi Electronics of 25 April 2012, in Syria and in Lebanon.
    assert own("us-csl:0f76fb291b9989a2b6a00bac1dce74d4423c1b95") & own(
        "us-csl:81d7b0d58a6979d4e8d42235b35f6f0665d0db2a"
    )
    assert not own("us-csl:18133") and not own("ofac-sdn:18133")  # OFAC's rows: its record number says more


def test_an_organisation_name_links_only_entries_of_different_lists_few_share() -> None:
    from clearance.matching.designation import linked

    shared = frozenset({"organization:front nusrah"})
    assert linked([shared, shared], ["un", "ofac-sdn"]) == [0, 0]
    assert linked([shared, shared], ["ofac-sdn", "ofac-sdn"]) == [0, 1]  # two parties of one list
    assert linked([shared] * 5, ["un", "eu", "uk", "ofac-sdn", "us-csl"]) == [0, 1, 2, 3, 4]  # a common name


def test_a_hit_without_other_lists_has_no_link(screener: Screener) -> None:
    hits = screener.screen(Party("Rosoboronexport"), limit=20)
    state = next(h for h in hits if h.entity.id == "us-csl:442dc2a9ddf18d3f49e7ff87b3f8fa987c15eb83")
    assert state.linked == frozenset() and state.listed_with is None
