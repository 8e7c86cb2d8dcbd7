"""A payment plan (nedbetalingsavtale) or deferral (betalingsutsettelse) a debtor proposes
(issue 19): its instalment schedule, and whether it is accepted at once, waits for the
creditor or is refused, with every reason (like eligibility.py's).

The schedule covers what the case owes on the day (principal and booked costs) plus the
payment-plan addition where the law gives one (plan_law.py): instalments a month apart from
the first date, each moved to a banking day as a letter's deadline is, the last taking the
remainder so the sum is exactly what is owed.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from fordring.domain.calendar import next_banking_day
from fordring.domain.collection.agreement import Agreement, PlanAutomatic
from fordring.domain.collection.eligibility import Reason
from fordring.domain.collection.states import PLAN_FROM, CaseState
from fordring.domain.errors import InvalidInput, Problem

ORE = Decimal("0.01")
MAX_INSTALMENTS = 120  # ten years a month: beyond any plan the creditor would agree
FIRST_WITHIN_DAYS = 31  # the first instalment accepted at once: within a month


class PlanKind(StrEnum):
    INSTALMENTS = "instalments"  # nedbetalingsavtale
    DEFERRAL = "deferral"  # betalingsutsettelse: all of it on a later day


class PlanState(StrEnum):
    PROPOSED = "proposed"  # waits for the creditor
    RUNNING = "running"  # accepted: the case's steps stop while it is kept
    REJECTED = "rejected"
    BROKEN = "broken"  # an instalment missed after its reminder: the case resumed
    COMPLETED = "completed"  # everything paid


OPEN_PLAN_STATES = (PlanState.PROPOSED, PlanState.RUNNING)


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # inside the agreement's limits: runs at once
    WAITING = "waiting"  # outside them: the creditor decides
    REFUSED = "refused"  # cannot be agreed at all (nothing is written)


@dataclass(frozen=True, slots=True)
class Proposal:
    """Instalments (a count, or an instalment amount, or both) from a first date, or a
    deferral to a later date (`first_date`)."""

    kind: PlanKind
    first_date: date
    count: int | None = None
    amount: Decimal | None = None

    def __post_init__(self) -> None:
        problems: list[Problem] = []
        if self.kind is PlanKind.INSTALMENTS:
            if self.count is None and self.amount is None:
                problems.append(Problem("count", "give the number of instalments or an amount"))
            if self.count is not None and not 2 <= self.count <= MAX_INSTALMENTS:
                reason = f"must be 2-{MAX_INSTALMENTS} instalments (one is a deferral)"
                problems.append(Problem("count", reason, code="out_of_range"))
            if self.amount is not None and (self.amount <= 0 or self.amount != _ore(self.amount)):
                problems.append(Problem("amount", "must be a positive amount in øre"))
        elif self.count not in (None, 1) or self.amount is not None:
            problems.append(Problem("count", "a deferral has no instalments: give only a date"))
        if problems:
            raise InvalidInput(problems)


@dataclass(frozen=True, slots=True)
class Instalment:
    seq: int  # 1, 2, ...
    due_on: date
    amount: Decimal


def _ore(amount: Decimal) -> Decimal:
    return amount.quantize(ORE)


def month_later(first: date, months: int) -> date:
    """`first` moved `months` months on, the day kept or the month's last day."""
    index = first.month - 1 + months
    year, month = first.year + index // 12, index % 12 + 1
    return date(year, month, min(first.day, calendar.monthrange(year, month)[1]))


def instalment_count(owed: Decimal, proposal: Proposal) -> int:
    """The number of instalments: as proposed, or what the proposed amount takes."""
    if proposal.kind is PlanKind.DEFERRAL:
        return 1
    if proposal.amount is None:
        assert proposal.count is not None  # Proposal checks one is given
        return proposal.count
    needed = int((owed / proposal.amount).to_integral_value(rounding=ROUND_CEILING))
    if proposal.count is not None and proposal.count != needed:
        reason = f"{proposal.count} instalments of {proposal.amount} do not pay {owed}"
        raise InvalidInput.one("count", f"{reason}: {needed} do", code="does_not_match")
    return max(needed, 1)


