"""Golden scores: what the matching algorithm answers to real queries, written down to the fourth decimal.

A hit is stored with the name of the algorithm that scored it, so that a decision can be
replayed; that only holds if a published name never changes its output. This script screens
a fixed set of queries, the names customers type for listed parties (exact, in other scripts
and romanisations, with typos, reordered, shortened, with titles and legal forms, with dates
of birth and countries that agree or not) and for parties that are not listed, against every
entity of the newest file of each source in `../shared/data/lists` (as the tests' `screener`
fixture loads them). It writes the three best hits of each query at threshold 0, and the
entity the query was written for wherever that one ranks (or that it is not returned at all),
to `tests/matching/golden_scores.csv`; `tests/matching/test_golden_scores.py` then fails on
any score that moves.

    .venv/bin/python bench/golden_scores.py                       # rewrite tests/matching/golden_scores.csv
    .venv/bin/python bench/golden_scores.py --output /tmp/g.csv   # write elsewhere, to compare

Regenerating the file is right only together with a new algorithm name
(`clearance.matching.ALGORITHM`): a changed score under the old name would silently change
what replaying a stored decision gives. The script refuses to change a recorded score
under the same name unless the screened entities changed (their digest is the `lists`
column: a new list file or parser changes the rarity of every name, not the algorithm), or
`--force` is given. Run it on committed code, e.g. on a revision exported with
`git archive REV src | tar -x -C /tmp/rev` and `PYTHONPATH=/tmp/rev/src`.

Every entity id in the file is a real entity of those lists; the script stops when a query
names an entity the lists do not have.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearance.lists.registry import SOURCES
from clearance.lists.update import mirror_path
from clearance.matching import ALGORITHM, Hit, Party, Screener
from clearance.model import Entity, EntityKind

BENCH = Path(__file__).resolve().parent
LISTS = BENCH.parents[1] / "shared" / "data" / "lists"
GOLDEN = BENCH.parent / "tests" / "matching" / "golden_scores.csv"
COLUMNS = (
    "algorithm",
    "lists",
    "case",
    "query",
    "type",
    "dob",
    "country",
    "rank",
    "entity_id",
    "target",
    "matched_name",
    "score",
)
TOP = 3
"""Best hits kept per query: the ranking near the top is pinned, not only the first hit."""
LIMIT = 100
"""Hits asked for (at threshold 0): above the candidate stage's 30 entities, so none is cut."""


Key = tuple[str, str, str, str]
"""A query as screened: name, type, date of birth, country."""


@dataclass(frozen=True)
class Case:
    """One query, and the listed entities it was written for (none for parties that are not listed)."""

    case: str
    query: str
    type: str = ""
    dob: str = ""
    country: str = ""
    targets: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        return (self.query, self.type, self.dob, self.country)


def cases(case: str, *queries: str | tuple[str, ...], **fields: str) -> list[Case]:
    """Queries of one kind: a bare string has no target; a tuple is (query, target ids...)."""
    made = []
    for query in queries:
        text, *targets = (query,) if isinstance(query, str) else query
        made.append(Case(case, text, targets=tuple(targets), **fields))
    return made


# Ids of entities named by several queries. An OFAC record is in the SDN (2021) file and again in
# the Consolidated Screening List (2022) under the same number: both are targets.
PUTIN = "us-csl:35096"
MEDVEDEV = "us-csl:36407"
LAVROV = "us-csl:35233"
SHOIGU = "us-csl:35173"
LUKASHENKO = ("ofac-sdn:9760", "us-csl:9760")
DERIPASKA = ("ofac-sdn:24283", "us-csl:24283")
PRIGOZHIN = ("ofac-sdn:21171", "us-csl:21171")
KADYROV = ("ofac-sdn:23343", "us-csl:23343")
TIMCHENKO = ("ofac-sdn:16666", "us-csl:16666")
KIM_JONG_UN = ("ofac-sdn:20157", "us-csl:20157")
ASSAD = ("ofac-sdn:12735", "us-csl:12735")
SOLEIMANI = ("ofac-sdn:10481", "un:IRi.039")
NASRALLAH = ("ofac-sdn:2686", "us-csl:2686")
SADDAM = ("ofac-sdn:7843", "eu:13")
ZAWAHIRI = ("un:QDi.006", "ofac-sdn:2676")
BIN_LADEN = ("ofac-sdn:6365", "us-csl:6365")
HAMZA_BIN_LADEN = ("un:QDi.421", "ofac-sdn:21286")
MADURO = ("ofac-sdn:22790",)
KHAMENEI = ("ofac-sdn:26945", "us-csl:26945")
UMAROV = ("un:QDi.290",)
CHATAEV = ("un:QDi.365",)
MANSUR = ("uk:AFG0011",)
SBERBANK = ("ofac-cons:17018", "us-csl:17018")
ROSNEFT = ("ofac-cons:17022",)
GAZPROM_BURENIE = ("ofac-sdn:24185", "us-csl:24185")
SOVCOMFLOT = ("us-csl:34741:NS-MBS",)
HUAWEI = ("ofac-cons:30947",)
MAHAN_AIR = ("ofac-sdn:12927", "us-csl:12927")
PETREL = ("uk:DPR0075",)

