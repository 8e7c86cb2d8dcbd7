"""Two daily runs at once: each day is done by one of them, so nothing happens twice."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from tests import builders

from fordring import bootstrap
from fordring.adapters.paper_outbox import FolderOutbox
from fordring.domain.law.builtin_rates import rate_book
from fordring.services.collection_sending import send_to_collection
from fordring.services.daily_run import RunReport
from fordring.services.day_graph import run_collection
from fordring.services.delivery import deliver_waiting
from fordring.services.delivery_channels import DeliveryChannels
from fordring.services.ledger import check_ledger
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration


def test_two_runs_at_once_send_each_letter_and_charge_each_fee_once(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    builders.invoice(uow_factory, customer, on=date(2026, 2, 16))
    send_to_collection([1], builders.scope(uow_factory, on=date(2026, 3, 5)), uow_factory)
    reports: list[RunReport] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        try:
            run_both()
        except BaseException as error:  # a thread's failure must fail the test
            errors.append(error)

    def run_both() -> None:
        with bootstrap.letter_renderer() as renderer, bootstrap.invoice_renderer() as invoices:
            reports.append(
                run_collection(
                    builders.scope(uow_factory),
                    date(2026, 3, 5),
                    date(2026, 3, 31),
                    uow_factory,
                    rate_book(),
                    pin_key=builders.PIN_KEY,
                )
            )
            channels = DeliveryChannels(invoices, renderer, FolderOutbox(tmp_path))
            deliver_waiting(builders.scope(uow_factory), uow_factory, channels, bootstrap.now)

    runners = [threading.Thread(target=one_run) for _ in range(2)]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join(timeout=120)
    assert errors == [] and len(reports) == 2
    assert sorted(p.name for p in tmp_path.rglob("case-*.pdf")) == [
        "case-1-collection_notice.pdf",
        "case-1-reminder.pdf",
    ]
    steps = sorted((d.day, x.step) for report in reports for d in report.days for x in d.done)
    assert steps == [(date(2026, 3, 9), "send_reminder"), (date(2026, 3, 24), "send_notice")]
    days = sorted(d.day for report in reports for d in report.days)
    assert len(days) == len(set(days)) == 27  # 5-31 March, each day run once
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok
