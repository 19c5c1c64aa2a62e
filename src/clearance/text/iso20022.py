"""ISO 20022 payment messages: pacs.008, pacs.009 (and its COV form), pain.001, in any namespace version
and any wrapper.

Real systems rarely send a bare `<Document>`: it comes after a Business Application Header (head.001) in
a `<message>`, inside a CBPR+ `<Envelope>`, a SWIFT Alliance `<DataPDU>` or a request of some gateway's
own. The `Document` element is found wherever it is, and the header's From and To BICs and its message
definition are read as well.

The message is then walked once, whatever its type and version: every `Nm` is a name of the party it
belongs to (`Cdtr`, `DbtrAgt`, `UndrlygCstmrCdtTrf/Dbtr`, `Invcee`, ...), every `BICFI` (or `BIC`,
`AnyBIC`) that party's BIC, `PstlAdr` its address (`AdrLine`s screened on their own too), and the
free-text elements (`Ustrd`, `AddtlRmtInf`, `InstrInf`, a regulatory report's `Inf`, a REMIT envelope's
`Nrtv`, `Purp/Prtry`) are text. A party is never missed for sitting where a reader did not look. The XML
is parsed as hostile, as list files are (`lists/xml.py`): no DTD, no entities, no external references.
A message whose bytes surely hold no DTD is read by expat's own parser, three times as fast and as safe
(`_without_dtd`); any other goes through defusedxml. Only the leaves that may name a party or hold free
text are looked at further, and only their paths are written out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element, XMLParser

from defusedxml.ElementTree import fromstring

from clearance.errors import ListFormatError
from clearance.lists.xml import local as _local_name
from clearance.lists.xml import reading
from clearance.model import MAX_NAME_LENGTH, EntityKind
from clearance.text.payments import (
    Anomaly,
    AnomalyCode,
    Payment,
    PaymentFormatError,
    PaymentParty,
    PaymentText,
    bic_country,
    bic_of,
    capped,
    country_of,
    dob_of,
    invisible_anomaly,
    nothing_to_screen,
    visible,
)

BUSINESS = {
    "FIToFICstmrCdtTrf": "pacs.008",
    "FICdtTrf": "pacs.009",
    "CstmrCdtTrfInitn": "pain.001",
    "PmtRtr": "pacs.004",
    "FIToFICstmrDrctDbt": "pacs.003",
    "FIToFIPmtStsRpt": "pacs.002",
    "FIDrctDbt": "pacs.010",
    "CstmrDrctDbtInitn": "pain.008",
}
"""The message a business element names, whatever the namespace says."""
_READ = frozenset({"pacs.008", "pacs.009", "pain.001"})
ROLES = {
    "Dbtr": "debtor",
    "Cdtr": "creditor",
    "UltmtDbtr": "ultimate debtor",
    "UltmtCdtr": "ultimate creditor",
    "InitgPty": "initiating party",
    "DbtrAgt": "debtor agent",
    "CdtrAgt": "creditor agent",
    "IntrmyAgt1": "intermediary agent",
    "IntrmyAgt2": "intermediary agent",
    "IntrmyAgt3": "intermediary agent",
    "InstgAgt": "instructing agent",
    "InstdAgt": "instructed agent",
    "PrvsInstgAgt1": "previous instructing agent",
    "PrvsInstgAgt2": "previous instructing agent",
    "PrvsInstgAgt3": "previous instructing agent",
    "InstgRmbrsmntAgt": "instructing reimbursement agent",
    "InstdRmbrsmntAgt": "instructed reimbursement agent",
    "ThrdRmbrsmntAgt": "third reimbursement agent",
    "FwdgAgt": "forwarding agent",
    "Agt": "charges agent",
    "Invcee": "invoicee",
    "Invcr": "invoicer",
    "DbtrAcct": "debtor account",
    "CdtrAcct": "creditor account",
    "Fr": "sender",
    "To": "receiver",
}
TEXTS = {
    "Ustrd": "remittance information",
    "AddtlRmtInf": "additional remittance information",
    "InstrInf": "instruction",
    "AddtlInf": "additional information",
    "AddtlTxInf": "additional transaction information",
    "Nrtv": "envelope narrative",
}
_TEXT_IN = {("Dtls", "Inf"): "regulatory reporting", ("Purp", "Prtry"): "purpose"}
"""Free text only where it sits: `Inf` in a regulatory report, `Prtry` as a purpose (a code elsewhere)."""
_WRAPPERS = frozenset({"FinInstnId", "FIId", "Pty", "BrnchId"})
"""Elements between a party and its name: an agent's `Nm` sits in `FinInstnId`."""
_ID_WRAPPERS = _WRAPPERS | {"Id", "OrgId", "PrvtId", "Othr", "DtAndPlcOfBirth"}
_ADDRESS_WRAPPERS = _WRAPPERS | {"PstlAdr"}
_BICS = frozenset({"BICFI", "BIC", "AnyBIC", "BICOrBEI"})
_ADDRESS = frozenset(
    "StrtNm BldgNb BldgNm Flr PstBx Room PstCd TwnNm TwnLctnNm DstrctNm CtrySubDvsn Dept SubDept".split()
)
_INDEXED = frozenset({"CdtTrfTxInf", "PmtInf", "DrctDbtTxInf", "TxInf"})
"""Repeating blocks: numbered even when there is one, so a path says which transaction it is in."""
local = lru_cache(maxsize=4096)(_local_name)
"""An element's name without its namespace, remembered: a message asks it of every element several times."""
_TEXT_ONLY_IN = frozenset(name for _, name in _TEXT_IN) - set(TEXTS)
_LEAVES = frozenset({"Nm", "CtryOfRes", "BirthDt", "AdrLine", "Ctry"}) | _BICS | _ADDRESS | set(TEXTS) | _TEXT_ONLY_IN
"""The leaves `_Walk` reads: any other is an amount, a date, a code or an identifier."""
_REPEATED_NAME = re.compile(r"/Nm\[\d+\]$")
_PLAIN_ENCODING = re.compile(
    rb"""(?:\xef\xbb\xbf)?\s*(?:<\?xml\s[^>]*?encoding\s*=\s*["'](?:utf-?8|us-ascii|ascii|iso-8859-1|latin-?1)["']|<(?!\?xml\s[^>]*?encoding))""",
    re.IGNORECASE,
)
"""XML whose markup can only be written in ASCII bytes: no declared encoding, or UTF-8, ASCII or Latin-1."""
_DEFINITION = re.compile(r"([a-z]{4}\.\d{3})\.\d{3}\.\d{2}")


