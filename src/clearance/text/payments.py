"""Payment messages: SWIFT MT103 and ISO 20022 pacs.008.

Payment screening reads both halves of a message: the structured parties
(ordering customer, beneficiary, their addresses and countries, the agents'
BICs) are screened as parties, and the free-text fields (remittance
information, sender-to-receiver information) as text, because a listed name
hidden in "INV 42 FOR ROSOBORONEXPORT" is as much a hit as a listed beneficiary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from clearance.countries import to_iso2
from clearance.errors import InputError, ListFormatError
from clearance.lists.xml import find, findall, local, parse_xml_bytes, text
from clearance.matching import Hit, Party, Screener
from clearance.model import MAX_NAME_LENGTH, EntityKind
from clearance.text.mentions import TextResult, TextScreener

MAX_MESSAGE = 1_000_000
"""Bytes of a message file; larger files are refused unread. SWIFT and ISO 20022 bound every field (an MT103
is at most 10,000 characters), so this is generous; a message up to it screens in time and memory in
proportion to its size (bench/text_memory.py)."""
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_MT_FIELD = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
_MT_REQUIRED = ("20", "23B", "32A", "71A")
_PARTY_FIELDS = {
    "50A": "ordering customer",
    "50F": "ordering customer",
    "50K": "ordering customer",
    "59": "beneficiary",
    "59A": "beneficiary",
    "59F": "beneficiary",
}
_AGENT_FIELDS = {
    "52A": "ordering institution",
    "53A": "sender's correspondent",
    "54A": "receiver's correspondent",
    "56A": "intermediary",
    "57A": "account with institution",
}
_TEXT_FIELDS = {"70": "remittance information", "72": "sender to receiver information", "77B": "regulatory reporting"}


class PaymentFormatError(InputError):
    """A payment message that does not follow its published format; names the field."""

    code = "payment_format"


@dataclass(frozen=True)
class PaymentParty:
    role: str
    name: str | None
    country: str | None = None
    bic: str | None = None
    account: str | None = None
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class Payment:
    kind: str
    reference: str
    parties: tuple[PaymentParty, ...]
    texts: tuple[tuple[str, str], ...]
    """(field, free text) pairs to screen as text."""


@dataclass(frozen=True)
class PartyResult:
    party: PaymentParty
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class PaymentResult:
    payment: Payment
    parties: tuple[PartyResult, ...]
    texts: tuple[tuple[str, TextResult], ...]
    algorithm: str
    snapshots: dict[str, int] = field(default_factory=dict)

    @property
    def hit(self) -> bool:
        return any(r.hits for r in self.parties) or any(t.mentions for _, t in self.texts)


def read_payment(path: Path) -> Payment:
    """Read an MT103 (SWIFT FIN) or pacs.008 (ISO 20022 XML) message, told apart by content."""
    try:
        if path.stat().st_size > MAX_MESSAGE:
            raise PaymentFormatError(f"{path}: larger than {MAX_MESSAGE:,} bytes: not a payment message")
        data = path.read_bytes()
    except OSError as exc:
        raise PaymentFormatError(f"{path}: cannot read: {exc.strerror}") from None
    return loads_payment(data, str(path))


def loads_payment(data: bytes, where: str = "payment") -> Payment:
    """An MT103 or pacs.008 received as bytes (a file's, a request's), told apart by content."""
    if len(data) > MAX_MESSAGE:
        raise PaymentFormatError(f"{where}: larger than {MAX_MESSAGE:,} bytes: not a payment message")
    head = data.lstrip()[:200]
    if head.startswith(b"<"):
        return parse_pacs008(data, where)
    try:
        return parse_mt103(data.decode("utf-8"), where)
    except UnicodeDecodeError as exc:
        raise PaymentFormatError(f"{where}: not UTF-8 text at byte {exc.start}") from None


def parse_mt103(message: str, where: str = "MT103") -> Payment:
    """Fields of an MT103's text block (block 4); a clear error naming any missing or malformed field."""
    body = message
    if "{4:" in message:
        body = message.split("{4:", 1)[1]
        body = body.rsplit("-}", 1)[0]
    fields: dict[str, str] = {}
    matches = list(_MT_FIELD.finditer(body))
    if not matches:
        raise PaymentFormatError(f"{where}: no MT103 fields (':20:' ...): not an MT103 message")
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        tag = match.group(1)
        value = body[match.end() : following.start() if following else len(body)].strip("\r\n")
        fields[tag] = value
    for tag in _MT_REQUIRED:
        if not fields.get(tag, "").strip():
            raise PaymentFormatError(f"{where}: field {tag} is missing")
    if not re.match(r"^\d{6}[A-Z]{3}\d+(,\d*)?$", fields["32A"].strip()):
        raise PaymentFormatError(f"{where}: field 32A: expected YYMMDD, currency and amount: {fields['32A']!r}")
    if not any(tag in fields for tag in ("50A", "50F", "50K")):
        raise PaymentFormatError(f"{where}: field 50a (ordering customer) is missing")
    if not any(tag in fields for tag in ("59", "59A", "59F")):
        raise PaymentFormatError(f"{where}: field 59a (beneficiary) is missing")
    parties = [
        _name_checked(_mt_party(tag, role, fields[tag], where), f"{where}: field {tag}")
        for tag, role in _PARTY_FIELDS.items()
        if tag in fields
    ]
    for tag, role in _AGENT_FIELDS.items():
        if tag in fields:
            if not fields[tag].strip():
                raise PaymentFormatError(f"{where}: field {tag}: no BIC")
            bic = _check_bic(fields[tag].splitlines()[-1].strip(), f"{where}: field {tag}")
            parties.append(PaymentParty(role=role, name=None, country=bic[4:6], bic=bic))
    texts = tuple(
        (f"{tag} {label}", " ".join(fields[tag].split()))
        for tag, label in _TEXT_FIELDS.items()
        if fields.get(tag, "").strip()
    )
    return Payment("MT103", fields["20"].strip(), tuple(parties), texts)


