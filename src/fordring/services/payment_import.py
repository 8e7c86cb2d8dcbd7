"""`payments import FILE` (SPEC P1): a bank file read whole, refused whole, read once.

The same file again (same content, or the same transmission / message id from the bank)
is refused before it is parsed; a payment that looks like one booked before (the file sent
again under a new id) is held for a person, not booked (payment_holds.py). A malformed
file is refused naming the record or element, and so is a payment to an account that is
neither the creditor's nor the collector's client account; nothing is booked then.
Otherwise every payment is matched and booked in one transaction, in batches
(payment_posting.py). A reversal takes back the payment it names (same KID and amount,
not yet settled); one it cannot find, and a credit note the payer deducted (OCR sign "-"),
waits in the queue as a negative payment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from fordring.domain.bank_files import (
    BankFile,
    BankFormat,
    BankTransaction,
    far_date_problems,
)
from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.collection.history import amount as money
from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.law.tables import RateBook
from fordring.domain.ledger import Posting, Voucher, VoucherTypeCode
from fordring.domain.payments import Channel, PaymentStatus
from fordring.services.collection_agreement import agreement_of
from fordring.services.daily_run import cyclic_gc_paused
from fordring.services.payment_holds import hold_look_alikes
from fordring.services.payment_posting import (
    Booked,
    Incoming,
    book_payments,
    received_account,
    write_booked,
)
from fordring.services.payments import may_write_payments
from fordring.services.ports import PaymentRow, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope
from fordring.services.taken_back import counter_row

BATCH = 20_000  # payments matched and booked together (memory stays flat)
HASH_CHUNK = 1 << 20


class BankFileReader(Protocol):
    def peek(self, path: Path) -> tuple[BankFormat, str]:
        """The format and the bank's id of the file, from its first bytes."""
        ...

    def read(self, path: Path) -> BankFile:
        """The whole file; InvalidInput naming the record or element when malformed."""
        ...


@dataclass
class ImportReport:
    format: BankFormat
    file_id: str
    payments: int = 0
    total: Decimal = Decimal(0)
    matched: dict[str, int] = field(default_factory=dict)  # by rule
    unmatched: int = 0
    reversed: int = 0
    credit_notes: int = 0  # deducted by the payer (OCR sign "-"): negative, in the queue
    held: int = 0  # look-alikes of payments booked before: held for a person, not booked
    interest_charged: Decimal = Decimal(0)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# 100,000 payments are millions of objects freed by reference counting; the collector's
# passes over them grew with the batch (0.7 s of CPU at 10,000 payments, 8.7 s at 100,000).
@cyclic_gc_paused()
def import_bank_file(
    path: Path,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    reader: BankFileReader,
    book: RateBook,
) -> ImportReport:
    may_write_payments(scope)
    day = scope.business_date
    if not path.is_file():
        raise InvalidInput.one("file", f"{path} is not a file")
    sha = file_sha256(path)
    fmt, file_id = reader.peek(path)
    with uow_factory(scope) as uow:
        _refuse_seen(uow, sha, fmt, file_id)
    parsed = reader.read(path)
    _refuse_far_dates(parsed.transactions, day)
    with uow_factory(scope) as uow:
        company = uow.company.current()
        _refuse_seen(uow, sha, parsed.format, parsed.file_id)
        agreement = agreement_of(uow)
        channels = _channels(parsed.transactions, company, agreement)
        total = sum((t.amount for t in parsed.transactions if not t.reversal), Decimal(0))
        file_row = uow.payments.add_bank_file(
            parsed.format.value,
            parsed.file_id,
            sha,
            path.name,
            day,
            len(parsed.transactions),
            total,
        )
        report = ImportReport(parsed.format, parsed.file_id, len(parsed.transactions), total)
        # Look-alikes of payments booked before (the file sent again) wait for a person.
        held = hold_look_alikes(uow, parsed.transactions, channels, file_row)
        report.held = len(held)
        pairs = zip(parsed.transactions, channels, strict=True)
        kept = [(t, c) for n, (t, c) in enumerate(pairs) if n not in held] if held else list(pairs)
        payments = [(t, c) for t, c in kept if not t.reversal]
        uow.payments.prepare_lookups(len(payments))
        for start in range(0, len(payments), BATCH):
            batch = payments[start : start + BATCH]
            done = book_payments(
                uow,
                agreement,
                [incoming(t, c) for t, c in batch],
                book,
                bank_file_id=file_row,
            )
            _count(report, done)
        reversals = [(t, c) for t, c in kept if t.reversal]
        if reversals:
            report.reversed, _ = reverse_transactions(uow, agreement, reversals, file_row)
            report.credit_notes = sum(1 for t, _ in reversals if t.credit_note)
        uow.commit()
    return report


def _refuse_seen(uow: UnitOfWork, sha: str, fmt: BankFormat, file_id: str) -> None:
    seen = uow.payments.find_bank_file(sha, fmt.value, file_id)
    if seen is not None:
        raise RuleViolation(
            f"file: already imported on {seen.imported_on} as {seen.filename!r} "
            f"({seen.format} {seen.file_id}, {seen.transactions} transactions); nothing was booked"
        )


def _refuse_far_dates(transactions: Sequence[BankTransaction], today: date) -> None:
    """A payment dated more than a year from the business date refuses the file."""
    if problems := far_date_problems(transactions, today):
        raise InvalidInput(problems)


def bank_day(t: BankTransaction) -> date:
    """The day the payment counts from (inkassoloven § 9 (2)): the bank's booking date, or
    its value date when that is earlier."""
    return min(t.booked_on, t.value_on) if t.value_on is not None else t.booked_on


