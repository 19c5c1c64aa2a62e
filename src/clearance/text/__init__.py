"""Text screening: listed parties named in articles, documents and payment messages."""

from clearance.text.mentions import Mention, RuledOut, TextResult, TextScreener

__all__ = ["Mention", "RuledOut", "TextResult", "TextScreener"]
