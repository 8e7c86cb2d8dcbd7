"""A case history event: its kind (a stable name, later a webhook's type), the text people
read, and a small structured payload beside it (docs/events.md lists every kind's fields)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from fordring.domain.collection.case_facts import Action, StepKind
from fordring.domain.collection.registration import NewCase

# A payload value: a string (amounts as Decimal text, dates ISO), a whole number, a flag,
# a list of case or invoice numbers, or a small map (amounts per charge kind).
PayloadValue = str | int | bool | list[int] | dict[str, str]
Payload = Mapping[str, PayloadValue]
NO_PAYLOAD: Payload = MappingProxyType({})


class EventKind(StrEnum):
    """Every kind of history event. The values are the names stored since the first
    release (old rows keep them): never rename one, only add."""

    REGISTERED = "registered"  # a case opened for one or more invoices
    # the daily run's steps (StepKind values)
    SEND_REMINDER = "send_reminder"
    SEND_NOTICE = "send_notice"
    RENEW_NOTICE = "renew_notice"
    PUT_ON_LIST = "put_on_list"
    HAND_OVER = "hand_over"
    HEAVY_SALAER = "heavy_salaer"
    MERGE = "merge"
    SEND_STAGE_LETTER = "send_stage_letter"
    SEND_INTEREST_NOTE = "send_interest_note"
    CLOSE_SETTLED = "close_settled"
    CLOSE_EXPIRED_PAUSE = "close_expired_pause"
    CLOSE_TIME_BARRED = "close_time_barred"
    WRITE_OFF_REMAINDER = "write_off_remainder"
    HELD = "held"  # waits for a rate the tables lack
    RELEASED = "released"
    COLLECTION_LIST = "collection_list"
    # the creditor's and case handler's acts
    PAUSE = "pause"
    RESUME = "resume"
    OBJECT = "object"
    CLOSE = "close"
    OBJECT_UPHELD = "object_upheld"
    APPROVED = "approved"
    MESSAGE = "message"
    TO_LEGAL = "to_legal"
    NEW_DEMAND = "new_demand"
    ENFORCEMENT_NOTICE = "enforcement_notice"
    LIMITATION_INTERRUPTED = "limitation_interrupted"
    WRITE_OFF = "write_off"
    # money
    PAYMENT = "payment"
    PAYMENT_REVERSED = "payment_reversed"  # the bank took a payment back (issue 13)
    REOPENED = "reopened"  # a reversed payment left the claim unpaid
    REVERSAL = "reversal"  # `ledger reverse` undid a voucher that touched the case
    HANDOVER_UNDONE = "handover_undone"
    HEAVY_SALAER_UNDONE = "heavy_salaer_undone"
    # the debtor's page (issue 19)
    PAYMENT_REPORTED = "payment_reported"  # the debtor says it paid: steps held a while
    REPORT_HOLD_ENDED = "report_hold_ended"  # the bank showed it, or the hold ran out
    MESSAGE_FROM_DEBTOR = "message_from_debtor"  # the debtor wrote to the case handler
    MESSAGE_TO_DEBTOR = "message_to_debtor"  # the creditor's answer, shown to the debtor
    # issue 19: payment plans (nedbetalingsavtale) and deferrals
    PLAN_PROPOSED = "plan_proposed"  # waits for the creditor
    PLAN_ACCEPTED = "plan_accepted"  # at once, or by the creditor: the steps stop
    PLAN_REJECTED = "plan_rejected"
    PLAN_REMINDER = "plan_reminder"  # an instalment missed: paid by the deadline, or it breaks
    PLAN_BROKEN = "plan_broken"  # the case resumed its steps
    PLAN_COMPLETED = "plan_completed"
    NOTE = "note"  # a row whose kind is none of the above (none written today)


# The messages between the debtor and the creditor: what the debtor's page shows (never
# the creditor's internal notes, kind MESSAGE).
DEBTOR_THREAD = (EventKind.MESSAGE_FROM_DEBTOR, EventKind.MESSAGE_TO_DEBTOR)


class HistoryEvent(NamedTuple):
    """One history row to write: a NamedTuple, since the daily run writes them in bulk."""

    case_id: int
    kind: EventKind
    text: str
    payload: Payload = NO_PAYLOAD


_ORE = Decimal("0.01")


def amount(value: Decimal) -> str:
    """An amount in a payload: Decimal text with two decimals ("500.00"), never a float."""
    return str(value.quantize(_ORE))


def day(value: date) -> str:
    return value.isoformat()


def registered(
    case_ids: Sequence[int], cases: Sequence[NewCase], numbers: Mapping[int, int], note: str
) -> list[HistoryEvent]:
    """New cases' first events; `numbers`: invoice number by invoice id."""
    return [
        HistoryEvent(
            case_id,
            EventKind.REGISTERED,
            note,
            {"kid": case.kid, "invoices": [numbers[i] for i in case.invoice_ids]},
        )
        for case_id, case in zip(case_ids, cases, strict=True)
    ]


def state_changed(
    case_id: int, kind: EventKind, before: str, after: str, note: str, text: str
) -> HistoryEvent:
    """A case action by a person (pause, resume, object, close)."""
    payload: dict[str, PayloadValue] = {"from": before, "to": after}
    if note:
        payload["reason"] = note
    return HistoryEvent(case_id, kind, text, payload)


def approved(case_ids: Sequence[int], handover_on: date) -> list[HistoryEvent]:
    text = f"approved for collection: the run of {handover_on} sends the payment demand"
    payload: Payload = {"handover_on": handover_on.isoformat()}
    return [HistoryEvent(case_id, EventKind.APPROVED, text, payload) for case_id in case_ids]


def step_event(action: Action, text: str, letter_id: int | None) -> HistoryEvent:
    """A run step's event: the state after it, its letter and what it charged."""
    payload: dict[str, PayloadValue] = {"state": action.status.state.value}
    if action.letter_kind is not None:
        payload["letter"] = action.letter_kind.value
    if letter_id is not None:
        payload["letter_id"] = letter_id
    if action.deadline is not None:
        payload["deadline"] = action.deadline.deadline.isoformat()
    charged: dict[str, Decimal] = {}
    for cost in action.charges:
        charged[cost.kind.value] = charged.get(cost.kind.value, Decimal(0)) + cost.amount
    if charged:
        payload["charged"] = {kind: amount(total) for kind, total in charged.items()}
    if action.merged:
        payload["merged"] = list(action.merged)
    if action.collector:
        payload["collector"] = action.collector
    return HistoryEvent(action.case_id, STEP_EVENTS[action.step], text, payload)


def event_kind(stored: str) -> EventKind:
    """The kind of a stored row; NOTE for a name this version does not know."""
    try:
        return EventKind(stored)
    except ValueError:
        return EventKind.NOTE


STEP_EVENTS = {step: EventKind(step.value) for step in StepKind}
