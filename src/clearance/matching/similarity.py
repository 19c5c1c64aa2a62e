"""How alike two name tokens are, and by which kind of evidence.

Each pair of tokens is scored once, by the first of these that applies and
gives the highest similarity:

- `exact` (1.0): the same canonical token; `transliteration` (1.0) when the
  spellings as written differ but the variants table makes them one name
  (Aleksandr / Alexander).
- `phonetic`: the same folded form (0.95: Ivanov / Ivanoff, Aleksei / Alexei);
  or the same consonant skeleton, scored by how far apart the folded forms are
  (0.95 less the share of letters that differ: Lukashenko / Lukashenka 0.85,
  Jones / Janus below the 0.75 floor, so no match). A token written in an abjad
  has no short vowels to compare, so the same consonants are enough there (see
  `phonetic.consonants`): 0.9 from four (محمود / Mahmoud), 0.8 for three
  (حسين / Hussein), 0.7 for two (عبد / Abd). So it is for a loanword read
  from kana, hangul or Chinese characters, whose vowels are added; consonants
  equal only by the loose classes (b and f, l and r, d and j) count one fewer.
  Where the long vowels an abjad writes (w, y) stand in the other spelling in
  order (dwdyk, Dodik: Hebrew writes o and i), or a loanword holds every letter
  of the other (reonop, Leonov), the match is 0.05 stronger for each vowel it
  writes, up to 0.95, and the loose classes cost nothing (the script could not
  write them apart): محمود is Mahmoud more than Muhammad, حسين Hussein more
  than Hassan. The same letters but for what the script cannot write (보지제
  bojije, Bozize) are 0.9.
- `edit distance`: optimal string alignment (a swap of two letters is one
  edit) on the canonical spelling or the spelling as written; one edit allowed
  from four letters against five (Stae / State), or in five to eight, two from
  nine; scored 1 - 2 * edits / length up to five letters and 1 - 1.5 * edits /
  length above, so one edit weighs more in a short name: Pugin (0.6) is a weak
  match for Putin, Lukashemko (0.85) a strong one for Lukashenko. A swap of
  two neighbouring letters costs half an edit: it keeps every letter of the
  name, so Ptuin (0.8) is a stronger match for Putin than Pugin.
- `initial` (0.75, on half the token's weight): a single letter against a token
  it begins. "PUTIN, V." agrees with all the query states, but states little.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import OSA, Levenshtein

from clearance.matching.config import CURRENT
from clearance.matching.normalize import READ_FROM_SYLLABLES, WRITTEN_IN_ABJAD, Spelling, loanword_consonants
from clearance.matching.phonetic import (
    coarse,
    coarse_consonants,
    consonants,
    fold,
    heard,
    in_order,
    loose,
    loose_consonants,
    loose_skeleton,
    loosen,
    skeleton,
    unsaid_r,
    unwritten_h,
    vowelled,
)
from clearance.memo import memo

_C = CURRENT.config
MIN_SKELETON = _C.min_skeleton
"""Shorter skeletons ("n" for Eun / Un / An) prove nothing on their own."""
FOLDED = _C.folded
ABJAD = _C.abjad
ABJAD_BY_CONSONANTS = {2: _C.abjad_two_consonants, 3: _C.abjad_three_consonants}
"""Few consonants leave many names alike (عبد, bd: Abd, Abid; حسين, hsn: Hussein, Hassan, Husni)."""
ABJAD_LOOSE_COST = _C.abjad_loose_cost
"""A match only the loose consonant classes make (Parsa / Firas: p, f) counts this many consonants fewer."""
ABJAD_FINAL_Z = _C.abjad_final_z
"""Whether a word in an abjad ending in z is alike to the listed one ending in s (see `final_z_as_s`)."""
ABJAD_VOWELS = _C.abjad_vowels
"""Lift of an abjad token's consonant match for each vowel it writes, when they stand where the other spelling's
do."""
_VOWEL_LETTERS = frozenset("aiu")
PHONETIC_FLOOR = _C.phonetic_floor
LOOSE_PHONETIC = _C.loose_phonetic
"""Tokens alike but for sounds written alike in other languages (`phonetic.loose`) score this, less the share of
letters that differ: a little below a folded match, as what makes them one name is a guess about the language."""
READ_PAIR = _C.read_pair
"""Likeness of leftover tokens alike only in their coarse forms, the one read from another script (see `read_pair`)."""
VOWELS_ADDED = _C.vowels_added
"""Whether a reading from kana or hangul pairs so however many vowels it adds (see `read_likeness`)."""
ABJAD_SKELETON = _C.abjad_skeleton
OCR_MISREAD = _C.ocr_misread
"""Likeness of tokens equal once letters a scan misreads are read back (Moharnmed, Mohammed; see `misread`)."""
_MISREADS = (("rn", "m"), ("vv", "w"), ("cl", "d"))
TRANSPOSITION = _C.transposition
"""Edits a swap of two neighbouring letters counts as (see `_edit`)."""
ACRONYM_UNREAD = _C.acronym_unread
ABJAD_OWN_CLASSES = _C.abjad_own_classes
FINAL_VOWEL_WRITTEN = _C.final_vowel_written
UNLISTED_TYPO = _C.unlisted_typo
"""What an edit costs per letter in a query word no listed name has (see `_edit`); 0: as in any other word."""
MISTYPED_LETTERS = _C.mistyped_letters
"""Letters a query word needs to be read as a listed organisation's word mistyped (see `_edit`)."""
ACRONYM_SPELLED = _C.acronym_spelled
"""Letters a listed word only organisations' names have may have and be an acronym, alike in spelling only."""
_SPOKEN_VOWELS = frozenset("aeiouy")
READ_FIRST_VOWEL = _C.read_first_vowel
SYLLABLE_WRITTEN = _C.syllable_written
"""Likeness of a syllable written in an abjad to a listed one (see `_syllable_written`); 0: none."""
READ_TWO_CONSONANTS = _C.read_two_consonants
"""A loanword read from syllables with two consonants compares by them, where its vowels agree (`_short_reading`)."""
_VOWEL_CLASS = {"a": "a", "e": "i", "i": "i", "o": "u", "u": "u"}
"""The vowels romanisations of hangul and kana write for one another fall in one class (e and i, o and u)."""
HEARD_LOOSELY = _C.heard_ts
"""Whether a word read from syllables is alike to a listed word as heard by their loose classes (`phonetic.heard`)."""
SAID_OR_SPELLED = _C.said_or_spelled
"""Whether a word in an abjad may write each consonant of a listed word as spelled or as said (see `_said_alike`)."""
INITIAL = _C.initial
INITIAL_SHARE = _C.initial_share
"""An initial says little, for and against: it matches at INITIAL on this share of the token's weight."""


