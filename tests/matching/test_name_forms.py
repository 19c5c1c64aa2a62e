"""Names as people write them, screened against the real lists: titles, initials, patronymics, given-name
variants, names cut to 35 characters, and words the listed name lacks."""

from __future__ import annotations

import pytest

from clearance.matching import DEFAULT_THRESHOLD, Party, Screener
from clearance.matching.names import analyze, patronymic
from clearance.matching.normalize import words
from clearance.model import EntityKind


def person(screener: Screener, query: str, listed: str) -> float:
    """`best`, the query screened as a person."""
    return best(screener, query, listed, EntityKind.PERSON)


def best(screener: Screener, query: str, listed: str, kind: EntityKind | None = None) -> float:
    """The best score of an entity one of whose names is `listed`, or 0 when it is no candidate."""
    hits = screener.screen(Party(name=query, kind=kind), threshold=0.3, limit=30)
    return max((h.score for h in hits if any(n.full == listed for n in h.entity.names)), default=0.0)


PUTIN = "PUTIN, Vladimir Vladimirovich"
BOUT = "BOUT, Viktor Anatolijevitch"


@pytest.mark.parametrize(
    "title",
    [
        "President",
        "Presidente",
        "Präsident",
        "Président",
        "Prezydent",
        "Президент",
        "Herr",
        "Monsieur",
        "Señor",
        "Gospodin",
        "Генерал",
        "General",
        "Minister",
        "Министр",
        "Sheikh",
        "Ayatollah",
        "Πρόεδρος",
        "Cumhurbaşkanı",
        "Sayın",
        "Elnök",
        "Președinte",
        "Predsjednik",
        "رئيس",
        "شيخ",
        "נשיא",
        "Präsidentin",
        "Председатель",
        "Товарищ",
        "Licenciado",
        "Onorevole",
        "Domnul",
        "Miniszterelnök",
        "Pääministeri",
        "Mevrouw",
        "Bakanı",
        "Κύριος",
        "آقای",
        "אלוף",
        "राष्ट्रपति",
        "Jenderal",
        "Premierminister",
        "Vizeadmiral",
        "Almirante",
        "Amiral",
        "Tenente",
    ],
)
def test_titles_in_many_languages_are_noise(title: str) -> None:
    form = analyze(f"{title} Vladimir Putin")
    assert form.noise == (True, False, False)
    assert form.signal == ("vladimir", "putin")


@pytest.mark.parametrize(
    ("written", "title_first"),
    [("대통령 윤석열", True), ("윤석열 대통령", False), ("김정은 국무위원장", False), ("위원장 김정은", True)],
)
def test_a_title_written_in_hangul_is_noise(written: str, title_first: bool) -> None:
    """However `normalize` romanises hangul (a token per syllable or per word), the title's tokens are noise."""
    first, second = (len(word.tokens) for word in words(written))
    expected = (title_first,) * first + (not title_first,) * second
    assert analyze(written).noise == expected


@pytest.mark.parametrize(("written", "titled"), [("习近平同志", 2), ("金正恩总书记", 3), ("王女士", 2)])
def test_a_title_written_in_chinese_characters_ends_the_word_as_noise(written: str, titled: int) -> None:
    """同志 (comrade), 总书记 (general secretary), 女士 (Ms) end the word they are written in: its last syllables."""
    noise = analyze(written).noise
    assert noise[-titled:] == (True,) * titled and not any(noise[:-titled])


def test_a_title_written_in_chinese_characters_is_noise_at_the_end_of_a_word() -> None:
    assert analyze("习近平主席").signal == ("xi", "jin", "ping")
    title = len(words("大統領 プーチン")[0].tokens)
    assert analyze("大統領 プーチン").noise == (True,) * title + (False,) * (
        len(analyze("大統領 プーチン").raw) - title
    )


def test_a_name_made_only_of_title_syllables_stays_a_name() -> None:
    assert analyze("朱熹").signal == ("zhu", "xi")


