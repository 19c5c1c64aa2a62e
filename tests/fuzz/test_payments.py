"""Payment messages (MT103, MT202, pacs.008, pacs.009, pain.001, in their wrappers), damaged or arbitrary, are
read or refused with one ClearanceError line; whatever is read screens without error."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clearance.matching import Screener
from clearance.text import TextScreener
from clearance.text.payment_screening import Decision, screen_payment
from clearance.text.payments import Payment, parse_mt103, read_payment
from tests.fuzz.strategies import FUZZ, byte_mutation, mutated_xml, refused_cleanly, scratch, values

DATA = Path(__file__).resolve().parents[1] / "text" / "data"
MT103 = sorted(path.name for path in DATA.glob("mt*.txt"))
PACS008 = sorted(path.name for path in DATA.glob("*.xml"))
_TAGS = (
    "20", "21", "23B", "32A", "50A", "50F", "50K", "52A", "52D", "53A", "54A", "56A", "57A", "57D", "58A", "59",
    "59A", "59F", "70", "71A", "72", "77T",
)  # fmt: skip
_PACS_RECORDS = (
    "CdtTrfTxInf", "Dbtr", "Cdtr", "DbtrAgt", "CdtrAgt", "PstlAdr", "Nm", "Ustrd", "Ctry", "BICFI", "AppHdr",
    "Document", "UndrlygCstmrCdtTrf", "AdrLine", "PmtInf", "Fr", "FinInstnId",
)  # fmt: skip
_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be")


@cache
def _sample(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def test_the_samples_are_there() -> None:
    assert MT103 and PACS008


tags = st.one_of(st.sampled_from(_TAGS), st.from_regex(r"[0-9]{2}[A-Z]?", fullmatch=True))
field_values = st.one_of(
    values,
    st.lists(values, max_size=4).map("\n".join),
    st.sampled_from(
        ["/", "/ACCOUNT", "1/NAME\n3/RU/MOSCOW", "1/", "x/y", "DEUTDEFF", "deutdeff", "230225EUR1,", "", "4/19700231"]
        + ["ABCDEFGH", "INV 1 :59:/X NAME", "KALASH\u200bNIKOV", "3/EF/TOWN", "//RT\nBICFOOYY", ":59:"]
    ),
)


@st.composite
def mt103_mutation(draw: st.DrawFn, text: str) -> str:
    """One change to an MT103: a field's value replaced, a field added, dropped or repeated."""
    lines = text.split("\n")
    fields = [i for i, line in enumerate(lines) if line.startswith(":")]
    kind = draw(st.sampled_from(["value", "value", "add", "drop", "repeat", "block", "flatten"]))
    i = draw(st.sampled_from(fields)) if fields else 0
    if kind == "value" and fields:
        tag = lines[i].split(":")[1]
        lines[i] = f":{tag}:{draw(field_values)}"
    elif kind == "add":
        lines.insert(draw(st.integers(0, len(lines))), f":{draw(tags)}:{draw(field_values)}")
    elif kind == "drop" and lines:
        del lines[draw(st.integers(0, len(lines) - 1))]
    elif kind == "repeat" and fields:
        lines.insert(i, lines[i])
    elif kind == "block":
        lines = [line.replace(draw(st.sampled_from(["{4:", "-}", "{1:", ":"])), draw(values), 1) for line in lines]
    elif kind == "flatten":
        return " ".join(lines)
    return "\n".join(lines)


def _read(data: bytes, suffix: str) -> Payment | None:
    with scratch() as folder:
        path = folder / f"message{suffix}"
        path.write_bytes(data)
        return refused_cleanly(lambda: read_payment(path), str(path))


@pytest.mark.parametrize("name", MT103)
@FUZZ
@given(data=st.data())
def test_mutated_mt103(name: str, data: st.DataObject) -> None:
    text = _sample(name)
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(mt103_mutation(text))
    raw = text.encode(data.draw(st.sampled_from(_ENCODINGS)), "surrogatepass")
    if data.draw(st.integers(0, 3)) == 0:
        raw = data.draw(byte_mutation(raw))
    _read(raw, ".txt")


@pytest.mark.parametrize("name", PACS008)
@FUZZ
@given(data=st.data())
def test_mutated_pacs008(name: str, data: st.DataObject) -> None:
    _read(data.draw(mutated_xml(_sample(name), _PACS_RECORDS)), ".xml")


@FUZZ
@given(st.text(max_size=400))
@example(":20:R\n:23B:CRED\n:32A:230225EUR1,\n:50K:A\n:59:B\n:52A:\n:71A:SHA")  # IndexError: no BIC
def test_arbitrary_text_as_an_mt103(text: str) -> None:
    refused_cleanly(lambda: parse_mt103(text, "message"), "message")


@FUZZ
@given(st.one_of(st.binary(max_size=400), st.text(max_size=200).map(lambda t: ("<" + t).encode())))
def test_arbitrary_bytes_as_a_payment(data: bytes) -> None:
    _read(data, "")


@pytest.fixture(scope="module")
def texts(screener: Screener) -> TextScreener:
    return TextScreener(screener)


@pytest.mark.parametrize("name", ["mt103_swift_example.txt", "mt202cov_crlf.txt", "mt103_59_inside_70.txt"])
@FUZZ
@given(data=st.data())
def test_a_damaged_mt_message_read_screens(texts: TextScreener, name: str, data: st.DataObject) -> None:
    text = _sample(name)
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(mt103_mutation(text))
    payment = _read(text.encode("utf-8", "surrogatepass"), ".txt")
    if payment is not None:
        assert screen_payment(payment, texts.screener, texts).decision in set(Decision)


@pytest.mark.parametrize("name", ["pacs008_datapdu.xml", "pacs009cov_envelope.xml", "pacs008_two_names.xml"])
@FUZZ
@given(data=st.data())
def test_a_damaged_iso20022_message_read_screens(texts: TextScreener, name: str, data: st.DataObject) -> None:
    payment = _read(data.draw(mutated_xml(_sample(name), _PACS_RECORDS)), ".xml")
    if payment is not None:
        assert screen_payment(payment, texts.screener, texts).decision in set(Decision)