class Method(StrEnum):
    EXACT = "exact"
    TRANSLITERATION = "transliteration"
    PHONETIC = "phonetic"
    EDIT = "edit distance"
    INITIAL = "initial"


@dataclass(frozen=True, slots=True, eq=False)
class Token:
    """One token of a name in the forms comparison needs, computed once.

    Compared and hashed by identity: the index keeps one object per listed token, so a query can
    remember its similarity to each.
    """

    text: str
    """Canonical spelling (see `phonetic.canonical`)."""
    raw: str
    """Spelling as written, normalised."""
    abjad: int = 0
    """`normalize.Word.abjad`: 0, written in an abjad (`WRITTEN_IN_ABJAD`) or read from syllables."""
    folded: str = ""
    skeleton: str = ""
    consonants: str = ""
    loose_consonants: str = ""
    loose_skeleton: str = ""
    """The skeleton with sounds other languages write alike as one letter (`phonetic.loose`); empty when not used."""
    vowelled: str = ""
    """The folded form in the vowel classes an abjad tells apart (`phonetic.vowelled`); empty when not used."""
    unlisted: bool = False
    """A query's word that no listed name has (`NameIndex.query_token`)."""
    brand: bool = False
    """A listed word no person's name has (nor a name of no stated kind): an organisation's, vessel's or aircraft's
    own. A query word no list has one edit from it is that word mistyped (see `_edit`); one edit from a person's name
    it may as well be another person's (Carter, Carper)."""
    spoken: str = ""
    """A listed word's consonants as its bearer's language says it, where they differ (`phonetic.spoken`): how scripts
    that write by sound write it."""
    others: tuple[Token, ...] = ()
    """A query's word that the words table spelled, as the table's other spellings write it and, in Arabic or Hebrew
    letters, as its letters read (`names.NameForm.others`): compared where the table's spelling is less alike."""

    @classmethod
    def of(
        cls,
        text: str,
        raw: str,
        abjad: int = 0,
        unlisted: bool = False,
        brand: bool = False,
        spoken: str = "",
        others: tuple[Token, ...] = (),
    ) -> Token:
        return cls(
            text,
            raw,
            abjad,
            fold(text),
            skeleton(text),
            consonants(text),
            loose_consonants(text),
            loose_skeleton(text) if LOOSE_PHONETIC else "",
            vowelled(text, bool(abjad)) if ABJAD_VOWELS else "",
            unlisted,
            brand,
            spoken,
            others,
        )


