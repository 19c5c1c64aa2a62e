"""Payment messages as they arrive: SWIFT MT and ISO 20022, read whole and screened whole.

Payment screening is the real-time job: a message refused, or screened only in part, is either blocked
for nothing or let through unscreened. So a message is read tolerantly:

- in whatever it is encoded in: a byte order mark, UTF-16 with or without one (told by its zero bytes),
  Latin-1 where it is not UTF-8;
- in any wrapper: an MT103, MT202 or their STP, REMIT and COV forms (`text/mt.py`) with or without its
  header blocks; an ISO 20022 pacs.008, pacs.009 (COV too) or pain.001 (`text/iso20022.py`) alone, with
  its Business Application Header, or inside a CBPR+ `<Envelope>`, a SWIFT Alliance `<DataPDU>` or any
  other element;
- a field that breaks its format is an *anomaly* of that field and every other field is still screened;
  a message is refused only when nothing in it can be screened. A name longer than screening takes
  (`MAX_NAME_LENGTH`, where SWIFT allows 4 x 35 characters and ISO 20022 140) is screened cut to it, an
  anomaly that calls for review.

What would hide a party from screening is closed, and each such thing is an anomaly that calls for
review: a party field given twice (both are screened), a field tag inside another field (screened as the
field it names), a name wrapped over two lines (joined, and each line screened on its own too), a second
`Nm` (every one is screened), invisible format characters (taken out of every field before screening).

`text/payment_screening.py` screens what is read here.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from clearance.countries import to_iso2
from clearance.errors import InputError
from clearance.gcpause import gc_paused
from clearance.lists.dates import parse_date
from clearance.model import MAX_NAME_LENGTH, EntityKind

if TYPE_CHECKING:
    from clearance.matching import Screener
    from clearance.text.mentions import TextScreener
    from clearance.text.payment_screening import PaymentResult

MAX_MESSAGE = 1_000_000
"""Bytes of a message file; larger files are refused unread. SWIFT and ISO 20022 bound every field (an MT103
is at most 10,000 characters), so this is generous; a message up to it screens in time and memory in
proportion to its size (bench/text_memory.py)."""
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_ZWNJ = "\u200c"


class PaymentFormatError(InputError):
    """A payment message that cannot be screened at all; names the field."""

    code = "payment_format"


class AnomalyCode(StrEnum):
    """What was odd about a message or one of its fields."""

    ENCODING = "encoding"
    """Not plain UTF-8: a byte order mark, UTF-16, Latin-1. Decoded."""
    LAYOUT = "layout"
    """Block 4 laid out loosely: fields separated by spaces, no closing `-}`, no `<Document>`. Read."""
    INVISIBLE = "invisible"
    """Invisible format characters (zero-width spaces and joiners, the soft hyphen, direction marks): taken out."""
    REPEATED = "repeated"
    """A party field, or a party's `Nm`, more often than the format allows: every one is screened."""
    EMBEDDED = "embedded"
    """A field tag inside another field, or a party field out of the format's order after a free-text field."""
    UNREADABLE = "unreadable"
    """A field that breaks its format: screened as written where it may name a party."""
    MISSING = "missing"
    """A mandatory field missing."""
    COUNTRY = "country"
    """Not a country: the party is screened without one."""
    LENGTH = "length"
    """A name or name line longer than screening takes (`MAX_NAME_LENGTH`): its first part is screened."""
    MESSAGE_TYPE = "message_type"
    """A message type not read field by field: every name, BIC and free text in it is screened as found."""


@dataclass(frozen=True)
class Anomaly:
    field: str
    """The field's path (`:59:[2]`, `Document/.../Cdtr/Nm[2]`), or `message` for the message as a whole."""
    code: AnomalyCode
    detail: str
    review: bool = False
    """Whether it may hide a party: such an anomaly makes the message at least `possible`, never `clean`."""


@dataclass(frozen=True)
class PaymentParty:
    """A party field: a customer or an institution, by name, name and address lines, or BIC."""

    field: str
    """Its path in the message: `:59:`, `:59:[2]`, `:70:/:59:`, `Document/.../CdtTrfTxInf[1]/Cdtr/Nm[2]`."""
    role: str
    text: str
    """The field's text, invisible characters taken out."""
    name: str | None = None
    """The name screened: an MT name wrapped over two lines is joined."""
    lines: tuple[str, ...] = ()
    """Name and address lines, each also screened on its own."""
    name_lines: int = 0
    """How many of `lines` are name lines: a hit on one of those is a hit, on an address line a possible one."""
    free: bool = False
    """Its line structure was lost (fields separated by spaces): its text is also screened as text."""
    kind: EntityKind | None = None
    country: str | None = None
    dob: str | None = None
    bic: str | None = None
    account: str | None = None
    address: tuple[str, ...] = ()
    anomalies: tuple[Anomaly, ...] = ()

    @property
    def cut(self) -> bool:
        """Whether a name or line was longer than screening takes and cut (a `length` anomaly): what is left of
        it is then also screened as text, so a listed name anywhere in it is still found."""
        return any(a.code is AnomalyCode.LENGTH for a in self.anomalies)


