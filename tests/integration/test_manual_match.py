"""A payment matched by hand (services/payments.py manual_match): an item named twice
counts once, so one payment never pays an invoice twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests import builders
from tests.scenarios.bankfiles import Paid, ocr_file

from fordring import bootstrap
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.text_input import parse_match_item
from fordring.services.ledger import check_ledger
from fordring.services.payment_import import import_bank_file
from fordring.services.payments import match_payment_by_hand, show_queued_payment
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that nothing has: the payment waits
DAY = date(2026, 3, 16)


def test_an_invoice_named_twice_is_paid_once_and_the_rest_is_credit(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    invoice = builders.invoice(uow_factory, customer, "Konsulenttime;1;800;25")  # 1000.00
    scope = builders.scope(uow_factory, on=DAY)
    paid = ocr_file(tmp_path / "ocr.txt", [Paid("2000.00", UNKNOWN_KID, "2026-03-13")])
    report = import_bank_file(paid, scope, uow_factory, bootstrap.bank_file_reader(), rate_book())
    assert report.unmatched == 1
    number = str(invoice.invoice.number)
    twice = [parse_match_item(number), parse_match_item(number)]
    done = match_payment_by_hand(scope, 1, twice, uow_factory, rate_book())
    assert sum(amount for _, amount in done.paid) == Decimal("1000.00")
    with uow_factory(scope) as uow:
        stored = uow.invoices.get(invoice.invoice.number)
        assert stored is not None and stored.open_amount == Decimal("0.00")
    assert show_queued_payment(scope, 1, uow_factory).view.row.credit == Decimal("1000.00")
    assert check_ledger(scope, uow_factory).ok
