"""One designation, however many lists carry it: a screening's hits grouped so a listed party is one result.

Lists repeat each other. OFAC numbers a record once for all of its lists, and the US Consolidated
Screening List keeps that number for its Treasury rows: ofac-sdn:N, ofac-cons:N, us-csl:N and
us-csl:N:SSI are one record on four lists (the CSL's Commerce and State rows carry a hash of their
own). A UN designation is carried by the national lists too: the UK's entry cites its UN reference
(`UN reference: QDi.276` among its notes), while OFAC's copy cites none but has the UN entry's own
passport and IMO numbers (un:QDi.433 and ofac-sdn:12295 share two passports).

So a hit's entity gives keys (`keys`), and two hits of one screening sharing a key are one
designation; grouping is transitive (union-find), so a UN entry, the UK's copy citing it and OFAC's
copy sharing its passport are one group even when the UK and OFAC entries share nothing. The keys:

- `ofac:N`: the OFAC record number, from the id on OFAC's lists and the CSL's Treasury rows;
- `un:REF`: a UN reference number: the UN entry's own, or one another list cites as its entry's in an
  identifier or its `UN reference:` note (a reference cited in free text, "a cousin of ... (QDi.277)",
  names someone else and is no key);
- `passport:N`, `imo:N` (a ship's; a company's IMO number is `imo-company:N`) and `swift_bic:N`: a
  document or registry number of that type, in capitals without spaces or punctuation, of
  `MIN_IDENTIFIER` characters at least; a BIC without the `XXX` branch code of a head office;
- `person:DATE:NAME` (`person_keys`): a person's full date of birth and one of their names of two words
  or more, read as matching reads it (canonical words, sorted, titles aside), a nickname (weak alias) too.
  OFAC's copy of a UN designation cites no UN reference and often no passport, but lists the person under
  a name the UN entry has too, born the same day (un:QDi.247 and ofac-sdn:10853, RUBEN PESTANO LAVILLA,
  JR), or only under the same nickname when their full names are spelled apart (al-Bija, born 27 July
  1986, of un:LYi.026 and ofac-sdn:24312, Abd al-Rahman Milad);
- `listing:LIST:DATE:NAME` (`listing_keys`): a name of two words or more, read the same way, on one of the
  CSL's Commerce or State lists, listed on one day. The Denied Persons and Entity Lists give a row to each
  address of a party: the Denied Persons List's order against AL NASER AIRLINES of 17 November 2021 is a row
  in Iraq, one in the Emirates and one in Jordan, under each of its four names;
- `organization:NAME` (`organization_keys`): an organisation's name of two words or more, read the same way,
  legal forms aside, that at most `MAX_NAMESAKES` entities bear, each on a list of its own (AL-NUSRAH FRONT
  FOR THE PEOPLE OF THE LEVANT is the UN's entry and OFAC's); two entries of one list with one name are two
  parties.

The screener links every list entry to the others of its designation as its index is built (`linked`), and
reports those of a designation it hits whose own names the query does not reach, with the hit they are
listed with (`Hit.listed_with`): an Arabic name the UN entry has finds OFAC's entry too, which spells the
name only in Latin letters. So every list carrying a designation shows under its one result.

Other numbers are not keys: on the real lists they join different parties: a ration card number held by
a household (uk:AQD0128 and un:QDi.226), a commercial registration shared by a man and his company
(ofac-sdn:12891 and 12894), one serial number on two aircraft (ofac-sdn:15452 and 25539), one wallet
used by several. Grouping never drops a hit: it only says which are one party.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clearance.model import Entity, EntityKind, IdentifierType, NameQuality

if TYPE_CHECKING:
    from clearance.matching.screener import Hit

HITS_PER_DESIGNATION = 4
"""Hits to ask the screener for per designation shown: one OFAC record is on up to four lists, and a UN
designation on the UN, EU and UK lists and OFAC's (with its CSL copy)."""
MAX_NAMESAKES = 4
"""Entities an organisation's name may be shared by and still link them: a name more bear is a common one."""
MIN_IDENTIFIER = 5
"""Characters a passport, IMO or BIC number needs to be a key: shorter numbers recur by chance."""

