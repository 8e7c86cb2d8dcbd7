"""The counter row of a payment taken back, by the bank (a reversal in a bank file) or by
`ledger reverse`: one rule for both, so a settlement nets the two the same way."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fordring.domain.matching import MatchedBy
from fordring.domain.payments import PaymentStatus
from fordring.services.ports import PaymentRow


def counter_row(
    row: PaymentRow,
    original: PaymentRow,
    day: date,
    voucher_id: int,
    allocation_voucher_id: int | None = None,
) -> PaymentRow:
    """`row` (the new payment row of the negative amount) as the counter of `original`:
    the opposite of what the original paid. Only what was matched is settled, so the
    counter of a payment that was matched is matched today and settled with it (or against
    the creditor); the counter of one that never was (it waited in the queue) is reversed
    like the original and never settled: the creditor never had that money."""
    matched = original.matched_on is not None
    return replace(
        row,
        status=PaymentStatus.MATCHED.value if matched else PaymentStatus.REVERSED.value,
        matched_by=MatchedBy.REVERSAL.value,
        matched_on=day if matched else None,
        customer_id=original.customer_id,
        case_id=original.case_id,
        voucher_id=voucher_id,
        allocation_voucher_id=allocation_voucher_id,
        reverses_id=original.id,
        principal=-original.principal,
        interest=-original.interest,
        fees=-original.fees,
        salaer=-original.salaer,
        credit=-original.credit,
        invoice_numbers=original.invoice_numbers,
    )
