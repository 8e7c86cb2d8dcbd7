"""The steps in collection: putting a case on the creditor's list, the hand-over with its
salær (and a renewed notice when the old one is too old) and heavy salær."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.case import CaseStatus, apply_event
from fordring.domain.collection.case_facts import (
    Action,
    CaseFacts,
    Charge,
    ChargeKind,
    SentLetter,
    StepKind,
)
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.list_days import handover_day
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps_closing import letter_deadline_for
from fordring.domain.collection.steps_letters import fees_per_claim, stage_letter_owed
from fordring.domain.law.compensation import salaer_less_compensation
from fordring.domain.law.deadlines import NOTICE_USABLE_MONTHS, notice_too_old
from fordring.domain.law.fees import LawLetterKind
from fordring.domain.law.salaer import SalaerLevel, heavy_salaer_from, salaer_cap
from fordring.domain.law.tables import RateBook


def list_due(f: CaseFacts, _a: Agreement, _b: RateBook) -> date | None:
    deadline = f.last_deadline(LawLetterKind.INKASSOVARSEL)
    if f.status.state is not CaseState.NOTIFIED or deadline is None or f.open_principal <= 0:
        return None
    return None if stage_letter_owed(f) else deadline + timedelta(days=1)


def put_on_list(f: CaseFacts, today: date, _a: Agreement, _b: RateBook) -> Action:
    status = apply_event(f.status, CaseEvent.LIST, today)
    deadline = f.last_deadline(LawLetterKind.INKASSOVARSEL)
    return Action(
        StepKind.PUT_ON_LIST,
        f.case_id,
        status,
        f"the collection notice's deadline {deadline} has passed",
    )


def handover_due(f: CaseFacts, a: Agreement, _b: RateBook) -> date | None:
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


def hand_over(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
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
        fees = fees_per_claim(LawLetterKind.BETALINGSOPPFORDRING, open_claims, today, book)
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
    charges = (
        (Charge(first_open.invoice_id, ChargeKind.SALAER, amount, explained),) if amount else ()
    )
    return Action(
        StepKind.HAND_OVER,
        f.case_id,
        status,
        why + f"; payment demand from {a.collector_name} with light salær",
        LetterKind.PAYMENT_DEMAND,
        deadline,
        other_charges=charges,
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


def heavy_due(f: CaseFacts, a: Agreement, book: RateBook) -> date | None:
    demand = f.last_letter(LetterKind.PAYMENT_DEMAND)
    if f.status.state is not CaseState.IN_COLLECTION or demand is None or demand.deadline is None:
        return None
    # Salær belongs to the collector that had the case at hand-over (issue 12), and heavy
    # salær only to a principal left unpaid: once the payments reach the principal handed
    # over, what is left is interest and costs, whatever order the payments were split in.
    if f.open_principal <= 0 or not f.collector_name or stage_letter_owed(f):
        return None  # after an objection, heavy salær counts from the new demand's deadline
    if f.plan_broken and not a.heavy_salaer_after_broken_plan:
        return None  # a plan agreed without naming the heavy rate gave it up (docs/law.md)
    # Everything paid (principal reduced + charges paid) reaching the principal (open +
    # reduced) is the charges paid reaching what is open of the principal.
    charges_paid = sum((amount for _, amount in f.charged), Decimal(0)) - f.charges_open
    if charges_paid >= f.open_principal:
        return None
    start = heavy_salaer_from(demand.deadline)
    heavy, _ = salaer(f, start, SalaerLevel.HEAVY, book, a)
    return start if f.charged_of(ChargeKind.SALAER) < heavy else None


def heavy_salaer(f: CaseFacts, today: date, a: Agreement, book: RateBook) -> Action:
    demand = f.last_letter(LetterKind.PAYMENT_DEMAND)
    assert demand is not None and demand.deadline is not None
    heavy, explained = salaer(f, today, SalaerLevel.HEAVY, book, a)
    light = f.charged_of(ChargeKind.SALAER)
    extra = max(Decimal(0), heavy - light)
    first_open = next(c for c in f.claims if c.principal > 0)
    reason = f"heavy salær: the demand's deadline {demand.deadline} is over 28 days past"
    why = f"{explained}; less {light:.2f} salær already charged"
    charges = (Charge(first_open.invoice_id, ChargeKind.SALAER, extra, why),) if extra else ()
    return Action(StepKind.HEAVY_SALAER, f.case_id, f.status, reason, other_charges=charges)