CASES: list[Case] = [
    # Primary names as a source lists them: each source, persons, organisations, vessels, aircraft.
    *cases(
        "exact",
        ("DOKU KHAMATOVICH UMAROV", *UMAROV),
        ("AIMAN MUHAMMED RABI AL-ZAWAHIRI", *ZAWAHIRI),
        ("FARES MOHAMMED MANA'A", "un:SOi.008"),
        ("GABRIEL JOK RIAK MAKOL", "un:SSi.001"),
        ("ESTÊVÃO NA MENA", "un:GBi.008"),
        ("KIM CHOL SAM", "un:KPi.035"),
        ("EMARAT KAVKAZ", "un:QDe.131"),
        ("WAFA HUMANITARIAN ORGANIZATION", "un:QDe.015"),
        ("TIZ PARS", "un:IRe.075"),
        ("IRANO HIND SHIPPING COMPANY", "un:IRe.028"),
        ("KOREA RYONHA MACHINERY JOINT VENTURE CORPORATION", "un:KPe.016"),
        ("DERIPASKA, Oleg Vladimirovich", *DERIPASKA),
        ("MILOSEVIC, Slobodan", "ofac-sdn:7742"),
        ("PONCE FELIX, Martin Humberto", "ofac-sdn:13414"),
        ("MAKHLUF, Iyad", "ofac-sdn:22259"),
        ("KOTI CORP", "ofac-sdn:23785"),
        ("OCCIDENTAL DE PAPELES LTDA.", "ofac-sdn:7595"),
        ("ISIM SININ LIMITED", "ofac-sdn:25447"),
        ("HAMAS", "ofac-sdn:4695"),
        ("MAHAN AIR", *MAHAN_AIR),
        ("BANK ROSSIYA", "ofac-sdn:16681"),
        ("ZAHHAR, Mahmoud Khaled", "ofac-cons:9647"),
        ("UDWAN, Atef", "ofac-cons:9709"),
        ("SALEH, Mariam Mahmoud", "ofac-cons:9650"),
        ("PJSC VERKHNECHONSKNEFTEGAZ", "ofac-cons:18271"),
        ("GPB-DI HOLDINGS LIMITED", "ofac-cons:20314"),
        ("IZHORSKIYE ZAVODY OAO", "ofac-cons:20305"),
        ("HUAWEI TECHNOLOGIES CO., LTD.", *HUAWEI),
        ("PUBLIC JOINT STOCK COMPANY GAZPROM NEFT", "ofac-cons:17143"),
        ("Saddam Hussein Al-Tikriti", *SADDAM),
        ("Khalid Sheikh MOHAMMED", "eu:191"),
        ("Global Relief Foundation (GRF)", "eu:980"),
        ("Al-Rasheed Trust", "eu:330"),
        ("ABDUL LATIF MANSUR", *MANSUR),
        ("AKRAM TURKI HISHAN AL-MAZIDIH", "uk:AQD0128"),
        ("Khatiba al-Tawhid wal-Jihad (KTJ)", "uk:AQD0377", "un:QDe.168"),
        ("MEDVEDEV, Dmitry Anatolievich", MEDVEDEV),
        ("PUTIN, Vladimir Vladimirovich", PUTIN),
        ("LAVROV, Sergei Viktorovich", LAVROV),
        ("MISHUSTIN, Mikhail Vladimirovich", "us-csl:35282"),
        ("OJSC Sovfracht", "us-csl:70532a95d806147ed8e868e0cf6fdc4a6d8f9063"),
        ("Emirates Hermes General Trading", "us-csl:aa8b1c378e15993d2966650c8329b25a50f4c843"),
        ("Dmitry Andreev", "us-csl:11a8afa4048479c1b659a25b1fac0c89f1105be3"),
        ("Murat Peker", "us-csl:c0eef7e28cf7dea0aae30bb3b844339e0412afec"),
        ("ELECMAT, INC.", "us-csl:b7ae0f5b80af2c2fe551792aab4a4c407bcf3ff3"),
        ("BAHAR SAFWA GENERAL TRADING", "us-csl:62bd9aab662c4dc055e1cf3082be6fd9dc903112"),
        ("Intertranslog OY", "us-csl:cc2effd3b7495b83c48b51028f2f2065c3e2ac13"),
        ("Caspian Oil Montaj", "us-csl:154b621376a4e5533c13fa32e58cb1f42575e441"),
        ("Pishro Systems Research Company", "us-csl:a036f023f0df52a5fb180bb2f5e617544b62c083"),
        ("Amr Armanazi", "us-csl:c7843c11902240b7917cf6bc47a7a2028cb3f541"),
        ("AVIC Aircraft Co. Ltd.", "us-csl:09373d9ad90b5cf852687cd46dbad2d0340b21ee"),
        ("CLOUDWALK TECHNOLOGY CO., LTD.", "us-csl:33112:CMIC"),
        ("Jinghua Zhuang", "us-csl:d27f0182d2519bd1c6132351406f46c338dcd88a"),
        ("Pan Aviation, Inc.", "us-csl:0f9f6acebb0efa9ad0ab0ae55f4abf7a6d107465"),
        ("RJOUB, Nayef", "us-csl:9671:PLC"),
        ("BEKTAS, Halis", "us-csl:17526:FSE"),
        ("BANK OF KUNLUN CO LTD", "us-csl:15268:CAP"),
        ("LUKOIL OAO", "us-csl:17248:SSI"),
        ("PUBLIC JOINT STOCK COMPANY RUSHYDRO", "us-csl:34578:NS-MBS"),
        ("Rosoboronexport OJSC (ROE)", "eu-annex-iv:44"),
        ("Bryansk Automobile Plant, JSC", "eu-annex-iv:377"),
        ("Lev Anatolyevich Yershov (Ershov)", "eu-annex-iv:81"),
    ),
    *cases(
        "exact",
        ("AREZOO", "ofac-sdn:25364"),
        ("SO BAEK SAN", "ofac-sdn:23187"),
        ("HUMANITY", "ofac-sdn:15729"),
        ("KU BONG RYONG", "us-csl:23185"),
        ("Petrel 8", *PETREL),
        type="vessel",
    ),
    *cases("exact", ("EP-FAA", "ofac-sdn:26345"), ("YV2739", "us-csl:28331"), type="aircraft"),
    # Other names the lists give, strong and weak.
    *cases(
        "alias",
        ("Dokka Umarov", *UMAROV),
        ("David Mayer", *CHATAEV),
        ("OCEAN NYMPH", "ofac-sdn:15729"),
        ("Sberbank Rossii", *SBERBANK),
        ("Gazprom Drilling", *GAZPROM_BURENIE),
        ("Wali Mohammad", *MANSUR),
        ("Abu Ali", *SADDAM),
        ("Jannat Oshiklari", "uk:AQD0377", "un:QDe.168"),
        ("Tian Tai 36", *PETREL),
    ),
    # Names in the script they are listed in (UN, EU and UK give original-script names).
    *cases(
        "cross_script",
        ("Умаров Доку Хаматович", *UMAROV),
        ("Доку Умаров", *UMAROV),
        ("Ахмед Чатаев", *CHATAEV),
        ("Давид Майер", *CHATAEV),
        ("Эмират Кавказ", "un:QDe.131"),
        ("Катиба ат-Таухид валь-Джихад", "uk:AQD0377", "un:QDe.168"),
        ("Организация за подпомагане на Ulema, Пакистан", "eu:330"),
        ("أيمن محمد ربيع الظواهري", *ZAWAHIRI),
        ("أيمن الظواهري", *ZAWAHIRI),
        ("حمزة أسامة محمد بن لادن", *HAMZA_BIN_LADEN),
        ("حمزة بن لادن", *HAMZA_BIN_LADEN),
        ("عبد اللطيف منصور", *MANSUR),
        ("أكرم تركي هاشم المزيده", "uk:AQD0128"),
        ("أحمد الحمزي", "un:YEi.012"),
        ("金铁三", "un:KPi.035"),
        ("長安海連技術有限公司", "un:KPe.055"),
        ("长安海连技术有限公司", "un:KPe.055"),
        ("華信船務(香港)有限公司", "un:KPe.059"),
    ),
    # Names written in another script than any the lists give for that party: Russian, Belarusian,
    # Ukrainian and Serbian Cyrillic, Arabic, Persian, Korean, Hebrew, Chinese, Greek, Japanese.
    # The Korean and Hebrew forms are those Wikidata labels these people with
    # (../shared/data/names/translit_fullname_pairs.tsv.gz).
    *cases(
        "cross_script",
        ("Путин Владимир Владимирович", PUTIN),
        ("Владимир Путин", PUTIN),
        ("Медведев Дмитрий Анатольевич", MEDVEDEV),
        ("Дерипаска Олег Владимирович", *DERIPASKA),
        ("Лавров Сергей Викторович", LAVROV),
        ("Шойгу Сергей Кужугетович", SHOIGU),
        ("Пригожин Евгений Викторович", *PRIGOZHIN),
        ("Кадыров Рамзан Ахматович", *KADYROV),
        ("Тимченко Геннадий Николаевич", *TIMCHENKO),
        ("Ротенберг Аркадий Романович", "ofac-sdn:16669", "us-csl:16669"),
        ("Лукашенко Александр Григорьевич", *LUKASHENKO),
        ("Лукашэнка Аляксандр Рыгоравіч", *LUKASHENKO),
        ("Янукович Віктор Федорович", "ofac-sdn:16641", "us-csl:16641"),
        ("Ратко Младић", "ofac-sdn:7744", "us-csl:7744"),
        ("Слободан Милошевић", "ofac-sdn:7742", "us-csl:7742"),
        ("بشار الأسد", *ASSAD),
        ("قاسم سليماني", *SOLEIMANI),
        ("حسن نصر الله", *NASRALLAH),
        ("صدام حسين", *SADDAM),
        ("إسماعيل هنية", "ofac-sdn:23627", "us-csl:23627"),
        ("معمر القذافي", "ofac-sdn:12606"),
        ("سيف الإسلام القذافي", "ofac-sdn:12608"),
        ("علی خامنه\u200cای", *KHAMENEI),
        ("قاسم سلیمانی", *SOLEIMANI),
        ("김정은", *KIM_JONG_UN),
        ("김여정", "ofac-sdn:21444", "us-csl:21444"),
        ("최룡해", "ofac-sdn:23213", "us-csl:23213"),
        ("리수용", "ofac-sdn:21735", "un:KPi.052"),
        ("알렉산드르 루카셴코", *LUKASHENKO),
        ("올레크 데리파스카", *DERIPASKA),
        ("세르게이 라브로프", LAVROV),
        ("אלכסנדר לוקשנקו", *LUKASHENKO),
        ("דמיטרי מדבדב", MEDVEDEV),
        ("אוסאמה בן לאדן", *BIN_LADEN),
        ("בשאר אל-אסד", *ASSAD),
        ("רמזן קדירוב", *KADYROV),
        ("金正恩", *KIM_JONG_UN),
        ("华为技术有限公司", *HUAWEI),
        ("海康威视", "ofac-cons:30946"),
        ("Βλαντιμίρ Πούτιν", PUTIN),
        ("ウラジーミル・プーチン", PUTIN),
    ),
    *cases(
        "cross_script",
        ("ПАО Сбербанк", *SBERBANK),
        ("Роснефть", *ROSNEFT),
        ("ООО Газпром бурение", *GAZPROM_BURENIE),
        ("Совкомфлот", *SOVCOMFLOT),
        ("Рособоронэкспорт", "ofac-sdn:18782", "eu-annex-iv:44"),
        ("Концерн Калашников", "ofac-sdn:16911"),
        ("حماس", "ofac-sdn:4695"),
        ("حزب الله", "ofac-sdn:4697"),
        ("ماهان ایر", *MAHAN_AIR),
        type="organization",
    ),
    # The same name in another Latin romanisation.
    *cases(
        "romanisation",
        ("Aleksandr Lukashenko", *LUKASHENKO),
        ("Alexander Lukashenko", *LUKASHENKO),
        ("Aliaksandr Lukashenka", *LUKASHENKO),
        ("Dmitriy Medvedyev", MEDVEDEV),
        ("Sergey Shoygu", SHOIGU),
        ("Evgeny Prigozhin", *PRIGOZHIN),
        ("Gennadiy Timchenko", *TIMCHENKO),
        ("Ramzan Kadirov", *KADYROV),
        ("Viktor Yanukovich", "ofac-sdn:16641", "us-csl:16641"),
        ("Usama bin Ladin", *BIN_LADEN),
        ("Muammar Gaddafi", "ofac-sdn:12606"),
        ("Moammar Khadafy", "ofac-sdn:12606"),
        ("Qassem Suleimani", *SOLEIMANI),
        ("Ghasem Soleimani", *SOLEIMANI),
        ("Hassan Nasrallah", *NASRALLAH),
        ("Ayman al-Dhawahiri", *ZAWAHIRI),
        ("Saddam Husain", *SADDAM),
        ("Kim Jong-un", *KIM_JONG_UN),
        ("Choe Ryong-hae", "ofac-sdn:23213", "us-csl:23213"),
        ("Khaled Mashal", "ofac-sdn:7914", "us-csl:7914"),
        ("Mohamed Khaled Al Zahar", "ofac-cons:9647"),
    ),
    *cases(
        "typo",
        ("Vladimir Putn", PUTIN),
        ("Oleg Deripaksa", *DERIPASKA),
        ("Nicolas Madurro Moros", *MADURO),
        ("Ayman al-Zawahri", *ZAWAHIRI),
        ("Kim Jong Um", *KIM_JONG_UN),
        ("Alisher Usmanow", "us-csl:35283"),
        ("Viktor Vekselburg", "ofac-sdn:24306", "us-csl:24306"),
        ("Aleksandr Lukashemko", *LUKASHENKO),
        ("Gennady Timshenko", *TIMCHENKO),
        ("Slobodan Milosevich", "ofac-sdn:7742"),
        ("Yevgeniy Prigozin", *PRIGOZHIN),
        ("Qasem Solemani", *SOLEIMANI),
    ),
    *cases(
        "typo",
        ("Sberbnak", *SBERBANK),
        ("Rosnfet", *ROSNEFT),
        ("Hizbolah", "ofac-sdn:4697"),
        ("Islamic Revolutionary Gaurd Corps", "ofac-sdn:10391"),
        ("Kalashnikov Consern", "ofac-sdn:16911"),
        ("Huawei Technolgies", *HUAWEI),
        ("Mahan Aire", *MAHAN_AIR),
        type="organization",
    ),
    *cases("typo", ("Petrell 8", *PETREL), ("Arezo", "ofac-sdn:25364"), type="vessel"),
    *cases(
        "word_order",
        ("Putin Vladimir", PUTIN),
        ("Vladimir Vladimirovich Putin", PUTIN),
        ("Oleg Vladimirovich Deripaska", *DERIPASKA),
        ("Sergei Viktorovich Lavrov", LAVROV),
        ("Assad Bashar", *ASSAD),
        ("Jong Un Kim", *KIM_JONG_UN),
        ("Maduro Moros Nicolas", *MADURO),
        ("Soleimani Qasem", *SOLEIMANI),
        ("Umarov Doku", *UMAROV),
        ("Mansur Abdul Latif", *MANSUR),
        ("Tikriti Saddam Hussein", *SADDAM),
    ),
    # A middle name, patronymic or second family name left out.
    *cases(
        "dropped_middle",
        ("Sergei Lavrov", LAVROV),
        ("Mikhail Mishustin", "us-csl:35282"),
        ("Yevgeniy Prigozhin", *PRIGOZHIN),
        ("Arkady Rotenberg", "ofac-sdn:16669", "us-csl:16669"),
        ("Igor Sechin", "ofac-sdn:16692", "us-csl:16692"),
        ("Aiman al-Zawahiri", *ZAWAHIRI),
        ("Hamza bin Laden", *HAMZA_BIN_LADEN),
        ("Doku Umarov", *UMAROV),
        ("Ahmed Chataev", *CHATAEV),
        ("Nicolas Maduro", *MADURO),
        ("Robert Mugabe", "ofac-sdn:7480", "us-csl:7480"),
        ("Akram Al-Mazidih", "uk:AQD0128"),
        ("Khalid Mohammed", "eu:191", "ofac-sdn:6928"),
    ),
    *cases(
        "initials",
        ("V. Putin", PUTIN),
        ("V. V. Putin", PUTIN),
        ("O. Deripaska", *DERIPASKA),
        ("O.V. Deripaska", *DERIPASKA),
        ("S. Lavrov", LAVROV),
        ("D. A. Medvedev", MEDVEDEV),
        ("A. G. Lukashenko", *LUKASHENKO),
        ("R. Kadyrov", *KADYROV),
        ("N. Maduro", *MADURO),
        ("Y. V. Prigozhin", *PRIGOZHIN),
    ),
    *cases(
        "title",
        ("Dr. Ayman al-Zawahiri", *ZAWAHIRI),
        ("Sheikh Hassan Nasrallah", *NASRALLAH),
        ("Mr. Oleg Deripaska", *DERIPASKA),
        ("Ayatollah Ali Khamenei", *KHAMENEI),
        ("President Vladimir Putin", PUTIN),
        ("General Qasem Soleimani", *SOLEIMANI),
        ("Mrs Asma al-Assad", "ofac-sdn:29068", "us-csl:29068"),
        ("Hajji Abdul Latif Mansur", *MANSUR),
        ("Mullah Omar",),
    ),
    *cases(
        "legal_form",
        ("Sberbank PJSC", *SBERBANK),
        ("PAO Sberbank", *SBERBANK),
        ("Sberbank of Russia OJSC", *SBERBANK),
        ("OOO Gazprom Burenie", *GAZPROM_BURENIE),
        ("Gazprom Burenie LLC", *GAZPROM_BURENIE),
        ("Limited Liability Company Gazprom Burenie", *GAZPROM_BURENIE),
        ("Rosneft Oil Company PJSC", *ROSNEFT),
        ("Huawei Technologies Ltd", *HUAWEI),
        ("Sovcomflot PAO", *SOVCOMFLOT),
        ("AO Sovcomflot", *SOVCOMFLOT),
        ("Rosoboronexport AO", "ofac-sdn:18782", "eu-annex-iv:44"),
        ("Baltech OOO", "ofac-cons:19992"),
        ("IRISL Europe Ltd", "ofac-sdn:25429"),
        ("Sberbank Europe GmbH", "ofac-cons:18716"),
        ("Mahan Air Co", *MAHAN_AIR),
        ("Cloudwalk Technology Ltd", "us-csl:33112:CMIC"),
        ("Lukoil PJSC", "us-csl:17248:SSI"),
        ("Bank Rossiya JSC", "ofac-sdn:16681"),
        type="organization",
    ),
    # The names the cases below add a date of birth, a country or a kind to, on their own.
    *cases(
        "no_fields",
        ("Dmitry Medvedev", MEDVEDEV),
        ("Kim Jong Un", *KIM_JONG_UN),
        ("Oleg Deripaska", *DERIPASKA),
        ("Ramzan Kadyrov", *KADYROV),
        ("Hasan Nasrallah", *NASRALLAH),
        ("Saddam Hussein", *SADDAM),
        ("Abdul Latif Mansur", *MANSUR),
        ("Qasem Soleimani", *SOLEIMANI),
        ("Gennady Timchenko", *TIMCHENKO),
        ("Vladimir Putin", PUTIN),
        ("Hamas", "ofac-sdn:4695"),
        ("Sberbank", *SBERBANK),
        ("Mahan Air", *MAHAN_AIR),
    ),
    # The same name with a date of birth or a country that agrees with the listing, or does not.
    *cases("dob_agrees", ("Dmitry Medvedev", MEDVEDEV), dob="1965-09-14"),
    *cases("dob_agrees", ("Dmitry Medvedev", MEDVEDEV), dob="1965"),
    *cases("dob_contradicts", ("Dmitry Medvedev", MEDVEDEV), dob="1990-01-01"),
    *cases("dob_contradicts", ("Dmitry Medvedev", MEDVEDEV), dob="1965-09-15"),
    *cases("dob_agrees", ("Kim Jong Un", *KIM_JONG_UN), dob="1984-01-08"),
    *cases("dob_contradicts", ("Kim Jong Un", *KIM_JONG_UN), dob="1983"),
    *cases("dob_agrees", ("Oleg Deripaska", *DERIPASKA), dob="1968-01-02"),
    *cases("dob_contradicts", ("Oleg Deripaska", *DERIPASKA), dob="1968-02-01"),
    *cases("dob_agrees", ("Ramzan Kadyrov", *KADYROV), dob="1976-10-05"),
    *cases("dob_contradicts", ("Ramzan Kadyrov", *KADYROV), dob="1967-10-05"),
    *cases("dob_agrees", ("Hasan Nasrallah", *NASRALLAH), dob="1955"),
    *cases("dob_contradicts", ("Hasan Nasrallah", *NASRALLAH), dob="1970-01-01"),
    *cases("dob_agrees", ("Saddam Hussein", *SADDAM), dob="1937-04-28"),
    *cases("dob_contradicts", ("Saddam Hussein", *SADDAM), dob="1973-04-28"),
    *cases("dob_agrees", ("Abdul Latif Mansur", *MANSUR), dob="1967-11-12"),
    *cases("dob_contradicts", ("Abdul Latif Mansur", *MANSUR), dob="1980"),
    *cases("country_agrees", ("Dmitry Medvedev", MEDVEDEV), country="RU"),
    *cases("country_contradicts", ("Dmitry Medvedev", MEDVEDEV), country="United States"),
    *cases("country_agrees", ("Kim Jong Un", *KIM_JONG_UN), country="North Korea"),
    *cases("country_contradicts", ("Kim Jong Un", *KIM_JONG_UN), country="KR"),
    *cases("country_agrees", ("Oleg Deripaska", *DERIPASKA), country="Cyprus"),
    *cases("country_contradicts", ("Oleg Deripaska", *DERIPASKA), country="DE"),
    *cases("country_agrees", ("Qasem Soleimani", *SOLEIMANI), country="IR"),
    *cases("country_contradicts", ("Qasem Soleimani", *SOLEIMANI), country="IQ"),
    *cases("country_agrees", ("Nicolas Maduro", *MADURO), country="Venezuela"),
    *cases("country_contradicts", ("Nicolas Maduro", *MADURO), country="CO"),
    *cases("country_agrees", ("Gennady Timchenko", *TIMCHENKO), country="CH"),
    *cases("country_contradicts", ("Gennady Timchenko", *TIMCHENKO), country="US"),
    *cases("country_agrees", ("Sberbank", *SBERBANK), type="organization", country="RU"),
    *cases("country_contradicts", ("Sberbank", *SBERBANK), type="organization", country="FR"),
    *cases("dob_and_country_agree", ("Dmitry Medvedev", MEDVEDEV), dob="1965-09-14", country="RU"),
    *cases("dob_and_country_contradict", ("Dmitry Medvedev", MEDVEDEV), dob="1990-01-01", country="US"),
    # A kind (person, organisation, vessel) that agrees or contradicts.
    *cases("kind_agrees", ("Vladimir Putin", PUTIN), ("Oleg Deripaska", *DERIPASKA), type="person"),
    *cases("kind_contradicts", ("Vladimir Putin", PUTIN), ("Petrel 8", *PETREL), type="organization"),
    *cases("kind_contradicts", ("Hamas", "ofac-sdn:4695"), ("Mahan Air", *MAHAN_AIR), type="person"),
    *cases("kind_contradicts", ("Sberbank", *SBERBANK), ("AREZOO", "ofac-sdn:25364"), type="person"),
    *cases("kind_agrees", ("Hamas", "ofac-sdn:4695"), ("Sberbank", *SBERBANK), type="organization"),
    # Someone else with a like name: the listed party must stay below the threshold.
    *cases(
        "near_miss",
        ("Vladimir Pugin", PUTIN),
        ("Vladimir Potanin", PUTIN),
        ("Vladimir Putilin", PUTIN),
        ("Oleg Deribas", *DERIPASKA),
        ("Sergei Lavrentiev", LAVROV),
        ("Igor Sechkin", "ofac-sdn:16692"),
        ("Kim Jong Il", *KIM_JONG_UN),
        ("Kim Jong Nam", *KIM_JONG_UN),
        ("Ri Yong Ho", "un:KPi.033"),
        ("Pak Pong Ju",),
        ("Daniel Ortega", "ofac-sdn:26554"),
        ("Bashir Assad", *ASSAD),
        ("Hassan Nasser", *NASRALLAH),
        ("Dmitry Medvedko", MEDVEDEV),
        ("Roman Abramovich",),
        ("Elvira Nabiullina",),
        ("Mikhail Fridman",),
        ("Petr Aven",),
        ("Ivan Petrov",),
        ("Maria Ivanova",),
    ),
    *cases(
        "near_miss",
        ("Gazprom Germania",),
        ("Wagner Group", "ofac-sdn:22543"),
        ("Rosatom",),
        ("Tornado Cash",),
        ("Sberbank Leasing", "ofac-cons:18709"),
        ("Novatek Chelyabinsk", "ofac-cons:20683"),
        type="organization",
    ),
    *cases("near_miss", ("Petrel 9", *PETREL), ("Ever Given",), type="vessel"),
    # Common names that several listed people share.
    *cases("common_name", "Mohammed Ali", "Ahmed Hassan", "Kim Yong Chol", "Ali Mohammed", "Abdul Rahman"),
    # Parties nobody lists: the low end of the scale.
    *cases(
        "not_listed",
        "Ursula von der Leyen",
        "Emmanuel Macron",
        "Angela Merkel",
        "Olaf Scholz",
        "Joe Biden",
        "Alexei Navalny",
        "John Smith",
        "Li Wei",
        "Maria Garcia",
        "Jean Dupont",
    ),
    *cases(
        "not_listed",
        "Siemens AG",
        "Deutsche Bank AG",
        "Volkswagen AG",
        "Maersk Line",
        "Nestle S.A.",
        "Toyota Motor Corporation",
        type="organization",
    ),
]


