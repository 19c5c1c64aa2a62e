"""Payment messages screened whole: parties as parties, free text as text, and nothing kept out of sight.

The messages are real ones from public test suites (data/README.md); the evasion cases are real
messages edited as little as the case needs, with names from the real lists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.errors import ClearanceError
from clearance.model import MAX_NAME_LENGTH
from clearance.text import TextScreener
from clearance.text.payment_screening import (
    Decision,
    Finding,
    PartyResult,
    PaymentResult,
    TextFieldResult,
    payment_screener,
)
from clearance.text.payments import AnomalyCode, PaymentFormatError, loads_payment, read_payment, screen_payment

DATA = Path(__file__).parent / "data"
KALASHNIKOV = "ofac:16911"
MAHAN_AIR = "ofac:12927"
PUTIN = "ofac:35096"
SBERBANK = "ofac:17018"
BANK_ROSSIYA = "ofac:16681"


def screened(source: str | bytes, text_screener: TextScreener) -> PaymentResult:
    """A data file by name, or a message's bytes, read and screened."""
    payment = read_payment(DATA / source) if isinstance(source, str) else loads_payment(source, "message")
    return screen_payment(payment, text_screener.screener, text_screener)


def edited(name: str, *changes: tuple[str, str]) -> bytes:
    """A data file with each `old` replaced by `new` once (each must be there)."""
    text = (DATA / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text.encode("utf-8")


def party(result: PaymentResult, field: str) -> PartyResult:
    return next(r for r in result.parties if r.party.field == field)


def text(result: PaymentResult, field: str) -> TextFieldResult:
    return next(t for t in result.texts if t.text.field == field)


def designations(findings: tuple[Finding, ...], whole: bool | None = None) -> set[str]:
    return {f.designation for f in findings if whole is None or f.partial is not whole}


def codes(result: PaymentResult) -> set[tuple[str, AnomalyCode]]:
    return {(a.field, a.code) for a in result.payment.all_anomalies}


def test_mt103_listed_beneficiary(text_screener: TextScreener) -> None:
    result = screened("mt103_listed_beneficiary.txt", text_screener)
    payment = result.payment
    assert (payment.kind, payment.reference) == ("MT103", "CLR2023022501")
    assert (payment.sender, payment.receiver) == ("DEUTDEFF", "RZBAATWW")
    beneficiary = party(result, ":59:")
    assert (beneficiary.party.name, beneficiary.party.country) == ("KALASHNIKOV CONCERN", "RU")
    assert beneficiary.party.account == "RU0204452560040702810412345678901"
    [finding] = [f for f in beneficiary.findings if f.designation == KALASHNIKOV]
    assert {h.entity.id for h in finding.hits} == {"ofac-sdn:16911", "us-csl:16911"}  # one row, both lists
    assert not finding.partial and finding.via == "name"
    assert party(result, ":50K:").findings == ()
    assert result.decision is Decision.HIT and result.hit


def test_mt103_listed_party_only_in_remittance(text_screener: TextScreener) -> None:
    result = screened("mt103_listed_in_remittance.txt", text_screener)
    assert all(not r.findings for r in result.parties)
    ordering = party(result, ":50F:").party
    assert (ordering.name, ordering.country) == ("MASCHINENBAU MUELLER GMBH", "DE")
    [remittance] = result.texts
    assert (remittance.text.field, remittance.text.role) == (":70:", "remittance information")
    assert [m.text for m in remittance.result.mentions] == ["MAHAN AIR"]
    assert MAHAN_AIR in designations(remittance.findings, whole=True)
    assert result.decision is Decision.HIT


@pytest.mark.parametrize("name", ["mt103_clean.txt", "pacs008_clean.xml"])
def test_clean_messages_are_clean(text_screener: TextScreener, name: str) -> None:
    result = screened(name, text_screener)
    assert result.decision is Decision.CLEAN
    assert not any(a.review for a in result.payment.all_anomalies)


def test_pacs008_listed_creditor(text_screener: TextScreener) -> None:
    result = screened("pacs008_listed_creditor.xml", text_screener)
    payment = result.payment
    assert (payment.kind, payment.reference, payment.definition) == (
        "pacs.008",
        "PACS-2023-0225-001",
        "pacs.008.001.08",
    )
    assert {p.role: p.bic for p in payment.parties if p.bic} == {
        "debtor agent": "DEUTDEFF",
        "creditor agent": "RZBAATWW",
    }
    creditor = party(result, "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/Nm")
    assert creditor.party.role == "creditor" and MAHAN_AIR in designations(creditor.findings, whole=True)
    assert party(result, "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Dbtr/Nm").findings == ()


def test_pacs008_listed_party_only_in_remittance(text_screener: TextScreener) -> None:
    result = screened("pacs008_listed_in_remittance.xml", text_screener)
    assert all(not r.findings for r in result.parties)
    [remittance] = result.texts
    assert remittance.text.field == "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/RmtInf/Ustrd"
    assert [m.text for m in remittance.result.mentions] == ["Kalashnikov Concern"]
    assert result.decision is Decision.HIT


@pytest.mark.parametrize("bic", ["ROSYRU2P", "ROSYRU2PXXX"])
def test_a_listed_bank_bic_is_a_hit_in_its_bic8_or_bic11_form(text_screener: TextScreener, bic: str) -> None:
    message = edited("mt103_clean.txt", (":59:", f":57A:{bic}\n:59:"))
    agent = party(screened(message, text_screener), ":57A:")
    assert agent.party.bic == bic and BANK_ROSSIYA in designations(agent.findings, whole=True)


@pytest.mark.parametrize(
    ("name", "change", "field", "code", "detail"),
    [
        (
            "mt103_listed_in_remittance.txt",
            (":59:/AT611904300234573201", ":58:/AT611904300234573201"),
            "message",
            AnomalyCode.MISSING,
            "field 59a (beneficiary) is missing",
        ),
        (
            "mt103_listed_beneficiary.txt",
            (":32A:230225EUR48250,00", ":32A:25 Feb EUR 48250"),
            ":32A:",
            AnomalyCode.UNREADABLE,
            "field 32A: expected YYMMDD, currency and amount",
        ),
        ("mt103_listed_beneficiary.txt", (":20:CLR2023022501\n", ""), "message", AnomalyCode.MISSING, "field 20"),
        ("mt103_listed_beneficiary.txt", (":50K:", ":50F:"), ":50F:", AnomalyCode.MISSING, "no name (line 1/)"),
        (
            "mt103_listed_beneficiary.txt",
            (":52A:DEUTDEFF", ":52A:DEUT DE FF!"),
            ":52A:",
            AnomalyCode.UNREADABLE,
            "not a BIC",
        ),
        ("mt103_listed_beneficiary.txt", (":52A:DEUTDEFF", ":52A:ABCDEFGH"), ":52A:", AnomalyCode.COUNTRY, "'EF'"),
        (
            "pacs008_listed_in_remittance.xml",
            ("<Nm>Alpenhandel Trading GmbH</Nm>", ""),
            "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr",
            AnomalyCode.MISSING,
            "CdtTrfTxInf[1]: field Cdtr/Nm is missing",
        ),
        (
            "pacs008_listed_creditor.xml",
            ("<Ctry>IR</Ctry>", "<Ctry>XX</Ctry>"),
            "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/PstlAdr/Ctry",
            AnomalyCode.COUNTRY,
            "not a country: 'XX'",
        ),
        (
            "pacs008_listed_creditor.xml",
            ("<BICFI>DEUTDEFF</BICFI>", "<BICFI>NOT A BIC</BICFI>"),
            "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/DbtrAgt/FinInstnId/BICFI",
            AnomalyCode.UNREADABLE,
            "not a BIC",
        ),
    ],
)
def test_a_broken_field_is_an_anomaly_and_the_rest_is_still_screened(
    text_screener: TextScreener, name: str, change: tuple[str, str], field: str, code: AnomalyCode, detail: str
) -> None:
    result = screened(edited(name, change), text_screener)
    found = [a for a in result.payment.all_anomalies if (a.field, a.code) == (field, code)]
    assert found and any(detail in a.detail for a in found), result.payment.all_anomalies
    assert result.decision is Decision.HIT  # the listed party in another field is still found


def test_an_address_naming_no_country_is_no_refusal(text_screener: TextScreener) -> None:
    message = edited("mt103_listed_beneficiary.txt", ("70173 STUTTGART GERMANY", "EF"))
    result = screened(message, text_screener)
    assert party(result, ":50K:").party.country is None and result.decision is Decision.HIT


def test_unsafe_and_foreign_messages_are_refused(tmp_path: Path) -> None:
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>'
    )
    with pytest.raises(ClearanceError, match="unsafe XML"):
        read_payment(xxe)
    note = tmp_path / "note.txt"
    note.write_text("Dear colleague, please pay the invoice.")
    with pytest.raises(PaymentFormatError, match="not an MT103 or MT202 message"):
        read_payment(note)


