"""Webhook endpoints, the outbox of messages and their deliveries (issue 17). `queue_events`
is the one writer of the outbox: the repositories that record a change call it in the same
transaction (case history, invoices issued, settlements, failed deliveries); it writes
nothing, and reads one small query, when no enabled endpoint of the company wants the type."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, exists, func, insert, select, update

from fordring.adapters import clock
from fordring.adapters.db.bulk import write_rows
from fordring.adapters.db.scoping import own, owned_ids
from fordring.adapters.db.tables import (
    webhook_delivery,
    webhook_endpoint,
    webhook_message,
    webhook_subscription,
)
from fordring.domain.webhooks import WebhookType, body, message_ids
from fordring.services.ports.webhooks import (
    DeliveryOutcome,
    DueDelivery,
    EndpointView,
    WebhookDeliveryView,
)

WAITING, DELIVERED, FAILED = "waiting", "delivered", "failed"
# Waiting for its endpoint to be enabled again: the claim never reads it, so a disabled
# endpoint's backlog does not lie in front of every other company's deliveries.
HELD = "held"
MESSAGE_COLUMNS = ("id", "company_id", "event_type", "created_at", "body")
DELIVERY_COLUMNS = (
    "company_id",
    "message_id",
    "endpoint_id",
    "state",
    "attempts",
    "next_at",
    "last_error",
)


# The company's enabled endpoints by event type: built once, the company bound.
_SUBSCRIBED = (
    select(webhook_subscription.c.event_type, webhook_subscription.c.endpoint_id)
    .join(
        webhook_endpoint,
        and_(
            webhook_endpoint.c.id == webhook_subscription.c.endpoint_id,
            webhook_endpoint.c.company_id == webhook_subscription.c.company_id,
        ),
    )
    .where(
        (webhook_subscription.c.company_id == bindparam("company_id")) & webhook_endpoint.c.enabled
    )
)


# Whether an enabled endpoint of the company wants an event type (bound: company_id,
# event_type): built once; invoices.py asks it inside a statement of its own.
WANTS = (
    select(webhook_subscription.c.endpoint_id)
    .join(
        webhook_endpoint,
        (webhook_endpoint.c.id == webhook_subscription.c.endpoint_id)
        & (webhook_endpoint.c.company_id == webhook_subscription.c.company_id),
    )
    .where(
        (webhook_subscription.c.company_id == bindparam("company_id"))
        & (webhook_subscription.c.event_type == bindparam("event_type"))
    )
    .where(webhook_endpoint.c.enabled)
    .limit(1)
)


def subscribed(connection: Connection, company_id: int) -> dict[str, list[int]]:
    """The company's enabled endpoints by the event type they want."""
    found: dict[str, list[int]] = {}
    for event_type, endpoint_id in connection.execute(_SUBSCRIBED, {"company_id": company_id}):
        found.setdefault(event_type, []).append(endpoint_id)
    return found


def queue_events(
    connection: Connection,
    company_id: int,
    events: Sequence[tuple[WebhookType, Mapping[str, Any] | str]],
    *,
    wanted: Mapping[str, Sequence[int]] | None = None,
) -> int:
    """A message per event some endpoint wants and a delivery per such endpoint, in two
    bulk writes whatever their number; `wanted`: the subscriptions, if the caller has read
    them; an event's data may be JSON already (`data_json`). Returns how many deliveries
    were written."""
    if not events:
        return 0
    wants = subscribed(connection, company_id) if wanted is None else wanted
    if not wants:
        return 0
    at = clock.now_in_oslo()
    # SQLite keeps no time zone: every moment is stored as UTC, in the text SQLAlchemy's
    # DateTime writes (the bulk path bypasses its type processing).
    stored: Any = _utc(at)
    if connection.dialect.name == "sqlite":
        stored = stored.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    messages: list[tuple[Any, ...]] = []
    deliveries: list[tuple[Any, ...]] = []
    ids = iter(message_ids(len(events), secrets.token_hex(10)))
    for kind, data in events:
        endpoints = wants.get(kind.value)
        if not endpoints:
            continue
        message_id = next(ids)
        messages.append((message_id, company_id, kind.value, stored, body(kind.value, at, data)))
        deliveries.extend(
            (company_id, message_id, endpoint_id, WAITING, 0, stored, "")
            for endpoint_id in endpoints
        )
    write_rows(connection, "webhook_message", MESSAGE_COLUMNS, messages)
    write_rows(connection, "webhook_delivery", DELIVERY_COLUMNS, deliveries)
    return len(deliveries)


