"""The periodic delivery retry (issue 16): a document no channel took is queued again
and delivered, a bounded number of times, so a mail server or access point that was down
for an hour costs no operator work, and a document no channel can ever take (no postal
address) stops being tried and waits in `deliveries list --failed` (docs/delivery.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fordring.services.delivery import DeliveryReport, deliver_waiting
from fordring.services.delivery_channels import DeliveryChannels
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

AUTO_RETRIES = 3  # times a failed document is queued again without the operator
RETRY_AFTER = timedelta(hours=1)  # since its last try: an outage has time to end


@dataclass(frozen=True, slots=True)
class Retried:
    """The documents queued again (`requeued`) and what the delivery then did."""

    requeued: list[int]
    delivered: DeliveryReport | None


def companies_to_retry(
    uow_factory: UnitOfWorkFactory,
    now: Callable[[], datetime],
    *,
    most: int = AUTO_RETRIES,
    after: timedelta = RETRY_AFTER,
) -> list[int]:
    """The companies whose failed documents `retry_failed_deliveries` would queue again
    now (global: one read over every company, so the hourly tick queues a retry only
    where there is something to retry, not one job per company)."""
    with uow_factory.unscoped() as uow:
        return uow.queues.companies_with_retries_due(most, now() - after)


def retry_failed_deliveries(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    channels: DeliveryChannels,
    now: Callable[[], datetime],
    *,
    most: int = AUTO_RETRIES,
    after: timedelta = RETRY_AFTER,
) -> Retried:
    """Queue again the company's failed documents last tried `after` ago or longer and
    queued again fewer than `most` times, then deliver the queue (as `deliveries send`).
    Safe twice: a document queued again is waiting, not failed, and counted once."""
    with uow_factory(scope) as uow:
        requeued = uow.deliveries.requeue_for_retry(most, now() - after)
        uow.commit()
    if not requeued:
        return Retried([], None)
    return Retried(requeued, deliver_waiting(scope, uow_factory, channels, now))