def test_a_name_longer_than_screening_takes_is_cut_an_anomaly_and_still_screened(text_screener: TextScreener) -> None:
    long = "KALASHNIKOV CONCERN" + " IZHEVSK MACHINE WORKS" * 60
    message = edited("mt103_listed_beneficiary.txt", ("KALASHNIKOV CONCERN", long))
    result = screened(message, text_screener)
    beneficiary = party(result, ":59:")
    [anomaly] = [a for a in beneficiary.party.anomalies if a.code is AnomalyCode.LENGTH]
    assert anomaly.field == ":59:" and anomaly.review and "field 59" in anomaly.detail
    assert f"{len(long):,} characters" in anomaly.detail and f"at most {MAX_NAME_LENGTH:,}" in anomaly.detail
    assert beneficiary.party.name == long[: MAX_NAME_LENGTH + 1].rsplit(" ", 1)[0]  # cut at a word
    assert KALASHNIKOV in designations(beneficiary.findings, whole=True)  # named at its start: still found
    assert result.decision is Decision.HIT


@pytest.mark.parametrize(
    ("name", "old", "field"),
    [
        ("mt103_clean.txt", "ALPENHANDEL TRADING GMBH", ":59:"),
        ("mt103_stp.txt", "FRANZ HOLZAPFEL GMBH", ":50F:"),
        ("pacs008_clean.xml", "Aero Components Handels GmbH", "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Dbtr/Nm"),
        (
            "pacs008_envelope_apphdr.xml",
            "GELBSTRASSE, 13",
            "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Dbtr/PstlAdr/AdrLine",
        ),
    ],
)
def test_a_clean_message_with_a_name_too_long_is_possible_not_refused(
    text_screener: TextScreener, name: str, old: str, field: str
) -> None:
    result = screened(edited(name, (old, old + " HOLDING" * 200)), text_screener)
    assert (field, AnomalyCode.LENGTH) in codes(result)
    assert result.decision is Decision.POSSIBLE
    assert len(result.parties) == len(screened(name, text_screener).parties)  # every other field still read


