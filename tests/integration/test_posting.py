"""The posting service on a real database: vouchers booked in bulk, open amounts derived
from their postings, and a voucher reversed once with what it derived."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests import builders

from fordring.domain.errors import Conflict
from fordring.domain.ledger import RECEIVABLES, Posting, Voucher
from fordring.services.invoicing import show_invoice
from fordring.services.ledger import check_ledger, reverse_voucher
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.posting import post_vouchers

pytestmark = pytest.mark.integration


def _paid(invoice_id: int, customer_id: int, amount: str) -> Voucher:
    part = Decimal(amount)
    return Voucher(
        "INN",
        builders.DAY,
        "Innbetaling",
        (
            Posting("1920", part),
            Posting(RECEIVABLES, -part, customer_id, invoice_id),
        ),
    )


def test_a_batch_is_numbered_in_one_block_and_moves_the_invoice_it_names(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    stored = builders.invoice(uow_factory, customer, "Time;2;1000;25")
    assert stored.id is not None
    scope = builders.scope(uow_factory)
    with uow_factory(scope) as uow:
        batch = [_paid(stored.id, customer, "300.00"), _paid(stored.id, customer, "200.00")]
        posted = post_vouchers(uow, batch)
        uow.commit()
    assert posted.first_number == stored.voucher_number + 1
    assert show_invoice(stored.invoice.number, scope, uow_factory).open_amount == Decimal("2000.00")
    assert check_ledger(scope, uow_factory).ok


def test_vouchers_are_posted_all_numbered_or_none(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    stored = builders.invoice(uow_factory, customer)
    assert stored.id is not None
    scope = builders.scope(uow_factory)
    with uow_factory(scope) as uow:
        numbered = _paid(stored.id, customer, "1.00")
        numbered = Voucher(
            numbered.type_code, numbered.date, numbered.text, numbered.postings, 99, id=99
        )
        with pytest.raises(ValueError, match="all numbered or none"):
            post_vouchers(uow, [numbered, _paid(stored.id, customer, "1.00")])


def test_a_voucher_is_reversed_once(uow_factory: UnitOfWorkFactory) -> None:
    builders.company(uow_factory)
    stored = builders.invoice(uow_factory, builders.business(uow_factory))
    scope = builders.scope(uow_factory)
    reverse_voucher(stored.voucher_number, scope, uow_factory)
    with pytest.raises(Conflict, match="reversed already"):
        reverse_voucher(stored.voucher_number, scope, uow_factory)
    assert show_invoice(stored.invoice.number, scope, uow_factory).open_amount == Decimal("0.00")
    assert check_ledger(scope, uow_factory).ok
