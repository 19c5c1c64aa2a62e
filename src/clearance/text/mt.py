"""SWIFT FIN (MT) payment messages: MT103 (and its STP and REMIT forms), MT202 and MT205 (and their COV form).

Block 4 is read in whatever layout it arrives: fields on lines of their own (LF or CRLF), or separated by
spaces where a system flattened the message; `{4:` with or without a line break after it; with or without
its closing `-}`; or a bare block 4 without header blocks. The header blocks give the type (`{2:I103...}`,
`{2:O202...}`, `{3:{119:STP|REMIT|COV}}`) and the sender's and receiver's BICs, screened as institutions.

A party field is read by its option: A (account, BIC), F (`1/NAME`, `2/ADDRESS`, `3/CC/TOWN`,
`4/YYYYMMDD` lines), and K, D, B and the plain 59 (account, then name and address lines). A field that
breaks its format is an anomaly of that field, screened as written where it may name a party. MT202 COV's
sequence B (the underlying customer transfer: 50a, 52a, 56a, 57a, 59a, 70, 72) is read as such.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from clearance.countries import to_iso2
from clearance.model import EntityKind
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

_TAG_LINE = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
_TAG_SPACED = re.compile(r"(?:^|(?<=\s)):(\d{2}[A-Z]?):")
_TAG_INSIDE = re.compile(r"(?<=\s):(\d{2}[A-Z]?):")
_NUMBERED = re.compile(r"^(\d)/(.*)$")
_AMOUNT = re.compile(r"^\d{6}[A-Z]{3}\d+(,\d*)?$")
_END = re.compile(r"\r?\n-\}|-\}")
_B1 = re.compile(r"\{1:([^{}]*)\}")
_B2 = re.compile(r"\{2:([^{}]*)\}")
_B119 = re.compile(r"\{119:\s*([A-Za-z]+)\s*\}")
_LT_B1 = re.compile(r"^[A-Z]\d{2}([A-Z]{6}[A-Z0-9]{2})")
_LT_IN = re.compile(r"^I(\d{3})([A-Z]{6}[A-Z0-9]{2})")
_LT_OUT = re.compile(r"^O(\d{3})\d*([A-Z]{6}[A-Z0-9]{2})")

PARTY_ROLES = {
    "50": "ordering customer",
    "51": "sending institution",
    "52": "ordering institution",
    "53": "sender's correspondent",
    "54": "receiver's correspondent",
    "55": "third reimbursement institution",
    "56": "intermediary",
    "57": "account with institution",
    "58": "beneficiary institution",
    "59": "beneficiary",
}
TEXT_ROLES = {
    "70": "remittance information",
    "72": "sender to receiver information",
    "77B": "regulatory reporting",
    "77T": "envelope contents",
    "79": "narrative",
}
_CUSTOMERS = frozenset({"50", "59"})
_REPEATABLE = frozenset({"13C", "23E", "71F"})
_READ = frozenset({"103", "202", "205"})
_ORDER = {
    "103": ("20 13C 23B 23E 26T 32A 33B 36 50 51 52 53 54 55 56 57 59 70 71A 71F 71G 72 77B 77T".split()),
    "A": "20 21 13C 32A 52 53 54 56 57 58 72".split(),
    "B": "50 52 56 57 59 70 72 33B".split(),
}
"""Field order by sequence: MT103's one, and MT202's and MT205's A and (COV) B."""
_REQUIRED = {
    "103": ("20", "23B", "32A", "50", "59", "71A"),
    "A": ("20", "21", "32A", "58"),
    "B": ("50", "59"),
}
_NAMES = {"50": "50a (ordering customer)", "59": "59a (beneficiary)", "58": "58a (beneficiary institution)"}