def test_an_iso_name_too_long_is_cut_and_still_screened(text_screener: TextScreener) -> None:
    result = screened(edited("pacs008_listed_creditor.xml", ("Mahan Air", "Mahan Air" + " Cargo" * 300)), text_screener)
    creditor = party(result, "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/Nm")
    assert creditor.party.cut and len(creditor.party.name or "") <= MAX_NAME_LENGTH
    assert MAHAN_AIR in designations(creditor.findings, whole=True)
    assert result.decision is Decision.HIT


# -- evasion --------------------------------------------------------------------------------------


def test_every_repetition_of_a_party_field_is_screened(text_screener: TextScreener) -> None:
    result = screened("mt103_listed_repeated_59.txt", text_screener)
    first, second = party(result, ":59:"), party(result, ":59:[2]")
    assert KALASHNIKOV in designations(first.findings, whole=True)
    assert second.party.name == "MERCADOS Y GESTION DE VALORES SA" and not second.findings
    assert (":59:[2]", AnomalyCode.REPEATED) in codes(result)
    assert result.decision is Decision.HIT


def test_a_field_tag_line_inside_field_70_does_not_replace_the_beneficiary(text_screener: TextScreener) -> None:
    result = screened("mt103_59_inside_70.txt", text_screener)
    assert KALASHNIKOV in designations(party(result, ":59:").findings, whole=True)
    assert party(result, ":59:[2]").party.name == "MERCADOS Y GESTION DE VALORES SA"
    assert {(":59:[2]", AnomalyCode.REPEATED), (":59:[2]", AnomalyCode.EMBEDDED)} <= codes(result)
    assert result.decision is Decision.HIT


def test_a_field_tag_inside_a_line_of_another_field_is_screened_as_that_field(text_screener: TextScreener) -> None:
    message = edited(
        "mt103_stp.txt", (":70:/RFB/EXPENSES 7/2009", ":70:/RFB/EXPENSES 7/2009 :59:/RU12 KALASHNIKOV CONCERN")
    )
    result = screened(message, text_screener)
    inner = party(result, ":70:/:59:")
    assert inner.party.role == "beneficiary (inside field 70)" and inner.party.account == "RU12"
    assert KALASHNIKOV in designations(inner.findings, whole=True)
    assert text(result, ":70:").text.text == "/RFB/EXPENSES 7/2009"
    assert (":70:", AnomalyCode.EMBEDDED) in codes(result)


