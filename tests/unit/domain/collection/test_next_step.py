"""What the case list shows as a case's next step and its day."""

from __future__ import annotations

from datetime import date

import pytest

from fordring.domain.collection.next_step import AUTOMATIC_HANDOVER, STEPS, NextStep, next_step
from fordring.domain.collection.states import CaseState
from fordring.domain.law.deadlines import paused_case_closes_on

DAY = date(2026, 3, 2)


def test_a_case_waiting_for_a_day_shows_it_and_one_the_next_run_takes_says_so() -> None:
    assert next_step("notified", DAY, None) == NextStep("collection_list", DAY)
    assert next_step("registered", date.min, None) == NextStep(
        "reminder_or_notice", None, next_run=True
    )
    assert next_step("listed", date.max, None) == NextStep("hand_over", None)


def test_a_paused_case_shows_the_day_it_closes_by_itself() -> None:
    assert next_step("paused", date.max, DAY) == NextStep(
        "closes_by_itself", paused_case_closes_on(DAY)
    )


@pytest.mark.parametrize("state", ["closed", "legal"])
def test_a_closed_or_legal_case_has_no_next_step(state: str) -> None:
    assert next_step(state, DAY, None) == NextStep(None, None)


def test_an_objection_waits_for_a_person_and_every_open_state_is_named() -> None:
    assert next_step("objected", DAY, None) == NextStep("objection_resolved", None)
    named = set(STEPS) | {CaseState.CLOSED, CaseState.LEGAL}
    assert named == set(CaseState)


def test_a_listed_case_waits_for_approval_unless_the_agreement_hands_over_by_itself() -> None:
    assert next_step("listed", DAY, None).step == "hand_over"
    assert next_step("listed", DAY, None, automatic_handover=True) == NextStep(
        AUTOMATIC_HANDOVER, DAY
    )
    assert next_step("notified", DAY, None, automatic_handover=True).step == "collection_list"