@pytest.mark.parametrize("query", ["Presidente Vladimir Putin", "Президент Владимир Путин", "Генерал Владимир Путин"])
def test_a_title_does_not_keep_a_name_from_its_hit(screener: Screener, query: str) -> None:
    assert best(screener, query, PUTIN) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("général iranien Qassem Soleimani", "SOLEIMANI, Qasem"),  # a title and a word of the nationality
        ("Hamas leader Ismail Haniyeh", "HANIYEH, Ismail"),
        ("Außenminister Sergej Lawrow", "LAVROV, Sergei Viktorovich"),
        ("Generalstabschef Waleri Gerassimow", "GERASIMOV, Valery"),
        ("Machthaber Kim Jong-un", "KIM, Jong Un"),
        ("Hisbollah-Chef Hassan Nasrallah", "NASRALLAH, Hasan"),  # what the office heads, hyphenated to it
        ("Wagner-Chef Jewgeni Prigoschin", "PRIGOZHIN, Evgeny"),
        ("الرئيس السوري بشار الأسد", "AL-ASAD, Bashar"),  # the Syrian president: an adjective of origin
        ("ministro degli Esteri Sergej Lavrov", "LAVROV, Sergey"),  # the office joined to the title by degli
        ("el ministro de Defensa Vladimir Padrino López", "PADRINO LOPEZ, Vladimir"),  # and an article before it
        ("der Minister für Verteidigung Sergej Schoigu", "SHOIGU, Sergei"),
    ],
)
def test_a_title_and_one_extra_word_as_news_write_them_keep_the_hit(
    screener: Screener, query: str, listed: str
) -> None:
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("محمد فضل الله", "FADLALLAH, Shaykh Muhammad Husayn"),
        ("السيد حسن نصر الله", "NASRALLAH, Hasan"),
    ],
)
def test_a_name_ending_in_allah_written_apart_is_one_word(screener: Screener, query: str, listed: str) -> None:
    """Arabic writes نصر الله as two words, the lists NASRALLAH as one."""
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


def test_two_extra_words_beside_a_title_still_count_in_full(screener: Screener) -> None:
    assert best(screener, "général xyz abc Qassem Soleimani", "SOLEIMANI, Qasem") < DEFAULT_THRESHOLD
    # What the office heads (iranien) is the title's, the other words are not.
    assert best(screener, "général iranien xyz abc Qassem Soleimani", "SOLEIMANI, Qasem") < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("le président russe Vladimir Poutine", PUTIN),
        ("de Russische president Vladimir Poetin", PUTIN),
        ("ο Ρώσος πρόεδρος Βλαντιμίρ Πούτιν", PUTIN),
        ("הנשיא הרוסי ולדימיר פוטין", PUTIN),
        ("블라디미르 푸틴 러시아 대통령", PUTIN),
        ("Venezuelan President Nicolas Maduro", "MADURO MOROS, Nicolas"),
        ("North Korean leader Kim Jong Un", "KIM, Jong Un"),
        ("il ministro degli esteri russo Sergej Lavrov", "LAVROV, Sergey"),
        ("Minister of Foreign Affairs of Russia Sergey Lavrov", "LAVROV, Sergey"),
        ("Iranian Supreme Leader Ayatollah Ali Khamenei", "KHAMENEI, Ali Husseini"),
        ("المرشد الأعلى علي خامنئي", "KHAMENEI, Ali Husseini"),
    ],
)
def test_an_office_with_what_it_heads_keeps_the_hit(screener: Screener, query: str, listed: str) -> None:
    """News name a public person by office, country and portfolio, in their own language: none is a word of the
    name."""
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


def test_words_joining_a_title_to_its_office_are_the_titles_only_after_one() -> None:
    from clearance.matching.names import analyze, title_links

    def links(name: str) -> list[str]:
        form = analyze(name, False)
        return [form.tokens[k] for k in sorted(title_links(form))]

    assert links("le ministre de la Défense Sergueï Choïgou") == ["le", "de", "la"]
    assert links("Minister of the Interior John Smith") == ["of", "the"]
    assert links("Luiz Inácio Lula da Silva") == []  # a name's own particle
    assert links("Le Van Thanh") == []  # Lê, a family name


def test_a_surname_with_a_title_scores_higher_than_with_an_unknown_word(screener: Screener) -> None:
    assert best(screener, "Президент Путин", PUTIN) > 0.7


@pytest.mark.parametrize("query", ["Путин В. В.", "В.В.Путин", "Путин В.В.", "Putin V.V.", "V. V. Putin", "V. Putin"])
def test_initials_that_agree_with_the_given_names_match(screener: Screener, query: str) -> None:
    assert best(screener, query, PUTIN) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("GRININ, Y. Aleksandrovich", "GRININ, Yevgeniy Aleksandrovich"),  # Yevgeniy reads as Evgeny
        ("E. A. Cherstvova", "CHERSTVOVA, Elena Alexandrovna"),  # Elena reads as Yelena
        ("H. Mohajerani", "HAMID-REZA MOHAJERANI"),  # Reza is half a given name
        ("RYOM, H.", "RYOM, Hui-bong"),
    ],
)
def test_initials_agree_with_given_names_as_written(screener: Screener, query: str, listed: str) -> None:
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("query", ["Putin A. B.", "Путин А. Б.", "A.B. Putin"])
def test_initials_that_disagree_do_not(screener: Screener, query: str) -> None:
    assert best(screener, query, PUTIN) < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    "written",
    ["Vladimirovich", "Vladimirowitsch", "Vladimirovitch", "Vladimirowicz", "Vladimirovics"],
)
def test_patronymic_endings_are_one(written: str) -> None:
    assert analyze(written).tokens == ("vladimirovich",)


def test_a_belarusian_patronymic_ending_is_the_russian_one() -> None:
    assert patronymic("ryhoravich") == "ryhorovich"
    assert patronymic("sergejewitsch") == "sergejevich"


