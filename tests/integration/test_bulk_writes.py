"""Bulk writes (adapters/db/bulk.py): a few rows are one multi-row INSERT as the scope's
role, more than FEW_ROWS one COPY as the tables' owner (PostgreSQL); both store the same."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any, cast

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import PendingRollbackError
from tests import builders
from tests.conftest import BACKEND

from fordring.adapters.db.bulk import FEW_ROWS, PENDING, together, write_rows
from fordring.adapters.db.unit_of_work import SqlUnitOfWork
from fordring.domain.errors import Conflict
from fordring.services.invoicing import show_invoice
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration


class _Sent:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, conn: Any, cursor: Any, sql: str, params: Any, ctx: Any, many: bool) -> None:
        self.seen.append(" ".join(sql.split()))

    def __enter__(self) -> _Sent:
        event.listen(Engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self)


@pytest.mark.parametrize("lines", [1, FEW_ROWS, FEW_ROWS + 1])
def test_a_few_rows_are_inserted_as_the_company_and_many_copied_alike(
    uow_factory: UnitOfWorkFactory, lines: int
) -> None:
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    specs = [f"Line {n};{n}.25;1000.125;25" for n in range(1, lines + 1)]
    with _Sent() as sent:
        stored = builders.invoice(uow_factory, customer, *specs)
    stepped_out = sum(1 for s in sent.seen if s == "SET LOCAL ROLE NONE")
    copied = lines > FEW_ROWS and BACKEND == "postgresql"
    assert stepped_out == (1 if copied else 0)  # the invoice's lines, and only they
    again = show_invoice(stored.invoice.number, builders.scope(uow_factory), uow_factory)
    assert again == stored
    got = [(x.description, x.quantity, x.unit_price, x.vat_rate) for x in again.invoice.lines]
    assert got[0] == ("Line 1", Decimal("1.25"), Decimal("1000.125"), Decimal(25))
    assert len(got) == lines and again.open_amount == again.invoice.total


def test_an_invoices_rows_are_one_statement_and_its_voucher_the_next(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """While the company's numbers are held, an invoice's row, lines, KID and postings go
    in one statement (writable CTEs, PostgreSQL) and its voucher in the next: the check
    that postings go only into new vouchers would see a voucher of the same statement."""
    builders.company(uow_factory)
    customer = builders.business(uow_factory)
    with _Sent() as sent:
        stored = builders.invoice(uow_factory, customer, "Time;7.5;1200;25", "Mat;1;99.90;15")
    writes = [s.split(" (")[0] for s in sent.seen if s.startswith(("INSERT INTO", "WITH w0"))]
    tables = ["invoice", "invoice_line", "company_kid", "posting", "voucher"]
    if BACKEND == "postgresql":
        (together,) = [s for s in sent.seen if s.startswith("WITH w0")]
        assert [t for t in tables if f"INSERT INTO {t} (" in together] == tables[:4]
        assert writes == ["WITH w0 AS", "INSERT INTO voucher"]
    else:
        assert writes == [f"INSERT INTO {t}" for t in tables]
    again = show_invoice(stored.invoice.number, builders.scope(uow_factory), uow_factory)
    assert again == stored and len(again.invoice.lines) == 2


def test_rows_held_together_go_before_any_other_statement_and_not_at_all_on_failure(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    columns = ("company_id", "key", "request_hash", "status", "body", "created_on")

    def row(key: str) -> tuple[Any, ...]:
        return (scope.company_id, key, "hash", 201, "{}", builders.DAY)

    count = text("SELECT count(*) FROM idempotent_request WHERE key = :k")
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        with uow.writes_together():
            write_rows(connection, "idempotent_request", columns, [row("a")])
            write_rows(connection, "idempotent_request", columns, [row("b")])
            # a read inside the block sees both: what is held is sent before it
            assert connection.execute(count, {"k": "a"}).scalar() == 1
            assert connection.execute(count, {"k": "b"}).scalar() == 1
        uow.commit()
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection

        def failing_block() -> None:
            with uow.writes_together():
                write_rows(connection, "idempotent_request", columns, [row("c")])
                raise RuntimeError("the block fails")

        with _Sent() as sent, pytest.raises(RuntimeError):
            failing_block()
        if BACKEND == "postgresql":  # held, then dropped: never sent
            assert not [s for s in sent.seen if "idempotent_request" in s]
        uow.commit()  # what the failed block held is not committed with the rest
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        # SQLite: `together` holds nothing, c was written at once (a service would not
        # commit after the failure)
        c = 0 if BACKEND == "postgresql" else 1
        assert [connection.execute(count, {"k": k}).scalar() for k in "abc"] == [1, 1, c]


def test_a_refused_combined_statement_is_a_conflict_and_writes_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """What is held goes as one statement when the block ends: one row refused (a foreign
    key) refuses them all, as a Conflict naming the table."""
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    columns = ("company_id", "key", "request_hash", "status", "body", "created_on")
    count = text("SELECT count(*) FROM idempotent_request WHERE key = 'sent'")
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection

        def refused_block() -> None:
            with uow.writes_together():
                write_rows(
                    connection,
                    "idempotent_request",
                    columns,
                    [(scope.company_id, "sent", "hash", 201, "{}", builders.DAY)],
                )
                write_rows(
                    connection,
                    "company_kid",
                    KID_COLUMNS,
                    [_company_kid(scope.company_id, 999_999)],
                )

        with pytest.raises(Conflict, match="company_kid" if BACKEND == "postgresql" else "row"):
            refused_block()
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        assert connection.execute(count).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM company_kid")).scalar() == 0


@pytest.mark.skipif(BACKEND != "postgresql", reason="`together` holds rows on PostgreSQL only")
def test_held_rows_are_tied_to_the_transaction(uow_factory: UnitOfWorkFactory) -> None:
    """A commit while rows are held is refused (they would be lost); a rollback drops them
    (they were never sent), so the block's end sends nothing into the next transaction."""
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    columns = ("company_id", "key", "request_hash", "status", "body", "created_on")
    row = (scope.company_id, "held", "hash", 201, "{}", builders.DAY)
    count = text("SELECT count(*) FROM idempotent_request WHERE key = 'held'")
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        with uow.writes_together():
            write_rows(connection, "idempotent_request", columns, [row])
            with pytest.raises(RuntimeError, match="rows are held"):
                uow.commit()
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        with _Sent() as sent, uow.writes_together():
            write_rows(connection, "idempotent_request", columns, [row])
            connection.rollback()
            assert connection.info[PENDING] == []
        assert not [s for s in sent.seen if "idempotent_request" in s]  # never sent
    with uow_factory(scope) as uow:
        assert cast(SqlUnitOfWork, uow).connection.execute(count).scalar() == 0


