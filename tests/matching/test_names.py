"""A name taken apart: titles and suffixes, legal forms, structure and script."""

from __future__ import annotations

import pytest

from clearance.matching.names import analyze


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("OOO Romashka", "llc"),
        ("ООО Ромашка", "llc"),
        ("Romashka LLC", "llc"),
        ("Romashka Limited Liability Company", "llc"),
        ("Obshchestvo s Ogranichennoy Otvetstvennostyu Romashka", "llc"),
        # as the lists spell it: the most common form in OFAC's data, and misspellings of it
        ("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU ROMASHKA", "llc"),
        ("OBSCHESTVO S OGRANICHENNOY OTVETSVENNOSTYU ROMASHKA", "llc"),
        ("AO Romashka", "jsc"),
        ("OAO Romashka", "jsc"),
        ("PAO Romashka", "jsc"),
        ("ZAO Romashka", "jsc"),
        ("JSC Romashka", "jsc"),
        ("PJSC Romashka", "jsc"),
        ("ПАО Ромашка", "jsc"),
        ("Romashka Public Joint Stock Company", "jsc"),
        ("Romashka GmbH", "gmbh"),
        ("Romashka Ltd.", "ltd"),
        ("Romashka (Pvt.)", "ltd"),
        ("Romashka LLP", "llp"),
        ("Romashka S.A.", "sa"),
        ("Romashka S.R.L.", "srl"),
        ("Romashka Co.", "co"),
        ("Romashka FZ", "fz"),
    ],
)
def test_legal_forms_are_one_code_in_latin_and_cyrillic(written: str, code: str) -> None:
    form = analyze(written, organization=True)
    assert form.tokens == ("romashka",)
    assert form.legal_forms == (code,)
    assert form.removed == (f"legal form {code}",)


def test_legal_forms_stacked_at_the_end_all_go() -> None:
    assert analyze("DONATA CO. D.O.O.", organization=True).tokens == ("donata",)


def test_a_short_form_inside_a_name_is_part_of_the_name() -> None:
    assert analyze("BANCO SA DE INVERSIONES", organization=True).tokens == ("banco", "sa", "de", "inversiones")


def test_a_name_that_is_only_a_legal_form_keeps_it() -> None:
    assert analyze("CO LTD", organization=True).tokens == ("co", "ltd")


def test_persons_keep_legal_form_words_and_organisations_titles() -> None:
    assert analyze("Ao Lin", organization=False).tokens == ("ao", "lin")
    assert analyze("Dr. Ayman al-Zawahiri", organization=False).noise == (True, False, False, False)
    assert not any(analyze("Dr Martens", organization=True).noise)


def test_titles_and_suffixes_are_noise_kept_for_explanations() -> None:
    form = analyze("Sheikh Khalid Sheikh Mohammed Jr.", organization=False)
    assert form.signal == ("khalid", "muhammad")
    assert form.removed == ("sheikh", "sheikh", "jr")


def test_a_hyphenated_office_is_noise_whole() -> None:
    assert analyze("Wagner-Chef Jewgeni Prigoschin", organization=False).noise == (True, True, False, False)


def test_a_hyphenated_name_ending_in_a_title_word_keeps_its_short_parts() -> None:
    """AL-SHEIKH is a family's name: only parts of four letters or more, no article, head an office."""
    assert analyze("Abdul Aziz Al-Sheikh", organization=False).noise == (False, False, False, True)


def test_the_article_of_an_arabic_title_and_an_adjective_of_origin_after_it_are_noise() -> None:
    assert analyze("الرئيس السوري بشار الأسد", organization=False).noise[:5] == (True, True, True, True, False)
    assert not any(analyze("أبو حمزة المصري", organization=False).noise)  # Abu Hamza al-Masri: his name


@pytest.mark.parametrize(
    ("name", "noise"),
    [
        ("le président russe Vladimir Poutine", "president russe"),
        ("President of Russia Vladimir Putin", "president russia"),
        ("North Korean leader Kim Jong Un", "north korean leader"),
        ("Президент России Владимир Путин", "prezident rossii"),
        ("הנשיא הרוסי ולדימיר פוטין", "hnshy hrwsy"),
        ("러시아 대통령 푸틴", "rosia datongryong"),
        ("俄罗斯总统普京", "russia president"),  # the country and the office written as one word with the name
        ("ministre de la Défense Sergueï Choïgou", "ministre defense"),
        ("وزير الخارجية الروسي سيرغي لافروف", "wzyr al kharjya al rwsy"),
        ("Rusya Devlet Başkanı Vladimir Putin", "rusya devlet baskani"),
    ],
)
def test_what_an_office_heads_beside_its_title_is_noise(name: str, noise: str) -> None:
    form = analyze(name, organization=False)
    assert " ".join(t for t, noisy in zip(form.tokens, form.noise, strict=True) if noisy) == noise


@pytest.mark.parametrize("name", ["Marco Russo", "Mr Russo", "Iran Khan", "Russo Marco Senator"])
def test_a_country_word_away_from_a_title_of_office_is_a_name(name: str) -> None:
    """A title of courtesy says nothing of an office (Mr Russo is named Russo), nor does a title not beside it."""
    form = analyze(name, organization=False)
    assert any(t in ("russo", "iran") for t in form.signal)


def test_misspelt_legal_form_words_left_over_are_noise() -> None:
    form = analyze("Joint Stovck Company Romashka", organization=True)
    assert form.signal == ("romashka",)


@pytest.mark.parametrize("name", ["Huang Yulan", "Wuhan IRCEN Technology", "Heshan Deren Electronic Technology"])
def test_a_short_word_one_edit_from_a_legal_form_word_is_a_name(name: str) -> None:
    """Yulan, Wuhan and Deren are one edit from yuhan (yuhan hoesa) and zeren (youxian zeren gongsi)."""
    assert not any(analyze(name).noise)


def test_a_short_legal_form_word_with_two_letters_swapped_is_still_that_word() -> None:
    assert analyze("PUBLIC OJINT STOCK COMPANY GAZPROM", organization=True).signal == ("gazprom",)


@pytest.mark.parametrize(
    ("written", "edge"),
    [
        ("LUKASHENKA, Alyaksandr Ryhorovich", (True, True, False)),
        ("AL-TIKRITI, Barzan Ibrahim Hassan", (True, True, True, False, False)),
        ("BARZAN IBRAHIM HASSAN AL-TIKRITI", (True, False, False, False, True)),
        ("Dr. Ayman al-Zawahiri", (False, True, False, True)),
        # a hyphenated family name written last is all family name, its articles aside; a given name is not
        ("JOHN B. PRIDMORE-SMITH", (True, False, True, True)),
        ("HAMID-REZA MOHAJERANI", (True, False, True)),
    ],
)
def test_family_and_first_given_names_are_told_from_middle_names(written: str, edge: tuple[bool, ...]) -> None:
    assert analyze(written, organization=False).edge == edge


def test_syllables_of_one_written_word_are_ordered() -> None:
    assert analyze("은정 김").groups == ((0, 1),)  # the given name Eun-jeong, written apart from Kim
    assert analyze("김정은").groups == ((1, 2),)  # one word: its family name may move, its given name not
    assert analyze("Kim Jong Un").groups == ()


def test_abjad_tokens_are_marked_until_the_variants_table_knows_them() -> None:
    form = analyze("محمد حسين")
    assert form.tokens == ("muhammad", "hsyn")
    assert form.abjad == (False, True)
