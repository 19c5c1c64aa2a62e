"""Party screening: normalise, transliterate, index, score and explain name matches."""

from clearance.matching.screener import ALGORITHM, DEFAULT_THRESHOLD, Explanation, Hit, Party, Screener

__all__ = ["ALGORITHM", "DEFAULT_THRESHOLD", "Explanation", "Hit", "Party", "Screener"]
