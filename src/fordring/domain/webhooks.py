"""Webhooks (Standard Webhooks): the event types an endpoint can subscribe to, which case
history events make which of them, the JSON body sent, its signature and the retry rules.
docs/webhooks.md describes them for integrators."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Any

from fordring.domain.collection.history import EventKind, HistoryEvent, amount
from fordring.domain.invoices import Invoice

SECRET_PREFIX = "whsec_"
MESSAGE_PREFIX = "msg_"


class WebhookType(StrEnum):
    """What an endpoint subscribes to. Never rename one (integrators match on them)."""

    CASE_REGISTERED = "case.registered"
    LETTER_SENT = "letter.sent"
    FEE_CHARGED = "fee.charged"
    PAYMENT_MATCHED = "payment.matched"
    CASE_PAUSED = "case.paused"
    CASE_RESUMED = "case.resumed"
    CASE_OBJECTED = "case.objected"
    CASE_CLOSED = "case.closed"
    CASE_HANDED_OVER = "case.handed_over"
    CASE_PAYMENT_PLAN = "case.payment_plan"  # issue 19: the payload's kind says which
    SETTLEMENT_MADE = "settlement.made"
    DELIVERY_FAILED = "delivery.failed"
    INVOICE_ISSUED = "invoice.issued"
    CASE_PAYMENT_REPORTED = "case.payment_reported"  # issue 19: the debtor says it paid
    CASE_MESSAGE_RECEIVED = "case.message_received"  # issue 19: the debtor wrote
    TEST = "webhook.test"  # `fordring webhooks test`: sent to that endpoint only


SUBSCRIBABLE = tuple(t for t in WebhookType if t is not WebhookType.TEST)

# The case history kinds that are a webhook type by themselves; a letter (`letter_id` in
# the payload) and a charge (`charged`) add theirs whatever the kind (docs/events.md).
_BY_KIND: Mapping[EventKind, WebhookType] = {
    EventKind.REGISTERED: WebhookType.CASE_REGISTERED,
    EventKind.PAYMENT: WebhookType.PAYMENT_MATCHED,
    EventKind.PAUSE: WebhookType.CASE_PAUSED,
    EventKind.RESUME: WebhookType.CASE_RESUMED,
    EventKind.OBJECT: WebhookType.CASE_OBJECTED,
    EventKind.CLOSE: WebhookType.CASE_CLOSED,
    EventKind.CLOSE_SETTLED: WebhookType.CASE_CLOSED,
    EventKind.CLOSE_EXPIRED_PAUSE: WebhookType.CASE_CLOSED,
    EventKind.CLOSE_TIME_BARRED: WebhookType.CASE_CLOSED,
    EventKind.WRITE_OFF_REMAINDER: WebhookType.CASE_CLOSED,
    EventKind.OBJECT_UPHELD: WebhookType.CASE_CLOSED,
    EventKind.HAND_OVER: WebhookType.CASE_HANDED_OVER,
    EventKind.PAYMENT_REPORTED: WebhookType.CASE_PAYMENT_REPORTED,
    EventKind.MESSAGE_FROM_DEBTOR: WebhookType.CASE_MESSAGE_RECEIVED,
    **dict.fromkeys(
        (
            EventKind.PLAN_PROPOSED,
            EventKind.PLAN_ACCEPTED,
            EventKind.PLAN_REJECTED,
            EventKind.PLAN_REMINDER,
            EventKind.PLAN_BROKEN,
            EventKind.PLAN_COMPLETED,
        ),
        WebhookType.CASE_PAYMENT_PLAN,
    ),
}


def types_of(event: HistoryEvent) -> list[WebhookType]:
    """The webhook types a case history event is: none, one or several (a notice that
    charges a fee is both `letter.sent` and `fee.charged`)."""
    found: list[WebhookType] = []
    if "letter_id" in event.payload:
        found.append(WebhookType.LETTER_SENT)
    if "charged" in event.payload:
        found.append(WebhookType.FEE_CHARGED)
    by_kind = _BY_KIND.get(event.kind)
    if by_kind is not None:
        found.append(by_kind)
    return found


def case_event_data(
    event: HistoryEvent, case_number: int, day: str, at: str, actor: str
) -> dict[str, Any]:
    """A case event's `data`: the case's number and the history row as `--json` shows it."""
    return {
        "case": case_number,
        "kind": event.kind.value,
        "day": day,
        "at": at,
        "actor": actor,
        "text": event.text,
        "payload": dict(event.payload),
    }


def invoice_data(invoice: Invoice) -> dict[str, Any]:
    """`invoice.issued`: an invoice or credit note as issued (or imported)."""
    data: dict[str, Any] = {
        "invoice": invoice.number,
        "kind": invoice.kind.value,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": invoice.due_date.isoformat(),
        "currency": invoice.currency,
        "total": amount(invoice.total),
    }
    if invoice.kid:
        data["kid"] = invoice.kid
    return data


def payment_json(
    number: int,
    received_on: date,
    matched_on: date,
    paid: Decimal,
    matched_by: str,
    invoices: Sequence[int],
    principal: Decimal,
    credit: Decimal,
    kid: str,
) -> str:
    """`payment.matched`'s data for a payment matched outside a case (an invoice paid
    before any case), as `data_json` would render it: the payment's number, when it came
    and was matched, how, the invoices it paid on, what went to their principal, what is
    the customer's credit, and its KID if any. A payment on a case is the case's history
    event instead (`case_event_data`). Rendered directly: a bank file's 100,000 payments
    each make one, and a dictionary and `json.dumps` cost three times this."""
    numbers = ",".join(str(n) for n in invoices)
    with_kid = f'"kid":{json.dumps(kid)},' if kid else ""
    return (
        f'{{"amount":"{amount(paid)}","credit":"{amount(credit)}","invoices":[{numbers}],'
        f'{with_kid}"matched_by":{json.dumps(matched_by)},'
        f'"matched_on":"{matched_on.isoformat()}","payment":{int(number)},'
        f'"principal":"{amount(principal)}","received_on":"{received_on.isoformat()}"}}'
    )


def settlement_data(
    number: int, day: date, payments: int, received: Decimal, kept: Decimal, paid_out: Decimal
) -> dict[str, Any]:
    """`settlement.made`: the collector's settlement (oppgjør) to the creditor."""
    return {
        "settlement": number,
        "day": day.isoformat(),
        "payments": payments,
        "received": amount(received),
        "kept": amount(kept),
        "paid_out": amount(paid_out),
    }


