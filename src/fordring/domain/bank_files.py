"""What a bank tells us a payee received (SPEC P1; DOMAIN.md §§ 9-10): a bank file's
identity and its transactions, whatever the format (Nets OCR giro or ISO 20022 camt.054).

The adapters in `adapters/bank/` read the formats into these records; everything after
(duplicate check, matching, allocation, postings) works on them only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import (
    KID_LENGTH,
    LINE_TEXT_LENGTH,
    NAME_LENGTH,
    REFERENCE_LENGTH,
    check_business_date,
    is_plain_text,
    text_problems,
)
from fordring.domain.law.deadlines import add_months

ACCOUNT_LENGTH = 34  # an IBAN or another bank's account number, at most (ISO 13616)
# The texts of a payment and the most characters each may have (its column is as wide).
TEXT_LIMITS = (
    ("kid", KID_LENGTH),
    ("text", LINE_TEXT_LENGTH),
    ("payer_name", NAME_LENGTH),
    ("payer_account", ACCOUNT_LENGTH),
    ("archive_ref", REFERENCE_LENGTH),
)


class BankFormat(StrEnum):
    OCR = "ocr"  # Nets OCR giro, fixed 80-character records
    CAMT054 = "camt054"  # ISO 20022 BankToCustomerDebitCreditNotification


@dataclass(frozen=True, slots=True)
class BankTransaction:
    """One payment (or reversal) to the payee's account, as the bank reported it."""

    where: str  # its place in the file for messages: "record 12", "Ntry 3 / TxDtls 1"
    account: str  # the receiving (payee's) account, 11 digits
    amount: Decimal  # always positive; money out has `reversal` set
    booked_on: date  # the bank's booking (accounting) date
    kid: str | None  # the structured reference (KID), None when the payer gave none
    text: str = ""  # free text from the payer (unstructured remittance information)
    payer_name: str = ""
    payer_account: str = ""
    archive_ref: str = ""  # the bank's reference for the transaction
    transaction_type: str = ""  # the OCR transaction type ("10", "18", ...) or "CRDT"/"DBIT"
    value_on: date | None = None
    reversal: bool = False  # money out: taken back (OCR 18 and 20, camt DBIT) or a credit note
    # A credit note the payer deducted, with its KID (OCR sign "-"): `reversal` is set too,
    # as the amount is money out, but it takes back no payment; it waits for a person.
    credit_note: bool = False


@dataclass(frozen=True, slots=True)
class BankFile:
    """A bank file read whole: it is refused whole when any part of it is malformed."""

    format: BankFormat
    file_id: str  # OCR: data sender + transmission number; camt.054: GrpHdr/MsgId
    created: date | None
    transactions: tuple[BankTransaction, ...]


def checked_texts(transactions: list[BankTransaction]) -> list[BankTransaction]:
    """`transactions` if each text is plain and within its limit (the input rules), else
    InvalidInput naming the field and the transaction: a bank reader's last check."""
    for t in transactions:
        kid = t.kid or ""
        if (  # the usual payment, quickly: every text short and printable
            len(kid) <= KID_LENGTH
            and len(t.text) <= LINE_TEXT_LENGTH
            and len(t.payer_name) <= NAME_LENGTH
            and len(t.payer_account) <= ACCOUNT_LENGTH
            and len(t.archive_ref) <= REFERENCE_LENGTH
            and (kid + t.text + t.payer_name + t.payer_account + t.archive_ref).isprintable()
        ):
            continue
        for name, limit in TEXT_LIMITS:
            value = getattr(t, name)
            if value and not is_plain_text(value, limit):
                raise InvalidInput(text_problems(value, name, limit, t.where))
    return transactions


def received_on(t: BankTransaction) -> date:
    """The day its payment row is booked on: a payment counts from the bank's booking date,
    or its value date when that is earlier (inkassoloven § 9 (2)); money out from the
    booking date."""
    if t.value_on is None or t.reversal:
        return t.booked_on
    return min(t.booked_on, t.value_on)


def year_from(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    return add_months(day, 12 * years)


def date_problem(paid_on: date, today: date) -> str | None:
    """Why a payment dated `paid_on` cannot be right on business day `today`: more than a
    year before or after it (a mistyped date, or a two-digit year read in the wrong
    century); None when it can."""
    if paid_on < year_from(today, -1) or paid_on > year_from(today, 1):
        return f"{paid_on} is more than a year from the business date {today}"
    try:
        check_business_date(paid_on, "date")
    except InvalidInput as error:
        return error.problems[0].reason
    return None


def far_date_problems(transactions: Iterable[BankTransaction], today: date) -> list[Problem]:
    """A problem (at most 20) for each transaction whose booking or value date is more than
    a year from business day `today`: either would be a mistyped or misread date (a
    booking date in 9999 with a value date of today is no payment the bank made)."""
    earliest, latest = year_from(today, -1), year_from(today, 1)  # date_problem's bounds
    problems: list[Problem] = []
    for t in transactions:
        for day in (t.booked_on, t.value_on):
            if day is None or earliest <= day <= latest:
                continue
            why = date_problem(day, today)
            if why is not None:
                problems.append(Problem("date", why, t.where))
                break
        if len(problems) == 20:
            break
    return problems
