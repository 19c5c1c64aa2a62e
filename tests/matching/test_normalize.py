"""Normalisation and transliteration: pure functions over names as lists write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.matching.normalize import (
    READ_FROM_SYLLABLES,
    WRITTEN_IN_ABJAD,
    chinese_hangul,
    normalize,
    strip_control,
    tokens,
    traditional,
    words,
)
from clearance.matching.phonetic import canonical


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
        ("김정은", "kim jong un"),  # a Korean name: a token per syllable, as North Korea romanises
        ("리병철", "ri pyong chol"),
        ("김경옥", "kim kyong ok"),
        ("محمد علي", "mhmd ali"),  # an abjad: short vowels unwritten, unless the word is a known name (علي)
        ("Αλέξης Τσίπρας", "alexis tsipras"),
        ("בנימין נתניהו", "benjamin netanyahu"),  # known Hebrew names: their usual Latin spelling
        ("פוטין", "pwtyn"),  # Hebrew otherwise: pe is p at the start, a vav inside a word a vowel
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
    assert korean.syllabic and korean.tokens == ("un", "jong") and family.tokens == ("kim",)
    unknown, known = words("محمد علي")
    assert unknown.abjad and not known.abjad  # علي is a name the tables spell (Ali): its vowels are known
    assert not any(word.abjad or word.syllabic for word in words("Kim Jong Un, Muhammad Ali"))


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("V.l.a.d.i.m.i.r P.u.t.i.n", "vladimir putin"),  # a word spelled out with dots
        ("A.T.E. INTERNATIONAL", "a t e international"),  # initials stay letters
        ("V1adimir Put1n", "vladimir putin"),  # digits for letters: 1 is l by a vowel, i between consonants
        ("N0vat3k", "novatek"),
        ("BARR1O5", "barrlos"),  # a last digit after one read as a letter: 5 is s
        ("IMO 9123456, B2B Group, Sky5, A1 Bank", "imo 9123456 b2b group sky5 a1 bank"),  # numbers and codes stay
        ("Vladimir 😀 Putin", "vladimir putin"),
        ("Vladimir 👍🏽 Putin 🇷🇺", "vladimir putin"),  # modifiers and flags too
        ("\u202enituP rimidalV", "vladimir putin"),  # a right-to-left override displays it reversed
        ("\u202eفلاديمير\u202c", normalize("فلاديمير")),  # right-to-left letters are read right to left already
    ],
)
def test_text_noise_is_taken_out(written: str, normalised: str) -> None:
    assert normalize(written) == normalised


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Βλαντίμιρ Πούτιν", "vladimir putin"),  # Greek: ντ is d, ου is u
        ("Μπάιντεν", "baiden"),  # μπ is b; the accent on ά parts α and ι
        ("Ευάγγελος", "evangelos"),
        ("Վլադիմիր Պուտին", "vladimir putin"),  # Armenian: ու is u
        ("ウラジーミル・プーチン", "vrajimiru putin"),  # kana read as the loanword, a middle dot between words
        ("ミハイル・ミシュスティン", "mikhail mishusutin"),  # a name Wikidata's pairs know; シュ is shu
        ("블라디미르 푸틴", "bladimir putin"),  # hangul of a foreign name: whole words; ㅡ is added, ㄹㄹ one l
        ("니콜라이 파트루셰프", "nikolai patrushep"),  # 셰 is she
        ("谢尔盖·列昂诺夫", "sergey leonnov"),  # the characters' readings in foreign names
        ("קים ג'ונג-און", "kim jwng un"),  # Hebrew geresh: ג' is j; a first alef carries the vav's u
        ("Aljaksandar Ryhoravič Lukašenka", "aljaksandar ryhoravich lukashenka"),  # Belarusian Latin: č ch, š sh
        ("Jevgenij Prigožin", "jevgenij prigozhin"),  # Czech: ž is zh
        ("هوغو تشافيز", "hugo chafyz"),  # Arabic writes a foreign ch تش before a vowel
        ("تشرين", "tshryn"),  # Tishreen: an Arabic word's t and sh stay apart
    ],
)
def test_other_scripts_are_read_by_their_conventions_for_foreign_names(written: str, normalised: str) -> None:
    assert normalize(written) == normalised


@pytest.mark.parametrize(
    ("written", "syllables"),
    [
        ("시진핑", ("xi", "jin", "ping")),  # the Korean table of Mandarin syllables: 핑 is no Korean name's syllable
        ("리팡웨이", ("li", "fang", "wei")),  # 웨이 is one syllable, wei
        ("마샤오훙", ("ma", "xiao", "hong")),
        ("뤄촨쉬", ("luo", "chuan", "xu")),
        ("장쩌민", ("zhang", "ze", "min")),  # a tense initial is Chinese z; 장 zhang, commoner than jiang
        ("쑨 웨이", ("sun", "wei")),
    ],
)
def test_a_chinese_name_in_hangul_is_read_as_the_mandarin_syllables_it_writes(
    written: str, syllables: tuple[str, ...]
) -> None:
    assert chinese_hangul(written)
    found = words(written)
    assert tuple(t for word in found for t in word.tokens) == syllables
    assert all(word.syllabic and not word.abjad for word in found)  # one token a syllable, as for 习近平


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("김정은", "kim jong un"),  # a Korean name: 김 is no Mandarin syllable
        ("장지청", "jang ji chong"),  # Mandarin syllables all, but Korean ones too: no tell, read as Korean
        ("스미스", "smith"),  # Western names written in the table's syllables are no Chinese name: Smith
        ("라이스", "rice"),
        ("루이스", "ruis"),
        ("블라디미르 푸틴", "bladimir putin"),
    ],
)
def test_korean_and_western_names_in_hangul_are_not_read_as_chinese(written: str, read: str) -> None:
    assert not chinese_hangul(written)
    assert normalize(written) == read


def test_simplified_chinese_characters_read_as_the_traditional_ones_the_tables_know() -> None:
    assert traditional("弗拉基米尔") == "弗拉基米爾"
    assert normalize("弗拉基米尔·普丁") == normalize("弗拉基米爾·普丁") == "volodymyr ptin"  # 丁 is tin: see below
    assert [canonical(t) for t in tokens("谢尔盖·拉夫罗夫")] == [canonical(t) for t in tokens("謝爾蓋·拉夫羅夫")]


def test_a_character_s_reading_has_no_r_chinese_does_not_write() -> None:
    """Chinese writes no r at a syllable's end: 馬丁 Martin's r is 馬's, not 丁's (it read rtin)."""
    assert normalize("馬丁·路德") == "martin luther"
    assert normalize("弗拉基米爾·普丁").endswith(" ptin")


def test_the_arabic_article_korean_joins_to_a_name_is_another_spelling_without_it() -> None:
    """Korean writes al-Saadi 알사디, the article joined: the word keeps its reading, and is compared without the
    article too. 알렉세이 (Aleksei) begins so as well, so it is only another spelling; 알리 (Ali) is too short."""
    (saadi, _) = words("알사디 카다피")
    assert saadi.tokens == ("alsadi",) and saadi.others == (("sadi", READ_FROM_SYLLABLES),)
    (aleksei, _) = words("알렉세이 나발니")
    assert aleksei.tokens == ("aleksei",)
    (ali, _) = words("알리 하메네이")
    assert ali.tokens == ("ali",) and ali.others == ()


def test_a_chinese_character_s_other_reading_is_another_spelling() -> None:
    """Chinese writes different foreign sounds with one character: 吉 is gi in Guillermo's 吉列爾莫 and ji in Haji's
    哈吉. A word read character by character is compared with each character's other reading too, one at a time;
    a word the words table spells (吉列爾莫) keeps its spelling."""
    (haji, ashraf) = words("哈吉·阿什拉夫")
    assert haji.tokens == ("hagi",) and haji.others == (("haji", READ_FROM_SYLLABLES),)
    assert ashraf.others == ()
    (guillermo, _) = words("吉列爾莫·瓦倫西亞")
    assert guillermo.tokens == ("guillermo",) and guillermo.others == ()


def test_kana_s_added_vowels_are_another_spelling_without_them() -> None:
    """Kana ends no syllable in a consonant but n: サイード is said, ヌール Nur, and フ before a consonant the h of
    マフディー (Mahdi). The word keeps its reading; ヤクブ (Yakubu or Yaqub) is spelled by the words table."""
    assert [word.others for word in words("サイード・マフディー")] == [
        (("said", READ_FROM_SYLLABLES),),
        (("mahdi", READ_FROM_SYLLABLES),),
    ]
    (_, hoffman) = words("ジョン・ホフマン")
    assert hoffman.tokens == ("hofuman",) and hoffman.others == (("hohman", READ_FROM_SYLLABLES),)
    (_, putin) = words("ウラジーミル・プーチン")
    assert putin.tokens == ("putin",) and putin.others == (("puchin", READ_FROM_SYLLABLES),)  # no vowel added; チ chi


def test_hangul_s_z_and_ts_are_read_so_before_no_vowel() -> None:
    """Korean writes a foreign z as 즈 and ts as 츠, the consonant with the vowel it adds to one alone."""
    assert [word.tokens for word in words("디아즈 슐츠 쿠즈네초프")] == [("diaz",), ("shults",), ("kuznechop",)]


def test_a_word_in_arabic_letters_with_jim_is_spelled_with_g_too() -> None:
    """جوتيريز is Gutierrez: Arabic writes a foreign g with ج, as Egypt says it; Persian writes گ."""
    (gutierrez,) = words("جوتيريز")
    assert gutierrez.tokens == ("jwtyryz",) and gutierrez.others == (("gwtyryz", WRITTEN_IN_ABJAD),)
    (galal,) = words("گلال")
    assert galal.others == ()


def test_loanwords_are_one_word_and_compare_by_consonants() -> None:
    (first, last) = words("블라디미르 푸틴")
    assert first.tokens == ("bladimir",) and last.tokens == ("putin",)
    assert first.abjad == last.abjad == READ_FROM_SYLLABLES and not (first.syllabic or last.syllabic)
    assert words("פוטין")[0].abjad == WRITTEN_IN_ABJAD  # Hebrew's letters are its own: l and r apart
    (korean,) = words("김정은")  # a Korean name keeps its syllables
    assert korean.syllabic and not korean.abjad
    assert tokens("재현 상호 김") == ["jae", "hyon", "sang", "ho", "kim"]  # a family name apart: Korean too
    assert tokens("라마단 압달라") == ["ramadan", "apdala"]  # two words of two syllables or more: foreign
    assert tokens("캐리 람") == ["kari", "ram"]  # no word is or begins with a family name: foreign; ㅐ writes a
    (chinese,) = words("习近平")
    assert chinese.tokens == ("xi", "jin", "ping")
