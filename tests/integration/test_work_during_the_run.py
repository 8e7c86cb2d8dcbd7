"""People working while the daily run runs (issue 14, point 5): `invoice create` and
`payments match` at the same moment as `run`, day after day: 50 days on PostgreSQL, where
they truly race; 30 on SQLite, whose single writer takes them one after the other. Every
command succeeds (a person's write waits for the run's day, or the run's day for the
person's write), nothing deadlocks (on PostgreSQL the database's own count of deadlocks it
broke stays at zero: a deadlock retried or turned into a success would show there), and
the ledger is whole at the end."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from tests import builders
from tests.processes import wait_for
from tests.races import BACKEND, race
from tests.scenarios.bankfiles import Paid, ocr_file

from fordring import bootstrap
from fordring.adapters.db.engine import forget_database, normalise_url
from fordring.domain.collection.agreement import SettingsChange
from fordring.domain.text_input import parse_line_spec, parse_match_item
from fordring.services.business_day import BusinessDay, DayTools, run_business_day
from fordring.services.collection_agreement import set_agreement
from fordring.services.collection_sending import send_to_collection
from fordring.services.invoicing import NewInvoice, create_invoice
from fordring.services.ledger import check_ledger
from fordring.services.payment_import import import_bank_file
from fordring.services.payments import match_payment_by_hand
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration

START = date(2026, 3, 2)
ROUNDS = 50 if BACKEND == "postgresql" else 30
DEBTORS = 6
UNKNOWN_KID = "0000009993"  # a valid MOD10 KID that nothing has: each payment waits


def _setup(uow_factory: UnitOfWorkFactory, tmp_path: Path) -> None:
    """Six debtors with a case each (sent on START - 1), automatic sending on (the run
    sends each new invoice once it is overdue), and ROUNDS small payments waiting
    unmatched for a person to match them."""
    builders.company(uow_factory)
    scope = builders.scope(uow_factory, on=START)
    set_agreement(SettingsChange({"automatic_sending": True}), scope, uow_factory)
    for n in range(DEBTORS):
        customer = builders.consumer(uow_factory, name=f"Debitor {n}")
        builders.invoice(uow_factory, customer, on=START - timedelta(days=40))
    send_to_collection(None, builders.scope(uow_factory, on=START - timedelta(days=1)), uow_factory)
    payments = [Paid("10.00", UNKNOWN_KID, str(START)) for _ in range(ROUNDS)]
    import_bank_file(
        ocr_file(tmp_path / "ocr.txt", payments),
        scope,
        uow_factory,
        bootstrap.bank_file_reader(),
        bootstrap.rate_book(),
    )


def _round(
    n: int,
    uow_factory: UnitOfWorkFactory,
    tools: DayTools,
    created: list[int],
) -> tuple[Callable[[], object], ...]:
    """Round `n`, on day START + n: the run of that day; a new invoice to debtor n; and
    payment n + 1 matched to a case the run is working on (even rounds) or to the invoice
    of the round before (odd rounds: not due yet)."""
    day = START + timedelta(days=n)
    scope = builders.scope(uow_factory, on=day)
    item = f"case:{n % DEBTORS + 1}" if n % 2 == 0 or not created else str(created[-1])

    def run() -> object:
        return run_business_day(scope, day, tools)

    def create() -> object:
        lines = [parse_line_spec("Vare;1;500;25")]
        new = NewInvoice(10000 + n % DEBTORS, lines, terms_days=14)
        stored = create_invoice(new, scope, uow_factory)
        created.append(stored.invoice.number)
        return stored

    def match() -> object:
        items = [parse_match_item(item)]
        return match_payment_by_hand(scope, n + 1, items, uow_factory, tools.book)

    return run, create, match


def _deadlocks_broken(database_url: str) -> int:
    """How many deadlocks PostgreSQL found (and broke) in this database. A session reports
    its counts when it ends: every session of the test is closed first."""
    forget_database(database_url)
    engine = create_engine(normalise_url(database_url))
    try:
        with engine.connect() as connection:
            others = text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert wait_for(lambda: connection.execute(others).scalar_one() == 0, timeout=10)
        time.sleep(0.5)  # the last session's exit may still be writing its statistics
        with engine.connect() as connection:
            query = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
            return int(connection.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


def test_invoice_create_payments_match_and_the_run_at_once_never_deadlock(
    database_url: str, uow_factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    _setup(uow_factory, tmp_path)
    settings = bootstrap.Settings(database_url=database_url, outbox=str(tmp_path / "outbox"))
    created: list[int] = []
    slowest = 0.0
    steps: set[str] = set()
    with bootstrap.Application(settings) as app:
        for n in range(ROUNDS):
            began = time.monotonic()
            outcome = race(*_round(n, uow_factory, app.day_tools, created))
            slowest = max(slowest, time.monotonic() - began)
            assert outcome.errors == [], f"round {n}: {outcome.errors!r}"
            runs = [r for r in outcome.results if isinstance(r, BusinessDay)]
            steps.update(x.step for r in runs for d in r.days for x in d.done)
    assert len(created) == ROUNDS
    assert {"send_to_collection", "send_reminder", "send_notice"} <= steps  # the run worked
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok
    assert slowest < 30, f"a round took {slowest:.1f} s"
    if BACKEND == "postgresql":
        assert _deadlocks_broken(database_url) == 0
