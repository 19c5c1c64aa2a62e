"""The matching algorithm as data: a published name, its typed config and its default threshold.

Every tuning constant of the matcher is declared here once, with what it means;
the matching modules take their constants from `CURRENT.config`. A published name
never changes its output: changing a value here changes scores, so it needs a new
`Algorithm` with a new name (the golden scores test, `tests/matching/golden_scores.csv`,
fails otherwise). The config digest recorded with every result and in every index
file is computed from these values and the matching data tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field


class MatchingConfig(BaseModel):
    """The constants the candidate index and the scorer use."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # candidates (matching/index.py)
    two_edits: int = Field(description="Tokens this long may be two edits from a listed one.")
    min_delete: int = Field(
        description="Tokens shorter than this get no typo keys: one edit in four letters is another name."
    )
    relative_cutoff: float = Field(
        description="Candidates estimated below this share of the best candidate's estimate are not scored."
    )
    names_per_entity: int = Field(description="Names of one entity scored at most: the best by estimate.")
    floor_margin: float = Field(
        description="Names estimated below this share of the score they need are not scored (the estimate runs high)."
    )
    dob_lift: float = Field(description="How much a shared birth year lifts a candidate's estimate.")
    country_lift: float = Field(description="How much a shared country lifts a candidate's estimate.")
    # what a missing token costs (matching/index.py, matching/score.py)
    unmatched_query_after_two: float = Field(
        description="Share of a query token's weight counted against a match when the listed name lacks it, once two "
        "tokens matched."
    )
    unmatched_edge: float = Field(
        description="Share of a listed person's family or first given name's weight counted when the query lacks it."
    )
    unmatched_middle: float = Field(
        description="Share of a listed person's middle name or patronymic's weight counted when the query lacks it."
    )
    unmatched_other: float = Field(
        description="Share of any other listed token's weight counted when the query lacks it."
    )
    more_middle_names: float = Field(
        description="Share of unmatched_middle for each middle name the query lacks beyond the costliest one."
    )
    title_weight: float = Field(description="Most a title or honorific shared by both names weighs.")
    noise_weight: float = Field(description="Weight of a title or suffix token: present, never what decides a match.")
    # token likeness (matching/similarity.py)
    min_skeleton: int = Field(description="Shorter consonant skeletons prove nothing on their own.")
    folded: float = Field(description="Likeness of two spellings with the same folded form (Ivanov, Ivanoff).")
    abjad: float = Field(
        description="Likeness of a name written in an abjad to one with four or more of its consonants."
    )
    abjad_two_consonants: float = Field(description="The same, for two consonants (عبد: Abd, Abid).")
    abjad_three_consonants: float = Field(description="The same, for three consonants (حسين: Hussein, Hassan).")
    abjad_loose_cost: int = Field(
        description="Consonants fewer a match counts as where only phonetic.loose_consonants (b and f, l and r, d and "
        "j as one) makes them equal: a loanword read from kana or hangul needs them, an abjad seldom does."
    )
    phonetic_floor: float = Field(description="Likeness below which a shared skeleton is no match (Jones, Janus).")
    initial: float = Field(description="Likeness of an initial to a token it begins.")
    initial_share: float = Field(description="Share of a token's weight an initial matches on.")
    # scoring (matching/score.py)
    informative_weight: float = Field(description="Matched weight below which a name match is damped.")
    out_of_order: float = Field(description="Factor for the syllables of one CJK or hangul word aligned out of order.")
    dob_day_agrees: float = Field(description="Lift when both give the same full date of birth.")
    dob_year_agrees: float = Field(description="Lift when the birth years agree.")
    dob_contradicts: float = Field(description="Factor when the dates of birth contradict each other.")
    country_agrees: float = Field(description="Lift when a country agrees.")
    country_contradicts: float = Field(description="Factor when the countries contradict each other.")
    kind_contradicts: float = Field(description="Factor when a person is screened against an organisation or back.")
    weak_alias: float = Field(description="Factor for a match on a name the list calls a weak alias.")
    identical_identifier: float = Field(description="Score of a match on an identical identifier.")
    # bands and evidence (matching/screener.py, matching/score.py)
    partial_name_score: float = Field(
        description="Score a partial-name hit is capped at: a rare family name given alone that scores below a match "
        "(0: not reported)."
    )
    partial_name_weight: float = Field(
        description="Least rarity across listed names of a family name given alone for a partial-name hit: a common "
        "one (Kim, Ali) says nothing on its own."
    )
    partial_name_similarity: float = Field(
        description="Least likeness of a family name given alone to the listed one for a partial-name hit."
    )
    dob_near_agrees: float = Field(
        description="Lift when a date of birth nearly agrees: day and month swapped, or the year one off (0: such a "
        "date contradicts)."
    )
    # name forms: extra words, names cut short (matching/index.py, matching/score.py)
    extra_word: float = Field(
        description="Most one query word the listed name lacks costs, as a share of the matched weight, when every "
        "listed token but a title or patronymic matched closely (Vladimir Putin Moscow)."
    )
    extra_word_likeness: float = Field(
        description="Least likeness of every pair aligned for extra_word to apply: a phonetic match or one edit."
    )
    extra_word_matched: float = Field(
        description="Least matched weight for extra_word to apply to a name of two or more tokens: Vladimir Putin "
        "(14) is a name, Muhammad Ali (7) two common tokens."
    )
    extra_word_rare: float = Field(
        description="Least weight of the one token of a one-word listed name for extra_word to apply, and only when "
        "the entity is no person: Rosneft xyz is Rosneft, Martin Smith is not the alias MARTIN."
    )
    truncated_prefix: float = Field(
        description="Likeness of the last token of a query cut at 35 characters to a listed token it begins "
        "(0: not looked for)."
    )
    loose_phonetic: float = Field(
        default=0.0,
        description="Likeness of two tokens alike but for sounds other languages write alike (sh, ch, zh; g, k, q: "
        "Loukachenko, Prigoschin, Gaddafi), less the share of letters that differ (0: not looked for).",
    )
    later_family_middle: bool = Field(
        default=False,
        description="A listed family name's words after its first cost what middle names cost when the query lacks "
        "them (Nicolás Maduro for MADURO MOROS, Nicolas), as do two-family-name writers' second surnames.",
    )
    abjad_vowels: float = Field(
        default=0.0,
        description="Lift of an abjad-written token's consonant match for each long vowel it writes (w, y) when "
        "they stand where the other spelling has them too (מילורד דודיק, Milorad Dodik; محمود is Mahmoud, not "
        "Muhammad), up to `folded` (0: not looked for).",
    )
    other_patronymic: bool = Field(
        default=False,
        description="A query's patronymic where the listed entity's names give another is a word the listed name "
        "lacks in full, never the one extra word `extra_word` forgives: Wladimir Spiridonowitsch Putin is another "
        "man than PUTIN, Vladimir (Vladimirovich in the entity's other name).",
    )
    unknown_kind_edge: bool = Field(
        default=False,
        description="A listed name of an entity the list gives no kind for costs unmatched_edge for its first and "
        "last token when the query lacks them, as a person's name does: it may be a person's (Paul Nicholas "
        "Griffin on the CSL is no hit for Paul Nicholas); otherwise unmatched_other, an organisation's.",
    )
    letter_weight: float = Field(
        default=float("inf"),
        description="Most a query's initial adds to a candidate's estimate for equalling a one-letter token of the "
        "listed name (M.S.P.-KALA): one-letter tokens are rare, and at their rarity they put such names before the "
        "name whose family name the query gives (S. P. Katsuba for KATSUBA, Sviatlana Piatrowna); inf: no cap.",
    )
    read_pair: float = Field(
        default=0.0,
        description="Likeness of a query token read from another script (hangul, kana, Chinese characters, Greek, "
        "Cyrillic) that matched nothing to a listed token that matched nothing either, in a name whose other "
        "tokens matched, when their coarse forms (`phonetic.coarse`: the sounds such scripts write alike as one) "
        "are equal; a tenth less when one letter of five or more differs (0: not looked for). 차베스 chabes is Chavez.",
    )
    article_noise: bool = Field(
        default=False,
        description="A query's Arabic article as a word of its own before another (al, el, ul: السيد علي الحسيني) "
        "that no listed token matched weighs what a title does: lists drop it as often as they keep it.",
    )
    extra_word_beside_titles: bool = Field(
        default=False,
        description="extra_word applies to one query word the listed name lacks beside titles it lacks too "
        "(général iranien Qassem Soleimani): a title is no word of the name, and costs noise_weight as always.",
    )
    office_compounds: bool = Field(
        default=False,
        description="A word of nine letters or more ending in a title of office (data/title_endings.txt: "
        "Außenminister, Generalstabschef) is a title: German writes the office and what it heads as one word.",
    )
    office_hyphenated: bool = Field(
        default=False,
        description="A hyphenated word ending in a title of office (Wagner-Chef, Hisbollah-Chef) is a title: "
        "what the office heads is no word of the name.",
    )
    arabic_title_words: bool = Field(
        default=False,
        description="The Arabic article written in one word with a title (الرئيس, al riys), and an adjective of "
        "origin with its article right after a title (الرئيس السوري, the Syrian president), are part of the title.",
    )
    one_word_family_name: bool = Field(
        default=False,
        description="A family name written as one word of syllables (푸틴 read pu tin) counts as one name given "
        "on its own, as a family name spelled in letters does.",
    )
    abjad_skeleton: bool = Field(
        default=False,
        description="A token written in an abjad whose skeleton, v included, equals a listed token's is as alike as "
        "equal consonants make it: Hebrew writes a consonant w or v as a double vav (סנוואר snvar, Sinwar), which "
        "the consonants drop as the long vowel a single vav writes; and one whose consonants equal a listed token's "
        "with k for kh and s for th, which hangul and kana write so (카미스 kamis, Khamis).",
    )
    ocr_misread: float = Field(
        default=0.0,
        description="Likeness of a query token to a listed one it equals once the letter pairs a scan reads for one "
        "letter are read back (rn m, vv w, cl d: Moharnmed, Mohammed); 0: not looked for.",
    )
    titled_name_score: float = Field(
        default=0.0,
        description="Least score of a rare family name given alone with a title of office, rank or faith (President "
        "Putin, Colonel Gaddafi, Ayatollah Khamenei): news and letters name a public person so, where the name alone "
        "is a partial-name hit. A title of courtesy (Mr, Herr, Señor) does not count (0: such a name is partial too).",
    )
    transposition: float = Field(
        default=1.0,
        description="Edits two neighbouring letters written in each other's place count as (Jamla, Jamal; Ptuin, "
        "Putin): the commonest slip of typing, which keeps every letter of the name, where one letter for another "
        "(Pugin) may be another name.",
    )
    syllable_written: float = Field(
        default=0.0,
        description="Likeness of a word of two letters written in an abjad, a consonant and the long vowel its w or y "
        "writes, to a listed word of three letters or fewer with the same letters by the vowel classes an abjad tells "
        "apart: a syllable of a Korean or Chinese name as Hebrew and Arabic write it (יו yw, Yo); 0: no likeness, for "
        "want of consonants to compare.",
    )
    spoken_language: bool = Field(
        default=False,
        description="A listed person of a Spanish-speaking country has their name compared as Spanish says it too, "
        "where a word written in an abjad or read from syllables is compared with it by consonants: j and g before e "
        "and i as h, z as s, ll as y, h silent (Jimenez as 히메네스 himenes, חימנס, 希门尼斯 write it).",
    )
    mandarin_hangul: bool = Field(
        default=False,
        description="A name in hangul that writes Mandarin syllables as the Korean table for them does, one of them a "
        "spelling Korean names and the Korean spelling of Western names lack (리팡웨이, 뤄촨쉬), is read as those "
        "syllables, one token each (li fang wei), as the name in Chinese characters is; else as a Korean name or a "
        "loanword.",
    )
    joined_whole: bool = Field(
        default=False,
        description="Two words of a query written together reach, at the candidate stage, only the listed names that "
        "write them as one word (Jin Ping for Jinping): a name that writes them apart is reached by each word, and "
        "counting the pair again ranked every name holding Ahmad Ali over the one that is Ahmad Iman Ali.",
    )
    read_two_consonants: bool = Field(
        default=False,
        description="A loanword read from hangul or kana with two consonants is compared by them as one with more "
        "is (캐리 kari, Carrie; 루이스 ruis, Luis; 자메 jame, Jammeh), but only where its vowels are the listed word's "
        "by the classes an abjad tells apart: two consonants with other vowels are other names (주아얄 juayal is no "
        "Dour).",
    )
    table_word_read: bool = Field(
        default=False,
        description="A query's word in Arabic or Hebrew letters that the words table spells (סטיבן as Stephen, the "
        "commonest Latin spelling paired with it) is compared as its letters write it too (stybn), where that is "
        "closer: the name may be spelled otherwise on the list (Steven).",
    )
    table_spellings: bool = Field(
        default=False,
        description="A query's word the words table spells is compared as the table's other spellings of it too, "
        "those paired with it in a tenth of the name pairs or more (스티븐 and スティーヴン as Stephen and as "
        "Steven, 威廉 as William and Wilhelm), where they are closer: the script writes both names alike.",
    )
    unsaid_letters: bool = Field(
        default=False,
        description="A listed word is compared with a word written in an abjad or read from syllables without the "
        "letters English spells and does not say, as those scripts write it by sound: the k of kn- (Knowles, 놀스 "
        "nols), the w of wr- (Wright) and the gh of -igh- (Bright, 브라이트 brait).",
    )
    russian_spoken: bool = Field(
        default=False,
        description="The name of a listed person of Russia or Belarus is compared as Russian says it too, where that "
        "differs from its spelling: d and z before a consonant said without voice are t and s (Fradkov as フラトコフ "
        "and 프랏코프 write it).",
    )
    slavic_ending: bool = Field(
        default=False,
        description="A listed word ending in -ic, as the lists write a South Slavic name's -ić and -ič without their "
        "marks, is compared with a word written in an abjad or read from syllables as the name is said too: -ich, dz "
        "for dž said j, j before a vowel said y (Karadzic as 카라지치 karajichi writes it).",
    )
    abjad_v_reaches_w: bool = Field(
        default=False,
        description="A word in Hebrew letters with a v, which the doubled vav writes for a foreign w (אנוואר anvar, "
        "Anwar), reaches the listed words that have a w there too, which its consonants alone do not (w writes a "
        "vowel in an abjad and is no consonant of a word): they are alike by skeleton once reached.",
    )
    abjad_v_reaches_b: bool = Field(
        default=False,
        description="A word in Hebrew letters with a v reaches the listed words with a b there: ב without its dot is "
        "read v, and writes the b of an Arabic name (דיאב dyav, Diab; יעקוב ykwv, Yaqub). The two are alike once "
        "reached; a word of two consonants was not reached, as only longer ones are looked up by their loose classes.",
    )
    abjad_final_z: bool = Field(
        default=False,
        description="A word in an abjad ending in z is alike to the listed word ending in s with its other consonants: "
        "Arabic writes the voiced s that ends an English or Spanish name as said (ويليامز wylyamz, Williams; روبلز "
        "rwblz, Robles; نولز nwlz, Knowles), and reaches it.",
    )
    office_scope: bool = Field(
        default=False,
        description="A query's word naming what an office heads (data/office_scopes.txt), a country or its people or "
        "a portfolio, beside a title of office or beside another such word that is, weighs what a title does: it is "
        "no word of the name (le président russe, North Korean leader, Президент России, 俄罗斯总统普京, ministre "
        "de la Défense).",
    )
    hangul_article: bool = Field(
        default=False,
        description="A foreign name in hangul that begins with 알 and has two syllables more is compared without it "
        "too: Korean writes the Arabic article joined to the name it goes with (알사디, al-Saadi; 알아사드, al-Assad), "
        "and the lists write it apart or not at all.",
    )
    read_loose_two: bool = Field(
        default=False,
        description="A loanword read from hangul, kana or Chinese characters with two consonants reaches the listed "
        "words whose two are the same by the loose classes too (아리프 arip, Arif; 아자드 ajad, Azad), as one with "
        "three does: it is alike to them where its vowels agree, and reached by its own consonants alone it found "
        "them only through the name's other words.",
    )
    kana_added_vowels: bool = Field(
        default=False,
        description="A word read from kana is compared without the vowels kana adds to a consonant alone too: a final "
        "u, or o after t or d, as kana ends no syllable in a consonant but n (サイード saido, Said; ヌール nuru, Nur), "
        "and the u of フ before a consonant, where it writes the h of an Arabic name (マフディー mafudi, Mahdi; "
        "エフサン, Ehsan). That reading, as the one without the Arabic article in hangul (`hangul_article`), reaches "
        "the listed words it is alike to, as the word's own does.",
    )
    likeliest_candidates: int = Field(
        default=0,
        description="Besides the candidates estimated best, this many more are scored: the entities with a name whose "
        "words the query reaches nearly all of (`likeliest_share`), the likeliest first. The estimate weighs what is "
        "reached by its rarity, so a name of common words given whole (Muhammad al-Muhammad) ranks below names that "
        "hold a rarer word alike to one of the query's (AL-MUHAMMADIA STUDENTS); there are many such names, and the "
        "limit cut it off.",
    )
    likeliest_share: float = Field(
        default=1.0,
        description="The least share of a name's words, by weight, that the query reaches for the name to count among "
        "the likeliest (`likeliest_candidates`).",
    )
    floor_read_pairs: int = Field(
        default=0,
        description="Given a threshold, up to this many entities more are scored whose names a query word read from "
        "another script reaches none of, where that word may pair by sound with a word of theirs left over "
        "(`read_pair`), as `score.align` bounds it: the best estimated of them. The estimate counted such a word as "
        "missing, and left out names that score above the threshold once aligned (汗·賽義德 on SAID, Khan at 0.85), "
        "which screening at threshold 0 found. Not all of them: most names the query reaches by one word could pair "
        "so.",
    )
    hanzi_titled_loan: bool = Field(
        default=False,
        description="A word of three Chinese characters or more, each with a reading in foreign names, beside a title "
        "or a country written on to it (read apart as English words by the `phrase` rows of "
        "`script_conventions.csv`), is a foreign name: news write a foreign leader's name without the middle dot "
        "after the office (白俄罗斯总统卢卡申科, 伊朗最高领袖哈梅内伊), and the name's words are read whole. A Chinese "
        "official's name nearly always has a character no foreign name uses (习近平, 李强); alone, such a word may be "
        "either, and is read syllable by syllable as before.",
    )
    hebrew_double_yod: bool = Field(
        default=False,
        description="A word in Hebrew letters with a double yod inside is compared with an l there too, as another "
        "spelling: Hebrew writes a Spanish ll as Spanish says it, יי (ארייאנו Arellano, גאייגו Gallego), and the lists "
        "write it as spelled.",
    )
    initial_je: bool = Field(
        default=False,
        description="A word's consonants, by which words in an abjad are compared, keep an initial j before e: folding "
        "reads it y, as a German transcription of a Russian name writes it (Jewgeni, Jelena), but Arabic and Hebrew "
        "write the j of a Spanish or English name as a consonant (جيسوس Jesus, خيريز Jerez).",
    )
    kana_sounds: bool = Field(
        default=False,
        description="A word in kana is compared with シ read si, ワ read va, a final ン read ng and a lone long o read "
        "oe too, as another spelling (`kana_chi`): Japanese writes a Russian си and ва so (ワシリエフ Vasiliev, "
        "ニコラエワ Nikolaeva), ends a Chinese, Korean or Burmese syllable's ng with ン (チャン Chang, ピン Ping), and "
        "writes Burmese Soe ソー.",
    )
    hangul_mandarin: bool = Field(
        default=False,
        description="A name in hangul read as Korean is compared with the Mandarin syllables its syllables write in "
        "the Korean table too, as another spelling of each (왕천 wang chon: Wang Chen): a Chinese name with no "
        "syllable only Mandarin has is read as Korean (`mandarin_hangul`), yet may be either.",
    )
    kana_chi: bool = Field(
        default=False,
        description="A word in kana is compared with チ read as chi too: the names' convention reads it ti, as in "
        "プーチン (Putin), but Japanese writes a Russian ch so as well (チリコフ Chirikov, セルゲーエヴィチ "
        "Sergeyevich). That reading reaches the listed words it is alike to, as the word's own does.",
    )
    hanzi_other_readings: bool = Field(
        default=False,
        description="A word read from Chinese characters is compared as read with one character's other reading too, "
        "where the characters' table gives it one (吉 gi, and ji: 哈吉 haji, Haji; 麥 mi, and mc: 麥戈文, McGovern). "
        "Chinese writes different foreign sounds with one character, and the table's first reading is only the "
        "commonest. Each such reading reaches the listed words it is alike to, as the word's own does.",
    )
    said_or_spelled: bool = Field(
        default=False,
        description="A word in Arabic or Hebrew letters is alike to a listed word its bearer's language says otherwise "
        "than it spells when each of its consonants is the spelling's or the saying's there, by the classes those "
        "letters write alike: they write a foreign name partly as spelled, partly as said (גונזלס gwnzls, Gonzalez: "
        "the first z as spelled, the last as said; אספינוסה, Espinoza).",
    )
    unsaid_r: bool = Field(
        default=False,
        description="A listed word is compared with a word read from kana, hangul or Chinese characters without the r "
        "that ends a syllable too, which English does not say and those scripts then leave out (ダークス dakusu, "
        "Dirks; 맥거번 makgobon, McGovern; バーナベ, Bernabe), and is reached so: where a name's r is said they write "
        "it (악타르 aktar, Akhtar), so the word as spelled is compared first.",
    )
    arabic_g: bool = Field(
        default=False,
        description="A word in Arabic letters with ج is compared as written with g there too: Arabic writes a foreign "
        "name's g so, as Egypt says it (جوتيريز, Gutierrez; جيرالدو, Giraldo), where Persian writes گ.",
    )
    hangul_z: bool = Field(
        default=False,
        description="In a foreign name in hangul, ㅈ and ㅊ with the vowel Korean adds to a consonant alone are z and "
        "ts (디아즈 diaz, Diaz; 슐츠 shults, Schultz), as Korean writes those; with a vowel of their own they stay j "
        "and ch (지미 Jimmy, 체코).",
    )
    heard_ts: bool = Field(
        default=False,
        description="A listed word's ts is heard as the ch hangul writes it with a vowel (Kuznetsov 쿠즈네초프 "
        "kuznechop), listed words are reached as heard, and a word read from syllables is alike to a listed word as "
        "heard by the letters' loose classes too (z and j, p and v), not the loose sounds (sh, ch: Yushchenko 유셴코 "
        "is no Yatsenko).",
    )
    silent_final_h: bool = Field(
        default=False,
        description="A final h after a vowel of a listed word of five letters or more is left out where a word "
        "written in an abjad or read from syllables is compared with it as those scripts write it (by consonants "
        "as hangul and kana hear them, and by coarse form): they write no such h (Abdallah is 압달라 apdala, "
        "Jammeh ג'אמה jama).",
    )
    portfolio_words: bool = Field(
        default=False,
        description="A query's prepositions and articles that join a title of office to what it heads (ministro "
        "degli esteri, ministre de la Défense, Minister für Verteidigung), and a Romance article right before a "
        "title (le, la, il, el), cost what a title does and are no words for extra_word to count: the office is "
        "then the one word extra_word forgives.",
    )
    cut_legal_forms: bool = Field(
        default=False,
        description="A name 33 to 35 characters long that ends in the start of a legal form of two words or more "
        "(OPEN JT STK COM, LTD LIABI) has it taken out as that form: the field it was written in cut it.",
    )
    persons_take_no_rare_word: bool = Field(
        default=False,
        description="extra_word does not apply to a one-word listed name when the party is screened as a person: "
        "its other word is the rest of the person's name (Martin Benson is not BENSON, the alias of an entity the list "
        "gives no kind; Jacques Rogge is not Jacques Monsieur).",
    )
    form_word_typo_length: int = Field(
        default=5,
        description="Least length of a word one edit from a legal form's word for it to count as that word: shorter "
        "ones are names as often (Yulan, Wuhan and Deren are one letter from yuhan and zeren), unless the edit is "
        "two neighbouring letters swapped (OJINT for JOINT).",
    )
    swapped_middle: bool = Field(
        default=False,
        description="A listed person's middle name the query has a word of its own in place of costs what a family "
        "or first given name does, not a middle name's share: it was not left out but differs (김우영 kim u yong "
        "is not KIM, Yong Chol).",
    )
    syllables_whole: bool = Field(
        default=False,
        description="A listed person's middle names left out cost what a family or first given name does when the "
        "query is a name written in hangul or Chinese characters syllable by syllable: such a name writes every "
        "syllable of its given name, so one the listed name has more of is another name (장승, Jang Seung, is not "
        "JANG, Song Chol).",
    )
    one_word_heard: float = Field(
        default=1.0,
        description="Power the likeness of a one-word name written in Hebrew, hangul or kana is raised to when it "
        "matches a listed word by sound alone: the lists write no names in those scripts, and one foreign word "
        "heard alike says less than one spelled alike (크롬 krom is not KARUMI); 1: no different from other matches.",
    )
    first_name_left: bool = Field(
        default=False,
        description="extra_word does not apply to a person screened by a name in Latin letters when the word left "
        "over is the first it writes while one of its middle names matched the listed name's given or family name: "
        "the query names someone else who has that middle name (Thomas James Lee is not James Lee; UDAY SADDAM "
        "HUSSEIN is Saddam Hussein's son). A word after the name or after a title stays an extra word.",
    )
    acronym_unread: bool = Field(
        default=False,
        description="A listed word of three letters or more without a vowel (FDLR, DSK) is an acronym, said letter by "
        "letter: a word written in an abjad or read from syllables is not compared with it by its consonants.",
    )
    syllables_spelled: bool = Field(
        default=False,
        description="A syllable of a name written in hangul or Chinese characters, or two together, matches a listed "
        "word only as spelled or as the romanisations differ: not one edit off, which is another syllable (영 yong "
        "is not kyong, 建平 jianping not Jiangping), nor as an initial when it is one letter (제아's 아, a, is not the "
        "A of AUNG).",
    )
    unknown_kind_syllables: bool = Field(
        default=False,
        description="syllables_whole applies to a listed name of no stated kind when the party is screened as a "
        "person (辉 沈, Hui Shen, is not Hui Sheng Shen).",
    )
    abjad_own_classes: bool = Field(
        default=False,
        description="A word written in an abjad matches a listed word by the loose classes only where the abjad "
        "writes the sounds alike (b and f): its letters tell l from r and j from z, which only a reading of kana or "
        "hangul merges (אפוליוס, Apuleius, is not Abris; كمالي, Kamali, not GHOMMARI).",
    )
    final_vowel_written: bool = Field(
        default=False,
        description="A word written in an abjad writes a name's final long i (ي, ی, י): ending in it where the listed "
        "word ends in a consonant, or in a consonant where the listed word ends in i, it is another name (كمالي, "
        "Kamali, is not KAMEL; اشرفی, Ashrafi, not ASHRAF).",
    )
    syllable_vowel_a: bool = Field(
        default=False,
        description="A syllable of a name written in hangul or Chinese characters matches a listed word by its sound "
        "only when both have an a or neither: romanisations write o, u and eo for one another (seong, song, sung), "
        "never a for o (钟 zhong is not zhang).",
    )
    syllables_family_left: bool = Field(
        default=False,
        description="A person's name written in hangul or Chinese characters syllable by syllable that leaves a word "
        "of its own unmatched (its family name, 김 of 미정 김) costs at least its heaviest word: it is as much a part "
        "of the name, however common (미정 김, Kim Mi-jeong, is not the alias MI CHUNG).",
    )
    unlisted_typo: float = Field(
        default=0.0,
        description="What one edit costs, per letter of the longer word, when a query word of mistyped_letters or more "
        "that no listed name has meets a listed word only organisations', vessels' and aircraft's names have: it is "
        "that word mistyped (KIRYO, KORYO BANK's KORYO), where a listed word, or one edit from a word of a person's "
        "name, may be another name (Carter, Carper). 0: as any edit (2 in five letters, 1.5 in more).",
    )
    mistyped_letters: int = Field(default=5, description="Letters a query word needs for unlisted_typo.")
    read_first_vowel: bool = Field(
        default=False,
        description="A word read from hangul or kana that matches a listed word only by two of its consonants or by "
        "their loose classes has the listed word's first vowel, as a, e or i, o or u (a u kana adds, or an o after t "
        "or d, passed over): 컬프 kolp, Culp, is not GILBOA, nor 레오니스 reonis, Leonis, LLANOS.",
    )
    titled_name_weight: float = Field(
        default=0.0,
        description="Least rarity across listed names of a family name given alone beside a title of office, rank or "
        "faith (see titled_name_score): lower than partial_name_weight, as the title says who of the name is meant "
        "(Colonel Gaddafi, President Assad; several of each family are listed). 0: partial_name_weight.",
    )
    acronym_spelled: int = Field(
        default=0,
        description="A listed word of this many letters or fewer that only organisations', vessels' and aircraft's "
        "names have (VEB, RT) is an acronym, said letter by letter: a query word is like it in spelling only, never "
        "by sound (Webb folds as VEB does). 0: any word may be alike by sound.",
    )
    vowels_added: bool = Field(
        default=False,
        description="A query word read from kana or hangul may pair with a listed word left over by their coarse "
        "forms however many vowels the reading adds, not only two: kana adds one to nearly every consonant (フラトコフ "
        "furatokofu, Fradkov). The consonants stay equal and in order (see `similarity.read_likeness`).",
    )
    loose_lookup: bool = Field(
        default=False,
        description="A query token written in an abjad or read from kana, hangul or Chinese characters reaches listed "
        "tokens by its loose consonants too (`phonetic.loose_consonants`: p and f, l and r alike; 레오노프 reonop, "
        "Leonov), not only by its consonants.",
    )