_OFAC = re.compile(r"(?:ofac-sdn|ofac-cons):(\d+)|us-csl:(\d{1,12})(?::[^:]+)?")
"""OFAC's record number in its own lists' ids and in the US CSL ids of Treasury rows (us-csl:N, us-csl:N:SSI)."""
_UN_REFERENCE = re.compile(r"[A-Z]{2}[IE]\.\d{3}")
"""A UN Security Council reference number (QDi.276, KPe.022, TAi.007), in capitals."""
_UN_NOTE = re.compile(r"^UN reference: (.+)$", re.MULTILINE)
"""The note a list parser keeps a record's own UN reference numbers in (`lists/uk.py`)."""
_UN_LABEL = re.compile(r"\bUN\b|united nations", re.IGNORECASE)
_NOT_KEY_CHARACTERS = re.compile(r"[^0-9A-Z]")
_KEYED_TYPES = {IdentifierType.PASSPORT: "passport", IdentifierType.IMO: "imo", IdentifierType.SWIFT_BIC: "swift_bic"}


@dataclass(frozen=True)
class Designation:
    """The hits of one screening on one listed party: its best hit, and the other lists' entries of it."""

    lead: Hit
    """The best-scoring hit (on a tie, the first entity id)."""
    others: tuple[Hit, ...]
    """The other entries of the designation that hit, best first."""
    shared: frozenset[str] = frozenset()
    """The keys of its entries (`keys`)."""

    @property
    def key(self) -> str:
        """Names the designation: its UN reference, else its OFAC record number, else the lead's entity id."""
        for prefix in ("un:", "ofac:"):
            named = sorted(key for key in self.shared if key.startswith(prefix))
            if named:
                return named[0]
        return self.lead.entity.id

    @property
    def hits(self) -> tuple[Hit, ...]:
        return (self.lead, *self.others)


def ofac_record(entity_id: str) -> str | None:
    """OFAC's record number in an entity id of OFAC's lists or of the CSL's Treasury rows; None elsewhere."""
    match = _OFAC.fullmatch(entity_id)
    return (match.group(1) or match.group(2)) if match else None


def un_reference(text: str) -> str | None:
    """A UN reference number as the UN writes it (`QDi.276`), or None when the text is not one."""
    found = "".join(text.split())
    if not _UN_REFERENCE.fullmatch(found.upper()):
        return None
    return found[:2].upper() + found[2].lower() + found[3:]


def keys(entity: Entity) -> frozenset[str]:
    """What the entity shares with every other list entry of its designation (see the module's docstring)."""
    found: set[str] = set()
    number = ofac_record(entity.id)
    if number is not None:
        found.add(f"ofac:{number}")
    cited = [entity.id.split(":", 1)[1]] if entity.source == "un" else []
    if entity.remarks and "UN reference: " in entity.remarks:
        for line in _UN_NOTE.findall(entity.remarks):
            cited += line.split(",")
    for identifier in entity.identifiers:
        kind = _KEYED_TYPES.get(identifier.type)
        if kind is not None:
            value = _NOT_KEY_CHARACTERS.sub("", identifier.value.upper())
            if identifier.type is IdentifierType.SWIFT_BIC and len(value) == 11 and value.endswith("XXX"):
                value = value[:8]
            if identifier.type is IdentifierType.IMO and "company" in (identifier.label or "").casefold():
                kind = "imo-company"
            if len(value) >= MIN_IDENTIFIER:
                found.add(f"{kind}:{value}")
        elif _UN_LABEL.search(identifier.label or ""):
            cited.append(identifier.value)
    found.update(f"un:{reference}" for text in cited if (reference := un_reference(text)))
    return frozenset(found)


def _names(entity: Entity, signals: Iterable[tuple[str, ...]], weak: bool = False) -> Iterator[str]:
    """Each of the entity's names of two words or more, its identifying words sorted; a weak alias only when `weak`
    (a nickname says who someone is only beside their date of birth)."""
    for name, signal in zip(entity.names, signals, strict=True):
        words = sorted(set(signal))
        if (weak or name.quality is not NameQuality.WEAK) and len(words) >= 2:
            yield " ".join(words)


