"""A running plan's standing on a day and the plan check's step (issue 19)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.collection.payment_plan import Instalment, PlanKind
from fordring.domain.collection.plan_standing import PlanStep, RunningPlan, plan_action

PLAN = (
    Instalment(1, date(2026, 4, 1), Decimal(500)),
    Instalment(2, date(2026, 5, 4), Decimal(500)),
    Instalment(3, date(2026, 6, 1), Decimal(200)),
)


def running(owed: str, **changes: object) -> RunningPlan:
    fields: dict[str, object] = {
        "plan_id": 1,
        "case_id": 1,
        "case_number": 1,
        "kind": PlanKind.INSTALMENTS,
        "total": Decimal(1200),
        "owed": Decimal(owed),
        "paid": Decimal(1200) - Decimal(owed),
        "instalments": PLAN,
    }
    fields.update(changes)
    return RunningPlan(**fields)  # type: ignore[arg-type]


def test_nothing_happens_on_an_instalments_own_day() -> None:
    assert plan_action(running("1200"), date(2026, 4, 1)) is None


def test_an_unpaid_instalment_gets_a_reminder_the_next_banking_day_after() -> None:
    """04-01 unpaid; 04-02 to 04-06 are Easter (no post, no letter): the reminder, a
    letter, is dated 04-07 (issue 19; every letter is dated on a banking day)."""
    for day in range(2, 7):
        assert plan_action(running("1200"), date(2026, 4, day)) is None
    action = plan_action(running("1200"), date(2026, 4, 7))
    assert action is not None and action.step is PlanStep.REMIND
    assert action.missed == PLAN[0]


def test_an_unpaid_instalment_gets_a_reminder_the_day_after_when_the_post_goes() -> None:
    action = plan_action(running("700"), date(2026, 5, 5))  # 05-04 unpaid; 05-05 a Tuesday
    assert action is not None and action.step is PlanStep.REMIND


def test_a_kept_plan_needs_nothing() -> None:
    assert plan_action(running("700"), date(2026, 4, 20)) is None


def test_paid_ahead_counts_for_later_instalments() -> None:
    assert plan_action(running("100"), date(2026, 5, 5)) is None


def test_after_the_reminders_deadline_it_breaks_and_not_before() -> None:
    reminded = running("1200", reminded_for=1, reminder_deadline=date(2026, 4, 16))
    assert plan_action(reminded, date(2026, 4, 16)) is None
    action = plan_action(reminded, date(2026, 4, 17))
    assert action is not None and action.step is PlanStep.BREAK


def test_caught_up_after_a_reminder_a_later_miss_gets_its_own_reminder() -> None:
    reminded = running("700", reminded_for=1, reminder_deadline=date(2026, 4, 16))
    action = plan_action(reminded, date(2026, 5, 5))
    assert action is not None and action.step is PlanStep.REMIND
    assert action.missed == PLAN[1]


def test_a_deferral_past_its_day_unpaid_breaks_at_once() -> None:
    deferral = running(
        "1200",
        kind=PlanKind.DEFERRAL,
        instalments=(Instalment(1, date(2026, 4, 1), Decimal(1200)),),
    )
    action = plan_action(deferral, date(2026, 4, 2))
    assert action is not None and action.step is PlanStep.BREAK


def test_everything_paid_completes_it() -> None:
    action = plan_action(running("0"), date(2026, 4, 2))
    assert action is not None and action.step is PlanStep.COMPLETE


def test_every_instalment_paid_completes_it_though_interest_is_left() -> None:
    """Interest charged as the payments came leaves the case owing 12.34: the plan is kept;
    the case resumes its steps for the rest."""
    kept = running("12.34", paid=Decimal(1200))
    action = plan_action(kept, date(2026, 6, 2))
    assert action is not None and action.step is PlanStep.COMPLETE


def test_interest_charged_on_a_payment_does_not_count_against_the_debtor() -> None:
    """500 paid by 04-01, 40 of it on interest charged as it was paid: owed went down by 460
    only, yet the instalment is paid."""
    assert plan_action(running("740", paid=Decimal(500)), date(2026, 4, 20)) is None
