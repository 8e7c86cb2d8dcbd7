"""The camt.054 reader: round trips through the writer in 001.02 and 001.08, a notification
in the shape Norwegian banks send, and refusals that name the element and the entry."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordring.adapters.bank.camt054 import parse_camt054, peek_message_id
from fordring.adapters.bank.camt054_writer import Version, write_camt054
from fordring.domain.bank_files import BankFormat, BankTransaction
from fordring.domain.errors import InvalidInput

ACCOUNT = "86011117947"
CREATED = datetime(2026, 3, 2, 6, 30, tzinfo=timezone(timedelta(hours=1)))  # Oslo, winter
NS02 = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"


def payment(**changes: object) -> BankTransaction:
    base = BankTransaction(
        where="",
        account=ACCOUNT,
        amount=Decimal("1250.00"),
        booked_on=date(2026, 3, 2),
        kid="12345678903",
        text="Faktura 1001",
        payer_name="Kari Nordmann",
        payer_account="12345678903",
        archive_ref="2026030200001",
        transaction_type="CRDT",
        value_on=date(2026, 3, 3),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def expected(written: BankTransaction, where: str) -> BankTransaction:
    """What reading gives back: its place, the indicator, a value date, two decimals."""
    return replace(
        written,
        where=where,
        amount=written.amount.quantize(Decimal("0.01")),
        transaction_type="DBIT" if written.reversal else "CRDT",
        value_on=written.value_on or written.booked_on,
    )


@pytest.mark.parametrize("version", ["001.02", "001.08"])
def test_reads_back_what_the_writer_wrote(version: Version) -> None:
    written = [
        payment(),
        payment(amount=Decimal("0.01"), kid=None, text="", payer_name="", payer_account=""),
        payment(reversal=True, transaction_type="DBIT", text="Tilbakeføring <&> \"'"),
        payment(payer_account="DE89370400440532013000", value_on=None, archive_ref=""),
        payment(payer_account="NO9386011117947", payer_name="Ærlig Øst & Ål AS"),
    ]
    data = write_camt054(
        written, message_id="MSG-1", created=CREATED, version=version, account=ACCOUNT
    )
    read = parse_camt054(data)
    assert (read.format, read.file_id, read.created) == (
        BankFormat.CAMT054,
        "MSG-1",
        CREATED.date(),
    )
    assert list(read.transactions[:4]) == [
        expected(t, f"Ntfctn 1 / Ntry {n} / TxDtls 1") for n, t in enumerate(written[:4], 1)
    ]
    assert read.transactions[4].payer_account == "86011117947"  # a Norwegian IBAN: its BBAN


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn")), max_size=140)
transactions = st.builds(
    payment,
    amount=st.integers(1, 10**13).map(lambda ore: Decimal(ore).scaleb(-2)),
    booked_on=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    kid=st.one_of(st.none(), st.text("0123456789", min_size=2, max_size=25)),
    text=texts.map(str.strip),
    payer_name=texts.map(str.strip),
    reversal=st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(transactions, max_size=8), st.sampled_from(["001.02", "001.08"]))
def test_round_trips_any_transactions(written: list[BankTransaction], version: Version) -> None:
    data = write_camt054(written, message_id="M", created=CREATED, version=version, account=ACCOUNT)
    assert list(parse_camt054(data).transactions) == [
        expected(t, f"Ntfctn 1 / Ntry {n} / TxDtls 1") for n, t in enumerate(written, 1)
    ]


NORWEGIAN_BANK = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS02}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>CAMT054-20260302-0001</MsgId>
      <CreDtTm>2026-03-02T06:12:44.123+01:00</CreDtTm>
      <MsgRcpt><Nm>Fordring AS</Nm></MsgRcpt>
    </GrpHdr>
    <Ntfctn>
      <Id>20260302-86011117947-1</Id>
      <CreDtTm>2026-03-02T06:12:44</CreDtTm>
      <Acct>
        <Id><IBAN>NO93 8601 1117 947</IBAN></Id>
        <Ccy>NOK</Ccy>
        <Svcr><FinInstnId><BIC>DNBANOKK</BIC></FinInstnId></Svcr>
      </Acct>
      <Ntry>
        <Amt Ccy="NOK">3750.50</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-02</Dt></BookgDt>
        <ValDt><Dt>2026-03-02</Dt></ValDt>
        <AcctSvcrRef>50000001234</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn>
          <Prtry><Cd>230</Cd><Issr>NETS</Issr></Prtry></BkTxCd>
        <NtryDtls>
          <Btch><NbOfTxs>3</NbOfTxs></Btch>
          <TxDtls>
            <Refs><AcctSvcrRef>50000001234-1</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="NOK">1250.00</Amt></TxAmt></AmtDtls>
            <RltdPties>
              <Dbtr><Nm>Kari Nordmann</Nm><PstlAdr><Ctry>NO</Ctry></PstlAdr></Dbtr>
              <DbtrAcct><Id><IBAN>NO8330001234567</IBAN></Id></DbtrAcct>
            </RltdPties>
            <RmtInf>
              <Strd>
                <CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>12345678903</Ref></CdtrRefInf>
              </Strd>
            </RmtInf>
          </TxDtls>
          <TxDtls>
            <Refs><EndToEndId>E2E-77</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="NOK">2000.00</Amt></TxAmt></AmtDtls>
            <RltdPties><DbtrAcct><Id><Othr><Id>12345678903</Id></Othr></Id></DbtrAcct></RltdPties>
            <RmtInf><Ustrd>Husleie mars</Ustrd><Ustrd>leil. 4B</Ustrd></RmtInf>
          </TxDtls>
          <TxDtls>
            <AmtDtls><TxAmt><Amt Ccy="NOK">500.5</Amt></TxAmt></AmtDtls>
            <RmtInf><Strd><CdtrRefInf><Ref> 0000123455 </Ref></CdtrRefInf></Strd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="NOK">99.00</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><DtTm>2026-03-03T09:00:00</DtTm></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
"""


