"""Payments one at a time (SPEC P2-P4): registered by hand, and the queue of unmatched
payments: list with suggestions, match item against item, refund, keep as credit.

Matching by hand books a voucher that moves the payment from the unmatched account to
the items it pays (INN); the rest is the customer's credit. A refund pays money back
from where it is; keeping it makes the whole payment the customer's credit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from fordring.domain.api_access import Permission
from fordring.domain.bank_files import date_problem
from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.errors import Conflict, InvalidInput, RuleViolation
from fordring.domain.kid import Kid
from fordring.domain.law.tables import RateBook
from fordring.domain.ledger import Posting, Voucher, VoucherTypeCode
from fordring.domain.matching import (
    Candidate,
    Match,
    MatchedBy,
    Suggestion,
    name_words,
    suggestions,
)
from fordring.domain.payments import (
    Channel,
    ItemKind,
    ItemRef,
    MatchItem,
    PaymentAccounts,
    PaymentStatus,
    Split,
)
from fordring.services.payment_posting import (
    Booked,
    Incoming,
    Payables,
    allocate_to,
    book_payments,
    find_matches,
    paid_in_time,
    received_account,
    tell_webhooks,
    write_booked,
)
from fordring.services.ports import PaymentView, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope, require

FIRST = -1  # the stand-in id of the first voucher added to a Booked
SUGGESTED = 3  # suggestions for an unmatched payment


@dataclass(frozen=True, slots=True)
class NewPayment:
    amount: Decimal
    day: date
    kid: Kid | None = None
    invoice_number: int | None = None
    channel: Channel = Channel.DIRECT


@dataclass(frozen=True, slots=True)
class RegisteredPayment:
    number: int
    voucher_number: int
    case_number: int | None
    split: Split | None  # None: nothing matched, the payment waits in the queue
    paid: tuple[tuple[str, Decimal], ...]  # ("invoice 12" / "fee 3", amount)


def may_write_payments(scope: Scope) -> None:
    """Forbidden unless the actor may book payments (a read-only role may not)."""
    require(scope, Permission.WRITE_PAYMENTS)


def _agreement(uow: UnitOfWork) -> Agreement:
    return with_settings(Agreement(), uow.collection.settings())


def register_payment(
    cmd: NewPayment, scope: Scope, uow_factory: UnitOfWorkFactory, book: RateBook
) -> RegisteredPayment:
    """Book one payment by KID or invoice number; a KID nothing has is refused (by hand
    there is someone to ask), so nothing waits in the queue from here."""
    may_write_payments(scope)
    if cmd.amount <= 0:
        raise InvalidInput.one("amount", f"must be positive, not {cmd.amount}")
    if (cmd.kid is None) == (cmd.invoice_number is None):
        raise InvalidInput.one("kid", "give either a KID or an invoice number")
    if why := date_problem(cmd.day, scope.business_date):  # more than a year from it
        raise InvalidInput.one("date", why)
    kid = cmd.kid
    incoming = Incoming(
        "registered by hand",
        cmd.channel,
        cmd.amount,
        cmd.day,
        kid=kid,
        text=str(cmd.invoice_number) if cmd.invoice_number is not None else "",
    )
    with uow_factory(scope) as uow:
        matches = find_matches(uow, [incoming])
        if not matches[0].found:
            field, value = ("kid", kid) if kid else ("invoice", cmd.invoice_number)
            raise InvalidInput.one(field, f"no open invoice or case with {field} {value}")
        done = book_payments(uow, _agreement(uow), [incoming], book, bank_file_id=None, splits=True)
        uow.commit()
        return _registered(uow, done)


def _registered(uow: UnitOfWork, done: Booked) -> RegisteredPayment:
    row = done.rows[0]
    view = uow.payments.views([row.id])[0]
    voucher_id = row.allocation_voucher_id or row.voucher_id
    voucher_number = done.first_number + (voucher_id - done.first_id)
    split = done.splits.get(row.id)
    return RegisteredPayment(
        row.number,
        voucher_number,
        view.case_number,
        split,
        _labelled(split, done, uow) if split else (),
    )


def _labelled(split: Split, done: Booked, uow: UnitOfWork) -> tuple[tuple[str, Decimal], ...]:
    numbers = {i.invoice_id for i, _ in split.parts if i.invoice_id is not None}
    numbers |= {invoice_id for invoice_id, _ in split.new_interest}
    names = uow.payments.lookup((), numbers).invoices
    found: list[tuple[str, Decimal]] = []
    for item, part in split.parts:
        if item.kind is ItemKind.PRINCIPAL and item.invoice_id is not None:
            found.append((f"invoice {names[item.invoice_id].number}", part))
        else:
            found.append((f"{item.kind.value} {item.charge_id}", part))
    found += [(f"interest on invoice {names[i].number}", a) for i, a in split.new_interest]
    return tuple(found)


@dataclass(frozen=True, slots=True)
class QueuedPayment:
    view: PaymentView
    suggestions: tuple[Suggestion, ...]


def list_payments(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    unmatched_only: bool,
    limit: int = 200,
    after: int | None = None,
) -> list[QueuedPayment]:
    """Payments, newest last (after number `after`, if given); unmatched ones with
    suggestions (amount, payer name)."""
    with uow_factory(scope) as uow:
        status = PaymentStatus.UNMATCHED.value if unmatched_only else None
        start = 0 if after is None else after + 1
        views = uow.payments.listing(status=status, limit=limit, number_from=start)
        return _with_suggestions(uow, views)


def _with_suggestions(uow: UnitOfWork, views: Sequence[PaymentView]) -> list[QueuedPayment]:
    waiting = [v for v in views if v.row.status == PaymentStatus.UNMATCHED.value]
    words = {w for v in waiting for w in v.row.payer_name.lower().split() if len(w) > 2}
    found = uow.payments.candidates({v.row.amount for v in waiting}, words) if waiting else []
    # Each payment is weighed against the candidates of its amount or its payer's words
    # only (the others score nothing): a page of 50 against thousands stays cheap.
    by_amount: dict[Decimal, list[Candidate]] = {}
    by_word: dict[str, list[Candidate]] = {}
    for label, name, owed in found:
        candidate = Candidate(label, name, owed)
        by_amount.setdefault(owed, []).append(candidate)
        for word in name_words(name):
            by_word.setdefault(word, []).append(candidate)

    def offered(v: PaymentView) -> tuple[Suggestion, ...]:
        if v.row.status != PaymentStatus.UNMATCHED.value:
            return ()
        same = by_amount.get(v.row.amount, [])
        if len(same) >= SUGGESTED:  # they outscore any candidate by name alone
            return tuple(suggestions(v.row.amount, v.row.payer_name, same, SUGGESTED))
        near = same + [c for w in name_words(v.row.payer_name) for c in by_word.get(w, [])]
        found = suggestions(v.row.amount, v.row.payer_name, list(dict.fromkeys(near)), SUGGESTED)
        return tuple(found)

    return [QueuedPayment(v, offered(v)) for v in views]


def show_queued_payment(scope: Scope, number: int, uow_factory: UnitOfWorkFactory) -> QueuedPayment:
    """One payment, with suggestions of what to match it against if it is unmatched."""
    with uow_factory(scope) as uow:
        return _with_suggestions(uow, [_get(uow, number)])[0]


def show_payment(scope: Scope, number: int, uow_factory: UnitOfWorkFactory) -> PaymentView:
    with uow_factory(scope) as uow:
        return _get(uow, number)


def _get(uow: UnitOfWork, number: int, *, lock: bool = False) -> PaymentView:
    found = uow.payments.get(number, lock=lock)
    if found is None:
        raise InvalidInput.one("payment", f"no payment number {number}", code="not_found")
    return found


def match_payment_by_hand(
    scope: Scope,
    number: int,
    items: Sequence[MatchItem],
    uow_factory: UnitOfWorkFactory,
    book: RateBook,
) -> RegisteredPayment:
    """Match an unmatched payment against one case or several invoices of one customer
    (post mot post): it pays them by the law's order, the rest is the customer's credit."""
    may_write_payments(scope)
    day = scope.business_date
    if not items:
        raise InvalidInput.one("item", "name at least one invoice or case", code="required")
    with uow_factory(scope) as uow:
        # Locked until commit: a second person matching it at the same moment waits here,
        # then finds it matched (a Conflict), so the payment is never booked twice.
        row = _get(uow, number, lock=True).row
        if row.status != PaymentStatus.UNMATCHED.value:
            raise Conflict(f"payment: payment {number} is {row.status}, not unmatched")
        if row.amount <= 0:
            raise RuleViolation(f"payment: payment {number} is a reversal; book it by hand")
        match = manual_match(uow, items)
        # What they owe is read after this: another payment or the daily run paying or
        # charging them at the same moment is seen, not overwritten.
        uow.payments.lock_targets([match.case_id] if match.case_id else [], match.invoice_ids)
        agreement = _agreement(uow)
        done = Booked()
        # Booked on the day the money came (its interest stops then), matched today (the
        # client account settles it the next banking day).
        payables = Payables(uow, [match], [row.received_on], book)
        incoming = [Incoming(row.place, Channel(row.channel), row.amount, row.received_on)]
        if payables.facts and paid_in_time(
            uow, agreement, payables.in_time_candidates(incoming, [match]), payables
        ):
            payables = Payables(uow, [match], [row.received_on], book)
        allocated = allocate_to(
            agreement,
            row.amount,
            row.received_on,
            match,
            payables,
            PaymentAccounts(agreement.unmatched_account, agreement.credit_account),
            f"Avstemt innbetaling {number}",
            done,
        )
        done.rows.append(
            replace(
                allocated.apply(row),
                matched_on=day,
                allocation_voucher_id=allocated.voucher_id,
            )
        )
        if allocated.split is not None:
            done.splits[row.id] = allocated.split
        write_booked(uow, done)
        uow.payments.update(done.rows[0], was=row)
        tell_webhooks(uow, done.rows)
        uow.commit()
        return _registered(uow, done)


def manual_match(uow: UnitOfWork, items: Sequence[MatchItem]) -> Match:
    """What a match by hand pays: one case, or one or more invoices of one customer. An
    item named twice (a ticked suggestion also typed, a repeated number) counts once, so
    an invoice is never paid twice by one payment."""
    cases = list(dict.fromkeys(n for kind, n in items if kind is ItemRef.CASE))
    invoices = list(dict.fromkeys(n for kind, n in items if kind is ItemRef.INVOICE))
    if cases and (invoices or len(cases) > 1):
        raise InvalidInput.one("item", "match one case, or one or more invoices")
    if cases:
        case = uow.collection.case(cases[0])
        status = uow.collection.status(cases[0])
        if case is None or status is None:
            raise InvalidInput.one("item", f"no case {cases[0]}")
        return Match(MatchedBy.MANUAL, case_id=status[0])
    found = uow.payments.open_invoices_by_number(invoices)
    missing = [n for n in invoices if n not in found]
    if missing:
        raise InvalidInput.one("item", f"no open invoice {', '.join(map(str, missing))}")
    ids = tuple(found[n] for n in invoices)
    owners = {i.customer_id for i in uow.payments.lookup((), ids).invoices.values()}
    if len(owners) > 1:
        raise InvalidInput.one("item", "the invoices belong to different customers")
    return Match(MatchedBy.MANUAL, invoice_ids=ids)


def refund_payment(
    scope: Scope, number: int, uow_factory: UnitOfWorkFactory
) -> tuple[Decimal, int]:
    """Pay back an unmatched payment, or the overpayment a matched one left as credit;
    (amount refunded, voucher number)."""
    may_write_payments(scope)
    day = scope.business_date
    with uow_factory(scope) as uow:
        row = _get(uow, number, lock=True).row
        agreement = _agreement(uow)
        if row.status == PaymentStatus.UNMATCHED.value and row.amount > 0:
            amount = row.amount
            # Unmatched money on the client account never reaches the creditor: the
            # collector pays it back from there.
            source = received_account(Channel(row.channel), agreement)
            postings = (
                Posting(agreement.unmatched_account, amount, text="Tilbakebetalt"),
                Posting(source, -amount, text="Tilbakebetalt"),
            )
            updated = replace(row, status=PaymentStatus.REFUNDED.value, refunded=amount)
        elif row.status in (PaymentStatus.MATCHED.value, PaymentStatus.CREDIT.value):
            amount = row.credit - row.refunded
            if amount <= 0:
                raise Conflict(f"payment: payment {number} left nothing to refund")
            if row.customer_id is None:
                raise RuleViolation(f"payment: payment {number} has no customer")
            postings = (
                Posting(agreement.credit_account, amount, row.customer_id, text="Tilbakebetalt"),
                Posting(agreement.bank_account, -amount, text="Tilbakebetalt"),
            )
            updated = replace(row, refunded=row.refunded + amount)
        else:
            raise Conflict(f"payment: payment {number} is {row.status}: nothing to refund")
        done = Booked()
        done.add(
            Voucher(VoucherTypeCode.PAYMENT, day, f"Tilbakebetaling innbetaling {number}", postings)
        )
        write_booked(uow, done)
        uow.payments.update(updated, was=row)
        uow.commit()
        return amount, done.number(FIRST)


def keep_as_credit(
    scope: Scope,
    number: int,
    customer_number: int,
    uow_factory: UnitOfWorkFactory,
) -> int:
    """Keep an unmatched payment whole as a customer's credit; the voucher number."""
    may_write_payments(scope)
    day = scope.business_date
    with uow_factory(scope) as uow:
        row = _get(uow, number, lock=True).row
        if row.status != PaymentStatus.UNMATCHED.value or row.amount <= 0:
            raise Conflict(f"payment: payment {number} is {row.status}, not unmatched")
        customer = uow.customers.get(customer_number)
        if customer is None or customer.id is None:
            raise InvalidInput.one("customer", f"no customer number {customer_number}")
        agreement = _agreement(uow)
        text = f"Innbetaling {number} som kreditt"
        done = Booked()
        done.add(
            Voucher(
                VoucherTypeCode.PAYMENT,
                day,
                text,
                (
                    Posting(agreement.unmatched_account, row.amount, text=text),
                    Posting(agreement.credit_account, -row.amount, customer.id, text=text),
                ),
            )
        )
        write_booked(uow, done)
        done_row = replace(
            row,
            status=PaymentStatus.CREDIT.value,
            matched_by=MatchedBy.MANUAL.value,
            matched_on=day,
            customer_id=customer.id,
            credit=row.amount,
        )
        uow.payments.update(replace(done_row, allocation_voucher_id=done.real_id(FIRST)), was=row)
        uow.commit()
        return done.number(FIRST)
