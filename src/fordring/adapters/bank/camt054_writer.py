"""Writes camt.054 credit notifications (001.02 and 001.08) in the standard structure, one
entry with one TxDtls per transaction: test data for the tests, benchmark and demo.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal
from xml.sax.saxutils import escape

from fordring.domain.bank_files import BankTransaction

Version = Literal["001.02", "001.08"]
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:camt.054."


def write_camt054(
    transactions: Iterable[BankTransaction],
    *,
    message_id: str,
    created: datetime,
    version: Version = "001.02",
    account: str,
) -> bytes:
    """One notification to `account` (11 digits, written as a BBAN in Acct/Id/Othr/Id)."""
    stamp = created.isoformat(timespec="seconds")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<Document xmlns="{NAMESPACE}{version}">',
        "<BkToCstmrDbtCdtNtfctn>",
        f"<GrpHdr><MsgId>{escape(message_id)}</MsgId><CreDtTm>{stamp}</CreDtTm></GrpHdr>",
        f"<Ntfctn><Id>{escape(message_id)}-1</Id><CreDtTm>{stamp}</CreDtTm>",
        f"<Acct><Id><Othr><Id>{escape(account)}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr>"
        "</Id><Ccy>NOK</Ccy></Acct>",
    ]
    later = version != "001.02"
    out.extend(_entry(number, t, later) for number, t in enumerate(transactions, 1))
    out.append("</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n")
    return "\n".join(out).encode()


def _entry(number: int, t: BankTransaction, later: bool) -> str:
    """Ntry: 001.08 (`later`) nests Sts/Cd and Dbtr/Pty and has TxDtls/Amt for AmtDtls."""
    amount = f'<Amt Ccy="NOK">{t.amount:.2f}</Amt>'
    indicator = f"<CdtDbtInd>{'DBIT' if t.reversal else 'CRDT'}</CdtDbtInd>"
    reference = f"<AcctSvcrRef>{escape(t.archive_ref)}</AcctSvcrRef>" if t.archive_ref else ""
    family = "<Cd>RCDT</Cd><SubFmlyCd>" + ("RRTN" if t.reversal else "DMCT") + "</SubFmlyCd>"
    parts = [
        f"<Ntry><NtryRef>{number}</NtryRef>{amount}{indicator}",
        "<Sts><Cd>BOOK</Cd></Sts>" if later else "<Sts>BOOK</Sts>",
        f"<BookgDt><Dt>{t.booked_on.isoformat()}</Dt></BookgDt>",
        f"<ValDt><Dt>{(t.value_on or t.booked_on).isoformat()}</Dt></ValDt>{reference}",
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly>{family}</Fmly></Domn></BkTxCd>",
        f"<NtryDtls><TxDtls><Refs>{reference}<EndToEndId>NOTPROVIDED</EndToEndId></Refs>",
        amount + indicator if later else f"<AmtDtls><TxAmt>{amount}</TxAmt></AmtDtls>",
    ]
    if t.payer_name or t.payer_account:
        parts.append("<RltdPties>")
        if t.payer_name:
            name = f"<Nm>{escape(t.payer_name)}</Nm>"
            parts.append(f"<Dbtr><Pty>{name}</Pty></Dbtr>" if later else f"<Dbtr>{name}</Dbtr>")
        if t.payer_account:
            payer = escape(t.payer_account)
            payer = (
                f"<Othr><Id>{payer}</Id></Othr>" if payer.isdecimal() else f"<IBAN>{payer}</IBAN>"
            )
            parts.append(f"<DbtrAcct><Id>{payer}</Id></DbtrAcct>")
        parts.append("</RltdPties>")
    if t.text or t.kid:
        parts.append("<RmtInf>")
        if t.text:
            parts.append(f"<Ustrd>{escape(t.text)}</Ustrd>")
        if t.kid:
            parts.append(
                "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
                f"<Ref>{escape(t.kid)}</Ref></CdtrRefInf></Strd>"
            )
        parts.append("</RmtInf>")
    parts.append("</TxDtls></NtryDtls></Ntry>")
    return "".join(parts)
