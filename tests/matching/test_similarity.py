"""Token likeness: which evidence each pair of spellings gives, and how strong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearance.matching.index import form_tokens, query_tokens
from clearance.matching.names import analyze
from clearance.matching.normalize import READ_FROM_SYLLABLES, WRITTEN_IN_ABJAD, words
from clearance.matching.phonetic import canonical
from clearance.matching.similarity import (
    FOLDED,
    LOOSE_PHONETIC,
    READ_PAIR,
    SYLLABLE_WRITTEN,
    Method,
    Token,
    _first_vowels_agree,
    joinable,
    query_token,
    read_likeness,
    similarity,
)


def token(written: str) -> Token:
    """A token as the matcher makes it: normalised, canonical, marked when written in an abjad or read from
    syllables."""
    (word,) = words(written)
    (raw,) = word.tokens
    text = canonical(raw)
    return Token.of(text, raw, word.abjad if text == raw else 0)


@pytest.mark.parametrize(
    ("query", "listed", "method", "value"),
    [
        ("Lukashenko", "LUKASHENKO", Method.EXACT, 1.0),
        ("Alexander", "Aleksandr", Method.TRANSLITERATION, 1.0),
        ("Mohamed", "Muhammad", Method.TRANSLITERATION, 1.0),
        ("Ivanoff", "Ivanov", Method.PHONETIC, 0.95),
        ("Lukashenka", "Lukashenko", Method.PHONETIC, 0.85),
        ("مصطفى", "Mustafa", Method.PHONETIC, 0.95),  # an abjad: consonants, and the long vowels it writes in order
        ("ميدفيديف", "Medvedev", Method.PHONETIC, 0.95),  # it writes long vowels as y and w, and v as f
        ("بوتين", "Putin", Method.PHONETIC, 0.95),  # and p as b: the written classes of the consonants
        ("حسين", "Hussein", Method.PHONETIC, 0.85),  # three consonants, and y where Hussein has its i
        ("حسين", "Hassan", Method.PHONETIC, 0.8),  # three consonants only: hsyn has no i in Hassan
        ("דודיק", "Dodik", Method.PHONETIC, 0.95),  # Hebrew writes o and i too (dwdyk)
        ("פורסנקו", "Fursenko", Method.PHONETIC, 0.95),  # p for f, which Hebrew writes alike: the vowels agree
        ("شريف", "Cherif", Method.PHONETIC, 0.85),  # French ch for sh: one by the loose sounds, the vowels agree
        ("パルサ", "Faris", Method.PHONETIC, 0.7),  # p and f only one by the loose classes: a consonant fewer
        ("ウラジーミル", "Vladimir", Method.PHONETIC, 0.95),  # vrajimiru holds Vladimir's letters, l and r as one
        ("레오노프", "Leonov", Method.PHONETIC, 0.9),  # reonop: Leonov's letters but for l and r, p and v
        ("محمود", "Mahmoud", Method.EXACT, 1.0),  # a name Wikidata's pairs spell so, most often
        ("يوسف", "Yousef", Method.TRANSLITERATION, 1.0),  # ywsf: the variants table knows its consonants
        ("عبد", "Abdul", Method.TRANSLITERATION, 1.0),  # bd: Abd with or without the article the lists join to it
        ("Loukachenko", "Lukashenko", Method.PHONETIC, 0.9),  # French ch for sh: the loose sounds
        ("Prigoschin", "Prigozhin", Method.PHONETIC, 0.9),  # German sch for zh
        ("Gaddafi", "Qadhafi", Method.PHONETIC, 0.9),  # g for the Arabic q
        ("Lukashemko", "Lukashenko", Method.EDIT, 0.85),
        ("Pugin", "Putin", Method.EDIT, 0.6),  # one edit in five letters is weak
        ("Ptuin", "Putin", Method.EDIT, 0.8),  # a swap of two neighbouring letters is half an edit
        ("Lukahsenko", "Lukashenko", Method.EDIT, 0.925),
        ("Lukahsenok", "Lukashenko", Method.EDIT, 0.85),  # two swaps weigh one edit
        ("Stae", "State", Method.EDIT, 0.6),
        ("Abdelrazak", "Abdurazak", Method.EDIT, 0.7),  # two edits from nine letters
        ("V", "Vladimir", Method.INITIAL, 0.75),
        ("Moharnmed", "Mohammed", Method.EDIT, 0.9),  # a scan reads m as rn
        ("كمالي", "Kamali", Method.PHONETIC, 0.9),  # the final long i written, as the name has it
        ("اشرفی", "Ashrafi", Method.PHONETIC, 0.95),
        ("صبحي", "Sobhi", Method.PHONETIC, 0.85),
        ("עקיל", "Aqil", Method.PHONETIC, 0.75),  # ends in a consonant, as Aqil does
    ],
)
def test_each_pair_says_how_it_matched(query: str, listed: str, method: Method, value: float) -> None:
    found = similarity(token(query), token(listed))
    assert found is not None
    assert found[1] is method
    assert found[0] == pytest.approx(value, abs=0.01)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Jones", "Janus"),
        ("Wang", "Fang"),
        ("Zhang", "Jang"),
        ("Weller", "Valeri"),
        ("Kim", "Kin"),
        ("Q", "KK"),
        ("عدوان", "Devon"),  # two consonants, d-n, prove nothing
        ("Mohammed", "Moharnmed"),  # only the query is read back from what a scan misreads
        ("אפוליוס", "Abris"),  # Apuleius: Hebrew writes l and r apart (ל, ר), as kana and hangul do not
        ("کمالی", "Ghommari"),  # Kamali: nor Arabic script
        ("بديرية", "FDLR"),  # an acronym is said letter by letter, not read by its consonants
        ("كمالي", "Kamel"),  # Kamali: an abjad writes the final long i that Kamel lacks
        ("اشرفی", "Ashraf"),  # Ashrafi: Persian ی likewise
        ("עקיל", "Kayali"),  # Aqil: Hebrew would write Kayali's final i (י)
        ("パルサ", "Firas"),  # parusa: alike in two consonants by their loose classes, but a is not Firas's i
    ],
)
def test_unlike_names_do_not_match(query: str, listed: str) -> None:
    assert similarity(token(query), token(listed)) is None


@pytest.mark.parametrize(
    ("reading", "listed", "value"),
    [
        ("chabes", "Chavez", READ_PAIR),  # 차베스: hangul writes v as b, z as s
        ("seruna", "Serna", READ_PAIR),  # セルナ: kana add vowels, in order
        ("areasa", "Arreaza", READ_PAIR),  # 아레아사
        ("baleho", "Vallejo", READ_PAIR - 0.1),  # 巴列霍: one letter of six apart
        ("hrs", "Akhilesh", 0.0),  # consonants alone pair too freely
        ("rosu", "Rasmussen", 0.0),  # lengths too far apart
        ("chon", "Chen", 0.0),  # 천: o and e stay apart
    ],
)
def test_a_read_token_left_over_pairs_by_its_coarse_form(reading: str, listed: str, value: float) -> None:
    assert read_likeness(Token.of(reading, reading), token(listed)) == pytest.approx(value)


def test_a_reading_from_kana_pairs_however_many_vowels_it_adds() -> None:
    """フラトコフ reads furatokofu, three vowels more than Fradkov: kana adds one to nearly every consonant. A Latin
    word so much longer is another name."""
    kana = Token.of("furatokofu", "furatokofu", READ_FROM_SYLLABLES)
    assert read_likeness(kana, token("Fradkov")) == pytest.approx(READ_PAIR)
    assert read_likeness(Token.of("furatokofu", "furatokofu"), token("Fradkov")) == 0.0


@pytest.mark.parametrize(("written", "listed"), [("yw", "Yo"), ("yw", "Yu"), ("sw", "Su")])
def test_a_syllable_written_in_an_abjad_is_alike_by_its_vowel(written: str, listed: str) -> None:
    """A Korean name's syllable in Hebrew letters (יו yw, in קים יו-ג'ונג) has one consonant or none: it compares by
    the vowel it writes."""
    syllable = Token.of(written, written, WRITTEN_IN_ABJAD)
    assert similarity(syllable, token(listed)) == (SYLLABLE_WRITTEN, Method.PHONETIC)


@pytest.mark.parametrize(("written", "listed"), [("yw", "Ye"), ("sw", "Sa"), ("yw", "Yoon")])
def test_a_syllable_written_in_an_abjad_is_not_one_with_another_vowel_or_longer(written: str, listed: str) -> None:
    assert similarity(Token.of(written, written, WRITTEN_IN_ABJAD), token(listed)) is None
    assert similarity(Token.of(written, written), token(listed)) is None  # nor is a Latin word of two letters


def test_an_organisation_s_acronym_is_alike_in_spelling_only() -> None:
    """VEB, a word only organisations' names have, is said letter by letter: Webb folds as it does, and is not it. A
    person's Veb would be."""
    assert similarity(token("Webb"), Token.of("veb", "veb", brand=True)) is None
    assert similarity(token("Webb"), token("Veb")) == (FOLDED, Method.PHONETIC)
    assert similarity(token("Veb"), Token.of("veb", "veb", brand=True)) == (1.0, Method.EXACT)


