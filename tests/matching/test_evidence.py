"""Evidence on the real lists: near dates of birth agree in part, and no field silently vetoes a name written out."""

from __future__ import annotations

import pytest

from clearance.matching import DEFAULT_THRESHOLD, Hit, Party, Screener
from clearance.matching.score import Effect, date_evidence, near_date
from clearance.matching.screener import Band
from clearance.model import DateOfBirth, PartialDate

PUTIN = "us-csl:35096"  # PUTIN, Vladimir Vladimirovich, born 1952-10-07


def putin(screener: Screener, **fields: str) -> Hit:
    return next(h for h in screener.screen(Party("Vladimir Putin", **fields)) if h.entity.id == PUTIN)


@pytest.mark.parametrize(
    ("dob", "how"), [("1952-07-10", "day and month swapped"), ("1953-10-07", "year one off"), ("1951", "year one off")]
)
def test_a_near_date_of_birth_partly_agrees_and_says_how(screener: Screener, dob: str, how: str) -> None:
    hit = putin(screener, dob=dob)
    assert hit.band is Band.MATCH and hit.score >= DEFAULT_THRESHOLD
    (evidence,) = hit.explanation.evidence
    assert (evidence.field, evidence.effect) == ("date_of_birth", Effect.PARTLY_AGREES)
    assert evidence.detail == f"{dob} partly agrees with listed 1952-10-07: {how}"


def test_a_near_date_lifts_less_than_the_same_date_and_more_than_none(screener: Screener) -> None:
    def score(**fields: str) -> float:
        hits = screener.screen(Party("Vladimir Pugin", **fields), threshold=0.0)
        return next(h.score for h in hits if h.entity.id == PUTIN)

    assert score() < score(dob="1952-07-10") < score(dob="1952-10-07")
    assert score(dob="1990-01-01") < score()


def test_dates_that_are_not_near_contradict() -> None:
    listed = (DateOfBirth(date=PartialDate(year=1952, month=10, day=7)),)
    for year, month, day in ((1952, 10, 8), (1950, 10, 7), (1952, 7, 11), (1953, 7, 10)):
        query = PartialDate(year=year, month=month, day=day)
        assert near_date(query, listed[0]) is None
        evidence = date_evidence(query, listed)
        assert evidence is not None and evidence.effect is Effect.CONTRADICTS, query
    assert near_date(PartialDate(year=1952, month=7, day=10), DateOfBirth(text="about 1952")) is None


def test_a_name_written_out_stays_a_hit_whatever_the_date_of_birth_says(screener: Screener) -> None:
    hit = putin(screener, dob="1990-01-01")
    assert hit.band is Band.REVIEW and hit.score < DEFAULT_THRESHOLD
    assert hit.explanation.name_score == 1.0
    details = [(e.field, e.effect, e.detail) for e in hit.explanation.evidence]
    assert details == [("date_of_birth", Effect.CONTRADICTS, "1990-01-01 contradicts listed 1952-10-07")]


def test_a_name_written_out_stays_a_hit_whatever_the_date_and_country_say(screener: Screener) -> None:
    hit = putin(screener, dob="1990-01-01", country="US")
    assert hit.band is Band.REVIEW and hit.score < putin(screener, dob="1990-01-01").score
    assert [(e.field, e.effect, e.detail) for e in hit.explanation.evidence] == [
        ("date_of_birth", Effect.CONTRADICTS, "1990-01-01 contradicts listed 1952-10-07"),
        ("country", Effect.CONTRADICTS, "US is not among listed RU"),
    ]


def test_a_name_not_written_out_that_the_date_contradicts_is_no_hit(screener: Screener) -> None:
    assert not [h for h in screener.screen(Party("Vladimir Pugin", dob="1990-01-01")) if h.entity.id == PUTIN]
