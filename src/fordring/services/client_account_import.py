"""`collector import FILE`: one bank file to a collector's client account(s), read once,
each payment routed by its case KID to the creditor that owns it and booked in that
creditor's ledger (as `payments import` would); the rest wait in the collector's queue.

All or nothing: a malformed file, a payment to an account that is not one of the
collector's client accounts, or a date far from the business date refuses the whole file.
A reversal goes by its KID to the creditor whose payment it takes back and is booked there
as `payments import` books one; one that names no payment waits in the collector's queue.
A payment that looks like one the creditor booked before (the file re-sent under a new id)
is held at that creditor for a person (payment_holds.py), as `payments import` holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from fordring.domain.bank_files import BankFormat, BankTransaction, far_date_problems
from fordring.domain.collector import Collector, route
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.law.tables import RateBook
from fordring.domain.payments import Channel, PaymentStatus
from fordring.services.collection_agreement import agreement_of
from fordring.services.collector import collector_id, resolve_collector
from fordring.services.collector_ports import ClientBankFile, ClientPayment
from fordring.services.payment_holds import hold_look_alikes
from fordring.services.payment_import import (
    BATCH,
    BankFileReader,
    bank_day,
    file_sha256,
    incoming,
    reverse_transactions,
)
from fordring.services.payment_posting import book_payments
from fordring.services.ports import GlobalUnitOfWork, UnitOfWork, UnitOfWorkFactory

ZERO = Decimal(0)


@dataclass
class CreditorShare:
    """What one creditor got from the file."""

    orgnr: str
    name: str
    payments: int = 0
    total: Decimal = ZERO
    matched: dict[str, int] = field(default_factory=dict)  # by rule
    unmatched: int = 0  # booked, waiting in the creditor's own queue
    reversed: int = 0  # reversals that took back one of the creditor's payments
    held: int = 0  # look-alikes of payments booked before: held at the creditor
    interest_charged: Decimal = ZERO


@dataclass
class ClientImportReport:
    format: BankFormat
    file_id: str
    payments: int = 0
    total: Decimal = ZERO
    creditors: list[CreditorShare] = field(default_factory=list)
    queued: int = 0  # in the collector's queue (no creditor's KID, or a reversal)
    queued_total: Decimal = ZERO


def import_client_file(
    path: Path,
    collector_orgnr: str | None,
    day: date,
    uow_factory: UnitOfWorkFactory,
    reader: BankFileReader,
    book: RateBook,
) -> ClientImportReport:
    if not path.is_file():
        raise InvalidInput.one("file", f"{path} is not a file")
    sha = file_sha256(path)
    fmt, file_id = reader.peek(path)
    with uow_factory.unscoped() as uow:
        _refuse_seen(uow, resolve_collector(uow, collector_orgnr), sha, fmt, file_id)
    parsed = reader.read(path)
    _refuse_far_dates(parsed.transactions, day)
    with uow_factory.unscoped() as uow:
        found = resolve_collector(uow, collector_orgnr)
        cid = collector_id(found)
        _refuse_seen(uow, found, sha, parsed.format, parsed.file_id)
        _refuse_other_accounts(parsed.transactions, found)
        every = parsed.transactions
        total = sum((t.amount for t in every if not t.reversal), ZERO)
        report = ClientImportReport(parsed.format, parsed.file_id, len(every), total)
        uow.collectors.lock_creditors(cid)  # no creditor stops serving mid-file
        owners = uow.collectors.taken_kids(cid, {t.kid for t in every if t.kid})
        routed = route(every, [t.kid for t in every], owners)
        file_row = uow.collectors.add_bank_file(
            cid,
            ClientBankFile(
                parsed.format.value, parsed.file_id, path.name, day, len(parsed.transactions)
            ),
            sha,
            total,
        )
        file = _File(parsed.format, parsed.file_id, sha, path.name, day)
        creditors = {c.company_id: c for c in uow.collectors.creditors(cid)}
        rest = list(routed.queued)
        for company_id in sorted(routed.by_creditor):
            creditor = creditors[company_id]
            share = CreditorShare(creditor.orgnr, creditor.name)
            with uow.within(company_id, business_date=day) as scoped:
                rest += _book_share(scoped, routed.by_creditor[company_id], share, file, book)
                scoped.commit()  # kept when the whole file's transaction commits
            if share.payments:
                report.creditors.append(share)
        uow.collectors.queue(cid, file_row, [_queued(t) for t in rest])
        report.queued = len(rest)
        report.queued_total = sum((_queued(t).amount for t in rest), ZERO)
        uow.commit()
    return report


@dataclass(frozen=True, slots=True)
class _File:
    format: BankFormat
    file_id: str
    sha256: str
    name: str
    day: date


def _book_share(
    uow: UnitOfWork,
    payments: Sequence[BankTransaction],
    share: CreditorShare,
    file: _File,
    book: RateBook,
) -> list[BankTransaction]:
    """Book one creditor's payments in its ledger (`uow` is the creditor's scope), the file
    recorded as its own too (so the creditor's own `payments import` of the same file is
    refused). Look-alikes of payments it booked before are held for a person. The
    reversals that name none of its payments are returned: they wait in the collector's
    queue (the creditor may never have had that money)."""
    seen = uow.payments.find_bank_file(file.sha256, file.format.value, file.file_id)
    if seen is not None:
        raise RuleViolation(
            f"file: {share.name} imported it itself on {seen.imported_on} as {seen.filename!r};"
            " nothing was booked"
        )
    theirs, unnamed = _reversals_named(uow, payments)
    if not theirs:
        return unnamed
    share.payments = len(theirs)
    share.total = sum((t.amount for t in theirs if not t.reversal), ZERO)
    agreement = agreement_of(uow)
    file_row = uow.payments.add_bank_file(
        file.format.value,
        file.file_id,
        file.sha256,
        file.name,
        file.day,
        len(theirs),
        share.total,
    )
    held = hold_look_alikes(uow, theirs, [Channel.CLIENT] * len(theirs), file_row)
    share.held = len(held)
    kept = [t for n, t in enumerate(theirs) if n not in held]
    reversals = [(t, Channel.CLIENT) for t in kept if t.reversal]
    payments = [t for t in kept if not t.reversal]
    for start in range(0, len(payments), BATCH):
        done = book_payments(
            uow,
            agreement,
            [incoming(t, Channel.CLIENT) for t in payments[start : start + BATCH]],
            book,
            bank_file_id=file_row,
        )
        for row in done.rows:
            if row.status == PaymentStatus.UNMATCHED.value:
                share.unmatched += 1
            else:
                share.matched[row.matched_by] = share.matched.get(row.matched_by, 0) + 1
        share.interest_charged += sum((c.amount for c in done.charges), ZERO)
    if reversals:
        share.reversed, _ = reverse_transactions(uow, agreement, reversals, file_row)
    return unnamed


def _reversals_named(
    uow: UnitOfWork, transactions: Sequence[BankTransaction]
) -> tuple[list[BankTransaction], list[BankTransaction]]:
    """The creditor's transactions (payments, and reversals that name one of its payments
    not yet taken back: same KID and amount), and the reversals that name none."""
    theirs: list[BankTransaction] = []
    unnamed: list[BankTransaction] = []
    taken: set[int] = set()
    for t in transactions:
        if not t.reversal:
            theirs.append(t)
            continue
        original = uow.payments.reversible(t.kid, t.amount) if t.kid else None
        if original is None or original.id in taken or t.credit_note:
            unnamed.append(t)
        else:
            taken.add(original.id)
            theirs.append(t)
    return theirs, unnamed


def _refuse_seen(
    uow: GlobalUnitOfWork, found: Collector, sha: str, fmt: BankFormat, file_id: str
) -> None:
    seen = uow.collectors.find_bank_file(collector_id(found), sha, fmt.value, file_id)
    if seen is not None:
        raise RuleViolation(
            f"file: already imported on {seen.imported_on} as {seen.filename!r} "
            f"({seen.format} {seen.file_id}, {seen.transactions} transactions); nothing was booked"
        )


def _refuse_far_dates(transactions: Sequence[BankTransaction], today: date) -> None:
    if problems := far_date_problems(transactions, today):
        raise InvalidInput(problems)


def _refuse_other_accounts(transactions: Sequence[BankTransaction], found: Collector) -> None:
    """Every payment must reach one of the collector's client accounts."""
    problems = [
        Problem(
            "account",
            f"{t.account} is not a client account of {found.name}; add it with"
            " `fordring collector add` or import the file to the company it belongs to",
            t.where,
        )
        for t in transactions
        if t.account not in found.accounts
    ]
    if problems:
        raise InvalidInput(problems[:20])


def _queued(t: BankTransaction) -> ClientPayment:
    return ClientPayment(
        number=0,  # numbered by the queue
        account=t.account,
        place=t.where,
        received_on=bank_day(t),
        amount=-t.amount if t.reversal else t.amount,
        kid=t.kid or "",
        text=t.text,
        payer_name=t.payer_name,
        payer_account=t.payer_account,
        archive_ref=t.archive_ref,
    )