def test_a_typo_in_a_name_the_table_rewrites_is_measured_as_written() -> None:
    found = similarity(token("Yurviy"), token("Yuriy"))  # Yuriy is canonically yury
    assert found is not None and found[1] is Method.EDIT


def test_a_word_no_list_has_one_edit_from_an_organisation_s_own_word_is_it_mistyped() -> None:
    """KIRYO, written by no list, is KORYO (of KORYO BANK) mistyped; a listed word, or one edit from a word of a
    person's name, it may as well be another name, and one edit in five letters says little."""
    typed = Token.of("kiryo", "kiryo", unlisted=True)
    assert similarity(typed, Token.of("koryo", "koryo", brand=True)) == (0.8, Method.EDIT)
    assert similarity(typed, Token.of("koryo", "koryo")) == (0.6, Method.EDIT)
    assert similarity(Token.of("kiryo", "kiryo"), Token.of("koryo", "koryo", brand=True)) == (0.6, Method.EDIT)
    assert similarity(Token.of("kiry", "kiry", unlisted=True), Token.of("kory", "kory", brand=True)) is None


def read(written: str) -> Token:
    """A word of hangul or kana as the matcher reads it: one token, its vowels added."""
    (found,) = form_tokens(analyze(written))
    assert found.abjad == READ_FROM_SYLLABLES
    return found