@dataclass(frozen=True)
class Algorithm:
    name: str
    config: MatchingConfig
    default_threshold: float
    """Scores at or above this are hits by default (chosen on the benchmark's development set)."""


V2 = Algorithm(
    name="clearance-name-v2",
    config=MatchingConfig(
        two_edits=9,
        min_delete=5,
        relative_cutoff=0.35,
        names_per_entity=3,
        floor_margin=0.8,
        dob_lift=1.3,
        country_lift=1.05,
        unmatched_query_after_two=0.6,
        unmatched_edge=0.5,
        unmatched_middle=0.15,
        unmatched_other=0.3,
        more_middle_names=1 / 3,
        title_weight=3.0,
        noise_weight=0.3,
        min_skeleton=3,
        folded=0.95,
        abjad=0.9,
        abjad_two_consonants=0.7,
        abjad_three_consonants=0.8,
        abjad_loose_cost=0,
        phonetic_floor=0.75,
        initial=0.75,
        initial_share=0.5,
        informative_weight=6.0,
        out_of_order=0.6,
        dob_day_agrees=0.5,
        dob_year_agrees=0.15,
        dob_contradicts=0.75,
        country_agrees=0.1,
        country_contradicts=0.92,
        kind_contradicts=0.6,
        weak_alias=0.9,
        identical_identifier=0.97,
        partial_name_score=0.0,
        partial_name_weight=7.5,
        partial_name_similarity=0.9,
        dob_near_agrees=0.0,
        extra_word=float("inf"),
        extra_word_likeness=0.85,
        extra_word_matched=12.0,
        extra_word_rare=7.5,
        truncated_prefix=0.0,
    ),
    default_threshold=0.8,
)