@dataclass
class _Owner:
    """A party element (`Cdtr`, `DbtrAgt`, `Fr`) and what the walk found of it."""

    element: Element
    name: str
    path: str
    underlying: bool
    names: list[tuple[str, str, list[Anomaly]]] = field(default_factory=list)
    bics: list[tuple[str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    country: tuple[str, str] | None = None
    dob: tuple[str, str] | None = None
    institution: bool = False
    marks: list[Anomaly] = field(default_factory=list)


def parse(data: bytes, where: str, anomalies: list[Anomaly]) -> Payment:
    """The parties, free text and anomalies of an ISO 20022 message in any wrapper; `PaymentFormatError`
    for XML that is not well-formed or unsafe, or that holds nothing to screen."""
    root = _parse_xml(data, where)
    found = list(anomalies)
    marks = _landmarks(root)
    document = marks.get("Document")
    if document is None:
        business = marks.get("business")
        if business is None:
            raise PaymentFormatError(
                f"{where}: no ISO 20022 <Document> element (the root is <{local(root.tag)}>): not a payment message"
            )
        found.append(
            Anomaly("message", AnomalyCode.LAYOUT, f"no <Document> element: <{local(business.tag)}> read where it is")
        )
        scope, top = business, local(business.tag)
        messages = [business]
    else:
        scope, top = document, "Document"
        messages = list(document)
    business_element = next((e for e in messages if local(e.tag) in BUSINESS), messages[0] if messages else None)
    header = marks.get("AppHdr")
    kind, definition = _kind(business_element, document, header, "UndrlygCstmrCdtTrf" in marks)
    if kind.split()[0] not in _READ:
        found.append(
            Anomaly(
                "message",
                AnomalyCode.MESSAGE_TYPE,
                f"{kind} is not read field by field (pacs.008, pacs.009, pain.001): "
                "every name, BIC and free text in it is screened as found",
            )
        )
    walk = _Walk(where)
    if header is not None:
        walk.walk(header, "AppHdr")
    walk.walk(scope, top)
    told = {side: _header_bic(header, side) for side in ("Fr", "To")}
    wrapped = {
        "sender": None if told["Fr"] else _wrapper_bic(marks.get("Sender")),
        "receiver": None if told["To"] else _wrapper_bic(marks.get("Receiver")),
    }
    parties = [*_wrapper_parties(root, wrapped), *walk.parties()]
    sender, receiver = told["Fr"] or wrapped["sender"], told["To"] or wrapped["receiver"]
    if business_element is not None:
        found += _required(kind, business_element, top, walk)
    if nothing_to_screen([p for p in parties if p.field.startswith(top)], walk.texts):
        raise PaymentFormatError(f"{where}: no party, BIC or free text to screen in {kind}: not a payment message")
    reference = _text_of(business_element, "GrpHdr", "MsgId") or _text_of(header, "BizMsgIdr") or ""
    return Payment(
        kind=kind,
        reference=reference,
        parties=tuple(parties),
        texts=tuple(walk.texts),
        anomalies=tuple(found),
        sender=sender,
        receiver=receiver,
        definition=definition,
    )


def _parse_xml(data: bytes, where: str) -> Element:
    if not data.strip():
        raise PaymentFormatError(f"{where}: empty")
    try:
        with reading("ISO 20022", Path(where)):
            if _without_dtd(data):
                parser = XMLParser()
                parser.feed(data)
                root: Element = parser.close()
            else:
                root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ListFormatError as exc:
        raise PaymentFormatError(str(exc)) from None
    return root


def _without_dtd(data: bytes) -> bool:
    """Whether the message surely has no DTD, so expat's own parser reads it as safely as defusedxml's, in a
    third of the time: its encoding writes markup in ASCII bytes (UTF-8, ASCII or Latin-1, no zero byte),
    and no `<!DOCTYPE` is among them. Without a DTD there is no entity to expand and no external reference
    to fetch (an undefined entity is a syntax error). Any other message goes through defusedxml."""
    return b"<!DOCTYPE" not in data and b"\x00" not in data and _PLAIN_ENCODING.match(data) is not None


def _landmarks(root: Element) -> dict[str, Element]:
    """The first `Document`, `AppHdr`, wrapper `Sender` and `Receiver`, underlying customer transfer and
    business element (`business`), found in one pass over the message."""
    wanted = {"Document", "AppHdr", "Sender", "Receiver", "UndrlygCstmrCdtTrf"}
    found: dict[str, Element] = {}
    for element in root.iter():
        name = local(element.tag)
        if name in wanted and name not in found:
            found[name] = element
        elif name in BUSINESS and "business" not in found:
            found["business"] = element
    return found


def _kind(
    business: Element | None, document: Element | None, header: Element | None, underlying: bool
) -> tuple[str, str]:
    """(kind, message definition): `pacs.009 COV` when it carries an underlying customer transfer."""
    named = _text_of(header, "MsgDefIdr")
    spaces = [e.tag for e in (document, business) if e is not None and e.tag.startswith("{")]
    versions = [m.group(0) for text in (named or "", *spaces) if (m := _DEFINITION.search(text))]
    if business is not None and local(business.tag) in BUSINESS:
        kind = BUSINESS[local(business.tag)]
    elif versions:
        kind = versions[0][:8]
    else:
        kind = local(business.tag) if business is not None else "ISO 20022"
    if kind == "pacs.009" and underlying:
        kind = "pacs.009 COV"
    return kind, named or (versions[0] if versions else kind)


def _text_of(element: Element | None, *path: str) -> str | None:
    node = element
    for step in path:
        if node is None:
            return None
        node = next((c for c in node if local(c.tag) == step), None)
    if node is None or node.text is None:
        return None
    return " ".join(node.text.split()) or None


def _header_bic(header: Element | None, side: str) -> str | None:
    """The BIC of the head.001 header's From or To (`Fr/FIId/FinInstnId/BICFI`)."""
    return bic_of(_text_of(header, side, "FIId", "FinInstnId", "BICFI") or "") if header is not None else None


def _wrapper_bic(side: Element | None) -> str | None:
    """The BIC a wrapper names its sender or receiver by: a SWIFT Alliance DataPDU's `Sender/X1`."""
    for inner in side.iter() if side is not None else ():
        if local(inner.tag) in ("X1", "BIC12", "BICFI") and inner.text and (bic := bic_of(inner.text[:11])):
            return bic
    return None


def _wrapper_parties(root: Element, bics: dict[str, str | None]) -> list[PaymentParty]:
    """The wrapper's sender and receiver, screened as institutions where no header names them."""
    parties = []
    for role, bic in bics.items():
        if bic is not None:
            marks: list[Anomaly] = []
            path = f"{local(root.tag)}/{role.title()}"
            country = bic_country(bic, path, marks)
            parties.append(
                PaymentParty(
                    path, role, bic, bic=bic, kind=EntityKind.ORGANIZATION, country=country, anomalies=tuple(marks)
                )
            )
    return parties


class _Walk:
    """One pass over a message's elements, iterative (no depth limit to hit), in document order.

    Only the leaves that may name a party or hold free text are looked at further, and only their paths
    (and their parties') are written out: most of a message is amounts, dates, codes and empty elements.
    """

    def __init__(self, where: str) -> None:
        self.where = where
        self.owners: dict[int, _Owner] = {}
        self.texts: list[PaymentText] = []
        self.parent: dict[int, Element] = {}
        self.paths: dict[int, str] = {}

    def walk(self, top: Element, path: str) -> None:
        parent = self.parent
        visit = self._visit
        self.paths[id(top)] = path
        for element in top.iter():  # document order: a parent comes before its children
            if len(element):
                for child in element:
                    parent[id(child)] = element
            elif element.text is not None and local(element.tag) in _LEAVES:
                visit(element)

    def path(self, element: Element) -> str:
        """The element's path: `Document/.../CdtTrfTxInf[1]/Cdtr/Nm`, a name numbered where it repeats among
        its siblings (and a repeating block always)."""
        paths, parent = self.paths, self.parent
        pending = []
        node = element
        while id(node) not in paths:
            pending.append(node)
            node = parent[id(node)]
        for node in reversed(pending):
            up = parent[id(node)]
            if id(node) in paths:
                continue
            at = paths[id(up)]
            names = [local(child.tag) for child in up]
            counts = Counter(names) if len(set(names)) < len(names) else None
            seen: dict[str, int] = {}
            for child, name in zip(up, names, strict=True):
                if name in _INDEXED or (counts is not None and counts[name] > 1):
                    seen[name] = number = seen.get(name, 0) + 1
                    paths[id(child)] = f"{at}/{name}[{number}]"
                else:
                    paths[id(child)] = f"{at}/{name}"
        return paths[id(element)]

    def _owner(self, element: Element, skip: frozenset[str]) -> _Owner | None:
        """The party an element describes: its nearest ancestor that is not a wrapper."""
        node = element
        institution = False
        while id(node) in self.parent:
            node = self.parent[id(node)]
            name = local(node.tag)
            if name == "FinInstnId":
                institution = True
            if name in skip:
                continue
            owner = self.owners.get(id(node))
            if owner is None:
                owner = self.owners[id(node)] = _Owner(node, name, self.path(node), self._underlying(node))
            owner.institution = owner.institution or institution
            return owner
        return None

    def _underlying(self, node: Element) -> bool:
        while id(node) in self.parent:
            node = self.parent[id(node)]
            if local(node.tag) == "UndrlygCstmrCdtTrf":
                return True
        return False

    def _visit(self, element: Element) -> None:
        """A leaf: a name, a BIC, an address part, a date of birth or free text, by its name and parent."""
        if element.text is None or not element.text.strip():
            return
        name = local(element.tag)
        parent = local(self.parent[id(element)].tag) if id(element) in self.parent else ""
        if name in _TEXT_ONLY_IN and (parent, name) not in _TEXT_IN:
            return
        text, hidden_at, hidden = visible(" ".join(element.text.split()))
        if not text.strip():
            return
        address = parent == "PstlAdr" and (name == "AdrLine" or name in _ADDRESS or name == "Ctry")
        # An address part's path is written out only where it is published: most are display only.
        path = self.path(element) if not address or hidden_at or name == "Ctry" or len(text) > MAX_NAME_LENGTH else ""
        marks = [invisible_anomaly(path, len(hidden_at), hidden)] if hidden_at else []
        if name == "Nm":
            owner = self._owner(element, _WRAPPERS)
            if owner is not None:
                owner.names.append((path, text, marks))
        elif name in _BICS:
            owner = self._owner(element, _ID_WRAPPERS)
            if owner is not None:
                owner.bics.append((path, text))
                owner.marks += marks
        elif address:
            owner = self._owner(element, _ADDRESS_WRAPPERS)
            if owner is not None:
                owner.marks += marks
                if name == "Ctry":
                    owner.country = (text, path)
                else:
                    owner.address.append(text)
                    if name == "AdrLine":
                        owner.lines.append(capped(text, path, owner.marks, "an address line"))
        elif name == "CtryOfRes":
            owner = self._owner(element, _WRAPPERS)
            if owner is not None and owner.country is None:
                owner.country = (text, path)
        elif name == "BirthDt":
            owner = self._owner(element, _ID_WRAPPERS)
            if owner is not None:
                owner.dob = (text, path)
        else:
            role = TEXTS.get(name) or _TEXT_IN.get((parent, name))
            if role is not None:
                prefix = "underlying " if self._underlying(element) else ""
                self.texts.append(PaymentText(path, prefix + role, text, tuple(marks)))

    def parties(self) -> list[PaymentParty]:
        found: list[PaymentParty] = []
        for owner in self.owners.values():
            found += self._parties(owner)
        return found

    def _parties(self, owner: _Owner) -> list[PaymentParty]:
        role = ("underlying " if owner.underlying else "") + ROLES.get(owner.name, owner.name)
        institution = (
            owner.institution or owner.name.endswith(("Agt", "Agt1", "Agt2", "Agt3")) or owner.name in ("Fr", "To")
        )
        kind = EntityKind.ORGANIZATION if institution else None
        marks = list(owner.marks)
        country = country_of(owner.country[0], owner.country[1], marks) if owner.country else None
        dob = dob_of(owner.dob[0], owner.dob[1], marks) if owner.dob else None
        bic = None
        names = list(owner.names)
        for path, value in owner.bics:
            read = bic_of(value)
            if read is None:
                marks.append(Anomaly(path, AnomalyCode.UNREADABLE, f"not a BIC: {value!r}: screened as a name", True))
                names.append((path, value, []))
            elif bic is None:
                bic = read
                country = country or bic_country(read, path, marks)
        account = self._account(owner)
        lines = tuple(owner.lines)

        def party(
            path: str, text: str, name: str | None, screened: tuple[str, ...], notes: list[Anomaly]
        ) -> PaymentParty:
            return PaymentParty(
                path,
                role,
                text,
                name=name,
                lines=screened,
                name_lines=1 if name else 0,
                kind=kind,
                country=country,
                dob=dob,
                bic=bic,
                account=account,
                address=tuple(owner.address),
                anomalies=tuple(notes),
            )

        if not names:
            if bic is None and not lines:
                return []
            path = next((p for p, v in owner.bics if bic_of(v) == bic), f"{owner.path}/PstlAdr")
            return [party(path, bic or " ".join(lines), None, lines, marks)]
        parties = []
        for number, (path, text, own) in enumerate(names):
            notes = marks + own if number == 0 else list(own)
            name = capped(text, path, notes)
            if _REPEATED_NAME.search(path) and not path.endswith("[1]"):  # Nm[2]: not a branch's own Nm
                detail = f"more than one Nm in {owner.name}: every one is screened"
                notes.append(Anomaly(path, AnomalyCode.REPEATED, detail, True))
            parties.append(party(path, text, name, (name, *lines) if number == 0 else (name,), notes))
        return parties

    def _account(self, owner: _Owner) -> str | None:
        """The party's account: its sibling `DbtrAcct` (for `Dbtr`) holds the IBAN or other id."""
        if id(owner.element) not in self.parent:
            return None
        parent = self.parent[id(owner.element)]
        sibling = next((c for c in parent if local(c.tag) == owner.name + "Acct"), None)
        if sibling is None:
            return None
        return _text_of(sibling, "Id", "IBAN") or _text_of(sibling, "Id", "Othr", "Id")

    def has_party(self, element: Element) -> bool:
        owner = self.owners.get(id(element))
        return owner is not None and bool(owner.names or owner.bics)


def _required(kind: str, business: Element, top: str, walk: _Walk) -> list[Anomaly]:
    """A missing debtor or creditor (or their transactions) may be a party kept out of sight: reviewed."""
    base = f"{top}/{local(business.tag)}" if top == "Document" else top
    found: list[Anomaly] = []

    def need(container: Element, path: str, label: str, names: tuple[str, ...]) -> None:
        for name in names:
            element = next((c for c in container if local(c.tag) == name), None)
            if element is None or not walk.has_party(element):
                found.append(
                    Anomaly(f"{path}/{name}", AnomalyCode.MISSING, f"{label}: field {name}/Nm is missing", True)
                )

    def blocks(container: Element, name: str) -> list[Element]:
        return [c for c in container if local(c.tag) == name]

    if kind == "pacs.008" or kind.startswith("pacs.009"):
        transactions = blocks(business, "CdtTrfTxInf")
        if not transactions:
            found.append(Anomaly(base, AnomalyCode.MISSING, "field CdtTrfTxInf is missing", True))
        for number, tx in enumerate(transactions, start=1):
            path = f"{base}/CdtTrfTxInf[{number}]"
            if kind == "pacs.008":
                need(tx, path, f"CdtTrfTxInf[{number}]", ("Dbtr", "Cdtr"))
            for underlying in blocks(tx, "UndrlygCstmrCdtTrf"):
                need(
                    underlying,
                    f"{path}/UndrlygCstmrCdtTrf",
                    f"CdtTrfTxInf[{number}]/UndrlygCstmrCdtTrf",
                    ("Dbtr", "Cdtr"),
                )
    elif kind == "pain.001":
        groups = blocks(business, "PmtInf")
        if not groups:
            found.append(Anomaly(base, AnomalyCode.MISSING, "field PmtInf is missing", True))
        for number, group in enumerate(groups, start=1):
            path = f"{base}/PmtInf[{number}]"
            need(group, path, f"PmtInf[{number}]", ("Dbtr",))
            for tx_number, tx in enumerate(blocks(group, "CdtTrfTxInf"), start=1):
                need(tx, f"{path}/CdtTrfTxInf[{tx_number}]", f"PmtInf[{number}]/CdtTrfTxInf[{tx_number}]", ("Cdtr",))
    return found
