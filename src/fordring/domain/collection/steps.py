"""The collection steps as an ordered list: on a given day, the first step whose condition
holds is what a case does next (ARCHITECTURE.md; SPEC C4, C7, C8).

Each step's condition includes the state it moves the case out of, so a day run twice does
nothing the second time, and a day after a gap in runs does each overdue step once, dated
that day. Fees come from the law's calculator for the day the letter is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from fordring.domain.collection.agreement import Agreement, ReminderFlow
from fordring.domain.collection.case import CaseStatus, CloseReason, apply_event
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.law.deadlines import Deadline, letter_deadline
from fordring.domain.law.fees import EarlierLetter, FeeDecision, FeeHistory, Letter, letter_fee
from fordring.domain.law.tables import RateBook

# The letters whose deadlines and fees the law's fee rules look at.
LAW_LETTER: dict[LetterKind, Letter] = {
    LetterKind.REMINDER: Letter.PURRING,
    LetterKind.COLLECTION_NOTICE: Letter.INKASSOVARSEL,
}


@dataclass(frozen=True, slots=True)
class Claim:
    """One invoice of a case as the steps see it: its dates, what is open, its letters."""

    invoice_id: int
    due_date: date
    principal: Decimal  # what is open of the invoice
    letters: tuple[EarlierLetter, ...] = ()  # reminders and notices sent about it


@dataclass(frozen=True, slots=True)
class CaseFacts:
    case_id: int
    status: CaseStatus
    claims: tuple[Claim, ...]
    charges_open: Decimal = Decimal(0)  # fees and interest charged and not yet paid
    credited: bool = False  # a credit note reduced one of its invoices
    list_sent_on: date | None = None  # the collection list naming the case went out

    @property
    def last_due(self) -> date:
        return max(claim.due_date for claim in self.claims)

    def last_deadline(self, kind: Letter) -> date | None:
        deadlines = [x.deadline for c in self.claims for x in c.letters if x.letter is kind]
        return max(deadlines) if deadlines else None


TUESDAY, THURSDAY = 1, 3


def collection_list_day(notice_deadline: date) -> date:
    """The first Tuesday after the notice's deadline: the day the list goes to the creditor."""
    day = notice_deadline + timedelta(days=1)
    return day + timedelta(days=(TUESDAY - day.weekday()) % 7)


def handover_day(list_day: date) -> date:
    """The Thursday after the list: automatic hand-over unless the creditor stops the case."""
    day = list_day + timedelta(days=1)
    return day + timedelta(days=(THURSDAY - day.weekday()) % 7)


class StepKind(StrEnum):
    CLOSE_SETTLED = "close_settled"
    CLOSE_EXPIRED_PAUSE = "close_expired_pause"
    SEND_REMINDER = "send_reminder"
    SEND_NOTICE = "send_notice"
    PUT_ON_LIST = "put_on_list"
    HAND_OVER = "hand_over"


@dataclass(frozen=True, slots=True)
class Action:
    """What a step does to one case today, with the reason for the history."""

    step: StepKind
    case_id: int
    status: CaseStatus  # the status after the step
    reason: str
    letter: LetterKind | None = None
    deadline: Deadline | None = None
    fees: tuple[tuple[int, FeeDecision], ...] = ()  # (invoice id, decision) per claim

    @property
    def fee_total(self) -> Decimal:
        return sum((d.amount for _, d in self.fees if d.allowed), Decimal(0))


Step = Callable[[CaseFacts, date, Agreement, RateBook], Action | None]


def close_settled(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action | None:
    open_principal = sum((c.principal for c in f.claims), Decimal(0))
    if f.status.state is CaseState.CLOSED or open_principal > 0 or f.charges_open > 0:
        return None
    reason = CloseReason.CREDITED if f.credited else CloseReason.PAID
    status = apply_event(f.status, CaseEvent.CLOSE, today, reason)
    return Action(StepKind.CLOSE_SETTLED, f.case_id, status, f"nothing is left to pay ({reason})")


def close_expired_pause(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action | None:
    closes_on = f.status.closes_by_itself_on()
    if closes_on is None or today < closes_on:
        return None
    status = apply_event(f.status, CaseEvent.CLOSE, today, CloseReason.PAUSE_EXPIRED)
    return Action(
        StepKind.CLOSE_EXPIRED_PAUSE,
        f.case_id,
        status,
        f"paused on {f.status.paused_on} and not resumed within 6 months",
    )


def send_reminder(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action | None:
    if (
        f.status.state is not CaseState.REGISTERED
        or a.reminder_flow is not ReminderFlow.REMINDER_FIRST
    ):
        return None
    earliest = f.last_due + timedelta(days=a.reminder_days)
    if today < earliest:
        return None
    deadline = letter_deadline(today, a.reminder_deadline_days, move=a.move_deadlines)
    status = apply_event(f.status, CaseEvent.REMIND, today)
    return Action(
        StepKind.SEND_REMINDER,
        f.case_id,
        status,
        f"fee-free reminder, {a.reminder_days} days after due at the earliest",
        LetterKind.REMINDER,
        deadline,
    )


def send_notice(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action | None:
    state = f.status.state
    if state is CaseState.REGISTERED and a.reminder_flow is ReminderFlow.NOTICE_ONLY:
        earliest = f.last_due + timedelta(days=a.notice_days)
        why = f"collection notice, {a.notice_days} days after due at the earliest"
    elif state is CaseState.REMINDED:
        reminder_deadline = f.last_deadline(Letter.PURRING)
        if reminder_deadline is None:
            return None
        earliest = reminder_deadline + timedelta(days=1)
        why = f"the reminder's deadline {reminder_deadline} has passed"
    else:
        return None
    if today < earliest:
        return None
    fees = tuple(
        (
            c.invoice_id,
            letter_fee(
                Letter.INKASSOVARSEL,
                due=c.due_date,
                sent=today,
                book=book,
                history=FeeHistory.of(c.letters, on=today),
            ),
        )
        for c in f.claims
    )
    deadline = letter_deadline(today, a.notice_deadline_days, move=a.move_deadlines)
    status = apply_event(f.status, CaseEvent.NOTIFY, today)
    return Action(
        StepKind.SEND_NOTICE, f.case_id, status, why, LetterKind.COLLECTION_NOTICE, deadline, fees
    )


def put_on_list(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action | None:
    deadline = f.last_deadline(Letter.INKASSOVARSEL)
    if f.status.state is not CaseState.NOTIFIED or deadline is None or today <= deadline:
        return None
    status = apply_event(f.status, CaseEvent.LIST, today)
    return Action(
        StepKind.PUT_ON_LIST,
        f.case_id,
        status,
        f"the collection notice's deadline {deadline} has passed",
    )


def hand_over(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action | None:
    if f.status.state is not CaseState.LISTED or not a.automatic_handover:
        return None
    if f.list_sent_on is None or today < handover_day(f.list_sent_on):
        return None
    status = apply_event(f.status, CaseEvent.HAND_OVER, today)
    return Action(
        StepKind.HAND_OVER,
        f.case_id,
        status,
        f"on the collection list of {f.list_sent_on}; automatic hand-over",
    )


STEPS: tuple[Step, ...] = (
    close_settled,
    close_expired_pause,
    send_reminder,
    send_notice,
    put_on_list,
    hand_over,
)


def next_action(f: CaseFacts, today: date, agreement: Agreement, book: RateBook) -> Action | None:
    """What the case does today: the first step that applies, or None."""
    if f.status.state is CaseState.CLOSED or not f.claims:
        return None
    for step in STEPS:
        action = step(f, today, agreement, book)
        if action is not None:
            return action
    return None