V3 = Algorithm(
    name="clearance-name-v3",
    config=V2.config.model_copy(
        update={
            "abjad_loose_cost": 1,
            "extra_word": 0.15,
            "truncated_prefix": 0.9,
            "partial_name_score": 0.5,
            "dob_near_agrees": 0.1,
        }
    ),
    default_threshold=V2.default_threshold,
)
"""Names as people write them: other languages' conventions, titles, initials, abbreviations and noise."""

V4 = Algorithm(
    name="clearance-name-v4",
    config=V3.config.model_copy(update={"loose_phonetic": 0.9, "later_family_middle": True}),
    default_threshold=V3.default_threshold,
)
"""Korean names read as the lists write them, sounds other languages write alike, and second family names."""

V5 = Algorithm(
    name="clearance-name-v5",
    config=V4.config.model_copy(
        update={
            "abjad_vowels": 0.05,
            "loose_lookup": True,
            "other_patronymic": True,
            "unknown_kind_edge": True,
            "letter_weight": 3.0,
        }
    ),
    default_threshold=V4.default_threshold,
)
"""Names in an abjad or read from syllables compared by the vowels they write too and looked up by their loose
consonants; Hebrew's alef and Arabic article, Persian letters; another patronymic and names of no known kind."""

V6 = Algorithm(
    name="clearance-name-v6",
    config=V5.config.model_copy(update={"read_pair": 0.7, "article_noise": True}),
    default_threshold=V5.default_threshold,
)
"""Names read from other scripts: a token no rule matched pairs with a listed one that sounds alike to that script."""

