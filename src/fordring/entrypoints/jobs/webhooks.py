"""The `send_webhooks` job (queue `maintenance`), every 5 s on PostgreSQL workers: every
company's due webhook deliveries (services/webhooks.py `send_due`). Safe twice and on many
workers at once: each delivery is claimed (SKIP LOCKED) before its request and marked after
it; the queueing lock keeps one tick waiting at a time. On the schedule (schedule.py)."""

from __future__ import annotations

from procrastinate import JobContext

from fordring.entrypoints.jobs.context import application_of
from fordring.services.webhooks import send_due

EVERY = "* * * * * */5"  # the 6th field is seconds: an event waits about 5 s at most


def send_webhooks(context: JobContext, timestamp: int) -> None:
    """Send every due webhook (a sync job: procrastinate runs it in a thread)."""
    send_due(application_of(context).webhook_tools)
