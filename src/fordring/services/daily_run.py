"""The daily run (SPEC I5): every collection step that is due, day by day, exactly once.

`run_collection(to_day)` (services/day_graph.py, the day's parts in order) runs each
day from the day after the last run (or `to_day` when nothing has run) up to `to_day`,
one transaction per day, so a missed day is caught up and
a day is never run twice. Only the cases whose wake-up day has come are read, so a day's
cost follows what happens that day, not the number of open cases. Letters are stored as
data in the day's transaction and queued for delivery (services/delivery.py renders
and sends them after the commit); fees, salær and interest are booked as charges
(services/day_bookings.py). A case whose step needs a rate the tables lack waits, held,
while the others go on; new claims join the debtor's case in collection
(services/claim_merging.py). On a
banking day the client account's payments are settled to the creditor
(services/settlements.py). Each day first issues the recurring invoices due
(services/recurring.py) and queues them; on a list day the collection list is stored and
queued (services/collection_list.py). Nothing leaves the system here: the business day
(services/business_day.py) delivers what the days queued after they commit.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, for_company
from fordring.domain.collection.case_facts import Action, CaseFacts, ChargeKind, StepKind
from fordring.domain.collection.history import EventKind, HistoryEvent, step_event
from fordring.domain.collection.letters import Letter, LetterKind
from fordring.domain.collection.list_days import is_list_day
from fordring.domain.collection.plan_standing import PlanStep
from fordring.domain.collection.steps import after, next_action, wake_on
from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput
from fordring.domain.law.missing_rates import NeededRow, needed_rows
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.domain.settlement import SettlementSummary
from fordring.services.case_closing import close_charges
from fordring.services.claim_merging import merge_hand_overs
from fordring.services.collection_agreement import agreement_of
from fordring.services.collection_letters import build_letter
from fordring.services.collection_list import ListSent, send_collection_list
from fordring.services.collection_sending import send_eligible
from fordring.services.day_bookings import book_charges, store_letters
from fordring.services.debtor_access import issue_invoice_access
from fordring.services.plan_check import check_plans
from fordring.services.ports import (
    CaseDetails,
    Customers,
    NewDispatch,
    UnitOfWork,
)
from fordring.services.recurring import IssuedPeriod, issue_due
from fordring.services.report_holds import end_lapsed_holds
from fordring.services.scope import DAILY_RUN
from fordring.services.settlements import settle_day
from fordring.services.write_offs import write_off_remainder

RUN_ACTOR = str(DAILY_RUN)  # the history's actor text of the run's events
MAX_DAYS = 400  # one `run --to` runs at most this many days; a longer gap is refused
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Done:
    case_number: int
    step: str
    letter_kind: str | None  # the kind of letter the step sent
    deadline: date | None
    fee: Decimal


@dataclass(frozen=True, slots=True)
class Held:
    """A case that waits today for a rate the tables lack; every other case goes on."""

    case_number: int
    missing: MissingRate

    @property
    def reason(self) -> str:
        return str(self.missing)


@dataclass
class DayReport:
    day: date
    done: list[Done] = field(default_factory=list)
    settlement: SettlementSummary | None = None  # what the client account paid out today
    issued: list[IssuedPeriod] = field(default_factory=list)  # recurring invoices issued
    held: list[Held] = field(default_factory=list)  # cases waiting for a missing rate
    collection_list: ListSent | None = None  # the collection list made today


@dataclass(frozen=True, slots=True)
class RunReport:
    days: list[DayReport]
    already_run_to: date | None  # nothing to do: this day has been run

    def missing_rates(self, book: RateBook) -> list[NeededRow]:
        """Each rate the held cases wait for, once, with the cases waiting for it."""
        return needed_rows(((h.case_number, h.missing) for d in self.days for h in d.held), book)


def first_day(last: date | None, from_day: date, to_day: date, *, each_day: bool) -> date | None:
    """The first day a run up to `to_day` runs (None: every day has run); InvalidInput
    when more than MAX_DAYS are to run."""
    start = last + timedelta(days=1) if last else min(from_day, to_day)
    if not each_day:
        start = max(start, to_day)
    if start > to_day:
        return None
    if (to_day - start).days >= MAX_DAYS:
        raise InvalidInput.one("to", _gap_too_long(start, to_day))
    return start


def _gap_too_long(start: date, to_day: date) -> str:
    """Why a run over more than MAX_DAYS days is refused, and the two ways to catch up:
    never by skipping the older days, which would leave their steps undone for good."""
    days = (to_day - start).days + 1
    step = start + timedelta(days=MAX_DAYS - 1)
    return (
        f"{days} days from {start} to {to_day} have not run, more than the {MAX_DAYS} one "
        f"`run --to` runs; nothing was run. Run them in parts (`fordring run --to {step}`, "
        f"then again up to {to_day}), or run the business date alone (`fordring --date "
        f"{to_day} run`: everything due by then is done that day)"
    )


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a day runs: the day builds hundreds of
    thousands of objects (facts, letters, rows) that reference counting frees and that form
    no cycles, and the collector's repeated passes over them took a third of the run
    (bench_daily_run.py, 1,000,000 cases: 4 s of 13). It runs again as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _list_due(last_run: date | None, day: date) -> bool:
    """The collection list goes on Tuesdays (the next banking day when a Tuesday is none),
    and on the first run after such a day that was not run."""
    since = last_run + ONE_DAY if last_run is not None else day
    return any(is_list_day(since + timedelta(days=n)) for n in range((day - since).days + 1))


def day_agreement(uow: UnitOfWork, company: Company) -> Agreement:
    """The company's agreement as the run applies it."""
    agreement = agreement_of(uow)
    return for_company(agreement, vat_registered=company.vat_registered)  # salær + 25 %?