V7 = Algorithm(
    name="clearance-name-v7",
    config=V6.config.model_copy(
        update={
            "extra_word_beside_titles": True,
            "titled_name_score": 0.85,
            "ocr_misread": 0.9,
            "abjad_skeleton": True,
            "office_compounds": True,
        }
    ),
    default_threshold=V6.default_threshold,
)
"""Names as news, letters and scans write them: titles of office in many languages, a title with a rare family name,
an extra word beside titles, letters a scan misreads."""

V8 = Algorithm(
    name="clearance-name-v8",
    config=V7.config.model_copy(
        update={"office_hyphenated": True, "arabic_title_words": True, "one_word_family_name": True}
    ),
    default_threshold=V7.default_threshold,
)
"""Titles as news write them around a name: hyphenated offices, Arabic title words, and a family name written in
hangul syllables with a title; a name ending in Allah written apart is one word (`data/script_conventions.csv`)."""

V9 = Algorithm(
    name="clearance-name-v9",
    config=V8.config.model_copy(
        update={"transposition": 0.5, "silent_final_h": True, "portfolio_words": True, "cut_legal_forms": True}
    ),
    default_threshold=V8.default_threshold,
)
"""Typing slips: two neighbouring letters swapped cost half an edit; a final h the scripts read from syllables and
Hebrew do not write is left out where a word of theirs is compared; the words joining a title to its office are the
title's; a legal form cut at 35 characters is that form."""

