"""Goods codes: HS-6, CN-8 and TARIC-10 read, checked and described.

The Harmonized System is positional: two digits are a chapter, four a heading,
six a subheading; the EU's Combined Nomenclature adds two digits and TARIC two
more. So a rule listed under a code covers every longer code that starts with it
(8542 covers 854231 and 85423190), and matching a declared code against the rules
is a walk over at most five prefixes, never a scan.

The HS nomenclature itself (official descriptions, and which codes exist) ships
with the package (`data/harmonized-system.csv`, HS 2022 from UN Comtrade via
datasets/harmonized-system, PDDL; origin in `data/README.md`), so an unknown code
is told from a real one on every install. A caller may name another edition's file;
nothing here reads the environment, which is the settings' business.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clearance.errors import InputError

LENGTHS = (2, 4, 6, 8, 10)
"""Chapter, heading, HS subheading, CN subheading, TARIC code."""
HS_COLUMNS = ("section", "hscode", "description", "parent", "level")
HS_FILE = Path(__file__).resolve().parent / "data" / "harmonized-system.csv"
"""The packaged HS 2022 nomenclature, read unless a caller names another file."""
_SEPARATORS = re.compile(r"[\s.\u00a0]+")


class CodeError(InputError):
    """Text that is not a goods code, or an HS nomenclature file that cannot be read."""

    code = "goods_code_invalid"


def normalize_code(text: str) -> str:
    """Digits only: `8542.31`, `8542 31` and `854231` are one code; anything else is refused.

    Lengths are those of the nomenclature (2, 4, 6, 8 or 10 digits): a five-digit code
    is a typo, not a heading, and guessing which digit is missing would screen the wrong goods.
    """
    if not isinstance(text, str):
        raise CodeError(f'not a goods code: {text!r} (give it as text, e.g. "854231")')
    digits = _SEPARATORS.sub("", text.strip())
    if not digits:
        raise CodeError("empty goods code")
    if not digits.isascii() or not digits.isdigit():
        raise CodeError(f"not a goods code: {text!r} (digits, optionally dotted or spaced: 8542.31, 8542 31, 854231)")
    if len(digits) not in LENGTHS:
        raise CodeError(f"not a goods code: {text!r} has {len(digits)} digits (2, 4, 6, 8 or 10: HS, CN or TARIC)")
    return digits


def prefixes(code: str) -> list[str]:
    """The code and every level above it, shortest first: 85423190 -> 85, 8542, 854231, 85423190."""
    return [code[:n] for n in LENGTHS if n <= len(code)]


def format_code(code: str) -> str:
    """The printed form of the legal texts: 854231 -> `8542 31`, 84717098 -> `8471 70 98`."""
    if len(code) <= 4:
        return code
    return " ".join([code[:4], *(code[i : i + 2] for i in range(4, len(code), 2))])


@dataclass(frozen=True)
class Nomenclature:
    """The HS chapters, headings and subheadings with their official short descriptions."""

    descriptions: dict[str, str]
    path: Path
    edition: str = "HS 2022"

    def known(self, code: str) -> bool:
        """Whether the HS part of `code` (its first six digits, or all of a shorter code) exists."""
        return code[:6] in self.descriptions

    def describe(self, code: str) -> str | None:
        """The official description of the most specific HS level of `code` (CN/TARIC digits have none here)."""
        for prefix in reversed(prefixes(code[:6])):
            if prefix in self.descriptions:
                return self.descriptions[prefix]
        return None

    @classmethod
    def read(cls, path: Path) -> Nomenclature:
        """Read `harmonized-system.csv` (columns section, hscode, description, parent, level)."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CodeError(f"HS nomenclature {path}: cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise CodeError(f"HS nomenclature {path}: not UTF-8 text at byte {exc.start}") from None
        reader = csv.DictReader(text.splitlines())
        descriptions: dict[str, str] = {}
        try:
            if tuple(reader.fieldnames or ()) != HS_COLUMNS:
                raise CodeError(f"HS nomenclature {path}: expected columns {', '.join(HS_COLUMNS)}")
            for line, row in enumerate(reader, start=2):
                code = (row["hscode"] or "").strip()
                if code == "TOTAL":  # the data set's grand-total row, no code
                    continue
                if not code.isdigit() or len(code) not in (2, 4, 6):
                    raise CodeError(
                        f"HS nomenclature {path}: line {line}: hscode {code!r} is not a 2, 4 or 6 digit code"
                    )
                descriptions[code] = " ".join((row["description"] or "").split())
        except csv.Error as exc:
            raise CodeError(f"HS nomenclature {path}: not a CSV file: {exc}") from None
        if not descriptions:
            raise CodeError(f"HS nomenclature {path}: no codes")
        return cls(descriptions, path)


def hs_file(path: Path | str | None = None) -> Path:
    """The nomenclature file to read: `path` made absolute (so one file is one cache entry), or the packaged one."""
    return (HS_FILE if path is None else Path(path).expanduser()).resolve()


def load_nomenclature(path: Path | str | None = None) -> Nomenclature:
    """The nomenclature at `path`, or the packaged one; read once per file, as shipments and classification share it."""
    return _read_cached(hs_file(path))


@lru_cache(maxsize=4)
def _read_cached(path: Path) -> Nomenclature:
    return Nomenclature.read(path)
