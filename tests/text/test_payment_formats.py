"""Payment messages as they arrive: every format, wrapper, encoding and layout real systems send, read whole.

Every message here is a real one from a public test suite (data/README.md); the encodings and layouts
are derived from them in memory, as the test says.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from clearance.text import TextScreener
from clearance.text.payment_screening import Decision, PaymentResult
from clearance.text.payments import AnomalyCode, Payment, PaymentFormatError, loads_payment, read_payment
from tests.text.test_payments import (
    KALASHNIKOV,
    MAHAN_AIR,
    codes,
    designations,
    edited,
    party,
    screened,
    text,
)

DATA = Path(__file__).parent / "data"
DOCUMENT = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]"


@pytest.mark.parametrize(
    ("name", "kind", "reference", "sender", "receiver", "decision"),
    [
        ("mt103_prowide.txt", "MT103", "22342343", "BBBBUS3N", "BICFOOYY", "clean"),
        ("mt103_stp_prowide.txt", "MT103 STP", "0061350113089908", "CCCCUSMM", "BICFOOYY", "clean"),
        ("mt103_prowide_clearing_code.txt", "MT103", "AMLX985338-D4E5E", "CRESLULL", "BICFOOYY", "clean"),
        ("mt103_stp.txt", "MT103 STP", "494938/DEV", "BKAUATWW", "OCBCSGSG", "clean"),
        ("mt103_remit.txt", "MT103 REMIT", "494931/DEV", "RABOBE22", "BKAUATWW", "clean"),
        ("mt202.txt", "MT202", "JPYNOSTRO170105", "BANKGB2L", "BANKJPJT", "clean"),
        ("mt202cov.txt", "MT202 COV", "090525/124COV", "AAAABEBB", "CCCCUS33", "clean"),
        ("mt202cov_crlf.txt", "MT202 COV", "090525/124COV", "AAAABEBB", "CCCCUS33", "clean"),
        ("pacs008_message_apphdr.xml", "pacs.008", "823823423", "MLCOUS33XXX", "MLCOUS33XXX", "clean"),
        ("pacs008_datapdu.xml", "pacs.008", "823823423", "MLCOUS33XXX", "MLCOUS33XXX", "clean"),
        ("pacs008_envelope_apphdr.xml", "pacs.008", "494938/DEV", "BKAUATWW", "OCBCSGSG", "clean"),
        ("pacs008_remit_envelope.xml", "pacs.008", "494931/DEV", None, None, "clean"),
        ("pacs009_message_apphdr.xml", "pacs.009", "SDFASDF2323", "MLCOUS33XXX", "MLCOUS33XXX", "clean"),
        ("pacs009cov_envelope.xml", "pacs.009 COV", "090525/124COV", None, None, "clean"),
        ("pain001_sepaxml.xml", "pain.001", "20180724040432-d24ce3b3e284", None, None, "clean"),
    ],
)
def test_real_messages_are_read_whole_and_clean_ones_are_clean(
    text_screener: TextScreener,
    name: str,
    kind: str,
    reference: str,
    sender: str | None,
    receiver: str | None,
    decision: str,
) -> None:
    result = screened(name, text_screener)
    payment = result.payment
    assert (payment.kind, payment.reference, payment.sender, payment.receiver) == (kind, reference, sender, receiver)
    assert result.decision.value == decision, [f for r in result.parties for f in r.findings]
    assert not any(a.review for a in payment.all_anomalies), payment.all_anomalies
    assert not [a for a in payment.anomalies if a.code is AnomalyCode.MESSAGE_TYPE]


def test_an_acronym_in_remittance_is_only_a_possible_hit(text_screener: TextScreener) -> None:
    """SWIFT's MT103 example names ABC-15 in field 70, and ABC is a listed alias: worth a look, not a block."""
    result = screened("mt103_swift_example.txt", text_screener)
    assert result.decision is Decision.POSSIBLE
    assert all(f.partial and f.query == "ABC" for t in result.texts for f in t.findings)