V10 = Algorithm(
    name="clearance-name-v10",
    config=V9.config.model_copy(
        update={
            "persons_take_no_rare_word": True,
            "form_word_typo_length": 6,
            "swapped_middle": True,
            "syllables_whole": True,
            "one_word_heard": 3.0,
        }
    ),
    default_threshold=V9.default_threshold,
)
"""Fewer false hits on real people's names: a person's second word is no extra word beside a one-word alias, a word
of five letters one edit from a legal form's is a name, a middle name the query has another word in place of is no
middle name left out, nor a syllable of a name written in hangul or Chinese characters, and one word in a script the
lists write no names in that only sounds like a listed word says less."""

V11 = Algorithm(
    name="clearance-name-v11",
    config=V10.config.model_copy(
        update={
            "first_name_left": True,
            "acronym_unread": True,
            "syllables_spelled": True,
            "unknown_kind_syllables": True,
            "abjad_own_classes": True,
        }
    ),
    default_threshold=V10.default_threshold,
)
"""Fewer false hits on names that are alike but for one word or one letter: a person's own first name left over is
no extra word when one of their middle names matched, an acronym is not read by its consonants, a syllable
of a name written in hangul or Chinese characters one letter off is another syllable, such a name writes every
syllable of a listed name of no stated kind too, and a name in Arabic or Hebrew letters is not read with l for r."""

