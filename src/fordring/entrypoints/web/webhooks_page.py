"""Innstillinger → Webhooks: the company's webhook endpoints (docs/webhooks.md) and their
latest deliveries with their state; an endpoint added (its signing secret shown once, on
the answer to the form), disabled and enabled, a test event queued. An administrator's
only, as `fordring webhooks` and `/api/v1/webhooks` (the services refuse anyone else:
403, nothing written)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi import Path as PathParameter

from fordring import bootstrap
from fordring.domain.errors import InvalidInput
from fordring.domain.webhooks import SUBSCRIBABLE
from fordring.entrypoints.web.settings_page import problems_of, settings_page
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services import webhooks as service
from fordring.services.form_once import MAX_LENGTH, AlreadyDone, new_once
from fordring.services.ports.users import SessionUser

router = APIRouter(include_in_schema=False)

PATH = "/settings/webhooks"
RECENT = 20  # the latest deliveries shown
Id = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]


def _page(request: Request, user: SessionUser, status: int = 200, **context: Any) -> Response:
    endpoints, deliveries = service.endpoints_and_deliveries(
        scope_of(user), application(request).uow_factory, RECENT
    )
    return settings_page(
        request,
        "settings_webhooks.html",
        user,
        "webhooks",
        status,
        endpoints=endpoints,
        deliveries=deliveries,
        urls={e.id: e.url for e in endpoints},
        event_types=[t.value for t in SUBSCRIBABLE],
        form={"url": "", "events": []} | context.pop("form", {}),
        problems=context.pop("problems", {}),
        made=context.pop("made", None),
        already=context.pop("already", False),
        once=new_once(),  # the form's single-use token: sent twice, it adds one endpoint
        tested=request.query_params.get("tested"),
    )


@router.get(PATH)
def webhooks(request: Request) -> Response:
    return _page(request, user_of(request))


@router.post(PATH)
def add(
    request: Request,
    url: Annotated[str, Form()] = "",
    events: Annotated[list[str] | None, Form()] = None,
    once: Annotated[str, Form(max_length=MAX_LENGTH)] = "",
) -> Response:
    """A new enabled endpoint for the event types ticked; the answer shows its secret
    once (the receiver verifies the signatures with it). The form sent again (a reload)
    adds none and says it was added (409), without the secret."""
    user = user_of(request)
    wanted = events or []
    try:
        endpoint_id, secret = service.add_endpoint(
            scope_of(user),
            url,
            wanted,
            application(request).uow_factory,
            secrets.token_bytes,
            bootstrap.now(),
            "events",
            once or None,
        )
    except InvalidInput as invalid:
        problems = problems_of(invalid)
        form = {"url": url, "events": wanted}
        return _page(request, user, 422, form=form, problems=problems)
    except AlreadyDone:
        return _page(request, user, 409, already=True)
    return _page(request, user, made={"id": endpoint_id, "url": url, "secret": secret})


@router.post(PATH + "/{endpoint_id}/disable")
def disable(request: Request, endpoint_id: Id) -> Response:
    """Stop sending to it; its deliveries wait until it is enabled again."""
    user = user_of(request)
    reason = f"disabled by {user.email} in the portal"
    service.set_enabled(
        scope_of(user), endpoint_id, False, reason, application(request).uow_factory
    )
    return redirect(request, PATH)


@router.post(PATH + "/{endpoint_id}/enable")
def enable(request: Request, endpoint_id: Id) -> Response:
    """Send to it again, its waiting deliveries first."""
    user = user_of(request)
    service.set_enabled(scope_of(user), endpoint_id, True, "", application(request).uow_factory)
    return redirect(request, PATH)


@router.post(PATH + "/{endpoint_id}/test")
def test(request: Request, endpoint_id: Id) -> Response:
    """Queue a `webhook.test` event for this endpoint alone: it leaves with the other due
    webhooks (a worker within seconds on PostgreSQL; on SQLite the next `fordring
    webhooks send` or `fordring run`), and shows among the deliveries."""
    user = user_of(request)
    service.queue_test(scope_of(user), endpoint_id, application(request).uow_factory)
    return redirect(request, f"{PATH}?tested={endpoint_id}")
