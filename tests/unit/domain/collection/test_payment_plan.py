"""The payment plan's schedule, limits and decision (issue 19)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fordring.domain.calendar import is_banking_day
from fordring.domain.collection.agreement import Agreement, PlanAutomatic, parse_settings
from fordring.domain.collection.payment_plan import (
    MAX_INSTALMENTS,
    Outcome,
    PlanFacts,
    PlanKind,
    Proposal,
    decide,
    month_later,
    schedule,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import InvalidInput

TODAY = date(2026, 3, 2)


def facts(**changes: object) -> PlanFacts:
    base = PlanFacts(
        CaseState.NOTIFIED, Decimal("3000.00"), False, False, False, Agreement(), TODAY
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def instalments(count: int, first: date = TODAY + timedelta(days=7)) -> Proposal:
    return Proposal(PlanKind.INSTALMENTS, first, count=count)


def test_six_instalments_pay_exactly_what_is_owed_the_last_taking_the_remainder() -> None:
    plan = schedule(Decimal("3001.00"), instalments(6, date(2026, 4, 10)))
    assert [i.amount for i in plan] == [Decimal(501)] * 5 + [Decimal("496.00")]
    assert sum(i.amount for i in plan) == Decimal("3001.00")
    assert [i.seq for i in plan] == [1, 2, 3, 4, 5, 6]


def test_instalments_fall_a_month_apart_on_banking_days() -> None:
    plan = schedule(Decimal(3000), instalments(3, date(2026, 1, 31)))
    # 31 Jan 2026 is a Saturday: Monday 2 Feb; 28 Feb a Saturday: Monday 2 Mar; 31 Mar Tue
    assert [i.due_on for i in plan] == [date(2026, 2, 2), date(2026, 3, 2), date(2026, 3, 31)]


def test_an_instalment_amount_gives_the_count() -> None:
    plan = schedule(Decimal(1250), Proposal(PlanKind.INSTALMENTS, TODAY, amount=Decimal(500)))
    assert [i.amount for i in plan] == [Decimal(500), Decimal(500), Decimal(250)]


def test_a_count_that_does_not_match_the_amount_is_refused() -> None:
    proposal = Proposal(PlanKind.INSTALMENTS, TODAY, count=2, amount=Decimal(500))
    with pytest.raises(InvalidInput, match="count"):
        schedule(Decimal(1250), proposal)


def test_a_deferral_is_one_payment_of_everything_on_its_day() -> None:
    plan = schedule(Decimal("812.50"), Proposal(PlanKind.DEFERRAL, date(2026, 3, 20)))
    assert [(i.due_on, i.amount) for i in plan] == [(date(2026, 3, 20), Decimal("812.50"))]


@pytest.mark.parametrize(
    ("kind", "count", "amount"),
    [
        (PlanKind.INSTALMENTS, None, None),
        (PlanKind.INSTALMENTS, 1, None),
        (PlanKind.INSTALMENTS, None, Decimal("-5")),
        (PlanKind.INSTALMENTS, None, Decimal("1.001")),
        (PlanKind.DEFERRAL, 3, None),
    ],
)
def test_a_malformed_proposal_is_refused_naming_the_field(
    kind: PlanKind, count: int | None, amount: Decimal | None
) -> None:
    with pytest.raises(InvalidInput) as refused:
        Proposal(kind, TODAY, count, amount)
    assert {p.field for p in refused.value.problems} <= {"count", "amount"}


def test_inside_the_limits_a_consumers_plan_is_accepted_at_once() -> None:
    decision, plan = decide(instalments(6), facts())
    assert decision.outcome is Outcome.ACCEPTED and not decision.reasons
    assert len(plan) == 6


def test_outside_the_limits_it_waits_for_the_creditor_with_every_reason() -> None:
    decision, plan = decide(instalments(12), facts(business=True))
    assert decision.outcome is Outcome.WAITING
    assert {r.code for r in decision.reasons} == {
        "NOT_AUTOMATIC",
        "TOO_LONG",
        "INSTALMENT_TOO_SMALL",
    }
    assert sum(i.amount for i in plan) == Decimal(3000)


def test_a_deferral_longer_than_the_agreement_allows_waits() -> None:
    late = Proposal(PlanKind.DEFERRAL, TODAY + timedelta(days=31))
    assert decide(late, facts())[0].outcome is Outcome.WAITING
    soon = Proposal(PlanKind.DEFERRAL, TODAY + timedelta(days=30))
    assert decide(soon, facts())[0].outcome is Outcome.ACCEPTED


def test_a_case_whose_plan_broke_before_waits_for_the_creditor() -> None:
    decision, _ = decide(instalments(3), facts(broken_before=True))
    assert [r.code for r in decision.reasons] == ["BROKEN_BEFORE"]


def test_the_agreement_can_give_nobody_a_plan_at_once() -> None:
    agreement = replace(Agreement(), plan_automatic=PlanAutomatic.NONE)
    assert decide(instalments(3), facts(agreement=agreement))[0].outcome is Outcome.WAITING


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"state": CaseState.CLOSED}, "CASE_STATE"),
        ({"state": CaseState.OBJECTED}, "CASE_STATE"),
        ({"state": CaseState.PLAN}, "PLAN_OPEN"),
        ({"open_plan": True}, "PLAN_OPEN"),
        ({"owed": Decimal(0)}, "NOTHING_OWED"),
    ],
)
def test_a_plan_that_cannot_be_agreed_is_refused(changes: dict[str, object], code: str) -> None:
    decision, plan = decide(instalments(3), facts(**changes))
    assert decision.outcome is Outcome.REFUSED and plan == ()
    assert code in {r.code for r in decision.reasons}


def test_a_first_date_in_the_past_is_refused() -> None:
    decision, _ = decide(instalments(3, TODAY - timedelta(days=1)), facts())
    assert [r.code for r in decision.reasons] == ["FIRST_DATE_PAST"]


def test_the_plan_settings_are_read_and_bounded() -> None:
    change = parse_settings({"plan_automatic": "all", "plan_max_months": "12"})
    assert change.values == {"plan_automatic": PlanAutomatic.ALL, "plan_max_months": 12}
    with pytest.raises(InvalidInput) as refused:
        parse_settings({"plan_max_months": "61", "plan_reminder_days": "3"})
    assert {p.field for p in refused.value.problems} == {"plan_max_months", "plan_reminder_days"}


def test_month_later_keeps_the_day_or_takes_the_months_last() -> None:
    assert month_later(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert month_later(date(2026, 11, 15), 3) == date(2027, 2, 15)


@given(
    owed=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("500000"), places=2),
    count=st.integers(min_value=2, max_value=60),
    first=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
)
def test_a_schedule_sums_to_what_is_owed_with_rising_dates(
    owed: Decimal, count: int, first: date
) -> None:
    plan = schedule(owed, instalments(count, first))
    assert sum(i.amount for i in plan) == owed
    assert all(i.amount > 0 for i in plan)
    assert all(a.due_on < b.due_on for a, b in pairwise(plan))
    assert all(is_banking_day(i.due_on) for i in plan)
    assert len(plan) <= count


@given(
    owed=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("100000"), places=2),
    least=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("5000"), places=2),
)
def test_every_instalment_but_the_last_is_at_least_the_amount_asked(
    owed: Decimal, least: Decimal
) -> None:
    assume(owed <= least * MAX_INSTALMENTS)
    proposal = Proposal(PlanKind.INSTALMENTS, TODAY, amount=least)
    plan = schedule(owed, proposal, move=False)
    assert sum(i.amount for i in plan) == owed
    assert all(i.amount == least for i in plan[:-1])
    assert plan[-1].amount <= least