def person_keys(entity: Entity, signals: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """A person's `person:DATE:NAME` keys (see the module's docstring), from the identifying words of each of
    their names, in the entity's order of names (`signals`)."""
    if entity.kind is not EntityKind.PERSON:
        return frozenset()
    dates = {str(d.date) for d in entity.dates_of_birth if d.date is not None and d.date.day and not d.circa}
    return frozenset(f"person:{date}:{name}" for name in _names(entity, signals, weak=True) for date in dates)


def listing_keys(entity: Entity, signals: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """A dated CSL row's `listing:LIST:DATE:NAME` keys (see the module's docstring); OFAC's rows have its record
    number, which says more."""
    if entity.source != "us-csl" or entity.listed_on is None or ofac_record(entity.id) is not None:
        return frozenset()
    return frozenset(f"listing:{entity.sub_list}:{entity.listed_on}:{name}" for name in _names(entity, signals))


def organization_keys(entity: Entity, signals: Iterable[tuple[str, ...]]) -> frozenset[str]:
    """An organisation's `organization:NAME` keys (see the module's docstring); `linked` keeps those few share."""
    if entity.kind is not EntityKind.ORGANIZATION:
        return frozenset()
    return frozenset(f"organization:{name}" for name in _names(entity, signals))


def authority(entity: Entity) -> str:
    """Who keeps the entry: OFAC for its own lists and the CSL's Treasury rows (one record on several lists),
    else the entry's list."""
    return "ofac" if ofac_record(entity.id) is not None else entity.source


def linked(entity_keys: Sequence[Iterable[str]], authorities: Sequence[str]) -> list[int]:
    """For each entity, the first entity of its designation: entities sharing a key are one (transitively); an
    organisation's name links only the few designations of different authorities (`authority`) that bear it.

    Designations are first joined by every other key, so one record on several lists (OFAC's SDN entry and
    its CSL copy) counts once: the State Department's CSL entry named as OFAC's record is the same party."""
    parent = list(range(len(entity_keys)))

    def root(number: int) -> int:
        while parent[number] != number:
            parent[number] = parent[parent[number]]
            number = parent[number]
        return number

    def join(keyed: Iterable[tuple[str, int]]) -> None:
        holder: dict[str, int] = {}
        for key, number in keyed:
            a, b = root(holder.setdefault(key, number)), root(number)
            if a != b:
                parent[max(a, b)] = min(a, b)

    join((key, n) for n, found in enumerate(entity_keys) for key in found if not key.startswith("organization:"))
    holders: dict[str, set[int]] = {}
    for number, found in enumerate(entity_keys):
        for key in found:
            if key.startswith("organization:"):
                holders.setdefault(key, set()).add(root(number))
    members: dict[int, set[str]] = {}
    for number, authority_of in enumerate(authorities):
        members.setdefault(root(number), set()).add(authority_of)

    def apart(roots: set[int]) -> bool:
        """Is each authority in one of the designations at most?"""
        seen: set[str] = set()
        for first in roots:
            if seen & members[first]:
                return False
            seen |= members[first]
        return True

    kept = {key for key, roots in holders.items() if len(roots) <= MAX_NAMESAKES and apart(roots)}
    join((key, n) for n, found in enumerate(entity_keys) for key in found if key in kept)
    return [root(number) for number in range(len(entity_keys))]


def designations(hits: Iterable[Hit], limit: int | None = None) -> list[Designation]:
    """The hits grouped by designation, best first, the first `limit` (all when None); each led by its best hit.

    Hits are taken in the screener's order (score down, then entity id), so a group's lead is its
    first hit and the groups are in the order of their leads.
    """
    ordered = sorted(hits, key=lambda hit: (-hit.score, hit.listed_with is not None, hit.entity.id))
    found = [keys(hit.entity) | hit.linked for hit in ordered]
    # A group's root is its first, and so best, hit; the same entity twice is one.
    roots = linked(
        [(*found[n], f"entity:{hit.entity.id}") for n, hit in enumerate(ordered)],
        [authority(h.entity) for h in ordered],
    )
    groups: dict[int, list[int]] = {}
    for number, first in enumerate(roots):
        groups.setdefault(first, []).append(number)
    chosen = list(groups.values()) if limit is None else list(groups.values())[:limit]
    return [
        Designation(
            ordered[members[0]], tuple(ordered[n] for n in members[1:]), frozenset().union(*(found[n] for n in members))
        )
        for members in chosen
    ]


def designation_keys(hits: Iterable[Hit]) -> dict[str, str]:
    """Each hit's entity id, and the key of the designation the hits put it in (`Designation.key`)."""
    return {hit.entity.id: group.key for group in designations(hits) for hit in group.hits}