def schedule(owed: Decimal, proposal: Proposal, *, move: bool = True) -> tuple[Instalment, ...]:
    """The instalments paying exactly `owed`: equal ones (the proposed amount, or `owed` over
    the count rounded up to the krone) and a last one with the remainder; a month apart from
    the first date, each on the next banking day when `move` (the agreement's
    move_deadlines) and the day is none."""
    if owed <= 0 or owed != _ore(owed):
        raise InvalidInput.one("amount", f"nothing to plan: {owed} is owed")
    count = instalment_count(owed, proposal)
    if count > MAX_INSTALMENTS:
        reason = f"{count} instalments; at most {MAX_INSTALMENTS}"
        raise InvalidInput.one("amount", reason, code="out_of_range")
    each = proposal.amount or (owed / count).to_integral_value(rounding=ROUND_CEILING)
    amounts: list[Decimal] = []
    left = owed
    for _ in range(count - 1):
        part = min(each, left)
        amounts.append(part)
        left -= part
    amounts.append(left)
    amounts = [a for a in amounts if a > 0]  # the rounding up may pay it off early
    days = [month_later(proposal.first_date, i) for i in range(len(amounts))]
    if move:
        days = [next_banking_day(d) for d in days]
    return tuple(
        Instalment(i + 1, d, a) for i, (d, a) in enumerate(zip(days, amounts, strict=True))
    )


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """What deciding a proposal needs to know about its case."""

    state: CaseState
    owed: Decimal  # principal and booked costs open today
    business: bool  # the debtor is a business
    open_plan: bool  # a plan is already proposed or running on the case
    broken_before: bool  # a plan or deferral of the case broke
    agreement: Agreement
    today: date


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reasons: tuple[Reason, ...]  # why it waits or is refused; empty when accepted


Check = Callable[[Proposal, tuple[Instalment, ...], PlanFacts], Reason | None]


def case_state(_p: Proposal, _s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    if f.state not in PLAN_FROM and f.state is not CaseState.PLAN:
        return Reason("CASE_STATE", f"a case that is {f.state} cannot get a payment plan")
    return None


def already_open(_p: Proposal, _s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    if f.open_plan or f.state is CaseState.PLAN:
        return Reason("PLAN_OPEN", "the case already has a payment plan proposed or running")
    return None


def nothing_owed(_p: Proposal, _s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    if f.owed <= 0:
        return Reason("NOTHING_OWED", "nothing is owed on the case")
    return None


def first_date_past(p: Proposal, _s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    if p.first_date < f.today:
        return Reason("FIRST_DATE_PAST", f"the first date {p.first_date} has passed")
    return None


REFUSALS: tuple[Check, ...] = (case_state, already_open, nothing_owed, first_date_past)


def who(_p: Proposal, _s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    allowed = f.agreement.plan_automatic
    kind = PlanAutomatic.BUSINESSES if f.business else PlanAutomatic.CONSUMERS
    if allowed not in (PlanAutomatic.ALL, kind):
        debtor = "business" if f.business else "consumer"
        return Reason("NOT_AUTOMATIC", f"the agreement gives no {debtor} a plan at once")
    return None


def too_many(p: Proposal, s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    most = f.agreement.plan_max_months
    if p.kind is PlanKind.INSTALMENTS and len(s) > most:
        return Reason("TOO_LONG", f"{len(s)} instalments; at most {most} at once")
    return None


def too_small(p: Proposal, s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    least = f.agreement.plan_min_instalment
    if p.kind is PlanKind.INSTALMENTS and len(s) > 1 and s[0].amount < least:
        return Reason("INSTALMENT_TOO_SMALL", f"{s[0].amount} a month; at least {least}")
    return None


def too_late(p: Proposal, _s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    if p.kind is PlanKind.DEFERRAL:
        most = f.agreement.deferral_max_days
        if p.first_date > f.today + timedelta(days=most):
            return Reason("DEFERRAL_TOO_LONG", f"later than {most} days from today")
    elif p.first_date > f.today + timedelta(days=FIRST_WITHIN_DAYS):
        return Reason(
            "FIRST_DATE_LATE", f"the first instalment later than {FIRST_WITHIN_DAYS} days"
        )
    return None


def broke_before(_p: Proposal, _s: tuple[Instalment, ...], f: PlanFacts) -> Reason | None:
    if f.broken_before:
        return Reason("BROKEN_BEFORE", "an earlier plan or deferral of the case broke")
    return None


WAITS: tuple[Check, ...] = (who, too_many, too_small, too_late, broke_before)


def decide(proposal: Proposal, facts: PlanFacts) -> tuple[Decision, tuple[Instalment, ...]]:
    """Refused (with every reason), waiting for the creditor (with every limit it passes)
    or accepted at once; with the schedule over what is owed (empty when refused)."""
    refused = tuple(r for check in REFUSALS if (r := check(proposal, (), facts)) is not None)
    if refused:
        return Decision(Outcome.REFUSED, refused), ()
    instalments = schedule(facts.owed, proposal, move=facts.agreement.move_deadlines)
    waits = tuple(r for check in WAITS if (r := check(proposal, instalments, facts)) is not None)
    return Decision(Outcome.WAITING if waits else Outcome.ACCEPTED, waits), instalments
