"""What one letter on a claim may cost the debtor: the reminder and notice fee, the salær
caps light and heavy, and standard compensation, each with its explanation (the
`fordring law fees` calculator; DOMAIN.md §§ 2-5). A salær or compensation whose table has
no row for the date can be reported as missing, with the rates file lines to add."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.errors import InvalidInput
from fordring.domain.law.compensation import (
    Compensation,
    salaer_less_compensation,
    standard_compensation,
)
from fordring.domain.law.explanation import Explanation
from fordring.domain.law.fees import FeeDecision, FeeHistory, LawLetterKind, fee_amount, letter_fee
from fordring.domain.law.rates_hint import missing_lines
from fordring.domain.law.salaer import SalaerCap, SalaerLevel, claim_size, salaer_cap
from fordring.domain.law.tables import MissingRate, RateBook


@dataclass(frozen=True, slots=True)
class MissingPart:
    """A part of the costs that needs a rate the tables lack, and the lines that add it."""

    part: str  # "salær" or "standard compensation"
    table: str
    reason: str
    rates_file_lines: str


@dataclass(frozen=True, slots=True)
class ClaimCosts:
    principal: Decimal
    claim_size: Decimal
    due: date
    sent: date  # the letter's sending day: picks the fees' inkassosats
    paid: date  # the day the principal is paid: picks the salær's inkassosats
    reminder_fee: FeeDecision
    notice_fee: FeeDecision
    salaer_light: SalaerCap | None  # None: its table is missing (see `missing`)
    salaer_heavy: SalaerCap | None
    compensation: Compensation | None
    missing: tuple[MissingPart, ...] = ()

    def salaer_after_compensation(self) -> tuple[Explanation, Explanation] | None:
        """Light and heavy salær less the standard compensation (business debtors): the
        compensation is deducted from later collection costs (forsinkelsesrenteloven § 3a)."""
        if self.salaer_light is None or self.salaer_heavy is None or self.compensation is None:
            return None
        return (
            salaer_less_compensation(self.salaer_light.explanation, self.compensation.amount),
            salaer_less_compensation(self.salaer_heavy.explanation, self.compensation.amount),
        )

    def explanations(self) -> tuple[Explanation, ...]:
        found = [self.reminder_fee.explanation, self.notice_fee.explanation]
        found += [c.explanation for c in (self.salaer_light, self.salaer_heavy) if c is not None]
        if self.compensation is not None:
            found.append(self.compensation.explanation)
        found += self.salaer_after_compensation() or ()
        return tuple(found)


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
    allow_missing: bool = False,
) -> ClaimCosts:
    """The costs of a letter sent on `sent` for a claim due on `due`.

    `paid` (default `sent`) is the day the principal is paid. `reminder_fees_charged`, the
    amount deducted from standard compensation, defaults to `previous_reminder_fees` times
    the reminder fee of this claim and sending day. With `allow_missing`, a salær or
    compensation whose table lacks the date is left out and listed in `missing` (the fees
    are still answered); without it, MissingRate.
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
    days = dict.fromkeys(SALAER_TABLES, due) | {
        "inkassosats": paid,
        "standardkompensasjon": due + timedelta(days=1),
    }
    missing: list[MissingPart] = []

    def lacking(part: str, error: MissingRate) -> None:
        if not allow_missing:
            raise error
        problem = error.problems[0]
        lines = missing_lines(error, book, days)
        missing.append(MissingPart(part, problem.field, problem.reason, lines))

    light: SalaerCap | None = None
    heavy: SalaerCap | None = None
    try:
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
    except MissingRate as error:
        lacking("salær", error)
    if reminder_fees_charged is None:
        charged = Decimal("0.00")
        if previous_reminder_fees:
            one_fee = fee_amount(LawLetterKind.PURRING, due=due, sent=sent, book=book).total
            charged = one_fee * previous_reminder_fees
    else:
        charged = reminder_fees_charged
    compensation: Compensation | None = None
    try:
        compensation = standard_compensation(
            due=due, business=business, reminder_fees_charged=charged, book=book
        )
    except MissingRate as error:
        lacking("standard compensation", error)
    return ClaimCosts(
        principal=principal,
        claim_size=size,
        due=due,
        sent=sent,
        paid=paid,
        reminder_fee=letter_fee(
            LawLetterKind.PURRING, due=due, sent=sent, book=book, history=history
        ),
        notice_fee=letter_fee(
            LawLetterKind.INKASSOVARSEL, due=due, sent=sent, book=book, history=history
        ),
        salaer_light=light,
        salaer_heavy=heavy,
        compensation=compensation,
        missing=tuple(missing),
    )


SALAER_TABLES = (
    "salaer_scale",
    "salaer_business_factor",
    "salaer_no_vat_addition",
    "salaer_payment_plan",
)
