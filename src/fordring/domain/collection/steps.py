"""The collection steps as an ordered list: on a given day, the first step whose day has
come is what a case does next (ARCHITECTURE.md; SPEC C4-C8).

Each step says two things: from which day it applies to a case (`earliest`, None when it
does not apply in the case's state) and what it does (`act`). The first keeps a day run
twice from doing anything the second time and lets a day after a gap do each overdue step
once, dated that day; it also gives the day a case next needs looking at (`wake_on`), so
the daily run reads only the cases something can happen to. Fees, salær and interest come
from the law's calculators for the day the letter is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.calendar import is_banking_day, next_banking_day
from fordring.domain.collection.agreement import Agreement, ReminderFlow
from fordring.domain.collection.case import CaseStatus, CloseReason, apply_event
from fordring.domain.collection.case_facts import (
    LAW_LETTER,
    NEVER,
    NOW,
    Action,
    CaseFacts,
    ChargeKind,
    Claim,
    Cost,
    SentLetter,
    StepKind,
)
from fordring.domain.collection.claim_interest import case_interest
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.list_days import handover_day
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.law.compensation import claims_compensation, salaer_less_compensation
from fordring.domain.law.deadlines import (
    NOTICE_USABLE_MONTHS,
    Deadline,
    letter_deadline,
    notice_too_old,
)
from fordring.domain.law.enforcement import ENFORCEMENT_NOTICE_DAYS
from fordring.domain.law.enforcement import SOURCE as ENFORCEMENT_NOTICE_SOURCE
from fordring.domain.law.explanation import Explanation
from fordring.domain.law.fees import EarlierLetter, FeeDecision, FeeHistory, Letter
from fordring.domain.law.letter_fees import ClaimOnLetter, letter_fees
from fordring.domain.law.salaer import SalaerLevel, heavy_salaer_from, salaer_cap
from fordring.domain.law.tables import RateBook


@dataclass(frozen=True, slots=True)
class Step:
    kind: StepKind
    earliest: Callable[[CaseFacts, Agreement, RateBook], date | None]
    act: Callable[[CaseFacts, date, Agreement, RateBook], Action]
    # Sends a letter: dated and sent only on days the post goes (issue 12), so its day
    # moves to the next banking day. Steps without a letter (closing, listing, heavy salær)
    # may happen on any day.
    by_post: bool = False

    def day(self, f: CaseFacts, a: Agreement, book: RateBook) -> date | None:
        """The first day the step applies to the case, or None."""
        day = self.earliest(f, a, book)
        if not self.by_post or day is None or day == NOW:
            return day
        return next_banking_day(day)


NO_STEPS = (CaseState.CLOSED, CaseState.PAUSED, CaseState.OBJECTED)


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


def _settled(f: CaseFacts, _a: Agreement, book: RateBook) -> date | None:
    if f.open_principal > 0 or f.charges_open > 0:
        return None
    if f.status.state not in NO_STEPS and unclaimed_interest(f, book) > 0:
        return None  # the interest note comes first
    return NOW


def _close_settled(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
    reason = CloseReason.CREDITED if f.credited else CloseReason.PAID
    status = apply_event(f.status, CaseEvent.CLOSE, today, reason)
    return Action(StepKind.CLOSE_SETTLED, f.case_id, status, f"nothing is left to pay ({reason})")


def _time_barred_due(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    """The day the first open claim of the case is time-barred; not in legal collection,
    where the legal steps interrupted the limitation (foreldelsesloven § 15)."""
    if f.status.state is CaseState.LEGAL:
        return None
    days = [c.time_barred_from for c in f.claims if c.principal > 0]
    return min(days) if days else None


def _close_time_barred(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
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


def _pause_expired(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    return f.status.closes_by_itself_on()


def _close_expired_pause(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
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


def _remainder_due(f: CaseFacts, a: Agreement, book: RateBook) -> date | None:
    """A small remainder after a payment is written off as the creditor's cost rather than
    pursued (issue 12; the agreement's `small_remainder_write_off`, 0: never)."""
    if a.small_remainder_write_off <= 0 or f.status.state in (*NO_STEPS, CaseState.LEGAL):
        return None  # a claim before the courts is the creditor's to settle there
    if f.changes_on is not None or paid_in_all(f) <= 0:
        return None  # a replayed day before a payment, or nothing paid: no remainder yet
    left = f.open_principal + f.charges_open
    return NOW if 0 < left < a.small_remainder_write_off else None


def _write_off_remainder(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action:
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


def _interest_note_due(f: CaseFacts, _a: Agreement, book: RateBook) -> date | None:
    if f.status.state in NO_STEPS or unclaimed_interest(f, book) <= 0:
        return None
    return NOW


def _send_interest_note(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
    paid = f.last_reduction
    assert paid is not None
    already = f.charged_of(ChargeKind.INTEREST)
    costs: list[Cost] = []
    for claim in f.claims:
        accrued = case_interest((claim,), paid, book)
        part = min(accrued, max(Decimal(0), accrued - already))
        already = max(Decimal(0), already - accrued)
        if part > 0:
            costs.append(
                Cost(
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
        costs=tuple(costs),
    )


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


def _letter_owed(f: CaseFacts) -> bool:
    """The stage's letter is asked for and not sent yet: the stage's other steps wait."""
    return f.status.letter_asked_on is not None


def _stage_letter_due(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    asked = f.status.letter_asked_on
    kind = STAGE_LETTER.get(f.status.state)
    if asked is None or kind is None or f.open_principal <= 0:
        return None
    last = f.last_letter(kind)  # one letter of a kind a day
    return max(asked, last.day + timedelta(days=1)) if last is not None else asked


def _send_stage_letter(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action:
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


def _reminder_due(f: CaseFacts, a: Agreement, _b: RateBook) -> date | None:
    if f.status.state is not CaseState.REGISTERED:
        return None
    if a.reminder_flow is not ReminderFlow.REMINDER_FIRST:
        return None
    return f.last_due + timedelta(days=a.reminder_days)


def _send_reminder(f: CaseFacts, today: date, a: Agreement, _b: RateBook) -> Action:
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


def _notice_due(f: CaseFacts, a: Agreement, _b: RateBook) -> date | None:
    state = f.status.state
    if state is CaseState.REGISTERED and a.reminder_flow is ReminderFlow.NOTICE_ONLY:
        return f.last_due + timedelta(days=a.notice_days)
    if state is CaseState.REMINDED and not _letter_owed(f):
        reminder_deadline = f.last_deadline(Letter.PURRING)
        return None if reminder_deadline is None else reminder_deadline + timedelta(days=1)
    return None


def _fees(
    letter: Letter, claims: tuple[Claim, ...], today: date, book: RateBook
) -> tuple[tuple[int, FeeDecision], ...]:
    """The law's fee decision for `letter` sent today, per claim: one fee for the letter,
    shared by the claims whose own history allows one (issue 12; law/letter_fees.py)."""
    return letter_fees(
        letter,
        [
            ClaimOnLetter(c.invoice_id, c.due_date, c.principal, FeeHistory.of(c.letters, on=today))
            for c in claims
        ],
        sent=today,
        book=book,
    )


def _send_notice(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
    if f.status.state is CaseState.REMINDED:
        why = f"the reminder's deadline {f.last_deadline(Letter.PURRING)} has passed"
    else:
        why = f"collection notice, {a.notice_days} days after due at the earliest"
    fees = _fees(Letter.INKASSOVARSEL, f.claims, today, book)
    deadline = letter_deadline_for(today, a.notice_deadline_days, a)
    status = apply_event(f.status, CaseEvent.NOTIFY, today)
    costs = _compensation(f, fees, a, book)
    return Action(
        StepKind.SEND_NOTICE,
        f.case_id,
        status,
        why,
        LetterKind.COLLECTION_NOTICE,
        deadline,
        fees,
        costs,
    )


def _compensation(
    f: CaseFacts, fees: tuple[tuple[int, FeeDecision], ...], a: Agreement, book: RateBook
) -> tuple[Cost, ...]:
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
        Cost(claim_id, ChargeKind.COMPENSATION, result.amount, _explained(result.explanation))
        for claim_id, result in found
        if result.amount > 0
    )


def _explained(explanation: Explanation) -> str:
    lines = "; ".join(f"{line.text} {line.amount:.2f}" for line in explanation.lines)
    return f"{lines} ({explanation.source}; {', '.join(explanation.notes)})"


def _list_due(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    deadline = f.last_deadline(Letter.INKASSOVARSEL)
    if f.status.state is not CaseState.NOTIFIED or deadline is None or f.open_principal <= 0:
        return None
    return None if _letter_owed(f) else deadline + timedelta(days=1)


def _put_on_list(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
    status = apply_event(f.status, CaseEvent.LIST, today)
    deadline = f.last_deadline(Letter.INKASSOVARSEL)
    return Action(
        StepKind.PUT_ON_LIST,
        f.case_id,
        status,
        f"the collection notice's deadline {deadline} has passed",
    )


def _handover_due(f: CaseFacts, a: Agreement, _b: RateBook) -> date | None:
    # Only a claim with principal left goes to collection; fees or interest alone wait for
    # the debtor or the creditor's closing.
    if f.status.state is not CaseState.LISTED or f.open_principal <= 0:
        return None
    if f.approved_on is not None:
        return f.approved_on
    if a.automatic_handover and f.list_sent_on is not None:
        return handover_day(f.list_sent_on)
    return None


def salaer(
    f: CaseFacts, on: date, level: SalaerLevel, book: RateBook, a: Agreement
) -> tuple[Decimal, str]:
    """The salær cap for the case's open principal at `level`, less any standard
    compensation charged on the case, and its explanation. The claims of one case count as
    one claim (the debtor-friendly reading; docs/law.md)."""
    first_due = min(c.due_date for c in f.claims)
    cap = salaer_cap(
        f.open_principal,
        level=level,
        due=first_due,
        on=on,
        book=book,
        business=f.business,
        creditor_deducts_vat=a.creditor_deducts_vat,
    )
    explained = "; ".join(line.text for line in cap.explanation.lines)
    compensation = f.charged_of(ChargeKind.COMPENSATION)
    if not compensation:
        return cap.amount, explained
    net = salaer_less_compensation(cap.explanation, compensation)
    less = cap.amount - net.total
    return net.total, f"{explained}; cap {cap.amount:.2f} less standard compensation {less:.2f}"


def _hand_over(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
    """The payment demand (inkassoloven § 10): with light salær when a collector collects,
    else with the creditor's own-collection demand fee per claim (forskriften § 1-2 (3))."""
    notice = f.last_letter(LetterKind.COLLECTION_NOTICE)
    if notice is not None and notice_too_old(notice.day, today):
        return _renew_notice(f, notice, today, a)
    status = apply_event(f.status, CaseEvent.HAND_OVER, today)
    why = (
        f"approved for collection on {f.approved_on}"
        if f.approved_on is not None
        else f"on the collection list of {f.list_sent_on}; automatic hand-over"
    )
    deadline = letter_deadline_for(today, a.demand_deadline_days, a)
    if not a.collector_name:
        open_claims = tuple(c for c in f.claims if c.principal > 0)
        fees = _fees(Letter.BETALINGSOPPFORDRING, open_claims, today, book)
        return Action(
            StepKind.HAND_OVER,
            f.case_id,
            status,
            why + "; payment demand from the creditor (own collection)",
            LetterKind.PAYMENT_DEMAND,
            deadline,
            fees,
        )
    amount, explained = salaer(f, today, SalaerLevel.LIGHT, book, a)
    first_open = next(c for c in f.claims if c.principal > 0)
    costs = (Cost(first_open.invoice_id, ChargeKind.SALAER, amount, explained),) if amount else ()
    return Action(
        StepKind.HAND_OVER,
        f.case_id,
        status,
        why + f"; payment demand from {a.collector_name} with light salær",
        LetterKind.PAYMENT_DEMAND,
        deadline,
        costs=costs,
        collector=a.collector_name,
    )


def _renew_notice(f: CaseFacts, notice: SentLetter, today: date, a: Agreement) -> Action:
    """A collection notice more than 6 months old is not used for a hand-over (complaint-
    board practice, DOMAIN.md § 2): the debtor gets a new notice with a new deadline, and
    no fee (the delay is the creditor's), and the case is listed again after it; the old
    list and approval no longer count (the daily run forgets them)."""
    deadline = letter_deadline_for(today, a.notice_deadline_days, a)
    return Action(
        StepKind.RENEW_NOTICE,
        f.case_id,
        CaseStatus(CaseState.NOTIFIED),
        f"the collection notice of {notice.day} is more than {NOTICE_USABLE_MONTHS} months "
        "old and is not used for a hand-over: a new notice with a new deadline, no fee",
        LetterKind.COLLECTION_NOTICE,
        deadline,
    )


def _heavy_due(f: CaseFacts, a: Agreement, book: RateBook) -> date | None:
    demand = f.last_letter(LetterKind.PAYMENT_DEMAND)
    if f.status.state is not CaseState.IN_COLLECTION or demand is None or demand.deadline is None:
        return None
    # Salær belongs to the collector that had the case at hand-over (issue 12), and heavy
    # salær only to a principal left unpaid: once the payments reach the principal handed
    # over, what is left is interest and costs, whatever order the payments were split in.
    if f.open_principal <= 0 or not f.collector_name or _letter_owed(f):
        return None  # after an objection, heavy salær counts from the new demand's deadline
    # Everything paid (principal reduced + charges paid) reaching the principal (open +
    # reduced) is the charges paid reaching what is open of the principal.
    charges_paid = sum((amount for _, amount in f.charged), Decimal(0)) - f.charges_open
    if charges_paid >= f.open_principal:
        return None
    start = heavy_salaer_from(demand.deadline)
    heavy, _ = salaer(f, start, SalaerLevel.HEAVY, book, a)
    return start if f.charged_of(ChargeKind.SALAER) < heavy else None


def _heavy_salaer(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
    demand = f.last_letter(LetterKind.PAYMENT_DEMAND)
    assert demand is not None and demand.deadline is not None
    heavy, explained = salaer(f, today, SalaerLevel.HEAVY, book, a)
    light = f.charged_of(ChargeKind.SALAER)
    extra = max(Decimal(0), heavy - light)
    first_open = next(c for c in f.claims if c.principal > 0)
    reason = f"heavy salær: the demand's deadline {demand.deadline} is over 28 days past"
    why = f"{explained}; less {light:.2f} salær already charged"
    costs = (Cost(first_open.invoice_id, ChargeKind.SALAER, extra, why),) if extra else ()
    return Action(StepKind.HEAVY_SALAER, f.case_id, f.status, reason, costs=costs)


STEPS: tuple[Step, ...] = (
    Step(StepKind.CLOSE_SETTLED, _settled, _close_settled),
    Step(StepKind.CLOSE_TIME_BARRED, _time_barred_due, _close_time_barred),
    Step(StepKind.CLOSE_EXPIRED_PAUSE, _pause_expired, _close_expired_pause),
    Step(StepKind.WRITE_OFF_REMAINDER, _remainder_due, _write_off_remainder),
    Step(StepKind.SEND_INTEREST_NOTE, _interest_note_due, _send_interest_note, by_post=True),
    Step(StepKind.SEND_STAGE_LETTER, _stage_letter_due, _send_stage_letter, by_post=True),
    Step(StepKind.SEND_REMINDER, _reminder_due, _send_reminder, by_post=True),
    Step(StepKind.SEND_NOTICE, _notice_due, _send_notice, by_post=True),
    Step(StepKind.PUT_ON_LIST, _list_due, _put_on_list),
    Step(StepKind.HAND_OVER, _handover_due, _hand_over, by_post=True),
    Step(StepKind.HEAVY_SALAER, _heavy_due, _heavy_salaer),
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
    if action.letter is not None:
        deadline = action.deadline.deadline if action.deadline else None
        letters = (*letters, SentLetter(action.letter, day, deadline))
        law_letter = LAW_LETTER.get(action.letter)
        if law_letter is not None and deadline is not None:
            fees = dict(action.fees)
            claims = tuple(
                replace_letters(
                    c,
                    EarlierLetter(
                        law_letter,
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
