"""Bank files for the payment scenarios, written the way a bank would: Nets OCR giro by the
`netsgiro` package (an independent writer of the format), camt.054 by the project's own
test-data writer. Amounts are given as text ("1500.00"), dates as ISO days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import netsgiro
from netsgiro.enums import AssignmentType, ServiceCode, TransactionType

from fordring.adapters.bank.camt054_writer import Version, write_camt054
from fordring.domain.bank_files import BankTransaction
from tests.scenarios.story import Story

COMPANY_ACCOUNT = "86011117947"  # Test AS (tests/builders.py ACCOUNT): direct payments
CLIENT_ACCOUNT = "15032080119"  # the collector's client account in the agreement
NETS = "00008080"  # Nets' id: the data sender of every OCR giro file
RECIPIENT = "00123456"  # the payee's id at Nets (the data recipient)


@dataclass(frozen=True)
class Paid:
    """One transaction in a bank file: a payment, or the bank's reversal of one."""

    amount: str
    kid: str
    day: str  # the bank's (Nets') date: the day the payment is booked on
    reversal: bool = False
    payer_account: str = "12345678903"
    archive_ref: str = ""
    payer_name: str = ""  # camt.054 only: OCR giro carries no payer name
    sign: str = "0"  # OCR only: "-" is a credit note the payer deducted


def ocr_text(
    payments: list[Paid],
    *,
    account: str = COMPANY_ACCOUNT,
    transmission: str = "1000001",
    created: str | None = None,
) -> str:
    """One transmission with one OCR giro assignment to ACCOUNT, written by netsgiro.
    Payments are type 10 (giro debited account); reversals type 18 (reversal with KID)."""
    day = date.fromisoformat(created or max(p.day for p in payments))
    transmission_ = netsgiro.Transmission(
        number=transmission, data_transmitter=NETS, data_recipient=RECIPIENT, date=day
    )
    assignment = transmission_.add_assignment(
        service_code=ServiceCode.OCR_GIRO,
        assignment_type=AssignmentType.TRANSACTIONS,
        agreement_id="000000001",
        number=transmission[:7],
        account=account,
        date=day,
    )
    for number, p in enumerate(payments, 1):
        kind = (
            TransactionType.REVERSING_WITH_KID
            if p.reversal
            else TransactionType.FROM_GIRO_DEBITED_ACCOUNT
        )
        assignment.transactions.append(
            netsgiro.Transaction(
                service_code=ServiceCode.OCR_GIRO,
                type=kind,
                number=number,
                date=date.fromisoformat(p.day),
                amount=Decimal(p.amount),
                kid=p.kid,
                reference=p.archive_ref or f"{number:09d}",
                text=None,
                centre_id="13",
                day_code=date.fromisoformat(p.day).day,
                partial_settlement_number=1,
                partial_settlement_serial_number="00001",
                sign=p.sign,
                form_number="0000000000",
                bank_date=date.fromisoformat(p.day),
                debit_account=p.payer_account,
                filler=None,
            )
        )
    return transmission_.to_ocr() + "\n"


def ocr_file(path: Path, payments: list[Paid], **options: str) -> Path:
    """Write `ocr_text` to PATH (ISO-8859-1, as Nets sends it)."""
    path.write_text(ocr_text(payments, **options), encoding="iso-8859-1")
    return path


def camt054_file(
    path: Path,
    payments: list[Paid],
    *,
    version: Version,
    account: str = COMPANY_ACCOUNT,
    message_id: str = "CAMT-1",
) -> Path:
    """A camt.054 credit notification to ACCOUNT: each KID in Strd/CdtrRefInf/Ref (SCOR)."""
    transactions = [
        BankTransaction(
            where=f"Ntry {number}",
            account=account,
            amount=Decimal(p.amount),
            booked_on=date.fromisoformat(p.day),
            kid=p.kid,
            payer_name=p.payer_name,
            payer_account=p.payer_account,
            archive_ref=p.archive_ref or f"ARK{number:06d}",
            reversal=p.reversal,
        )
        for number, p in enumerate(payments, 1)
    ]
    created = datetime.fromisoformat(max(p.day for p in payments) + "T06:00:00")
    path.write_bytes(
        write_camt054(
            transactions, message_id=message_id, created=created, version=version, account=account
        )
    )
    return path


def postings(story: Story, number: int) -> list[tuple[str, str]]:
    """(account, amount) of voucher NUMBER's postings, sorted: debit positive."""
    (voucher,) = [v for v in story.ok("ledger", "vouchers") if v["number"] == number]
    return sorted((p["account"], p["amount"]) for p in voucher["postings"])


PAID_FIELDS = ("principal", "interest", "fees", "salaer", "credit")


def what_paid(row: dict[str, Any]) -> tuple[str, ...]:
    """A payment row's split (principal, interest, fees, salær, credit), as text."""
    return tuple(str(row[name]) for name in PAID_FIELDS)


FORMATS = ("ocr", "camt054 001.02", "camt054 001.08")


def bank_file(path: Path, fmt: str, payments: list[Paid], *, number: int = 1) -> Path:
    """File NUMBER of the bank's series in format FMT (one of FORMATS) to Test AS's account:
    OCR transmission 100000N, or camt.054 message CAMT-N."""
    if fmt == "ocr":
        return ocr_file(path, payments, transmission=f"{1000000 + number}")
    version: Version = "001.02" if fmt.endswith("001.02") else "001.08"
    return camt054_file(path, payments, version=version, message_id=f"CAMT-{number}")
