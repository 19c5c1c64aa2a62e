"""Text screening of the real article and of hard cases, against the real lists."""

from __future__ import annotations

import re

import pytest

from clearance.errors import ClearanceError
from clearance.text import TextScreener


def offsets(text: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(rf"\b{word}\b", text)]


def test_article_names_exactly_the_three_listed_people(text_screener: TextScreener, article: str) -> None:
    """Every place the article names each of them is found, and nothing else is a hit."""
    result = text_screener.screen(article)
    expected = {"Putin": {"us-csl:35096"}, "Lukashenko": {"ofac-sdn:9760", "us-csl:9760"}, "Medvedev": {"us-csl:36407"}}
    for surname, ids in expected.items():
        named = [m for m in result.mentions if m.text.endswith(surname)]
        assert sorted(m.end - len(surname) for m in named) == offsets(article, surname)
        assert all(m.hits and {h.entity.id for h in m.hits} <= ids for m in named)
    assert all(m.text.endswith(tuple(expected)) for m in result.mentions)


def test_article_full_and_surname_mentions(text_screener: TextScreener, article: str) -> None:
    result = text_screener.screen(article)
    kinds = [(m.text, m.kind) for m in result.mentions]
    assert ("Vladimir Putin", "full") in kinds and ("Putin", "surname") in kinds
    assert ("Dmitry Medvedev", "full") in kinds and ("Medvedev", "surname") in kinds
    assert kinds.count(("Alexander Lukashenko", "full")) == 3
    mr_medvedev = next(m for m in result.mentions if m.start == article.index("Mr Medvedev") + 3)
    assert mr_medvedev.kind == "surname" and "after the title 'Mr'" in mr_medvedev.notes
    assert mr_medvedev.linked_to is not None and article[mr_medvedev.linked_to :].startswith("Dmitry Medvedev")
    for mention in result.mentions:
        assert article[mention.start : mention.end] == mention.text


def test_article_traps_are_not_hits(text_screener: TextScreener, article: str) -> None:
    result = text_screener.screen(article)
    named = " ".join(m.text for m in result.mentions)
    for name in (
        "Zelensk",
        "Xi",
        "Macron",
        "Leyen",
        "Lindner",
        "Shtukina",
        "Astapkovich",
        "Davey",
        "Kazan",
        "Sputnik",
        "Ministry",
        "Security Council",
        "China",
        "Russia",
        "Iranian",
    ):
        assert name not in named, name
    assert not [m for m in result.weak if m.text == "Kazan"]
    ruled = [r for r in result.ruled_out if r.text == "Ministry of Defense"]
    burma = [r for r in ruled if "MM" in r.reason]
    assert burma and "'British' names GB" in burma[0].reason


def test_cyrillic_and_latin_resolve_to_one_entity(text_screener: TextScreener) -> None:
    text = "Президент Александр Лукашенко встретился с Дмитрием Медведевым. Later, Alexander Lukashenko said nothing."
    result = text_screener.screen(text)
    full = [m for m in result.mentions if m.kind == "full"]
    assert len(full) == 2
    assert {h.entity.id for h in full[0].hits} == {h.entity.id for h in full[1].hits}


def test_names_in_any_order_case_and_across_lines(text_screener: TextScreener) -> None:
    text = "The payment named MEDVEDEV, Dmitry as payee; the file also says Dmitry\nMedvedev and dmitry medvedev."
    result = text_screener.screen(text)
    assert [m.text for m in result.mentions if m.kind == "full"] == ["MEDVEDEV, Dmitry", "Dmitry\nMedvedev"]
    upper = text_screener.screen("BENEFICIARY VLADIMIR PUTIN MOSCOW")
    assert [m.text for m in upper.mentions] == ["VLADIMIR PUTIN"]


def test_glued_words_and_possessives(text_screener: TextScreener) -> None:
    result = text_screener.screen("Talks with Vladimir Putinthe next day. Putin's allies agreed.")
    texts = [(m.text, m.kind) for m in result.mentions]
    assert ("Vladimir Putin", "full") in texts and ("Putin", "surname") in texts


def test_a_surname_alone_is_only_a_weak_candidate(text_screener: TextScreener) -> None:
    result = text_screener.screen("Officials said Mr Lukashenko would travel on Monday.")
    assert result.mentions == ()
    assert [m.text for m in result.weak] == ["Lukashenko"]


@pytest.mark.parametrize("text", ["", " \n\t ", "1234 5678", "Россия и Китай", "The Security Council met in China."])
def test_texts_without_names(text_screener: TextScreener, text: str) -> None:
    result = text_screener.screen(text)
    assert result.mentions == () and result.ruled_out == ()


def test_a_megabyte_of_text(text_screener: TextScreener, article: str) -> None:
    big = (article + "\n") * (1_000_000 // len(article) + 1)
    result = text_screener.screen(big)
    assert len(big) >= 1_000_000
    assert sum(m.text == "Vladimir Putin" for m in result.mentions) == big.count("Vladimir Putin")


def test_too_long_text_is_refused(text_screener: TextScreener) -> None:
    with pytest.raises(ClearanceError, match="text: too long"):
        text_screener.screen("a" * 10_000_001)


def test_goods_named_in_the_article_with_their_controls(article: str) -> None:
    from clearance.text.goods import named_goods

    goods = named_goods(article)
    for item in goods:
        assert article[item.mention.start : item.mention.end] == item.mention.text
    by_text = {g.mention.text.lower(): g for g in goods}
    for phrase in ("integrated circuits", "thermal cameras", "drones", "helicopters", "missiles", "rare earth"):
        assert phrase in by_text, phrase
    assert any("Annex VII" in c and "8542 31" in c for c in by_text["integrated circuits"].controls)
    assert any("Annex VII" in c and "8525 89" in c for c in by_text["thermal cameras"].controls)