@dataclass(frozen=True)
class PaymentText:
    """A free-text field: remittance information, instructions, regulatory reporting, an envelope's narrative."""

    field: str
    role: str
    text: str
    anomalies: tuple[Anomaly, ...] = ()


@dataclass(frozen=True)
class Payment:
    kind: str
    """`MT103`, `MT103 STP`, `MT103 REMIT`, `MT202`, `MT202 COV`, `pacs.008`, `pacs.009`, `pacs.009 COV`,
    `pain.001`, or another type read as found."""
    reference: str
    parties: tuple[PaymentParty, ...]
    texts: tuple[PaymentText, ...]
    anomalies: tuple[Anomaly, ...] = ()
    """Of the message as a whole; each field's own are on the field."""
    sender: str | None = None
    """The sending institution's BIC, from the MT header blocks, the Business Application Header or a wrapper."""
    receiver: str | None = None
    definition: str | None = None
    """The message definition as the message names it: `MT103`, or the header's `pacs.008.001.08`."""

    @property
    def all_anomalies(self) -> tuple[Anomaly, ...]:
        parties = [a for p in self.parties for a in p.anomalies]
        texts = [a for t in self.texts for a in t.anomalies]
        return (*self.anomalies, *parties, *texts)


def read_payment(path: Path) -> Payment:
    """Read a payment message file (SWIFT MT or ISO 20022 XML, told apart by content)."""
    try:
        if path.stat().st_size > MAX_MESSAGE:
            raise PaymentFormatError(f"{path}: larger than {MAX_MESSAGE:,} bytes: not a payment message")
        data = path.read_bytes()
    except OSError as exc:
        raise PaymentFormatError(f"{path}: cannot read: {exc.strerror}") from None
    return loads_payment(data, str(path))


@gc_paused()  # a message makes only acyclic objects: collections meanwhile would walk the whole heap for nothing
def loads_payment(data: bytes, where: str = "payment") -> Payment:
    """A payment message received as bytes (a file's, a request's), told apart by content."""
    from clearance.text import iso20022, mt  # the readers build this module's model: imported once it is there

    if len(data) > MAX_MESSAGE:
        raise PaymentFormatError(f"{where}: larger than {MAX_MESSAGE:,} bytes: not a payment message")
    text, raw, anomalies = decode_message(data, where)
    if text.lstrip()[:1] == "<":
        return iso20022.parse(raw if raw is not None else utf8_xml(text), where, anomalies)
    return mt.parse(text, where, anomalies)


def parse_mt103(message: str, where: str = "MT103") -> Payment:
    """An MT message given as text (any MT type; the name is kept from when MT103 was the only one)."""
    from clearance.text import mt

    return mt.parse(message, where, [])


def parse_pacs008(data: bytes, where: str) -> Payment:
    """An ISO 20022 message given as bytes (pacs.008 or any other this reads, in any wrapper)."""
    from clearance.text import iso20022

    return iso20022.parse(data, where, [])


def screen_payment(payment: Payment, screener: Screener, text_screener: TextScreener | None = None) -> PaymentResult:
    """Screen a message's parties as parties and its free text as text (`text/payment_screening.py`)."""
    from clearance.text.payment_screening import screen_payment as screen

    return screen(payment, screener, text_screener)


# -- decoding -----------------------------------------------------------------------------------


def decode_message(data: bytes, where: str) -> tuple[str, bytes | None, list[Anomaly]]:
    """The message as text; the bytes to hand an XML parser as they are (None when they were re-encoded);
    and what was odd about the encoding.

    A byte order mark is dropped; UTF-16 is read with or without one (its zero bytes tell its byte order);
    text that is not UTF-8 is read as Latin-1, the one encoding that reads any byte, so a Latin-1 file from
    an older system is screened rather than refused.
    """
    found: list[Anomaly] = []
    if data.startswith(codecs.BOM_UTF8):
        found.append(_encoding("a UTF-8 byte order mark: dropped"))
        data = data[3:]
    order = _utf16(data)
    if order is not None:
        codec, told = order
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            raise PaymentFormatError(f"{where}: not {told} text at byte {exc.start}") from None
        found.append(_encoding(f"{told}: decoded"))
        return _text(text.removeprefix("\ufeff"), where), None, found
    try:
        return _text(data.decode("utf-8"), where), data, found
    except UnicodeDecodeError as exc:
        if data.lstrip()[:1] == b"<":
            return _text(data.decode("latin-1"), where), data, found  # the XML declaration says what it is
        found.append(_encoding(f"not UTF-8 (byte {exc.start}): read as Latin-1"))
        return _text(data.decode("latin-1"), where), None, found


def _encoding(detail: str) -> Anomaly:
    return Anomaly("message", AnomalyCode.ENCODING, detail)