def _channels(
    transactions: Sequence[BankTransaction], company: Company, agreement: Agreement
) -> list[Channel]:
    """Which account each payment reached; any other account refuses the file."""
    client = agreement.client_account
    found: list[Channel] = []
    problems: list[Problem] = []
    for t in transactions:
        if t.account == company.account:
            found.append(Channel.DIRECT)
        elif client and t.account == client:
            found.append(Channel.CLIENT)
        elif len(problems) < 20:
            problems.append(
                Problem(
                    "account",
                    f"{t.account} is neither {company.name}'s account {company.account} nor "
                    "the collector's client account; if it is the client account, set it with "
                    f"`fordring collection agreement set client_account={t.account}`",
                    t.where,
                )
            )
    if problems:
        raise InvalidInput(problems)
    return found


def incoming(t: BankTransaction, channel: Channel) -> Incoming:
    """A bank file's payment as the posting path takes it (`collector import` too)."""
    return Incoming(
        t.where,
        channel,
        t.amount,
        bank_day(t),
        kid=t.kid,
        text=t.text,
        payer_name=t.payer_name,
        payer_account=t.payer_account,
        archive_ref=t.archive_ref,
    )


def _count(report: ImportReport, done: Booked) -> None:
    for row in done.rows:
        if row.status == PaymentStatus.UNMATCHED.value:
            report.unmatched += 1
        else:
            report.matched[row.matched_by] = report.matched.get(row.matched_by, 0) + 1
    report.interest_charged += sum((c.amount for c in done.charges), Decimal(0))


def reverse_transactions(
    uow: UnitOfWork,
    agreement: Agreement,
    reversals: list[tuple[BankTransaction, Channel]],
    file_row: int,
) -> tuple[int, int]:
    """Take back the payment each reversal names by reversing its vouchers; one that
    names none waits in the queue (money left the account: debit the unmatched account).
    (How many took back a payment, the number of the first payment row written.)"""
    first_id = uow.payments.reserve_ids(len(reversals))
    first_number = uow.series.take("payment", len(reversals))
    done = Booked()
    originals: list[PaymentRow] = []
    taken_ids: set[int] = set()  # of `originals`
    taken = 0
    for n, (t, channel) in enumerate(reversals):
        # A credit note the payer deducted names no payment to take back: a person decides.
        original = uow.payments.reversible(t.kid, t.amount) if t.kid and not t.credit_note else None
        row = PaymentRow(
            id=first_id + n,
            number=first_number + n,
            bank_file_id=file_row,
            place=t.where,
            channel=channel.value,
            received_on=t.booked_on,
            amount=-t.amount,
            kid=t.kid or "",
            text=t.text,
            payer_name=t.payer_name,
            payer_account=t.payer_account,
            archive_ref=t.archive_ref,
            status=PaymentStatus.UNMATCHED.value,
            matched_by="",
            matched_on=None,
            customer_id=None,
            case_id=None,
            voucher_id=0,
        )
        if original is None or original.id in taken_ids:
            text = (
                f"Kreditnota KID {t.kid or '-'} trukket fra av betaler"
                if t.credit_note
                else f"Tilbakeføring KID {t.kid or '-'} (ikke identifisert)"
            )
            row = replace(
                row,
                voucher_id=done.add(
                    Voucher(
                        VoucherTypeCode.CORRECTION,
                        t.booked_on,
                        text,
                        (
                            Posting(agreement.unmatched_account, t.amount, text=text),
                            Posting(received_account(channel, agreement), -t.amount, text=text),
                        ),
                    )
                ),
            )
            done.rows.append(row)
            continue
        vouchers = [v for v in (original.voucher_id, original.allocation_voucher_id) if v]
        stand_ins = []
        for voucher_id in vouchers:
            stored = uow.ledger.by_id(voucher_id)
            assert stored is not None
            stand_ins.append(
                done.add(stored.reversal(t.booked_on, f"Tilbakeføring av {stored.text}"))
            )
        originals.append(replace(original, status=PaymentStatus.REVERSED.value))
        taken_ids.add(original.id)
        done.rows.append(
            counter_row(
                row,
                original,
                t.booked_on,
                stand_ins[0],
                stand_ins[1] if len(stand_ins) > 1 else None,
            )
        )
        if original.case_id is not None:
            done.events.append(
                (
                    t.booked_on,
                    HistoryEvent(
                        original.case_id,
                        EventKind.PAYMENT_REVERSED,
                        f"payment {original.number} of {original.amount} was reversed by the bank",
                        {"payment": original.number, "amount": money(original.amount)},
                    ),
                )
            )
        taken += 1
    write_booked(uow, done)
    uow.payments.add_payments(done.rows)
    for original in originals:
        uow.payments.update(original)
    _reopen_cases(uow, originals, reversals[0][0].booked_on if reversals else None)
    return taken, first_number


def _reopen_cases(uow: UnitOfWork, originals: list[PaymentRow], day: date | None) -> None:
    """A case the reversed payments had closed as paid goes on where it was closed."""
    if not originals or day is None:
        return
    case_ids = [o.case_id for o in originals if o.case_id is not None]
    numbers = [int(n) for o in originals for n in o.invoice_numbers.split()]
    reopened = uow.collection.reopen_paid(case_ids, numbers)
    uow.collection.add_event_rows(
        [
            HistoryEvent(case_id, EventKind.REOPENED, "a reversed payment left the claim unpaid")
            for case_id in reopened
        ],
        day,
        "bank file",
    )
