"""A payment in time undoes a later hand-over (inkassoloven § 9 (2), § 17; docs/law.md
"Payment in time"): the case goes back to where it stood after its collection notice, the
salær (and an own-collection demand fee) is cancelled with a correcting voucher, and money
that had paid them goes to principal and fees, or becomes the customer's credit. Heavy
salær charged after the principal was paid is cancelled the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case_facts import CaseFacts, ChargeKind, SentLetter
from fordring.domain.collection.claim_interest import case_interest
from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.collection.in_time import (
    handover_after,
    heavy_may_be_undone,
    notice_covered,
    principal_covered,
)
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher, VoucherTypeCode
from fordring.domain.payments import ItemKind, OpenItem, Payable, Split, split_payment
from fordring.services.ports import CaseCharge, PaymentLookup, PaymentRow, UnitOfWork
from fordring.services.posting import post_voucher

ZERO = Decimal(0)


def undo_late_handovers(
    uow: UnitOfWork,
    agreement: Agreement,
    paid: Sequence[tuple[int, date, Decimal]],
    facts: Mapping[int, CaseFacts],
    lookup: PaymentLookup,
) -> list[int]:
    """Undo the hand-over of each case that `paid` (case id, bank day, amount: payments
    about to be booked) shows was paid in time; the ids of the cases put back."""
    found: dict[int, tuple[SentLetter, SentLetter]] = {}
    coming: dict[int, Decimal] = {}
    for case_id, day, amount in paid:
        f = facts.get(case_id)
        letters = handover_after(f, day) if f is not None else None
        if letters is None:
            continue
        found[case_id] = letters
        coming[case_id] = coming.get(case_id, ZERO) + amount
    undone = []
    for case_id, (notice, demand) in sorted(found.items()):
        assert notice.deadline is not None
        money = uow.payments.money_in_time(case_id, notice.deadline)
        charges = uow.payments.case_charges(case_id)
        fees = sum(
            (
                c.amount
                for c in charges
                if c.kind == ChargeKind.FEE.value and c.charged_on <= notice.deadline
            ),
            ZERO,
        )
        received = money.received + coming[case_id]
        if not notice_covered(money.principal, fees, received, money.credited):
            continue
        first_paid = min(day for c, day, _ in paid if c == case_id and day <= notice.deadline)
        _undo(uow, agreement, case_id, notice, demand, charges, lookup, first_paid)
        undone.append(case_id)
    return undone


def _undo(
    uow: UnitOfWork,
    agreement: Agreement,
    case_id: int,
    notice: SentLetter,
    demand: SentLetter,
    charges: list[CaseCharge],
    lookup: PaymentLookup,
    paid_on: date,
) -> None:
    """Cancel what the hand-over and the payments after it charged (salær, a demand fee,
    interest charged after the notice's deadline), take back what payments paid on
    interest charged up to it, and pay with the money freed as before collection."""
    deadline = notice.deadline
    assert deadline is not None
    cancel = [c for c in charges if c.kind == ChargeKind.SALAER.value or c.charged_on > deadline]
    reopen = [
        c
        for c in charges
        if c.kind == ChargeKind.INTEREST.value
        and c.charged_on <= deadline
        and c.amount != c.open_amount
    ]
    number = lookup.cases[case_id].number
    text = f"Sak {number}: betalt innen fristen {deadline}"
    said = _correct(uow, agreement, case_id, charges, cancel, reopen, lookup, paid_on, text)
    uow.payments.back_before_handover([case_id])
    uow.collection.add_event_rows(
        [
            HistoryEvent(
                case_id,
                EventKind.HANDOVER_UNDONE,
                f"paid by the collection notice's deadline {deadline} (bank date {paid_on}; "
                f"inkassoloven § 9 (2)): the hand-over of {demand.day} is undone, {said} "
                "(§ 17); the case stands as after the notice",
                {
                    "deadline": deadline.isoformat(),
                    "paid_on": paid_on.isoformat(),
                    "handover": demand.day.isoformat(),
                },
            )
        ],
        paid_on,
        "payment",
    )


def undo_late_heavy_salaer(
    uow: UnitOfWork,
    agreement: Agreement,
    paid: Sequence[tuple[int, date, Decimal]],
    facts: Mapping[int, CaseFacts],
    lookup: PaymentLookup,
    book: RateBook,
) -> list[int]:
    """Cancel heavy salær charged on a day after payments received before it had paid the
    principal in full, by the order in collection (costs charged before that day, interest
    up to the last of those payments, principal); the ids of the cases corrected."""
    early = [(c, day, a) for c, day, a in paid if c in facts and heavy_may_be_undone(facts[c], day)]
    if not early:
        return []
    heavy_days = uow.payments.later_salaer_days(sorted({c for c, _, _ in early}))
    done = []
    for case_id, heavy_day in sorted(heavy_days.items()):
        coming = [(day, a) for c, day, a in early if c == case_id and day < heavy_day]
        if not coming:
            continue
        before = heavy_day - timedelta(days=1)
        money = uow.payments.money_in_time(case_id, before)
        charges = uow.payments.case_charges(case_id)
        costs = sum(
            (
                c.amount
                for c in charges
                if c.kind != ChargeKind.INTEREST.value and c.charged_on < heavy_day
            ),
            ZERO,
        )
        received = money.received + sum((a for _, a in coming), ZERO)
        last = max(day for day, _ in coming)
        try:
            interest = case_interest(facts[case_id].claims, last, book)
        except MissingRate:
            continue  # the run holds the case for the rate; nothing is undone on a guess
        if not principal_covered(money.principal, costs + interest, received, money.credited):
            continue
        paid_on = min(day for day, _ in coming)
        cancel = [
            c for c in charges if c.kind == ChargeKind.SALAER.value and c.charged_on >= heavy_day
        ]
        number = lookup.cases[case_id].number
        text = f"Sak {number}: hovedstol betalt før tungt salær {heavy_day}"
        said = _correct(uow, agreement, case_id, charges, cancel, [], lookup, paid_on, text)
        uow.collection.add_event_rows(
            [
                HistoryEvent(
                    case_id,
                    EventKind.HEAVY_SALAER_UNDONE,
                    f"the principal was paid before the heavy-salær day {heavy_day} (bank date "
                    f"{paid_on}; inkassoloven § 9 (2)): {said} (inkassoforskriften § 2-2)",
                    {"heavy_salaer_day": heavy_day.isoformat(), "paid_on": paid_on.isoformat()},
                )
            ],
            paid_on,
            "payment",
        )
        done.append(case_id)
    return done


def _correct(
    uow: UnitOfWork,
    agreement: Agreement,
    case_id: int,
    charges: list[CaseCharge],
    cancel: list[CaseCharge],
    reopen: list[CaseCharge],
    lookup: PaymentLookup,
    paid_on: date,
    text: str,
) -> str:
    """One correcting voucher: `cancel` cancelled whole, what payments paid on `cancel` and
    `reopen` taken back and paid again principal first; the payments' lines follow. What
    it did, for the case history."""
    customer = lookup.cases[case_id].customer_id
    freed_on = {c.id: c.amount - c.open_amount for c in (*cancel, *reopen)}
    freed = sum(freed_on.values(), ZERO)
    rows = [
        r
        for r in uow.payments.case_payments(case_id)
        if (r.salaer > 0 or r.interest > 0) and r.settlement_id is None
    ]
    postings = [
        Posting(RECEIVABLES, amount, customer, None, text, charge_id)
        for charge_id, amount in freed_on.items()
        if amount
    ]
    accounts = {
        ChargeKind.SALAER.value: agreement.salaer_account,
        ChargeKind.FEE.value: agreement.fee_account,
        ChargeKind.INTEREST.value: agreement.interest_account,
    }
    cancelled: dict[str, Decimal] = {}
    for c in cancel:
        postings.append(Posting(RECEIVABLES, -c.amount, customer, None, text, c.id))
        cancelled[c.kind] = cancelled.get(c.kind, ZERO) + c.amount
    for kind, total in sorted(cancelled.items()):
        postings.append(Posting(accounts[kind], total, text=text))
    split = _reallocate(freed, lookup.cases[case_id].invoice_ids, charges, cancel, reopen, lookup)
    if split is not None:
        postings += [
            Posting(
                RECEIVABLES,
                -part,
                customer,
                item.invoice_id if item.charge_id is None else None,
                text,
                item.charge_id,
            )
            for item, part in split.parts
        ]
        if split.overpayment:
            postings.append(
                Posting(agreement.credit_account, -split.overpayment, customer, text=text)
            )
    if postings:
        day = max([paid_on, *(c.charged_on for c in cancel), *(r.received_on for r in rows)])
        post_voucher(uow, Voucher(VoucherTypeCode.CORRECTION, day, text, tuple(postings)))
    uow.payments.cancel_charges([c.id for c in cancel])
    if split is not None:
        kinds = {c.id: c.kind for c in (*cancel, *reopen)}
        for row in _moved_rows(
            rows,
            split,
            sum((a for i, a in freed_on.items() if kinds[i] == ChargeKind.SALAER.value), ZERO),
            sum((a for i, a in freed_on.items() if kinds[i] == ChargeKind.INTEREST.value), ZERO),
        ):
            uow.payments.update(row)
    said = ", ".join(f"{kind} {total} cancelled" for kind, total in sorted(cancelled.items()))
    if freed:
        said += f"; {freed} paid on charges goes to principal first"
    return said.replace("salaer", "salær") or "nothing charged"


def _reallocate(
    freed: Decimal,
    invoice_ids: tuple[int, ...],
    charges: list[CaseCharge],
    cancel: list[CaseCharge],
    reopen: list[CaseCharge],
    lookup: PaymentLookup,
) -> Split | None:
    """The money freed, split as before collection: principal, then interest, then fees;
    the rest is the customer's credit."""
    if freed <= 0:
        return None
    gone = {c.id for c in cancel}
    taken_back = {c.id for c in reopen}  # open again for their whole amount
    invoices = sorted((lookup.invoices[i] for i in invoice_ids), key=lambda i: (i.due_date, i.id))
    payable = Payable(
        invoices[0].customer_id,
        tuple(
            OpenItem(i.id, None, i.open_amount, (i.due_date, i.id))
            for i in invoices
            if i.open_amount > 0
        ),
        tuple(
            OpenItem(
                c.invoice_id,
                c.id,
                c.amount if c.id in taken_back else c.open_amount,
                (c.charged_on, c.id),
                ItemKind(c.kind),
            )
            for c in charges
            if c.id not in gone and (c.id in taken_back or c.open_amount > 0)
        ),
    )
    return split_payment(freed, payable)


def _moved_rows(
    rows: list[PaymentRow], split: Split, salaer_freed: Decimal, interest_freed: Decimal
) -> list[PaymentRow]:
    """The unsettled payments whose salær and interest shares were freed (the newest
    first), with what they pay now (principal, interest, fees, then credit), so their
    settlement keeps no cancelled salær."""
    left = {
        "principal": split.paid(ItemKind.PRINCIPAL),
        "interest": split.paid(ItemKind.INTEREST),
        "fees": split.paid(ItemKind.FEE),
        "credit": split.overpayment,
    }
    changed = []
    for row in reversed(rows):
        from_salaer = min(row.salaer, salaer_freed)
        from_interest = min(row.interest, interest_freed)
        salaer_freed -= from_salaer
        interest_freed -= from_interest
        share = from_salaer + from_interest
        if not share:
            continue
        amounts = {
            "principal": row.principal,
            "interest": row.interest - from_interest,
            "fees": row.fees,
            "credit": row.credit,
        }
        for name, amount in left.items():
            part = min(share, amount)
            amounts[name] += part
            left[name] = amount - part
            share -= part
        changed.append(
            replace(
                row,
                principal=amounts["principal"],
                interest=amounts["interest"],
                fees=amounts["fees"],
                salaer=row.salaer - from_salaer,
                credit=amounts["credit"],
            )
        )
    return changed
