"""Party screening on the real lists: case table, explanations, fields, bad input, invariants."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearance.errors import ClearanceError
from clearance.matching import ALGORITHM, DEFAULT_THRESHOLD, Hit, Party, Screener
from clearance.matching.names import analyze
from clearance.matching.screener import Band
from clearance.model import Entity, EntityKind, NameQuality
from clearance.results import HitResult
from tests.conftest import fresh_screener

CASES = list(csv.DictReader((Path(__file__).parent / "cases.csv").open(encoding="utf-8")))


def is_expected(hit: Hit, expected: str) -> bool:
    """An entity id, or a bare OFAC number matching that record on any list that carries it."""
    if ":" in expected:
        return hit.entity.id == expected
    return hit.entity.id.split(":")[1] == expected


def party(case: dict[str, str]) -> Party:
    return Party(
        name=case["query"],
        kind=EntityKind(case["type"]) if case["type"] else None,
        dob=case["dob"] or None,
        country=case["country"] or None,
    )


@pytest.mark.parametrize("case", CASES, ids=[c["query"] for c in CASES])
def test_case_table(screener: Screener, case: dict[str, str]) -> None:
    hits = screener.screen(party(case))
    if case["outcome"] == "none":
        assert [h for h in hits if not case["expected"] or is_expected(h, case["expected"])] == []
        if not case["expected"]:
            assert hits == []
    elif case["outcome"] == "top":
        assert hits and is_expected(hits[0], case["expected"]), [(h.entity.id, h.score) for h in hits]
    else:
        assert any(is_expected(h, case["expected"]) for h in hits), [(h.entity.id, h.score) for h in hits]


@pytest.fixture(scope="module")
def sdn(all_entities: list[Entity]) -> Screener:
    """The OFAC SDN list alone: it lists Latin names only, and Lukashenko's entry is its own."""
    return Screener.build([e for e in all_entities if e.source == "ofac-sdn"])


def test_lukashenko_is_top_of_the_ofac_sdn_list(sdn: Screener) -> None:
    for name in (
        "Alexander Lukashenko",
        "Aleksandr Lukashenko",
        "Лукашенко Александр Григорьевич",
        "LUKASHENKA Alyaksandr",
    ):
        assert sdn.screen(Party(name))[0].entity.id == "ofac-sdn:9760", name


def test_a_contradicting_date_ranks_lower_and_says_so(screener: Screener) -> None:
    right = screener.screen(Party("Dmitry Medvedev", dob="1965-09-14"), threshold=0.0)
    wrong = screener.screen(Party("Dmitry Medvedev", dob="1990-01-01"), threshold=0.0)
    right_hit = next(h for h in right if h.entity.id == "us-csl:36407")
    wrong_hit = next(h for h in wrong if h.entity.id == "us-csl:36407")
    assert right[0].entity.id == "us-csl:36407"
    assert wrong_hit.score < right_hit.score
    details = [(e.field, e.effect.value, e.detail) for e in wrong_hit.explanation.evidence]
    assert ("date_of_birth", "contradicts", "1990-01-01 contradicts listed 1965-09-14") in details
    assert [e.effect.value for e in right_hit.explanation.evidence] == ["agrees"]


def test_pugin_is_not_putin_but_putin_is(screener: Screener) -> None:
    assert not [h for h in screener.screen(Party("Vladimir Pugin")) if "PUTIN" in h.entity.name]
    assert screener.screen(Party("Vladimir Putin"))[0].entity.name == "PUTIN, Vladimir Vladimirovich"


def test_explanations_say_how_each_part_aligned(screener: Screener) -> None:
    hit = screener.screen(Party("Лукашенко Александр Григорьевич"))[0]
    why = hit.explanation
    assert {t.method.value for t in why.tokens} <= {"exact", "transliteration", "phonetic"}
    assert {t.query for t in why.tokens} == {"lukashenko", "aleksandr", "grigorevich"}
    data = HitResult.of(hit).model_dump(mode="json")
    assert data["algorithm"] == ALGORITHM
    assert data["programmes"] == ["BELARUS"]
    assert data["matched_name"] == why.matched_name.full
    typo = screener.screen(Party("Aleksandr Lukashemko"), threshold=0.5)[0].explanation
    assert "edit distance" in {t.method.value for t in typo.tokens}
    initials = screener.screen(Party("A. Lukashenko"), threshold=0.0)
    assert any(t.method.value == "initial" for h in initials for t in h.explanation.tokens)


