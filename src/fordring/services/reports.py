"""Oversikt and Rapporter (issue 18): a company's receivables at a glance, the aging report
and the collection performance of a period, read in one transaction each from the
reports read model (services/ports/reports.py) and the customer ledger's aging. They write
nothing; a read-only user may see them all.

"What the next run will do" is not a dry run (a dry run of 100,000 cases takes minutes,
far too long for a page): it is the cases the next run will look at, per state, those
whose wake-up day (`wake_on`, the first day a step can apply, kept by every write that
changes a case) is on or before the next run's day (the next banking day: the run is
queued on banking days only), neither held for a rate (a line of their own), paused nor
objected. The run may find that a case waits longer (a payment came, a deadline moved),
so it is "up to" that many. docs/portal.md says so too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.calendar import next_banking_day
from fordring.domain.collection.states import OPEN_STATES, CaseState
from fordring.domain.reskontro import AGING_BUCKETS, AgingRow, empty_buckets
from fordring.services.delivery_retry import AUTO_RETRIES
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.reports import Performance
from fordring.services.reskontro import aging
from fordring.services.scope import Scope

MONTHS = 12  # the months Oversikt shows received and settled for, this one last
# The open states in the order a case goes through them (the chart's order). Closed cases
# are not counted: they are every case ever closed, a scan that grows with the years.
STATES: tuple[str, ...] = tuple(s.value for s in OPEN_STATES)
# The open states left out of the cases the next run will look at: paused or objected (a
# person resumes them; the run only closes a pause run out after 6 months).
PASSED_BY = (CaseState.PAUSED, CaseState.OBJECTED)


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month (its first day) with what was received on the receivables (in
    collection or not: DaySums.recovered) and what was settled."""

    first: date
    recovered: Decimal
    settled: Decimal


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Oversikt's figures as of `as_of` (the business day)."""

    as_of: date
    aging: dict[str, Decimal]  # open amount per aging bucket (AGING_BUCKETS' names)
    open_items: int  # invoices and charges with something open
    cases_by_state: dict[str, int]  # every state of STATES, 0 when none
    months: list[Month]  # the last MONTHS months, oldest first
    next_run_day: date
    # open cases the next run will look at, per state (none: left out); neither held,
    # paused nor objected ones
    next_run: dict[str, int]
    held: int  # open cases held until a rate they need is known (the run passes them by)
    failed_deliveries: int  # every channel failed, the hourly retry done with them
    retried_deliveries: int  # failed, the hourly retry will queue them again
    unmatched_payments: int
    unmatched_total: Decimal
    # issue 19: debtors' reported payments whose hold ran out without a payment, and cases
    # whose debtor's message waits for an answer
    lapsed_reports: int = 0
    waiting_messages: int = 0

    @property
    def open_total(self) -> Decimal:
        """The open receivables: everything open, due or not."""
        return sum(self.aging.values(), Decimal(0))

    @property
    def overdue(self) -> Decimal:
        """What is open past its due date."""
        return self.open_total - self.aging[AGING_BUCKETS[0].name]

    @property
    def open_cases(self) -> int:
        return sum(self.cases_by_state.values())


def month_start(day: date, back: int = 0) -> date:
    """The first day of `day`'s month, `back` months earlier."""
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def next_run_day(last_run: date | None, today: date) -> date:
    """The day the next run runs up to: the run is queued on banking days only and
    catches up, so it is the first banking day from today, or from the day after the
    last run when today has run."""
    if last_run is not None and last_run >= today:
        return next_banking_day(last_run + timedelta(days=1))
    return next_banking_day(today)


def dashboard(scope: Scope, uow_factory: UnitOfWorkFactory) -> Dashboard:
    """Oversikt as of the scope's business day."""
    today = scope.business_date
    first = month_start(today, MONTHS - 1)
    with uow_factory(scope) as uow:
        totals = uow.reskontro.aging(today, by_customer=False)
        run_day = next_run_day(uow.day_reads.last_run(), today)
        by_state = uow.reports.cases_by_state(run_day)
        sums = uow.reports.day_sums(first, today)
        held = uow.reports.held_cases()
        failed, retried = uow.reports.failed_deliveries(AUTO_RETRIES)
        unmatched, unmatched_total = uow.reports.unmatched_payments()
        lapsed = uow.debtor_contact.lapsed_report_count()
        waiting = uow.debtor_contact.waiting_message_count()
    buckets = totals[0].buckets if totals else empty_buckets()
    recovered: dict[date, Decimal] = {}
    settled: dict[date, Decimal] = {}
    for day, amount in sums.recovered.items():
        recovered[month_start(day)] = recovered.get(month_start(day), Decimal(0)) + amount
    for day, amount in sums.settled.items():
        settled[month_start(day)] = settled.get(month_start(day), Decimal(0)) + amount
    months = [month_start(today, back) for back in range(MONTHS - 1, -1, -1)]
    return Dashboard(
        as_of=today,
        aging=buckets,
        open_items=totals[0].count if totals else 0,
        cases_by_state={state: by_state.get(state, (0, 0))[0] for state in STATES},
        months=[Month(m, recovered.get(m, Decimal(0)), settled.get(m, Decimal(0))) for m in months],
        next_run_day=run_day,
        next_run={
            state: by_state[state][1]
            for state in STATES
            if state not in PASSED_BY and by_state.get(state, (0, 0))[1]
        },
        held=held,
        failed_deliveries=failed,
        retried_deliveries=retried,
        unmatched_payments=unmatched,
        unmatched_total=unmatched_total,
        lapsed_reports=lapsed,
        waiting_messages=waiting,
    )


@dataclass(frozen=True, slots=True)
class AgingReport:
    """The aging report as of `as_of` (the business day): the total per bucket, and per
    customer when asked (for the CSV; None on screen, where a company's thousands of
    customers do not fit)."""

    as_of: date
    total: AgingRow
    customers: list[AgingRow] | None


def aging_report(
    scope: Scope, uow_factory: UnitOfWorkFactory, *, by_customer: bool = False
) -> AgingReport:
    """Open amounts per aging bucket as of the scope's business day (the customer ledger's
    aging, as `fordring ledger open-items --aging`). Only the business day: the open
    amounts are today's, so an aging "as of" a past day would age today's amounts."""
    as_of = scope.business_date
    rows = aging(scope, as_of, by_customer, uow_factory)
    empty = AgingRow("Total", empty_buckets(), 0)
    total = rows.pop() if rows and rows[-1].label == "Total" else empty
    return AgingReport(as_of, total, rows if by_customer else None)


def performance(
    scope: Scope, first: date, last: date, uow_factory: UnitOfWorkFactory
) -> Performance:
    """Collection performance from `first` to `last` (both included)."""
    with uow_factory(scope) as uow:
        return uow.reports.performance(first, last)