def delivery_failed_data(delivery: int, day: date, reasons: Sequence[str]) -> dict[str, Any]:
    """`delivery.failed`: every channel failed for a document (it needs a person)."""
    return {"delivery": delivery, "day": day.isoformat(), "reasons": list(reasons)}


def data_json(data: Mapping[str, Any]) -> str:
    """`data` as compact JSON, keys sorted: rendered once for the several types one history
    event may be."""
    return json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def body(kind: str, timestamp: datetime, data: Mapping[str, Any] | str) -> str:
    """The JSON body of a message (Standard Webhooks: `type`, `timestamp`, `data`; `data`
    as a mapping or as `data_json` made it), keys sorted; stored once, so every retry
    sends (and signs) the same bytes."""
    rendered = data if isinstance(data, str) else data_json(data)
    return f'{{"data":{rendered},"timestamp":{_stamp(timestamp)},"type":{_text(kind)}}}'


# A batch's messages share their moment and a few types: rendered once each, not per
# message (a bank file's 100,000 payments are one batch). The offset is part of the key:
# the same moment in Oslo and in UTC are equal datetimes but not the same text.
def _stamp(timestamp: datetime) -> str:
    return _stamp_at(timestamp, timestamp.utcoffset())


@lru_cache(maxsize=16)
def _stamp_at(timestamp: datetime, offset: timedelta | None) -> str:
    return json.dumps(timestamp.isoformat(timespec="seconds"))


@lru_cache(maxsize=64)
def _text(kind: str) -> str:
    return json.dumps(kind)


def message_ids(count: int, token: str) -> list[str]:
    """`count` webhook-ids: `msg_`, a random `token` drawn once per batch, and a number
    (one random draw per message cost more than the rest of its id)."""
    return [f"{MESSAGE_PREFIX}{token}{n:x}" for n in range(count)]


def signature(secret: str, message_id: str, timestamp: int, payload: bytes) -> str:
    """`webhook-signature`: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` keyed
    with the base64-decoded secret after `whsec_` (Standard Webhooks)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + payload
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, payload: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, payload),
    }


def new_secret(random_bytes: bytes) -> str:
    """A secret from 24 random bytes: `whsec_` and their base64."""
    return SECRET_PREFIX + base64.b64encode(random_bytes).decode()


# The waits after each failed attempt (Standard Webhooks' schedule, about a day in all);
# after the last the delivery is failed. Each wait is stretched by up to a fifth at random
# (jitter), so endpoints that failed together are not all retried at once.
RETRY_WAITS: Sequence[timedelta] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
JITTER = 0.2


def next_attempt(attempts: int, now: datetime, jitter: float) -> datetime | None:
    """When to try again after `attempts` failed ones (`jitter` in [0, 1)); None: give up."""
    if attempts > len(RETRY_WAITS):
        return None
    wait = RETRY_WAITS[attempts - 1]
    return now + wait * (1 + JITTER * jitter)


def succeeded(status: int) -> bool:
    """Only a 2xx answer counts (a redirect is not followed and is a failure)."""
    return 200 <= status < 300


GONE = 410  # the receiver says the endpoint is gone for good: it is disabled
