"""An HTML report of a screened text: the text with every mention highlighted, the entities beside it.

One self-contained file (no scripts, no external assets), so it can be attached
to a case file and opened anywhere.
"""

from __future__ import annotations

from html import escape

from clearance.text.mentions import Mention, TextResult

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;display:flex;gap:2rem;padding:1.5rem;background:#fafafa;color:#222}
main{flex:3;white-space:pre-wrap;line-height:1.6;background:#fff;padding:1.5rem;border:1px solid #ddd}
aside{flex:2;font-size:.9rem}
mark.full{background:#ffb3b3}mark.surname{background:#ffd9b3}mark.weak{background:#fff2b3}
.entity{background:#fff;border:1px solid #ddd;padding:.75rem;margin-bottom:.75rem}
.entity h3{margin:.1rem 0 .4rem;font-size:1rem}.muted{color:#666}.ruled{color:#666;font-size:.85rem}
"""


def html_report(text: str, result: TextResult, title: str = "Screening report") -> str:
    """The report page for `text` and its screening `result`."""
    marks = sorted([*result.mentions, *result.weak], key=lambda m: m.start)
    body: list[str] = []
    position = 0
    for mention in marks:
        if mention.start < position:
            continue
        body.append(escape(text[position : mention.start]))
        target = mention.hits[0].entity.id if mention.hits else ""
        tip = f"{mention.kind}: {target}"
        body.append(
            f'<mark class="{mention.kind}" title="{escape(tip)}"><a href="#{escape(target)}">'
            f"{escape(text[mention.start : mention.end])}</a></mark>"
        )
        position = mention.end
    body.append(escape(text[position:]))
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style>"
        f"<main>{''.join(body)}</main><aside><h2>{escape(title)}</h2>"
        f'<p class="muted">{len(result.mentions)} mentions, {len(result.weak)} weak candidates; '
        f"algorithm {escape(result.algorithm)}; list snapshots "
        f"{escape(', '.join(f'{k} {v}' for k, v in sorted(result.snapshots.items())) or 'not recorded')}</p>"
        f"{_entities(result.mentions, result.weak)}{_ruled_out(result)}</aside></html>\n"
    )


def _entities(mentions: tuple[Mention, ...], weak: tuple[Mention, ...]) -> str:
    seen: dict[str, list[Mention]] = {}
    for mention in [*mentions, *weak]:
        for hit in mention.hits:
            seen.setdefault(hit.entity.id, []).append(mention)
    parts = []
    for entity_id, found in seen.items():
        hit = next(h for h in found[0].hits if h.entity.id == entity_id)
        entity = hit.entity
        facts = [
            ("list", " / ".join(x for x in (entity.source, entity.sub_list) if x)),
            ("programmes", ", ".join(entity.programmes)),
            ("listed on", entity.listed_on.isoformat() if entity.listed_on else ""),
            ("born", ", ".join(str(d) for d in entity.dates_of_birth)),
            ("countries", ", ".join(entity.countries)),
            ("matched name", hit.explanation.matched_name.full),
            ("score", f"{hit.score:.2f}"),
            ("named at", ", ".join(f"{m.start} ({m.kind})" for m in found)),
        ]
        rows = "".join(f"<div><b>{escape(k)}</b>: {escape(v)}</div>" for k, v in facts if v)
        parts.append(
            f'<div class="entity" id="{escape(entity_id)}"><h3>{escape(entity.name)}</h3>'
            f'<div class="muted">{escape(entity_id)} ({entity.kind.value})</div>{rows}</div>'
        )
    return "".join(parts)


def _ruled_out(result: TextResult) -> str:
    if not result.ruled_out:
        return ""
    items = "".join(
        f"<li>{escape(r.text)} at {r.start}: not {escape(r.entity_id)}: {escape(r.reason)}</li>"
        for r in result.ruled_out
    )
    return f'<h3>Ruled out</h3><ul class="ruled">{items}</ul>'
