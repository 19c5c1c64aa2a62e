"""Normalisation and transliteration: pure functions over names as lists write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.matching.normalize import normalize, strip_control, tokens, words


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("LUKASHENKA, Alyaksandr", "lukashenka alyaksandr"),
        ("Лукашенко Александр Григорьевич", "lukashenko aleksandr grigorevich"),
        ("Царёв Олег", "tsaryov oleg"),  # Ё is Yo, as lists romanise it
        ("Медведев", "medvedev"),
        ("José Ramón Núñez", "jose ramon nunez"),
        ("O'Brien", "obrien"),
        ("AL-TIKRITI, Barzan", "al tikriti barzan"),
        ("A.T.E. INTERNATIONAL LTD.", "a t e international ltd"),
        ("习近平", "xi jin ping"),  # one token per syllable
        ("김정은", "gim jeong eun"),
        ("محمد علي", "mhmd ly"),  # an abjad: short vowels unwritten
        ("Αλέξης Τσίπρας", "alexis tsipras"),
        ("בנימין נתניהו", "vnymyn ntnyhv"),  # Hebrew, also an abjad
        ("ＬＵＫＡＳＨＥＮＫＯ", "lukashenko"),  # full-width forms, by NFKC
    ],
)
def test_names_in_every_script_become_comparable_ascii(written: str, normalised: str) -> None:
    assert normalize(written) == normalised


def test_control_characters_separate_words_and_invisible_ones_vanish() -> None:
    assert strip_control("Vladimir\x00Putin\u200b") == "Vladimir Putin"
    assert normalize("Vladimir\x07 \u200dPutin") == "vladimir putin"
    assert normalize("Vla\u200bdimir Pu\u2060tin, Ma\u00adhan Air") == "vladimir putin mahan air"
    assert normalize("خامنه\u200cای") == normalize("خامنه ای")  # Persian's non-joiner parts a name


@given(st.text(max_size=80))
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(max_size=80))
def test_normalised_names_are_lower_case_ascii_words(text: str) -> None:
    folded = normalize(text)
    assert folded.isascii() and folded == folded.lower()
    assert "  " not in folded and folded == folded.strip()


@given(st.text(max_size=80))
def test_the_words_of_a_name_hold_exactly_its_tokens(text: str) -> None:
    assert [token for word in words(text) for token in word.tokens] == tokens(text)


def test_words_say_how_they_were_written() -> None:
    korean, family = words("은정 김")
    assert korean.syllabic and korean.tokens == ("eun", "jeong") and family.tokens == ("gim",)
    assert all(word.abjad for word in words("محمد علي"))
    assert not any(word.abjad or word.syllabic for word in words("Kim Jong Un, Muhammad Ali"))
