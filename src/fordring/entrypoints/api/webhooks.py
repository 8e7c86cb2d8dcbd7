"""`/api/v1/webhooks`: a company's webhook endpoints, managed by an administrator's key as
`fordring webhooks` manages them: add (the `whsec_` secret shown once), list, get,
disable, enable, delete, queue a test event, and an endpoint's deliveries (keyset pages).
Each a thin call of services/webhooks.py."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fordring import bootstrap
from fordring.domain.api_access import Permission
from fordring.entrypoints.api.calls import call, json_answer
from fordring.entrypoints.api.schemas_webhooks import (
    DeliveryOut,
    DeliveryPage,
    DisableIn,
    EndpointIn,
    EndpointList,
    EndpointOut,
    MadeEndpointOut,
    TestQueuedOut,
)
from fordring.services import webhooks as service
from fordring.services.api_requests import Answer
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["webhooks"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1, description="the endpoint's id")]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="the last id seen")]


@router.post(
    "/webhooks", status_code=201, response_model=MadeEndpointOut, summary="Add an endpoint"
)
def add(body: EndpointIn, request: Request) -> Response:
    """A new enabled endpoint for the event types named; its signing secret is in this
    answer only (a repeat with the same `Idempotency-Key` answers `"secret": null`)."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        endpoint_id, secret = service.add_endpoint(
            scope, body.url, body.events, uows, secrets.token_bytes, bootstrap.now(), "events"
        )
        view = service.show_endpoint(scope, endpoint_id, uows)
        shown = MadeEndpointOut(**EndpointOut.of(view).model_dump(), secret=secret)
        kept = shown.model_copy(update={"secret": None})
        return Answer(201, shown.model_dump_json().encode(), kept=kept.model_dump_json().encode())

    return call(request, Permission.MANAGE_WEBHOOKS, work, body)


@router.get("/webhooks", response_model=EndpointList, summary="List endpoints")
def list_(request: Request) -> Response:
    """The company's endpoints by id, the events each wants, enabled or why not (never a
    secret). A company has a handful: one list."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        views = service.list_endpoints(scope, uows)
        return json_answer(EndpointList(items=[EndpointOut.of(v) for v in views]))

    return call(request, Permission.MANAGE_WEBHOOKS, work)


@router.get("/webhooks/{endpoint_id}", response_model=EndpointOut, summary="Get an endpoint")
def get(endpoint_id: Id, request: Request) -> Response:
    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(EndpointOut.of(service.show_endpoint(scope, endpoint_id, uows)))

    return call(request, Permission.MANAGE_WEBHOOKS, work)


def _enabled(request: Request, endpoint_id: int, body: DisableIn | None) -> Response:
    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        enabled, reason = body is None, body.reason if body is not None else ""
        service.set_enabled(scope, endpoint_id, enabled, reason, uows)
        return json_answer(EndpointOut.of(service.show_endpoint(scope, endpoint_id, uows)))

    return call(request, Permission.MANAGE_WEBHOOKS, work, body)


@router.post(
    "/webhooks/{endpoint_id}/disable", response_model=EndpointOut, summary="Disable an endpoint"
)
def disable(endpoint_id: Id, request: Request, body: DisableIn | None = None) -> Response:
    """Stop sending to it; its deliveries wait until it is enabled again."""
    return _enabled(request, endpoint_id, body or DisableIn(reason=""))


@router.post(
    "/webhooks/{endpoint_id}/enable", response_model=EndpointOut, summary="Enable an endpoint"
)
def enable(endpoint_id: Id, request: Request) -> Response:
    """Send to it again, its waiting deliveries first."""
    return _enabled(request, endpoint_id, None)


@router.delete("/webhooks/{endpoint_id}", status_code=204, summary="Delete an endpoint")
def delete(endpoint_id: Id, request: Request) -> Response:
    """The endpoint and what was sent to it are gone; nothing more is sent to it."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        service.delete_endpoint(scope, endpoint_id, uows)
        return Answer(204, b"")

    return call(request, Permission.MANAGE_WEBHOOKS, work)


@router.post(
    "/webhooks/{endpoint_id}/test",
    status_code=202,
    response_model=TestQueuedOut,
    summary="Send a test event",
)
def test(endpoint_id: Id, request: Request) -> Response:
    """Queue a `webhook.test` event for this endpoint alone: it leaves with the other due
    webhooks (a worker's `send_webhooks` within 5 s on PostgreSQL; on SQLite the next
    `fordring webhooks send` or `fordring run`). Its delivery shows in `/deliveries`."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(TestQueuedOut(queued=service.queue_test(scope, endpoint_id, uows)), 202)

    return call(request, Permission.MANAGE_WEBHOOKS, work)


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response_model=DeliveryPage,
    summary="An endpoint's deliveries",
)
def deliveries(
    endpoint_id: Id,
    request: Request,
    limit: Limit = 100,
    after: After = None,
    failed: Annotated[bool, Query(description="only those that failed for good")] = False,
) -> Response:
    """What was sent to the endpoint, by id (oldest first: pass the last id seen as
    `after` to read on, or to poll for new ones): state, attempts, the last answer."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = service.list_deliveries(
            scope,
            uows,
            endpoint_id=endpoint_id,
            failed_only=failed,
            limit=limit + 1,
            after=after,
            oldest_first=True,
        )
        page = [DeliveryOut.of(v) for v in found[:limit]]
        last = page[-1].id if len(found) > limit else None
        return json_answer(DeliveryPage(items=page, next_after=last))

    return call(request, Permission.MANAGE_WEBHOOKS, work)