@dataclass(frozen=True)
class _Field:
    tag: str
    value: str
    start: int
    end: int
    """Offsets of the value in the message text."""
    family: str = dataclass_field(init=False)
    """50 for 50A, 50F and 50K; the tag itself for fields without options."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "family", self.tag[:2] if self.tag[:2] in PARTY_ROLES else self.tag)


@dataclass(frozen=True)
class _Header:
    mt_type: str | None
    validation: str | None
    sender: str | None
    receiver: str | None
    parties: tuple[PaymentParty, ...]


def parse(message: str, where: str, anomalies: list[Anomaly]) -> Payment:
    """The parties, free text and anomalies of an MT message; `PaymentFormatError` only when it holds
    nothing to screen."""
    text, hidden_at, hidden = visible(message)
    found = list(anomalies)
    start = text.find("{4:")
    header = _header(text[:start] if start >= 0 else text, found)
    body, offset = _block4(text, start, header, found)
    fields, spaced, lead = _fields(body, offset, found)
    if not fields:
        raise PaymentFormatError(f"{where}: no SWIFT MT fields (':20:' ...): not an MT103 or MT202 message")
    families = {f.family for f in fields}
    mt_type = header.mt_type or ("202" if "58" in families or ("21" in families and "23B" not in families) else "103")
    cov = mt_type in ("202", "205") and (header.validation == "COV" or bool(families & _CUSTOMERS))
    kind = f"MT{mt_type}" + _variant(mt_type, header.validation, families, cov)
    if mt_type not in _READ:
        found.append(
            Anomaly(
                "message",
                AnomalyCode.MESSAGE_TYPE,
                f"{kind} is not read field by field (MT103, MT202, MT205): its fields are screened as found",
            )
        )
    reader = _Reader(where, kind, mt_type, spaced, fields, cov, hidden_at, hidden, found)
    if lead:
        reader.texts.append(
            PaymentText(
                "{4:}", "text before the first field", lead, (_unreadable("{4:}", "text before the first field"),)
            )
        )
    reader.read()
    parties = [*header.parties, *reader.parties]
    if nothing_to_screen(parties, reader.texts):
        raise PaymentFormatError(f"{where}: no party, BIC or free-text field to screen: not a payment message")
    reference = next((f.value.strip().splitlines()[0] for f in fields if f.tag == "20" and f.value.strip()), "")
    return Payment(
        kind=kind,
        reference=reference,
        parties=tuple(parties),
        texts=tuple(reader.texts),
        anomalies=tuple(reader.anomalies),
        sender=header.sender,
        receiver=header.receiver,
        definition=kind,
    )


def _variant(mt_type: str, validation: str | None, families: set[str], cov: bool) -> str:
    if mt_type == "103" and (validation == "REMIT" or "77T" in families):
        return " REMIT"
    if mt_type == "103" and validation == "STP":
        return " STP"
    return " COV" if cov else ""


def _header(text: str, found: list[Anomaly]) -> _Header:
    """The type, validation flag and BICs of blocks 1 to 3; an unreadable block is an anomaly, not a refusal."""
    b1 = _B1.search(text)
    b2 = _B2.search(text)
    flag = _B119.search(text)
    first = _LT_B1.match(b1.group(1).strip()) if b1 else None
    bic1 = bic_of(first.group(1)) if first else None
    if b1 and bic1 is None:
        found.append(Anomaly("{1:}", AnomalyCode.UNREADABLE, f"block 1 names no BIC: {b1.group(1)!r}"))
    mt_type = bic2 = None
    output = False
    if b2:
        content = b2.group(1).strip()
        read = _LT_IN.match(content) or _LT_OUT.match(content)
        if read is None:
            found.append(Anomaly("{2:}", AnomalyCode.UNREADABLE, f"block 2 names no type and BIC: {content!r}"))
        else:
            mt_type, bic2, output = read.group(1), bic_of(read.group(2)), content.startswith("O")
    sender, receiver = (bic2, bic1) if output else (bic1, bic2)
    roles = {"{1:}": "receiver" if output else "sender", "{2:}": "sender" if output else "receiver"}
    parties: list[PaymentParty] = []
    for path, bic, block in (("{1:}", bic1, b1), ("{2:}", bic2, b2)):
        if bic is not None and block is not None:
            role = roles[path]
            marks: list[Anomaly] = []
            country = bic_country(bic, path, marks)
            parties.append(
                PaymentParty(
                    path,
                    role,
                    block.group(1).strip(),
                    bic=bic,
                    kind=EntityKind.ORGANIZATION,
                    country=country,
                    anomalies=tuple(marks),
                )
            )
    validation = flag.group(1).upper() if flag else None
    return _Header(mt_type, validation, sender, receiver, tuple(parties))


def _block4(text: str, start: int, header: _Header, found: list[Anomaly]) -> tuple[str, int]:
    """Block 4's text and its offset; a missing `{4:` or `-}` is a layout anomaly, a second message a review."""
    if start < 0:
        if header.parties or "{1:" in text:
            found.append(
                Anomaly("message", AnomalyCode.LAYOUT, "no block 4 ('{4:'): fields read from the whole message")
            )
        return text, 0
    begin = start + 3
    # The end is the `-}` that only trailer blocks or the next message follow: one inside a field ends nothing.
    end_at = next((m for m in _END.finditer(text, begin) if text[m.end() :].lstrip()[:1] in ("", "{", "$")), None)
    if end_at is None:
        found.append(Anomaly("{4:}", AnomalyCode.LAYOUT, "block 4 does not end with '-}': read to the end"))
        trailer = text.find("{5:", begin)
        return text[begin : trailer if trailer >= 0 else len(text)], begin
    rest = text[end_at.end() :]
    if "{4:" in rest or "{1:" in rest:
        found.append(Anomaly("message", AnomalyCode.LAYOUT, "more than one message: only the first is screened", True))
    return text[begin : end_at.start()], begin


