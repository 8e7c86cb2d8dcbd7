"""Eligibility's TIME_BARRED reason: 3 years from the due date, or from the day the
creditor says the limitation was interrupted (foreldelsesloven §§ 2, 3, 14-17, 29)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.unit.domain.collection.test_collection_eligibility import ELIGIBLE

from fordring.domain.collection.eligibility import reasons

DUE = date(2023, 3, 1)


def codes(**changes: object) -> list[str]:
    return [r.code for r in reasons(replace(ELIGIBLE, due_date=DUE, **changes))]  # type: ignore[arg-type]


def test_a_claim_is_collected_up_to_the_last_day_of_its_three_years() -> None:
    assert codes(today=date(2026, 3, 1)) == []


def test_the_day_after_it_is_time_barred_with_the_last_day_named() -> None:
    (reason,) = reasons(replace(ELIGIBLE, due_date=DUE, today=date(2026, 3, 2)))
    assert reason.code == "TIME_BARRED"
    assert "2026-03-01" in reason.text and "--limitation-interrupted" in reason.text


def test_an_interruption_starts_a_new_three_years() -> None:
    assert codes(today=date(2026, 3, 2), limitation_interrupted_on=date(2025, 1, 10)) == []
    barred = codes(today=date(2028, 1, 11), limitation_interrupted_on=date(2025, 1, 10))
    assert barred == ["TIME_BARRED"]