V12 = Algorithm(
    name="clearance-name-v12",
    config=V11.config.model_copy(
        update={"final_vowel_written": True, "syllable_vowel_a": True, "syllables_family_left": True}
    ),
    default_threshold=V11.default_threshold,
)
"""Fewer false hits on names written in other scripts: the final long vowel a name in Arabic or Hebrew letters writes,
or does not, tells it from a listed name alike in its other letters, a syllable written in hangul or Chinese
characters with an a is not one without, and the family name of a name written so, a word of its own, is not left
over as a common word."""

V13 = Algorithm(
    name="clearance-name-v13",
    config=V12.config.model_copy(update={"unlisted_typo": 1.0, "read_first_vowel": True}),
    default_threshold=V12.default_threshold,
)
"""Mistyped organisations found and fewer false hits on names read from hangul: a query word no list writes, one edit
from a word only organisations' names have, is that word mistyped, and costs less than one edit from a word of a
person's name, which may be another name; a word read from hangul or kana alike in two consonants only has the first
vowel too; titles in more languages."""

V14 = Algorithm(
    name="clearance-name-v14",
    config=V13.config.model_copy(update={"vowels_added": True, "acronym_spelled": 3, "titled_name_weight": 7.0}),
    default_threshold=V13.default_threshold,
)
"""More names written in other scripts found: a word read from kana with a vowel after each consonant pairs with the
listed word left over; the w and y of a name written in Arabic or Hebrew letters read as the vowels they write, so no
letters they stood between merge; c before e, i and y is s (Yacine, Yassin); hangul's ㅐ is a, and a name in hangul
none of whose words is or begins with a Korean family name is a foreign one. An organisation's acronym is alike only
as spelled (VEB is not Webb), and a title of office with a family name several listed people share (Colonel Gaddafi)
names them, at any threshold asked."""

