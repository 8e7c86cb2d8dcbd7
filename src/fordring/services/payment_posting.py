"""Booking incoming payments (SPEC P2-P3): match each one, split it by the law's order,
book it, and tell the cases; in batches, whatever the number of payments.

Used by the bank-file import, by `payments register` and by manual matching. A matched
payment is one voucher (debit where the money is, credit the items it pays); an
unmatched one is booked to the unmatched account and waits in the queue. Interest the
payment covers that was not charged yet is charged first (an RG voucher per payment).
Payments to the same items in one batch see each other: the second pays what is left.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from fordring.domain.collection.agreement import Agreement
from fordring.domain.law.tables import RateBook
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher, VoucherTypeCode
from fordring.domain.matching import Match, match_payment, numbers_in
from fordring.domain.payments import PaymentAccounts, PaymentStatus
from fordring.domain.webhooks import WebhookType, payment_json
from fordring.services.payment_allocation import Allocated, allocate_to
from fordring.services.payment_batch import ZERO, Booked, Incoming, received_account
from fordring.services.payment_payables import Payables, paid_in_time
from fordring.services.ports import InvoiceItem, PaymentRow, UnitOfWork
from fordring.services.posting import CaseEvent, post_vouchers, reserve

__all__ = [
    "Allocated",
    "Booked",
    "Incoming",
    "Payables",
    "allocate_to",
    "book_payments",
    "find_matches",
    "paid_in_time",
    "received_account",
    "tell_webhooks",
    "write_booked",
]
MATCHED = PaymentStatus.MATCHED.value


def find_matches(uow: UnitOfWork, incoming: Sequence[Incoming]) -> list[Match]:
    """Each payment's match, with three batched lookups for the whole batch."""
    # Every KID is looked up as it is: one that fails its check digit cannot be ours.
    given = {p.kid for p in incoming if p.kid}
    case_by_kid, invoice_by_kid = uow.payments.targets_by_kid(given)
    numbers = {n for p in incoming if p.text for n in numbers_in(p.text)}
    by_number = uow.payments.open_invoices_by_number(numbers) if numbers else {}
    return [match_payment(p.kid, p.text, case_by_kid, invoice_by_kid, by_number) for p in incoming]


def book_payments(
    uow: UnitOfWork,
    agreement: Agreement,
    incoming: Sequence[Incoming],
    book: RateBook,
    *,
    bank_file_id: int | None,
    forced: Sequence[Match] | None = None,
    splits: bool = False,
) -> Booked:
    """Match, split and book `incoming` (in order); `forced` gives the matches instead
    (manual matching); `splits` keeps every payment's Split (for reporting one payment).
    Writes everything in `uow`; the caller commits."""
    matches = list(forced) if forced is not None else find_matches(uow, incoming)
    found = [m for m in matches if m.found]
    payables = Payables(uow, found, [p.day for p in incoming], book)
    if payables.facts and paid_in_time(
        uow, agreement, payables.in_time_candidates(incoming, matches), payables
    ):
        # A payment in time put a case back before its hand-over: read it again.
        payables = Payables(uow, found, [p.day for p in incoming], book)
    first_id = uow.payments.reserve_ids(len(incoming)) if incoming else 0
    first_number = uow.series.take("payment", len(incoming)) if incoming else 0
    done = Booked(plain=not splits)
    pending = [
        _book_one(agreement, payment, match, payables, first_id + offset, done)
        for offset, (payment, match) in enumerate(zip(incoming, matches, strict=True))
    ]
    write_booked(uow, done)
    done.rows = []
    uow.payments.add_payments(_rows(done, pending, first_id, first_number, bank_file_id))
    tell_webhooks(uow, done.rows)
    return done


def tell_webhooks(uow: UnitOfWork, rows: Sequence[PaymentRow]) -> None:
    """`payment.matched` for each of `rows` matched outside a case, in the transaction
    that books them (the outbox): one read when no endpoint wants it, else that and two
    bulk writes, whatever the number of payments. A payment on a case is told by the
    case's history (its `payment` event)."""
    outside = [r for r in rows if r.case_id is None and r.status == MATCHED]
    if not outside or not uow.webhooks.wants(WebhookType.PAYMENT_MATCHED):
        return
    uow.webhooks.queue(
        [
            (
                WebhookType.PAYMENT_MATCHED,
                payment_json(
                    r.number,
                    r.received_on,
                    r.matched_on or r.received_on,
                    r.amount,
                    r.matched_by,
                    [int(n) for n in r.invoice_numbers.split()],
                    r.principal,
                    r.credit,
                    r.kid,
                ),
            )
            for r in outside
        ]
    )


def _rows(
    done: Booked,
    pending: Sequence[tuple[Incoming, int, Allocated | None]],
    first_id: int,
    first_number: int,
    bank_file_id: int | None,
) -> Iterator[PaymentRow]:
    """The payment rows, each kept in `done.rows` as it is handed on: built while the
    database stores the ones before it (adapters/db/bulk.py)."""
    kept = done.rows
    for n, (payment, stand_in, found) in enumerate(pending):
        row = _row(
            payment, first_id + n, first_number + n, bank_file_id, done.real_id(stand_in), found
        )
        kept.append(row)
        yield row


