"""The `forget_api_responses` job (queue `maintenance`), daily on PostgreSQL workers: the
stored responses of idempotent API requests older than `keep_responses_days`
(`FORDRING_KEEP_RESPONSES_DAYS`, default 7) are forgotten, every company's, each in its
own transaction (services/api_requests.py `forget_responses`, as `fordring apikey
forget-responses` does). Safe twice: a second run finds nothing older. On SQLite the
day's run does it (services/business_day.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from procrastinate import JobContext

from fordring.entrypoints.jobs.context import application_of
from fordring.entrypoints.jobs.ticks import OSLO
from fordring.services.api_requests import forget_responses

CRON = "23 3 * * *"  # 03:23 UTC: at night, apart from delete_old_jobs' 03:17


def forget_api_responses(context: JobContext, timestamp: int) -> None:
    """Forget the stored responses older than the days kept, counted from the tick's day
    in Oslo (a sync job: procrastinate runs it in a thread)."""
    app = application_of(context)
    day = datetime.fromtimestamp(timestamp, UTC).astimezone(OSLO).date()
    forget_responses(app.uow_factory, day, app.settings.keep_responses_days)