@pytest.mark.skipif(BACKEND != "postgresql", reason="`together` holds rows on PostgreSQL only")
def test_rows_held_after_a_savepoint_are_dropped_by_rolling_back_to_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """ROLLBACK TO SAVEPOINT drops what is held rather than sending it first: a held row
    that would be refused must not make the rollback itself fail."""
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    columns = ("company_id", "key", "request_hash", "status", "body", "created_on")
    row = (scope.company_id, "once", "hash", 201, "{}", builders.DAY)
    count = text("SELECT count(*) FROM idempotent_request WHERE key = 'once'")
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        with uow.writes_together():
            write_rows(connection, "idempotent_request", columns, [row])
            savepoint = connection.begin_nested()  # sends the first row before it
            write_rows(connection, "idempotent_request", columns, [row])  # a duplicate, held
            savepoint.rollback()
        assert connection.execute(count).scalar() == 1


@pytest.mark.skipif(BACKEND != "postgresql", reason="`together` holds rows on PostgreSQL only")
def test_a_block_that_fails_with_its_connection_lost_raises_its_own_error(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """The cleanup of `together` must not read the info of an invalidated connection: that
    raises, and would hide the error that ended the block."""
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    columns = ("company_id", "key", "request_hash", "status", "body", "created_on")
    row = (scope.company_id, "lost", "hash", 201, "{}", builders.DAY)
    with uow_factory(scope) as uow:
        engine = cast(SqlUnitOfWork, uow).database.engine

    def failing_block(connection: Connection) -> None:
        with together(connection):
            write_rows(connection, "idempotent_request", columns, [row])
            connection.invalidate()
            raise RuntimeError("the real error")

    connection = engine.connect()
    connection.begin()  # invalidated inside a transaction, its info cannot be read
    with pytest.raises(RuntimeError, match="the real error"):
        failing_block(connection)
    # run_lock's rollback listener reads the info of the invalidated connection too (not
    # this test's subject): the connection is gone either way
    with contextlib.suppress(PendingRollbackError):
        connection.close()


KID_COLUMNS = ("company_id", "kid", "invoice_id")


def _company_kid(company_id: int, invoice_id: int) -> tuple[Any, ...]:
    return (company_id, "00000000018", invoice_id)


@pytest.mark.skipif(BACKEND != "postgresql", reason="`together` holds rows on PostgreSQL only")
def test_a_refused_held_row_sent_before_a_read_is_a_conflict_and_nothing_is_written(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """What is held goes on the read's cursor (the listener path): a foreign key refused
    there is a Conflict too, and none of the held rows is written."""
    builders.company(uow_factory)
    scope = builders.scope(uow_factory)
    columns = ("company_id", "key", "request_hash", "status", "body", "created_on")
    count = text("SELECT count(*) FROM idempotent_request WHERE key = 'kept'")
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        with uow.writes_together():
            write_rows(
                connection,
                "idempotent_request",
                columns,
                [(scope.company_id, "kept", "hash", 201, "{}", builders.DAY)],
            )
            write_rows(
                connection, "company_kid", KID_COLUMNS, [_company_kid(scope.company_id, 999_999)]
            )
            with pytest.raises(Conflict, match="company_kid"):
                connection.execute(text("SELECT 1"))
    with uow_factory(scope) as uow:
        connection = cast(SqlUnitOfWork, uow).connection
        assert connection.execute(count).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM company_kid")).scalar() == 0
