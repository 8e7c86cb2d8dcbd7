"""A payment in time undoes a later hand-over (inkassoloven § 9 (2), § 17; docs/law.md
"Payment in time"): the case goes back to where it stood after its collection notice, the
salær (and an own-collection demand fee) is cancelled with a correcting voucher, and money
that had paid them goes to principal and fees, or becomes the customer's credit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.in_time import handover_after, notice_covered
from fordring.domain.collection.steps import CaseFacts, ChargeKind, SentLetter
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher
from fordring.domain.payments import ItemKind, OpenItem, Payable, Split, split_payment
from fordring.services.ports import CaseCharge, PaymentLookup, PaymentRow, UnitOfWork

CORRECTION_TYPE = "KORR"
ZERO = Decimal(0)


def undo_late_handovers(
    uow: UnitOfWork,
    cid: int,
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
        _undo(uow, cid, agreement, case_id, notice, demand, charges, lookup, first_paid)
        undone.append(case_id)
    return undone


def _undo(
    uow: UnitOfWork,
    cid: int,
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
    case = lookup.cases[case_id]
    customer = case.customer_id
    cancel = [c for c in charges if c.kind == ChargeKind.SALAER.value or c.charged_on > deadline]
    reopen = [
        c
        for c in charges
        if c.kind == ChargeKind.INTEREST.value
        and c.charged_on <= deadline
        and c.amount != c.open_amount
    ]
    rows = [
        r
        for r in uow.payments.case_payments(case_id)
        if (r.salaer > 0 or r.interest > 0) and r.settlement_id is None
    ]
    freed = sum((c.amount - c.open_amount for c in (*cancel, *reopen)), ZERO)
    text = f"Sak {case.number}: betalt innen fristen {deadline}"
    postings: list[Posting] = []
    for c in (*cancel, *reopen):
        if c.amount != c.open_amount:
            postings.append(
                Posting(RECEIVABLES, c.amount - c.open_amount, customer, None, text, c.id)
            )
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
    split = _reallocate(freed, case.invoice_ids, charges, cancel, lookup, customer)
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
        voucher = Voucher(
            CORRECTION_TYPE,
            day,
            text,
            tuple(postings),
            uow.series.take(cid, "voucher"),
            id=uow.ledger.reserve_ids(1),
        )
        uow.ledger.add_many(cid, [voucher])
        uow.payments.add_to_charge_open_amounts(voucher.charge_changes())
        uow.invoices.add_to_open_amounts(voucher.open_item_changes())
    if split is not None:
        interest_freed = sum(
            (c.amount - c.open_amount for c in (*cancel, *reopen) if c.kind == "interest"), ZERO
        )
        for row in _moved_rows(rows, split, interest_freed):
            uow.payments.update(row)
    uow.payments.back_before_handover([case_id])
    said = ", ".join(f"{kind} {total} cancelled" for kind, total in sorted(cancelled.items()))
    if freed:
        said += f"; {freed} paid on charges goes to principal and fees first"
    uow.collection.add_event_rows(
        [
            (
                case_id,
                "handover_undone",
                f"paid by the collection notice's deadline {deadline} (bank date {paid_on}; "
                f"inkassoloven § 9 (2)): the hand-over of {demand.day} is undone, "
                f"{said.replace('salaer', 'salær') or 'nothing charged'} (§ 17); the case "
                "stands as after the notice",
            )
        ],
        paid_on,
        "payment",
    )


def _reallocate(
    freed: Decimal,
    invoice_ids: tuple[int, ...],
    charges: list[CaseCharge],
    cancel: list[CaseCharge],
    lookup: PaymentLookup,
    customer: int,
) -> Split | None:
    """The money freed, split as before collection: principal, then interest, then fees;
    the rest is the customer's credit."""
    if freed <= 0:
        return None
    gone = {c.id for c in cancel}
    invoices = sorted((lookup.invoices[i] for i in invoice_ids), key=lambda i: (i.due_date, i.id))
    open_charges = [
        # An interest charge taken back is open again for its whole amount.
        (c, c.amount if c.kind == ChargeKind.INTEREST.value else c.open_amount)
        for c in charges
        if c.id not in gone
    ]
    payable = Payable(
        customer,
        tuple(
            OpenItem(i.id, None, i.open_amount, (i.due_date, i.id))
            for i in invoices
            if i.open_amount > 0
        ),
        tuple(
            OpenItem(c.invoice_id, c.id, amount, (c.charged_on, c.id), ItemKind(c.kind))
            for c, amount in open_charges
            if amount > 0
        ),
    )
    return split_payment(freed, payable)


def _moved_rows(rows: list[PaymentRow], split: Split, interest_freed: Decimal) -> list[PaymentRow]:
    """The payments whose salær and interest shares were freed, with what they pay now
    (principal, interest, fees, then credit), so their settlement keeps no salær."""
    left = {
        "principal": split.paid(ItemKind.PRINCIPAL),
        "interest": split.paid(ItemKind.INTEREST),
        "fees": split.paid(ItemKind.FEE),
        "credit": split.overpayment,
    }
    changed = []
    for row in rows:
        from_interest = min(row.interest, interest_freed)
        interest_freed -= from_interest
        share = row.salaer + from_interest
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
                salaer=ZERO,
                credit=amounts["credit"],
            )
        )
    return changed