@pytest.mark.parametrize(
    "query", ["Vladimir Vladimirowitsch Putin", "Wladimir Wladimirowitsch Putin", "Vladimir Vladimirovitch Poutine"]
)
def test_patronymics_as_other_languages_write_them_match(screener: Screener, query: str) -> None:
    assert best(screener, query, PUTIN) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("variant", "name"),
    [
        ("Jon", "John"),
        ("Bill", "William"),
        ("Bob", "Robert"),
        ("Sasha", "Aleksandr"),
        ("Volodya", "Vladimir"),
        ("Mohammed", "Muhammad"),
        ("Mohamed", "Muhammad"),
        ("Mehmet", "Muhammad"),
        ("Magomed", "Muhammad"),
        ("Mohamud", "Muhammad"),
    ],
)
def test_given_name_variants_and_diminutives_are_one_name(variant: str, name: str) -> None:
    assert analyze(variant).tokens == analyze(name).tokens


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Volodya Putin", PUTIN),
        ("Sasha Lukashenko", "LUKASHENKA, Alyaksandr Ryhorovich"),
        ("Jon Pridmore-Smith", "JOHN B. PRIDMORE-SMITH"),
    ],
)
def test_a_diminutive_matches_the_listed_given_name(screener: Screener, query: str, listed: str) -> None:
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Vladimir Putin xyz", PUTIN),
        ("Vladimir Putin Moscow", PUTIN),
        ("Viktor Bout xyz", BOUT),
        ("Rosneft xyz", "Rosneft"),
    ],
)
def test_one_extra_word_does_not_undo_a_match(screener: Screener, query: str, listed: str) -> None:
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


def test_one_extra_word_still_costs(screener: Screener) -> None:
    assert best(screener, "Vladimir Putin Moscow", PUTIN) < best(screener, "Vladimir Putin", PUTIN)


def test_two_extra_words_count_in_full(screener: Screener) -> None:
    assert best(screener, "Rosneft xyz Moscow", "Rosneft") < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Martin Benson", "Hia Soo Gan Benson Hia"),  # a CSL entry of no kind, also known as Benson
        ("Jacques Rogge", "Jacques Monsieur"),  # Monsieur reads as a title when the kind is not known
        ("Don Cherry", "Luo Jie"),  # also known as Cherry
    ],
)
def test_a_person_screened_as_one_is_no_one_word_alias_and_an_extra_word(
    screener: Screener, query: str, listed: str
) -> None:
    """A person's second word is the rest of their name, not an extra word beside a listed one-word name."""
    assert person(screener, query, listed) < 0.8
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD  # of no stated kind, it may be a company's name


def test_a_middle_name_the_query_has_another_word_in_place_of_costs_in_full(screener: Screener) -> None:
    """김우영 reads kim u yong: its u is in the place of KIM, Yong Chol's Chol, which was not left out but differs."""
    hits = screener.screen(Party(name="김우영", kind=EntityKind.PERSON), threshold=0.3, limit=30)
    assert all(h.score < DEFAULT_THRESHOLD for h in hits if h.entity.id == "ofac-sdn:12211")
    assert best(screener, "Kim Yong", "KIM, Yong Chol") >= DEFAULT_THRESHOLD  # left out, it costs a middle name


def test_one_word_heard_alike_says_less_than_one_spelled_alike(screener: Screener) -> None:
    """크롬 (chrome) reads krom, which sounds like the CSL's alias KARUMI; spelled alike it would be a hit."""
    assert best(screener, "크롬", "KARUMI") < DEFAULT_THRESHOLD
    assert best(screener, "야오예청", "CHANGO") < DEFAULT_THRESHOLD  # Yao Yecheng, read as one word
    assert best(screener, "Karumi", "KARUMI") >= DEFAULT_THRESHOLD


def test_a_name_written_in_hangul_syllables_writes_every_syllable(screener: Screener) -> None:
    """최민 (Choe Min) lacks the so'k of CH'OE SO'K MIN: hangul would have written it. In Latin letters a syllable of
    a given name is left out as a middle name is."""
    hits = screener.screen(Party(name="최민", kind=EntityKind.PERSON), threshold=0.3, limit=30)
    assert all(h.score < DEFAULT_THRESHOLD for h in hits if any(n.full == "CH'OE SO’K MIN" for n in h.entity.names))
    assert best(screener, "Choe Min", "CH'OE SO’K MIN") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "middle", "listed"),
    [
        ("Thomas James Lee", "James Thomas Lee", "James Lee"),  # CSL entries of no stated kind
        ("Kevin John Chan", "John Kevin Chan", "John Chan"),
        ("Uday Saddam Hussein Al-Tikriti", "Saddam Uday Hussein Al-Tikriti", "Saddam Hussein Al-Tikriti"),  # his son
    ],
)
def test_a_first_given_name_left_over_is_no_extra_word(
    screener: Screener, query: str, middle: str, listed: str
) -> None:
    """The query's middle name is the listed name's given name: the query names someone else. The same word as a
    middle name is one the list left out."""
    assert person(screener, query, listed) < DEFAULT_THRESHOLD
    assert person(screener, middle, listed) >= DEFAULT_THRESHOLD


