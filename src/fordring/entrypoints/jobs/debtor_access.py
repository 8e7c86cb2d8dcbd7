"""The `forget_old_debtor_access` job (queue `maintenance`), daily on PostgreSQL workers:
the letters' PINs and codes kept to print longer than `AccessRules.print_within` (or of
closed cases) and the client addresses' old counts are forgotten, every company's
(services/debtor_access.py `forget_old_access`, as the day's run does). The workers
deliver letters queued by `run --via-workers`, which never runs the run's own tidying, so
without this job the PINs of an installation on workers would be kept for ever. Safe
twice: a second run finds nothing more to forget."""

from __future__ import annotations

from datetime import UTC, datetime

from procrastinate import JobContext

from fordring.entrypoints.jobs.context import application_of
from fordring.entrypoints.jobs.ticks import OSLO
from fordring.services.debtor_access import forget_old_access

CRON = "29 3 * * *"  # 03:29 UTC: at night, after forget_api_responses' 03:23


def forget_old_debtor_access(context: JobContext, timestamp: int) -> None:
    """Forget what was kept too long, the days counted from the tick's day in Oslo (a
    sync job: procrastinate runs it in a thread)."""
    at = datetime.fromtimestamp(timestamp, UTC)
    forget_old_access(application_of(context).uow_factory, at, day=at.astimezone(OSLO).date())