class SqlWebhooks:
    """One company's endpoints and deliveries."""

    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def add_endpoint(
        self, url: str, secret: str, events: Sequence[WebhookType], at: datetime
    ) -> int:
        endpoint_id = int(
            self.connection.execute(
                insert(webhook_endpoint)
                .values(
                    company_id=self.company_id,
                    url=url,
                    secret=secret,
                    enabled=True,
                    disabled_reason="",
                    created_at=_utc(at),
                )
                .returning(webhook_endpoint.c.id)
            ).scalar_one()
        )
        self.connection.execute(
            insert(webhook_subscription),
            [
                {"company_id": self.company_id, "endpoint_id": endpoint_id, "event_type": e.value}
                for e in events
            ],
        )
        return endpoint_id

    def endpoints(self) -> list[EndpointView]:
        events: dict[int, list[str]] = {}
        for row in self.connection.execute(
            select(webhook_subscription.c.endpoint_id, webhook_subscription.c.event_type)
            .where(webhook_subscription.c.company_id == self.company_id)
            .order_by(webhook_subscription.c.event_type)
        ):
            events.setdefault(row.endpoint_id, []).append(row.event_type)
        rows = self.connection.execute(
            select(webhook_endpoint)
            .where(webhook_endpoint.c.company_id == self.company_id)
            .order_by(webhook_endpoint.c.id)
        )
        return [
            EndpointView(
                r.id,
                r.url,
                tuple(events.get(r.id, ())),
                bool(r.enabled),
                r.disabled_reason,
                _aware(r.created_at),
            )
            for r in rows
        ]

    def set_enabled(self, endpoint_id: int, enabled: bool, reason: str) -> bool:
        done = self.connection.execute(
            update(webhook_endpoint)
            .where(
                (webhook_endpoint.c.id == endpoint_id)
                & own(webhook_endpoint.c.company_id, self.company_id)
            )
            .values(enabled=enabled, disabled_reason="" if enabled else reason[:500])
        )
        if done.rowcount:
            hold_deliveries(
                self.connection, endpoint_id, held=not enabled, company_id=self.company_id
            )
        return bool(done.rowcount)

    def delete_endpoint(self, endpoint_id: int) -> bool:
        mine = own(webhook_endpoint.c.company_id, self.company_id)
        if not owned_ids(self.connection, webhook_endpoint, [endpoint_id], self.company_id):
            return False
        d, s, m = webhook_delivery, webhook_subscription, webhook_message
        for table in (d, s):
            self.connection.execute(
                delete(table).where(
                    (table.c.company_id == self.company_id) & (table.c.endpoint_id == endpoint_id)
                )
            )
        self.connection.execute(
            delete(webhook_endpoint).where((webhook_endpoint.c.id == endpoint_id) & mine)
        )
        # One set-based statement: the company's messages no delivery refers to any more.
        self.connection.execute(
            delete(m).where(
                (m.c.company_id == self.company_id)
                & ~exists().where((d.c.message_id == m.c.id) & (d.c.company_id == m.c.company_id))
            )
        )
        return True

    def deliveries(
        self,
        *,
        endpoint_id: int | None,
        failed_only: bool,
        limit: int,
        after: int | None = None,
        oldest_first: bool = False,
    ) -> list[WebhookDeliveryView]:
        d = webhook_delivery
        query = (
            select(d, webhook_message.c.event_type)
            .join(webhook_message, webhook_message.c.id == d.c.message_id)
            .where(d.c.company_id == self.company_id)
            .order_by(d.c.id if oldest_first else d.c.id.desc())
            .limit(limit)
        )
        if after is not None:
            query = query.where(d.c.id > after if oldest_first else d.c.id < after)
        if endpoint_id is not None:
            query = query.where(d.c.endpoint_id == endpoint_id)
        if failed_only:
            query = query.where(d.c.state == FAILED)
        return [
            WebhookDeliveryView(
                r.id,
                r.endpoint_id,
                r.message_id,
                r.event_type,
                r.state,
                r.attempts,
                _aware(r.next_at) if r.state == WAITING else None,
                r.last_status,
                r.last_error,
                _aware(r.delivered_at) if r.delivered_at is not None else None,
            )
            for r in self.connection.execute(query)
        ]

    def wants(self, kind: WebhookType) -> bool:
        given = {"company_id": self.company_id, "event_type": kind.value}
        return self.connection.execute(WANTS, given).first() is not None

    def queue(
        self,
        events: Sequence[tuple[WebhookType, Mapping[str, Any] | str]],
        *,
        only_endpoint: int | None = None,
    ) -> int:
        wanted = None
        if only_endpoint is not None:
            if not owned_ids(self.connection, webhook_endpoint, [only_endpoint], self.company_id):
                return 0
            wanted = {kind.value: [only_endpoint] for kind, _ in events}
        return queue_events(self.connection, self.company_id, events, wanted=wanted)