def _mt_party(tag: str, role: str, value: str, where: str) -> PaymentParty:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    account = lines.pop(0)[1:] if lines and lines[0].startswith("/") else None
    if tag.endswith("A"):
        if not lines:
            raise PaymentFormatError(f"{where}: field {tag}: no BIC")
        bic = _check_bic(lines[0], f"{where}: field {tag}")
        return PaymentParty(role=role, name=None, country=bic[4:6], bic=bic, account=account)
    if tag.endswith("F"):
        structured: dict[str, list[str]] = {}
        for line in lines:
            number, _, rest = line.partition("/")
            rest = rest.strip()
            if not number.isdigit() or not rest:
                raise PaymentFormatError(f"{where}: field {tag}: line {line!r} is not 'n/text'")
            structured.setdefault(number, []).append(rest)
        if "1" not in structured:
            raise PaymentFormatError(f"{where}: field {tag}: no name (line 1/)")
        country: str | None = None
        for item in structured.get("3", []):
            country = to_iso2(item.split("/", 1)[0]) or country
        address = tuple(structured.get("2", []) + structured.get("3", []))
        return PaymentParty(
            role=role, name=" ".join(structured["1"]), country=country, account=account, address=address
        )
    if not lines:
        raise PaymentFormatError(f"{where}: field {tag}: no name")
    address = tuple(lines[1:])
    country = next((code for line in reversed(address) if (code := _country_in(line))), None)
    return PaymentParty(role=role, name=lines[0], country=country, account=account, address=address)


def _name_checked(party: PaymentParty, where: str) -> PaymentParty:
    """A party whose name screening takes: a longer one is refused here, naming the message's field."""
    if party.name is not None and len(party.name) > MAX_NAME_LENGTH:
        length = f"{len(party.name):,} characters; at most {MAX_NAME_LENGTH:,}"
        raise PaymentFormatError(f"{where}: name too long ({length})")
    return party


def _country_in(line: str) -> str | None:
    """A country named at the end of an address line ("MOSCOW RUSSIA", "RU", "Minsk, Belarus")."""
    words = re.split(r"[\s,]+", line.strip())
    for size in (2, 1):
        if len(words) >= size and (code := to_iso2(" ".join(words[-size:]))):
            return code
    return None


