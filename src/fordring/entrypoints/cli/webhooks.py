"""`fordring webhooks add|list|test|deliveries|disable|enable|send`: a company's webhook
endpoints and what was sent to them (issue 17, docs/webhooks.md)."""

from __future__ import annotations

import secrets
from typing import Any

import click

from fordring import bootstrap
from fordring.domain.webhooks import SUBSCRIBABLE
from fordring.entrypoints.cli.options import NUMBER, REASON, WHOLE, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.services import webhooks as service
from fordring.services.ports.webhooks import EndpointView, WebhookDeliveryView
from fordring.services.webhooks import SendReport

EVENT_TYPES = [t.value for t in SUBSCRIBABLE]


@click.group()
def webhooks() -> None:
    """Webhook endpoints: signed HTTP POSTs of case events to another system."""


def endpoint_data(view: EndpointView) -> dict[str, Any]:
    return {
        "id": view.id,
        "url": view.url,
        "events": list(view.events),
        "enabled": view.enabled,
        "disabled_reason": view.disabled_reason,
        "created_at": view.created_at,
    }


def delivery_data(view: WebhookDeliveryView) -> dict[str, Any]:
    return {
        "id": view.id,
        "endpoint": view.endpoint_id,
        "message_id": view.message_id,
        "type": view.event_type,
        "state": view.state,
        "attempts": view.attempts,
        "next_at": view.next_at,
        "last_status": view.last_status,
        "last_error": view.last_error,
        "delivered_at": view.delivered_at,
    }


def report_data(report: SendReport) -> dict[str, Any]:
    return {
        "delivered": report.delivered,
        "retrying": report.retrying,
        "failed": report.failed,
        "disabled": report.disabled,
    }


def report_text(report: SendReport) -> str:
    if not report.total:
        return "No webhooks due."
    disabled = "".join(f"\nEndpoint {e} disabled: it answered 410 Gone" for e in report.disabled)
    return (
        f"Webhooks: {report.delivered} delivered, {report.retrying} to retry, "
        f"{report.failed} failed{disabled}"
    )


@webhooks.command("add")
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    required=True,
    metavar="TYPE",
    help=f"An event type to send (repeat for more): {', '.join(EVENT_TYPES)}.",
)
@pass_globals
def add(g: Globals, url: str, events: tuple[str, ...]) -> None:
    """Add an endpoint; its signing secret is shown once."""
    endpoint_id, secret = service.add_endpoint(
        scope_of(g), url, events, g.app.uow_factory, secrets.token_bytes, bootstrap.now()
    )
    g.printer.emit(
        {"id": endpoint_id, "url": url, "secret": secret},
        f"Endpoint {endpoint_id}: {url}\nSecret (shown once, keep it for the receiver): {secret}",
    )


@webhooks.command("list")
@pass_globals
def list_(g: Globals) -> None:
    """The company's endpoints, the events each wants, enabled or why not."""
    views = service.list_endpoints(scope_of(g), g.app.uow_factory)
    rows = [
        {
            "id": v.id,
            "url": v.url,
            "events": ", ".join(v.events),
            "state": "enabled" if v.enabled else f"disabled: {v.disabled_reason}",
        }
        for v in views
    ]
    human = table(rows, ["id", "url", "events", "state"], {"id"}) if rows else "No endpoints."
    g.printer.emit([endpoint_data(v) for v in views], human)


@webhooks.command("test")
@click.argument("endpoint_id", type=NUMBER, metavar="ID")
@pass_globals
def test(g: Globals, endpoint_id: int) -> None:
    """Send a `webhook.test` event to an endpoint now (and whatever else is due)."""
    report = service.send_test(scope_of(g), endpoint_id, g.app.webhook_tools)
    g.printer.emit(report_data(report), report_text(report))


@webhooks.command("deliveries")
@click.option("--endpoint", type=NUMBER, default=None, help="Only this endpoint's.")
@click.option("--failed", is_flag=True, help="Only those that failed for good.")
@click.option("--limit", type=WHOLE, default=200, show_default=True, help="The latest N.")
@pass_globals
def deliveries(g: Globals, endpoint: int | None, failed: bool, limit: int) -> None:
    """What was sent to the endpoints: state, attempts, the receiver's last answer."""
    views = service.list_deliveries(
        scope_of(g), g.app.uow_factory, endpoint_id=endpoint, failed_only=failed, limit=limit
    )
    rows = [
        {
            "id": v.id,
            "endpoint": v.endpoint_id,
            "type": v.event_type,
            "state": v.state,
            "attempts": v.attempts,
            "last answer": v.last_error or (str(v.last_status) if v.last_status else ""),
        }
        for v in views
    ]
    columns = ["id", "endpoint", "type", "state", "attempts", "last answer"]
    human = table(rows, columns, {"id", "endpoint", "attempts"}) if rows else "No deliveries."
    g.printer.emit([delivery_data(v) for v in views], human)


@webhooks.command("disable")
@click.argument("endpoint_id", type=NUMBER, metavar="ID")
@click.option("--reason", type=REASON, default="", help="Why (shown by `webhooks list`).")
@pass_globals
def disable(g: Globals, endpoint_id: int, reason: str) -> None:
    """Stop sending to an endpoint; its deliveries wait until it is enabled again."""
    service.set_enabled(scope_of(g), endpoint_id, False, reason, g.app.uow_factory)
    g.printer.emit({"id": endpoint_id, "enabled": False}, f"Endpoint {endpoint_id} disabled.")


@webhooks.command("enable")
@click.argument("endpoint_id", type=NUMBER, metavar="ID")
@pass_globals
def enable(g: Globals, endpoint_id: int) -> None:
    """Send to an endpoint again, its waiting deliveries first."""
    service.set_enabled(scope_of(g), endpoint_id, True, "", g.app.uow_factory)
    g.printer.emit({"id": endpoint_id, "enabled": True}, f"Endpoint {endpoint_id} enabled.")


@webhooks.command("send")
@pass_globals
def send(g: Globals) -> None:
    """Send every due webhook now, of every company (a worker does this every 5 s)."""
    report = service.send_due(g.app.webhook_tools)
    g.printer.emit(report_data(report), report_text(report))


COMMANDS: list[click.Command] = [webhooks]
