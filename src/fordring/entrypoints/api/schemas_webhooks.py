"""The webhook routes' bodies and answers (`webhooks.py`): an endpoint, its secret shown
once, a test event queued, a page of deliveries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from fordring.entrypoints.api.schemas import Strict
from fordring.services.ports.webhooks import EndpointView, WebhookDeliveryView


class EndpointIn(Strict):
    url: str = Field(description="the http or https URL the events are POSTed to")
    events: list[str] = Field(description="the event types it wants (docs/webhooks.md)")


class EndpointOut(BaseModel):
    id: int
    url: str
    events: list[str]
    enabled: bool
    disabled_reason: str = Field(description="why it is disabled (empty when enabled)")
    created_at: datetime

    @classmethod
    def of(cls, view: EndpointView) -> EndpointOut:
        return cls(
            id=view.id,
            url=view.url,
            events=list(view.events),
            enabled=view.enabled,
            disabled_reason=view.disabled_reason,
            created_at=view.created_at,
        )


class MadeEndpointOut(EndpointOut):
    secret: str | None = Field(
        description="whsec_…, to verify signatures: shown once (null in a repeat)"
    )


class EndpointList(BaseModel):
    items: list[EndpointOut]


class DisableIn(Strict):
    reason: str = Field("", max_length=500, description="why (shown in the list)")


class TestQueuedOut(BaseModel):
    queued: int = Field(description="deliveries queued (1: the endpoint's test event)")


class DeliveryOut(BaseModel):
    id: int
    endpoint: int
    message_id: str = Field(description="the `webhook-id` header the receiver got")
    type: str
    state: str = Field(description="waiting, delivered, failed, or held (its endpoint is disabled)")
    attempts: int
    next_at: datetime | None = Field(description="when a waiting one is tried next")
    last_status: int | None = Field(description="the receiver's last HTTP status")
    last_error: str
    delivered_at: datetime | None

    @classmethod
    def of(cls, view: WebhookDeliveryView) -> DeliveryOut:
        return cls(
            id=view.id,
            endpoint=view.endpoint_id,
            message_id=view.message_id,
            type=view.event_type,
            state=view.state,
            attempts=view.attempts,
            next_at=view.next_at,
            last_status=view.last_status,
            last_error=view.last_error,
            delivered_at=view.delivered_at,
        )


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_after: int | None = Field(description="pass as `after` for the next page; null: last")