@memo(30_000)
def query_token(text: str, raw: str, abjad: int, unlisted: bool = False, others: tuple[Spelling, ...] = ()) -> Token:
    """A query's token, one object per spelling (and other spellings) while it stays in use: queries repeat their
    names' tokens."""
    return Token.of(text, raw, abjad, unlisted, others=tuple(Token.of(other, other, kind) for other, kind in others))


Similarity = tuple[float, Method]


def similarity(q: Token, c: Token) -> Similarity | None:
    """How alike two tokens are (see the module docstring); None when they are not the same name."""
    q_text, c_text = q.text, c.text
    if q_text == c_text:
        return (1.0, Method.EXACT) if q.raw == c.raw else (1.0, Method.TRANSLITERATION)
    best: Similarity | None = None
    q_size, c_size = len(q_text), len(c_text)
    if q_size == 1 or c_size == 1:  # a single letter is an initial, not a spelling
        if (q_size == 1 and c_text.startswith(q_text)) or (c_size == 1 and q_text.startswith(c_text)):
            return INITIAL, Method.INITIAL
        return None
    if ACRONYM_SPELLED and c.brand and c_size <= ACRONYM_SPELLED:
        pass  # an organisation's acronym (VEB) is said letter by letter: no word is like it by sound (Webb)
    elif q.folded == c.folded:
        best = (FOLDED, Method.PHONETIC)
    elif q.abjad or c.abjad:
        best = _abjad_likeness(q, c)
    elif q.skeleton == c.skeleton and len(q.skeleton) >= MIN_SKELETON:
        longest = max(len(q.folded), len(c.folded))
        score = FOLDED - Levenshtein.distance(q.folded, c.folded) / longest
        if score >= PHONETIC_FLOOR:
            best = (score, Method.PHONETIC)
    elif (
        q.loose_skeleton == c.loose_skeleton
        and LOOSE_PHONETIC
        and len(q.loose_skeleton) >= MIN_SKELETON
        and (q.loose_skeleton != q.skeleton or c.loose_skeleton != c.skeleton)
    ):
        q_loose, c_loose = loose(q_text), loose(c_text)
        score = LOOSE_PHONETIC - Levenshtein.distance(q_loose, c_loose) / max(len(q_loose), len(c_loose))
        if score >= PHONETIC_FLOOR:
            best = (score, Method.PHONETIC)
    mistyped = q.unlisted and c.brand
    edit = _edit(q_text, c_text, mistyped) if abs(q_size - c_size) <= 2 else None
    if edit is None and (q.raw != q_text or c.raw != c_text):
        # A typo in a name the variants table rewrites (Moammad for Mohammad) is one edit from the
        # spelling as written, not from the canonical one.
        edit = _edit(q.raw, c.raw, mistyped)
    if edit is not None and (best is None or edit > best[0]):
        best = (edit, Method.EDIT)
    if OCR_MISREAD > 0.0 and (best is None or best[0] < OCR_MISREAD) and misread(q.raw) == c.raw != q.raw:
        best = (OCR_MISREAD, Method.EDIT)
    if q.others and (best is None or best[0] < LOOSE_PHONETIC):
        # The words table's spelling is the commonest; the list may spell the name otherwise (סטיבן Stephen, Steven).
        # Only a close spelling counts, and for no more than a loose likeness: the commonest says which name it is,
        # which a likeness by sound does not overrule (קוני is Connie, not Okunji).
        for other in q.others:
            read = similarity(other, c)
            if read is not None and read[0] >= LOOSE_PHONETIC:
                return LOOSE_PHONETIC, Method.TRANSLITERATION if read[1] is Method.EXACT else read[1]
    return best


def misread(text: str) -> str:
    """The token with the letter pairs a scan reads for one letter read back as it (rn m, vv w, cl d): OCR of a
    passport or an invoice writes Moharnmed for Mohammed. Only where a listed token is compared, never as a form."""
    for pair, letter in _MISREADS:
        if pair in text:
            text = text.replace(pair, letter)
    return text