def test_company_legal_form_neither_makes_nor_breaks_a_match(screener: Screener) -> None:
    forms = ["Sberbank", "PJSC Sberbank", "ПАО Сбербанк", "Sberbank Public Joint Stock Company"]
    tops = [screener.screen(Party(name, kind=EntityKind.ORGANIZATION))[0] for name in forms]
    assert len({hit.entity.id for hit in tops}) == 1
    assert len({round(hit.score, 6) for hit in tops}) == 1
    assert "legal form jsc" in tops[1].explanation.removed


def test_titles_are_removed_and_kept_as_evidence(screener: Screener) -> None:
    hit = screener.screen(Party("Dr. Ayman al-Zawahiri"))[0]
    assert "ZAWAHIRI" in hit.entity.name.upper()
    assert hit.explanation.removed == ("dr",)


def test_an_identical_identifier_is_a_hit_on_its_own(screener: Screener) -> None:
    hits = screener.screen(Party("Some Other Ship", kind=EntityKind.VESSEL, identifiers=("IMO 9562233",)))
    assert hits and hits[0].entity.id == "uk:DPR0075" and hits[0].score >= 0.97
    assert hits[0].explanation.evidence[-1].effect.value == "identical"


def test_country_and_kind_move_the_score(screener: Screener) -> None:
    def score(**fields: object) -> float:
        hits = screener.screen(Party("RI WON HO", **fields), threshold=0.0)  # type: ignore[arg-type]
        return next(h.score for h in hits if h.entity.id == "un:KPi.033")

    base = score()
    assert score(country="KP") >= base
    assert score(country="Germany") < base
    assert score(kind=EntityKind.ORGANIZATION) < base
    assert score(kind=EntityKind.PERSON) == base


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "name: empty"), ("   ", "name: empty"), ("x" * 10_000, "name: too long")],
)
def test_unusable_names_get_a_clear_error(screener: Screener, name: str, message: str) -> None:
    with pytest.raises(ClearanceError, match=message):
        screener.screen(Party(name))


@pytest.mark.parametrize("name", ["Vladimir\x00 Putin\x07", "\u200bVladimir\u200d Putin"])
def test_control_characters_are_ignored(screener: Screener, name: str) -> None:
    assert screener.screen(Party(name))[0].entity.name == "PUTIN, Vladimir Vladimirovich"


@pytest.mark.parametrize("name", ["𓀀𓀁𓀂", "☃☃☃", "!!!", "12345"])
def test_names_in_unsupported_scripts_or_without_letters_get_no_false_hits(screener: Screener, name: str) -> None:
    assert screener.screen(Party(name)) == []


