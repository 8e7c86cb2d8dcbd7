from datetime import date

import pytest

from fordring.domain.collection.case import CaseStatus, CloseReason, apply_event
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.errors import RuleViolation

DAY = date(2026, 3, 31)


def test_pause_remembers_where_to_resume_and_when_it_closes_by_itself() -> None:
    paused = apply_event(CaseStatus(CaseState.NOTIFIED), CaseEvent.PAUSE, DAY)
    assert (paused.state, paused.resume_state, paused.paused_on) == (
        CaseState.PAUSED,
        CaseState.NOTIFIED,
        DAY,
    )
    assert paused.closes_by_itself_on() == date(2026, 9, 30)
    assert apply_event(paused, CaseEvent.RESUME, DAY) == CaseStatus(CaseState.NOTIFIED)


def test_closing_records_why() -> None:
    closed = apply_event(CaseStatus(CaseState.REGISTERED), CaseEvent.CLOSE, DAY)
    assert closed.closed_reason is CloseReason.STOPPED
    paid = apply_event(CaseStatus(CaseState.REMINDED), CaseEvent.CLOSE, DAY, CloseReason.PAID)
    assert paid.closed_reason is CloseReason.PAID


def test_an_objection_in_collection_resumes_in_collection() -> None:
    objected = apply_event(CaseStatus(CaseState.IN_COLLECTION), CaseEvent.OBJECT, DAY)
    assert apply_event(objected, CaseEvent.RESUME, DAY).state is CaseState.IN_COLLECTION


def test_a_closed_case_cannot_be_resumed() -> None:
    with pytest.raises(RuleViolation, match="a case that is closed cannot resume"):
        apply_event(CaseStatus(CaseState.CLOSED), CaseEvent.RESUME, DAY)


def test_a_case_closed_as_paid_remembers_where_it_was_and_no_other_close_does() -> None:
    notified = CaseStatus(CaseState.NOTIFIED)
    paid = apply_event(notified, CaseEvent.CLOSE, date(2026, 3, 13), CloseReason.PAID)
    assert (paid.state, paid.resume_state) == (CaseState.CLOSED, CaseState.NOTIFIED)
    stopped = apply_event(notified, CaseEvent.CLOSE, date(2026, 3, 13), CloseReason.STOPPED)
    assert stopped.resume_state is None


def test_a_plan_case_closed_as_paid_reopens_where_it_stood_before_the_plan() -> None:
    """A reversed payment reopens a paid case in the state it was closed from; the plan
    ended with the closing, so a plan's case reopens where it stood before the plan."""
    planned = apply_event(CaseStatus(CaseState.IN_COLLECTION), CaseEvent.PLAN, date(2026, 4, 17))
    assert (planned.state, planned.resume_state) == (CaseState.PLAN, CaseState.IN_COLLECTION)
    closed = apply_event(planned, CaseEvent.CLOSE, date(2026, 10, 6), CloseReason.PAID)
    assert (closed.state, closed.resume_state) == (CaseState.CLOSED, CaseState.IN_COLLECTION)


def test_a_plan_case_objected_resumes_where_it_stood_before_the_plan() -> None:
    planned = apply_event(CaseStatus(CaseState.IN_COLLECTION), CaseEvent.PLAN, DAY)
    objected = apply_event(planned, CaseEvent.OBJECT, DAY)
    assert (objected.state, objected.resume_state) == (CaseState.OBJECTED, CaseState.IN_COLLECTION)
    assert apply_event(objected, CaseEvent.RESUME, DAY).state is CaseState.IN_COLLECTION


def test_a_plan_case_paused_resumes_where_it_stood_before_the_plan() -> None:
    planned = apply_event(CaseStatus(CaseState.NOTIFIED), CaseEvent.PLAN, DAY)
    paused = apply_event(planned, CaseEvent.PAUSE, DAY)
    assert (paused.state, paused.resume_state, paused.paused_on) == (
        CaseState.PAUSED,
        CaseState.NOTIFIED,
        DAY,
    )
    assert apply_event(paused, CaseEvent.RESUME, DAY).state is CaseState.NOTIFIED


def test_a_plan_case_in_collection_cannot_pause() -> None:
    planned = apply_event(CaseStatus(CaseState.IN_COLLECTION), CaseEvent.PLAN, DAY)
    with pytest.raises(RuleViolation, match="cannot pause"):
        apply_event(planned, CaseEvent.PAUSE, DAY)


def test_a_letter_asked_for_stays_asked_for_through_a_plan() -> None:
    asked = CaseStatus(CaseState.NOTIFIED, letter_asked_on=DAY)
    planned = apply_event(asked, CaseEvent.PLAN, DAY)
    assert planned.letter_asked_on == DAY
    assert apply_event(planned, CaseEvent.RESUME, DAY) == asked
