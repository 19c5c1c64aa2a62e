"""Name normalisation and analysis over arbitrary Unicode: never an exception, and the shapes they document."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearance.matching.names import analyze
from clearance.matching.normalize import normalize, strip_control, tokens, words
from tests.fuzz.strategies import FUZZ

SCRIPTS = "Лукашенко Александр 习近平 김정은 محمد علي التكريتي בנימין Αλέξης ＬＵＫＡＳＨＥＮＫＯ Ёё O'Brien AL-TIKRITI"
names = st.one_of(
    st.text(max_size=120),
    st.text(st.sampled_from(SCRIPTS + " ,.-'\u200b\u00a0\x00\ufeff"), max_size=60),
    st.lists(
        st.sampled_from(SCRIPTS.split() + ["LLC", "OOO", "S.A.", "Co.", "Dr.", "Jr", "Sheikh", ","]), max_size=8
    ).map(" ".join),
)


@FUZZ
@given(names)
def test_normalised_text_is_idempotent_lower_case_ascii(text: str) -> None:
    folded = normalize(text)
    assert normalize(folded) == folded
    assert folded.isascii() and folded == folded.lower() and "  " not in folded and folded == folded.strip()
    assert [token for word in words(text) for token in word.tokens] == tokens(text)
    assert "\x00" not in strip_control(text)


@FUZZ
@given(names, st.sampled_from([None, True, False]))
def test_analysed_names_have_one_entry_per_token(text: str, organization: bool | None) -> None:
    form = analyze(text, organization)
    assert len(form.tokens) == len(form.raw) == len(form.noise) == len(form.edge) == len(form.abjad)
    assert form.signal == tuple(t for t, noisy in zip(form.tokens, form.noise, strict=True) if not noisy)
    assert all(0 <= position < len(form.tokens) for group in form.groups for position in group)
    assert set(form.raw) <= set(tokens(text))
