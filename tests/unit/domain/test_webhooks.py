"""The webhook rules: which history events are which types, the signature (Standard
Webhooks' own test vector), the body, and the retry schedule."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.collection.history import EventKind, HistoryEvent, Payload
from fordring.domain.webhooks import (
    RETRY_WAITS,
    WebhookType,
    body,
    data_json,
    new_secret,
    next_attempt,
    payment_json,
    signature,
    succeeded,
    types_of,
)

NOW = datetime(2026, 3, 24, 5, tzinfo=UTC)


def test_the_signature_matches_the_standard_webhooks_test_vector() -> None:
    assert (
        signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_notice_with_a_fee_is_a_letter_sent_and_a_fee_charged() -> None:
    payload: Payload = {"letter_id": 2, "charged": {"fee": "37.50"}, "state": "notified"}
    event = HistoryEvent(1, EventKind.SEND_NOTICE, "text", payload)
    assert types_of(event) == [WebhookType.LETTER_SENT, WebhookType.FEE_CHARGED]


def test_a_hand_over_is_handed_over_and_its_letter_and_charges() -> None:
    payload: Payload = {"letter_id": 3, "charged": {"salaer": "700.00"}}
    assert set(types_of(HistoryEvent(1, EventKind.HAND_OVER, "t", payload))) == {
        WebhookType.CASE_HANDED_OVER,
        WebhookType.LETTER_SENT,
        WebhookType.FEE_CHARGED,
    }


def test_every_way_a_case_closes_is_case_closed_and_a_message_is_nothing() -> None:
    for kind in (
        EventKind.CLOSE,
        EventKind.CLOSE_SETTLED,
        EventKind.CLOSE_EXPIRED_PAUSE,
        EventKind.CLOSE_TIME_BARRED,
        EventKind.WRITE_OFF_REMAINDER,
        EventKind.OBJECT_UPHELD,
    ):
        assert types_of(HistoryEvent(1, kind, "t")) == [WebhookType.CASE_CLOSED]
    assert types_of(HistoryEvent(1, EventKind.MESSAGE, "t")) == []


def test_the_debtors_report_and_message_are_theirs_and_an_answer_is_nothing() -> None:
    reported = HistoryEvent(1, EventKind.PAYMENT_REPORTED, "t", {"amount": "10.00"})
    assert types_of(reported) == [WebhookType.CASE_PAYMENT_REPORTED]
    wrote = HistoryEvent(1, EventKind.MESSAGE_FROM_DEBTOR, "t")
    assert types_of(wrote) == [WebhookType.CASE_MESSAGE_RECEIVED]
    assert types_of(HistoryEvent(1, EventKind.MESSAGE_TO_DEBTOR, "t")) == []
    assert types_of(HistoryEvent(1, EventKind.REPORT_HOLD_ENDED, "t")) == []


def test_the_body_is_type_timestamp_and_data_with_amounts_as_strings() -> None:
    sent = json.loads(body("fee.charged", NOW, {"payload": {"charged": {"fee": "37.50"}}}))
    assert sent == {
        "type": "fee.charged",
        "timestamp": "2026-03-24T05:00:00+00:00",
        "data": {"payload": {"charged": {"fee": "37.50"}}},
    }


def test_retries_follow_the_schedule_with_at_most_a_fifth_more_and_stop_after_eight() -> None:
    assert next_attempt(1, NOW, 0.0) == NOW + timedelta(seconds=5)
    second = next_attempt(2, NOW, 0.999)
    assert second is not None and second < NOW + timedelta(minutes=6)
    total = sum(RETRY_WAITS, timedelta())
    assert timedelta(hours=27) < total < timedelta(hours=28)
    assert next_attempt(len(RETRY_WAITS), NOW, 0.5) is not None
    assert next_attempt(len(RETRY_WAITS) + 1, NOW, 0.5) is None


def test_only_2xx_succeeds() -> None:
    assert succeeded(200) and succeeded(204)
    assert not succeeded(301) and not succeeded(410) and not succeeded(500)


def test_a_secret_is_whsec_and_base64() -> None:
    assert new_secret(bytes(24)) == "whsec_" + "A" * 32


def _payment_data(
    number: int,
    received_on: date,
    matched_on: date,
    paid: Decimal,
    matched_by: str,
    invoices: list[int],
    principal: Decimal,
    credit: Decimal,
    kid: str,
) -> dict[str, Any]:
    """What `payment_json` renders, as a dictionary (docs/webhooks.md's fields)."""
    data: dict[str, Any] = {
        "payment": number,
        "received_on": received_on.isoformat(),
        "matched_on": matched_on.isoformat(),
        "amount": f"{paid:.2f}",
        "matched_by": matched_by,
        "invoices": list(invoices),
        "principal": f"{principal:.2f}",
        "credit": f"{credit:.2f}",
    }
    if kid:
        data["kid"] = kid
    return data


@given(
    st.integers(1, 2**31),
    st.dates(date(2020, 1, 1), date(2040, 12, 31)),
    st.decimals(Decimal("0.01"), Decimal("9999999.99"), places=2),
    st.sampled_from(["invoice_kid", "case_kid", "text", "manual"]),
    st.lists(st.integers(1, 10**12), max_size=4),
    st.decimals(Decimal(0), Decimal("9999999.99"), places=2),
    st.sampled_from(["", "0000100238", "1234567897"]),
)
def test_a_payments_data_rendered_directly_is_what_json_makes_of_it(
    number: int,
    day: date,
    paid: Decimal,
    matched_by: str,
    invoices: list[int],
    credit: Decimal,
    kid: str,
) -> None:
    args = (number, day, day + timedelta(days=3), paid, matched_by, invoices, paid, credit, kid)
    rendered = payment_json(*args)
    assert rendered == data_json(_payment_data(*args))
    assert json.loads(rendered)["amount"] == f"{paid:.2f}"


def test_the_same_moment_in_another_time_zone_keeps_its_own_offset_in_the_body() -> None:
    moment = datetime(2026, 3, 24, 5, 0, 4, tzinfo=UTC)
    oslo = moment.astimezone(timezone(timedelta(hours=1)))
    assert json.loads(body("webhook.test", moment, {}))["timestamp"] == "2026-03-24T05:00:04+00:00"
    assert json.loads(body("webhook.test", oslo, {}))["timestamp"] == "2026-03-24T06:00:04+01:00"
