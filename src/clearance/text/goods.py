"""Export-controlled goods named in free text.

The goods classifier's lexicon finds the phrases ("integrated circuits",
"thermal cameras", "drones") and their HS codes; the shipped goods rules say
which regimes list those codes (EU Annex VII, Annex XXIII, the Common High
Priority List, ...). A phrase whose codes no regime lists is still reported,
as goods without a control, so an analyst sees what the text is about.

The lexicon and the HS nomenclature both ship with the package, so goods are
found on any install; a caller naming another nomenclature file gets a clear
error about that file before any text is searched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clearance.goods.classify import GoodsMention, find_goods
from clearance.goods.rules import RuleSet, load_rules
from clearance.text.mentions import check_length


@dataclass(frozen=True)
class NamedGoods:
    mention: GoodsMention
    controls: tuple[str, ...]
    """Each regime listing any of the phrase's codes, with the codes it lists."""


def named_goods(text: str, rules: RuleSet | None = None, *, hs_file: Path | str | None = None) -> list[NamedGoods]:
    """Goods a text names, each with the export controls its HS codes fall under; text over the size
    text screening accepts is refused here too, as this runs first."""
    check_length(text)
    ruleset = rules or load_rules()
    found = []
    for mention in find_goods(text, hs_file=hs_file):
        controls: dict[str, dict[str, None]] = {}
        for code in mention.codes:
            for match in ruleset.matches(code):
                controls.setdefault(match.regime.title, {})[match.rule.label] = None
        found.append(NamedGoods(mention, tuple(f"{title}: {', '.join(labels)}" for title, labels in controls.items())))
    return found
