"""What one letter on a claim may cost the debtor: the reminder and notice fee, the salær
caps light and heavy, and standard compensation, each with its explanation (the
`fordring law fees` calculator; DOMAIN.md §§ 2-5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.errors import InvalidInput
from fordring.domain.law.compensation import (
    Compensation,
    salaer_less_compensation,
    standard_compensation,
)
from fordring.domain.law.explanation import Explanation
from fordring.domain.law.fees import FeeDecision, FeeHistory, Letter, fee_amount, letter_fee
from fordring.domain.law.salaer import SalaerCap, SalaerLevel, claim_size, salaer_cap
from fordring.domain.law.tables import RateBook


@dataclass(frozen=True, slots=True)
class ClaimCosts:
    principal: Decimal
    claim_size: Decimal
    due: date
    sent: date  # the letter's sending day: picks the fees' inkassosats
    paid: date  # the day the principal is paid: picks the salær's inkassosats
    reminder_fee: FeeDecision
    notice_fee: FeeDecision
    salaer_light: SalaerCap
    salaer_heavy: SalaerCap
    compensation: Compensation

    def salaer_after_compensation(self) -> tuple[Explanation, Explanation]:
        """Light and heavy salær less the standard compensation (business debtors): the
        compensation is deducted from later collection costs (forsinkelsesrenteloven § 3a)."""
        return (
            salaer_less_compensation(self.salaer_light.explanation, self.compensation.amount),
            salaer_less_compensation(self.salaer_heavy.explanation, self.compensation.amount),
        )

    def explanations(self) -> tuple[Explanation, ...]:
        return (
            self.reminder_fee.explanation,
            self.notice_fee.explanation,
            self.salaer_light.explanation,
            self.salaer_heavy.explanation,
            self.compensation.explanation,
            *self.salaer_after_compensation(),
        )


def claim_costs(
    principal: Decimal,
    *,
    due: date,
    sent: date,
    book: RateBook,
    paid: date | None = None,
    business: bool = False,
    creditor_deducts_vat: bool = True,
    previous_reminder_fees: int = 0,
    first_reminder_deadline_missed: bool = False,
    interest_before_due: Decimal = Decimal(0),
    instalments: int = 0,
    reminder_fees_charged: Decimal | None = None,
) -> ClaimCosts:
    """The costs of a letter sent on `sent` for a claim due on `due`.

    `paid` (default `sent`) is the day the principal is paid. `reminder_fees_charged`, the
    amount deducted from standard compensation, defaults to `previous_reminder_fees` times
    the reminder fee of this claim and sending day.
    """
    paid = sent if paid is None else paid
    if sent < due:
        raise InvalidInput.one("sent", f"{sent} is before the due date {due}")
    if paid < due:
        raise InvalidInput.one("paid", f"{paid} is before the due date {due}")
    if previous_reminder_fees < 0:
        raise InvalidInput.one("previous_fees", f"must not be negative: {previous_reminder_fees}")
    size = claim_size(principal, interest_before_due)
    history = FeeHistory(
        reminder_fees=previous_reminder_fees,
        first_reminder_deadline_missed=first_reminder_deadline_missed,
    )
    light, heavy = (
        salaer_cap(
            size,
            level=level,
            due=due,
            on=paid,
            book=book,
            business=business,
            creditor_deducts_vat=creditor_deducts_vat,
            instalments=instalments,
        )
        for level in (SalaerLevel.LIGHT, SalaerLevel.HEAVY)
    )
    if reminder_fees_charged is None:
        charged = Decimal("0.00")
        if previous_reminder_fees:
            one_fee = fee_amount(Letter.PURRING, due=due, sent=sent, book=book).total
            charged = one_fee * previous_reminder_fees
    else:
        charged = reminder_fees_charged
    return ClaimCosts(
        principal=principal,
        claim_size=size,
        due=due,
        sent=sent,
        paid=paid,
        reminder_fee=letter_fee(Letter.PURRING, due=due, sent=sent, book=book, history=history),
        notice_fee=letter_fee(Letter.INKASSOVARSEL, due=due, sent=sent, book=book, history=history),
        salaer_light=light,
        salaer_heavy=heavy,
        compensation=standard_compensation(
            due=due, business=business, reminder_fees_charged=charged, book=book
        ),
    )
