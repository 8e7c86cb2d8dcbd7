"""The collection steps as an ordered list: on a given day, the first step whose day has
come is what a case does next (ARCHITECTURE.md; SPEC C4-C8).

Each step says two things: from which day it applies to a case (`earliest`, None when it
does not apply in the case's state) and what it does (`act`). The first keeps a day run
twice from doing anything the second time and lets a day after a gap do each overdue step
once, dated that day; it also gives the day a case next needs looking at (`wake_on`), so
the daily run reads only the cases something can happen to. Fees, salær and interest come
from the law's calculators for the day the letter is sent.

The steps' conditions and actions are in steps_closing.py, steps_letters.py and
steps_handover.py; this module orders them (STEPS) and runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.calendar import is_banking_day, next_banking_day
from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case_facts import (
    LAW_LETTER_KIND,
    NEVER,
    NOW,
    Action,
    CaseFacts,
    Claim,
    SentLetter,
    StepKind,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps_closing import (
    close_expired_pause,
    close_settled,
    close_time_barred,
    interest_not_charged,
    interest_note_due,
    letter_deadline_for,
    paid_in_all,
    pause_expired_due,
    remainder_due,
    send_interest_note,
    settled_due,
    time_barred_due,
    write_off_remainder,
)
from fordring.domain.collection.steps_handover import (
    hand_over,
    handover_due,
    heavy_due,
    heavy_salaer,
    list_due,
    put_on_list,
    salaer,
)
from fordring.domain.collection.steps_letters import (
    notice_due,
    reminder_due,
    send_notice,
    send_reminder,
    send_stage_letter,
    stage_letter_due,
)
from fordring.domain.law.fees import EarlierLetter
from fordring.domain.law.tables import RateBook

__all__ = [
    "STEPS",
    "Step",
    "after",
    "interest_not_charged",
    "letter_deadline_for",
    "next_action",
    "paid_in_all",
    "replace_letters",
    "salaer",
    "wake_on",
]


@dataclass(frozen=True, slots=True)
class Step:
    kind: StepKind
    earliest: Callable[[CaseFacts, Agreement, RateBook], date | None]
    act: Callable[[CaseFacts, date, Agreement, RateBook], Action]
    # Sends a letter: dated and sent only on days the post goes (issue 12), so its day
    # moves to the next banking day. Steps without a letter (closing, listing, heavy salær)
    # may happen on any day.
    by_post: bool = False
    # Waits while a payment the debtor reported is awaited (issue 19): every step that
    # sends, charges or hands over; closing and writing off (kind to the debtor) do not.
    held_by_report: bool = True

    def day(self, f: CaseFacts, a: Agreement, book: RateBook) -> date | None:
        """The first day the step applies to the case, or None."""
        day = self.earliest(f, a, book)
        if day is not None and self.held_by_report and f.steps_held_until is not None:
            day = max(day, f.steps_held_until)
        if not self.by_post or day is None or day == NOW:
            return day
        return next_banking_day(day)


STEPS: tuple[Step, ...] = (
    Step(StepKind.CLOSE_SETTLED, settled_due, close_settled, held_by_report=False),
    Step(StepKind.CLOSE_TIME_BARRED, time_barred_due, close_time_barred, held_by_report=False),
    Step(
        StepKind.CLOSE_EXPIRED_PAUSE,
        pause_expired_due,
        close_expired_pause,
        held_by_report=False,
    ),
    Step(StepKind.WRITE_OFF_REMAINDER, remainder_due, write_off_remainder, held_by_report=False),
    Step(StepKind.SEND_INTEREST_NOTE, interest_note_due, send_interest_note, by_post=True),
    Step(StepKind.SEND_STAGE_LETTER, stage_letter_due, send_stage_letter, by_post=True),
    Step(StepKind.SEND_REMINDER, reminder_due, send_reminder, by_post=True),
    Step(StepKind.SEND_NOTICE, notice_due, send_notice, by_post=True),
    Step(StepKind.PUT_ON_LIST, list_due, put_on_list),
    Step(StepKind.HAND_OVER, handover_due, hand_over, by_post=True),
    Step(StepKind.HEAVY_SALAER, heavy_due, heavy_salaer),
)


def next_action(f: CaseFacts, today: date, agreement: Agreement, book: RateBook) -> Action | None:
    """What the case does today: the first step whose day has come, or None."""
    if f.status.state is CaseState.CLOSED or not f.claims:
        return None
    for step in STEPS:
        earliest = step.day(f, agreement, book)
        if earliest is not None and earliest <= today:
            if step.by_post and not is_banking_day(today):
                return None  # the letter waits for the next banking day
            return step.act(f, today, agreement, book)
    return None


def wake_on(f: CaseFacts, agreement: Agreement, book: RateBook) -> date:
    """The first day a step can apply to the case as it stands (NEVER: only a change to
    the case, such as a payment, a resume or the list being sent, can make one apply)."""
    if f.status.state is CaseState.CLOSED or not f.claims:
        return NEVER
    days = [d for step in STEPS if (d := step.day(f, agreement, book)) is not None]
    if f.changes_on is not None:
        days.append(f.changes_on)
    return min(days, default=NEVER)


def after(f: CaseFacts, action: Action, day: date) -> CaseFacts:
    """The facts once `action` is done on `day`: what the daily run stores, so the next
    wake-up day can be worked out without reading the case again."""
    claims = f.claims
    letters = f.letters
    if action.letter_kind is not None:
        deadline = action.deadline.deadline if action.deadline else None
        letters = (*letters, SentLetter(action.letter_kind, day, deadline))
        law_kind = LAW_LETTER_KIND.get(action.letter_kind)
        if law_kind is not None and deadline is not None:
            fees = dict(action.fees)
            claims = tuple(
                replace_letters(
                    c,
                    EarlierLetter(
                        law_kind,
                        day,
                        deadline,
                        c.invoice_id in fees and fees[c.invoice_id].allowed,
                    ),
                )
                for c in claims
            )
    charges = action.charges
    return CaseFacts(
        f.case_id,
        action.status,
        claims,
        f.charges_open + sum((c.amount for c in charges), Decimal(0)),
        f.credited,
        f.list_sent_on,
        f.approved_on,
        f.business,
        letters,
        f.charged + tuple((c.kind, c.amount) for c in charges),
        f.changes_on,
        f.held_reason,
        action.collector or f.collector_name,
        f.steps_held_until,
    )


def replace_letters(claim: Claim, letter: EarlierLetter) -> Claim:
    return Claim(
        claim.invoice_id,
        claim.due_date,
        claim.principal,
        (*claim.letters, letter),
        claim.reductions,
        claim.limitation_interrupted_on,
    )