V15 = Algorithm(
    name="clearance-name-v15",
    config=V14.config.model_copy(update={"mandarin_hangul": True, "syllable_written": 0.7, "spoken_language": True}),
    default_threshold=V14.default_threshold,
)
"""More names written in other scripts found. A name in hangul that writes the Korean table's spellings of Mandarin
syllables, one of them a spelling Korean names and the Korean spelling of Western names lack (리팡웨이, 뤄촨쉬), is read
as those syllables, as a name in Chinese characters is (li fang wei). Simplified Chinese characters are looked up as
the traditional ones the tables know, and no character's reading carries an r Chinese does not write (丁 tin). A
syllable of a Korean name written in Hebrew or Arabic letters, a consonant and the vowel w or y writes (יו yw), is
alike by that vowel (Yo). The name of a listed person of a Spanish-speaking country is compared as Spanish says it
too, as other scripts write it by sound (Jimenez as 希门尼斯 and חימנס)."""

V16 = Algorithm(
    name="clearance-name-v16",
    config=V15.config.model_copy(update={"joined_whole": True, "read_two_consonants": True, "table_word_read": True}),
    default_threshold=V15.default_threshold,
)
"""A name that is another's with a word more is scored beside the names that share a pair of its words: two words of a
query written together count once for a listed name that writes them apart (Ahmad Ali finds Ahmad Iman Ali among
the many names holding Ahmad Ali). A loanword read from hangul or kana with two consonants is compared by them when
its vowels are the listed word's (캐리 Carrie, 루이스 Luis). A word in Arabic or Hebrew letters that the words table
spells is compared as its letters write it too (סטיבן, Stephen by the table, is Steven)."""

