"""Reversing a voucher through the posting service: the reversing voucher is booked like
any other (open amounts of invoices and charges follow), and everything else the original
derived is undone: a payment it booked is taken back (or its allocation returns to the
queue), cases it paid are reopened, woken and told in their history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from fordring.domain.collection.history import EventKind, HistoryEvent
from fordring.domain.errors import Conflict, RuleViolation
from fordring.domain.ledger import RECEIVABLES, Voucher
from fordring.domain.payments import PaymentStatus
from fordring.services.ports import PaymentRow, UnitOfWork
from fordring.services.posting import CaseEvent, post_vouchers, reserve
from fordring.services.taken_back import counter_row

ACTOR = "ledger"
ZERO = Decimal(0)


def reverse_posted(uow: UnitOfWork, original: Voucher, day: date) -> Voucher:
    """Book the voucher that undoes `original` on `day` and undo what it derived; the
    reversing voucher as stored. Refused when the original is a reversal, was reversed
    already, paid out a settlement, or charged something paid or cancelled since."""
    assert original.id is not None and original.number is not None
    number = original.number
    if original.reverses_id is not None:
        raise RuleViolation(f"voucher: {number} is itself a reversal")
    if day < original.date:
        raise RuleViolation(f"date: a reversal cannot be dated before {original.date}")
    already = uow.money.reversed_by(original.id)
    if already is not None:
        raise Conflict(f"voucher: {number} was reversed already, by voucher {already}")
    settled = uow.money.settlement_of_voucher(original.id)
    if settled is not None:
        raise RuleViolation(f"voucher: {number} paid out settlement {settled}; it stands")
    charged = uow.money.charges_of_voucher(original.id)
    moved = [c for c in charged if c.open_amount != c.amount]
    if moved:
        raise RuleViolation(
            f"voucher: the {moved[0].kind} it charged ({moved[0].amount}) was paid or "
            "cancelled since; reverse that first"
        )
    paid = uow.money.payment_of_voucher(original.id)
    if paid is not None:
        _may_take_back(paid, original.id)

    block = reserve(uow, 1)
    draft = original.reversal(day)
    reversal = Voucher(
        draft.type_code,
        draft.date,
        draft.text,
        draft.postings,
        number=block.first_number,
        reverses_id=original.id,
        id=block.first_id,
    )
    receivable = [p for p in original.postings if p.account == RECEIVABLES]
    case_ids = uow.money.cases_of(
        sorted({p.invoice_id for p in receivable if p.invoice_id is not None}),
        sorted({p.charge_id for p in receivable if p.charge_id is not None}),
    )
    said = f"voucher {number} ({original.text}) reversed by voucher {block.first_number}"
    if charged:
        said += "; cancelled: " + ", ".join(f"{c.kind} {c.amount}" for c in charged)
    events = [
        CaseEvent(case_id, day, EventKind.REVERSAL, said, ACTOR, {"voucher": number})
        for case_id in case_ids
    ]
    post_vouchers(uow, [reversal], events=events)
    if paid is not None:
        _take_back(uow, paid, original.id, reversal, day)
    reopened = uow.collection.reopen_paid(case_ids, []) if case_ids else []
    uow.collection.add_event_rows(
        [
            HistoryEvent(case_id, EventKind.REOPENED, "a reversed voucher left the claim unpaid")
            for case_id in reopened
        ],
        day,
        ACTOR,
    )
    return reversal


def _may_take_back(paid: PaymentRow, voucher_id: int) -> None:
    if paid.voucher_id == voucher_id and paid.allocation_voucher_id is not None:
        raise RuleViolation(
            f"voucher: payment {paid.number} was matched later by voucher id "
            f"{paid.allocation_voucher_id}; reverse that allocation first"
        )
    if paid.allocation_voucher_id == voucher_id and paid.settlement_id is not None:
        raise RuleViolation(f"voucher: payment {paid.number} is settled; its allocation stands")


def _take_back(
    uow: UnitOfWork, paid: PaymentRow, voucher_id: int, reversal: Voucher, day: date
) -> None:
    """The payment follows its voucher: an allocation reversed puts it back in the queue
    as it was before it was matched; its arrival reversed takes the whole payment back,
    as the bank's reversal does (a row of the opposite amount that its settlement nets)."""
    assert reversal.id is not None
    if paid.allocation_voucher_id == voucher_id:
        uow.payments.update(
            replace(
                paid,
                status=PaymentStatus.UNMATCHED.value,
                matched_by="",
                matched_on=None,
                customer_id=None,
                case_id=None,
                allocation_voucher_id=None,
                principal=ZERO,
                interest=ZERO,
                fees=ZERO,
                salaer=ZERO,
                credit=ZERO,
                refunded=ZERO,
                invoice_numbers="",
            )
        )
        return
    payment_id = uow.payments.reserve_ids(1)
    counter = counter_row(
        PaymentRow(
            id=payment_id,
            number=uow.series.take("payment"),
            bank_file_id=None,
            place=f"ledger reverse {reversal.number}",
            channel=paid.channel,
            received_on=day,
            amount=-paid.amount,
            kid=paid.kid,
            text=reversal.text,
            payer_name=paid.payer_name,
            payer_account=paid.payer_account,
            archive_ref="",
            status=PaymentStatus.REVERSED.value,
            matched_by="",
            matched_on=None,
            customer_id=None,
            case_id=None,
            voucher_id=0,
        ),
        paid,
        day,
        reversal.id,
    )
    uow.payments.add_payments([counter])
    uow.payments.update(replace(paid, status=PaymentStatus.REVERSED.value))
