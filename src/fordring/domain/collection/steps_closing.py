"""The steps that close a case (settled, time-barred, expired pause), write off a small
remainder or send an interest note, and the interest and payment helpers the steps share."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CloseReason, apply_event
from fordring.domain.collection.case_facts import (
    NOW,
    Action,
    CaseFacts,
    Charge,
    ChargeKind,
    StepKind,
)
from fordring.domain.collection.claim_interest import case_interest
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.law.deadlines import Deadline, letter_deadline
from fordring.domain.law.tables import RateBook

NO_STEPS = (CaseState.CLOSED, CaseState.PAUSED, CaseState.OBJECTED, CaseState.PLAN)


def letter_deadline_for(sent: date, days: int, a: Agreement) -> Deadline:
    """A letter's deadline under the agreement's calendar settings."""
    return letter_deadline(sent, days, move=a.move_deadlines, holiday_weeks=a.holiday_deadlines)


def interest_not_charged(f: CaseFacts, until: date, book: RateBook) -> Decimal:
    """Interest accrued on the case up to `until` that no charge claims yet; 0 before a
    collection notice was sent (interest is claimed from the notice on)."""
    if not f.claims_interest:
        return Decimal(0)
    accrued = case_interest(f.claims, until, book)
    return max(accrued - f.charged_of(ChargeKind.INTEREST), Decimal(0))


def unclaimed_interest(f: CaseFacts, book: RateBook) -> Decimal:
    """What the interest note claims: interest not yet charged on a case whose principal
    is paid, up to the last payment; 0 while some principal is open."""
    paid = f.last_reduction
    if f.open_principal > 0 or paid is None:
        return Decimal(0)
    return interest_not_charged(f, paid, book)


def settled_due(f: CaseFacts, _a: Agreement, book: RateBook) -> date | None:
    if f.open_principal > 0 or f.charges_open > 0:
        return None
    if f.status.state not in NO_STEPS and unclaimed_interest(f, book) > 0:
        return None  # the interest note comes first
    return NOW


def close_settled(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
    reason = CloseReason.CREDITED if f.credited else CloseReason.PAID
    status = apply_event(f.status, CaseEvent.CLOSE, today, reason)
    return Action(StepKind.CLOSE_SETTLED, f.case_id, status, f"nothing is left to pay ({reason})")


def time_barred_due(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    """The day the first open claim of the case is time-barred; not in legal collection,
    where the legal steps interrupted the limitation (foreldelsesloven § 15), nor while a
    payment plan runs: agreeing it acknowledged the debt (§ 14), and its plan must end first.
    """
    if f.status.state in (CaseState.LEGAL, CaseState.PLAN):
        return None
    days = [c.time_barred_from for c in f.claims if c.principal > 0]
    return min(days) if days else None


def close_time_barred(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
    """No letter may claim a time-barred claim, nor its costs (foreldelsesloven § 26): the
    case closes; the daily run cancels its open costs as when the creditor closes it."""
    barred = min((c for c in f.claims if c.principal > 0), key=lambda c: c.time_barred_from)
    start = barred.limitation_interrupted_on or barred.due_date
    since = "interrupted" if barred.limitation_interrupted_on else "due"
    last = barred.time_barred_from - timedelta(days=1)
    status = apply_event(f.status, CaseEvent.CLOSE, today, CloseReason.TIME_BARRED)
    reason = (
        f"the claim is time-barred: 3 years from {start} ({since}) ended on {last} "
        "(foreldelsesloven §§ 2, 3, 29)"
    )
    return Action(StepKind.CLOSE_TIME_BARRED, f.case_id, status, reason)


def pause_expired_due(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    return f.status.closes_by_itself_on()


def close_expired_pause(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
    status = apply_event(f.status, CaseEvent.CLOSE, today, CloseReason.PAUSE_EXPIRED)
    return Action(
        StepKind.CLOSE_EXPIRED_PAUSE,
        f.case_id,
        status,
        f"paused on {f.status.paused_on} and not resumed within 6 months",
    )


def paid_in_all(f: CaseFacts) -> Decimal:
    """Everything that has come off the case: principal paid or credited, and the fees,
    salær and interest paid (as of the day the facts are for)."""
    principal = sum((amount for c in f.claims for _, amount in c.reductions), Decimal(0))
    charges = sum((amount for _, amount in f.charged), Decimal(0)) - f.charges_open
    return principal + charges


def remainder_due(f: CaseFacts, a: Agreement, book: RateBook) -> date | None:
    """A small remainder after a payment is written off as the creditor's cost rather than
    pursued (issue 12; the agreement's `small_remainder_write_off`, 0: never)."""
    if a.small_remainder_write_off <= 0 or f.status.state in (*NO_STEPS, CaseState.LEGAL):
        return None  # a claim before the courts is the creditor's to settle there
    if f.changes_on is not None or paid_in_all(f) <= 0:
        return None  # a replayed day before a payment, or nothing paid: no remainder yet
    left = f.open_principal + f.charges_open
    return NOW if 0 < left < a.small_remainder_write_off else None


def write_off_remainder(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action:
    status = apply_event(f.status, CaseEvent.CLOSE, today, CloseReason.WRITTEN_OFF)
    left = f.open_principal + f.charges_open
    return Action(
        StepKind.WRITE_OFF_REMAINDER,
        f.case_id,
        status,
        f"the remainder {left:.2f} after payments is below the agreement's "
        f"{a.small_remainder_write_off:.2f}: written off as the creditor's cost "
        f"(principal {f.open_principal:.2f}, costs {f.charges_open:.2f})",
    )


def interest_note_due(f: CaseFacts, _a: Agreement, book: RateBook) -> date | None:
    if f.status.state in NO_STEPS or unclaimed_interest(f, book) <= 0:
        return None
    return NOW


def send_interest_note(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
    paid = f.last_reduction
    assert paid is not None
    already = f.charged_of(ChargeKind.INTEREST)
    charges: list[Charge] = []
    for claim in f.claims:
        accrued = case_interest((claim,), paid, book)
        part = min(accrued, max(Decimal(0), accrued - already))
        already = max(Decimal(0), already - accrued)
        if part > 0:
            charges.append(
                Charge(
                    claim.invoice_id,
                    ChargeKind.INTEREST,
                    part,
                    f"late interest from {claim.due_date} until paid {paid}",
                )
            )
    deadline = letter_deadline_for(today, a.notice_deadline_days, a)
    return Action(
        StepKind.SEND_INTEREST_NOTE,
        f.case_id,
        f.status,
        f"the principal was paid on {paid}; late interest is left",
        LetterKind.INTEREST_NOTE,
        deadline,
        other_charges=tuple(charges),
    )