def _utf16(data: bytes) -> tuple[str, str] | None:
    """(codec, description) when the bytes are UTF-16: a byte order mark, or text whose every other byte is zero."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", "UTF-16 (little-endian, with a byte order mark)"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "UTF-16 (big-endian, with a byte order mark)"
    head = data[:200]
    pairs = len(head) // 2
    if pairs < 2 or b"\x00" not in head:
        return None
    even = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    if odd >= 0.9 * pairs and even == 0:
        return "utf-16-le", "UTF-16 (little-endian, without a byte order mark)"
    if even >= 0.9 * pairs and odd == 0:
        return "utf-16-be", "UTF-16 (big-endian, without a byte order mark)"
    return None


def _text(text: str, where: str) -> str:
    if "\x00" in text:
        raise PaymentFormatError(f"{where}: binary data (a zero byte at {text.index(chr(0))}): not a payment message")
    return text


def utf8_xml(text: str) -> bytes:
    """XML text as UTF-8 bytes, its declaration saying so (it said UTF-16 when it came that way)."""
    declaration = re.match(r"\s*<\?xml[^>]*\?>", text)
    if declaration is not None:
        fixed = re.sub(r"""encoding\s*=\s*["'][^"']*["']""", 'encoding="UTF-8"', declaration.group(0))
        text = fixed + text[declaration.end() :]
    return text.encode("utf-8")


# -- what every field reader shares ---------------------------------------------------------------


def visible(text: str) -> tuple[str, tuple[int, ...], str]:
    """`text` without its invisible format characters (Unicode Cf: zero-width spaces and joiners, the soft
    hyphen, direction marks), the offsets in the result where they were, and which they were.

    They only ever hide a word ("KALASH\u200bNIKOV"). The zero-width non-joiner becomes a space: Persian
    writes it between the parts of a name, which romanisations write apart.
    """
    if text.isascii():
        return text, (), ""
    kept: list[str] = []
    at: list[int] = []
    which: list[str] = []
    length = 0
    for char in text:
        if char == _ZWNJ or unicodedata.category(char) == "Cf":
            at.append(length)
            if char not in which:
                which.append(char)
            if char == _ZWNJ:
                kept.append(" ")
                length += 1
            continue
        kept.append(char)
        length += 1
    if not at:
        return text, (), ""
    return "".join(kept), tuple(at), "".join(which)


def invisible_anomaly(field: str, count: int, which: str) -> Anomaly:
    names = ", ".join(f"U+{ord(c):04X}" for c in which)
    plural = "s" if count != 1 else ""
    return Anomaly(
        field, AnomalyCode.INVISIBLE, f"{count} invisible format character{plural} taken out ({names})", True
    )


def bic_of(value: str) -> str | None:
    """The BIC a value is (upper case, no spaces), or None."""
    bic = "".join(value.split()).upper()
    return bic if _BIC.match(bic) else None


def bic_identifiers(bic: str) -> tuple[str, ...]:
    """A BIC as lists may carry it: a listed bank is often listed by its BIC8 alone (SABRRUMM, not SABRRUMMXXX)."""
    return (bic, bic[:8]) if len(bic) == 11 else (bic,)


def bic_country(bic: str, field: str, anomalies: list[Anomaly]) -> str | None:
    """The country a BIC's letters 5-6 name; an anomaly (a test BIC, say) when they name none."""
    code = to_iso2(bic[4:6])
    if code is None:
        anomalies.append(Anomaly(field, AnomalyCode.COUNTRY, f"BIC {bic}: {bic[4:6]!r} is not a country"))
    return code


def country_of(value: str, field: str, anomalies: list[Anomaly]) -> str | None:
    code = to_iso2(value)
    if code is None:
        anomalies.append(Anomaly(field, AnomalyCode.COUNTRY, f"not a country: {value!r}: screened without one"))
    return code


def dob_of(value: str, field: str, anomalies: list[Anomaly]) -> str | None:
    """A date of birth as screening reads it (YYYY-MM-DD), from ISO (1970-01-31) or MT (19700131) writing."""
    text = value.strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if parse_date(text) is None:
        anomalies.append(Anomaly(field, AnomalyCode.UNREADABLE, f"not a date of birth: {value!r}: screened without"))
        return None
    return text


def capped(value: str, field: str, anomalies: list[Anomaly], what: str = "name") -> str:
    """A name or name line as screening takes it: a longer one is cut to its first `MAX_NAME_LENGTH`
    characters, at a space where there is one (as a listed name is: `model.py`), so that a listed name at its
    start is still found and no word is screened in part; and it is an anomaly of its field, for review."""
    if len(value) <= MAX_NAME_LENGTH:
        return value
    cut = value[: MAX_NAME_LENGTH + 1].rsplit(" ", 1)[0][:MAX_NAME_LENGTH]
    if not any(a.field == field and a.code is AnomalyCode.LENGTH for a in anomalies):
        detail = (
            f"{what} of {len(value):,} characters, longer than screening takes (at most {MAX_NAME_LENGTH:,}): "
            f"its first {len(cut):,} screened"
        )
        anomalies.append(Anomaly(field, AnomalyCode.LENGTH, detail, True))
    return cut


def nothing_to_screen(parties: list[PaymentParty], texts: list[PaymentText]) -> bool:
    return not texts and not any(p.name or p.bic or p.lines for p in parties)