@pytest.mark.parametrize(("written", "listed"), [("컬프", "Gilboa"), ("레오니스", "Llanos"), ("버시바우", "Basov")])
def test_a_word_read_from_syllables_alike_in_two_consonants_has_the_first_vowel_too(written: str, listed: str) -> None:
    """컬프 (Culp) reads kolp: its k, l, p are Gilboa's g, l, b by their loose classes, but o is not Gilboa's i."""
    assert similarity(read(written), token(listed)) is None


def test_the_first_vowels_agree_by_class_and_past_a_vowel_kana_adds() -> None:
    """콜라로브 kolarob keeps its weak likeness to Okulov: both begin with an o. Kana adds a u after a consonant (ス
    su) or an o after t or d (ト to): the vowel after it may be the listed word's first."""
    assert similarity(read("콜라로브"), token("Okulov")) == (0.7, Method.PHONETIC)
    assert _first_vowels_agree(Token.of("sutarin", "sutarin", READ_FROM_SYLLABLES), token("Tarin"))
    assert _first_vowels_agree(Token.of("dorago", "dorago", READ_FROM_SYLLABLES), token("Drago"))
    assert not _first_vowels_agree(Token.of("kolp", "kolp", READ_FROM_SYLLABLES), token("Gilboa"))
    assert _first_vowels_agree(Token.of("nur", "nur", READ_FROM_SYLLABLES), token("Noor"))  # o and u are one class


