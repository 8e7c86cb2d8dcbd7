"""What the collection steps see of a case and what a step does to it: the case's facts
(its claims, letters and charges), the kinds of steps and charges, and a step's action
(SPEC C4-C8; the steps themselves are in steps.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.letters import LetterKind
from fordring.domain.law.deadlines import Deadline
from fordring.domain.law.fees import EarlierLetter, FeeDecision, LawLetterKind
from fordring.domain.law.limitation import time_barred_from

# The letters whose deadlines and fees the law's fee rules look at, as the law names them.
LAW_LETTER_KIND: dict[LetterKind, LawLetterKind] = {
    LetterKind.REMINDER: LawLetterKind.PURRING,
    LetterKind.COLLECTION_NOTICE: LawLetterKind.INKASSOVARSEL,
    LetterKind.PAYMENT_DEMAND: LawLetterKind.BETALINGSOPPFORDRING,
}
NOW = date.min  # `earliest` for a step that applies as soon as the case is looked at
NEVER = date.max  # `wake_on` of a case nothing can happen to until something changes it


class ChargeKind(StrEnum):
    FEE = "fee"  # reminder or notice fee: the creditor's income
    SALAER = "salaer"  # collection costs: the collector's
    INTEREST = "interest"  # late interest: the creditor's
    COMPENSATION = "compensation"  # standard compensation (business debtors): the creditor's


@dataclass(frozen=True, slots=True)
class Claim:
    """One invoice of a case as the steps see it: its dates, what is open, its letters."""

    invoice_id: int
    due_date: date
    principal: Decimal  # what is open of the invoice
    letters: tuple[EarlierLetter, ...] = ()  # reminders and notices sent about it
    reductions: tuple[tuple[date, Decimal], ...] = ()  # payments and credits, with their day
    limitation_interrupted_on: date | None = None  # the creditor's stated interruption

    @property
    def time_barred_from(self) -> date:
        """The first day the claim is time-barred (foreldelsesloven §§ 2, 3, 29)."""
        return time_barred_from(self.limitation_interrupted_on or self.due_date)


@dataclass(frozen=True, slots=True)
class SentLetter:
    kind: LetterKind
    day: date
    deadline: date | None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    case_id: int
    status: CaseStatus
    claims: tuple[Claim, ...]
    charges_open: Decimal = Decimal(0)  # fees, salær and interest charged and not yet paid
    credited: bool = False  # a credit note reduced one of its invoices
    list_sent_on: date | None = None  # the collection list naming the case went out
    approved_on: date | None = None  # the creditor approved the hand-over (manual mode)
    business: bool = False  # the debtor is a business: salær × 1.5
    letters: tuple[SentLetter, ...] = ()  # every letter of the case, oldest first
    charged: tuple[tuple[ChargeKind, Decimal], ...] = ()  # all ever charged, per kind
    changes_on: date | None = None  # a payment dated after the day looked at (a replay)
    held_reason: str | None = None  # issue 12: waiting for a rate the tables lack
    collector_name: str | None = None  # issue 12: the collector that had it at hand-over
    # issue 19: the debtor reported a payment; letters, fees and hand-over wait until then
    steps_held_until: date | None = None
    plan_broken: bool = False  # issue 19: a payment plan of the case broke

    @property
    def last_due(self) -> date:
        return max(claim.due_date for claim in self.claims)

    @property
    def open_principal(self) -> Decimal:
        return sum((c.principal for c in self.claims), Decimal(0))

    def last_deadline(self, kind: LawLetterKind) -> date | None:
        deadlines = [x.deadline for c in self.claims for x in c.letters if x.kind is kind]
        return max(deadlines) if deadlines else None

    def last_letter(self, kind: LetterKind) -> SentLetter | None:
        found = [x for x in self.letters if x.kind is kind]
        return found[-1] if found else None

    def charged_of(self, kind: ChargeKind) -> Decimal:
        return sum((amount for k, amount in self.charged if k is kind), Decimal(0))

    @property
    def claims_interest(self) -> bool:
        """Interest is claimed from the collection notice on (docs/law.md)."""
        return any(x.kind in INTEREST_CLAIMED_FROM for x in self.letters)

    @property
    def last_reduction(self) -> date | None:
        days = [day for c in self.claims for day, _ in c.reductions]
        return max(days) if days else None


@dataclass(frozen=True, slots=True)
class Charge:
    """What a step charges the debtor on one invoice (a fee, salær, interest or
    compensation), and why."""

    invoice_id: int
    kind: ChargeKind
    amount: Decimal
    reason: str


# Interest is claimed from the collection notice on: a claim paid in the reminder stage
# closes at no cost (SPEC C8; a product rule, see docs/law.md).
INTEREST_CLAIMED_FROM = (LetterKind.COLLECTION_NOTICE, LetterKind.PAYMENT_DEMAND)


class StepKind(StrEnum):
    CLOSE_SETTLED = "close_settled"
    CLOSE_EXPIRED_PAUSE = "close_expired_pause"
    WRITE_OFF_REMAINDER = "write_off_remainder"
    CLOSE_TIME_BARRED = "close_time_barred"
    SEND_INTEREST_NOTE = "send_interest_note"
    SEND_REMINDER = "send_reminder"
    SEND_NOTICE = "send_notice"
    PUT_ON_LIST = "put_on_list"
    HAND_OVER = "hand_over"
    HEAVY_SALAER = "heavy_salaer"
    MERGE = "merge"  # issue 12: a new claim joins the debtor's case in collection
    SEND_STAGE_LETTER = "send_stage_letter"
    RENEW_NOTICE = "renew_notice"  # the notice is too old to hand over on: a new one first


@dataclass(frozen=True, slots=True)
class Action:
    """What a step does to one case today, with the reason for the history."""

    step: StepKind
    case_id: int
    status: CaseStatus  # the status after the step
    reason: str
    letter_kind: LetterKind | None = None  # the letter the step sends
    deadline: Deadline | None = None
    fees: tuple[tuple[int, FeeDecision], ...] = ()  # (invoice id, decision) per claim
    other_charges: tuple[Charge, ...] = ()  # salær, interest, compensation (fees: `fees`)
    merged: tuple[int, ...] = ()  # issue 12: numbers of the cases merged in (the letter says)
    collector: str = ""  # issue 12: the collector a hand-over gives the case to ("": own)

    @property
    def fee_total(self) -> Decimal:
        return sum((d.amount for _, d in self.fees if d.allowed), Decimal(0))

    @property
    def charges(self) -> tuple[Charge, ...]:
        """Everything the step charges: allowed fees, then salær and interest."""
        if not self.fees:
            return self.other_charges
        fees = tuple(
            Charge(invoice, ChargeKind.FEE, d.amount, d.reason)
            for invoice, d in self.fees
            if d.allowed and d.amount > 0
        )
        return fees + self.other_charges

    @property
    def charge_total(self) -> Decimal:
        return self.fee_total + sum((c.amount for c in self.other_charges), Decimal(0))
