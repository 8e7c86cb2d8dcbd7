"""What the webhook service needs: a company's endpoints and deliveries (scoped), the queue
of due deliveries across companies (global), and the HTTP sender."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from fordring.domain.webhooks import WebhookType


@dataclass(frozen=True, slots=True)
class EndpointView:
    id: int
    url: str
    events: tuple[str, ...]
    enabled: bool
    disabled_reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WebhookDeliveryView:
    id: int
    endpoint_id: int
    message_id: str
    event_type: str
    state: str  # waiting, delivered, failed or held (its endpoint disabled)
    attempts: int
    next_at: datetime | None  # when a waiting one is tried next
    last_status: int | None
    last_error: str
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A delivery claimed for sending: where, what and how to sign it."""

    id: int
    company_id: int
    endpoint_id: int
    url: str
    secret: str
    message_id: str
    body: str
    attempts: int  # with this one


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What became of one claimed delivery. `state`: delivered, waiting (tried again at
    `next_at`) or failed; `disable`: the endpoint is disabled, with this reason. `attempt`:
    the delivery's attempts when claimed, so that a sender whose lease ran out (another
    claimed it since) records nothing."""

    delivery_id: int
    endpoint_id: int
    attempt: int
    state: str
    next_at: datetime | None
    status: int | None
    error: str
    at: datetime
    disable: str = ""


class WebhookRepository(Protocol):
    """One company's endpoints and deliveries."""

    def add_endpoint(
        self, url: str, secret: str, events: Sequence[WebhookType], at: datetime
    ) -> int: ...
    def endpoints(self) -> list[EndpointView]: ...
    def set_enabled(self, endpoint_id: int, enabled: bool, reason: str) -> bool:
        """False when the company has no such endpoint."""
        ...

    def delete_endpoint(self, endpoint_id: int) -> bool:
        """The endpoint, its subscriptions and deliveries gone (and the messages no other
        endpoint was to get); False when the company has no such endpoint."""
        ...

    def deliveries(
        self,
        *,
        endpoint_id: int | None,
        failed_only: bool,
        limit: int,
        after: int | None = None,
        oldest_first: bool = False,
    ) -> list[WebhookDeliveryView]:
        """`limit` deliveries by id, newest first (`after`: older than that one) or
        `oldest_first` (`after`: newer than that one): keyset pages."""
        ...

    def wants(self, kind: WebhookType) -> bool:
        """Whether an enabled endpoint of the company wants `kind` (one small read): a
        bulk path asks before it builds a batch's events."""
        ...

    def queue(
        self,
        events: Sequence[tuple[WebhookType, Mapping[str, Any] | str]],
        *,
        only_endpoint: int | None = None,
    ) -> int:
        """Write a message and its deliveries for each event some enabled endpoint wants
        (or, for a test, to `only_endpoint` whatever it wants); how many deliveries."""
        ...


class WebhookQueue(Protocol):
    """The due deliveries of every company (global)."""

    def claim_due(self, now: datetime, limit: int, until: datetime) -> list[DueDelivery]:
        """Up to `limit` waiting deliveries due at `now` of enabled endpoints, each counted
        as an attempt and not due again before `until`; none that another transaction has
        claimed and not yet committed (PostgreSQL: SKIP LOCKED)."""
        ...

    def record(self, outcomes: Sequence[DeliveryOutcome]) -> None:
        """The outcomes of claimed deliveries, each only if no later claim took it (its
        attempts are still the claim's); endpoints that answered 410 disabled."""
        ...


@dataclass(frozen=True, slots=True)
class Answer:
    """The receiver's answer: its status, or why there was none (`status` None)."""

    status: int | None
    error: str = ""


class WebhookSender(Protocol):
    def post(self, url: str, headers: Mapping[str, str], body: bytes) -> Answer:
        """POST once: no redirect followed, the configured timeout; a host that resolves to
        a private, loopback or link-local address is refused unless configured."""
        ...