def _check_bic(value: str, where: str) -> str:
    bic = value.strip().upper()
    if not _BIC.match(bic):
        raise PaymentFormatError(f"{where}: not a BIC: {value!r}")
    return bic


def parse_pacs008(data: bytes, path: str) -> Payment:
    """The parties, agents and remittance text of an ISO 20022 pacs.008 (FI to FI customer credit transfer)."""
    try:
        root = parse_xml_bytes("pacs.008", data, path, "Document")
    except ListFormatError as exc:
        raise PaymentFormatError(str(exc)) from None
    transfer = find(root, "FIToFICstmrCdtTrf")
    if transfer is None:
        raise PaymentFormatError(f"{path}: no FIToFICstmrCdtTrf element: not a pacs.008 message")
    transactions = findall(transfer, "CdtTrfTxInf")
    if not transactions:
        raise PaymentFormatError(f"{path}: field CdtTrfTxInf is missing")
    parties: list[PaymentParty] = []
    texts: list[tuple[str, str]] = []
    reference = text(transfer, "GrpHdr/MsgId") or ""
    for number, tx in enumerate(transactions, start=1):
        where = f"{path}: CdtTrfTxInf[{number}]"
        for tag, role in (
            ("Dbtr", "debtor"),
            ("Cdtr", "creditor"),
            ("UltmtDbtr", "ultimate debtor"),
            ("UltmtCdtr", "ultimate creditor"),
            ("InitgPty", "initiating party"),
        ):
            element = find(tx, tag)
            if element is None:
                if tag in ("Dbtr", "Cdtr"):
                    raise PaymentFormatError(f"{where}: field {tag} is missing")
                continue
            name = text(element, "Nm")
            if tag in ("Dbtr", "Cdtr") and not name:
                raise PaymentFormatError(f"{where}: field {tag}/Nm is missing")
            address = find(element, "PstlAdr")
            lines: list[str] = []
            country = None
            if address is not None:
                for child in address:
                    value = text(child)
                    if value and local(child.tag) != "Ctry":
                        lines.append(value)
                country_text = text(address, "Ctry")
                if country_text:
                    country = to_iso2(country_text)
                    if country is None:
                        raise PaymentFormatError(f"{where}: field {tag}/PstlAdr/Ctry: not a country: {country_text!r}")
            party = PaymentParty(role=role, name=name, country=country, address=tuple(lines))
            parties.append(_name_checked(party, f"{where}: field {tag}/Nm"))
        for tag, role in (
            ("DbtrAgt", "debtor agent"),
            ("CdtrAgt", "creditor agent"),
            ("IntrmyAgt1", "intermediary agent"),
            ("IntrmyAgt2", "intermediary agent"),
        ):
            element = find(tx, tag)
            if element is None:
                continue
            bic_text = text(element, "FinInstnId/BICFI") or text(element, "FinInstnId/BIC")
            name = text(element, "FinInstnId/Nm")
            bic = _check_bic(bic_text, f"{where}: field {tag}/FinInstnId/BICFI") if bic_text else None
            parties.append(PaymentParty(role=role, name=name, country=bic[4:6] if bic else None, bic=bic))
        remittance = find(tx, "RmtInf")
        if remittance is not None:
            for line in findall(remittance, "Ustrd"):
                if value := text(line):
                    texts.append(("RmtInf/Ustrd remittance information", value))
        if purpose := text(tx, "Purp/Prtry"):
            texts.append(("Purp/Prtry purpose", purpose))
    return Payment("pacs.008", reference, tuple(parties), tuple(texts))


def screen_payment(payment: Payment, screener: Screener, text_screener: TextScreener | None = None) -> PaymentResult:
    """Screen a message's parties as parties and its free text as text."""
    texts = text_screener or TextScreener(screener)
    results = []
    for party in payment.parties:
        if not party.name and not party.bic:
            continue
        kind = EntityKind.ORGANIZATION if party.name is None else None
        query = Party(
            name=party.name or "", kind=kind, country=party.country, identifiers=(party.bic,) if party.bic else ()
        )
        results.append(PartyResult(party, tuple(screener.screen(query))))
    screened = tuple((name, texts.screen(value)) for name, value in payment.texts)
    return PaymentResult(payment, tuple(results), screened, screener.algorithm, dict(screener.snapshots))
