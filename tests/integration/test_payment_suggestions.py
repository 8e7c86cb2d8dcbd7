"""What an unmatched payment is offered (adapters/db/repositories/payment_targets.py
candidates, services/payments.py): an open case of several invoices owing the payment's
amount, never a closed one; three candidates of the amount outrank any by name alone; a
customer sharing a word with the payer is offered by name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from tests import builders
from tests.scenarios.bankfiles import Paid, camt054_file
from tests.sql import connection

from fordring import bootstrap
from fordring.domain.law.builtin_rates import rate_book
from fordring.services.collection_sending import send_to_collection
from fordring.services.payment_import import import_bank_file
from fordring.services.payments import show_queued_payment
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that nothing has: the payment waits
ISSUED, SENT, DAY = date(2026, 2, 16), date(2026, 3, 5), date(2026, 3, 16)
HALF = "Konsulenttime;1;1000;25"  # 1250.00


def _waiting(uow_factory: UnitOfWorkFactory, tmp_path: Path, payer: str = "") -> list[str]:
    """Payment 1 of 2500.00 waiting unmatched: the labels it is offered."""
    paid = [Paid("2500.00", UNKNOWN_KID, "2026-03-13", payer_name=payer)]
    scope = builders.scope(uow_factory, on=DAY)
    file = camt054_file(tmp_path / "camt.xml", paid, version="001.08", account=builders.ACCOUNT)
    import_bank_file(file, scope, uow_factory, bootstrap.bank_file_reader(), rate_book())
    shown = show_queued_payment(scope, 1, uow_factory)
    return [s.candidate.label for s in shown.suggestions]


def test_an_open_case_of_two_invoices_owing_the_amount_is_offered_a_closed_one_not(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    for _ in range(4):
        builders.invoice(uow_factory, customer, HALF, on=ISSUED)
    sent = send_to_collection([1, 2], builders.scope(uow_factory, on=SENT), uow_factory)
    assert [c.number for c in sent.cases] == [1]  # one case of both invoices
    closed = send_to_collection([3, 4], builders.scope(uow_factory, on=SENT), uow_factory)
    with uow_factory(builders.scope(uow_factory, on=DAY)) as uow:
        connection(uow).execute(
            text("UPDATE collection_case SET state = 'closed' WHERE number = :n"),
            {"n": closed.cases[0].number},
        )
        uow.commit()
        found = uow.payments.candidates({Decimal("2500.00")}, [])
    assert found == [("case 1", "Kari Nordmann", Decimal("2500.00"))]
    assert _waiting(uow_factory, tmp_path) == ["case 1"]


def test_three_candidates_of_the_amount_outrank_a_name_alone(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    builders.company(uow_factory)
    owing = builders.business(uow_factory)
    for _ in range(3):
        builders.invoice(uow_factory, owing)  # 2500.00 each
    named = builders.consumer(uow_factory, "Ola Nordmann")
    builders.invoice(uow_factory, named, HALF)  # the payer's name, another amount
    labels = _waiting(uow_factory, tmp_path, payer="Ola Nordmann")
    assert labels == ["invoice 1", "invoice 2", "invoice 3"]


def test_a_customer_sharing_a_word_with_the_payer_is_offered_by_name(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    builders.company(uow_factory)
    builders.business(uow_factory)  # Kunde AS: no word of the payer's
    named = builders.consumer(uow_factory, "Ola Nordmann")
    builders.invoice(uow_factory, named, HALF)  # 1250.00: not the amount
    assert _waiting(uow_factory, tmp_path, payer="OLA HANSEN") == ["invoice 1"]
    with uow_factory(builders.scope(uow_factory, on=DAY)) as uow:
        assert uow.payments.candidates({Decimal("1.00")}, ["zyxwvu"]) == []
