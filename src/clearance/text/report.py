"""An HTML report of a screened text: the text with every mention and every goods phrase highlighted,
the entities and goods beside it.

Built from the published result (`TextScreening`), so the page shows exactly what
`--json` reports, and the text is screened once for both. Each mark in the text
carries, in its title and in numbered links after it, every entity its hits
name (an OFAC SDN entry and its copies on the US Consolidated Screening List
are separate entities); each entity card links back to every place the text
names it. Goods are marked in a colour of their own and listed with their HS
codes and export controls.

One self-contained file (no scripts, no external assets), so it can be attached
to a case file and opened anywhere. Colour is never the only signal: each kind
of mark has its own underline, a legend says what each means, and every link
has an accessible label.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape

from clearance.model import Entity
from clearance.results import HitResult
from clearance.text.results import MentionResult, NamedGoodsResult, TextScreening

_STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0;padding:1.5rem;background:#fafafa;color:#1a1a1a;
display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem 2rem}
header{grid-column:1/-1}header h1{margin:0 0 .3rem;font-size:1.4rem}
main{background:#fff;padding:1.5rem;border:1px solid #ccc}
.text{white-space:pre-wrap;line-height:1.7;overflow-wrap:anywhere}
aside{font-size:.9rem}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
mark{color:#1a1a1a;padding:0 .05em}
mark.goods{background:#cfe2ff;border-bottom:3px double #1d4f91}
mark.full{background:#ffc2c2;border-bottom:2px solid #9b1c1c}
mark.surname{background:#ffdcb8;border-bottom:2px dashed #8a4300}
mark.weak{background:#fff0b0;border-bottom:2px dotted #6b5600}
mark.goods:is(.full,.surname,.weak){border-top:3px double #1d4f91}
.refs{font-size:.7em;user-select:none;margin-left:.1em}.refs a{margin-right:.2em}
a{color:#0b4f9c}a:focus{outline:2px solid #1a1a1a;outline-offset:1px}
:target{outline:3px solid #0b4f9c}
.card{background:#fff;border:1px solid #ccc;padding:.75rem;margin-bottom:.75rem}
.card h3{margin:.1rem 0 .4rem;font-size:1rem}
.card dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:.1rem .6rem}
.card dt{font-weight:600}.card dd{margin:0}
.muted,.ruled{color:#555}.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem}
@media (max-width:50rem){body{display:block}aside{margin-top:1.5rem}}
"""

_KINDS = {
    "full": "listed party named in full",
    "surname": "surname of a listed party the text names in full",
    "weak": "surname alone: a candidate to review, not a hit",
    "goods": "goods, with their HS codes and export controls",
}
_ORDER = tuple(_KINDS)  # a segment in several marks gets each class; the party's colour is drawn over the goods'


@dataclass(frozen=True)
class _Ref:
    href: str
    label: str
    description: str


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    kind: str
    anchor: str
    title: str
    refs: tuple[_Ref, ...]


def html_report(
    text: str,
    screening: TextScreening,
    title: str = "Screening report",
    entities: Mapping[str, Entity] | None = None,
) -> str:
    """The report page for `text` and its screening.

    `entities`, by id, adds what the lists state beyond the result (dates of birth, countries) to the
    cards of the entities it holds. The screening must be of this very text (its SHA-256 is checked).
    """
    if hashlib.sha256(text.encode()).hexdigest() != screening.query.sha256:
        raise ValueError("the screening is not of this text: its SHA-256 differs")
    parties = sorted([*screening.mentions, *screening.weak], key=lambda m: m.start)
    numbers = _numbered(parties)
    goods = _goods_by_term(screening.goods)
    marks = [_party_mark(m, numbers) for m in parties]
    marks += [_goods_mark(g, number) for number, found in enumerate(goods.values(), 1) for g in found]
    version = ", ".join(f"{s.source} {s.snapshot_id}" for s in screening.list_version.sources) or "not recorded"
    summary = (
        f"{screening.query.words:,} words; {len(screening.mentions)} mentions and {len(screening.weak)} weak "
        f"candidates naming {_entities(len(numbers))}; {len(screening.goods)} goods phrases; "
        f"threshold {screening.threshold}; algorithm {screening.algorithm}; list snapshots {version}; "
        f"screened {screening.screened_at.isoformat(timespec='seconds')}"
    )
    warnings = "".join(f"<li>{escape(w)}</li>" for w in screening.warnings)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"
        f'<header><h1>{escape(title)}</h1><p class="muted">{escape(summary)}</p>'
        + (f'<ul class="warnings" aria-label="Warnings">{warnings}</ul>' if warnings else "")
        + f'<ul class="legend" aria-label="Legend">{_legend()}</ul></header>'
        f'<main aria-labelledby="text-heading"><h2 id="text-heading">Text</h2>'
        f'<div class="text">{_highlighted(text, marks)}</div></main>'
        f'<aside aria-label="Findings">{_entity_cards(parties, numbers, entities or {})}'
        f"{_goods_cards(goods)}{_ruled_out(screening)}</aside></body></html>\n"
    )


