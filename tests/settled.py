"""A settlement to show (the portal's tests): an invoice of the test company paid by its
KID to the collector's client account three days ago, in an OCR giro file, and settled on
the first banking day from today (settlement 1), as the daily run would."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fordring import bootstrap
from fordring.domain.collection.agreement import Agreement, parse_settings, with_settings
from fordring.services.collection_agreement import set_agreement
from fordring.services.payment_import import import_bank_file
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.settlements import settle_day
from tests import builders
from tests.scenarios.bankfiles import CLIENT_ACCOUNT, Paid, ocr_file

COLLECTOR = "Demo Inkasso AS"


def settled_payment(uow_factory: UnitOfWorkFactory, folder: Path, invoices: int = 1) -> str:
    """Settlement 1 of a payment of 2500.00 for each of `invoices` invoices of one
    customer (the company must exist); the first one's KID."""
    scope = builders.scope(uow_factory, on=bootstrap.today())
    settings = {
        "pay_to": "client_account",
        "client_account": CLIENT_ACCOUNT,
        "collector_name": COLLECTOR,
        "collector_orgnr": "974760673",
    }
    set_agreement(parse_settings(settings), scope, uow_factory)
    customer = builders.business(uow_factory)
    issued = bootstrap.today() - timedelta(days=10)
    kids = [builders.invoice(uow_factory, customer, on=issued).invoice.kid for _ in range(invoices)]
    day = (bootstrap.today() - timedelta(days=3)).isoformat()
    paid = [Paid("2500.00", kid, day) for kid in kids]
    file = ocr_file(folder / "klientkonto.txt", paid, account=CLIENT_ACCOUNT)
    import_bank_file(file, scope, uow_factory, bootstrap.bank_file_reader(), bootstrap.rate_book())
    settled_on = bootstrap.today()
    with uow_factory(scope) as uow:
        agreement = with_settings(Agreement(), uow.collection.settings())
        company = uow.company.current()
        while settle_day(uow, company, agreement, settled_on) is None:  # a banking day
            settled_on += timedelta(days=1)
        uow.commit()
    return kids[0]
