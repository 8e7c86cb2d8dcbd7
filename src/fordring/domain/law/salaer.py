"""Salær caps for collection by a collector (inkassoforskriften ch. 2, DOMAIN.md § 4): the
band by claim size, light or heavy, ×1.5 for a business debtor, +25 % when the creditor
cannot deduct VAT, then the payment-plan addition (UNCONFIRMED); rounded down to the øre."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Any

from fordring.domain.errors import InvalidInput
from fordring.domain.law.deadlines import LETTER_DEADLINE_DAYS
from fordring.domain.law.explanation import Explanation, stepwise_lines
from fordring.domain.law.tables import RateBook, Row, SalaerBand

HEAVY_AFTER_DAYS = 28  # § 2-3: heavy once the demand's deadline is exceeded by more than 28 days
HEAVY_FROM = (
    f"heavy salær applies once the payment demand's deadline is exceeded by more than "
    f"{HEAVY_AFTER_DAYS} days (day {LETTER_DEADLINE_DAYS + HEAVY_AFTER_DAYS + 1} after a "
    f"demand with a {LETTER_DEADLINE_DAYS}-day deadline)"
)
PAYMENT_PLAN_MIN_INSTALMENTS = 5  # "more than 4 instalments" (UNCONFIRMED current text)
SOURCE = "inkassoforskriften ch. 2 (salær caps), § 1-1 (inkassosats)"


class SalaerLevel(StrEnum):
    LIGHT = "light"  # lett salær
    HEAVY = "heavy"  # tungt salær


def _plan_part(
    instalments: int, due: date, on: date, book: RateBook
) -> tuple[Row[Decimal], Row[Decimal], Decimal] | None:
    """The payment-plan addition's rule (forskriften § 2-4): for more than 4 instalments,
    the multiple of the table of the claim's `due` date × the inkassosats of `on`, with the
    two rows and unrounded; None for fewer (no rate is looked up then). `salaer_cap` adds
    it after the business and VAT factors, `payment_plan_addition` on its own."""
    if instalments < PAYMENT_PLAN_MIN_INSTALMENTS:
        return None
    plan, sats = book.salaer_payment_plan.at(due), book.inkassosats.at(on)
    return plan, sats, plan.value * sats.value


@dataclass(frozen=True, slots=True)
class SalaerCap:
    level: SalaerLevel
    claim_size: Decimal
    band: SalaerBand
    amount: Decimal
    explanation: Explanation


def claim_size(principal: Decimal, interest_before_due: Decimal = Decimal(0)) -> Decimal:
    """What picks the band: principal plus interest accrued before the due date (not later
    interest, not costs)."""
    if principal < 0 or interest_before_due < 0:
        raise InvalidInput.one("principal", "principal and interest must not be negative")
    return principal + interest_before_due


def heavy_salaer_from(demand_deadline: date) -> date:
    """The first day of heavy salær: the demand's deadline exceeded by more than 28 days
    (day 43 after a demand with a 14-day deadline)."""
    return demand_deadline + timedelta(days=HEAVY_AFTER_DAYS + 1)


def salaer_level(on: date, demand_deadline: date) -> SalaerLevel:
    return SalaerLevel.HEAVY if on >= heavy_salaer_from(demand_deadline) else SalaerLevel.LIGHT


def salaer_cap(
    size: Decimal,
    *,
    level: SalaerLevel,
    due: date,
    on: date,
    book: RateBook,
    business: bool = False,
    creditor_deducts_vat: bool = True,
    instalments: int = 0,
) -> SalaerCap:
    """The most salær a debtor may be charged for a claim of `size`.

    The scale and factors are those for the claim's `due` date; the inkassosats is that of
    `on`, the day the principal is paid (forskriften § 2-1; DOMAIN.md § 2). The unrounded
    cap is rounded down to the øre once (a maximum is never exceeded by rounding), so the
    heavy cap, whose multiple is twice the light one, is 2 × the unrounded light cap
    rounded down. The payment-plan addition is added after the business and VAT factors.
    """
    if size < 0:
        raise InvalidInput.one("principal", f"must not be negative, not {size}")
    if instalments < 0:
        raise InvalidInput.one("instalments", f"must not be negative, not {instalments}")
    scale, sats = book.salaer_scale.at(due), book.inkassosats.at(on)
    band = next(b for b in scale.value if b.up_to is None or size <= b.up_to)
    multiple = band.light if level is SalaerLevel.LIGHT else band.heavy
    limit = "no upper limit" if band.up_to is None else f"up to {band.up_to:.2f}"
    running = multiple * sats.value
    steps = [
        (
            f"{level} salær, claim {size:.2f} in band {limit}: "
            f"{multiple} × inkassosats {sats.value:.2f} ({on})",
            running,
        )
    ]
    used: list[Row[Any]] = [scale, sats]
    if business:
        factor = book.salaer_business_factor.at(due)
        running *= factor.value
        used.append(factor)
        steps.append((f"business debtor: × {factor.value}", running))
    if not creditor_deducts_vat:
        addition = book.salaer_no_vat_addition.at(due)
        running *= 1 + addition.value
        used.append(addition)
        percent = (addition.value * 100).normalize()
        steps.append((f"creditor cannot deduct VAT: + {percent:f} %", running))
    # The payment-plan addition comes after the factors: added, not multiplied by them
    # (forskriften § 2-4; Lovavdelingen 22.01.1996).
    plan = _plan_part(instalments, due, on, book)
    if plan is not None:
        row, _, part = plan
        running += part
        used.append(row)
        text = f"payment plan of {instalments} instalments: + {row.value} × inkassosats"
        steps.append((text, running))
    # A cap is a maximum: rounded down to the øre, never up (DOMAIN.md § 14).
    lines, total = stepwise_lines(steps, down=True)
    notes = (HEAVY_FROM,) if level is SalaerLevel.HEAVY else ()
    confirmed = all(row.confirmed for row in used)
    explanation = Explanation(f"{level} salær cap", SOURCE, lines, total, confirmed, notes)
    return SalaerCap(level, size, band, total, explanation)


@dataclass(frozen=True, slots=True)
class PlanAddition:
    amount: Decimal
    text: str  # the explanation, for the charge and the history


def payment_plan_addition(
    instalments: int, *, due: date, on: date, book: RateBook
) -> PlanAddition | None:
    """What a payment plan of `instalments` adds to the salær cap (forskriften § 2-4): 1.5 ×
    the inkassosats of `on` (the day it is agreed), by the table of the claim's `due` date,
    for more than 4 instalments; None for fewer. Rounded down to the øre, as caps are."""
    found = _plan_part(instalments, due, on, book)
    if found is None:
        return None
    plan, sats, part = found
    amount = part.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    text = (
        f"payment plan of {instalments} instalments (more than 4): + {plan.value} × "
        f"inkassosats {sats.value:.2f} ({on}) = {amount:.2f} (inkassoforskriften § 2-4; "
        f"{plan.source})"
    )
    return PlanAddition(amount, text)
