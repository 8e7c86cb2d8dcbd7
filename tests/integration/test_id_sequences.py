"""Ids on PostgreSQL come from sequences: one company's open transaction (a daily run that
took ids) never makes another company wait, and blocks taken at once never overlap."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from tests import builders
from tests.races import WAIT, postgresql_only, race

from fordring.domain.text_input import parse_customer_details, parse_line_spec
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.invoicing import NewInvoice, create_invoice
from fordring.services.ledger import check_ledger
from fordring.services.ports import StoredInvoice, UnitOfWorkFactory

pytestmark = [pytest.mark.integration, postgresql_only]

DAY = date(2026, 3, 2)
BOUND = 5.0  # seconds: creating one invoice takes a fraction of this


def test_another_companys_invoice_does_not_wait_for_a_run_holding_ids(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    builders.company(uow_factory, orgnr=builders.OTHER_ORGNR, name="Annen AS")
    fields = {"kind": "consumer", "name": "Ola", "address": "Vei 1", "postcode": "0565"}
    fields["city"] = "Oslo"
    other = builders.scope(uow_factory, builders.OTHER_ORGNR, DAY)
    details = parse_customer_details(fields)
    customer = add_customer(NewCustomer(details), other, uow_factory).number
    first = builders.scope(uow_factory, on=DAY)
    took, release = threading.Event(), threading.Event()

    def run_holding_ids() -> None:
        with uow_factory(first) as uow:  # what the first company's run does, uncommitted
            for kind in ("voucher", "invoice", "charge", "case_letter", "payment"):
                uow.collection.reserve_ids(kind, 1000)
            took.set()
            release.wait(WAIT)
            uow.commit()

    holder = threading.Thread(target=run_holding_ids, daemon=True)
    holder.start()
    try:
        assert took.wait(WAIT)
        made: list[StoredInvoice] = []
        new = NewInvoice(customer, (parse_line_spec("Time;1;1000;25"),))
        created = threading.Thread(
            target=lambda: made.append(create_invoice(new, other, uow_factory)), daemon=True
        )
        created.start()
        created.join(BOUND)
        assert not created.is_alive(), "the invoice waited for the other company's run"
        assert len(made) == 1, "the invoice was not made (a thread that failed ends early too)"
    finally:
        release.set()
        holder.join(WAIT)


def test_blocks_of_ids_taken_at_once_are_contiguous_and_never_overlap(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)

    def take(size: int) -> list[range]:
        blocks = []
        for _ in range(50):
            with uow_factory(scope) as uow:
                first = uow.ledger.reserve_ids(size)
                uow.commit()
            blocks.append(range(first, first + size))
        return blocks

    outcome = race(lambda: take(1), lambda: take(7), lambda: take(100))
    assert outcome.errors == []
    ids = [i for blocks in outcome.results for block in blocks for i in block]
    assert len(ids) == len(set(ids)) == 50 * 108


def test_invoices_created_at_once_have_gapless_unique_numbers_and_vouchers(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Eight creators at once, each a few invoices: the numbers held to each commit while
    the rows go in one statement and the answer is built from what was written."""
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    scope = builders.scope(uow_factory, on=DAY)
    new = NewInvoice(customer, (parse_line_spec("Time;1.5;1000;25"),))

    def create_some() -> list[StoredInvoice]:
        return [create_invoice(new, scope, uow_factory) for _ in range(6)]

    outcome = race(*[create_some] * 8)
    assert outcome.errors == []
    made = [s for some in outcome.results for s in some]
    assert sorted(s.invoice.number for s in made) == list(range(1, 49))
    assert sorted(s.voucher_number for s in made) == list(range(1, 49))
    for stored in made:  # each answer is what is stored under its number
        with uow_factory(scope) as uow:
            assert uow.invoices.get(stored.invoice.number) == stored
    assert check_ledger(scope, uow_factory).ok