def _abjad_likeness(q: Token, c: Token) -> Similarity | None:
    """Tokens one of which is written in an abjad or read from syllables: by their consonants, and by the vowels
    it writes (see the module docstring)."""
    either = bool(q.abjad) != bool(c.abjad)
    if ACRONYM_UNREAD and either and _acronym(c.text if q.abjad else q.text):
        return None  # FDLR is said ef-de-el-er: its letters are no name's consonants (بديرية bdyrya)
    if FINAL_VOWEL_WRITTEN and either and _final_vowel_differs(q, c):
        return None  # كمالي kmaly writes Kamali's final i, which Kamel lacks
    if READ_TWO_CONSONANTS and q.abjad != c.abjad and READ_FROM_SYLLABLES in (q.abjad, c.abjad):
        read, other = (q, c) if q.abjad == READ_FROM_SYLLABLES else (c, q)
        if loanword_consonants(read.text) < 3:
            return _short_reading(read, other)
    loosely = q.loose_consonants == c.loose_consonants
    if loosely and ABJAD_OWN_CLASSES and WRITTEN_IN_ABJAD in (q.abjad, c.abjad):
        # An abjad's letters tell l from r and j from z: only a reading of kana or hangul merges them.
        loosely = loosen(q.consonants, written=True) == loosen(c.consonants, written=True)
    if ABJAD_VOWELS and either and len(q.loose_consonants) > 1 and loosely:
        # The vowels say the loose classes were the script's, not another name's: no cost for them.
        if q.vowelled == c.vowelled:  # 보지제 bojije, Bozize: only what the script cannot write differs
            return (FOLDED if q.consonants == c.consonants else LOOSE_PHONETIC), Method.PHONETIC
        written = _vowels_agree(q, c)
        if written:
            strict = q.consonants == c.consonants
            value = ABJAD_BY_CONSONANTS.get(len(q.consonants if strict else q.loose_consonants), ABJAD)
            return round(min(FOLDED, value + ABJAD_VOWELS * written), 6), Method.PHONETIC
    size = len(q.consonants) if q.consonants == c.consonants else 0
    if not size and ABJAD_FINAL_Z and either:
        in_abjad, other = (q, c) if q.abjad else (c, q)
        said = final_z_as_s(in_abjad.consonants)
        if in_abjad.abjad == WRITTEN_IN_ABJAD and said == other.consonants:  # unequal as written: no size yet
            size = len(said)
    if not size and loosely:
        size = len(q.loose_consonants) - ABJAD_LOOSE_COST
    if not size and ABJAD_SKELETON:
        read, heard_from = (q, c) if q.abjad else (c, q)  # the side written in an abjad or read from syllables
        if q.skeleton == c.skeleton and "v" in read.text:
            # A v the abjad wrote as a consonant (Hebrew וו: סנוואר snvar) is Sinwar's w, which consonants drop.
            size = len(q.skeleton)
        if not size and read.consonants == (said := heard(heard_from.text)):  # 카미스 kamis, Khamis
            size = len(read.consonants)
        elif not size and HEARD_LOOSELY and said and read.abjad == READ_FROM_SYLLABLES:
            if loosen(read.consonants, sounds=False) == loosen(said, sounds=False):  # 쿠즈네초프, Kuznetsov
                size = len(read.consonants) - ABJAD_LOOSE_COST
        if not size and read.abjad == READ_FROM_SYLLABLES and (unsaid := unsaid_r(heard_from.text)):
            if read.consonants == unsaid:  # ダークス dakusu, Dirks
                size = len(read.consonants)
            elif loosen(read.consonants, sounds=False) == loosen(unsaid, sounds=False):  # 맥거번 makgobon, McGovern
                size = len(read.consonants) - ABJAD_LOOSE_COST
    if not size and either:
        size = _said_alike(q, c)
    if size <= 1:
        return _syllable_written(q, c) if SYLLABLE_WRITTEN and either else None
    value = ABJAD_BY_CONSONANTS.get(size, ABJAD)
    if READ_FIRST_VOWEL and size == 2 and not _first_vowels_agree(q, c):
        return None  # 컬프 kolp (Culp) has o where GILBOA has i: two consonants alike say too little on their own
    return value, Method.PHONETIC


def final_z_as_s(written: str) -> str:
    """The consonants of a word written in an abjad with a final z read as s, from three consonants: Arabic writes the
    voiced s that ends an English or Spanish name as said (ويليامز wylyamz, Williams; روبلز, Robles)."""
    return written[:-1] + "s" if len(written) >= 3 and written.endswith("z") else written


