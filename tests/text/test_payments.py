"""MT103 and pacs.008 messages: structured parties as parties, free text as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clearance.errors import ClearanceError
from clearance.matching import Screener
from clearance.text.payments import read_payment, screen_payment

DATA = Path(__file__).parent / "data"


def party_hits(path: Path, screener: Screener) -> dict[str, set[str]]:
    result = screen_payment(read_payment(path), screener)
    return {r.party.role: {h.entity.id.split(":")[1] for h in r.hits} for r in result.parties}


def test_mt103_listed_beneficiary(screener: Screener) -> None:
    payment = read_payment(DATA / "mt103_listed_beneficiary.txt")
    assert payment.kind == "MT103" and payment.reference == "CLR2023022501"
    beneficiary = next(p for p in payment.parties if p.role == "beneficiary")
    assert (beneficiary.name, beneficiary.country) == ("KALASHNIKOV CONCERN", "RU")
    assert beneficiary.account == "RU0204452560040702810412345678901"
    hits = party_hits(DATA / "mt103_listed_beneficiary.txt", screener)
    assert "16911" in hits["beneficiary"]
    assert hits["ordering customer"] == set()


def test_mt103_listed_party_only_in_remittance(screener: Screener) -> None:
    result = screen_payment(read_payment(DATA / "mt103_listed_in_remittance.txt"), screener)
    assert all(not r.hits for r in result.parties)
    ordering = next(r.party for r in result.parties if r.party.role == "ordering customer")
    assert (ordering.name, ordering.country) == ("MASCHINENBAU MUELLER GMBH", "DE")
    [(field, text)] = result.texts
    assert field.startswith("70 ")
    assert [m.text for m in text.mentions] == ["MAHAN AIR"]
    assert result.hit


def test_mt103_clean(screener: Screener) -> None:
    result = screen_payment(read_payment(DATA / "mt103_clean.txt"), screener)
    assert not result.hit


def test_pacs008_listed_creditor(screener: Screener) -> None:
    payment = read_payment(DATA / "pacs008_listed_creditor.xml")
    assert payment.kind == "pacs.008" and payment.reference == "PACS-2023-0225-001"
    assert {p.role: p.bic for p in payment.parties if p.bic} == {
        "debtor agent": "DEUTDEFF",
        "creditor agent": "RZBAATWW",
    }
    hits = party_hits(DATA / "pacs008_listed_creditor.xml", screener)
    assert "12927" in hits["creditor"]
    assert hits["debtor"] == set()


def test_pacs008_listed_party_only_in_remittance(screener: Screener) -> None:
    result = screen_payment(read_payment(DATA / "pacs008_listed_in_remittance.xml"), screener)
    assert all(not r.hits for r in result.parties)
    [(_, text)] = result.texts
    assert [m.text for m in text.mentions] == ["Kalashnikov Concern"]


def test_pacs008_clean(screener: Screener) -> None:
    assert not screen_payment(read_payment(DATA / "pacs008_clean.xml"), screener).hit


def test_a_listed_bank_bic_is_a_hit(screener: Screener, tmp_path: Path) -> None:
    message = (DATA / "mt103_clean.txt").read_text().replace(":57A:", ":57A:").replace(":59:", ":57A:ROSYRU2P\n:59:")
    path = tmp_path / "mt103.txt"
    path.write_text(message)
    hits = party_hits(path, screener)
    assert "16681" in hits["account with institution"]


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "mt103_clean.txt",
            (":59:/AT611904300234573201", ":58:/AT611904300234573201"),
            "field 59a (beneficiary) is missing",
        ),
        ("mt103_clean.txt", (":32A:230225EUR950,00", ":32A:25 Feb EUR 950"), "field 32A"),
        ("mt103_clean.txt", (":20:CLR2023022503\n", ""), "field 20 is missing"),
        ("mt103_clean.txt", (":50K:", ":50F:"), "field 50F"),
        ("pacs008_clean.xml", ("<Nm>Alpenhandel Trading GmbH</Nm>", ""), "field Cdtr/Nm is missing"),
        ("pacs008_clean.xml", ("<Ctry>AT</Ctry>", "<Ctry>XX</Ctry>"), "Cdtr/PstlAdr/Ctry: not a country"),
        ("pacs008_clean.xml", ("<BICFI>DEUTDEFF</BICFI>", "<BICFI>NOT A BIC</BICFI>"), "DbtrAgt/FinInstnId/BICFI"),
    ],
)
def test_malformed_messages_name_the_field(tmp_path: Path, name: str, change: tuple[str, str], message: str) -> None:
    text = (DATA / name).read_text()
    assert change[0] in text
    path = tmp_path / name
    path.write_text(text.replace(change[0], change[1]))
    with pytest.raises(ClearanceError, match=re.escape(message)):
        read_payment(path)


def test_unsafe_and_foreign_messages(tmp_path: Path) -> None:
    xxe = tmp_path / "xxe.xml"
    xxe.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>'
    )
    with pytest.raises(ClearanceError, match="unsafe XML"):
        read_payment(xxe)
    other = tmp_path / "note.txt"
    other.write_text("Dear colleague, please pay the invoice.")
    with pytest.raises(ClearanceError, match="not an MT103 message"):
        read_payment(other)