def test_a_loanword_read_with_two_consonants_is_alike_only_with_the_listed_word_s_vowels() -> None:
    """루이스 ruis has two consonants: hangul's one letter for l and r makes it Luis, whose vowels it has, and not
    Lewis. A reading with vowels of its own is another name (주아얄 juayal is no Dour), and a final h after a vowel,
    which hangul cannot write, is passed over (자메 jame, Jammeh)."""
    assert similarity(read("루이스"), token("Luis")) == (LOOSE_PHONETIC, Method.PHONETIC)
    assert similarity(read("루이스"), token("Lewis")) is None
    assert similarity(Token.of("juayal", "juayal", READ_FROM_SYLLABLES), token("Dour")) is None
    jame = Token.of("jame", "jame", READ_FROM_SYLLABLES)
    assert similarity(jame, token("Jammeh")) == (LOOSE_PHONETIC, Method.PHONETIC)


def written(name: str) -> Token:
    """The first word of a query name, as screening makes it (with its other spellings, `Token.others`)."""
    tokens = query_tokens(analyze(name), lambda text, raw, abjad, other: query_token(text, raw, abjad, False, other))
    return tokens[0]


def test_a_word_the_table_spells_is_compared_as_its_script_writes_it_too() -> None:
    """The words table spells סטיבן Stephen, the Latin name most often paired with it; read from its letters it is
    stybn, which is Steven by its consonants, for a loose likeness at most. A reading counts only when close: קוני is
    Connie, whatever Okunji's consonants. Kana and hangul spell a name's vowels: 루돌프 is Rudolf, and no Rodolfo."""
    stephen = written("סטיבן סמית")
    assert stephen.text == "stephen" and stephen.others[0].text == "styvn"
    assert similarity(stephen, token("Steven")) == (LOOSE_PHONETIC, Method.PHONETIC)
    assert similarity(written("Stephen Smith"), token("Steven")) is None
    assert similarity(written("קוני פרנסיס"), token("Okunji")) is None
    rudolf = written("루돌프 파이얼스")
    assert rudolf.text == "rudolf" and not rudolf.others


def test_a_word_the_table_spells_is_compared_as_the_table_s_other_spellings_of_it_too() -> None:
    """힐 is Hill in the words table and Gil in a fifth of its pairs, 威廉 William and Wilhelm: the script writes both
    names alike, so either is the name, for a loose likeness at most. A word written in Latin letters has no others."""
    assert [other.text for other in written("힐 스미스").others] == ["gil"]
    assert similarity(written("힐 스미스"), token("Gil")) == (LOOSE_PHONETIC, Method.TRANSLITERATION)
    assert similarity(written("威廉·史密斯"), token("Wilhelm")) == (LOOSE_PHONETIC, Method.TRANSLITERATION)
    assert similarity(written("Hill Smith"), token("Gil")) is None
    assert similarity(written("힐 스미스"), token("Hall")) is None


def test_joined_tokens_need_close_spelling() -> None:
    assert joinable((1.0, Method.EXACT)) and joinable((0.85, Method.EDIT))
    assert not joinable((0.95, Method.PHONETIC)) and not joinable((0.6, Method.EDIT)) and not joinable(None)


_NAMES = st.from_regex(r"[a-z]{1,12}", fullmatch=True)


@given(_NAMES, _NAMES)
def test_likeness_is_symmetric_and_in_zero_one(one: str, other: str) -> None:
    a, b = Token.of(canonical(one), one), Token.of(canonical(other), other)
    found = similarity(a, b)
    assert found == similarity(b, a)
    assert found is None or 0.0 < found[0] <= 1.0
    assert similarity(a, a) == (1.0, Method.EXACT)