def load_entities(lists: Path = LISTS) -> list[Entity]:
    """Every entity of the newest file of each source, in the order the tests' fixture loads them."""
    entities: list[Entity] = []
    for name, source in SOURCES.items():
        entities += source.parse(mirror_path(lists, name)).entities
    return entities


def lists_digest(entities: Iterable[Entity]) -> str:
    """A digest of everything about the screened entities that scoring reads, in their order."""
    digest = hashlib.sha256()
    for entity in entities:
        record = [
            entity.id,
            entity.kind.value,
            [name.model_dump(mode="json") for name in entity.names],
            [str(dob) for dob in entity.dates_of_birth],
            list(entity.countries),
            [[identifier.type.value, identifier.value] for identifier in entity.identifiers],
        ]
        digest.update(json.dumps(record, ensure_ascii=False, sort_keys=True).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def build_screener(entities: list[Entity]) -> Screener:
    """A screener over the entities, on the revision being run: older ones build the index in `Screener` itself."""
    build: Any = getattr(Screener, "build", Screener)
    screener: Screener = build(entities)
    return screener


def party(case: Case) -> Party:
    return Party(
        case.query,
        kind=EntityKind(case.type) if case.type else None,
        dob=case.dob or None,
        country=case.country or None,
    )


def score_text(hit: Hit) -> str:
    return f"{hit.score:.4f}"


def rows_for(case: Case, hits: Sequence[Hit], digest: str) -> list[dict[str, str]]:
    """The best hits, the targets wherever they rank, a target not returned, or that nothing is."""
    base = {"algorithm": ALGORITHM, "lists": digest, "case": case.case, "query": case.query}
    base |= {"type": case.type, "dob": case.dob, "country": case.country}
    ranks = {hit.entity.id: rank for rank, hit in enumerate(hits, 1)}
    rows = []
    for rank, hit in enumerate(hits, 1):
        if rank <= TOP or hit.entity.id in case.targets:
            rows.append(
                base
                | {
                    "rank": str(rank),
                    "entity_id": hit.entity.id,
                    "target": "yes" if hit.entity.id in case.targets else "",
                    "matched_name": hit.explanation.matched_name.full,
                    "score": score_text(hit),
                }
            )
    for target in case.targets:
        if target not in ranks:
            rows.append(base | {"rank": "", "entity_id": target, "target": "yes", "matched_name": "", "score": ""})
    if not rows:
        rows.append(base | {"rank": "", "entity_id": "", "target": "", "matched_name": "", "score": ""})
    return rows


def changed_scores(old: Sequence[dict[str, str]], screened: dict[Key, list[Hit]]) -> list[str]:
    """Rows of the existing file the current code no longer reproduces (queries since dropped aside)."""
    changes = []
    for row in old:
        hits = screened.get((row["query"], row["type"], row["dob"], row["country"]))
        if hits is None:
            continue
        if row["entity_id"]:
            now = next((score_text(hit) for hit in hits if hit.entity.id == row["entity_id"]), "")
        else:
            now = f"{len(hits)} hits" if hits else ""
        if now != row["score"]:
            fields = " ".join(f"{name}={row[name]}" for name in ("type", "dob", "country") if row[name])
            query = f"{row['query']!r} {fields}".strip()
            was, now = row["score"] or "not returned", now or "not returned"
            changes.append(f"{query}: {row['entity_id'] or '(no hit at all)'} {was} -> {now}")
    return changes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=GOLDEN, help="where to write (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="change recorded scores under the same algorithm name")
    args = parser.parse_args(argv)

    keys = Counter(case.key for case in CASES)
    if repeated := [key for key, count in keys.items() if count > 1]:
        parser.error(f"queries listed twice: {repeated}")
    started = time.perf_counter()
    entities = load_entities()
    known = {entity.id for entity in entities}
    if unknown := sorted({t for case in CASES for t in case.targets} - known):
        parser.error(f"not an entity of the lists: {', '.join(unknown)}")
    digest = lists_digest(entities)
    screener = build_screener(entities)
    print(f"{len(entities):,} entities (digest {digest}), index built in {time.perf_counter() - started:.1f} s")

    screened = {case.key: screener.screen(party(case), threshold=0.0, limit=LIMIT) for case in CASES}
    rows = [row for case in CASES for row in rows_for(case, screened[case.key], digest)]

    if args.output.exists() and not args.force:
        old = list(csv.DictReader(args.output.open(encoding="utf-8")))
        same = [r for r in old if r["algorithm"] == ALGORITHM and r["lists"] == digest]
        if changes := changed_scores(same, screened):
            print(f"{len(changes)} recorded scores would change under the same name {ALGORITHM}:", file=sys.stderr)
            print("\n".join(f"  {change}" for change in changes[:50]), file=sys.stderr)
            print("Name a new algorithm version, or pass --force if the old scores were wrong.", file=sys.stderr)
            return 1

    with args.output.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    queries = Counter(case.case for case in CASES)
    per_case = Counter(row["case"] for row in rows)
    print(f"{len(rows)} rows, {len(CASES)} queries -> {args.output}")
    for name, count in per_case.items():
        print(f"  {name:28} {queries[name]:4} queries {count:5} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