def _entities(count: int) -> str:
    return f"{count} listed {'entity' if count == 1 else 'entities'}"


def _legend() -> str:
    return "".join(f'<li><mark class="{kind}">{kind}</mark> {escape(said)}</li>' for kind, said in _KINDS.items())


def _numbered(parties: Iterable[MentionResult]) -> dict[str, int]:
    """Each entity's number, in the order the text first names it."""
    numbers: dict[str, int] = {}
    for mention in parties:
        for hit in mention.hits:
            numbers.setdefault(hit.entity_id, len(numbers) + 1)
    return numbers


def _goods_by_term(goods: Iterable[NamedGoodsResult]) -> dict[str, list[NamedGoodsResult]]:
    found: dict[str, list[NamedGoodsResult]] = {}
    for item in sorted(goods, key=lambda g: g.start):
        found.setdefault(item.term, []).append(item)
    return found


def _party_mark(mention: MentionResult, numbers: Mapping[str, int]) -> _Mark:
    named = [f"{hit.name} ({hit.entity_id}, {hit.score:.2f})" for hit in mention.hits]
    refs = tuple(
        _Ref(f"#{hit.entity_id}", str(numbers[hit.entity_id]), f"{hit.name}, {hit.entity_id}") for hit in mention.hits
    )
    return _Mark(
        mention.start, mention.end, mention.kind, f"at-{mention.start}", f"{mention.kind}: {'; '.join(named)}", refs
    )


def _goods_mark(item: NamedGoodsResult, number: int) -> _Mark:
    controls = "; ".join(item.controls) or "not in the rules held"
    title = f"goods: {item.term}, HS {', '.join(item.codes)}; {controls}"
    ref = _Ref(f"#goods-{number}", f"G{number}", f"goods: {item.term}")
    return _Mark(item.start, item.end, "goods", f"goods-at-{item.start}", title, (ref,))


def _highlighted(text: str, marks: list[_Mark]) -> str:
    """The text, escaped, with each mark highlighted and followed by its links.

    The text is cut at every mark's start and end, so overlapping marks (a goods phrase inside a
    company's name) are each shown whole: a piece inside several gets all their classes and titles.
    """
    marks = [m for m in marks if m.end > m.start]
    starting: dict[int, list[_Mark]] = {}
    for mark in marks:
        starting.setdefault(mark.start, []).append(mark)
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    body: list[str] = []
    active: list[_Mark] = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        opened = starting.get(left, [])
        active = [m for m in active if m.end > left] + opened
        piece = escape(text[left:right])
        if not active:
            body.append(piece)
            continue
        body.extend(f'<span id="{escape(m.anchor)}"></span>' for m in opened)
        classes = " ".join(sorted({m.kind for m in active}, key=_ORDER.index))
        title = " | ".join(m.title for m in active)
        body.append(f'<mark class="{classes}" title="{escape(title)}">{piece}</mark>')
        for mark in active:
            if mark.end == right:
                body.append(_refs(mark.refs))
    return "".join(body)


