"""The letter steps before collection proper: the stage's letter again, the reminder and the
notice (inkassovarsel), with the notice's fees and compensation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, ReminderFlow
from fordring.domain.collection.case import CaseStatus, apply_event
from fordring.domain.collection.case_facts import (
    Action,
    CaseFacts,
    Charge,
    ChargeKind,
    Claim,
    StepKind,
)
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps_closing import letter_deadline_for
from fordring.domain.law.compensation import claims_compensation
from fordring.domain.law.enforcement import ENFORCEMENT_NOTICE_DAYS
from fordring.domain.law.enforcement import SOURCE as ENFORCEMENT_NOTICE_SOURCE
from fordring.domain.law.explanation import Explanation
from fordring.domain.law.fees import FeeDecision, FeeHistory, LawLetterKind
from fordring.domain.law.letter_fees import ClaimOnLetter, letter_fees
from fordring.domain.law.tables import RateBook

# The letter of the stage a case is in, sent when `letter_asked_on` says so: after an
# objection is resolved (the stage's letter again, with a new deadline), a new payment
# demand the creditor asks for (inkassoloven § 11) and the notice of enforcement
# (tvangsfullbyrdelsesloven § 4-18). Never a new fee or salær (issue 12; docs/law.md).
STAGE_LETTER = {
    CaseState.REMINDED: LetterKind.REMINDER,
    CaseState.NOTIFIED: LetterKind.COLLECTION_NOTICE,
    CaseState.IN_COLLECTION: LetterKind.PAYMENT_DEMAND,
    CaseState.LEGAL: LetterKind.ENFORCEMENT_NOTICE,
}


def stage_letter_owed(f: CaseFacts) -> bool:
    """The stage's letter is asked for and not sent yet: the stage's other steps wait."""
    return f.status.letter_asked_on is not None


def stage_letter_due(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    asked = f.status.letter_asked_on
    kind = STAGE_LETTER.get(f.status.state)
    if asked is None or kind is None or f.open_principal <= 0:
        return None
    last = f.last_letter(kind)  # one letter of a kind a day
    return max(asked, last.day + timedelta(days=1)) if last is not None else asked


def send_stage_letter(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action:
    state, asked = f.status.state, f.status.letter_asked_on
    kind = STAGE_LETTER[state]
    days = {
        LetterKind.REMINDER: a.reminder_deadline_days,
        LetterKind.COLLECTION_NOTICE: a.notice_deadline_days,
        LetterKind.PAYMENT_DEMAND: a.demand_deadline_days,
        LetterKind.ENFORCEMENT_NOTICE: ENFORCEMENT_NOTICE_DAYS,
    }[kind]
    deadline = letter_deadline_for(today, days, a)
    status = CaseStatus(state)  # the letter asked for is sent
    if state is CaseState.LEGAL:
        reason = (
            f"notice of enforcement asked for on {asked}: {days} days to pay before "
            f"enforcement may be requested ({ENFORCEMENT_NOTICE_SOURCE})"
        )
    elif state is CaseState.IN_COLLECTION:
        reason = (
            f"a new payment demand with a new deadline, asked for on {asked} (after an "
            "objection, or 6 months after the last demand: inkassoloven § 11); no new "
            "salær or fee"
        )
    else:
        reason = (
            f"resumed on {asked} after the debtor's objection: the "
            f"{kind.value.replace('_', ' ')} again with a new deadline; no new fee"
        )
    return Action(StepKind.SEND_STAGE_LETTER, f.case_id, status, reason, kind, deadline)


def reminder_due(f: CaseFacts, a: Agreement, _b: RateBook) -> date | None:
    if f.status.state is not CaseState.REGISTERED:
        return None
    if a.reminder_flow is not ReminderFlow.REMINDER_FIRST:
        return None
    return f.last_due + timedelta(days=a.reminder_days)


def send_reminder(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action:
    deadline = letter_deadline_for(today, a.reminder_deadline_days, a)
    status = apply_event(f.status, CaseEvent.REMIND, today)
    return Action(
        StepKind.SEND_REMINDER,
        f.case_id,
        status,
        f"fee-free reminder, {a.reminder_days} days after due at the earliest",
        LetterKind.REMINDER,
        deadline,
    )


def notice_due(f: CaseFacts, a: Agreement, _b: RateBook) -> date | None:
    state = f.status.state
    if state is CaseState.REGISTERED and a.reminder_flow is ReminderFlow.NOTICE_ONLY:
        return f.last_due + timedelta(days=a.notice_days)
    if state is CaseState.REMINDED and not stage_letter_owed(f):
        reminder_deadline = f.last_deadline(LawLetterKind.PURRING)
        return None if reminder_deadline is None else reminder_deadline + timedelta(days=1)
    return None


def fees_per_claim(
    kind: LawLetterKind, claims: tuple[Claim, ...], today: date, book: RateBook
) -> tuple[tuple[int, FeeDecision], ...]:
    """The law's fee decision for a letter of `kind` sent today, per claim: one fee for the
    letter, shared by the claims whose own history allows one (issue 12; law/letter_fees.py)."""
    return letter_fees(
        kind,
        [
            ClaimOnLetter(c.invoice_id, c.due_date, c.principal, FeeHistory.of(c.letters, on=today))
            for c in claims
        ],
        sent=today,
        book=book,
    )


def send_notice(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
    if f.status.state is CaseState.REMINDED:
        why = f"the reminder's deadline {f.last_deadline(LawLetterKind.PURRING)} has passed"
    else:
        why = f"collection notice, {a.notice_days} days after due at the earliest"
    fees = fees_per_claim(LawLetterKind.INKASSOVARSEL, f.claims, today, book)
    deadline = letter_deadline_for(today, a.notice_deadline_days, a)
    status = apply_event(f.status, CaseEvent.NOTIFY, today)
    compensation = _compensation(f, fees, a, book)
    return Action(
        StepKind.SEND_NOTICE,
        f.case_id,
        status,
        why,
        LetterKind.COLLECTION_NOTICE,
        deadline,
        fees,
        compensation,
    )


def _compensation(
    f: CaseFacts, fees: tuple[tuple[int, FeeDecision], ...], a: Agreement, book: RateBook
) -> tuple[Charge, ...]:
    """Standard compensation from a business debtor, claimed once with the collection notice
    when the agreement says so (forsinkelsesrenteloven § 3a; due without a reminder, so the
    notice is its first letter with costs), less the fees charged on the case."""
    if not (a.standard_compensation and f.business) or f.charged_of(ChargeKind.COMPENSATION):
        return ()
    fees_now = sum((d.amount for _, d in fees if d.allowed), Decimal(0))
    open_claims = [(c.invoice_id, c.due_date) for c in f.claims if c.principal > 0]
    found = claims_compensation(
        open_claims, fees_charged=f.charged_of(ChargeKind.FEE) + fees_now, book=book
    )
    return tuple(
        Charge(claim_id, ChargeKind.COMPENSATION, result.amount, _explained(result.explanation))
        for claim_id, result in found
        if result.amount > 0
    )


def _explained(explanation: Explanation) -> str:
    lines = "; ".join(f"{line.text} {line.amount:.2f}" for line in explanation.lines)
    return f"{lines} ({explanation.source}; {', '.join(explanation.notes)})"
