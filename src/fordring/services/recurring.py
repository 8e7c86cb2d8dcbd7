"""Recurring invoices (SPEC L6): adding, listing, showing and stopping agreements, and
`issue_due`, which the daily run calls inside the day's transaction to issue every due
period of every agreement of a company in one batch, each period exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.invoices import Invoice, InvoiceKind, InvoiceLine, check_invoice, due_date_for
from fordring.domain.recurring import (
    Interval,
    Period,
    RecurringAgreement,
    Status,
)
from fordring.services.issuing import Draft, issue
from fordring.services.ports import (
    IssuedPeriodRecord,
    RecurringIssue,
    StoredAgreement,
    UnitOfWork,
    UnitOfWorkFactory,
)
from fordring.services.scope import Scope


@dataclass(frozen=True, slots=True)
class NewAgreement:
    customer_number: int
    text: str  # "Husleie": the period is added on each invoice
    lines: Sequence[InvoiceLine]
    interval: Interval
    issue_day: int  # 1-28, or 31 for the month's last day
    start: date  # the first day of the first period: the 1st of a month
    end: date | None = None
    advance_months: int = 0  # 1: each period is invoiced the month before it
    terms_days: int | None = None  # None: the company's default


@dataclass(frozen=True, slots=True)
class AgreementView:
    """An agreement with what it has issued (filled by `show_agreement` only)."""

    stored: StoredAgreement
    issued: tuple[IssuedPeriodRecord, ...] = ()

    @property
    def status(self) -> Status:
        return self.stored.agreement.status(self.stored.next_period)

    @property
    def upcoming(self) -> Period | None:
        """The next period to issue, with the day it is issued."""
        return self.stored.agreement.period_at(self.stored.next_period)

    @property
    def upcoming_text(self) -> str:
        """What the next invoice will say it is for, or '' when there is none."""
        period = self.upcoming
        if period is None:
            return ""
        return self.stored.agreement.invoice_text(period, self.stored.language)


@dataclass(frozen=True, slots=True)
class StoppedAgreement:
    view: AgreementView
    # Periods that start after the stop day but were issued already (invoiced in advance):
    # they stand until credited by hand.
    issued_after: tuple[IssuedPeriodRecord, ...]


@dataclass(frozen=True, slots=True)
class IssuedPeriod:
    """One period `issue_due` issued: its invoice and what it is for."""

    invoice_id: int
    invoice_number: int
    agreement_number: int
    customer_id: int
    period_start: date
    period_end: date
    period_text: str  # "Husleie mars 2026", in the customer's language
    total: Decimal


def add_agreement(cmd: NewAgreement, scope: Scope, uow_factory: UnitOfWorkFactory) -> AgreementView:
    """Store an agreement; its periods are issued by the daily run from its first issue
    day on (a start in the past makes the next run catch up every period since)."""
    problems: list[Problem] = []
    lines, interval = cmd.lines, cmd.interval
    with uow_factory(scope) as uow:
        company = uow.company.current()
        customer = uow.customers.get(cmd.customer_number)
        if customer is None or customer.id is None:
            problems.append(Problem("customer", f"no customer number {cmd.customer_number}"))
        terms = cmd.terms_days if cmd.terms_days is not None else company.default_terms_days
        agreement: RecurringAgreement | None = None
        try:
            agreement = RecurringAgreement(
                text=cmd.text.strip(),
                lines=tuple(lines),
                interval=interval,
                issue_day=cmd.issue_day,
                start=cmd.start,
                end=cmd.end,
                advance_months=cmd.advance_months,
                terms_days=terms,
            )
        except InvalidInput as error:
            problems.extend(error.problems)
        if lines:
            problems.extend(_invoice_problems(company, tuple(lines), cmd.start))
        if problems or agreement is None or customer is None or customer.id is None:
            raise InvalidInput(problems)
        number = uow.series.take("recurring")
        uow.recurring.add(number, customer.id, agreement, agreement.first_period())
        uow.commit()
        (stored,) = uow.recurring.agreements(number)
    return AgreementView(stored)


def _invoice_problems(company: Company, lines: tuple[InvoiceLine, ...], day: date) -> list[Problem]:
    """What would stop an invoice with these lines from being issued: checked when the
    agreement is made, so the daily run never meets it."""
    probe = Invoice(
        number=1,
        kind=InvoiceKind.INVOICE,
        customer_id=0,
        issue_date=day,
        due_date=day,
        lines=lines,
        kid="0",
    )
    return check_invoice(probe, vat_registered=company.vat_registered)


def list_agreements(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[AgreementView]:
    """Every agreement of the company, by number."""
    with uow_factory(scope) as uow:
        return [AgreementView(s) for s in uow.recurring.agreements()]


def show_agreement(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> AgreementView:
    """One agreement with every period issued and its invoice."""
    with uow_factory(scope) as uow:
        stored = _one(uow, number)
        return AgreementView(stored, tuple(uow.recurring.issued(stored.id)))


def stop_agreement(
    number: int, stop_on: date, scope: Scope, uow_factory: UnitOfWorkFactory
) -> StoppedAgreement:
    """Stop an agreement on `stop_on` (the creditor's choice, not the business date): no
    period that starts after it is issued. Periods already issued are left as they are
    (the result names those that start after `stop_on`)."""
    with uow_factory(scope) as uow:
        stored = _one(uow, number, lock=True)
        if stored.agreement.stopped_on is not None:
            raise RuleViolation(
                f"agreement: recurring agreement {number} was stopped on "
                f"{stored.agreement.stopped_on}"
            )
        if stored.next_period is None:
            raise RuleViolation(
                f"agreement: recurring agreement {number} has ended; every period is issued"
            )
        stopped = stored.agreement.stopped(stop_on)
        uow.recurring.stop(stored.id, stop_on, stopped.period_at(stored.next_period))
        uow.commit()
        after = _one(uow, number)
        issued = tuple(uow.recurring.issued(stored.id))
    return StoppedAgreement(
        AgreementView(after, issued), tuple(i for i in issued if i.period_start > stop_on)
    )


def _one(uow: UnitOfWork, number: int, *, lock: bool = False) -> StoredAgreement:
    found = uow.recurring.agreements(number, lock=lock)
    if not found:
        raise InvalidInput.one("agreement", f"no recurring agreement number {number}")
    return found[0]


def issue_due(uow: UnitOfWork, company: Company, day: date) -> list[IssuedPeriod]:
    """Issue every period of the company's agreements due on or before `day`, as invoices
    dated `day`, in one batch; does not commit. Each period is issued once: the agreement's
    next period moves past it in the same transaction, and `recurring_issue`'s key refuses
    a second row. A day with nothing due costs one indexed query."""
    due = uow.recurring.due(day)
    if not due:
        return []
    drafts: list[Draft] = []
    periods: list[tuple[StoredAgreement, Period]] = []
    moves: list[tuple[int, Period | None]] = []
    for stored in due:
        agreement = stored.agreement
        found = agreement.due(stored.next_period, day)
        for period in found:
            drafts.append(
                Draft(
                    kind=InvoiceKind.INVOICE,
                    customer_id=stored.customer_id,
                    customer_name=stored.customer_name,
                    issue_date=day,
                    due_date=due_date_for(day, None, agreement.terms_days),
                    lines=agreement.lines,
                    reminder_exempt=stored.reminder_exempt,
                    where=f"recurring agreement {stored.number}",
                )
            )
            periods.append((stored, period))
        following = agreement.following(found[-1]) if found else None
        moves.append((stored.id, following if found else agreement.period_at(stored.next_period)))
    invoices = issue(uow, company, drafts)
    issued: list[IssuedPeriod] = []
    rows: list[RecurringIssue] = []
    for invoice, (stored, period) in zip(invoices, periods, strict=True):
        assert invoice.id is not None
        text = stored.agreement.invoice_text(period, stored.language)
        rows.append(RecurringIssue(stored.id, period.start, period.end, text, invoice.id))
        issued.append(
            IssuedPeriod(
                invoice.id,
                invoice.number,
                stored.number,
                stored.customer_id,
                period.start,
                period.end,
                text,
                invoice.total,
            )
        )
    uow.recurring.add_issues(rows)
    uow.recurring.set_next(moves)
    return issued