def _refs(refs: tuple[_Ref, ...]) -> str:
    links = "".join(
        f'<a href="{escape(r.href)}" title="{escape(r.description)}" aria-label="{escape(r.description)}">'
        f"{escape(r.label)}</a>"
        for r in refs
    )
    return f'<sup class="refs">{links}</sup>'


def _entity_cards(parties: list[MentionResult], numbers: Mapping[str, int], entities: Mapping[str, Entity]) -> str:
    if not numbers:
        return "<h2>Listed parties</h2><p>No listed party named.</p>"
    named: dict[str, list[tuple[MentionResult, HitResult]]] = {}
    for mention in parties:
        for hit in mention.hits:
            named.setdefault(hit.entity_id, []).append((mention, hit))
    cards = []
    for entity_id, number in numbers.items():
        found = named[entity_id]
        best = max((hit for _, hit in found), key=lambda h: h.score)
        listed = entities.get(entity_id)
        facts = [
            ("list", " / ".join(x for x in (best.source, best.sub_list) if x)),
            ("programmes", ", ".join(best.programmes)),
            ("listed on", best.listed_on or ""),
            ("born", ", ".join(str(d) for d in listed.dates_of_birth) if listed else ""),
            ("countries", ", ".join(listed.countries) if listed else ""),
            ("matched name", best.matched_name),
            ("best score", f"{best.score:.2f}"),
            ("band", best.band.value),
            ("also listed as", "; ".join(f"{a.entity_id} ({a.score:.2f}, {a.band.value})" for a in best.also)),
        ]
        rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts if v)
        places = ", ".join(
            f'<a href="#at-{m.start}">{escape(m.text)}</a> at {m.start} ({m.kind}, {hit.score:.2f})' for m, hit in found
        )
        only_weak = all(m.kind == "weak" for m, _ in found)
        cards.append(
            f'<section class="card" id="{escape(entity_id)}" aria-labelledby="{escape(entity_id)}-name">'
            f'<h3 id="{escape(entity_id)}-name">{number}. {escape(best.name)}</h3>'
            f'<div class="muted">{escape(entity_id)} ({escape(best.kind)})'
            + (" - weak candidates only, not a hit" if only_weak else "")
            + f"</div><dl>{rows}<dt>named at</dt><dd>{places}</dd></dl></section>"
        )
    return f"<h2>Listed parties ({len(numbers)})</h2>{''.join(cards)}"


def _goods_cards(goods: Mapping[str, list[NamedGoodsResult]]) -> str:
    if not goods:
        return "<h2>Goods</h2><p>No goods named.</p>"
    cards = []
    for number, (term, found) in enumerate(goods.items(), 1):
        first = found[0]
        controls = "".join(f"<li>{escape(c)}</li>" for c in first.controls)
        places = ", ".join(f'<a href="#goods-at-{g.start}">{escape(g.text)}</a> at {g.start}' for g in found)
        cards.append(
            f'<section class="card" id="goods-{number}" aria-labelledby="goods-{number}-term">'
            f'<h3 id="goods-{number}-term">G{number}. {escape(term)}</h3><dl>'
            f"<dt>HS codes</dt><dd>{escape(', '.join(first.codes))}</dd>"
            + (f"<dt>note</dt><dd>{escape(first.note)}</dd>" if first.note else "")
            + "<dt>export controls</dt><dd>"
            + (f"<ul>{controls}</ul>" if controls else "not in the rules held")
            + f"</dd><dt>named at</dt><dd>{places}</dd></dl></section>"
        )
    return f"<h2>Goods ({len(goods)})</h2>{''.join(cards)}"


def _ruled_out(screening: TextScreening) -> str:
    if not screening.ruled_out:
        return ""
    items = "".join(
        f"<li>{escape(r.text)} at {r.start}: not {escape(r.entity_id)}: {escape(r.reason)}</li>"
        for r in screening.ruled_out
    )
    return f'<h2>Ruled out ({len(screening.ruled_out)})</h2><ul class="ruled">{items}</ul>'
