"""Party screening: normalise, transliterate, index, score and explain name matches."""

from clearance.matching.algorithm import ALGORITHM, DEFAULT_THRESHOLD
from clearance.matching.screener import Explanation, Hit, Party, Screener

__all__ = ["ALGORITHM", "DEFAULT_THRESHOLD", "Explanation", "Hit", "Party", "Screener"]
