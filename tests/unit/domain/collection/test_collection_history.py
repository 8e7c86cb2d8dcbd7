"""History event kinds: one for every step the run takes, and a stored name that this
version does not know reads as a note."""

from __future__ import annotations

from decimal import Decimal

from fordring.domain.collection.case_facts import StepKind
from fordring.domain.collection.history import EventKind, amount, event_kind
from fordring.domain.collection.states import CaseEvent


def test_every_run_step_and_case_action_has_an_event_kind_of_the_same_name() -> None:
    kinds = {k.value for k in EventKind}
    assert {s.value for s in StepKind} <= kinds
    assert {e.value for e in CaseEvent} - {"remind", "notify", "list"} <= kinds


def test_an_unknown_stored_kind_reads_as_a_note() -> None:
    assert event_kind("send_notice") is EventKind.SEND_NOTICE
    assert event_kind("renamed_long_ago") is EventKind.NOTE


def test_payload_amounts_are_decimal_text_with_two_decimals() -> None:
    assert amount(Decimal(500)) == "500.00"
    assert amount(Decimal("37.5")) == "37.50"
