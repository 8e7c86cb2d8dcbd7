"""The steps around a payment plan (issue 19): a plan case is not closed as time-barred
while its plan runs (agreeing it acknowledged the debt), and a case whose plan broke gets
no heavy salær unless the agreement turns heavy_salaer_after_broken_plan on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.unit.domain.collection.test_collection_objections import BOOK, COLLECTOR, in_collection

from fordring.domain.collection.case import CaseStatus, apply_event
from fordring.domain.collection.case_facts import StepKind
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.collection.steps import next_action, wake_on


def test_a_plan_case_is_not_closed_as_time_barred_while_its_plan_runs() -> None:
    planned = apply_event(CaseStatus(CaseState.IN_COLLECTION), CaseEvent.PLAN, date(2026, 3, 1))
    facts = in_collection(planned)
    assert wake_on(facts, COLLECTOR, BOOK) == date(9999, 12, 31)  # never
    assert next_action(facts, date(2029, 1, 6), COLLECTOR, BOOK) is None


def test_a_case_whose_plan_broke_gets_heavy_salaer_only_where_the_agreement_says_so() -> None:
    broken = replace(in_collection(CaseStatus(CaseState.IN_COLLECTION)), plan_broken=True)
    day = date(2026, 4, 10)  # the demand's deadline 03-05 passed more than 28 days before
    kept = next_action(broken, day, COLLECTOR, BOOK)
    assert kept is None or kept.step is not StepKind.HEAVY_SALAER
    heavy = replace(COLLECTOR, heavy_salaer_after_broken_plan=True)
    action = next_action(broken, day, heavy, BOOK)
    assert action is not None and action.step is StepKind.HEAVY_SALAER