def test_bad_fields_are_named(screener: Screener) -> None:
    with pytest.raises(ClearanceError, match="dob: not a date"):
        screener.screen(Party("Vladimir Putin", dob="yesterday"))
    with pytest.raises(ClearanceError, match="country: not a country"):
        screener.screen(Party("Vladimir Putin", country="Atlantis"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_every_score_is_between_zero_and_one(screener: Screener, name: str) -> None:
    try:
        hits = screener.screen(Party(name), threshold=0.0, limit=5)
    except ClearanceError:
        return
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)
    assert all(0.0 <= hit.explanation.name_score <= 1.0 for hit in hits)


# Derandomized: the same 200 listed names every run, so CI passes or fails on the code, not on the draw. A drawn
# name can still miss (the surname-first "ALI, Hassan" is not among its 30 candidates, among thousands of
# Alis and Hassans): such cases belong to the matching tests, not to a roll of the dice here.
@settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_a_listed_name_finds_its_own_entity_first(
    screener: Screener, all_entities: list[Entity], data: st.DataObject
) -> None:
    entity = data.draw(st.sampled_from(all_entities))
    names = [n for n in entity.names if n.quality is not NameQuality.WEAK]
    if not names:
        return
    name = data.draw(st.sampled_from(names))
    hits = screener.screen(Party(name.full), threshold=0.0, limit=50)
    own = [h for h in hits if h.entity.id == entity.id]
    assert own, (entity.id, name.full)
    assert own[0].score == pytest.approx(hits[0].score), (entity.id, name.full, hits[0].entity.id)


def test_default_threshold_is_documented() -> None:
    assert 0.0 < DEFAULT_THRESHOLD < 1.0
    assert str(DEFAULT_THRESHOLD) in (Path(__file__).parents[2] / "docs" / "screening.md").read_text()


def test_hangul_syllables_keep_their_order(screener: Screener) -> None:
    kim_jong_un = {"ofac-sdn:20157", "us-csl:20157"}
    assert {h.entity.id for h in screener.screen(Party("정은 김"))} & kim_jong_un  # Jong-un Kim
    assert not {h.entity.id for h in screener.screen(Party("은정 김"))} & kim_jong_un  # Eun-jeong Kim: another name


def test_syllables_that_sound_alike_in_one_language_only_are_not_one_name(screener: Screener) -> None:
    # 王宇 is Wang Yu: the listed "Fang Yu" shares a folded w/v/f in no romanisation of Chinese
    assert "us-csl:bee9e6b07284d1ba4b3d70ab54efa9b821396fee" not in {
        h.entity.id for h in screener.screen(Party("王宇"))
    }


def test_yo_is_romanised_as_lists_write_it(screener: Screener) -> None:
    assert screener.screen(Party("Царёв Олег Анатольевич"))[0].entity.id.endswith(":17163")  # TSARYOV, Oleh


def test_legal_forms_in_the_spellings_the_lists_use(screener: Screener) -> None:
    hits = screener.screen(Party("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU BALTECH", kind=EntityKind.ORGANIZATION))
    assert hits[0].entity.id.endswith(":19992") and hits[0].score == 1.0  # LLC BALTECH
    assert hits[0].explanation.removed == ("legal form llc",)


def test_an_initial_agrees_without_proving_much(screener: Screener) -> None:
    hit = screener.screen(Party("PUTIN, V."))[0]
    assert hit.entity.id == "us-csl:35096"
    assert DEFAULT_THRESHOLD <= hit.score < 1.0
    assert [t.method.value for t in hit.explanation.tokens] == ["exact", "initial"]


def test_listed_middle_names_a_query_leaves_out_cost_little(screener: Screener) -> None:
    full = screener.screen(Party("Muhammad Jibril Abdul Rahman"), threshold=0.0)
    short = screener.screen(Party("Muhammad Jibril"), threshold=0.0)
    top = next(h for h in short if h.entity.id == "un:QDi.295")
    assert top.score < next(h for h in full if h.entity.id == "un:QDi.295").score
    assert set(top.explanation.unmatched_listed) == {"abdul", "rahman"}


def test_a_name_that_repeats_a_token_finds_names_that_repeat_it(screener: Screener) -> None:
    assert screener.screen(Party("ABDULLAH, Abdullah", kind=EntityKind.PERSON))[0].entity.id.endswith(":6915")


def test_a_pair_of_words_many_names_share_does_not_crowd_out_a_name_with_a_word_more(screener: Screener) -> None:
    """Dozens of listed names hold Ahmad Ali, as two words and as one (Ahmadali): the pair counts once for those
    that write it apart, so Ahmad Iman Ali, Ahmad Ali with a middle name, is still a candidate and a hit."""
    hits = screener.screen(Party("Ahmad Ali", kind=EntityKind.PERSON), limit=30)
    assert "un:SOi.016" in {hit.entity.id for hit in hits if hit.band is Band.MATCH}


def test_a_name_of_common_words_given_whole_is_found_among_the_names_holding_them(screener: Screener) -> None:
    """Hundreds of listed names hold Muhammad, and those with a rarer word alike to one of the query's are estimated
    higher: the names the query reaches all of are scored besides, and NUR's alias MUHAMMAD, Muhammad and
    AL-MUHAMMAD, Muhammad are hits at 1.0 (they were no candidates)."""
    for name, expected in (("Mohammed Mohammed", ":18602"), ("穆罕默德·艾尔·穆罕默德", ":22089")):
        hits = screener.screen(Party(name, kind=EntityKind.PERSON))
        assert hits and hits[0].entity.id.endswith(expected) and hits[0].score == 1.0, name
        assert hits[0].explanation.unmatched_query == () == hits[0].explanation.unmatched_listed


def test_arabic_script_meets_latin_names_by_consonants(sdn: Screener) -> None:
    hits = sdn.screen(Party("عزت ابراهيم الدوري"), threshold=0.5)  # Izzat Ibrahim al-Duri
    assert hits and hits[0].entity.name.startswith("AL-DURI"), [(h.entity.name, h.score) for h in hits]


def test_at_a_threshold_the_screener_returns_the_hits_of_a_full_run(
    screener: Screener, all_entities: list[Entity]
) -> None:
    """Candidates estimated far below the threshold are skipped; on real names that changes no match. (The
    other lists' entries of the ten best come after each, however many there are.)"""
    names = [n.full for e in all_entities[::97] for n in e.names[:2]]
    names += [name[:3] + name[4:] for name in names if len(name) > 8]  # a letter dropped
    for name in names:
        fast = [h for h in screener.screen(Party(name)) if h.band is Band.MATCH]  # partial hits come after
        full = [h for h in screener.screen(Party(name), threshold=0.0, limit=1000) if h.score >= DEFAULT_THRESHOLD]
        wanted = full[: max(len(fast), 10)]
        assert [(h.entity.id, h.score) for h in fast] == [(h.entity.id, h.score) for h in wanted], name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("汗·賽義德", "ofac-sdn:17367"),  # SAID, Khan
        ("阿明·雪莉", "ofac-sdn:26955"),  # SHIRRI, Amin
        ("ナイム・カーシム", "ofac-sdn:24514"),  # QASIM, Naim
        ("호세 톨렌티노 무리요 무리요", "ofac-sdn:4538"),  # MURILLO MURILLO, Jose Tolentino
    ],
)
def test_a_word_read_from_another_script_that_pairs_by_sound_is_no_skipped_candidate(
    screener: Screener, name: str, expected: str
) -> None:
    """Wikidata's renderings of listed names, one word of which pairs only by sound with the listed one (賽義德 seid,
    SAID): the candidates' estimate at a threshold counts that pairing as scoring does, so the default threshold
    reports the match a full run scores above it."""
    full = next(h for h in screener.screen(Party(name), threshold=0.0, limit=50) if h.entity.id == expected)
    assert full.score >= DEFAULT_THRESHOLD
    fast = {h.entity.id: h.score for h in screener.screen(Party(name)) if h.band is Band.MATCH}
    assert fast.get(expected) == full.score