def test_a_middle_name_or_a_word_after_the_name_or_a_title_is_still_one_extra_word(screener: Screener) -> None:
    assert person(screener, "Robert Henry Anderson", "Robert Anderson") >= DEFAULT_THRESHOLD
    assert person(screener, "général iranien Qassem Soleimani", "SOLEIMANI, Qasem") >= DEFAULT_THRESHOLD
    assert person(screener, "Vladimir Putin Moscow", "PUTIN, Vladimir Vladimirovich") >= DEFAULT_THRESHOLD


def test_an_acronym_is_not_read_by_its_consonants(screener: Screener) -> None:
    """بديرية (Badiriya) writes b d r; FDLR's letters are said one by one, and are no name's consonants."""
    assert best(screener, "بديرية LLC", "FDLR") < DEFAULT_THRESHOLD
    assert best(screener, "بدر", "BADR") >= DEFAULT_THRESHOLD  # a word with vowels is read as before


def test_a_final_long_vowel_written_in_an_abjad_tells_names_apart(screener: Screener) -> None:
    """Persian writes the final i of Kamali and Ashrafi (ی): Mohammad Kamali is not Mohamed KAMEL, nor Mahsa Ashrafi
    Haji M. ASHRAF; Ali Kamali, written so, is still KAMALI, Ali."""
    assert person(screener, "محمد کمالی", "KAMEL, Mohamed") < DEFAULT_THRESHOLD
    assert person(screener, "مهسا اشرفی", "ASHRAF, Haji M.") < DEFAULT_THRESHOLD
    assert person(screener, "علی کمالی", "KAMALI, Ali") >= DEFAULT_THRESHOLD
    assert person(screener, "محمد کامل", "KAMEL, Mohamed") >= DEFAULT_THRESHOLD


def test_a_word_read_from_hangul_alike_in_two_consonants_has_the_first_vowel_too(screener: Screener) -> None:
    """조지프 컬프 (Joseph Culp) reads kolp: Gilboa's g, l, b by their loose classes, but not its i; 레오니스
    (Leonis) reads reonis, which has e where Llanos has a."""
    assert person(screener, "조지프 컬프", "GILBOA, Joseph") < DEFAULT_THRESHOLD
    assert person(screener, "레오니스 마틴", "MARTIN LLANOS") < DEFAULT_THRESHOLD


def test_a_syllable_matches_only_as_spelled(screener: Screener) -> None:
    """경수 김 reads kyong su kim: Young Su Kim's young is 영, not 경; 成 周 (Zhou Cheng) is not Chong Zhou."""
    assert person(screener, "경수 김", "Young Su Kim") < DEFAULT_THRESHOLD
    assert person(screener, "成 周", "Chong Zhou") < DEFAULT_THRESHOLD
    assert person(screener, "Kyong Su Kim", "Young Su Kim") < person(screener, "Young Su Kim", "Young Su Kim")
    assert best(screener, "제아", "AUNG, Ye") < DEFAULT_THRESHOLD  # je a: 아 is a syllable, not the initial A.


def test_a_syllable_with_an_a_is_not_one_without(screener: Screener) -> None:
    """伟 钟 (Zhong Wei) reads zhong: no romanisation writes 钟 with an a, so it is not the alias WEI, Zhang."""
    assert person(screener, "伟 钟", "WEI, Zhang") < 0.5
    assert person(screener, "伟 张", "WEI, Zhang") >= DEFAULT_THRESHOLD  # 张 is zhang


def test_a_family_name_written_as_a_word_of_its_own_is_part_of_the_name(screener: Screener) -> None:
    """미정 김 (Kim Mi-jeong) reads mi jong kim: her given name's syllables are the CSL alias MI CHUNG, but Kim, common
    as it is, is her family name, not a word to leave over."""
    assert person(screener, "미정 김", "MI CHUNG") < DEFAULT_THRESHOLD
    assert person(screener, "성훈 김", "KIM, Song Hun") >= DEFAULT_THRESHOLD  # every word matched


def test_a_name_of_no_stated_kind_has_every_syllable_written(screener: Screener) -> None:
    """辉 沈 (Shen Hui) writes no sheng: Hui Sheng Shen, a CSL entry of no stated kind, is another name."""
    assert person(screener, "辉 沈", "Hui Sheng Shen") < DEFAULT_THRESHOLD
    assert person(screener, "Hui Shen", "Hui Sheng Shen") >= DEFAULT_THRESHOLD  # in Latin letters, left out


def test_a_word_no_list_writes_is_an_organisation_s_word_mistyped(screener: Screener) -> None:
    """KIRYO and MEDTA are written by no list: one edit from KORYO and MEDIA, words only organisations' names have,
    they are those mistyped. One edit from a word of a listed person's name, a word no list writes is as likely another
    person's name (Carter, Carper), and costs as any edit does."""
    assert best(screener, "KIRYO BANK", "KORYO BANK") >= DEFAULT_THRESHOLD
    assert best(screener, "MEDTA-INVEST OOO", "MEDIA-INVEST OOO") >= DEFAULT_THRESHOLD
    hits = screener.screen(Party(name="Charles Carter", kind=EntityKind.PERSON), threshold=0.3, limit=30)
    (carper,) = [h for h in hits if any(n.full == "Charles Carper" for n in h.entity.names)]
    assert [t.similarity for t in carper.explanation.tokens if t.query == "carter"] == [pytest.approx(0.75)]


def test_a_c_before_e_or_i_is_an_s(screener: Screener) -> None:
    """French writes Yassin and Nasser as Yacine and Nacer: ヤシン・アハメド・ナセル (yasin, ahmad, naseru) is him."""
    assert person(screener, "ヤシン・アハメド・ナセル", "AHMED NACER, Yacine") >= DEFAULT_THRESHOLD
    assert person(screener, "Yassine Ahmed Nasser", "AHMED NACER, Yacine") >= DEFAULT_THRESHOLD


def test_the_w_and_y_an_abjad_writes_are_its_vowels(screener: Screener) -> None:
    """חאג'יזאדה reads hajyzada: struck out, its y left haj before z, which folding read as German hai; read as i,
    it keeps Hajizadeh's j. עלאונג'י (ghlwnjy) keeps Ghalawanji's so."""
    assert person(screener, "אמיר עלי ח'אג'יזאדה", "HAJIZADEH, Amir Ali") >= DEFAULT_THRESHOLD
    assert person(screener, "עומר אבראהים ע'לאונג'י", "GHALAWANJI, Omar Ibrahim") >= DEFAULT_THRESHOLD


def test_an_organisation_s_acronym_is_not_alike_by_sound(screener: Screener) -> None:
    """VEB, Vnesheconombank's acronym, is said letter by letter: Webb PLC folds as VEB does, and is not it."""
    assert best(screener, "Webb PLC", "VEB") < DEFAULT_THRESHOLD
    assert best(screener, "VEB", "VEB") >= DEFAULT_THRESHOLD
    assert best(screener, "Vneshekonombank", "VNESHECONOMBANK") >= DEFAULT_THRESHOLD


def test_a_family_name_read_from_kana_with_a_vowel_after_each_consonant_is_found(screener: Screener) -> None:
    """フラトコフ reads furatokofu, three vowels more than Fradkov, and writes the t Russian says for its d before k:
    the listed Russian is found."""
    assert person(screener, "ミハイル・フラトコフ", "FRADKOV, Mikhail Efimovich") >= DEFAULT_THRESHOLD


def test_a_weak_alias_gets_no_leeway_for_an_extra_word(screener: Screener) -> None:
    """UN QDi.406 is also known as "John", a weak alias: John Smith is not him."""
    assert best(screener, "John Smith", "Murad Iraklievich Margoshvili") < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Park Il-kap", "PAK CHUN IL"),  # kap is half a given name, not a word of its own
        ("斌 莉 徐", "XU, Bin"),  # each character a syllable of a name: Xu Binli
        ("José López Portillo", "LOPEZ, Jose Francisco"),  # a listed given name is missing: no leeway
        ("محمد علي رجائي", "'ALI, Muhammad"),  # Mohammad Ali Rajai: two common tokens are no name to go by
    ],
)
def test_no_leeway_for_what_is_part_of_a_name(screener: Screener, query: str, listed: str) -> None:
    assert best(screener, query, listed) < DEFAULT_THRESHOLD


def test_a_second_family_name_is_left_out_as_a_middle_name_is(screener: Screener) -> None:
    assert analyze("MADURO MOROS, Nicolas").edge == (True, False, True)
    assert best(screener, "Nicolás Maduro", "MADURO MOROS, Nicolas") >= DEFAULT_THRESHOLD
    assert best(screener, "Diego Ayala", "AYALA ROMERO, Diego") >= DEFAULT_THRESHOLD


