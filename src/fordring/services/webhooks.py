"""Webhooks (issue 17): a company's endpoints, the deliveries of what happened to them, and
sending the due ones. The messages are written by the repositories in the transaction of
the change (the outbox); here they leave, after it committed, each delivery claimed so two
senders never send it at once and marked in a transaction of its own. A sender that dies
between sending and marking sends it again later: delivery is at least once, and the
`webhook-id` lets the receiver drop a repeat (docs/webhooks.md)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from fordring.domain import webhooks as rules
from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput, NotFound, Problem
from fordring.domain.webhooks import SUBSCRIBABLE, WebhookType
from fordring.services.form_once import claim_once
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.ports.webhooks import (
    DeliveryOutcome,
    DueDelivery,
    EndpointView,
    WebhookDeliveryView,
    WebhookSender,
)
from fordring.services.scope import Scope, require

URL_LENGTH = 2000
SENDERS = 8  # requests at once (a slow receiver holds one thread up to the timeout)
# Deliveries claimed at a time: as many as are sent at once, so each is sent as soon as it
# is claimed and its request ends well inside the lease (which is twice the timeout and
# 5 s); a bigger batch would leave the last ones waiting while their claims ran out.
BATCH = SENDERS


@dataclass(frozen=True, slots=True)
class WebhookTools:
    """What sending needs from outside; built by the bootstrap."""

    uow_factory: UnitOfWorkFactory
    sender: WebhookSender
    now: Callable[[], datetime]
    lease: timedelta  # a claimed delivery is not claimed again before this has passed
    jitter: Callable[[], float] = random.random


@dataclass(slots=True)
class SendReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    disabled: list[int] = field(default_factory=list)  # endpoints a 410 disabled

    @property
    def total(self) -> int:
        return self.delivered + self.retrying + self.failed


def check_endpoint(
    url: str, events: Sequence[str], events_field: str = "event"
) -> list[WebhookType]:
    """The event types asked for; every problem with the URL and the types at once (the
    types' problems under `events_field`: the CLI's option, the API's field)."""
    problems: list[Problem] = []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(Problem("url", "give an http:// or https:// URL with a host", "", "url"))
    elif len(url) > URL_LENGTH:
        problems.append(Problem("url", f"at most {URL_LENGTH} characters", "", "too_long"))
    known = {t.value: t for t in SUBSCRIBABLE}
    if not events:
        problems.append(Problem(events_field, "name at least one event type", "", "required"))
    for name in events:
        if name not in known:
            why = f"{name!r} is not one of {', '.join(known)}"
            problems.append(Problem(events_field, why, "", "unknown"))
    if problems:
        raise InvalidInput(problems)
    return sorted({known[name] for name in events})


def add_endpoint(
    scope: Scope,
    url: str,
    events: Sequence[str],
    uow_factory: UnitOfWorkFactory,
    random_bytes: Callable[[int], bytes],
    now: datetime,
    events_field: str = "event",
    once: str | None = None,
) -> tuple[int, str]:
    """A new enabled endpoint for the scope's company; its id and its secret (shown once:
    the receiver needs it to verify signatures). `once`: the portal form's single-use
    token (AlreadyDone, no endpoint added, if it was used)."""
    require(scope, Permission.MANAGE_WEBHOOKS)
    wanted = check_endpoint(url, events, events_field)
    secret = rules.new_secret(random_bytes(24))
    with uow_factory(scope) as uow:
        claim_once(uow, once, scope.business_date)
        endpoint_id = uow.webhooks.add_endpoint(url, secret, wanted, now)
        uow.commit()
    return endpoint_id, secret


def list_endpoints(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[EndpointView]:
    require(scope, Permission.MANAGE_WEBHOOKS)
    with uow_factory(scope) as uow:
        return uow.webhooks.endpoints()


def endpoints_and_deliveries(
    scope: Scope, uow_factory: UnitOfWorkFactory, limit: int
) -> tuple[list[EndpointView], list[WebhookDeliveryView]]:
    """The company's endpoints and its latest `limit` deliveries (to any of them), newest
    first: what the portal's page shows."""
    require(scope, Permission.MANAGE_WEBHOOKS)
    with uow_factory(scope) as uow:
        deliveries = uow.webhooks.deliveries(
            endpoint_id=None, failed_only=False, limit=limit, after=None, oldest_first=False
        )
        return uow.webhooks.endpoints(), deliveries


def show_endpoint(scope: Scope, endpoint_id: int, uow_factory: UnitOfWorkFactory) -> EndpointView:
    """One endpoint of the scope's company (NotFound if it has none of that id); Forbidden
    for a role that may not manage webhooks (its URL is the company's secret too)."""
    require(scope, Permission.MANAGE_WEBHOOKS)
    with uow_factory(scope) as uow:
        return _endpoint(uow.webhooks.endpoints(), endpoint_id)


def _endpoint(views: Sequence[EndpointView], endpoint_id: int) -> EndpointView:
    for view in views:
        if view.id == endpoint_id:
            return view
    raise NotFound("webhook endpoint", endpoint_id)


def delete_endpoint(scope: Scope, endpoint_id: int, uow_factory: UnitOfWorkFactory) -> None:
    """Remove an endpoint with its deliveries (what was sent to it is forgotten); Forbidden
    for a role that may not manage webhooks."""
    require(scope, Permission.MANAGE_WEBHOOKS)
    with uow_factory(scope) as uow:
        if not uow.webhooks.delete_endpoint(endpoint_id):
            raise NotFound("webhook endpoint", endpoint_id)
        uow.commit()


def set_enabled(
    scope: Scope, endpoint_id: int, enabled: bool, reason: str, uow_factory: UnitOfWorkFactory
) -> None:
    """Enable an endpoint (its waiting deliveries go again) or disable it, saying why."""
    require(scope, Permission.MANAGE_WEBHOOKS)
    with uow_factory(scope) as uow:
        if not uow.webhooks.set_enabled(
            endpoint_id, enabled, reason or f"disabled by {scope.actor}"
        ):
            raise NotFound("webhook endpoint", endpoint_id)
        uow.commit()


def list_deliveries(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    endpoint_id: int | None = None,
    failed_only: bool = False,
    limit: int = 200,
    after: int | None = None,
    oldest_first: bool = False,
) -> list[WebhookDeliveryView]:
    """The latest `limit` deliveries (or, `oldest_first`, those after `after` by id: the
    API's keyset pages); an endpoint the company does not have is NotFound."""
    require(scope, Permission.MANAGE_WEBHOOKS)
    with uow_factory(scope) as uow:
        if endpoint_id is not None:
            _endpoint(uow.webhooks.endpoints(), endpoint_id)
        return uow.webhooks.deliveries(
            endpoint_id=endpoint_id,
            failed_only=failed_only,
            limit=limit,
            after=after,
            oldest_first=oldest_first,
        )


def send_test(scope: Scope, endpoint_id: int, tools: WebhookTools) -> SendReport:
    """A `webhook.test` message to this endpoint alone, then every due webhook sent (it
    among them)."""
    queue_test(scope, endpoint_id, tools.uow_factory)
    return send_due(tools)


def queue_test(scope: Scope, endpoint_id: int, uow_factory: UnitOfWorkFactory) -> int:
    """A `webhook.test` message to this endpoint alone, sent with the others (a disabled
    endpoint's waits until it is enabled); how many deliveries (1)."""
    require(scope, Permission.MANAGE_WEBHOOKS)
    with uow_factory(scope) as uow:
        _endpoint(uow.webhooks.endpoints(), endpoint_id)
        data = {"endpoint": endpoint_id, "day": scope.business_date.isoformat()}
        queued = uow.webhooks.queue([(WebhookType.TEST, data)], only_endpoint=endpoint_id)
        uow.commit()
    return queued


def send_due(tools: WebhookTools) -> SendReport:
    """Send every delivery due now, of every company, until none is left: batches claimed
    in one transaction each, sent at once, their outcomes recorded in one more."""
    report = SendReport()
    with ThreadPoolExecutor(SENDERS, thread_name_prefix="webhook") as pool:
        while True:
            with tools.uow_factory.unscoped() as uow:
                now = tools.now()
                claimed = uow.webhooks.claim_due(now, BATCH, now + tools.lease)
                uow.commit()
            if not claimed:
                return report
            # The batch's requests at once; their outcomes recorded together (a sender
            # killed before that sends them again after the lease: receivers dedupe by
            # webhook-id, as Standard Webhooks has them do).
            outcomes = list(pool.map(lambda due: _send(due, tools), claimed))
            with tools.uow_factory.unscoped() as uow:
                uow.webhooks.record(outcomes)
                uow.commit()
            for outcome in outcomes:
                _count(report, outcome)


def _send(due: DueDelivery, tools: WebhookTools) -> DeliveryOutcome:
    payload = due.body.encode()
    stamp = int(tools.now().timestamp())
    answer = tools.sender.post(
        due.url, rules.headers(due.secret, due.message_id, stamp, payload), payload
    )
    at = tools.now()
    if answer.status is not None and rules.succeeded(answer.status):
        return DeliveryOutcome(
            due.id, due.endpoint_id, due.attempts, "delivered", None, answer.status, "", at
        )
    error = answer.error or f"the receiver answered {answer.status}"
    if answer.status == rules.GONE:
        why = f"the receiver answered 410 Gone at {at.isoformat(timespec='seconds')}"
        return DeliveryOutcome(
            due.id,
            due.endpoint_id,
            due.attempts,
            "failed",
            None,
            answer.status,
            error,
            at,
            disable=why,
        )
    retry = rules.next_attempt(due.attempts, at, tools.jitter())
    state = "failed" if retry is None else "waiting"
    return DeliveryOutcome(
        due.id, due.endpoint_id, due.attempts, state, retry, answer.status, error, at
    )


def _count(report: SendReport, outcome: DeliveryOutcome) -> None:
    if outcome.state == "delivered":
        report.delivered += 1
    elif outcome.state == "waiting":
        report.retrying += 1
    else:
        report.failed += 1
    if outcome.disable:
        report.disabled.append(outcome.endpoint_id)