def test_screening_does_not_depend_on_what_was_screened_before(index_file: bytes) -> None:
    names = ["Aleksandr Lukashenko", "Mohamed Ali", "Kim Jong Un", "Sberbank", "عبد الله", "Ivanov Ivan", "P.AD Ltd"]
    first, second = fresh_screener(index_file), fresh_screener(index_file)
    forward = [[(h.entity.id, h.score) for h in first.screen(Party(n), threshold=0.3)] for n in names]
    backward = [[(h.entity.id, h.score) for h in second.screen(Party(n), threshold=0.3)] for n in reversed(names)]
    assert forward == backward[::-1]


def test_the_alias_listed_word_for_word_is_the_one_explained(screener: Screener) -> None:
    query = screener.query(analyze("Alexander Lukashenko", None))
    hit = next(h for h in screener.screen(Party("Alexander Lukashenko")) if h.entity.id == "us-csl:9760")
    assert [(t.query, t.listed, t.method.value) for t in hit.explanation.tokens] == [
        ("lukashenko", "lukashenko", "exact"),
        ("alexander", "alexander", "exact"),
    ]
    assert hit.explanation.matched_name.full.startswith("LUKASHENKO, Alexander")
    number = next(i for i, e in enumerate(screener.index.entities) if e.id == "us-csl:9760")
    others = [screener.hit(query, name_id) for name_id in screener.index.entity_names(number)]
    transliterated = [h.score for h in others if any(t.method.value == "transliteration" for t in h.explanation.tokens)]
    assert transliterated and hit.score >= max(transliterated)