def start_day(
    uow: UnitOfWork, company: Company, agreement: Agreement, day: date, pin_key: bytes
) -> DayReport:
    """The day's first part: invoices sent to collection automatically, recurring invoices
    issued (and queued for delivery; each with the debtor's code and PIN, kept under
    `pin_key`, when the agreement's `invoice_debtor_access` says so)."""
    # A dry run sends too, inside a transaction it never commits, to show the whole day.
    sent = send_eligible(uow, company, day, DAILY_RUN) if agreement.automatic_sending else []
    issued = issue_due(uow, company, day)
    # issue 19: a debtor's reported payment not seen by the end of its hold: the case goes
    # on today (its steps wake by themselves), and a person is told (Oversikt)
    end_lapsed_holds(uow, day, RUN_ACTOR)
    uow.deliveries.queue(
        [NewDispatch("invoice", i.customer_id, day, invoice_id=i.invoice_id) for i in issued],
    )
    if agreement.invoice_debtor_access:
        issue_invoice_access(uow, [i.invoice_id for i in issued], day, pin_key)
    done = [Done(case.number, "send_to_collection", None, None, Decimal(0)) for case in sent]
    return DayReport(day, done, issued=issued)


def step_cases(
    uow: UnitOfWork,
    company: Company,
    agreement: Agreement,
    day: date,
    book: RateBook,
    pin_key: bytes,
    customers: Customers | None = None,
) -> DayReport:
    """The steps of the cases woken on `day` (of the `customers` only, when given: a chunk
    of the day); each stepped case wakes after the day, so it is not read again. Each
    letter prints a new code and PIN, the PIN kept under `pin_key`."""
    actions: list[tuple[Action, CaseFacts]] = []
    wakes: list[tuple[int, date]] = []
    held: dict[int, tuple[CaseFacts, MissingRate]] = {}
    looked_at = uow.collection.open_case_facts(day, customers)
    for facts in looked_at:
        # A rate the tables lack holds this case only: it waits, and is looked at again
        # tomorrow, while every other case goes on (issue 12).
        try:
            action = next_action(facts, day, agreement, book)
            later = after(facts, action, day) if action is not None else facts
            wake = max(wake_on(later, agreement, book), day + ONE_DAY)
        except MissingRate as missing:
            held[facts.case_id] = (facts, missing)
            continue
        if action is not None:
            actions.append((action, facts))
        wakes.append((facts.case_id, wake))
    actions, wakes = merge_hand_overs(uow, agreement, day, book, actions, wakes)  # issue 12
    # What letters ask for is what was open on `day`: only a replay of past days, where a
    # payment dated after it is already booked, needs the charges read back to that day.
    replay = any(f.changes_on is not None for _, f in actions)
    details = uow.collection.case_details(
        [a.case_id for a, _ in actions] + list(held), day if replay else None
    )
    letters: dict[int, Letter] = {}
    for action, facts in actions:
        if action.letter_kind is not None:
            try:
                letters[action.case_id] = build_letter(
                    action, facts, details[action.case_id], company, agreement, day, book
                )
            except MissingRate as missing:
                held[facts.case_id] = (facts, missing)
    actions = [(a, f) for a, f in actions if a.case_id not in held]
    wakes = [(case_id, wake) for case_id, wake in wakes if case_id not in held]
    wakes += [(case_id, day + ONE_DAY) for case_id in held]
    report = DayReport(
        day,
        [
            Done(
                details[a.case_id].number,
                a.step.value,
                a.letter_kind.value if a.letter_kind else None,
                a.deadline.deadline if a.deadline else None,
                a.charge_total,
            )
            for a, _ in actions
        ],
        held=sorted(
            (Held(details[case_id].number, missing) for case_id, (_, missing) in held.items()),
            key=lambda h: h.case_number,
        ),
    )
    # Released only by a step that went through: a weekend that merely postpones a letter
    # step proves nothing about the rate.
    _hold(uow, day, [facts for _, facts in actions], held)
    letter_ids = store_letters(uow, day, actions, details, letters, pin_key)
    book_charges(uow, agreement, day, [a for a, _ in actions], details, letter_ids)
    written_off = {
        a.case_id: write_off_remainder(uow, agreement, details[a.case_id], day)
        for a, _ in actions
        if a.step is StepKind.WRITE_OFF_REMAINDER
    }
    # A new notice: a new list and approval.
    uow.collection.forget_listing(
        [a.case_id for a, _ in actions if a.step is StepKind.RENEW_NOTICE]
    )
    uow.collection.set_collectors(
        [(a.case_id, a.collector, agreement.collector_orgnr) for a, _ in actions if a.collector]
    )
    barred = _cancel_time_barred_costs(uow, agreement, day, [a for a, _ in actions], details)
    # The statuses with the wake-up days, last: each case is written once, and the day
    # computed for it is the one it keeps, whatever the postings above woke.
    uow.collection.save_steps([(a.case_id, a.status) for a, _ in actions], wakes)
    uow.collection.add_event_rows(
        [
            step_event(
                a,
                _history_text(a) + _also(written_off.get(a.case_id)) + barred.get(a.case_id, ""),
                letter_ids.get(a.case_id),
            )
            for a, _ in actions
        ],
        day,
        RUN_ACTOR,
    )
    return report


