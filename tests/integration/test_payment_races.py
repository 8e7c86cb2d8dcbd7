"""Two people acting on one payment at the same moment, and one bank file imported twice
at once: one wins, the other gets a Conflict, and the money is counted once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from tests import builders
from tests.races import race
from tests.scenarios.bankfiles import Paid, ocr_file
from tests.sql import connection

from fordring import bootstrap
from fordring.domain.errors import Conflict
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.text_input import parse_match_item
from fordring.services.held_payments import drop_held, release_held
from fordring.services.ledger import check_ledger
from fordring.services.payment_import import import_bank_file
from fordring.services.payments import keep_as_credit, match_payment_by_hand, refund_payment
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that nothing has: the payment waits
DAY = date(2026, 3, 16)


def _unmatched_payment(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> int:
    """Invoice 1 of 2,500.00 to customer 1, and payment 1 of 2,500.00 waiting unmatched."""
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    builders.invoice(uow_factory, customer)
    paid = ocr_file(tmp_path / "ocr.txt", [Paid("2500.00", UNKNOWN_KID, "2026-03-13")])
    report = import_bank_file(
        paid,
        builders.scope(uow_factory, on=DAY),
        uow_factory,
        bootstrap.bank_file_reader(),
        rate_book(),
    )
    assert report.unmatched == 1
    return customer


def _open(uow_factory: UnitOfWorkFactory) -> Decimal:
    with uow_factory(builders.scope(uow_factory, on=DAY)) as uow:
        stored = uow.invoices.get(1)
        assert stored is not None
        return stored.open_amount


def _vouchers(uow_factory: UnitOfWorkFactory) -> int:
    with uow_factory(builders.scope(uow_factory, on=DAY)) as uow:
        return int(connection(uow).execute(text("SELECT count(*) FROM voucher")).scalar_one())


def test_two_people_matching_one_payment_at_once_book_it_once(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    _unmatched_payment(uow_factory, tmp_path)
    before = _vouchers(uow_factory)
    scope = builders.scope(uow_factory, on=DAY)

    def match() -> object:
        return match_payment_by_hand(scope, 1, [parse_match_item("1")], uow_factory, rate_book())

    outcome = race(match, match)
    assert len(outcome.results) == 1 and len(outcome.of(Conflict)) == 1, outcome.errors
    assert "payment 1 is matched, not unmatched" in str(outcome.errors[0])
    assert _open(uow_factory) == Decimal("0.00")  # not -2,500.00
    assert _vouchers(uow_factory) == before + 1
    assert check_ledger(builders.scope(uow_factory, on=DAY), uow_factory).ok


def test_a_refund_and_a_match_of_one_payment_at_once_do_one_of_them(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    _unmatched_payment(uow_factory, tmp_path)
    before = _vouchers(uow_factory)
    scope = builders.scope(uow_factory, on=DAY)
    item = parse_match_item("1")
    outcome = race(
        lambda: match_payment_by_hand(scope, 1, [item], uow_factory, rate_book()),
        lambda: refund_payment(scope, 1, uow_factory),
    )
    assert len(outcome.results) == 1 and len(outcome.of(Conflict)) == 1, outcome.errors
    assert _vouchers(uow_factory) == before + 1
    assert _open(uow_factory) in (Decimal("0.00"), Decimal("2500.00"))
    assert check_ledger(builders.scope(uow_factory, on=DAY), uow_factory).ok


def test_keeping_a_payment_as_credit_twice_at_once_credits_it_once(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    customer = _unmatched_payment(uow_factory, tmp_path)
    before = _vouchers(uow_factory)
    scope = builders.scope(uow_factory, on=DAY)

    def keep() -> int:
        return keep_as_credit(scope, 1, customer, uow_factory)

    outcome = race(keep, keep)
    assert len(outcome.results) == 1 and len(outcome.of(Conflict)) == 1, outcome.errors
    assert _vouchers(uow_factory) == before + 1
    assert check_ledger(builders.scope(uow_factory, on=DAY), uow_factory).ok


def test_one_bank_file_imported_twice_at_once_is_booked_once(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    builders.company(uow_factory)
    customer = builders.consumer(uow_factory)
    builders.invoice(uow_factory, customer)
    paid = ocr_file(tmp_path / "ocr.txt", [Paid("1000.00", "0000000018", "2026-03-13")])
    scope = builders.scope(uow_factory, on=DAY)

    def load() -> object:
        return import_bank_file(paid, scope, uow_factory, bootstrap.bank_file_reader(), rate_book())

    outcome = race(load, load)
    assert len(outcome.results) == 1 and len(outcome.errors) == 1, outcome.errors
    # A Conflict when both got past the check; refused as read before when one had finished.
    assert "nothing was booked" in str(outcome.errors[0])
    assert _open(uow_factory) == Decimal("1500.00")
    assert check_ledger(builders.scope(uow_factory, on=DAY), uow_factory).ok


def test_two_people_releasing_and_dropping_one_held_payment_decide_once(
    uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    """The bank's file sent again holds its payment (issue 14); one person releases it
    while another drops it: one decision stands, the other is told, booked at most once."""
    _unmatched_payment(uow_factory, tmp_path)
    again = ocr_file(
        tmp_path / "again.txt",
        [Paid("2500.00", UNKNOWN_KID, "2026-03-13")],
        transmission="1000002",
    )
    scope = builders.scope(uow_factory, on=DAY)
    held = import_bank_file(
        again, scope, uow_factory, bootstrap.bank_file_reader(), rate_book()
    ).held
    assert held == 1
    before = _vouchers(uow_factory)

    outcome = race(
        lambda: release_held(scope, 1, uow_factory, rate_book()),
        lambda: drop_held(scope, 1, uow_factory),
    )
    assert len(outcome.results) == 1 and len(outcome.of(Conflict)) == 1, outcome.errors
    assert "held payment 1 is" in str(outcome.errors[0])
    (decided,) = outcome.results
    assert _vouchers(uow_factory) == before + (decided.status == "released")
    assert check_ledger(scope, uow_factory).ok