def test_reads_the_shape_norwegian_banks_send() -> None:
    read = parse_camt054(NORWEGIAN_BANK.encode())
    assert (read.file_id, read.created) == ("CAMT054-20260302-0001", date(2026, 3, 2))
    first, second, third, reversal = read.transactions
    assert first == BankTransaction(
        where="Ntfctn 1 / Ntry 1 / TxDtls 1",
        account="86011117947",  # from the IBAN NO93 8601 1117 947
        amount=Decimal("1250.00"),
        booked_on=date(2026, 3, 2),
        kid="12345678903",
        payer_name="Kari Nordmann",
        payer_account="30001234567",
        archive_ref="50000001234-1",
        transaction_type="CRDT",
        value_on=date(2026, 3, 2),
    )
    assert (second.kid, second.text, second.payer_account) == (
        None,
        "Husleie mars leil. 4B",
        "12345678903",
    )
    assert second.archive_ref == "50000001234"  # the entry's, before an EndToEndId
    assert (third.amount, third.kid) == (Decimal("500.50"), "0000123455")
    assert (reversal.where, reversal.amount, reversal.reversal) == (
        "Ntfctn 1 / Ntry 2",
        Decimal("99.00"),
        True,
    )
    assert (reversal.booked_on, reversal.value_on, reversal.kid) == (date(2026, 3, 3), None, None)


def test_reads_001_08_amounts_and_names_where_they_are_in_that_version() -> None:
    document = NORWEGIAN_BANK.replace("001.02", "001.08").replace(
        '<AmtDtls><TxAmt><Amt Ccy="NOK">1250.00</Amt></TxAmt></AmtDtls>',
        '<Amt Ccy="NOK">1250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>',
    )
    document = document.replace("<Dbtr><Nm>Kari Nordmann</Nm>", "<Dbtr><Pty><Nm>Kari N.</Nm></Pty>")
    first = parse_camt054(document.encode()).transactions[0]
    assert (first.amount, first.payer_name) == (Decimal("1250.00"), "Kari N.")


def test_reads_the_booked_amount_of_001_08_before_the_transaction_amount() -> None:
    document = NORWEGIAN_BANK.replace("001.02", "001.08").replace(
        '<AmtDtls><TxAmt><Amt Ccy="NOK">1250.00</Amt></TxAmt></AmtDtls>',
        '<Amt Ccy="NOK">1250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        '<AmtDtls><TxAmt><Amt Ccy="EUR">107.50</Amt></TxAmt></AmtDtls>',
    )
    assert parse_camt054(document.encode()).transactions[0].amount == Decimal("1250.00")


def refusal(document: str | bytes) -> tuple[str, str, str]:
    data = document.encode() if isinstance(document, str) else document
    with pytest.raises(InvalidInput) as caught:
        parse_camt054(data)
    (problem,) = caught.value.problems
    return problem.field, problem.where, problem.reason


def test_refuses_xml_that_is_not_well_formed() -> None:
    field, where, _ = refusal(NORWEGIAN_BANK.replace("</Ntry>", "</Ntri>", 1))
    assert field == "XML" and where.startswith("line ")


def test_refuses_a_currency_other_than_nok() -> None:
    field, where, reason = refusal(NORWEGIAN_BANK.replace('"NOK">2000.00', '"SEK">2000.00'))
    assert (field, where) == ("TxDtls/AmtDtls/TxAmt/Amt", "Ntfctn 1 / Ntry 1 / TxDtls 2")
    assert "SEK" in reason
    assert refusal(NORWEGIAN_BANK.replace('"NOK">99.00', '"EUR">99.00'))[:2] == (
        "Ntry/Amt",
        "Ntfctn 1 / Ntry 2",
    )