def end_day(
    uow: UnitOfWork,
    company: Company,
    agreement: Agreement,
    day: date,
    dry_run: bool,
    pin_key: bytes,
) -> DayReport:
    """The day's last part: the payment plans checked (after every step of the day; a
    reminder's letter prints a code and PIN, the PIN kept under `pin_key`), the
    collection list (on its days), the settlement, and the day recorded as run."""
    report = DayReport(day)
    report.done += [
        Done(
            c.case_number,
            f"plan_{c.step.value}",
            LetterKind.PLAN_REMINDER.value if c.step is PlanStep.REMIND else None,
            c.deadline,
            Decimal(0),
        )
        for c in check_plans(uow, agreement, day, pin_key)
    ]
    if _list_due(uow.collection.last_run(), day):
        report.collection_list = send_collection_list(uow, company, agreement, day, dry_run=dry_run)
    report.settlement = settle_day(uow, company, agreement, day)
    uow.collection.record_run(day)
    return report


def _hold(
    uow: UnitOfWork,
    day: date,
    acted: list[CaseFacts],
    held: dict[int, tuple[CaseFacts, MissingRate]],
) -> None:
    """Store why each held case waits (in its history when the reason is new), and release
    the held cases that took a step today: the rate they waited for is in the tables."""
    changed: list[tuple[int, str | None]] = []
    events: list[HistoryEvent] = []
    for facts, missing in held.values():
        if facts.held_reason != str(missing):
            changed.append((facts.case_id, str(missing)))
            text = f"waits for a rate: {missing}"
            events.append(
                HistoryEvent(facts.case_id, EventKind.HELD, text, {"missing": str(missing)})
            )
    for facts in acted:
        if facts.held_reason and facts.case_id not in held:
            changed.append((facts.case_id, None))
            events.append(
                HistoryEvent(
                    facts.case_id,
                    EventKind.RELEASED,
                    f"the rate it waited for is in the tables now ({facts.held_reason})",
                )
            )
    uow.collection.set_held(changed, day)
    uow.collection.add_event_rows(events, day, RUN_ACTOR)


def _also(text: str | None) -> str:
    return f"; {text}" if text else ""


def _cancel_time_barred_costs(
    uow: UnitOfWork,
    agreement: Agreement,
    day: date,
    actions: list[Action],
    details: dict[int, CaseDetails],
) -> dict[int, str]:
    """A time-barred claim's costs are time-barred with it (foreldelsesloven § 26): cancel
    them as when the creditor closes the case (issue 12); per case, what that cost."""
    texts = {}
    for action in actions:
        if action.step is StepKind.CLOSE_TIME_BARRED:
            number = details[action.case_id].number
            costs = close_charges(uow, agreement, action.case_id, number, day, "foreldet")
            texts[action.case_id] = f"; {costs.text()}"
    return texts


def _history_text(action: Action) -> str:
    text = action.reason
    if action.deadline is not None:
        text += f"; deadline {action.deadline.deadline}"
    # Salær with the calculator's reasoning; fees keep theirs per invoice with the letter
    # (case_letter_invoice), interest its periods on the interest note.
    fees = [c for c in action.charges if c.kind is ChargeKind.FEE]
    if len(fees) > 1:  # one fee for the letter, shared by its invoices (issue 12)
        shares = " + ".join(str(c.amount) for c in fees)
        text += (
            f"; fee {action.fee_total} (one fee for the letter, inkassoforskriften § 1-2; "
            f"shared by {len(fees)} invoices pro rata to open principal: {shares})"
        )
    for cost in action.charges:
        if cost.kind is ChargeKind.FEE and len(fees) > 1:
            continue
        explained = (ChargeKind.SALAER, ChargeKind.COMPENSATION)
        why = f": {cost.reason}" if cost.kind in explained else ""
        text += f"; {cost.kind} {cost.amount}{why}"
    return text