def _fields(body: str, offset: int, found: list[Anomaly]) -> tuple[list[_Field], bool, str]:
    """The fields in order, whether they were separated by spaces, and any text before the first."""
    matches = list(_TAG_LINE.finditer(body))
    spaced = False
    if len(matches) < 2:
        loose = list(_TAG_SPACED.finditer(body))
        if len(loose) > len(matches):
            matches, spaced = loose, True
            found.append(Anomaly("{4:}", AnomalyCode.LAYOUT, "fields separated by spaces, not line breaks: read so"))
    fields = []
    for match, following in zip(matches, [*matches[1:], None], strict=False):
        end = following.start() if following is not None else len(body)
        raw = body[match.end() : end]
        value = raw.strip() if spaced else "\n".join(line.rstrip() for line in raw.strip("\r\n").splitlines())
        fields.append(_Field(match.group(1), value, offset + match.end(), offset + end))
    lead = body[: matches[0].start()].strip() if matches else ""
    return fields, spaced, lead


def _unreadable(field: str, detail: str, review: bool = True) -> Anomaly:
    return Anomaly(field, AnomalyCode.UNREADABLE, detail, review)


class _Reader:
    """Reads the fields of one message into parties and free text, with each field's anomalies."""

    def __init__(
        self,
        where: str,
        kind: str,
        mt_type: str,
        spaced: bool,
        fields: list[_Field],
        cov: bool,
        hidden_at: tuple[int, ...],
        hidden: str,
        found: list[Anomaly],
    ) -> None:
        self.where = where
        self.kind = kind
        self.mt_type = mt_type
        self.spaced = spaced
        self.fields = fields
        self.cov = cov
        self.hidden_at = hidden_at
        self.hidden = hidden
        self.anomalies = found
        self.parties: list[PaymentParty] = []
        self.texts: list[PaymentText] = []

    def read(self) -> None:
        occurrences: Counter[str] = Counter()
        given: Counter[tuple[str, str]] = Counter()
        sequence_b = next((i for i, f in enumerate(self.fields) if f.family in _CUSTOMERS), len(self.fields))
        ordered = self.mt_type in _READ
        previous: _Field | None = None
        for index, field in enumerate(self.fields):
            occurrences[field.tag] += 1
            path = f":{field.tag}:" if occurrences[field.tag] == 1 else f":{field.tag}:[{occurrences[field.tag]}]"
            sequence = "103" if self.mt_type == "103" else ("B" if self.cov and index >= sequence_b else "A")
            marks = self._marks(field, path)
            if ordered and field.family not in _REPEATABLE:
                given[sequence, field.family] += 1
                if given[sequence, field.family] > 1:
                    what = f"{field.family}a" if field.family in PARTY_ROLES else field.family
                    marks.append(
                        Anomaly(
                            path,
                            AnomalyCode.REPEATED,
                            f"field {what} given {given[sequence, field.family]} times: every one is screened",
                            field.family in PARTY_ROLES or field.tag in TEXT_ROLES,
                        )
                    )
            if ordered and previous is not None and _out_of_order(previous, field, sequence):
                marks.append(
                    Anomaly(
                        path,
                        AnomalyCode.EMBEDDED,
                        f"field {field.tag} follows field {previous.tag} out of the {self.kind} field order: "
                        f"a field tag line inside field {previous.tag}?",
                        True,
                    )
                )
            self._field(field, path, "underlying " if sequence == "B" else "", marks)
            previous = field
        if ordered:
            self._required(sequence_b)

    def _marks(self, field: _Field, path: str) -> list[Anomaly]:
        count = sum(1 for at in self.hidden_at if field.start <= at < field.end)
        return [invisible_anomaly(path, count, self.hidden)] if count else []

    def _field(self, field: _Field, path: str, prefix: str, marks: list[Anomaly]) -> None:
        inside = [] if self.spaced else list(_TAG_INSIDE.finditer(field.value))
        value = field.value[: inside[0].start()].rstrip() if inside else field.value
        for at, match in enumerate(inside):
            tag = match.group(1)
            marks.append(Anomaly(path, AnomalyCode.EMBEDDED, f"field tag ':{tag}:' inside field {field.tag}", True))
            end = inside[at + 1].start() if at + 1 < len(inside) else len(field.value)
            chunk = field.value[match.end() : end].strip()
            inner = f"{path}/:{tag}:"
            family = tag[:2] if tag[:2] in PARTY_ROLES else tag
            if family in PARTY_ROLES and chunk:
                role = f"{prefix}{PARTY_ROLES[family]} (inside field {field.tag})"
                self.parties += self._party(tag, chunk, inner, role, [], free=True)
            elif chunk:
                self.texts.append(PaymentText(inner, f"inside field {field.tag}", chunk))
        if field.family in PARTY_ROLES:
            self.parties += self._party(field.tag, value, path, prefix + PARTY_ROLES[field.family], marks, self.spaced)
        elif field.tag in TEXT_ROLES:
            if value:
                self.texts.append(PaymentText(path, prefix + TEXT_ROLES[field.tag], value, tuple(marks)))
            else:
                self.anomalies += marks
        else:
            if field.tag == "32A" and not _AMOUNT.match(field.value.strip()):
                detail = f"expected YYMMDD, currency and amount: {field.value!r}"
                marks.append(_unreadable(path, f"field 32A: {detail}", review=False))
            self.anomalies += marks

    def _party(
        self, tag: str, value: str, path: str, role: str, marks: list[Anomaly], free: bool
    ) -> list[PaymentParty]:
        family, option = tag[:2], tag[2:]
        kind = None if family in _CUSTOMERS else EntityKind.ORGANIZATION
        lines = _lines(value, option, free)
        if option == "A" or family == "51":
            return [self._bic_party(tag, path, role, value, lines, kind, marks)]
        if option == "F":
            return [self._structured(tag, path, role, value, lines, kind, marks)]
        account = None
        if lines and lines[0].startswith("/"):
            first = lines.pop(0)
            number, _, rest = first.partition(" ")
            if any(c.isalpha() for c in rest):  # "/ACCOUNT NAME" on one line: the name is still a name
                first = number
                lines.insert(0, rest.strip())
            account = first.lstrip("/") or None
        if option == "C" and not lines:
            return [PaymentParty(path, role, value, kind=kind, account=account, anomalies=tuple(marks))]
        if not lines:
            marks.append(Anomaly(path, AnomalyCode.MISSING, f"field {tag}: no name", True))
            return [PaymentParty(path, role, value, kind=kind, account=account, anomalies=tuple(marks))]
        lines = [capped(line, path, marks, f"field {tag}: a line") for line in lines]
        name = lines[0]
        if len(lines) > 1 and _continues(lines[1]):
            name = capped(f"{lines[0]} {lines[1]}", path, marks, f"field {tag}: a name")
        address = tuple(lines[1:])
        country = next((code for line in reversed(address) if (code := _country_in(line))), None)
        return [
            PaymentParty(
                path,
                role,
                value,
                name=name,
                lines=tuple(lines),
                name_lines=1,
                free=free,
                kind=kind,
                country=country,
                account=account,
                address=address,
                anomalies=tuple(marks),
            )
        ]

    def _bic_party(
        self,
        tag: str,
        path: str,
        role: str,
        value: str,
        lines: list[str],
        kind: EntityKind | None,
        marks: list[Anomaly],
    ) -> PaymentParty:
        accounts = 0
        while accounts < len(lines) and lines[accounts].startswith("/"):
            accounts += 1
        account = " ".join(line.lstrip("/") for line in lines[:accounts]) or None
        rest = [capped(line, path, marks, f"field {tag}: a line") for line in lines[accounts:]]
        if not rest:
            marks.append(Anomaly(path, AnomalyCode.MISSING, f"field {tag}: no BIC", True))
            return PaymentParty(path, role, value, kind=kind, account=account, anomalies=tuple(marks))
        bic = bic_of(rest[0])
        if bic is None:
            marks.append(_unreadable(path, f"not a BIC: {rest[0]!r}: screened as a name"))
            return PaymentParty(
                path,
                role,
                value,
                name=rest[0],
                lines=tuple(rest),
                name_lines=1,
                kind=kind,
                account=account,
                anomalies=tuple(marks),
            )
        if len(rest) > 1:
            marks.append(_unreadable(path, "text after the BIC: screened as address lines"))
        country = bic_country(bic, path, marks)
        return PaymentParty(
            path,
            role,
            value,
            lines=tuple(rest[1:]),
            kind=kind,
            country=country,
            bic=bic,
            account=account,
            anomalies=tuple(marks),
        )

    def _structured(
        self,
        tag: str,
        path: str,
        role: str,
        value: str,
        lines: list[str],
        kind: EntityKind | None,
        marks: list[Anomaly],
    ) -> PaymentParty:
        """Option F: a party identifier or account, then `n/` lines (1 name, 2 address, 3 country and town,
        4 date of birth, 5 place of birth, 6 and 7 identifiers, 8 more of the line before)."""
        account = None
        if lines and not _NUMBERED.match(lines[0]):
            account = lines.pop(0).lstrip("/") or None
        names: list[str] = []
        address: list[str] = []
        loose: list[str] = []
        country = dob = None
        lines = [capped(line, path, marks, f"field {tag}: a line") for line in lines]
        for line in lines:
            numbered = _NUMBERED.match(line)
            if numbered is None or not numbered.group(2).strip():
                marks.append(_unreadable(path, f"line {line!r} is not 'n/text': screened as a name line", review=False))
                loose.append(line)
                continue
            code, rest = numbered.group(1), numbered.group(2).strip()
            if code == "1":
                names.append(rest)
            elif code in ("2", "3"):
                address.append(rest)
                if code == "3" and country is None and rest.split("/", 1)[0].strip():
                    country = country_of(rest.split("/", 1)[0].strip(), path, marks)
            elif code == "4" and dob is None:
                dob = dob_of(rest, path, marks)
        if not names:
            marks.append(Anomaly(path, AnomalyCode.MISSING, f"field {tag}: no name (line 1/)", True))
        name = capped(" ".join(names), path, marks, f"field {tag}: a name") if names else (loose[0] if loose else None)
        return PaymentParty(
            path,
            role,
            value,
            name=name,
            lines=tuple(names + loose + address),
            name_lines=len(names) + len(loose),
            kind=kind,
            country=country,
            dob=dob,
            account=account,
            address=tuple(address),
            anomalies=tuple(marks),
        )

    def _required(self, sequence_b: int) -> None:
        if self.mt_type == "103":
            checks = [("103", {f.family for f in self.fields})]
        else:
            checks = [("A", {f.family for f in self.fields[:sequence_b]})]
            if self.cov:
                checks.append(("B", {f.family for f in self.fields[sequence_b:]}))
        for sequence, present in checks:
            for family in _REQUIRED[sequence]:
                if family not in present:
                    what = _NAMES.get(family, family)
                    review = family in PARTY_ROLES
                    detail = f"field {what} is missing" + (" from sequence B" if sequence == "B" else "")
                    self.anomalies.append(Anomaly("message", AnomalyCode.MISSING, detail, review))


