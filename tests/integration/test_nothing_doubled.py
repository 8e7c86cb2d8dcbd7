"""Nothing doubled (issue 14, point 2): a voucher is reversed once, an invoice written off
once, also by two people at the same moment; and a database that doubled either before
the guards came upgrades, and `ledger check` names what was doubled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from tests import builders
from tests.races import race

from fordring import bootstrap
from fordring.adapters.db.engine import normalise_url, open_database
from fordring.domain.errors import Conflict, InvalidInput, RuleViolation
from fordring.domain.kid import Kid
from fordring.domain.text_input import parse_line_spec
from fordring.services.invoicing import NewInvoice, create_invoice
from fordring.services.ledger import check_ledger, reverse_voucher
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.write_offs import WriteOff, write_off

pytestmark = pytest.mark.integration
DAY = date(2026, 3, 16)


def _balance(uow_factory: UnitOfWorkFactory, account: str) -> Decimal:
    with uow_factory(builders.scope(uow_factory)) as uow:
        lines = uow.ledger.trial_balance(None)
    return sum((line.balance for line in lines if line.account == account), Decimal(0))


def _open(uow_factory: UnitOfWorkFactory) -> Decimal:
    with uow_factory(builders.scope(uow_factory)) as uow:
        stored = uow.invoices.get(1)
    assert stored is not None
    return stored.open_amount


@pytest.fixture
def invoice_of_125(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Invoice 1 of 125.00 (voucher 1)."""
    builders.company(uow_factory)
    builders.invoice(uow_factory, builders.consumer(uow_factory), "Vare;1;100;25")
    return uow_factory


def _write_off(uow_factory: UnitOfWorkFactory, amount: str | None = None) -> Decimal:
    cmd = WriteOff(1, Decimal(amount) if amount else None)
    return write_off(cmd, builders.scope(uow_factory, on=DAY), uow_factory).amount


def test_a_written_down_invoice_is_not_written_down_again(
    invoice_of_125: UnitOfWorkFactory,
) -> None:
    assert _write_off(invoice_of_125) == Decimal("125.00")
    with pytest.raises(Conflict, match="invoice: 1 is written off already"):
        _write_off(invoice_of_125)  # was: another 125.00, and a third (375.00 on 125.00)
    assert _balance(invoice_of_125, "7830") == Decimal("125.00")
    assert _balance(invoice_of_125, "1580") == Decimal("-125.00")


def test_write_downs_add_up_to_at_most_what_is_open(invoice_of_125: UnitOfWorkFactory) -> None:
    assert _write_off(invoice_of_125, "50") == Decimal("50")
    with pytest.raises(InvalidInput, match=r"amount: 100 is more than the 75\.00 open"):
        _write_off(invoice_of_125, "100")
    assert _write_off(invoice_of_125) == Decimal("75.00")  # the rest
    assert _balance(invoice_of_125, "7830") == Decimal("125.00")
    assert check_ledger(builders.scope(invoice_of_125), invoice_of_125).ok


def test_two_write_offs_at_once_write_off_once(invoice_of_125: UnitOfWorkFactory) -> None:
    outcome = race(lambda: _write_off(invoice_of_125), lambda: _write_off(invoice_of_125))
    assert len(outcome.results) == 1 and len(outcome.of(Conflict)) == 1, outcome.errors
    assert _balance(invoice_of_125, "7830") == Decimal("125.00")


def test_two_reversals_of_one_voucher_at_once_book_one(invoice_of_125: UnitOfWorkFactory) -> None:
    scope = builders.scope(invoice_of_125, on=DAY)

    def reverse() -> object:
        return reverse_voucher(1, scope, invoice_of_125)

    outcome = race(reverse, reverse)
    assert len(outcome.results) == 1 and len(outcome.of(Conflict)) == 1, outcome.errors
    assert _open(invoice_of_125) == Decimal("0.00")  # not -125.00
    assert _balance(invoice_of_125, "3000") == Decimal("0.00")
    check = check_ledger(scope, invoice_of_125)
    assert check.ok and check.reversed_twice == []


def test_a_reversal_is_not_reversed(invoice_of_125: UnitOfWorkFactory) -> None:
    scope = builders.scope(invoice_of_125, on=DAY)
    reversal = reverse_voucher(1, scope, invoice_of_125)
    with pytest.raises(RuleViolation, match="is itself a reversal"):
        reverse_voucher(reversal.number or 0, scope, invoice_of_125)
    with pytest.raises(Conflict, match="reversed already"):
        reverse_voucher(1, scope, invoice_of_125)
    assert _open(invoice_of_125) == Decimal("0.00")


def test_doubles_from_before_the_guards_upgrade_and_are_named_by_ledger_check(
    empty_database: str,
) -> None:
    """Invoices 1 and 2 shared a KID and voucher 1 was reversed twice before revision
    0012: the upgrade keeps every row, `ledger check` names both, and the doubles stop
    there (a third reversal, a third invoice with that KID are refused)."""
    url = empty_database
    bootstrap.migrate(url)
    uow_factory = bootstrap.uow_factory(url)
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    builders.invoice(uow_factory, customer, "Vare;1;100;25")
    builders.invoice(uow_factory, customer, "Vare;1;100;25")
    scope = builders.scope(uow_factory, on=DAY)
    reverse_voucher(1, scope, uow_factory)
    database = open_database(url)
    with database.engine.begin() as connection:
        command.downgrade(database._config(connection), "0011_scope")
    engine = create_engine(normalise_url(url))
    with engine.begin() as connection:  # what the old code let through
        connection.execute(text("UPDATE invoice SET kid = '0000000018' WHERE number = 2"))
        cid = connection.execute(text("SELECT id FROM company")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO posting (voucher_id, line_no, account, amount, text) VALUES "
                "(900, 1, '3000', 100, ''), (900, 2, '1500', -100, '')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO voucher (id, company_id, number, type_code, date, text, "
                f"reverses_id) VALUES (900, {cid}, 900, 'KORR', '2026-03-16', 'again', "
                "(SELECT id FROM voucher WHERE number = 1))"
            )
        )
    engine.dispose()
    bootstrap.migrate(url)
    check = check_ledger(scope, uow_factory)
    assert check.reversed_twice == [1]
    assert check.shared_kids == ["0000000018"]
    assert not check.ok
    with pytest.raises(Conflict, match="reversed already"):
        reverse_voucher(1, scope, uow_factory)
    cmd = NewInvoice(customer, [parse_line_spec("x;1;1;0")], kid=Kid("0000000018"))
    with pytest.raises(InvalidInput, match="kid: 0000000018 is already the KID of invoice 1"):
        create_invoice(cmd, scope, uow_factory)
