"""`fordring deliveries list|send|retry`: the delivery queue and every attempt (SPEC D3)."""

from __future__ import annotations

from typing import Any

import click

from fordring import bootstrap
from fordring.entrypoints.cli.options import FOLDER, NUMBER, WHOLE, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.entrypoints.cli.progress import progress_bar
from fordring.services.delivery import DeliveryReport, deliver_waiting
from fordring.services.delivery_queue import list_deliveries, retry_deliveries
from fordring.services.ports import DeliveryView


@click.group()
def deliveries() -> None:
    """Documents to deliver (invoices, credit notes, letters, collection lists) and how
    each went."""


def delivery_data(view: DeliveryView) -> dict[str, Any]:
    return {
        "id": view.dispatch_id,
        "kind": view.kind,
        "document": view.document,
        "customer": view.customer_number,
        "customer_name": view.customer_name,
        "queued_on": view.queued_on,
        "state": view.state,
        "channel": view.channel,
        "post_day": view.post_day,
        "print_batch": view.print_batch,
        "attempts": [
            {"channel": a.channel, "at": a.at, "outcome": a.outcome, "detail": a.detail}
            for a in view.attempts
        ],
    }


def _human(views: list[DeliveryView]) -> str:
    if not views:
        return "No deliveries."
    rows = [
        {
            "id": v.dispatch_id,
            "document": v.document,
            "customer": (
                f"{v.customer_number} {v.customer_name}"
                if v.customer_number is not None
                else "(the creditor)"
            ),
            "queued": v.queued_on,
            "state": v.state,
            "channel": v.channel,
            "print batch": _print_batch(v),
        }
        for v in views
    ]
    columns = ["id", "document", "customer", "queued", "state", "channel", "print batch"]
    out = [table(rows, columns, {"id"})]
    for v in views:
        for a in v.attempts:
            out.append(f"  {v.dispatch_id}: {a.channel} {a.outcome}: {a.detail}")
    return "\n".join(out)


def _print_batch(view: DeliveryView) -> str:
    """Which print batch a paper document is in: "2026-03-02 #1", or the day's post it
    waits for a batch in."""
    if view.post_day is None:
        return ""
    if view.print_batch is None:
        return f"{view.post_day} (none yet)"
    return f"{view.post_day} #{view.print_batch}"


@deliveries.command("list")
@click.option("--failed", is_flag=True, help="Only documents a channel failed for.")
@click.option("--limit", type=WHOLE, default=200, show_default=True, help="The latest N.")
@pass_globals
def list_(g: Globals, failed: bool, limit: int) -> None:
    """Every queued document with its state and each attempt (channel, outcome, why)."""
    views = list_deliveries(scope_of(g), failed, limit, g.app.uow_factory)
    g.printer.emit([delivery_data(v) for v in views], _human(views))


def report_data(report: DeliveryReport) -> dict[str, Any]:
    return {
        "sent": dict(report.sent),
        "failed": report.failed,
        "print_batches": report.print_batches,
    }


def report_text(report: DeliveryReport) -> str:
    if not report.total:
        return "Nothing to deliver."
    by = ", ".join(f"{n} by {channel}" for channel, n in sorted(report.sent.items()))
    failed = f"; {report.failed} undelivered (deliveries list --failed)" if report.failed else ""
    batches = "".join(f"\nPrint batch: {where}" for where in report.print_batches)
    return f"Delivered {by or 'nothing'}{failed}{batches}"


def deliver_now(g: Globals, outbox: str | None) -> DeliveryReport:
    """Deliver every queued document of the company by the configured channels."""
    with (
        g.app.configured(outbox=outbox) as app,
        progress_bar("Delivered", g.printer.as_json) as progress,
    ):
        return deliver_waiting(
            scope_of(g), app.uow_factory, app.delivery_channels, bootstrap.now, progress=progress
        )


@deliveries.command("send")
@click.option("--outbox", type=FOLDER, default=None, help="Folder for paper (FORDRING_OUTBOX).")
@pass_globals
def send(g: Globals, outbox: str | None) -> None:
    """Deliver everything queued now (the daily run does this after each run)."""
    report = deliver_now(g, outbox)
    g.printer.emit(report_data(report), report_text(report))


@deliveries.command("retry")
@click.argument("ids", type=NUMBER, nargs=-1, required=True)
@click.option("--outbox", type=FOLDER, default=None, help="Folder for paper (FORDRING_OUTBOX).")
@pass_globals
def retry(g: Globals, ids: tuple[int, ...], outbox: str | None) -> None:
    """Queue failed deliveries again (after fixing the address) and deliver them."""
    retry_deliveries(scope_of(g), list(ids), g.app.uow_factory)
    report = deliver_now(g, outbox)
    g.printer.emit(report_data(report), report_text(report))


COMMANDS: list[click.Command] = [deliveries]