V17 = Algorithm(
    name="clearance-name-v17",
    config=V16.config.model_copy(
        update={"table_spellings": True, "unsaid_letters": True, "russian_spoken": True, "slavic_ending": True}
    ),
    default_threshold=V16.default_threshold,
)
"""More names written in other scripts found: a word the words table spells is compared as the table's other
spellings of it too (스티븐 is Stephen and Steven, 威廉 William and Wilhelm, ジャック Jack and Jacques), and a listed
word is compared with such words without the letters English does not say (Knowles as 놀스 and נואלס write it), and
a listed Russian's or Belarusian's name as Russian says it too (Fradkov as フラトコフ writes it), as a South Slavic
name ending in -ic is said (Karadzic as 카라지치 writes it)."""

V18 = Algorithm(
    name="clearance-name-v18",
    config=V17.config.model_copy(update={"abjad_v_reaches_w": True, "office_scope": True}),
    default_threshold=V17.default_threshold,
)
"""Names as news write them around an office found: what the office heads beside its title, a country, its people or a
portfolio (le président russe, North Korean leader, Президент России, 俄罗斯总统普京, ministre de la Défense), is no
word of the name, nor are more roles news name people by (Wagner boss). The Arabic article as Japanese writes it
(アル＝) is read as the article, and a word in Hebrew letters that writes a foreign w as v (אנוואר) reaches the listed
words with the w (Anwar)."""

V19 = Algorithm(
    name="clearance-name-v19",
    config=V18.config.model_copy(update={"hangul_article": True}),
    default_threshold=V18.default_threshold,
)
"""The Arabic article as Korean writes it, joined to the name (알사디, 알아사드), is compared without it too."""

V20 = Algorithm(
    name="clearance-name-v20",
    config=V19.config.model_copy(
        update={
            "read_loose_two": True,
            "kana_added_vowels": True,
            "said_or_spelled": True,
            "unsaid_r": True,
            "arabic_g": True,
            "hangul_z": True,
            "heard_ts": True,
        }
    ),
    default_threshold=V19.default_threshold,
)
"""More names written in other scripts found, as they write a name by its sound. A word read from kana is compared
without the vowels kana adds to a consonant alone (サイード Said, マフディー Mahdi), and that reading reaches the
listed words it is alike to. A loanword read from hangul or kana with two consonants reaches the words alike by the
loose classes (아리프 Arif). Hangul's ㅈ and ㅊ alone are z and ts (디아즈 Diaz), a listed ts is heard as the ch hangul
writes before a vowel (쿠즈네초프 Kuznetsov), and a listed word is compared without the r English does not say at a
syllable's end (맥거번 McGovern, ダークス Dirks). In Arabic and Hebrew letters a Spanish speaker's name may be written
partly as spelled, partly as said (גונזלס Gonzalez), and ج is a foreign g too (جوتيريز Gutierrez). French
transcriptions of Russian names fold as the lists write them (Choïgou, Poltavtchenko, Sergueï, Michoustine)."""

V21 = Algorithm(
    name="clearance-name-v21",
    config=V20.config.model_copy(update={"hanzi_other_readings": True}),
    default_threshold=V20.default_threshold,
)
"""A word read from Chinese characters is compared as read with a character's other common reading too (哈吉 Haji,
纳吉 Naji, 麥戈文 McGovern): Chinese writes different foreign sounds with one character."""

V22 = Algorithm(
    name="clearance-name-v22",
    config=V21.config.model_copy(update={"likeliest_candidates": 20, "likeliest_share": 0.9}),
    default_threshold=V21.default_threshold,
)
"""Besides the candidates estimated best, the entities with a name the query reaches nearly all of are scored: a name
of common words given whole (Muhammad al-Muhammad) is found among the many names holding one of them."""

V23 = Algorithm(
    name="clearance-name-v23",
    config=V22.config.model_copy(update={"abjad_v_reaches_b": True, "abjad_final_z": True, "kana_chi": True}),
    default_threshold=V22.default_threshold,
)
"""A word in Hebrew letters with a v reaches the listed words with a b (דיאב Diab), and one in an abjad ending in z is
alike to the listed word ending in s (ويليامز Williams). A word in kana is compared with チ read as chi too (チリコフ
Chirikov)."""

V24 = Algorithm(
    name="clearance-name-v24",
    config=V23.config.model_copy(
        update={
            "floor_read_pairs": 3,
            "hanzi_titled_loan": True,
            "hangul_mandarin": True,
            "kana_sounds": True,
            "initial_je": True,
            "hebrew_double_yod": True,
        }
    ),
    default_threshold=V23.default_threshold,
)
"""Given a threshold, up to three names more are scored that a word read from another script may pair with by sound,
which the candidates' estimate counted as missing (汗·賽義德 on SAID, Khan). Names in Chinese characters as news
write them: a title or a country written on to the name is read apart, as the English word it is (俄罗斯国防部长谢尔盖·
绍伊古), a word beside it whose characters are all read in foreign names is read whole (白俄罗斯总统卢卡申科), and 普京,
the standard Chinese form of Putin that follows no reading of its characters, is read as the name. A name in hangul read
as Korean is compared with the Mandarin syllables it writes too (왕천 Wang Chen). In Arabic and Hebrew letters a he
after d, t, k, s or z is no digraph with it (دهقان Dehghan, زاده Zadeh), and an initial j before e is a consonant
(جيسوس Jesus); a Hebrew double yod may write a Spanish ll (ארייאנו Arellano). Kana's シ, ワ, a final ン and a lone long
o are read as the sounds they write in Russian, Chinese and Burmese names too (ワシリエフ Vasiliev, チャン Chang, ソー
Soe)."""

CURRENT = V24
"""The algorithm screening uses. Earlier versions stay runnable from their release (`bench/compare_versions.py`)."""
