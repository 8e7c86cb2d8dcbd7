import pytest

from fordring.domain.collection.states import PLAN_FROM, CaseEvent, CaseState, next_state
from fordring.domain.errors import RuleViolation


def test_the_main_flow() -> None:
    state = CaseState.REGISTERED
    for event in (
        CaseEvent.REMIND,
        CaseEvent.NOTIFY,
        CaseEvent.LIST,
        CaseEvent.HAND_OVER,
        CaseEvent.TO_LEGAL,
        CaseEvent.CLOSE,
    ):
        state = next_state(state, event)
    assert state is CaseState.CLOSED


def test_a_paused_case_resumes_where_it_was() -> None:
    assert next_state(CaseState.PAUSED, CaseEvent.RESUME, CaseState.NOTIFIED) is CaseState.NOTIFIED


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (CaseState.CLOSED, CaseEvent.RESUME),
        (CaseState.IN_COLLECTION, CaseEvent.PAUSE),
        (CaseState.CLOSED, CaseEvent.CLOSE),
        (CaseState.REGISTERED, CaseEvent.HAND_OVER),
        (CaseState.LEGAL, CaseEvent.OBJECT),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_message(
    state: CaseState, event: CaseEvent
) -> None:
    with pytest.raises(RuleViolation, match=f"a case that is {state} cannot"):
        next_state(state, event)


def test_in_collection_only_closing_objection_or_a_payment_plan_is_allowed() -> None:
    allowed = []
    for event in CaseEvent:
        try:
            next_state(CaseState.IN_COLLECTION, event)
        except RuleViolation:
            continue
        allowed.append(event)
    assert allowed == [CaseEvent.TO_LEGAL, CaseEvent.OBJECT, CaseEvent.CLOSE, CaseEvent.PLAN]


def test_a_broken_plan_resumes_the_state_the_case_left() -> None:
    for state in PLAN_FROM:
        assert next_state(CaseState.PLAN, CaseEvent.RESUME, state) is state
    with pytest.raises(RuleViolation):
        next_state(CaseState.PLAN, CaseEvent.REMIND)