def test_after_a_common_surname_a_second_family_name_keeps_its_weight(screener: Screener) -> None:
    """Maria Garcia, a name thousands bear, is not GARCIA DURAN, Maria Del Rosario."""
    assert analyze("GARCIA DURAN, Maria Del Rosario").edge == (True, True, True, False, False)
    assert best(screener, "Maria Garcia", "GARCIA DURAN, Maria Del Rosario") < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("강송남", "KANG, Song Nam"),  # North Korea's romanisation, as the lists write its people
        ("리병철", "RI, Pyong Chol"),
        ("경애하는 김정은 동지", "KIM, Jong Un"),  # titles in hangul, however long, are no loanword
        ("קים יו-ג'ונג", "KIM, Yo Jong"),  # a Korean name's syllable in Hebrew: יו is yo
        ("קים סו-יונג", "KIM, Yong Su"),
        ("弗拉基米爾·普丁", "PUTIN, Vladimir Vladimirovich"),  # as Taiwan writes him: 丁 is tin
        ("谢尔盖·拉夫罗夫", "LAVROV, Sergei Viktorovich"),  # simplified characters
        ("Alexandre Loukachenko", "LUKASHENKO, Aliaksandr Ryhoravich"),
        ("Oberst Muammar Abu Minyar al-Gaddafi", "AL-QADHAFI, Muammar Abu Minyar"),
        ("캐리 람", "LAM, Carrie"),  # words of two consonants read from hangul, by them and their vowels
        ("야히아 자메", "JAMMEH, Yahya"),
        ("حجي باز محمد", "MOHAMMAD, Haji Baz"),  # باز is Paz by the words table, Baz by its letters
        ("호세 알레한드로 힐 가르시아", "GIL GARCIA, Jose Alejandro"),  # 힐: Hill by the words table, and Gil
        ("ハジ・バズ・モハンマド", "MOHAMMAD, Haji Baz"),  # バズ: Buzz by the words table, and Baz
        ("새뮤얼 놀스", "KNOWLES, Samuel"),  # English does not say the k of kn-, which hangul leaves out
        ("סמואל נואלס", "KNOWLES, Samuel"),
        ("라도반 카라지치", "KARADZIC, Radovan"),  # Karadžić, as the lists write him without marks, is said karajich
        ("רדובאן קאראג'יץ'", "KARADZIC, Radovan"),
    ],
)
def test_names_as_other_languages_write_them(screener: Screener, query: str, listed: str) -> None:
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


def test_a_foreign_w_written_as_a_double_vav_reaches_the_listed_w(screener: Screener) -> None:
    """אנוואר reads anvar: Hebrew writes Anwar's w as וו, v, which no listed Anwar has among its consonants."""
    assert best(screener, "אנוואר", "ANWAR, Rao") > 0.0


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("리팡웨이", "LI, Fangwei"),  # Chinese names on OFAC's list as Korean's table of Mandarin writes them
        ("저우젠수", "ZHOU, Jianshu"),
        ("뤄촨쉬", "LUO, Chuanxu"),
        ("마샤오훙", "MA, Xiaohong"),
        ("천밍푸", "CHEN, Mingfu"),
    ],
)
def test_a_chinese_name_written_in_hangul_matches_its_pinyin(screener: Screener, query: str, listed: str) -> None:
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("חוסה חימנס פרס", "JIMENEZ PEREZ, Jose Julian Bruno"),  # Hebrew writes the Spanish jota ח, and z ס
        ("חיימה רוחאס פרנקו", "ROJAS FRANCO, Jaime"),
        ("何塞·希门尼斯·佩雷斯", "JIMENEZ PEREZ, Jose Julian Bruno"),  # Chinese writes it 希 (xi)
        ("歐嘉·派翠西亞·冈萨雷斯·貝尼特斯", "GONZALEZ BENITEZ, Olga Patricia"),  # z is s: 冈萨雷斯 gansares
    ],
)
def test_a_name_of_a_spanish_speaking_country_matches_as_other_scripts_write_it_by_sound(
    screener: Screener, query: str, listed: str
) -> None:
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


def test_only_a_person_of_a_spanish_speaking_country_has_a_name_said_in_spanish(screener: Screener) -> None:
    """HASSAN, Jamil has no Spanish-speaking country: Hebrew writes his j ג' (ג'מיל), and חמיל is Hamil, another name.
    A Colombian or Mexican Jamil, the same spelling, would be said with an h."""
    assert person(screener, "ג'מיל חסן", "HASSAN, Jamil") >= DEFAULT_THRESHOLD
    assert person(screener, "חמיל חסן", "HASSAN, Jamil") < DEFAULT_THRESHOLD