def _short_reading(read: Token, other: Token) -> Similarity | None:
    """A loanword read from syllables with two consonants against a word not read so: alike only with the same
    vowels, by the classes an abjad tells apart, and the same consonants by their loose classes (캐리 kari, Carrie;
    루이스 ruis, Luis), the other's final h unwritten (자메 jame, Jammeh)."""
    if read.vowelled != other.vowelled and (other.abjad or read.vowelled != vowelled(unwritten_h(other.text), False)):
        return None
    return (FOLDED if read.consonants == other.consonants else LOOSE_PHONETIC), Method.PHONETIC


def _said_alike(q: Token, c: Token) -> int:
    """The consonants a word written in an abjad or read from syllables has of a listed word as its bearer's language
    says it (`Token.spoken`: Jimenez as חימנס, 希门尼斯 and 히메네스 write it), by their loose classes where the
    script merges them (冈萨雷斯 gansares, Gonzalez), or, in an abjad, as said and as spelled letter by letter
    (`SAID_OR_SPELLED`); 0: none."""
    read, listed = (q, c) if q.abjad else (c, q)
    if not listed.spoken or len(listed.spoken) < 2:
        return 0
    if read.consonants == listed.spoken:
        return len(read.consonants)
    if read.abjad == READ_FROM_SYLLABLES and loosen(read.consonants) == loosen(listed.spoken):
        return len(read.consonants) - ABJAD_LOOSE_COST
    if SAID_OR_SPELLED and read.abjad == WRITTEN_IN_ABJAD:
        keys = (read.consonants, listed.spoken, listed.consonants)
        written, said, spelled = (loosen(key, written=True) for key in keys)
        if len(written) == len(said) == len(spelled) and all(map(_one_of, written, said, spelled)):
            return len(written) - ABJAD_LOOSE_COST  # גונזלס gwnzls: Gonzalez's first z as spelled, the last as said
    return 0


def _one_of(letter: str, said: str, spelled: str) -> bool:
    return letter in (said, spelled)


def _syllable_written(q: Token, c: Token) -> Similarity | None:
    """A word of two letters written in an abjad, a consonant and the long vowel its w or y writes, against a listed
    word of three letters or fewer with the same letters by the vowel classes an abjad tells apart: a syllable of a
    Korean or Chinese name as Hebrew and Arabic write it (יו yw, Yo; סו sw, Su), which has too few consonants to compare
    by them."""
    written, other = (q, c) if q.abjad == WRITTEN_IN_ABJAD else (c, q)
    if written.abjad != WRITTEN_IN_ABJAD or other.abjad or len(written.text) != 2 or len(other.text) > 3:
        return None
    if written.text[1] not in "wy" or written.vowelled != other.vowelled:
        return None
    return SYLLABLE_WRITTEN, Method.PHONETIC


def _first_vowels_agree(q: Token, c: Token) -> bool:
    """Does a word read from syllables have the other's first vowel, by class (`_VOWEL_CLASS`)? A kana reading adds a
    u after a consonant, or an o after t or d (フラトコフ furatokofu): that vowel, first, may be passed over."""
    read, other = (q, c) if q.abjad == READ_FROM_SYLLABLES else (c, q)
    if read.abjad != READ_FROM_SYLLABLES or other.abjad:
        return True
    wanted, found = _vowels(other.text), _vowels(read.text)
    if not wanted or not found or found[0][1] == wanted[0][1]:
        return True
    k = found[0][0]
    added = k > 0 and (read.text[k] == "u" or (read.text[k] == "o" and read.text[k - 1] in "td"))
    return added and len(found) > 1 and found[1][1] == wanted[0][1]


def _vowels(text: str) -> list[tuple[int, str]]:
    """Where each vowel of a word stands, and its class (`_VOWEL_CLASS`)."""
    return [(k, _VOWEL_CLASS[letter]) for k, letter in enumerate(text) if letter in _VOWEL_CLASS]


def _final_vowel_differs(q: Token, c: Token) -> bool:
    """Does the token written in an abjad end in a long i (a y after a consonant) where the other ends in a
    consonant, or in a consonant where the other ends in i? An abjad writes a name's final long vowel: كمالي kmaly is
    Kamali, not Kamel; العقيل aqyl is Aqil, not Kayali. A final h or w may be a vowel the abjad writes so (زاده
    zadh, Zadeh), and no letter read from syllables counts."""
    written, other = (q, c) if q.abjad == WRITTEN_IN_ABJAD else (c, q)
    if written.abjad != WRITTEN_IN_ABJAD or len(written.text) < 3 or len(other.folded) < 3:
        return False
    text, folded = written.text, other.folded
    if text[-1] == "y" and text[-2] not in _SPOKEN_VOWELS and text[-2] != "w":
        return folded[-1] not in _SPOKEN_VOWELS
    ends_in_consonant = text[-1] not in _SPOKEN_VOWELS and text[-1] not in "hw"
    return ends_in_consonant and folded[-1] == "i" and folded[-2] not in _SPOKEN_VOWELS