def test_every_mt103_party_option_is_read(text_screener: TextScreener) -> None:
    result = screened("mt103_swift_example.txt", text_screener)
    assert party(result, ":50K:").party.name == "JOHN DOE"
    assert party(result, ":52A:").party.bic == "DEUTDEFFXXX"
    assert party(result, ":53B:").party.name == "NEW YORK BRANCH"
    assert party(result, ":57D:").party.name == "CITIBANK N.A."
    beneficiary = party(result, ":59F:").party
    assert beneficiary.name == "DEPT OF PROMOTION OF SPICY FISH CENTER FOR INTERNATIONALISATION"
    assert beneficiary.lines[:2] == ("DEPT OF PROMOTION OF SPICY FISH", "CENTER FOR INTERNATIONALISATION")
    assert beneficiary.country == "CN"
    assert {t.text.field for t in result.texts} == {":70:", ":72:", ":77B:"}


def _paths(payment: Payment) -> dict[str, str | None]:
    return {p.field: p.name or p.bic for p in payment.parties}


def test_a_business_application_header_and_its_wrappers(text_screener: TextScreener) -> None:
    message = screened("pacs008_message_apphdr.xml", text_screener).payment
    paths = _paths(message)
    assert paths["AppHdr/Fr/FIId/FinInstnId/BICFI"] == "MLCOUS33XXX"
    assert paths[f"{DOCUMENT}/Cdtr/Nm"] == "Mike Smith"
    assert paths[f"{DOCUMENT}/Dbtr/Nm"] == "JOHN DOE"
    agent = next(p for p in message.parties if p.field == "Document/FIToFICstmrCdtTrf/GrpHdr/InstgAgt/FinInstnId/Nm")
    assert (agent.role, agent.name, agent.bic) == ("instructing agent", "Lionel Messi", "CITTGB2LPBG")
    assert message.definition == "pacs.008.001.07"
    datapdu = screened("pacs008_datapdu.xml", text_screener).payment
    assert _paths(datapdu) == paths
    envelope = screened("pacs008_envelope_apphdr.xml", text_screener).payment
    assert envelope.definition == "pacs.008.001.12"
    assert _paths(envelope)[f"{DOCUMENT}/Cdtr/Nm"] == "C.WON"


def test_a_datapdu_names_its_sender_when_no_header_does() -> None:
    original = (DATA / "pacs008_datapdu.xml").read_text()
    start, end = original.index("    <AppHdr"), original.index("</AppHdr>") + len("</AppHdr>")
    payment = loads_payment((original[:start] + original[end:]).encode(), "message")
    assert (payment.sender, payment.receiver) == ("SAASBEBBXXX", "SAATBEBBXXX")
    assert {p.role for p in payment.parties if p.field.startswith("DataPDU/")} == {"sender", "receiver"}


def test_a_wrapper_around_no_payment_is_refused() -> None:
    with pytest.raises(PaymentFormatError, match="not a payment message"):
        read_payment(DATA / "datapdu_getaccount.xml")


def test_pacs009_cov_screens_the_underlying_customer_transfer(text_screener: TextScreener) -> None:
    result = screened("pacs009cov_envelope.xml", text_screener)
    base = "Document/FICdtTrf/CdtTrfTxInf[1]"
    debtor = party(result, f"{base}/UndrlygCstmrCdtTrf/Dbtr/Nm").party
    assert (debtor.role, debtor.name, debtor.country) == ("underlying debtor", "MR. BIG", "BE")
    assert party(result, f"{base}/Cdtr/FinInstnId/BICFI").party.bic == "BBBBGB22"
    assert text(result, f"{base}/UndrlygCstmrCdtTrf/RmtInf/Ustrd").text.role == "underlying remittance information"
    listed = edited("pacs009cov_envelope.xml", ("<Nm>MR. SMALL</Nm>", "<Nm>Mahan Air</Nm>"))
    creditor = party(screened(listed, text_screener), f"{base}/UndrlygCstmrCdtTrf/Cdtr/Nm")
    assert creditor.party.role == "underlying creditor" and MAHAN_AIR in designations(creditor.findings, whole=True)