def _row(
    p: Incoming,
    payment_id: int,
    number: int,
    bank_file_id: int | None,
    voucher_id: int,
    found: Allocated | None,
) -> PaymentRow:
    """The payment's row, built once: what the bank said and what it paid."""
    if found is None:
        status, by, customer, case, invoices = PaymentStatus.UNMATCHED.value, "", None, None, ""
        principal = interest = fees = salaer = credit = ZERO
        matched_on = None
    else:
        status, by = PaymentStatus.MATCHED.value, found.matched_by.value
        customer, case, invoices = found.customer_id, found.case_id, found.invoice_numbers
        principal, interest, fees, salaer, credit = found.amounts()
        matched_on = p.day
    return PaymentRow(
        payment_id,
        number,
        bank_file_id,
        p.place,
        p.channel.value,
        p.day,
        p.amount,
        p.kid or "",
        p.text,
        p.payer_name,
        p.payer_account,
        p.archive_ref,
        status,
        by,
        matched_on,
        customer,
        case,
        voucher_id,
        None,
        principal,
        interest,
        fees,
        salaer,
        credit,
        ZERO,
        None,
        None,
        invoices,
    )


def _book_one(
    agreement: Agreement,
    payment: Incoming,
    match: Match,
    payables: Payables,
    payment_id: int,
    done: Booked,
) -> tuple[Incoming, int, Allocated | None]:
    """Book one payment's voucher into `done`: (the payment, its voucher's stand-in id,
    what it paid or None when unmatched)."""
    received = received_account(payment.channel, agreement)
    text = _voucher_text(payment)
    if done.plain and match.found and (plain := _plain(match, payables)) is not None:
        return payment, *_pay_plain(
            agreement, payment, match, plain, payables, received, text, done
        )
    if not match.found:
        voucher = Voucher(
            VoucherTypeCode.PAYMENT,
            payment.day,
            f"{text} (ikke identifisert)",
            (
                Posting(received, payment.amount, text=text),
                Posting(agreement.unmatched_account, -payment.amount, text=text),
            ),
        )
        return payment, done.add(voucher), None
    allocated = allocate_to(
        agreement,
        payment.amount,
        payment.day,
        match,
        payables,
        PaymentAccounts(received, agreement.credit_account),
        text,
        done,
    )
    if allocated.split is not None:
        done.splits[payment_id] = allocated.split
    return payment, allocated.voucher_id, allocated


def _plain(match: Match, payables: Payables) -> InvoiceItem | None:
    """The invoice when a payment can only pay one invoice's principal (one invoice, in
    no case, nothing charged on it): the common case, booked without the general split."""
    if match.case_id is not None or len(match.invoice_ids) != 1:
        return None
    found = payables.lookup.invoices[match.invoice_ids[0]]
    if found.case_id is not None or payables.charges.get(found.id):
        return None
    return found


def _pay_plain(
    agreement: Agreement,
    payment: Incoming,
    match: Match,
    item: InvoiceItem,
    payables: Payables,
    received: str,
    text: str,
    done: Booked,
) -> tuple[int, Allocated]:
    """What `split_payment` gives for one invoice's principal, without its machinery:
    the principal up to what is open, the rest the customer's credit."""
    part = min(payment.amount, max(item.open_amount, ZERO))
    overpaid = payment.amount - part
    postings = [Posting(received, payment.amount, text=text)]
    if part:
        postings.append(Posting(RECEIVABLES, -part, item.customer_id, item.id, text))
    if overpaid:
        postings.append(Posting(agreement.credit_account, -overpaid, item.customer_id, text=text))
    voucher_id = done.add(Voucher(VoucherTypeCode.PAYMENT, payment.day, text, tuple(postings)))
    payables.lookup.invoices[item.id] = InvoiceItem(  # not `replace`: three times as fast
        item.id,
        item.number,
        item.customer_id,
        item.customer_name,
        item.open_amount - part,
        item.due_date,
        item.case_id,
    )
    paid = (part, ZERO, ZERO, ZERO, overpaid)
    return voucher_id, Allocated(
        None, voucher_id, item.customer_id, None, match.by, str(item.number), paid
    )


def _voucher_text(payment: Incoming) -> str:
    who = f" {payment.payer_name}" if payment.payer_name else ""
    kid = f" KID {payment.kid}" if payment.kid else ""
    return f"Innbetaling{who}{kid}"[:300]


def write_booked(uow: UnitOfWork, done: Booked) -> None:
    """Number the vouchers (one block of ids and numbers, no gaps) and put their real ids
    in the payment rows and charges; the posting service books them and derives what
    they move (charges, open amounts, the cases' history)."""
    count = len(done.vouchers)
    if count:
        block = reserve(uow, count)
        done.first_id, done.first_number = block.first_id, block.first_number
        done.rows = [
            replace(
                r,
                voucher_id=done.real_id(r.voucher_id),
                allocation_voucher_id=done.real_id(r.allocation_voucher_id)
                if r.allocation_voucher_id is not None
                else None,
            )
            for r in done.rows
        ]
        done.charges = [replace(c, voucher_id=done.real_id(c.voucher_id)) for c in done.charges]
        post_vouchers(
            uow,
            done.vouchers,
            new_charges=done.charges,
            events=[
                CaseEvent(e.case_id, day, e.kind, e.text, "payment", e.payload)
                for day, e in done.events
            ],
            block=block,
        )
