"""Writing Nets OCR giro files with `netsgiro` (the format's reference package): the demo's
bank file and the benchmark's. One transmission with one assignment to one account."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from netsgiro import AssignmentType, ServiceCode, TransactionType
from netsgiro.records import (
    AssignmentEnd,
    AssignmentStart,
    TransactionAmountItem1,
    TransactionAmountItem2,
    TransactionAmountItem3,
    TransmissionEnd,
    TransmissionStart,
)

from fordring.domain.bank_files import BankTransaction

DATA_SENDER = "00008080"  # Nets
DATA_RECIPIENT = "00001234"
KID_FIELD = slice(49, 74)  # amount item 1: the KID, right-aligned


def ocr_lines(
    transactions: Sequence[BankTransaction], *, transmission: str, account: str, nets_date: date
) -> list[str]:
    """The records of an OCR giro transmission paying `transactions` into `account`.

    A transaction with free text and no KID is written as type 21 (purchase with text), a
    reversal as 18 (with KID) or 20 (with text); others as 10 (giro debited account)."""
    body: list[str] = []
    total = 0
    for n, t in enumerate(transactions, start=1):
        ore = int(t.amount * 100)
        if t.reversal:
            kind = (
                TransactionType.REVERSING_WITH_KID if t.kid else TransactionType.REVERSING_WITH_TEXT
            )
        elif t.text and not t.kid:
            kind = TransactionType.PURCHASE_WITH_TEXT
        else:
            kind = TransactionType.FROM_GIRO_DEBITED_ACCOUNT
        item1 = TransactionAmountItem1(
            service_code=ServiceCode.OCR_GIRO,
            transaction_type=kind,
            transaction_number=n,
            nets_date=t.booked_on,
            amount=ore,
            kid=t.kid or "0",
            centre_id="13",
            day_code=t.booked_on.day,
            partial_settlement_number=1,
            partial_settlement_serial_number=f"{n % 100000:05d}",
            sign="0",
        ).to_ocr()
        # netsgiro cannot write a blank KID (a text payment has none): blank the field.
        body.append(
            item1 if t.kid else item1[: KID_FIELD.start] + " " * 25 + item1[KID_FIELD.stop :]
        )
        body.append(
            TransactionAmountItem2(
                service_code=ServiceCode.OCR_GIRO,
                transaction_type=kind,
                transaction_number=n,
                reference=t.archive_ref or f"{n:09d}",
                form_number="9636827194",
                bank_date=t.booked_on,
                debit_account=t.payer_account or "00000000000",
            ).to_ocr()
        )
        if kind in (TransactionType.PURCHASE_WITH_TEXT, TransactionType.REVERSING_WITH_TEXT):
            body.append(
                TransactionAmountItem3(
                    service_code=ServiceCode.OCR_GIRO,
                    transaction_type=kind,
                    transaction_number=n,
                    text=t.text,
                ).to_ocr()
            )
        total += ore
    records = [
        TransmissionStart(
            service_code=ServiceCode.NONE,
            transmission_number=transmission,
            data_transmitter=DATA_SENDER,
            data_recipient=DATA_RECIPIENT,
        ).to_ocr(),
        AssignmentStart(
            service_code=ServiceCode.OCR_GIRO,
            assignment_type=AssignmentType.TRANSACTIONS,
            assignment_number=transmission,
            assignment_account=account,
            agreement_id="000000000",
        ).to_ocr(),
        *body,
        AssignmentEnd(
            service_code=ServiceCode.OCR_GIRO,
            assignment_type=AssignmentType.TRANSACTIONS,
            num_transactions=len(transactions),
            num_records=len(body) + 2,
            total_amount=total,
            nets_date_1=nets_date,
            nets_date_2=nets_date,
        ).to_ocr(),
    ]
    records.append(
        TransmissionEnd(
            service_code=ServiceCode.NONE,
            num_transactions=len(transactions),
            num_records=len(records) + 1,
            total_amount=total,
            nets_date=nets_date,
        ).to_ocr()
    )
    return records


def write_ocr(
    path: Path,
    transactions: Sequence[BankTransaction],
    *,
    transmission: str,
    account: str,
    nets_date: date,
) -> Path:
    lines = ocr_lines(transactions, transmission=transmission, account=account, nets_date=nets_date)
    path.write_text("\n".join(lines) + "\n", encoding="iso-8859-1")
    return path
