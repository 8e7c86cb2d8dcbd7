"""The daily run (SPEC I5): every collection step that is due, day by day, exactly once.

`run_collection(to_day)` runs each day from the day after the last run (or `to_day` when
nothing has run) up to `to_day`, one transaction per day, so a missed day is caught up and
a day is never run twice. Only the cases whose wake-up day has come are read, so a day's
cost follows what happens that day, not the number of open cases. Letters are stored as
data in the day's transaction and queued for delivery (services/delivery.py renders
and sends them after the commit); fees, salær and interest are booked as charges. On a
banking day the client account's payments are settled to the creditor
(services/settlements.py). Each day first issues the recurring invoices due
(services/recurring.py) and queues them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.collection.steps import (
    TUESDAY,
    Action,
    CaseFacts,
    ChargeKind,
    Cost,
    after,
    next_action,
    wake_on,
)
from fordring.domain.company import Company
from fordring.domain.law.tables import RateBook
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher
from fordring.domain.settlement import Settlement
from fordring.services.collection import send_eligible
from fordring.services.collection_letters import build_letter
from fordring.services.collection_list import send_collection_list
from fordring.services.companies import company_id, resolve_company
from fordring.services.ports import (
    CaseDetails,
    LetterRenderer,
    Mailer,
    NewCharge,
    NewDispatch,
    NewLetter,
    PaperOutbox,
    UnitOfWork,
    UnitOfWorkFactory,
)
from fordring.services.recurring import IssuedPeriod, issue_due
from fordring.services.settlements import settle_day

RUN_ACTOR = "daily run"
FEES_AND_INTEREST_TYPE = "RG"
MAX_DAYS = 400  # one run catches up at most this many days
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Done:
    case_number: int
    step: str
    letter: str | None
    deadline: date | None
    fee: Decimal


@dataclass
class DayReport:
    day: date
    done: list[Done] = field(default_factory=list)
    settlement: Settlement | None = None  # what the client account paid out today
    issued: list[IssuedPeriod] = field(default_factory=list)  # recurring invoices issued


@dataclass(frozen=True, slots=True)
class RunReport:
    days: list[DayReport]
    already_run_to: date | None  # nothing to do: this day has been run


def run_collection(
    company_orgnr: str | None,
    from_day: date,
    to_day: date,
    uow_factory: UnitOfWorkFactory,
    renderer: LetterRenderer,
    outbox: PaperOutbox,
    book: RateBook,
    *,
    mailer: Mailer | None = None,
    dry_run: bool = False,
    each_day: bool = True,
) -> RunReport:
    """Run every day not yet run up to `to_day`, from the day after the last run (or from
    `from_day` when nothing has run yet); `dry_run` shows the first day and writes nothing.

    With `each_day` off only `to_day` is run: everything due on or before it that is not
    done yet is done that day and dated that day (the plain `fordring run` after a gap)."""
    with uow_factory() as uow:
        company = resolve_company(uow, company_orgnr)
        last = uow.collection.last_run(company_id(company))
    start = last + timedelta(days=1) if last else min(from_day, to_day)
    if not each_day:
        start = max(start, to_day)
    if start > to_day:
        return RunReport([], last)
    if (to_day - start).days >= MAX_DAYS:
        start = to_day - timedelta(days=MAX_DAYS - 1)
    reports = []
    day = start
    while day <= to_day:
        with uow_factory() as uow:
            # One run at a time per company: a second process waits here, then finds the
            # day done and skips it, so no letter is produced or fee charged twice.
            uow.collection.lock_runs(company_id(company))
            done_to = uow.collection.last_run(company_id(company))
            if done_to is None or day > done_to:
                list_day = _list_due(done_to, day)
                reports.append(
                    _run_day(uow, company, day, list_day, outbox, renderer, book, mailer, dry_run)
                )
                if dry_run:
                    break
                uow.commit()
        day += timedelta(days=1)
    return RunReport(reports, None if reports else to_day)


def _list_due(last_run: date | None, day: date) -> bool:
    """The collection list goes on Tuesdays, and on the first run after a Tuesday that was
    not run."""
    since = last_run + ONE_DAY if last_run is not None else day
    return any(
        (since + timedelta(days=n)).weekday() == TUESDAY for n in range((day - since).days + 1)
    )


def _run_day(
    uow: UnitOfWork,
    company: Company,
    day: date,
    list_day: bool,
    outbox: PaperOutbox,
    renderer: LetterRenderer,
    book: RateBook,
    mailer: Mailer | None,
    dry_run: bool,
) -> DayReport:
    cid = company_id(company)
    agreement = with_settings(Agreement(), uow.collection.settings(cid))
    # A dry run sends too, inside a transaction it never commits, to show the whole day.
    sent = send_eligible(uow, company, day, RUN_ACTOR) if agreement.automatic_sending else []
    issued = issue_due(uow, company, day)
    uow.deliveries.queue(
        cid,
        [NewDispatch("invoice", i.customer_id, day, invoice_id=i.invoice_id) for i in issued],
    )
    actions: list[tuple[Action, CaseFacts]] = []
    wakes: list[tuple[int, date]] = []
    for facts in uow.collection.open_case_facts(cid, day):
        action = next_action(facts, day, agreement, book)
        later = facts
        if action is not None:
            actions.append((action, facts))
            later = after(facts, action, day)
        wakes.append((facts.case_id, max(wake_on(later, agreement, book), day + ONE_DAY)))
    # What letters ask for is what was open on `day`: only a replay of past days, where a
    # payment dated after it is already booked, needs the charges read back to that day.
    replay = any(f.changes_on is not None for _, f in actions)
    details = uow.collection.case_details(
        cid, [a.case_id for a, _ in actions], day if replay else None
    )
    report = DayReport(
        day,
        [Done(case.number, "send_to_collection", None, None, Decimal(0)) for case in sent]
        + [
            Done(
                details[a.case_id].number,
                a.step.value,
                a.letter.value if a.letter else None,
                a.deadline.deadline if a.deadline else None,
                a.charge_total,
            )
            for a, _ in actions
        ],
        issued=issued,
    )
    if dry_run:
        return report
    letter_ids = _store_letters(uow, company, agreement, day, actions, details, book)
    _book_charges(uow, cid, agreement, day, [a for a, _ in actions], details, letter_ids)
    uow.collection.save_statuses([(a.case_id, a.status) for a, _ in actions])
    uow.collection.set_wakes(wakes)
    uow.collection.add_event_rows(
        [(a.case_id, a.step.value, _history_text(a)) for a, _ in actions], day, RUN_ACTOR
    )
    if list_day:
        send_collection_list(uow, company, agreement, day, renderer, outbox, mailer)
    report.settlement = settle_day(uow, company, agreement, day)
    uow.collection.record_run(cid, day)
    return report


def _history_text(action: Action) -> str:
    text = action.reason
    if action.deadline is not None:
        text += f"; deadline {action.deadline.deadline}"
    # Salær with the calculator's reasoning; fees keep theirs per invoice with the letter
    # (case_letter_invoice), interest its periods on the interest note.
    for cost in action.charges:
        why = f": {cost.reason}" if cost.kind is ChargeKind.SALAER else ""
        text += f"; {cost.kind} {cost.amount}{why}"
    return text


def _store_letters(
    uow: UnitOfWork,
    company: Company,
    agreement: Agreement,
    day: date,
    actions: list[tuple[Action, CaseFacts]],
    details: dict[int, CaseDetails],
    book: RateBook,
) -> dict[int, int]:
    """Store the day's letters as data and queue them for delivery; the letter id of each
    case that got one."""
    with_letter = [(a, f) for a, f in actions if a.letter is not None]
    if not with_letter:
        return {}
    first_letter = uow.collection.reserve_ids("case_letter", len(with_letter))
    stored: list[tuple[int, NewLetter]] = []
    for offset, (action, facts) in enumerate(with_letter):
        case = details[action.case_id]
        letter = build_letter(action, facts, case, company, agreement, day, book)
        stored.append(
            (
                first_letter + offset,
                NewLetter(action.case_id, letter, action.charge_total, _letter_fees(action, case)),
            )
        )
    uow.collection.add_letters(stored)
    uow.deliveries.queue(
        company_id(company),
        [
            NewDispatch(x.letter.kind.value, details[x.case_id].customer_id, day, letter_id=i)
            for i, x in stored
        ],
    )
    return {letter.case_id: letter_id for letter_id, letter in stored}


def _letter_fees(action: Action, case: CaseDetails) -> tuple[tuple[int, Decimal, str], ...]:
    """Every open invoice on the letter with the fee it charges (0 when none) and why."""
    decided = dict(action.fees)
    rows = []
    for item in case.invoices:
        if item.open_amount <= 0:
            continue
        decision = decided.get(item.invoice_id)
        if decision is None:
            rows.append((item.invoice_id, Decimal(0), "no fee on this letter"))
        else:
            fee = decision.amount if decision.allowed else Decimal(0)
            rows.append((item.invoice_id, fee, decision.reason))
    return tuple(rows)


VOUCHER_TEXT = {
    ChargeKind.FEE: "Gebyr",
    ChargeKind.SALAER: "Inkassosalær",
    ChargeKind.INTEREST: "Forsinkelsesrente",
}


def _book_charges(
    uow: UnitOfWork,
    cid: int,
    agreement: Agreement,
    day: date,
    actions: list[Action],
    details: dict[int, CaseDetails],
    letter_ids: dict[int, int],
) -> None:
    """One voucher per case and day: debit 1500 per charge (each its own open item), credit
    the fee, salær or interest account of the agreement."""
    charged = [(a, c) for a in actions for c in a.charges]
    if not charged:
        return
    accounts = {
        ChargeKind.FEE: agreement.fee_account,
        ChargeKind.SALAER: agreement.salaer_account,
        ChargeKind.INTEREST: agreement.interest_account,
    }
    first_charge = uow.collection.reserve_ids("charge", len(charged))
    by_case: dict[int, list[tuple[int, Cost]]] = {}
    for offset, (action, cost) in enumerate(charged):
        by_case.setdefault(action.case_id, []).append((first_charge + offset, cost))
    first_voucher = uow.ledger.reserve_ids(len(by_case))
    first_number = uow.series.take(cid, "voucher", len(by_case))
    vouchers: list[Voucher] = []
    charges: list[NewCharge] = []
    for offset, (case_id, costs) in enumerate(by_case.items()):
        case = details[case_id]
        voucher_id = first_voucher + offset
        postings = [
            Posting(RECEIVABLES, c.amount, case.customer_id, None, VOUCHER_TEXT[c.kind], charge_id)
            for charge_id, c in costs
        ]
        for kind in ChargeKind:
            total = sum((c.amount for _, c in costs if c.kind is kind), Decimal(0))
            if total:
                postings.append(Posting(accounts[kind], -total, text=VOUCHER_TEXT[kind]))
        kinds = ", ".join(dict.fromkeys(VOUCHER_TEXT[c.kind].lower() for _, c in costs))
        vouchers.append(
            Voucher(
                FEES_AND_INTEREST_TYPE,
                day,
                f"{kinds.capitalize()} sak {case.number}",
                tuple(postings),
                first_number + offset,
                id=voucher_id,
            )
        )
        charges.extend(
            NewCharge(
                charge_id,
                case_id,
                c.invoice_id,
                c.kind.value,
                c.amount,
                day,
                letter_ids.get(case_id),
                voucher_id,
            )
            for charge_id, c in costs
        )
    uow.collection.add_charges(cid, charges)
    uow.ledger.add_many(cid, vouchers)