def _out_of_order(previous: _Field, field: _Field, sequence: str) -> bool:
    """A party field after a free-text field it comes before in the format: the sign of a tag line typed
    into the free text (`:70:INVOICE 1` then `:59:/ACCOUNT` and a name)."""
    if previous.tag not in TEXT_ROLES or field.family not in PARTY_ROLES:
        return False
    order = _ORDER[sequence]
    return field.family in order and previous.tag in order and order.index(field.family) < order.index(previous.tag)


def _lines(value: str, option: str, free: bool) -> list[str]:
    """A party field's lines; without line breaks (fields separated by spaces), the F option's numbered
    lines and an account are still told apart."""
    if not free:
        return [line.strip() for line in value.splitlines() if line.strip()]
    flat = " ".join(value.split())
    if option == "F":
        return [part for part in re.split(r"\s+(?=\d/)", flat) if part]
    if option == "A":
        return flat.split()
    if flat.startswith("/") and " " in flat:
        account, rest = flat.split(" ", 1)
        return [account, rest]
    return [flat] if flat else []


def _continues(line: str) -> bool:
    """Whether a second line goes on with the name (VLADIMIR VLADIMIROVICH / PUTIN): no digits (a street
    number, a postcode) and no country at its end."""
    return not any(c.isdigit() for c in line) and _country_in(line) is None


def _country_in(line: str) -> str | None:
    """A country named at the end of an address line ("MOSCOW RUSSIA", "RU", "Minsk, Belarus", "US/NEW YORK")."""
    words = re.split(r"[\s,/]+", line.strip())
    words = [w for w in words if w]
    for size in (2, 1):
        if len(words) >= size and (code := to_iso2(" ".join(words[-size:]))):
            return code
    if words and len(words[0]) == 2 and (code := to_iso2(words[0])) and "/" in line:
        return code
    return None