def test_refuses_details_that_do_not_add_up_to_the_entry() -> None:
    field, where, reason = refusal(NORWEGIAN_BANK.replace(">500.5<", ">500.49<"))
    assert (field, where) == ("Ntry/Amt", "Ntfctn 1 / Ntry 1")
    assert "3750.50" in reason and "3750.49" in reason


def test_refuses_a_lone_detail_whose_amount_differs_from_the_entry() -> None:
    document = NORWEGIAN_BANK.replace(">99.00<", ">98.00<").replace(
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>",
        '<NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="NOK">99.00</Amt></TxAmt></AmtDtls></TxDtls>'
        "</NtryDtls>",
    )
    assert refusal(document)[:2] == ("Ntry/Amt", "Ntfctn 1 / Ntry 2")
    reversal = parse_camt054(document.replace(">98.00<", ">99.00<").encode()).transactions[-1]
    assert (reversal.where, reversal.amount) == ("Ntfctn 1 / Ntry 2 / TxDtls 1", Decimal("99.00"))


def test_refuses_a_missing_message_id() -> None:
    document = NORWEGIAN_BANK.replace("<MsgId>CAMT054-20260302-0001</MsgId>", "")
    assert refusal(document)[:2] == ("GrpHdr/MsgId", "GrpHdr")
    with pytest.raises(InvalidInput, match="GrpHdr/MsgId"):
        peek_message_id(io.BytesIO(document.encode()))


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "<IBAN>NO93 8601 1117 947</IBAN>",
            "<IBAN>SE4550000000058398257466</IBAN>",
            "Acct/Id/IBAN",
        ),
        ("<IBAN>NO93 8601 1117 947</IBAN>", "<IBAN>NO94 8601 1117 947</IBAN>", "Acct/Id/IBAN"),
        ("<CdtDbtInd>CRDT</CdtDbtInd>", "<CdtDbtInd>CRED</CdtDbtInd>", "Ntry/CdtDbtInd"),
        ("<BookgDt><Dt>2026-03-02</Dt></BookgDt>", "", "Ntry/BookgDt"),
        ("<Dt>2026-03-02</Dt></BookgDt>", "<Dt>2026-02-30</Dt></BookgDt>", "Ntry/BookgDt/Dt"),
        ('<Amt Ccy="NOK">3750.50</Amt>', "", "Ntry/Amt"),
        ('<Amt Ccy="NOK">3750.50</Amt>', '<Amt Ccy="NOK">3750.505</Amt>', "Ntry/Amt"),
        ('<Amt Ccy="NOK">3750.50</Amt>', '<Amt Ccy="NOK">-3750.50</Amt>', "Ntry/Amt"),
        (
            '<AmtDtls><TxAmt><Amt Ccy="NOK">2000.00</Amt></TxAmt></AmtDtls>',
            "",
            "TxDtls/AmtDtls/TxAmt/Amt",
        ),
        ("<CreDtTm>2026-03-02T06:12:44.123+01:00</CreDtTm>", "", "GrpHdr/CreDtTm"),
        (f'xmlns="{NS02}"', 'xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', "Document"),
    ],
)
def test_refuses_a_malformed_or_missing_element(old: str, new: str, field: str) -> None:
    assert old in NORWEGIAN_BANK
    assert refusal(NORWEGIAN_BANK.replace(old, new))[0] == field


def test_peeks_the_message_id_without_reading_the_entries() -> None:
    broken = NORWEGIAN_BANK.encode()[: NORWEGIAN_BANK.index("<Ntry>") + 40]  # cut mid-entry
    assert peek_message_id(io.BytesIO(broken)) == "CAMT054-20260302-0001"
    assert refusal(broken)[0] == "XML"


def test_reads_many_entries_in_several_notifications() -> None:
    def document(start: int) -> bytes:
        written = [payment(amount=Decimal(n).scaleb(-2)) for n in range(start, start + 1000)]
        return write_camt054(written, message_id="BIG", created=CREATED, account=ACCOUNT)

    first, second = document(1), document(1001)
    notification = second[second.index(b"<Ntfctn>") : second.index(b"</Ntfctn>") + 9]
    end = first.index(b"</Ntfctn>") + 9
    read = parse_camt054(first[:end] + notification + first[end:])
    assert len(read.transactions) == 2000
    assert read.transactions[-1].where == "Ntfctn 2 / Ntry 1000 / TxDtls 1"
    assert sum(t.amount for t in read.transactions) == Decimal(2000 * 2001 // 2).scaleb(-2)
