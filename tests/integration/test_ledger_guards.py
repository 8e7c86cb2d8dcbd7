"""The database itself refuses an unbalanced or changed ledger, whatever the code does."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from fordring.adapters.db.engine import normalise_url
from tests import builders

pytestmark = pytest.mark.integration


def _raw(database_url: str):  # type: ignore[no-untyped-def]
    return create_engine(normalise_url(database_url))


@pytest.fixture
def seeded(uow_factory, database_url):  # type: ignore[no-untyped-def]
    builders.company(uow_factory)
    builders.invoice(uow_factory, builders.business(uow_factory))
    engine = _raw(database_url)
    yield engine
    engine.dispose()


def _company_id(connection) -> int:  # type: ignore[no-untyped-def]
    return int(connection.execute(text("SELECT id FROM company")).scalar_one())


def test_database_refuses_an_unbalanced_voucher(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded.connect() as c, pytest.raises(DatabaseError, match="two or more postings"):
        cid = _company_id(c)
        c.execute(text("INSERT INTO posting (voucher_id, line_no, account, amount, text) "
                       "VALUES (900, 1, '1920', 10000, ''), (900, 2, '3000', -9999, '')"))
        c.execute(text("INSERT INTO voucher (id, company_id, number, type_code, date, text) "
                       f"VALUES (900, {cid}, 900, 'MAN', '2026-03-02', 'x')"))  # fmt: skip


def test_database_refuses_a_voucher_with_one_posting(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded.connect() as c, pytest.raises(DatabaseError, match="two or more postings"):
        cid = _company_id(c)
        c.execute(text("INSERT INTO posting (voucher_id, line_no, account, amount, text) "
                       "VALUES (901, 1, '1920', 0, '')"))
        c.execute(text("INSERT INTO voucher (id, company_id, number, type_code, date, text) "
                       f"VALUES (901, {cid}, 901, 'MAN', '2026-03-02', 'x')"))  # fmt: skip


def test_database_accepts_a_balanced_voucher(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded.begin() as c:
        cid = _company_id(c)
        c.execute(text("INSERT INTO posting (voucher_id, line_no, account, amount, text) "
                       "VALUES (902, 1, '1920', 100, ''), (902, 2, '3000', -100, '')"))
        c.execute(text("INSERT INTO voucher (id, company_id, number, type_code, date, text) "
                       f"VALUES (902, {cid}, 902, 'MAN', '2026-03-02', 'x')"))  # fmt: skip
    with seeded.connect() as c:
        assert c.execute(text("SELECT count(*) FROM voucher WHERE id = 902")).scalar_one() == 1


def test_database_refuses_postings_added_to_an_existing_voucher(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded.connect() as c, pytest.raises(DatabaseError, match="existing voucher"):
        voucher_id = c.execute(text("SELECT min(id) FROM voucher")).scalar_one()
        c.execute(text("INSERT INTO posting (voucher_id, line_no, account, amount, text) "
                       f"VALUES ({voucher_id}, 99, '1920', 0, '')"))  # fmt: skip


@pytest.mark.parametrize(
    "statement",
    ["UPDATE posting SET amount = 1", "DELETE FROM posting", "UPDATE voucher SET text = 'x'",
     "DELETE FROM voucher"],
)  # fmt: skip
def test_database_keeps_the_ledger_append_only(seeded, statement: str) -> None:  # type: ignore[no-untyped-def]
    with seeded.connect() as c, pytest.raises(DatabaseError, match="append-only"):
        c.execute(text(statement))