def _acronym(text: str) -> bool:
    """A word of three letters or more with no vowel: letters said one by one, not a word to read by its sounds."""
    return len(text) >= 3 and _SPOKEN_VOWELS.isdisjoint(text)


def _vowels_agree(q: Token, c: Token) -> int:
    """How many long vowels the abjad-written token writes, when its letters stand in the other's in order (it
    writes fewer) or the other's in its own (a loanword read from syllables adds vowels); else 0."""
    written, other = (q.vowelled, c.vowelled) if q.abjad else (c.vowelled, q.vowelled)
    vowels = sum(letter in _VOWEL_LETTERS for letter in written)
    return vowels if vowels and (in_order(written, other) or in_order(other, written)) else 0


def read_likeness(q: Token, c: Token) -> float:
    """How alike a query token read from another script and a listed token are by their coarse forms, when no
    rule above made them alike (0: not alike).

    Equal coarse consonants with one side's vowels in the other's order (kana and hangul add vowels: セルナ
    seruna, Serna; two at most, or as many as the query's reading adds with `vowels_added`) score READ_PAIR; two
    forms of five letters or more one letter apart a tenth less (巴列霍 baleho, Vallejo). Only for tokens a name left
    over once its other tokens matched (see `score.align`).
    """
    a, b = coarse(q.text), coarse(c.text)
    bare_a, bare_b = coarse_consonants(q.text), coarse_consonants(c.text)
    # Kana adds a vowel to nearly every consonant (フラトコフ furatokofu, Fradkov): any number, the consonants agreeing.
    added = VOWELS_ADDED and q.abjad == READ_FROM_SYLLABLES and len(a) > len(b)
    if len(a) > len(b):
        a, b, bare_a, bare_b = b, a, bare_b, bare_a
    if len(a) < 3 or bare_a == a:  # an abjad's consonants alone (hrs) would pair too freely
        return 0.0
    near = len(b) - len(a) <= 2
    if bare_a == bare_b and in_order(a, b) and (near or added):
        return READ_PAIR
    if not near:
        return 0.0
    if len(a) >= 5 and Levenshtein.distance(a, b, score_cutoff=1) <= 1:
        return READ_PAIR - 0.1
    return 0.0


_UNSEEN: Similarity = (-1.0, Method.EXACT)


def remembered(memo: dict[Token, Similarity | None], query: Token, listed: Token) -> Similarity | None:
    """`similarity(query, listed)`, worked out once for each listed token a query token's memo meets.

    A memo belongs to one query token and is shared by the queries holding it (see `NameIndex.compared`).
    """
    close = memo.get(listed, _UNSEEN)
    if close is _UNSEEN:
        close = memo[listed] = similarity(query, listed)
    return close


def _edit(a: str, b: str, mistyped: bool = False) -> float | None:
    """Likeness of two spellings by the edits between them, each costing a share of the longer's letters: more in
    words of five letters or fewer, where one edit makes another name, less where a query word no list has meets an
    organisation's own word, both of `MISTYPED_LETTERS` or more (`mistyped`: see `Token.brand`)."""
    short, long_ = len(a), len(b)
    if short > long_:
        short, long_ = long_, short
    if short < 4 or (short == 4 and long_ != 5):
        return None
    allowed = 1 if short < 9 else 2
    if long_ - short > allowed:
        return None
    edits: float = OSA.distance(a, b, score_cutoff=allowed)
    if edits > allowed:
        return None
    if TRANSPOSITION < 1.0:  # each swap, one edit to OSA, is two to Levenshtein
        edits -= (1.0 - TRANSPOSITION) * (Levenshtein.distance(a, b, score_cutoff=2 * allowed) - edits)
    mistyped = mistyped and short >= MISTYPED_LETTERS
    cost = UNLISTED_TYPO if mistyped else 2.0 if long_ <= 5 else 1.5
    return max(0.0, 1.0 - cost * edits / long_)


def joinable(found: Similarity | None) -> bool:
    """Joined tokens must match closely in spelling: their skeletons collapse too much to prove anything."""
    return found is not None and found[1] is not Method.PHONETIC and found[0] >= 0.8