class SqlWebhookQueue:
    """The due deliveries of every company (the global unit of work's)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def claim_due(self, now: datetime, limit: int, until: datetime) -> list[DueDelivery]:
        d, e, m = webhook_delivery, webhook_endpoint, webhook_message
        rows = self.connection.execute(
            select(
                d.c.id,
                d.c.company_id,
                d.c.endpoint_id,
                d.c.attempts,
                e.c.url,
                e.c.secret,
                m.c.id.label("message_id"),
                m.c.body,
            )
            # the company is checked on both joins: an endpoint is sent its company's only
            .join(e, (e.c.id == d.c.endpoint_id) & (e.c.company_id == d.c.company_id))
            .join(m, (m.c.id == d.c.message_id) & (m.c.company_id == d.c.company_id))
            .where((d.c.state == WAITING) & (d.c.next_at <= _utc(now)) & e.c.enabled)
            .order_by(d.c.next_at, d.c.id)
            .limit(limit)
            .with_for_update(of=d, skip_locked=True)
        ).all()
        if not rows:
            return []
        self.connection.execute(
            update(d)
            .where(d.c.id.in_([r.id for r in rows]))
            .values(attempts=d.c.attempts + 1, next_at=_utc(until))
        )
        return [
            DueDelivery(
                r.id,
                r.company_id,
                r.endpoint_id,
                r.url,
                r.secret,
                r.message_id,
                r.body,
                r.attempts + 1,
            )
            for r in rows
        ]

    def record(self, outcomes: Sequence[DeliveryOutcome]) -> None:
        d = webhook_delivery
        rows = [
            {
                "did": o.delivery_id,
                "claimed": o.attempt,
                "new_state": o.state,
                "status": o.status,
                "error": o.error[:500],
                "next": _utc(o.next_at) if o.next_at is not None else None,
                "delivered": _utc(o.at) if o.state == DELIVERED else None,
            }
            for o in outcomes
        ]
        # Each row only if its attempts are still the claim's: a sender whose lease ran out
        # while another claimed the delivery again writes nothing over the newer outcome.
        statement = (
            update(d)
            .where((d.c.id == bindparam("did")) & (d.c.attempts == bindparam("claimed")))
            .values(
                state=bindparam("new_state"),
                last_status=bindparam("status"),
                last_error=bindparam("error"),
                next_at=func.coalesce(bindparam("next", type_=d.c.next_at.type), d.c.next_at),
                delivered_at=func.coalesce(
                    bindparam("delivered", type_=d.c.delivered_at.type), d.c.delivered_at
                ),
            )
        )
        plain = [r for r, o in zip(rows, outcomes, strict=True) if not o.disable]
        if plain:
            self.connection.execute(statement, plain)  # the batch in one statement
        for row, outcome in zip(rows, outcomes, strict=True):
            if not outcome.disable:
                continue
            # A 410 (rare): the endpoint is disabled only by the delivery's latest claim.
            if self.connection.execute(statement, row).rowcount == 1:
                self.connection.execute(
                    update(webhook_endpoint)
                    .where(webhook_endpoint.c.id == outcome.endpoint_id)
                    .values(enabled=False, disabled_reason=outcome.disable[:500])
                )
                hold_deliveries(self.connection, outcome.endpoint_id, held=True)
        again = [o.delivery_id for o in outcomes if o.state == WAITING]
        if again:
            # Tried again later, but its endpoint was disabled while it was being sent.
            disabled = select(webhook_endpoint.c.id).where(~webhook_endpoint.c.enabled)
            self.connection.execute(
                update(d)
                .where(
                    d.c.id.in_(again)
                    & (d.c.state == WAITING)
                    & d.c.endpoint_id.in_(disabled.scalar_subquery())
                )
                .values(state=HELD)
            )


def hold_deliveries(
    connection: Connection, endpoint_id: int, *, held: bool, company_id: int | None = None
) -> None:
    """The endpoint's waiting deliveries held while it is disabled (`held`), or waiting
    again, each at the time it was due, when it is enabled. `company_id`: the company's
    unit of work's (the global sender's 410 knows the endpoint only)."""
    d = webhook_delivery
    which = (d.c.endpoint_id == endpoint_id) & (d.c.state == (WAITING if held else HELD))
    if company_id is not None:
        which = which & own(d.c.company_id, company_id)
    connection.execute(update(d).where(which).values(state=HELD if held else WAITING))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back a naive moment (stored as UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