def test_a_name_wrapped_over_two_lines_is_joined(text_screener: TextScreener) -> None:
    result = screened("mt103_wrapped_name.txt", text_screener)
    beneficiary = party(result, ":59:")
    assert beneficiary.party.name == "VLADIMIR VLADIMIROVICH PUTIN"
    assert beneficiary.party.lines == ("VLADIMIR VLADIMIROVICH", "PUTIN")
    assert PUTIN in designations(beneficiary.findings, whole=True)


def test_a_listed_name_on_an_address_line_is_a_possible_hit(text_screener: TextScreener) -> None:
    message = edited("mt103_clean.txt", ("1060 WIEN AUSTRIA", "C/O KALASHNIKOV CONCERN\n1060 WIEN AUSTRIA"))
    result = screened(message, text_screener)
    [finding] = [f for f in party(result, ":59:").findings if f.designation == KALASHNIKOV]
    assert finding.partial and finding.via.startswith("line ")
    assert result.decision is Decision.POSSIBLE


def test_every_nm_is_screened(text_screener: TextScreener) -> None:
    result = screened("pacs008_two_names.xml", text_screener)
    path = "Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cdtr/Nm"
    assert party(result, f"{path}[1]").party.name == "Mike Smith"
    second = party(result, f"{path}[2]")
    assert MAHAN_AIR in designations(second.findings, whole=True)
    assert (f"{path}[2]", AnomalyCode.REPEATED) in codes(result)


def test_a_listed_bank_named_in_remittance_is_found_by_its_word(text_screener: TextScreener) -> None:
    result = screened("mt103_sberbank_remittance.txt", text_screener)
    assert SBERBANK in designations(party(result, ":57A:").findings, whole=True)
    remittance = text(result, ":70:")
    assert [m.text for m in remittance.result.mentions] == ["SBERBANK"]  # a one-word name, no everyday word
    [finding] = [f for f in remittance.findings if f.designation == SBERBANK]
    assert finding.query == "SBERBANK" and not finding.partial
    alone = screened(edited("mt103_sberbank_remittance.txt", (":57A:SABRRUMM", ":57A:OCBCSGSG")), text_screener)
    assert alone.decision is Decision.HIT


def test_invisible_characters_are_taken_out_and_flagged(text_screener: TextScreener) -> None:
    result = screened("mt103_zero_width_remittance.txt", text_screener)
    remittance = text(result, ":70:")
    assert remittance.text.text == "/RFB/KALASHNIKOV CONCERN"
    assert KALASHNIKOV in designations(remittance.findings, whole=True)
    [anomaly] = remittance.text.anomalies
    assert anomaly.code is AnomalyCode.INVISIBLE and "U+200B" in anomaly.detail and anomaly.review
    hyphen = screened(edited("mt103_listed_beneficiary.txt", ("KALASHNIKOV", "KALASH\u00adNIKOV")), text_screener)
    beneficiary = party(hyphen, ":59:")
    assert beneficiary.party.name == "KALASHNIKOV CONCERN" and KALASHNIKOV in designations(beneficiary.findings)
    assert (":59:", AnomalyCode.INVISIBLE) in codes(hyphen)


def test_an_anomaly_that_may_hide_a_party_makes_a_clean_message_possible(text_screener: TextScreener) -> None:
    message = edited("mt103_clean.txt", (":70:", ":59:/AT611904300234573201\nALPENHANDEL TRADING GMBH\n:70:"))
    result = screened(message, text_screener)
    assert all(not r.findings for r in result.parties) and (":59:[2]", AnomalyCode.REPEATED) in codes(result)
    assert result.decision is Decision.POSSIBLE and not result.hit


def test_one_payment_screener_per_text_screener(text_screener: TextScreener) -> None:
    assert payment_screener(text_screener) is payment_screener(text_screener)
    assert payment_screener(TextScreener(text_screener.screener)) is not payment_screener(text_screener)


def test_what_the_index_says_of_a_word_is_shared_by_every_payment_screener_on_it(text_screener: TextScreener) -> None:
    other = payment_screener(TextScreener(text_screener.screener))
    assert other._words is payment_screener(text_screener)._words  # one vocabulary per index
    assert other._is_whole_name("SBERBANK") and not other._is_whole_name("FURNITURE")
    assert other._could_name("C/O KALASHNIKOV CONCERN") and not other._could_name("DEREVYAGINA STREET 3")