def test_pacs009_institutions_by_name_and_bic(text_screener: TextScreener) -> None:
    result = screened("pacs009_message_apphdr.xml", text_screener)
    debtor = party(result, "Document/FICdtTrf/CdtTrfTxInf[1]/Dbtr/FinInstnId/Nm").party
    assert (debtor.name, debtor.bic, debtor.role) == ("SDFGS SDFGD", "SSTYPLP1XXX", "debtor")
    agent = party(result, "Document/FICdtTrf/GrpHdr/InstdAgt/FinInstnId/Nm").party
    assert agent.name == "ASDF AF ASDFSDF ASDFSDF"  # a name broken over lines in the XML is one name


def test_pain001_every_creditor_of_every_payment(text_screener: TextScreener) -> None:
    base = "Document/CstmrCdtTrfInitn"
    result = screened("pain001_sepaxml.xml", text_screener)
    assert party(result, f"{base}/GrpHdr/InitgPty/Nm").party.role == "initiating party"
    assert party(result, f"{base}/PmtInf[1]/CdtTrfTxInf[2]/Cdtr/Nm").party.name == "Test du Test"
    assert party(result, f"{base}/PmtInf[1]/Dbtr/Nm").party.account == "NL50BANK1234567890"
    listed = edited("pain001_sepaxml.xml", ("<Nm>Test du Test</Nm>", "<Nm>Kalashnikov Concern</Nm>"))
    creditor = party(screened(listed, text_screener), f"{base}/PmtInf[1]/CdtTrfTxInf[2]/Cdtr/Nm")
    assert KALASHNIKOV in designations(creditor.findings, whole=True)


def test_remit_envelope_contents_are_text(text_screener: TextScreener) -> None:
    mt = screened("mt103_remit.txt", text_screener)
    assert text(mt, ":77T:").text.role == "envelope contents"
    mx = screened("pacs008_remit_envelope.xml", text_screener)
    narrative = text(mx, f"{DOCUMENT}/SplmtryData/Envlp/Nrtv")
    assert narrative.text.text.startswith("UNH+123A5")
    listed = edited("mt103_remit.txt", (":77T:/NARR/", ":77T:/NARR/KALASHNIKOV CONCERN "))
    assert KALASHNIKOV in designations(text(screened(listed, text_screener), ":77T:").findings, whole=True)


def test_mt202_cov_sequence_b_is_the_underlying_customer_transfer(text_screener: TextScreener) -> None:
    result = screened("mt202cov_crlf.txt", text_screener)
    assert party(result, ":50F:").party.role == "underlying ordering customer"
    assert party(result, ":57A:[2]").party.role == "underlying account with institution"
    assert not [a for a in result.payment.all_anomalies if a.code is AnomalyCode.REPEATED]  # 57A is in A and B
    assert (":32A:", AnomalyCode.UNREADABLE) in codes(result)  # the source's 32A has no currency
    listed = edited("mt202cov.txt", ("1/MR. SMALL", "1/KALASHNIKOV CONCERN"))
    beneficiary = party(screened(listed, text_screener), ":59F:")
    assert beneficiary.party.role == "underlying beneficiary"
    assert KALASHNIKOV in designations(beneficiary.findings, whole=True)


def _same_parties(result: PaymentResult, name: str) -> None:
    assert {(p.party.field, p.party.name, p.party.bic) for p in result.parties} == {
        (p.field, p.name, p.bic) for p in read_payment(DATA / name).parties
    }


