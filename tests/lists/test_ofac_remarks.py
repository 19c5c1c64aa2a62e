"""The Remarks parser on real Remarks texts, copied from OFAC's SDN and Consolidated CSV files."""

from __future__ import annotations

from typing import Any

import pytest

from clearance.lists.ofac_remarks import parse_remarks, split_remarks
from clearance.model import (
    Address,
    DateOfBirth,
    Gender,
    Identifier,
    IdentifierType,
    NameQuality,
    PartialDate,
)

P = PartialDate
T = IdentifierType

# (where the text is from, the Remarks text as OFAC wrote it, the facts expected from it)
CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "sdn 2021, ent 9760 (LUKASHENKA)",
        "DOB 30 Aug 1954; POB Kopys, Vitebsk oblast, Belarus; President.",
        {
            "dates_of_birth": [DateOfBirth(date=P(year=1954, month=8, day=30))],
            "places_of_birth": [Address(full="Kopys, Vitebsk oblast, Belarus", country="BY")],
            "remarks": ["President"],
        },
    ),
    (
        "sdn fixture_17, ent 10278",
        "DOB 28 Jul 1963; POB Toledo District, Belize; Passport P0017003 (Belize); SSN 561-77-9011 (United States); "
        "a.k.a. 'BURTON BURGESS'.",
        {
            "dates_of_birth": [DateOfBirth(date=P(year=1963, month=7, day=28))],
            "places_of_birth": [Address(full="Toledo District, Belize", country="BZ")],
            "identifiers": [
                Identifier(type=T.PASSPORT, value="P0017003", country="BZ", label="Passport"),
                Identifier(type=T.NATIONAL_ID, value="561-77-9011", country="US", label="SSN"),
            ],
            "aliases": [(NameQuality.WEAK, "BURTON BURGESS")],
            "remarks": [],
        },
    ),
    (
        "sdn 2021, ent 11748: a year range written with a hyphen",
        "nationality Somalia; DOB circa 1979-1982; alt. DOB 1982; a.k.a. 'MUSCAB, Abu'; a.k.a. 'QORGAB'.",
        {
            "nationalities": ["SO"],
            "dates_of_birth": [
                DateOfBirth(start=P(year=1979), end=P(year=1982), circa=True),
                DateOfBirth(date=P(year=1982)),
            ],
            "aliases": [(NameQuality.WEAK, "MUSCAB, Abu"), (NameQuality.WEAK, "QORGAB")],
        },
    ),
    (
        "sdn 2021, ent 12610: several passports, issue and expiry dates",
        "DOB 1977; alt. DOB 1976; alt. DOB 01 Jan 1978; POB Tripoli, Libya; Gender Female; Passport 215215 (Libya); "
        "alt. Passport 428720 (Libya); alt. Passport B/011641; alt. Passport 03824970 (Oman) issued 04 May 2014 "
        "expires 03 May 2024; National ID No. 98606612.",
        {
            "dates_of_birth": [
                DateOfBirth(date=P(year=1977)),
                DateOfBirth(date=P(year=1976)),
                DateOfBirth(date=P(year=1978, month=1, day=1)),
            ],
            "gender": Gender.FEMALE,
            "identifiers": [
                Identifier(type=T.PASSPORT, value="215215", country="LY", label="Passport"),
                Identifier(type=T.PASSPORT, value="428720", country="LY", label="Passport"),
                Identifier(type=T.PASSPORT, value="B/011641", label="Passport"),
                Identifier(
                    type=T.PASSPORT,
                    value="03824970",
                    country="OM",
                    label="Passport",
                    note="issued 04 May 2014 expires 03 May 2024",
                ),
                Identifier(type=T.NATIONAL_ID, value="98606612", label="National ID No."),
            ],
            "remarks": [],
        },
    ),
    (
        "sdn 2021, ent 12057: date ranges and a month",
        "DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961; alt. DOB 1953; POB Najaf, Iraq; "
        "alt. POB Tehran, Iran; nationality Iran; Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Gender Male.",
        {
            "dates_of_birth": [
                DateOfBirth(start=P(year=1951), end=P(year=1953)),
                DateOfBirth(start=P(year=1960), end=P(year=1962)),
                DateOfBirth(date=P(year=1961, month=4)),
                DateOfBirth(date=P(year=1953)),
            ],
            "places_of_birth": [Address(full="Najaf, Iraq", country="IQ"), Address(full="Tehran, Iran", country="IR")],
            "nationalities": ["IR"],
            "gender": Gender.MALE,
            "remarks": ["Additional Sanctions Information - Subject to Secondary Sanctions"],
        },
    ),
    (
        "sdn 2021, ent 7940: a statement without the space after `;`",
        "DOB 01 Feb 1966; POB Hashmija, Iraq; nationality possibly Palestinian;arrested 23 Apr 2002; a.k.a. 'ABU ALI'.",
        {
            "nationalities": [],
            "aliases": [(NameQuality.WEAK, "ABU ALI")],
            "remarks": ["nationality possibly Palestinian", "arrested 23 Apr 2002"],
        },
    ),
    (
        "sdn 2021, ent 8103: the country of birth in brackets",
        "DOB 15 Jan 1973; POB Tunisi (Tunisia); nationality Tunisia; Passport M174950 issued 27 Apr 1999 expires "
        "26 Apr 2004; arrested 30 Sep 2002; a.k.a. 'NADRA'; a.k.a. 'ZARGA'.",
        {
            "places_of_birth": [Address(full="Tunisi (Tunisia)", country="TN")],
            "nationalities": ["TN"],
            "identifiers": [
                Identifier(
                    type=T.PASSPORT, value="M174950", label="Passport", note="issued 27 Apr 1999 expires 26 Apr 2004"
                )
            ],
            "remarks": ["arrested 30 Sep 2002"],
        },
    ),
    (
        "sdn 2021, ent 25308: digital currency addresses",
        "DOB 25 Mar 1977; POB Wuhan City, Hubei, China; citizen China; Gender Male; Digital Currency Address - XBT "
        "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h; alt. Digital Currency Address - XBT 1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo.",
        {
            "citizenships": ["CN"],
            "identifiers": [
                Identifier(
                    type=T.CRYPTO, value="12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", label="Digital Currency Address - XBT"
                ),
                Identifier(
                    type=T.CRYPTO, value="1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo", label="Digital Currency Address - XBT"
                ),
            ],
        },
    ),
    (
        "sdn 2021, ent 29584: e-mail stays in remarks; an ETH address; a weak alias with a comma",
        "DOB 14 Sep 1995; alt. DOB 14 Sep 1990; alt. DOB 08 Aug 1990; Email Address potekhinl4@bk.ru; Gender Male; "
        "Digital Currency Address - XBT 1Q9UAQbcDezmyouFrzt94t4dSMxgsUfW1X; alt. Digital Currency Address - XBT "
        "1Kys8fqDen8NGFUJ6AFcXfFW5qquuTH4eh; "
        "Digital Currency Address - ETH 0x7F367cC41522cE07553e823bf3be79A889DEbe1B; "
        "a.k.a. 'cronuswar'; a.k.a. 'SERGEY, Kireev Valerievich'.",
        {
            "gender": Gender.MALE,
            "aliases": [(NameQuality.WEAK, "cronuswar"), (NameQuality.WEAK, "SERGEY, Kireev Valerievich")],
            "remarks": ["Email Address potekhinl4@bk.ru"],
        },
    ),
    (
        "sdn 2021, ent 18337: vessel IMO and a linked company ending in an abbreviation",
        "Vessel Registration Identification IMO 8002664; Linked To: MILENYUM ENERGY S.A.",
        {
            "identifiers": [Identifier(type=T.IMO, value="8002664", label="Vessel Registration Identification IMO")],
            "linked_to": ["MILENYUM ENERGY S.A."],
            "remarks": [],
        },
    ),
    (
        "sdn 2021, ent 15036: former flags stay in remarks; IMO, MMSI, a weak f.k.a.",
        "Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; alt. Former Vessel Flag None Identified; "
        "alt. Former Vessel Flag Tanzania; Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Vessel Registration Identification IMO 9187629; MMSI 572469210; f.k.a. 'ALPHA'; "
        "Linked To: NATIONAL IRANIAN TANKER COMPANY.",
        {
            "identifiers": [
                Identifier(type=T.IMO, value="9187629", label="Vessel Registration Identification IMO"),
                Identifier(type=T.MMSI, value="572469210", label="MMSI"),
            ],
            "aliases": [(NameQuality.FORMER, "ALPHA")],
            "linked_to": ["NATIONAL IRANIAN TANKER COMPANY"],
            "remarks": [
                "Former Vessel Flag Malta",
                "alt. Former Vessel Flag Tuvalu",
                "alt. Former Vessel Flag None Identified",
                "alt. Former Vessel Flag Tanzania",
                "Additional Sanctions Information - Subject to Secondary Sanctions",
            ],
        },
    ),
    (
        "sdn 2021, ent 23510: the IMO company number",
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210; Transactions "
        "Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea Sanctions Regulations "
        "section 510.214; Company Number IMO 5055293.",
        {
            "identifiers": [Identifier(type=T.IMO, value="5055293", label="Company Number IMO")],
            "remarks": [
                "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and 510.210",
                "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions: North Korea "
                "Sanctions Regulations section 510.214",
            ],
        },
    ),
    (
        "sdn 2021, ent 23149: nationality of registration",
        "Nationality of Registration Korea, North; Company Number 5146578.",
        {
            "nationalities": ["KP"],
            "identifiers": [Identifier(type=T.REGISTRATION, value="5146578", label="Company Number")],
        },
    ),
    (
        "sdn 2021, ent 906: SWIFT/BIC; websites stay in remarks",
        "SWIFT/BIC HAVIGB2L; Website www.havanaintbank.co.uk; alt. Website www.hib.uk.com; "
        "Company Number 01074897 (United Kingdom).",
        {
            "identifiers": [
                Identifier(type=T.SWIFT_BIC, value="HAVIGB2L", label="SWIFT/BIC"),
                Identifier(type=T.REGISTRATION, value="01074897", country="GB", label="Company Number"),
            ],
            "remarks": ["Website www.havanaintbank.co.uk", "alt. Website www.hib.uk.com"],
        },
    ),
    (
        "sdn 2021, ent 18150: aircraft serial and tail numbers",
        "Aircraft Manufacture Date 2002; Aircraft Model Airbus A340-642; Aircraft Manufacturer's Serial Number (MSN) "
        "391; Aircraft Tail Number EP-MMH; Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Linked To: MAHAN AIR.",
        {
            "identifiers": [
                Identifier(type=T.AIRCRAFT_SERIAL, value="391", label="Aircraft Manufacturer's Serial Number (MSN)"),
                Identifier(type=T.AIRCRAFT_TAIL, value="EP-MMH", label="Aircraft Tail Number"),
            ],
            "linked_to": ["MAHAN AIR"],
            "remarks": [
                "Aircraft Manufacture Date 2002",
                "Aircraft Model Airbus A340-642",
                "Additional Sanctions Information - Subject to Secondary Sanctions",
            ],
        },
    ),
    (
        "sdn 2021, ent 13124: the list's closing period taken from `LTD.`",
        "DOB 01 Jan 1979; POB Nava, Lash Kargah, Afghanistan; nationality Afghanistan; Linked To: NEW AHMADI LTD.",
        {"nationalities": ["AF"], "linked_to": ["NEW AHMADI LTD"]},
    ),
    (
        "cons 2025-12-19, ent 9639",
        "DOB 1962; POB Shati.",
        {"dates_of_birth": [DateOfBirth(date=P(year=1962))], "places_of_birth": [Address(full="Shati")]},
    ),
]


@pytest.mark.parametrize(("origin", "text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_remarks(origin: str, text: str, expected: dict[str, Any]) -> None:
    facts = parse_remarks(text)
    for name, value in expected.items():
        assert getattr(facts, name) == value, f"{origin}: {name}"


def test_no_remarks() -> None:
    facts = parse_remarks(None)
    assert facts.remarks == [] and facts.identifiers == [] and facts.gender is None


def test_split_keeps_abbreviation_at_end() -> None:
    assert split_remarks("DOB 1962; POB Shati.") == ["DOB 1962", "POB Shati"]
    assert split_remarks("Linked To: GALAPAGOS S.A.") == ["Linked To: GALAPAGOS S.A."]