def test_the_arabic_article_korean_joins_to_a_name_is_found_where_the_list_has_none(screener: Screener) -> None:
    """알사디 카다피 is al-Saadi Gaddafi, whom OFAC lists as GADDAFI, Saadi: no article to join it to."""
    assert person(screener, "알사디 카다피", "GADDAFI, Saadi") >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ムハンマド・サイード", "SA'ID, Mohamed"),  # サイード saido: kana's final vowel
        ("ハジ・モハンマド・ヌール", "NOOR, Haji Mohammad"),
        ("エフサン・モハンマディ", "MOHAMMADI, Ehsan"),  # エフサン efusan: フ before a consonant is h
        ("アディル・マフディー", "ADIL ABDALLAH MAHDI"),
        ("사이드 아리프", "ARIF, Said"),  # 아리프 arip: two consonants, p for f
        ("다이애나 로레나 토로 디아즈", "TORO DIAZ, Diana Lorena"),  # 즈 z
        ("드미트리 쿠즈네초프", "KUZNETSOV, Dmitry Vadimovich"),  # 초 for tso
        ("숀 맥거번", "MCGOVERN, Sean Gerard"),  # no r where English says none
        ("ナタリア・ダークス", "DIRKS, Natalia Germanova"),
        ("ヴェロニカ・エスパーザ・ガルシア", "ESPARZA GARCIA, Veronica"),
        ("סוניה קסטרו גונזלס", "CASTRO GONZALEZ, Sonia"),  # the first z as spelled, the last as said
        ("רמון אנטוניו טורס אספינוסה", "TORRES ESPINOZA, Ramon Antonio"),
        ("خوليو سيزار إسترادا جوتيريز", "ESTRADA GUTIERREZ, Julio Cesar"),  # ج for g
        ("خوسيه أليخاندرو جيل غارسيا", "GIL GARCIA, Jose Alejandro"),
        ("Gueorgui Poltavtchenko", "POLTAVCHENKO, Georgiy Sergeyevich"),  # French gu, tch
        ("Sergueï Narychkine", "NARYSHKIN, Sergey Yevgenyevich"),
    ],
)
def test_names_other_scripts_write_as_said_are_found(screener: Screener, query: str, listed: str) -> None:
    """Wikidata's renderings of listed names, word by word (`bench/realworld_screening.py --split renderings`):
    under clearance-name-v19 each scored below the threshold or was no candidate."""
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("哈吉·穆罕默德·努爾", "NOOR, Haji Mohammad"),  # 吉 gi, and ji
        ("哈吉·阿什拉夫", "HAJI MUHAMMAD ASHRAF"),
        ("塔拉勒·穆罕默德·拉希德·纳吉", "NAJI, Talal Muhammad Rashid"),
        ("肖恩·麥戈文", "MCGOVERN, Sean Gerard"),  # 麥 mi, and mc
        ("瓦列里·謝列茲尼奧夫", "SELEZNYOV, Valery Sergeyevich"),  # 謝 she, and se
    ],
)
def test_a_chinese_character_s_other_reading_finds_the_name(screener: Screener, query: str, listed: str) -> None:
    """Wikidata's renderings of listed names in Chinese characters: under clearance-name-v20, read by each
    character's commonest reading alone, each scored below the threshold."""
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("עאדל דיאב", "DIAB, Adel"),  # ב read v: dyav, two consonants, was no candidate
        ("עלי דיאב", "DIAB, Ali Adel"),
        ("אחמד יעקוב", "YAQUB, Ahmed"),
        ("إدواردو ميندوزا روبلز", "MENDOZA ROBLES, Eduardo"),  # ز for the s said z: rwblz
    ],
)
def test_a_b_written_as_hebrew_v_and_an_s_written_as_arabic_z_find_the_name(
    screener: Screener, query: str, listed: str
) -> None:
    """Wikidata's renderings of listed names: under clearance-name-v22 each scored below the threshold."""
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("イーゴリ・セーチン", "SECHIN, Igor"),  # セーチン read setin by the convention of プーチン (Putin)
        ("オレグ・セルゲーエヴィチ・チリコフ", "CHIRIKOV, Oleg Sergeyevich"),
    ],
)
def test_a_kana_chi_is_a_russian_ch_too(screener: Screener, query: str, listed: str) -> None:
    """Under clearance-name-v22 each scored below the threshold (0.49 and 0.26); Putin is still read with ti."""
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD
    assert person(screener, "ウラジーミル・プーチン", "PUTIN, Vladimir") >= 0.95


