"""The daily run (SPEC I5): every collection step that is due, day by day, exactly once.

`run_collection(to_day)` runs each day from the day after the last run (or `to_day` when
nothing has run) up to `to_day`, one transaction per day, so a missed day is caught up and
a day is never run twice. Letters go to the paper outbox; fees are booked as charges.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.collection.steps import TUESDAY, Action, next_action
from fordring.domain.company import Company
from fordring.domain.law.fees import FeeDecision
from fordring.domain.law.tables import RateBook
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher
from fordring.services.collection import send_eligible
from fordring.services.collection_letters import build_letter
from fordring.services.collection_list import send_collection_list
from fordring.services.companies import company_id, resolve_company
from fordring.services.ports import (
    CaseDetails,
    LetterRenderer,
    Mailer,
    NewCharge,
    NewLetter,
    PaperDocument,
    PaperOutbox,
    UnitOfWork,
    UnitOfWorkFactory,
)

RUN_ACTOR = "daily run"
FEES_AND_INTEREST_TYPE = "RG"
MAX_DAYS = 400  # one run catches up at most this many days


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
) -> RunReport:
    """Run every day not yet run up to `to_day`, from the day after the last run (or from
    `from_day` when nothing has run yet); `dry_run` shows the first day and writes nothing."""
    with uow_factory() as uow:
        company = resolve_company(uow, company_orgnr)
        last = uow.collection.last_run(company_id(company))
    start = last + timedelta(days=1) if last else min(from_day, to_day)
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
                reports.append(_run_day(uow, company, day, renderer, outbox, book, mailer, dry_run))
                if dry_run:
                    break
                uow.commit()
        day += timedelta(days=1)
    return RunReport(reports, None if reports else to_day)


def _run_day(
    uow: UnitOfWork,
    company: Company,
    day: date,
    renderer: LetterRenderer,
    outbox: PaperOutbox,
    book: RateBook,
    mailer: Mailer | None,
    dry_run: bool,
) -> DayReport:
    cid = company_id(company)
    agreement = with_settings(Agreement(), uow.collection.settings(cid))
    # A dry run sends too, inside a transaction it never commits, to show the whole day.
    sent = send_eligible(uow, company, day, RUN_ACTOR) if agreement.automatic_sending else []
    actions = [
        action
        for facts in uow.collection.open_case_facts(cid)
        if (action := next_action(facts, day, agreement, book)) is not None
    ]
    details = uow.collection.case_details(cid, [a.case_id for a in actions])
    report = DayReport(
        day,
        [Done(case.number, "send_to_collection", None, None, Decimal(0)) for case in sent]
        + [
            Done(
                details[a.case_id].number,
                a.step.value,
                a.letter.value if a.letter else None,
                a.deadline.deadline if a.deadline else None,
                a.fee_total,
            )
            for a in actions
        ],
    )
    if dry_run:
        return report
    _send_letters(uow, company, agreement, day, actions, details, renderer, outbox)
    uow.collection.save_statuses([(a.case_id, a.status) for a in actions])
    uow.collection.add_event_rows(
        [(a.case_id, a.step.value, _history_text(a)) for a in actions], day, RUN_ACTOR
    )
    if day.weekday() == TUESDAY:
        send_collection_list(uow, company, agreement, day, renderer, outbox, mailer)
    uow.collection.record_run(cid, day)
    return report


def _history_text(action: Action) -> str:
    text = action.reason
    if action.deadline is not None:
        text += f"; deadline {action.deadline.deadline}"
    if action.fee_total:
        text += f"; fee {action.fee_total}"
    return text


def _send_letters(
    uow: UnitOfWork,
    company: Company,
    agreement: Agreement,
    day: date,
    actions: list[Action],
    details: dict[int, CaseDetails],
    renderer: LetterRenderer,
    outbox: PaperOutbox,
) -> None:
    with_letter = [a for a in actions if a.letter is not None]
    if not with_letter:
        return
    cid = company_id(company)
    letters = [build_letter(a, details[a.case_id], company, agreement, day) for a in with_letter]
    pdfs = renderer.render_letters(letters)
    first_letter = uow.collection.reserve_ids("case_letter", len(with_letter))
    stored: list[tuple[int, NewLetter]] = []
    charges: list[NewCharge] = []
    vouchers: list[Voucher] = []
    charged = [(a, i, d) for a in with_letter for i, d in a.fees if d.allowed and d.amount > 0]
    first_charge = uow.collection.reserve_ids("charge", len(charged)) if charged else 0
    for offset, (action, letter, pdf) in enumerate(zip(with_letter, letters, pdfs, strict=True)):
        case = details[action.case_id]
        assert action.letter is not None
        name = f"case-{case.number}-{action.letter.value}"
        location = outbox.put(
            PaperDocument(
                day,
                name,
                pdf,
                case.debtor.name,
                f"{case.debtor.street}, {case.debtor.postcode} {case.debtor.city}",
            )
        )
        letter_id = first_letter + offset
        stored.append(
            (
                letter_id,
                NewLetter(
                    action.case_id,
                    action.letter.value,
                    day,
                    action.deadline.deadline if action.deadline else None,
                    case.language,
                    action.fee_total,
                    letter.total,
                    location,
                    hashlib.sha256(pdf).hexdigest(),
                    _letter_fees(action, case),
                ),
            )
        )
    uow.collection.add_letters(stored)
    letter_of_case = {letter.case_id: letter_id for letter_id, letter in stored}
    if charged:
        vouchers, charges = _fee_vouchers(
            uow, cid, agreement, day, charged, details, letter_of_case, first_charge
        )
        uow.collection.add_charges(cid, charges)
        uow.ledger.add_many(cid, vouchers)


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


def _fee_vouchers(
    uow: UnitOfWork,
    cid: int,
    agreement: Agreement,
    day: date,
    charged: list[tuple[Action, int, FeeDecision]],
    details: dict[int, CaseDetails],
    letter_of_case: dict[int, int],
    first_charge: int,
) -> tuple[list[Voucher], list[NewCharge]]:
    """One voucher per letter: debit 1500 per fee (the charge as open item), credit fees."""
    by_case: dict[int, list[tuple[int, int, Decimal]]] = {}
    for offset, (action, invoice_id, decision) in enumerate(charged):
        by_case.setdefault(action.case_id, []).append(
            (first_charge + offset, invoice_id, decision.amount)
        )
    first_voucher = uow.ledger.reserve_ids(len(by_case))
    first_number = uow.series.take(cid, "voucher", len(by_case))
    vouchers: list[Voucher] = []
    charges: list[NewCharge] = []
    for offset, (case_id, fees) in enumerate(by_case.items()):
        case = details[case_id]
        voucher_id = first_voucher + offset
        postings = [
            Posting(RECEIVABLES, amount, case.customer_id, None, "Inkassovarselgebyr", charge_id)
            for charge_id, _, amount in fees
        ]
        total = sum((amount for _, _, amount in fees), Decimal(0))
        postings.append(Posting(agreement.fee_account, -total, text="Inkassovarselgebyr"))
        vouchers.append(
            Voucher(
                FEES_AND_INTEREST_TYPE,
                day,
                f"Gebyr inkassovarsel sak {case.number}",
                tuple(postings),
                first_number + offset,
                id=voucher_id,
            )
        )
        charges.extend(
            NewCharge(
                charge_id,
                case_id,
                invoice_id,
                "fee",
                amount,
                day,
                letter_of_case[case_id],
                voucher_id,
            )
            for charge_id, invoice_id, amount in fees
        )
    return vouchers, charges