@pytest.mark.parametrize("name", ["pacs008_message_apphdr.xml", "mt103_listed_beneficiary.txt"])
def test_a_utf8_byte_order_mark_is_dropped(text_screener: TextScreener, name: str) -> None:
    result = screened(codecs.BOM_UTF8 + (DATA / name).read_bytes(), text_screener)
    _same_parties(result, name)
    assert ("message", AnomalyCode.ENCODING) in codes(result)


@pytest.mark.parametrize("name", ["pacs008_datapdu.xml", "pacs009cov_envelope.xml", "mt103_listed_beneficiary.txt"])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read_with_or_without_a_byte_order_mark(text_screener: TextScreener, name: str, codec: str) -> None:
    """`utf-16` writes a byte order mark; the other two do not, and their zero bytes tell the byte order."""
    result = screened((DATA / name).read_text(encoding="utf-8").encode(codec), text_screener)
    _same_parties(result, name)
    [anomaly] = [a for a in result.payment.anomalies if a.code is AnomalyCode.ENCODING]
    assert "UTF-16" in anomaly.detail and not anomaly.review


def test_latin1_is_read_where_it_is_not_utf8(text_screener: TextScreener) -> None:
    message = (DATA / "mt103_stp.txt").read_text().replace("1/C.WON", "1/JÜRGEN MÜLLER").encode("latin-1")
    result = screened(message, text_screener)
    assert party(result, ":59F:").party.name == "JÜRGEN MÜLLER"
    assert ("message", AnomalyCode.ENCODING) in codes(result)


def _flattened(name: str) -> bytes:
    """Block 4 with its line breaks turned to spaces, as some systems hand messages on."""
    head, body = (DATA / name).read_text().split("{4:", 1)
    return (head + "{4:" + " ".join(body.split("\n"))).encode()


def test_fields_separated_by_spaces_are_read(text_screener: TextScreener) -> None:
    result = screened(_flattened("mt103_listed_beneficiary.txt"), text_screener)
    assert ("{4:}", AnomalyCode.LAYOUT) in codes(result)
    assert result.payment.reference == "CLR2023022501"
    beneficiary = party(result, ":59:")
    assert beneficiary.party.account == "RU0204452560040702810412345678901"
    assert KALASHNIKOV in designations(beneficiary.findings, whole=True)
    structured = screened(_flattened("mt103_stp.txt"), text_screener)
    assert party(structured, ":59F:").party.name == "C.WON" and structured.decision is Decision.CLEAN


def test_block_4_without_a_line_break_or_its_end(text_screener: TextScreener) -> None:
    joined = edited("mt103_listed_beneficiary.txt", ("{4:\n", "{4:"))
    assert screened(joined, text_screener).decision is Decision.HIT
    unended = edited("mt103_listed_beneficiary.txt", ("\n-}", ""))
    result = screened(unended, text_screener)
    assert ("{4:}", AnomalyCode.LAYOUT) in codes(result) and result.decision is Decision.HIT
    bare = (DATA / "mt103_listed_beneficiary.txt").read_text().split("{4:\n", 1)[1].replace("-}", "")
    assert screened(bare.encode(), text_screener).decision is Decision.HIT


def test_a_second_message_in_the_file_calls_for_review(text_screener: TextScreener) -> None:
    two = (DATA / "mt103_stp.txt").read_bytes() + b"\n$\n" + (DATA / "mt103_listed_beneficiary.txt").read_bytes()
    result = screened(two, text_screener)
    assert any(a.code is AnomalyCode.LAYOUT and a.review for a in result.payment.anomalies)
    assert result.decision is Decision.POSSIBLE


def test_a_test_bic_naming_no_country_is_no_refusal(text_screener: TextScreener) -> None:
    result = screened("mt103_stp_prowide.txt", text_screener)
    agent = party(result, ":57A:")
    assert (agent.party.bic, agent.party.country) == ("BICFOOYYXXX", None)
    assert [a.code for a in agent.party.anomalies] == [AnomalyCode.COUNTRY]