@pytest.mark.parametrize("query", ["弗拉基米尔·普京", "普京总统", "俄罗斯总统普京"])
def test_the_standard_chinese_form_of_a_name_that_follows_no_reading_is_the_name(
    screener: Screener, query: str
) -> None:
    """普京 is Putin as Chinese writes him, though 京 reads jing: with his given name, or with a title or what it heads
    written on to it (under clearance-name-v23 no candidate, the characters read pu jing)."""
    assert "putin" in analyze(query).signal
    assert best(screener, query, PUTIN) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("俄罗斯国防部长谢尔盖·绍伊古", "SHOIGU, Sergei"),  # Russia, the defence minister, then the name, dotted
        ("白俄罗斯总统卢卡申科", "LUKASHENKO, Aliaksandr Ryhoravich"),
        ("伊朗最高领袖哈梅内伊", "KHAMENEI, Ali Husseini"),
    ],
)
def test_a_country_and_an_office_written_on_to_a_name_in_chinese_characters_are_read_apart(
    screener: Screener, query: str, listed: str
) -> None:
    """Written on to the name, they were read with it: as one foreign word with the given name where a middle dot parts
    the name (the first, no candidate under clearance-name-v23), or as syllables with no title of their own."""
    form = analyze(query, organization=False)
    assert form.noise[:2] == (True, True) and not form.noise[-1]
    assert best(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("حسين دهقان", "DEHGHAN, Hossein"),  # Persian
        ("هادي دهقان", "DEHGHAN, Hadi"),
        ("חוסיין דהקאן", "DEHGHAN, Hossein"),  # Hebrew
    ],
)
def test_a_he_after_a_letter_is_no_digraph_with_it(screener: Screener, query: str, listed: str) -> None:
    """د and ه read d and h, which Latin reads as one letter (dh, ذ): Dehghan's consonants were dkn, no candidate
    under clearance-name-v23. The he is read apart, as in تهراني Tehrani and زاده Zadeh."""
    assert analyze("دهقان").tokens == ("dehqan",)
    assert analyze("علیزاده").tokens == ("lyzadeh",)
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ニコライ・ヴァシリエフ", "VASILYEV, Nikolay Ivanovich"),  # シ for си
        ("イリーナ・ニコラエワ", "NIKOLAEVA, Irina Viktorovna"),  # ワ for ва
        ("ピン・ユン・チャン", "CHANG, Ping Yun"),  # ン for ng
        ("テイン・ソー", "SOE, Thein"),  # ソー for Soe
    ],
)
def test_kana_that_write_a_sound_of_another_language_nearest_are_read_as_it_too(
    screener: Screener, query: str, listed: str
) -> None:
    """Wikidata's renderings of listed names: under clearance-name-v23 no candidate, or below 0.45."""
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("جيسوس ألفريدو غوزمان سالازار", "GUZMAN SALAZAR, Jesus Alfredo"),
        ("أوسكار ألبرتو خيريز بينيدا", "JEREZ PINEDA, Oscar Alberto"),
    ],
)
def test_an_initial_j_before_e_is_a_consonant_an_abjad_writes(screener: Screener, query: str, listed: str) -> None:
    """Folding reads Je as Ye, as German writes Jewgeni; Arabic writes the J of Jesus (جيسوس) and Jerez as a consonant.
    Under clearance-name-v23 the word was left over: 0.69 and 0.65."""
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("פרנסיסקו חאבייר ארייאנו פליקס", "ARELLANO FELIX, Francisco Javier"),
        ("פביאן רודריגו גאייגו מרין", "GALLEGO MARIN, Fabian Rodrigo"),
    ],
)
def test_a_hebrew_double_yod_may_write_a_spanish_ll(screener: Screener, query: str, listed: str) -> None:
    """Hebrew writes a Spanish ll as said, יי; the lists as spelled: under clearance-name-v23 the word was left over
    (0.66 and 0.68). חאבייר, Javier, keeps its own reading."""
    assert analyze("ארייאנו").others == ((("arlanw", 1),),)
    assert person(screener, query, listed) >= DEFAULT_THRESHOLD


def test_a_korean_name_in_hangul_is_still_read_as_korean(screener: Screener) -> None:
    assert person(screener, "장송남", "JANG, Sung Nam") >= DEFAULT_THRESHOLD  # 장 stays Jang: no Mandarin tell
    assert person(screener, "장젠", "ZHANG, Jian") >= DEFAULT_THRESHOLD  # 젠 is one: the same 장 is then Zhang


def test_a_chinese_name_in_hangul_with_no_mandarin_tell_is_compared_as_mandarin_too(screener: Screener) -> None:
    """왕천 is read wang chon, as Korean; its syllables write wang and chen in the Korean table of Mandarin syllables
    (0.39 under clearance-name-v23): another spelling of each syllable, not its own reading."""
    assert analyze("왕천").tokens == ("wang", "chon")
    assert analyze("왕천").others == ((), (("chen", 0), ("cen", 0)))
    assert person(screener, "왕천", "WANG, Chen") >= DEFAULT_THRESHOLD


def test_a_hyphenated_family_name_is_all_family_name(screener: Screener) -> None:
    assert analyze("JOHN B. PRIDMORE-SMITH").edge == (True, False, True, True)
    assert best(screener, "John Smith", "JOHN B. PRIDMORE-SMITH") < DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("cut", "listed"),
    [
        ("MOHAMMAD BARZAN IBRAHIM HASAN AL-TI", "MOHAMMAD BARZAN IBRAHIM HASAN AL-TIKRITI"),
        ("NOUREDDINE BEN ALI BEN BELKASSEM AL", "NOUREDDINE BEN ALI BEN BELKASSEM AL-DRISSI"),
        ("MEHREZ BEN MAHMOUD BEN SASSI AL-AMD", "MEHREZ BEN MAHMOUD BEN SASSI AL-AMDOUNI"),
    ],
)
def test_a_name_cut_at_35_characters_matches(screener: Screener, cut: str, listed: str) -> None:
    assert len(cut) == 35 and listed.startswith(cut)
    assert best(screener, cut, listed) >= DEFAULT_THRESHOLD


def test_a_short_name_is_not_read_as_cut(screener: Screener) -> None:
    """Only a name of 33 to 35 characters may have lost its end: "Viktor Bo" is not Viktor Bout."""
    assert best(screener, "Viktor Bo", BOUT) < DEFAULT_THRESHOLD
