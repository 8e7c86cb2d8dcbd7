"""The periodic delivery retry (services/delivery_retry.py): a failed document is queued
again an hour after its last try and delivered; at most AUTO_RETRIES times, then it waits
for the operator (`deliveries retry`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from tests import builders
from tests.integration.test_delivery import Renderer, _now

from fordring.adapters.paper_outbox import FolderOutbox
from fordring.services.delivery import deliver_waiting
from fordring.services.delivery_channels import DeliveryChannels
from fordring.services.delivery_queue import list_deliveries, retry_deliveries
from fordring.services.delivery_retry import (
    AUTO_RETRIES,
    companies_to_retry,
    retry_failed_deliveries,
)
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration


def _failed_invoice(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> tuple[Renderer, DeliveryChannels, int]:
    """One invoice whose PDF cannot be made (as an outage would leave it): failed."""
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    number = builders.invoice(uow_factory, customer).invoice.number
    from fordring.services.invoice_documents import send_invoices

    send_invoices(builders.scope(uow_factory), [number], uow_factory, builders.PIN_KEY)
    renderer = Renderer(broken=number)
    channels = DeliveryChannels(renderer, renderer, FolderOutbox(tmp_path))
    report = deliver_waiting(builders.scope(uow_factory), uow_factory, channels, _now)
    assert report.failed == 1
    return renderer, channels, number


def _at(hours: float) -> datetime:
    return _now() + timedelta(hours=hours)


def test_a_failed_document_is_delivered_by_the_retry_an_hour_later(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    renderer, channels, number = _failed_invoice(uow_factory, tmp_path)
    scope = builders.scope(uow_factory)
    (failed,) = list_deliveries(scope, True, 10, uow_factory)
    too_soon = retry_failed_deliveries(scope, uow_factory, channels, lambda: _at(0.5))
    assert too_soon.requeued == [] and too_soon.delivered is None
    renderer.broken = -1  # the outage is over
    done = retry_failed_deliveries(scope, uow_factory, channels, lambda: _at(1))
    assert done.requeued == [failed.dispatch_id]
    assert done.delivered is not None and dict(done.delivered.sent) == {"paper": 1}
    (sent,) = list_deliveries(scope, True, 10, uow_factory)  # a channel failed for it once
    assert (sent.state, sent.channel) == ("sent", "paper")
    # Run again (a second scheduler, a retried job): nothing failed, nothing sent twice.
    again = retry_failed_deliveries(scope, uow_factory, channels, lambda: _at(2))
    assert again.requeued == [] and again.delivered is None
    assert sorted(p.name for p in tmp_path.rglob("invoice-*.pdf")) == [f"invoice-{number}.pdf"]


def test_a_document_no_channel_takes_is_retried_a_bounded_number_of_times(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    _, channels, _ = _failed_invoice(uow_factory, tmp_path)
    scope = builders.scope(uow_factory)
    (failed,) = list_deliveries(scope, True, 10, uow_factory)
    for hour in range(1, AUTO_RETRIES + 1):
        tried = retry_failed_deliveries(scope, uow_factory, channels, partial(_at, hour))
        assert tried.requeued == [failed.dispatch_id]
        assert tried.delivered is not None and tried.delivered.failed == 1
    # The bound is reached: it stays failed for the operator, tried no more.
    for hour in (AUTO_RETRIES + 1, AUTO_RETRIES + 5):
        rest = retry_failed_deliveries(scope, uow_factory, channels, partial(_at, hour))
        assert rest.requeued == []
    (still,) = list_deliveries(scope, True, 10, uow_factory)
    assert (still.dispatch_id, still.state) == (failed.dispatch_id, "failed")
    assert [a.channel for a in still.attempts].count("pdf") == 1 + AUTO_RETRIES
    # The operator's retry by hand is not bounded.
    assert retry_deliveries(scope, [failed.dispatch_id], uow_factory) == 1


def test_the_hourly_tick_finds_only_the_companies_with_a_retry_due(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """The tick queues a company's retry job only where a failed document is due (one
    read over every company), not one job per company every hour."""
    _, channels, _ = _failed_invoice(uow_factory, tmp_path)
    builders.company(uow_factory, builders.OTHER_ORGNR, name="Bravo AS")  # nothing failed
    failing = builders.scope(uow_factory).company_id
    assert companies_to_retry(uow_factory, lambda: _at(0.5)) == []  # tried too recently
    assert companies_to_retry(uow_factory, lambda: _at(1)) == [failing]
    for hour in range(1, AUTO_RETRIES + 1):
        assert companies_to_retry(uow_factory, partial(_at, hour)) == [failing]
        retry_failed_deliveries(
            builders.scope(uow_factory), uow_factory, channels, partial(_at, hour)
        )
    # Its retries are used up: the operator's now, no job for it any more.
    assert companies_to_retry(uow_factory, partial(_at, AUTO_RETRIES + 5)) == []
