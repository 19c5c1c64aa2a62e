"""Write the shipped EU goods rules from the team-compiled tables: the YAML files are what ships, this is how.

Reads the tables in `../shared/data/goods` (read-only: the 2023 baseline, and `eu-2025/`, current to Council
Regulation (EU) 2025/2033 of 23 October 2025) and the transcription of Annex XVIII to Regulation (EC)
No 765/2006 in `bench/goods_rules_data/`, and writes into `src/clearance/goods/data/`:

- `eu-833-annex-vii.yaml`: Annex VII, Part A items with their full text, keywords and code hints; Part B codes;
- `eu-833-annex-xxiii.yaml` (as replaced by 2025/2033) and the wind-down lists `eu-833-annex-xxiiie/f/g.yaml`;
- `eu-833-annex-xxiiia.yaml`, `eu-833-annex-xxiiib.yaml`: the deleted annexes, kept as history;
- `eu-833-annex-xl.yaml`, `eu-833-annex-iv.yaml` (the regime) and `eu_annex_iv_entities.csv` (the list);
- `eu-765-annex-va.yaml` (mirrors Annex VII) and `eu-765-annex-xviii.yaml` (transcribed: it differs from XXIII).

`rules.yaml` (the manifest and its version) is edited by hand. Run, then review the diff:

    .venv/bin/python bench/goods_rules.py               # write
    .venv/bin/python bench/goods_rules.py --check       # exit 1 when a shipped file differs from what it would write
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from clearance.lists.eu_annex_iv import ACT_DATES as ANNEX_IV_ACTS
from clearance.lists.eu_annex_iv import COLUMNS as IV_COLUMNS

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GOODS = ROOT.parent / "shared" / "data" / "goods"
EU_2025 = GOODS / "eu-2025"
OUT = ROOT / "src" / "clearance" / "goods" / "data"
XVIII = BENCH / "goods_rules_data" / "765_annex_xviii_2025_2041.md"

REG_833 = {"act": "Council Regulation (EU) No 833/2014", "url": "https://eur-lex.europa.eu/eli/reg/2014/833/oj"}
REG_765 = {"act": "Council Regulation (EC) No 765/2006", "url": "https://eur-lex.europa.eu/eli/reg/2006/765/oj"}
LEGALIZE = "github.com/legalize-dev/legalize-eu"
COMMITS = {
    "2023/427": "eu/27/32023R0427.md @ bd2a771fee931853f16653dffd755c21671177b8",
    "2023/1214": "eu/69/32023R1214.md @ 7344d86a62057bb632459d45bd9d6978a17c43fb",
    "2023/2878": "eu/1d/32023R2878.md @ 053224f8f2e1d2668942ecc6d3f43a2f270d9e06",
    "2024/745": "eu/e2/32024R0745.md @ 4fd943eb9809afcf752ec6dec9c42c7b088b9a7a",
    "2024/1745": "eu/8f/32024R1745.md @ 4fdca2e2d7953fa3ff1c6773a921490c0bdd94e9",
    "2024/3192": "eu/1a/32024R3192.md @ 64c949c1d737655d4022be6cb5e1ae4464b50e44",
    "2025/395": "eu/81/32025R0395.md @ 8e4e96a2918088dc05d0f5f2f545bc047fe626da",
    "2025/932": "eu/fc/32025R0932.md @ 37fe028dfd74a686a10b98b4b90148c7f4d18220",
    "2025/1494": "eu/33/32025R1494.md @ 165da6669e90f515449b2bf1fbaab66250d7d481",
    "2025/2033": "eu/63/32025R2033.md @ 4be370a929b73c906c2f3ecf27f7c71a020876ea",
    "2025/2041": "eu/86/32025R2041.md @ a685245ec1a124389d90e1539f534047d9e0bc78",
}
ACT_DATES = {**ANNEX_IV_ACTS, "2025/2041": dt.date(2025, 10, 23)}
"""The acts of the Annex IV list source, and the Belarus act of the 19th package."""
"""Dates of the Council Regulations (the date each bears; each entered into force the day after publication)."""
LATER = (
    "Acts after Regulation (EU) 2025/2033 (20th package, Regulation (EU) 2026/506 of 23 April 2026; 21st package, "
    "July 2026, Decision (CFSP) 2026/1849, regulation number not known) are not encoded: their texts were not "
    "available to read, so any change they made to this annex is missing."
)
NO_CONSOLIDATED = (
    "No consolidated text of Regulation 833/2014 could be checked: the annex is rebuilt from the amending acts, "
    "whose Markdown renderings of EUR-Lex (legalize-dev/legalize-eu) were read, not the Official Journal itself."
)
_ACT = re.compile(r"Regulation \(EU\) (\d{4}/\d+)")
_CAS = re.compile(r"\b\d{2,7}-\d{2}-\d\b")


def act(number: str) -> str:
    return f"Regulation (EU) {number}"


def eli(number: str) -> str:
    year, serial = number.split("/")
    return f"https://eur-lex.europa.eu/eli/reg/{year}/{serial}/oj"


def acts(*numbers: str) -> dict[str, dict[str, Any]]:
    """The `acts` table of a regime, oldest first."""
    ordered = sorted(set(numbers), key=lambda n: (ACT_DATES[n], n))
    return {act(n): {"date": ACT_DATES[n], "url": eli(n)} for n in ordered}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def number_of(text: str) -> str:
    found = _ACT.search(text)
    if found is None:
        raise ValueError(f"no act in {text!r}")
    return found.group(1)


def source(title: str, number: str) -> dict[str, str]:
    return {"title": title, "url": eli(number)}


# --- Annex VII Part A: what a description or a code may name each item by --------------------------------------------

PART_A_TERMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "X.A.I.001": (
        (
            "microcontroller",
            "microprocessor",
            "EEPROM",
            "SRAM",
            "analogue-to-digital converter",
            "analog-to-digital converter",
            "field programmable gate array",
            "FPGA",
            "FFT processor",
            "travelling-wave tube",
            "traveling-wave tube",
            "surface acoustic wave",
            "thyratron",
            "ceramic frequency filter",
            "cermet trimmer",
            "SMD inductor",
            "surface mounted device inductor",
            "superconductive electromagnet",
        ),
        ("854231", "854232", "854239", "8540", "850450"),
    ),
    "X.A.I.002": (("oscilloscope", "transient recorder", "magnetic tape data recorder"), ("903020",)),
    "X.A.I.003": (
        (
            "frequency changer",
            "frequency converter",
            "mass spectrometer",
            "flash X-ray",
            "Marx generator",
            "pulse amplifier",
            "time delay generator",
            "chromatograph",
            "spectrometer",
        ),
        ("902720", "902730", "902781"),
    ),
    "X.B.I.001": (("semiconductor manufacturing equipment", "wafer processing equipment"), ("8486",)),
    "X.B.I.002": (("semiconductor test equipment", "wafer prober"), ("903082",)),
    "X.B.I.003": (
        ("PCB manufacturing", "solder mask coating", "photo plotter", "roll laminator", "PCB etching"),
        (),
    ),
    "X.B.I.004": (("automated optical inspection",), ()),
    "X.C.I.001": (("positive resist", "photoresist"), ()),
    "X.C.I.002": (("PCB substrate", "FR-4", "copper clad laminate", "ferric chloride", "cupric chloride"), ()),
    "X.A.II.001": (("digital computer", "rugged computer", "industrial computer"), ("8471",)),
    "X.A.III.101": (
        ("telecommunication equipment", "telecommunications equipment", "modem", "transceiver", "multiplexer"),
        ("851762", "851769"),
    ),
    "X.B.III.101": (("telecommunications test equipment",), ()),
    "X.C.III.101": (("optical fibre preform", "optical fiber preform"), ()),
    "X.A.III.201": (("mass market encryption",), ()),
    "X.A.IV.001": (("sonar", "hydrophone", "underwater acoustic", "echo sounder"), ("901480",)),
    "X.A.IV.002": (("image intensifier", "microchannel plate", "night vision"), ("854020",)),
    "X.A.IV.003": (
        ("thermal camera", "thermal imaging camera", "thermographic camera", "infrared camera", "thermal imager"),
        ("852589",),
    ),
    "X.A.IV.004": (("optical filter", "optical coating"), ("9002",)),
    "X.A.IV.005": (
        (
            "laser source",
            "laser diode",
            "semiconductor laser",
            "fibre laser",
            "fiber laser",
            "CO2 laser",
            "carbon dioxide laser",
            "ruby laser",
            "pulsed laser",
            "laser module",
            "industrial laser",
        ),
        ("901320",),
    ),
    "X.A.IV.006": (("magnetometer", "gradiometer", "superconductive electromagnetic sensor"), ()),
    "X.A.IV.007": (("gravimeter", "gravity meter"), ("901580",)),
    "X.A.IV.008": (("radar", "lidar"), ("852610",)),
    "X.A.IV.009": (("seismic detection", "radiation hardened camera", "seismic intrusion detection"), ()),
    "X.C.IV.001": (("optical sensing fibre", "optical sensing fiber"), ()),
    "X.C.IV.002": (("fluoride glass", "fluoride fibre preform"), ()),
    "X.A.V.001": (
        ("avionics", "inertial navigation", "airborne communication", "flight data recorder"),
        ("901420", "852691"),
    ),
    "X.B.V.001": (("avionics test equipment",), ()),
    "X.A.VI.001": (
        (
            "underwater camera",
            "underwater television",
            "underwater vision",
            "marine boiler",
            "inflatable boat",
            "submersible vehicle",
            "remotely operated vehicle",
        ),
        ("8903", "8906"),
    ),
    "X.A.VII.001": (("diesel engine", "road tractor", "wheel tractor", "off-highway tractor"), ("8408", "8701")),
    "X.A.VII.002": (("gas turbine", "turbojet", "turbofan", "turboprop", "turboshaft"), ("8411",)),
    "X.A.VII.003": (("aircraft engine", "aero engine", "UAV engine", "drone engine", "drone motor"), ("840710",)),
    "X.B.VII.001": (("vibration test equipment", "vibration test system", "vibration shaker"), ()),
    "X.B.VII.002": (("turbine blade",), ()),
    "X.A.VIII.001": (
        ("measurement while drilling", "hydrogen sulphide detector", "seismic vibrator", "sediment echo sounder"),
        (),
    ),
    "X.A.VIII.002": (("quantum computer", "qubit", "quantum sensor", "pockels cell", "quantum processing unit"), ()),
    "X.A.VIII.003": (
        (
            "electron microscope",
            "scanning electron microscope",
            "transmission electron microscope",
            "atomic force microscope",
            "scanning force microscope",
            "auger microscope",
        ),
        ("9012",),
    ),
    "X.A.VIII.004": (("deep seabed",), ()),
    "X.A.VIII.005": (
        (
            "additive manufacturing",
            "3D printer",
            "metal 3D printer",
            "selective laser melting",
            "laser sintering",
            "electron beam melting",
            "laser cladding",
            "stereolithography",
        ),
        ("8485",),
    ),
    "X.A.VIII.006": (("printed electronics", "OLED production equipment"), ()),
    "X.A.VIII.007": (("MEMS",), ()),
    "X.A.VIII.008": (("e-fuel", "electrofuel", "synthetic fuel"), ()),
    "X.A.VIII.009": (
        ("ultra-high vacuum", "UHV pump", "turbomolecular pump", "ion getter pump", "cryopump"),
        ("841410",),
    ),
    "X.A.VIII.010": (("cryogenic refrigeration", "cryostat", "dilution refrigerator", "pulse tube", "dewar"), ()),
    "X.A.VIII.011": (("decapsulation",), ()),
    "X.A.VIII.012": (("photodetector",), ()),
    "X.A.VIII.013": (("numerically controlled machine tool", "CNC machine tool"), ()),
    "X.A.VIII.014": (("water cannon",), ()),
    "X.A.VIII.015": (("police baton", "side handle baton", "tonfa", "sjambok", "striking weapon"), ()),
    "X.A.VIII.016": (("police helmet", "police shield", "riot shield", "riot helmet"), ()),
    "X.A.VIII.017": (("handcuffs", "leg irons", "shackle", "restraint chair", "stun cuffs", "shock belt"), ()),
    "X.A.VIII.018": (("hydraulic fracturing", "fracking", "proppant"), ()),
    "X.A.VIII.019": (("ring magnet",), ()),
    "X.A.VIII.020": (("stun gun", "electric shock baton", "electric discharge weapon", "electroshock weapon"), ()),
    "X.A.VIII.021": (("pepper spray", "PAVA", "oleoresin capsicum", "irritant spray"), ()),
    "X.A.VIII.022": (("barbiturate",), ()),
    "X.A.VIII.023": (
        (
            "camouflage",
            "tactical clothing",
            "tactical vest",
            "tactical footwear",
            "military tent",
            "military netting",
            "carrying system",
        ),
        (),
    ),
    "X.A.VIII.024": (("all-terrain vehicle", "ATV", "quad bike"), ()),
    "X.B.VIII.001": (("hot cell", "glove box"), ()),
    "X.C.VIII.001": (("metal powder", "metal alloy powder"), ()),
    "X.C.VIII.002": (
        ("metamaterial", "high entropy alloy", "Heusler compound", "adaptive camouflage", "cloaking material"),
        (),
    ),
    "X.C.VIII.003": (("conjugated polymer", "conductive polymer"), ()),
    "X.C.VIII.004": (("energetic material", "black powder", "TNT", "PETN", "nitroglycerin", "lead azide"), ()),
    "X.C.VIII.005": (("propellant precursor", "EDTA", "HTPE"), ()),
    "X.A.IX.001": (("tear gas", "smoke bomb", "smoke grenade", "smoke flare", "pyrotechnic"), ()),
    "X.A.IX.002": (("fingerprinting powder", "fingerprint powder"), ()),
    "X.A.IX.003": (("dosimeter", "radiation monitoring dosimeter"), ()),
    "X.A.IX.004": (("radiation detection", "radiation monitoring", "radiation detector"), ("903010",)),
    "X.B.IX.001": (("fluorine production", "electrolytic cell"), ()),
    "X.C.IX.002": (("fentanyl", "alfentanil", "sufentanil", "remifentanil", "carfentanil"), ()),
    "X.C.IX.004": (("carbon fibre", "carbon fiber", "fibrous material", "filamentary material"), ("681511",)),
    "X.C.IX.005": (("vaccine", "immunotoxin"), ()),
    "X.C.IX.006": (("shaped charge", "detonation cord", "shock tube", "nitrogen trifluoride"), ()),
    "X.C.IX.008": (("PEEK", "PEKK", "polyether ether ketone", "polyether ketone", "polyarylene ether ketone"), ()),
    "X.C.IX.009": (("precision ball bearing", "stainless steel plate", "Monel plate", "nitric acid"), ()),
    "X.C.IX.010": (("aramid", "aromatic polyamide"), ()),
    "X.C.IX.011": (
        ("nanomaterial", "carbon nanotube", "carbon nanofibre", "carbon nanofiber", "graphene", "fullerene"),
        (),
    ),
    "X.C.IX.012": (
        (
            "rare earth",
            "rare earth metal",
            "rare earth compound",
            "rare earth oxide",
            "scandium",
            "yttrium",
            "lanthanum",
            "cerium",
            "praseodymium",
            "neodymium",
            "promethium",
            "samarium",
            "europium",
            "gadolinium",
            "terbium",
            "dysprosium",
            "holmium",
            "erbium",
            "thulium",
            "ytterbium",
            "lutetium",
        ),
        ("280530", "2846"),
    ),
    "X.C.IX.013": (("tungsten", "tungsten carbide", "wolfram"), ("8101",)),
    "X.C.IX.014": (
        (
            "lithium compound",
            "lithium metal",
            "lithium carbonate",
            "lithium hydroxide",
            "lithium oxide",
            "lithium cobalt oxide",
            "lithium iron phosphate",
            "lithium manganese oxide",
            "lithium nickel manganese cobalt oxide",
            "lithium titanate",
        ),
        ("283691", "282520", "280519"),
    ),
    "X.C.IX.015": (("UHMWPE", "ultra-high-molecular-weight polyethylene"), ()),
    "X.C.IX.016": (("molybdenum",), ("8102",)),
    "X.A.X.001": (("explosives detection", "explosive detector", "explosives detector", "explosive trace"), ()),
    "X.A.X.002": (("concealed object detection", "body scanner"), ()),
    "X.A.X.003": (
        ("precision bearing", "ball bearing", "roller bearing", "magnetic bearing", "foil bearing"),
        ("8482",),
    ),
    "X.A.X.004": (("stainless steel pipe", "stainless steel valve", "nickel alloy pipe", "pressure tube"), ()),
    "X.A.X.005": (("electromagnetic pump", "molten metal pump"), ()),
    "X.A.X.006": (("portable generator", "portable electric generator"), ("8502",)),
    "X.A.X.007": (("bellows sealed valve", "bellows valve"), ()),
    "X.B.X.001": (("continuous flow reactor", "flow reactor"), ()),
    "X.B.X.002": (("nucleic acid synthesizer", "DNA synthesizer", "oligonucleotide synthesizer"), ()),
    "X.B.X.003": (("peptide synthesizer",), ()),
    "X.B.X.004": (
        (
            "CNC",
            "numerical control",
            "numerically controlled",
            "machining centre",
            "machining center",
            "motion control board",
            "CNC lathe",
            "CNC milling",
        ),
        ("8456", "8457", "8458", "8459", "8460", "8461", "8462", "8463", "8464", "8465", "853710"),
    ),
    "X.B.X.005": (("diamond turning", "single point diamond"), ()),
    "X.B.X.006": (("gear cutting", "gear grinding", "gear hobbing", "gearmaking"), ("846140",)),
    "X.B.X.007": (("coordinate measuring machine", "dimensional inspection", "CMM"), ("903180",)),
    "X.B.X.008": (("industrial robot", "robot arm", "robotic arm"), ("847950",)),
    "X.B.X.009": (("spindle assembly", "machine tool spindle"), ("846693",)),
    "X.B.X.010": (("isostatic press", "laser welding machine", "MIG welder", "e-beam welder", "bellows forming"), ()),
    "X.B.X.011": (("fume hood",), ()),
    "X.B.X.012": (("biosafety cabinet", "glove box"), ()),
    "X.B.X.013": (("centrifuge",), ()),
    "X.B.X.014": (("fermenter", "bioreactor"), ()),
    "X.B.X.015": (("reaction vessel", "distillation column", "absorption column", "agitator"), ()),
    "X.B.X.016": (("clean room", "clean-air room", "HEPA filter unit"), ()),
    "X.B.X.017": (("vacuum pump",), ("841410",)),
    "X.B.X.018": (("chemical analysis equipment", "gas chromatograph"), ()),
    "X.B.X.019": (("chlor-alkali",), ()),
    "X.B.X.020": (("chlor-alkali",), ()),
    "X.B.X.021": (("chlor-alkali",), ()),
    "X.B.X.022": (("chlor-alkali",), ()),
    "X.B.X.023": (("chlor-alkali",), ()),
    "X.B.X.024": (("chlor-alkali",), ()),
    "X.B.X.025": (("chlor-alkali",), ()),
    "X.B.X.026": (("chlorine compressor",), ()),
    "X.B.X.027": (("microwave reactor",), ()),
    "X.D.X.007": (("CNC software",), ()),
}
"""Chosen by reading each item: terms a shipment description would use for the goods, multi-word where one word
names too much (`laser source`, not `laser`, which every laser printer carries), and the HS/CN headings such goods
are usually declared under. Chemical items also get every substance named with a CAS number, and the number."""
_NOT_ALONE = {"lithium", "mercury", "ethylene", "sodium metal"}
"""Substances whose bare name names other goods far more often (lithium batteries, Mercury engines, ethylene
glycol): their listed compounds, named in full, remain keywords."""


def cas_terms(text: str) -> list[str]:
    """The substances an item names with a CAS number, and the numbers: `Lithium carbonate (CAS 554-13-2)`."""
    terms: list[str] = []
    for found in re.finditer(r"\((?:CAS\s*)?\d{2,7}-\d{2}-\d", text):
        before = re.split(r";|:|\),\s|\s(?:[a-z]{1,2}|\d{1,3})\.\s", text[: found.start()])[-1].strip()
        name = re.sub(r"\s*\([^()]*\)\s*$", "", before)
        name = re.sub(r",?\s+in any isomeric form$", "", name).strip(" ,.")
        if 4 <= len(name) <= 60 and sum(c.isalpha() for c in name) >= 4 and name.lower() not in _NOT_ALONE:
            terms.append(name[0].lower() + name[1:] if name[:2].istitle() else name)
    terms += _CAS.findall(text)
    return terms


def part_a_terms(item: str, text: str) -> tuple[list[str], list[str]]:
    words, hints = PART_A_TERMS.get(item, ((), ()))
    keywords = list(dict.fromkeys([*words, *cas_terms(text)]))
    return keywords, list(hints)


# --- Annex VII -----------------------------------------------------------------------------------------------------


def vii_rule(row: dict[str, str]) -> dict[str, Any]:
    """One entry of Annex VII: `added_by` where the table names one act, a note where it qualifies or cannot."""
    listed = row["added_by_act"]
    plain = re.fullmatch(r"Regulation \(EU\) \d{4}/\d+", listed)
    qualified = re.fullmatch(r"(Regulation \(EU\) \d{4}/\d+) \((.*)\)", listed)
    rule: dict[str, Any] = {}
    if row["part"] == "A":
        rule["item"] = row["item_code"]
    else:
        rule["code"] = row["cn_code"]
        rule["printed"] = row["item_code"]
    rule["part"] = row["part"]
    rule["group"] = row["category"]
    rule["description"] = row["description"]
    if row["truncated"] == "yes":
        rule["truncated"] = True
    if plain:
        rule["added_by"] = listed
    elif qualified and "not resolved" not in qualified.group(2):
        rule["added_by"] = qualified.group(1)
        rule["listing_note"] = qualified.group(2)
    else:
        rule["listing_note"] = listed
    rule["listed_in"] = row["text_as_of_act"]
    if row["part"] == "A":
        keywords, hints = part_a_terms(row["item_code"], row["description"])
        if keywords:
            rule["keywords"] = keywords
        if hints:
            rule["hints"] = hints
    return rule


def annex_vii() -> dict[str, Any]:
    table = rows(EU_2025 / "eu_annex_vii_2025.csv")
    rules = [vii_rule(r) for r in table]
    cited = {number_of(r[k]) for r in rules for k in ("added_by", "listed_in") if r.get(k)}
    part_a = [r for r in table if r["part"] == "A"]
    part_b = [r for r in table if r["part"] == "B"]
    unresolved = sum("added_by" not in r for r in rules if "item" in r)
    searchable = sum("keywords" in r or "hints" in r for r in rules if "item" in r)
    by_act: dict[str, int] = {}
    for row in part_b:
        by_act[number_of(row["added_by_act"])] = by_act.get(number_of(row["added_by_act"]), 0) + 1
    added = ", ".join(f"{n} by {number}" for number, n in sorted(by_act.items(), key=lambda x: ACT_DATES[x[0]]))
    return {
        "id": "eu-833-annex-vii",
        "title": "EU Annex VII to Regulation 833/2014: goods and technology which might contribute to Russia's "
        "military and technological enhancement",
        "kind": "export_ban",
        "authority": "EU",
        "legal_basis": {**REG_833, "annex": "VII", "article": "Articles 2a(1) and 2b(1)"},
        "applies_to": ["RU"],
        "effect": "prohibited",
        "as_of": ACT_DATES["2025/2033"],
        "latest_act": act("2025/2033"),
        "coverage": (
            f"Annex VII as in force after Regulation (EU) 2025/2033 (19th package). Part B: all {len(part_b)} CN "
            f"codes in ten groups, each with the act that first listed it ({added}). Part A: all {len(part_a)} "
            "items, categories I to X, in full text: the replacement text of Regulation (EU) 2025/932 with the "
            "amendments of 2025/1494 (X.C.VIII.005 inserted) and 2025/2033 (X.A.I.001 point q added, X.A.VIII.023 "
            "and X.C.VIII.005 replaced, X.C.IX.016 inserted) applied; `listed_in` names the act whose text of the "
            "item was read. Part A items are defined by description, not by code: they are never matched by code, "
            f"but {searchable} carry keywords and HS/CN code hints that point a reviewer to them (rare-earth metals "
            "and compounds, X.C.IX.012: hints 2805 30 and 2846). The Regulation's own exemptions and derogations "
            "are not encoded, nor the authorisation that Article 2a(1aa) (inserted by 2025/1494) lets a competent "
            "authority require for exports of these goods to third countries: a reason of this regime means "
            "prohibited unless one of them applies."
        ),
        "gaps": [
            LATER,
            f"The first listing act of {unresolved} Part A items is not resolved (mostly Regulation (EU) 2023/427 "
            "or earlier; eight items were added after 2023/427, by or before 2025/932): those rules have no "
            "effective date.",
            "Part A keywords and code hints are the clearance team's reading of each item, not legal text: a "
            "description that names none of them may still describe a listed item.",
            NO_CONSOLIDATED,
        ],
        "sources": [
            source(
                f"eu-2025/eu_annex_vii_2025.csv, compiled by the clearance team from the Official Journal texts of "
                f"Regulations (EU) 2023/2878 to 2025/2033 ({LEGALIZE} {COMMITS['2025/932']}, "
                f"{COMMITS['2025/1494']}, {COMMITS['2025/2033']}; Part B attribution from the full Part B texts "
                "of 2023/2878, 2024/745, 2024/1745, 2025/395 and 2025/932)",
                "2025/2033",
            )
        ],
        "acts": acts(*cited),
        "rules": rules,
    }


# --- Annex XXIII and its wind-down lists ---------------------------------------------------------------------------


def xxiii_note(status: str) -> str:
    if status.startswith("same code"):
        return "listed with this code by Regulation (EU) 2023/1214 or earlier (first listing act not resolved)"
    if status.startswith("NEW since"):
        return "added after Regulation (EU) 2023/1214, by 2025/2033 or an act before it (act not resolved)"
    narrower = status.rsplit(":", 1)[1].split()
    from_codes = ", ".join(format_code(c) for c in narrower)
    return (
        f"broadened after Regulation (EU) 2023/1214, which listed only {from_codes}, by 2025/2033 or an act "
        "before it (act not resolved)"
    )


def format_code(code: str) -> str:
    return code if len(code) <= 4 else " ".join([code[:4], *(code[i : i + 2] for i in range(4, len(code), 2))])


def cn_rule(row: dict[str, str]) -> dict[str, Any]:
    """A rule of an eu-2025 CN table row (code as printed, `ex`, description), before its listing act."""
    rule: dict[str, Any] = {"code": row["cn_code"], "printed": row["cn_code_as_printed"]}
    if row["ex_code"] == "yes":
        rule["ex"] = True
    rule["description"] = row["description"]
    return rule


def annex_xxiii() -> dict[str, Any]:
    table = rows(EU_2025 / "eu_annex_xxiii_2025.csv")
    status = [r["status_vs_2023_1214"] for r in table]
    rules = []
    for row in table:
        rule = cn_rule(row)
        rule["listed_in"] = row["source_act"]
        rule["listing_note"] = xxiii_note(row["status_vs_2023_1214"])
        rules.append(rule)
    same = sum(s.startswith("same") for s in status)
    new = sum(s.startswith("NEW since") for s in status)
    broader = sum(s.startswith("NEW broader") for s in status)
    ex = sum(r.get("ex", False) for r in rules)
    return {
        "id": "eu-833-annex-xxiii",
        "title": "EU Annex XXIII to Regulation 833/2014: goods which could contribute to the enhancement of Russian "
        "industrial capacities",
        "kind": "export_ban",
        "authority": "EU",
        "legal_basis": {**REG_833, "annex": "XXIII", "article": "Article 3k"},
        "applies_to": ["RU"],
        "effect": "prohibited",
        "as_of": ACT_DATES["2025/2033"],
        "latest_act": act("2025/2033"),
        "exemptions": [
            {
                "text": "Contracts concluded before 26 February 2023 for goods that Regulation (EU) 2023/427 added to "
                "Annex XXIII could be executed until 27 March 2023 (expired; which rows those were is not "
                "recorded).",
                "article": "Article 3k(3c)",
            },
            {
                "text": "Goods of the CN codes of Annex XXIIIE: contracts concluded before 20 July 2025 could be "
                "executed until 21 October 2025 (inserted by Regulation (EU) 2025/1494; expired; regime "
                "eu-833-annex-xxiiie).",
                "article": "Article 3k(3ah)",
            },
            {
                "text": "Goods of the CN codes of Annex XXIIIF: contracts concluded before 20 July 2025 could be "
                "executed until 21 January 2026 (inserted by Regulation (EU) 2025/1494; expired; regime "
                "eu-833-annex-xxiiif).",
                "article": "Article 3k(3ai)",
            },
            {
                "text": "Goods of the CN codes of Annex XXIIIG: contracts concluded before 24 October 2025 could be "
                "executed until 25 January 2026 (inserted by Regulation (EU) 2025/2033; expired; regime "
                "eu-833-annex-xxiiig).",
                "article": "Article 3k(3aj)",
            },
            {
                "text": "Goods of CN codes 6902 and 6909 19: contracts concluded before 24 October 2025 could be "
                "executed until 25 April 2026 (inserted by Regulation (EU) 2025/2033; expired).",
                "article": "Article 3k(3ak)",
            },
        ],
        "coverage": (
            f"The {len(rules)} rows of Annex XXIII as replaced in full by Regulation (EU) 2025/2033 (its Annex "
            f"VIII): {same} codes as in the list of Regulation (EU) 2023/1214, {new} new codes and {broader} "
            "broader codes (chapters and headings) replacing narrower ones; no code of the 2023/1214 list is left "
            f"uncovered. {ex} rows are `ex` codes: only the part of the code that the description states is listed. "
            "Every code of the deleted Annexes XXIIIA and XXIIIB is within a code of this list. Two printed codes "
            "are not HS 2022 subheadings: 4418 60 (posts and beams of wood; HS 2022 moved them to 4418 30) and ex 98 "
            "(complete industrial plants, a CN-only chapter). The wind-down periods for earlier contracts are the "
            "regimes eu-833-annex-xxiiie, -xxiiif and -xxiiig (all over); the Regulation's other exemptions and "
            "derogations (Article 3k(3) onward, among them 3k(5a), 5h and 5i) are not encoded."
        ),
        "gaps": [
            LATER,
            f"The act that added each of the {new + broader} new or broadened codes is not resolved: Annex XXIII "
            "was replaced in full by 2024/1745, 2025/395, 2025/1494 and 2025/2033, and only the 2025/2033 text "
            "was transcribed, so no rule has an effective date.",
            NO_CONSOLIDATED,
        ],
        "sources": [
            source(
                "eu-2025/eu_annex_xxiii_2025.csv, compiled by the clearance team from the Official Journal text of "
                f"Regulation (EU) 2025/2033, Annex VIII ({LEGALIZE} {COMMITS['2025/2033']}), compared row by row "
                "with the 2023/1214 list",
                "2025/2033",
            )
        ],
        "acts": acts("2025/2033"),
        "rules": rules,
    }


WIND_DOWN = {
    "XXIIIE": ("3ah", "2025/1494", dt.date(2025, 7, 20), dt.date(2025, 10, 21), "Annex V"),
    "XXIIIF": ("3ai", "2025/1494", dt.date(2025, 7, 20), dt.date(2026, 1, 21), "Annex VI"),
    "XXIIIG": ("3aj", "2025/2033", dt.date(2025, 10, 24), dt.date(2026, 1, 25), "Annex IX"),
}


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def wind_down(annex: str) -> dict[str, Any]:
    paragraph, number, before, until, where = WIND_DOWN[annex]
    table = [r for r in rows(EU_2025 / "eu_annex_xxiii_efg_2025.csv") if r["annex"] == annex]
    rules = []
    for row in table:
        rule = cn_rule(row)
        rule["added_by"] = row["source_act"]
        rules.append(rule)
    within = sum(r["also_within_annex_xxiii_2025"] == "yes" for r in table)
    wording = (
        f"With regard to the goods falling under the CN codes listed in Annex {annex}, the prohibitions in "
        f"paragraphs 1 and 2 shall not apply to the execution until {long_date(until)} of contracts concluded "
        f"before {long_date(before)}, or of ancillary contracts necessary for the execution of such contracts."
    )
    return {
        "id": f"eu-833-annex-{annex.lower()}",
        "title": f"EU Annex {annex} to Regulation 833/2014: Annex XXIII goods whose ban did not yet bind contracts "
        f"concluded before {long_date(before)} (wind-down until {long_date(until)})",
        "kind": "wind_down",
        "authority": "EU",
        "legal_basis": {**REG_833, "annex": annex, "article": f"Article 3k({paragraph})"},
        "applies_to": ["RU"],
        "effect": "review",
        "as_of": ACT_DATES[number],
        "latest_act": act(number),
        "transition": {"regime": "eu-833-annex-xxiii", "contracts_before": before, "until": until},
        "coverage": (
            f"The {len(rules)} CN codes of Annex {annex}, added by Regulation (EU) {number} ({where} to it). Article "
            f"3k({paragraph}), inserted by the same Regulation, reads: '{wording}' Paragraphs 1 and 2 of Article 3k "
            f"are the Annex XXIII export ban and the related services; {within} of the {len(rules)} codes are "
            "within a code of Annex XXIII as replaced by 2025/2033. The list does not prohibit anything itself: "
            "during the period it takes earlier contracts out of the Annex XXIII ban, so a shipment to Russia of "
            "these goods then calls for review of the contract date; after it, the ban applies in full, and the "
            f"regime is matched only for a date up to {long_date(until)}."
        ),
        "gaps": [
            LATER,
            "Whether a shipment executes a contract concluded before the cut-off date is for the exporter to "
            "show: clearance does not know the contract.",
        ],
        "sources": [
            source(
                f"eu-2025/eu_annex_xxiii_efg_2025.csv, compiled by the clearance team from the Official Journal "
                f"text of Regulation (EU) {number}, {where} ({LEGALIZE} {COMMITS[number]}); Article 3k({paragraph}) "
                f"read in Article 1 of the same text",
                number,
            )
        ],
        "acts": acts(number),
        "rules": rules,
    }


def deleted(annex: str) -> dict[str, Any]:
    """Annexes XXIIIA and XXIIIB as inserted by 2023/2878, kept as history after their deletion."""
    paragraph, repeal, in_force, count_word = {
        "XXIIIA": ("3aa", "2024/1745", dt.date(2024, 6, 25), "154"),
        "XXIIIB": ("3ab", "2025/395", dt.date(2025, 2, 25), "28"),
    }[annex]
    table = [r for r in rows(GOODS / "eu_annex_xxiii_cn.csv") if r["annex"] == annex]
    covered = [r for r in rows(EU_2025 / "eu_annex_xxiiiab_coverage_in_xxiii_2025.csv") if r["deleted_annex"] == annex]
    rules = [{"code": r["cn_code"], "description": r["description"], "added_by": r["source_act"]} for r in table]
    inside = sum(r["covered"] == "yes" for r in covered)
    return {
        "id": f"eu-833-annex-{annex.lower()}",
        "title": f"EU Annex {annex} to Regulation 833/2014: industrial goods inserted by the 12th package (deleted "
        f"by Regulation (EU) {repeal})",
        "kind": "export_ban",
        "authority": "EU",
        "legal_basis": {**REG_833, "annex": annex, "article": f"Article 3k({paragraph})"},
        "applies_to": ["RU"],
        "effect": "prohibited",
        "as_of": ACT_DATES["2023/2878"],
        "latest_act": act("2023/2878"),
        "repealed": {"act": act(repeal), "date": in_force, "url": eli(repeal)},
        "coverage": (
            f"The {count_word} CN codes of Annex {annex} as inserted by Regulation (EU) 2023/2878 of 18 December "
            f"2023 (its Annex VI). Regulation (EU) {repeal} deleted the annex (in force {long_date(in_force)}): the "
            "rules are history, matched only for a date before then. "
            f"{inside} of the {len(covered)} codes are within a code of Annex XXIII as replaced by Regulation (EU) "
            "2025/2033, so the goods remain banned under that annex. Amendments between 2023/2878 and the deletion "
            f"are not included; transition periods for existing contracts under Article 3k({paragraph}) are not "
            "encoded."
        ),
        "gaps": [f"Amendments of Annex {annex} between Regulation (EU) 2023/2878 and its deletion were not read."],
        "sources": [
            source(
                "eu_annex_xxiii_cn.csv, compiled by the clearance team from the Official Journal text of "
                f"Regulation (EU) 2023/2878 ({LEGALIZE} {COMMITS['2023/2878']}); the deletion read in Regulation "
                f"(EU) {repeal} ({LEGALIZE} {COMMITS[repeal]})",
                "2023/2878",
            )
        ],
        "acts": acts("2023/2878"),
        "rules": rules,
    }


# --- Annex XL --------------------------------------------------------------------------------------------------------


def annex_xl() -> dict[str, Any]:
    table = rows(GOODS / "eu_annex_xl_chpl_cn.csv")
    rules = [
        {"code": r["cn_code"], "tier": r["tier"], "description": r["description"], "added_by": r["source_act"]}
        for r in table
    ]
    partners = ["US", "JP", "GB", "KR", "AU", "CA", "NZ", "NO", "CH"]
    return {
        "id": "eu-833-annex-xl",
        "title": "EU Annex XL to Regulation 833/2014: goods and technology referred to in Articles 2, 2a, 12g and "
        "12gb (common high priority items; no re-export to Russia)",
        "kind": "no_reexport",
        "authority": "EU",
        "legal_basis": {**REG_833, "annex": "XL", "article": "Article 12g"},
        "applies_to": ["RU"],
        "effect": "prohibited",
        "as_of": ACT_DATES["2025/2033"],
        "latest_act": act("2025/2033"),
        "exemptions": [
            {
                "text": "The contractual no-re-export-to-Russia clause of Article 12g is not required for sales to "
                "the partner countries listed in Annex VIII (United States, Japan, United Kingdom, South Korea, "
                "Australia, Canada, New Zealand, Norway; Switzerland added by Regulation (EU) 2023/1214).",
                "article": "Article 12g, Annex VIII",
                "destinations": partners,
            }
        ],
        "coverage": (
            f"{len(rules)} CN codes: 45 added by Regulation (EU) 2023/2878, 5 CNC machine-tool codes by 2024/1745. "
            "No code was added or removed after 2024/1745: Regulation (EU) 2025/2033 (Article 1(32), its Annex XI) "
            "only replaced the title, now 'List of goods and technology as referred to in Articles 2, 2a, 12g and "
            "12gb'; 2024/3192, 2025/395, 2025/932 and 2025/1494 left the annex as it was. Descriptions verbatim from "
            "Annex XL as replaced by 2024/1745. `tier` is not part of the legal text: it is the CHPL tier of the "
            "same code. Article 12g obliges exporters selling these goods to third countries to prohibit re-export "
            "to Russia by contract; clearance treats an export of them to Russia itself as prohibited, since every "
            "one of them is what the clause exists to keep out of Russia (the export-ban annex that lists it, where "
            "encoded, is cited beside). The due-diligence duty of Article 12gb is not encoded."
        ),
        "gaps": [
            LATER,
            "Article 12gb (inserted by Regulation (EU) 2025/395, with Annex XLVIII) was not read: what the new "
            "title's reference to it adds is not encoded.",
        ],
        "sources": [
            source(
                "eu_annex_xl_chpl_cn.csv, compiled by the clearance team from the Official Journal texts of "
                f"Regulations (EU) 2023/2878 and 2024/1745 ({LEGALIZE} {COMMITS['2023/2878']}, "
                f"{COMMITS['2024/1745']}); the title from Regulation (EU) 2025/2033 ({LEGALIZE} "
                f"{COMMITS['2025/2033']})",
                "2025/2033",
            )
        ],
        "acts": acts("2023/2878", "2024/1745", "2025/2033"),
        "rules": rules,
    }


# --- Annex IV --------------------------------------------------------------------------------------------------------

COUNTRY_CODES = {
    "Russia": "RU",
    "China": "CN",
    "India": "IN",
    "Sri Lanka": "LK",
    "Hong Kong, China": "HK",
    "Serbia": "RS",
    "Kazakhstan": "KZ",
    "Thailand": "TH",
    "Türkiye": "TR",
}
"""The countries the 2024/745 list writes as `Name (Country)`, as ISO codes (Hong Kong as HK, as in the base table)."""
_ALIAS_LABEL = re.compile(r"\s*\b(?:Local name|A\.k\.a\.?)\s*:\s*")


def iv_id(number: str, as_listed: str) -> str:
    """`2025-2033-817`: the listing act and the entry's number in it. Never a bare number, which the base table's
    ids (numbers of the 2023/2878 text) are, and never renumbered: later replacements renumber the Annex, not the
    act that listed an entry."""
    return f"{number.replace('/', '-')}-{as_listed}"


def aliases(printed: str, name: str) -> list[str]:
    """The other names an entry gives: its local name(s) and a.k.a. names, split at `;` and ` / `."""
    parts = _ALIAS_LABEL.split(printed)
    found = [p for part in parts for p in re.split(r";| / ", part)]
    found = [" ".join(p.split()).strip(" ,") for p in found]
    return list(dict.fromkeys(p for p in found if p and p != name))


def country_codes(country: str) -> str:
    if country.endswith("(derived from address)"):
        return country.removesuffix("(derived from address)").strip()
    return COUNTRY_CODES[country]


def listed_on(day: str) -> str:
    d, m, y = (int(x) for x in day.split("."))
    return dt.date(y, m, d).isoformat()


def annex_iv_table() -> str:
    base = rows(GOODS / "eu_annex_iv_entities.csv")
    changes = rows(EU_2025 / "eu_annex_iv_changes_2024_2025.csv")
    removed = {(r["name_as_printed"], r["entry_no_as_listed"]) for r in changes if r["change"].startswith("removed")}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(IV_COLUMNS)
    for row in base:
        writer.writerow(
            [row["entry_no"], row["entry_no"], "", row["name"], "", row["country"], row["country_code"]]
            + [row["added_by_act"], "", "", row["source_url"]]
        )
    for row in changes:
        if row["change"] != "added" or (row["name_as_printed"], row["entry_no_as_listed"]) in removed:
            continue
        writer.writerow(
            [
                iv_id(number_of(row["act"]), row["entry_no_as_listed"]),
                row["entry_no_as_listed"],
                row["entry_no_current"],
                row["name"],
                "; ".join(aliases(row["name_as_printed"], row["name"])),
                row["country"],
                country_codes(row["country"]),
                row["act"],
                listed_on(row["date_of_listing"]),
                row["identifying_information"],
                row["source_url"],
            ]
        )
    return out.getvalue()


def annex_iv(table: str) -> dict[str, Any]:
    entries = list(csv.DictReader(io.StringIO(table)))
    added = [e for e in entries if "-" in e["id"]]
    counts: dict[str, int] = {}
    for entry in added:
        counts[number_of(entry["added_by_act"])] = counts.get(number_of(entry["added_by_act"]), 0) + 1
    listed = ", ".join(f"{n} by {number}" for number, n in counts.items())
    return {
        "id": "eu-833-annex-iv",
        "title": "EU Annex IV to Regulation 833/2014: military-industrial end users",
        "kind": "end_user_list",
        "authority": "EU",
        "legal_basis": {**REG_833, "annex": "IV", "article": "Articles 2(7), 2a(7) and 2b(1)"},
        "applies_to": [],
        "effect": "prohibited",
        "as_of": ACT_DATES["2025/2033"],
        "latest_act": act("2025/2033"),
        "list_source": "eu-annex-iv",
        "coverage": (
            f"{len(entries)} entries of Annex IV as amended by Regulation (EU) 2025/2033, screened as the list "
            "source eu-annex-iv: the 622 entries of Annex IV as replaced by Regulation (EU) 2023/2878 (ids are "
            f"their numbers in that text, 1 to 622), then the {len(added)} entries added since ({listed}), whose "
            "ids name the listing act and the entry's number in it (eu-annex-iv:2025-2033-817), with their date "
            "of listing, names given (local names, a.k.a.), identifying information and the number in the Annex "
            "as amended by 2025/2033. Qisda Optronics (Suzhou), listed by 2024/3192, is absent from the Annex as "
            "replaced by 2025/932 and is not in the list. Dual-use goods and goods of Annex VII to a listed entity "
            "are prohibited; other goods to one call for review."
        ),
        "gaps": [
            LATER,
            "Regulation (EU) 2024/1745 replaced Annex IV in a new layout and renumbered it (649 entries became 614, "
            "some merged, such as Irkut Corporation and Irkut Research and Production Corporation PJSC): the 622 "
            "entries of 2023/2878 were not reconciled with the current numbering, so they keep their 2023 numbers "
            "and names and carry neither the identifying information nor the a.k.a. names that later texts give.",
            "The first listing act of entries 1 to 410 is not resolved ('Regulation (EU) 2022/2474 or earlier').",
            "Qisda Optronics (Suzhou) is absent from the 2025/932 replacement list without a recital saying why.",
            "Countries of entries listed from 2024/1745 on are derived from their addresses (the Annex gives no "
            "country); one entry's address gives none.",
        ],
        "sources": [
            source(
                "eu_annex_iv_entities.csv (the 2023 table, compiled by the clearance team from Regulations (EU) "
                "2022/2474 to 2023/2878) and eu-2025/eu_annex_iv_changes_2024_2025.csv (additions and removals "
                f"read in Regulations (EU) 2024/745 to 2025/2033, {LEGALIZE}: "
                + ", ".join(COMMITS[n] for n in ("2024/745", "2024/1745", "2024/3192", "2025/395", "2025/932"))
                + f", {COMMITS['2025/1494']}, {COMMITS['2025/2033']})",
                "2025/2033",
            )
        ],
        "acts": acts(*(number_of(e["added_by_act"]) for e in entries)),
        "rules": [],
    }


# --- Belarus (Regulation (EC) No 765/2006) ------------------------------------------------------------------------


def annex_va() -> dict[str, Any]:
    return {
        "id": "eu-765-annex-va",
        "title": "EU Annex Va to Regulation 765/2006: goods and technology which might contribute to Belarus's "
        "military and technological enhancement",
        "kind": "export_ban",
        "authority": "EU",
        "legal_basis": {**REG_765, "annex": "Va", "article": "Article 1f"},
        "applies_to": ["BY"],
        "effect": "prohibited",
        "as_of": ACT_DATES["2025/2041"],
        "latest_act": act("2025/2041"),
        "mirrors": "eu-833-annex-vii",
        "mirror_note": (
            "Annex Va to Regulation (EC) No 765/2006 is the Belarus counterpart of Annex VII to Regulation (EU) "
            "No 833/2014, with the same item numbers and Part B tables, and Regulation (EU) 2025/2041 of 23 October "
            "2025 (Annex, point 2) amended it exactly as Regulation (EU) 2025/2033 of the same day amended Annex "
            "VII: verified in the two texts, the same wording of X.A.I.001 point q (Surface Mounted Device "
            "inductors), of X.A.VIII.023 and X.C.VIII.005 as replaced, and of X.C.IX.016 as inserted, and Part B "
            "tables 3, 6 and 8 replaced with the same 9, 11 and 15 CN codes and descriptions. So the rules are "
            "derived at load time from eu-833-annex-vii (Annex VII as amended by 2025/2033), not copied. Not "
            "verified: that the rest of Annex Va matches Annex VII item for item, since the earlier amendments of "
            "Annex Va (among them Regulation (EU) 2024/1865) were not read; and the acts that first put each entry "
            "in Annex Va, so the rules have no effective date of their own."
        ),
        "coverage": (
            "Every entry of Annex VII to Regulation 833/2014 as amended by Regulation (EU) 2025/2033, Part A by "
            "description and Part B by CN code, applied to Belarus under Article 1f of Regulation 765/2006 (the "
            "export ban on the goods of Annex Va, which Regulation (EU) 2024/1865 extended to transit via Belarus); "
            "see mirror_note for what was verified. The exemptions and derogations of Articles 1f and 1fa are not "
            "encoded: a reason of this regime means prohibited unless one of them applies."
        ),
        "gaps": [
            "Annex Va is taken to match Annex VII beyond the 2025/2041 amendments, which were verified; the earlier "
            "amending acts of Regulation 765/2006 (Regulation (EU) 2024/1865 among them) were not read.",
            "Acts after Regulation (EU) 2025/2041 amending Regulation 765/2006 are not encoded.",
        ],
        "sources": [
            source(
                f"Official Journal text of Regulation (EU) 2025/2041 ({LEGALIZE} {COMMITS['2025/2041']}), Annex "
                "point 2, compared with that of Regulation (EU) 2025/2033, Annex II",
                "2025/2041",
            )
        ],
        "acts": acts("2025/2041"),
    }


def xviii_rows() -> list[tuple[str, str]]:
    found = []
    for line in XVIII.read_text(encoding="utf-8").splitlines():
        row = re.fullmatch(r"\| ((?:Ex )?\d[\d ]*?) \| (.*) \|", line)
        if row:
            found.append((row.group(1), re.sub(r"<sup>(\d+)</sup>", r"\1", row.group(2))))
    return found


def annex_xviii() -> dict[str, Any]:
    table = xviii_rows()
    russia = {r["cn_code_as_printed"].removeprefix("Ex "): r for r in rows(EU_2025 / "eu_annex_xxiii_2025.csv")}
    rules = []
    for printed, description in table:
        rule: dict[str, Any] = {"code": printed.removeprefix("Ex ").replace(" ", ""), "printed": printed}
        if printed.startswith("Ex "):
            rule["ex"] = True
        rule["description"] = description
        rule["listed_in"] = act("2025/2041")
        rules.append(rule)
    belarus = {p.removeprefix("Ex ") for p, _ in table}
    only_ru = [c for c in russia if c not in belarus]
    only_by = [p for p, _ in table if p.removeprefix("Ex ") not in russia]
    narrowed = [p for p, _ in table if p.startswith("Ex ") and russia.get(p[3:], {}).get("ex_code") == "no"]
    return {
        "id": "eu-765-annex-xviii",
        "title": "EU Annex XVIII to Regulation 765/2006: goods which could contribute to the enhancement of "
        "Belarusian industrial capacities",
        "kind": "export_ban",
        "authority": "EU",
        "legal_basis": {**REG_765, "annex": "XVIII", "article": "Article 1bb"},
        "applies_to": ["BY"],
        "effect": "prohibited",
        "as_of": ACT_DATES["2025/2041"],
        "latest_act": act("2025/2041"),
        "exemptions": [
            {
                "text": "Goods of CN codes 2501, 2505, 2507, 2513, 2516, 2517, 2528, 2606, 6804, 6815 and 6903: "
                "contracts concluded before 24 October 2025 could be executed until 25 January 2026 (inserted by "
                "Regulation (EU) 2025/2041; expired).",
                "article": "Article 1bb(3c)",
            },
            {
                "text": "Goods of CN codes 6902 and 6909 19: contracts concluded before 24 October 2025 could be "
                "executed until 25 April 2026 (inserted by Regulation (EU) 2025/2041; expired).",
                "article": "Article 1bb(3d)",
            },
        ],
        "coverage": (
            f"The {len(rules)} rows of Annex XVIII as replaced in full by Regulation (EU) 2025/2041 (Annex, point "
            "5), transcribed: Article 1bb(1) prohibits selling, supplying, transferring or exporting them to "
            "Belarus. Not a mirror of Annex XXIII to Regulation 833/2014 as replaced by 2025/2033, compared row by "
            f"row: {len(only_ru)} Russian rows are not in it (most of chapter 84 and 85 machinery and electrical "
            "equipment, such as 8402 to 8410, 8412, 8413, 8425 to 8431, 8457, 8458, 8479 to 8484, 8501 to 8505, "
            f"8537 to 8539, 8544, and 9503 00 75/79), it adds {', '.join(only_by[:1])} (containers), and "
            f"{', '.join(narrowed)} are `ex` codes (only vehicles with a ground clearance of 165 mm or more) where "
            "Annex XXIII lists the whole subheading; the descriptions of the shared rows differ only in wording. "
            "The other exemptions and derogations of Article 1bb are not encoded."
        ),
        "gaps": [
            "Acts after Regulation (EU) 2025/2041 amending Regulation 765/2006 are not encoded.",
            "The act that first listed each code in Annex XVIII is not resolved (the annex was inserted by "
            "Regulation (EU) 2024/1865 and replaced in full by 2025/2041): no rule has an effective date.",
        ],
        "sources": [
            source(
                f"Annex XVIII transcribed by the clearance team from the Official Journal text of Regulation (EU) "
                f"2025/2041 ({LEGALIZE} {COMMITS['2025/2041']}, Annex point 5): "
                "bench/goods_rules_data/765_annex_xviii_2025_2041.md",
                "2025/2041",
            )
        ],
        "acts": acts("2025/2041"),
        "rules": rules,
    }


# --- writing ---------------------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Every value written out where it stands: no `&id001` anchors for dates that two acts share."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def outputs() -> dict[str, str]:
    table = annex_iv_table()
    files: Iterable[dict[str, Any]] = (
        annex_vii(),
        annex_xxiii(),
        wind_down("XXIIIE"),
        wind_down("XXIIIF"),
        wind_down("XXIIIG"),
        deleted("XXIIIA"),
        deleted("XXIIIB"),
        annex_xl(),
        annex_iv(table),
        annex_va(),
        annex_xviii(),
    )
    written = {f"{regime['id']}.yaml": dump(regime) for regime in files}
    written["eu_annex_iv_entities.csv"] = table
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing")
    args = parser.parse_args()
    stale = []
    for name, text in outputs().items():
        path = OUT / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    for name in stale:
        print(f"differs from what bench/goods_rules.py writes: {name}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
