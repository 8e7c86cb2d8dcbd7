"""The database itself refuses an unbalanced or changed ledger, whatever the code does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DatabaseError
from tests import builders

from fordring.adapters.db.engine import normalise_url
from fordring.services.ports import UnitOfWorkFactory

pytestmark = pytest.mark.integration
POSTINGS = "INSERT INTO posting (voucher_id, line_no, account, amount, text) VALUES "


@pytest.fixture
def ledger(uow_factory: UnitOfWorkFactory, database_url: str) -> Iterator[Connection]:
    """A connection to a database holding one company with one booked invoice."""
    builders.company(uow_factory)
    builders.invoice(uow_factory, builders.business(uow_factory))
    engine: Engine = create_engine(normalise_url(database_url))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def _voucher(connection: Connection, voucher_id: int) -> str:
    cid = connection.execute(text("SELECT id FROM company")).scalar_one()
    return (
        "INSERT INTO voucher (id, company_id, number, type_code, date, text) "
        f"VALUES ({voucher_id}, {cid}, {voucher_id}, 'MAN', '2026-03-02', 'x')"
    )


def test_database_refuses_an_unbalanced_voucher(ledger: Connection) -> None:
    ledger.execute(text(POSTINGS + "(900, 1, '1920', 10000, ''), (900, 2, '3000', -9999, '')"))
    statement = text(_voucher(ledger, 900))
    with pytest.raises(DatabaseError, match="two or more postings"):
        ledger.execute(statement)


def test_database_refuses_a_voucher_with_one_posting(ledger: Connection) -> None:
    ledger.execute(text(POSTINGS + "(901, 1, '1920', 0, '')"))
    statement = text(_voucher(ledger, 901))
    with pytest.raises(DatabaseError, match="two or more postings"):
        ledger.execute(statement)


def test_database_accepts_a_balanced_voucher(ledger: Connection) -> None:
    ledger.execute(text(POSTINGS + "(902, 1, '1920', 100, ''), (902, 2, '3000', -100, '')"))
    ledger.execute(text(_voucher(ledger, 902)))
    assert ledger.execute(text("SELECT count(*) FROM voucher WHERE id = 902")).scalar_one() == 1


def test_database_refuses_postings_added_to_an_existing_voucher(ledger: Connection) -> None:
    voucher_id = ledger.execute(text("SELECT min(id) FROM voucher")).scalar_one()
    statement = text(POSTINGS + f"({voucher_id}, 99, '1920', 0, '')")
    with pytest.raises(DatabaseError, match="existing voucher"):
        ledger.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE posting SET amount = 1",
        "DELETE FROM posting",
        "UPDATE voucher SET text = 'x'",
        "DELETE FROM voucher",
    ],
)
def test_database_keeps_the_ledger_append_only(ledger: Connection, statement: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        ledger.execute(text(statement))


def _reversal_of(connection: Connection, voucher_id: int, new_id: int) -> str:
    """A balanced voucher that names `voucher_id` as the one it reverses."""
    cid = connection.execute(text("SELECT id FROM company")).scalar_one()
    connection.execute(
        text(POSTINGS + f"({new_id}, 1, '1920', 100, ''), ({new_id}, 2, '3000', -100, '')")
    )
    return (
        "INSERT INTO voucher (id, company_id, number, type_code, date, text, reverses_id) "
        f"VALUES ({new_id}, {cid}, {new_id}, 'KORR', '2026-03-02', 'x', {voucher_id})"
    )


def test_database_refuses_a_second_reversal_of_a_voucher(ledger: Connection) -> None:
    original = ledger.execute(text("SELECT min(id) FROM voucher")).scalar_one()
    ledger.execute(text(_reversal_of(ledger, original, 910)))
    with pytest.raises(DatabaseError, match=r"(?i)unique"):
        ledger.execute(text(_reversal_of(ledger, original, 911)))


def test_database_refuses_a_kid_that_names_an_open_item_already(ledger: Connection) -> None:
    cid, kid, invoice_id = ledger.execute(text("SELECT company_id, kid, id FROM invoice")).one()
    owner = ledger.execute(text("SELECT invoice_id FROM company_kid WHERE kid = :k"), {"k": kid})
    assert owner.scalar_one() == invoice_id  # the invoice named its KID when it was issued
    statement = text("INSERT INTO company_kid (company_id, kid, case_id) VALUES (:c, :k, 99)")
    with pytest.raises(DatabaseError, match=r"(?i)unique|duplicate"):
        ledger.execute(statement, {"c": cid, "k": kid})


# Many vouchers in one statement, as the bulk paths write them (PostgreSQL checks a
# statement's rows together: a block of ids in one pass, scattered ids one by one).


def _vouchers(connection: Connection, ids: list[int]) -> str:
    cid = connection.execute(text("SELECT id FROM company")).scalar_one()
    return "INSERT INTO voucher (id, company_id, number, type_code, date, text) VALUES " + (
        ", ".join(f"({i}, {cid}, {i}, 'MAN', '2026-03-02', 'x')" for i in ids)
    )


def _balanced(ids: list[int], *, off: int | None = None, single: int | None = None) -> str:
    """Two postings per voucher, summing to zero, except `off` (a sum of 1 øre) and
    `single` (one posting of 0)."""
    rows = []
    for i in ids:
        if i == single:
            rows.append(f"({i}, 1, '1920', 0, '')")
            continue
        rows.append(f"({i}, 1, '1920', 100, '')")
        rows.append(f"({i}, 2, '3000', {-99.99 if i == off else -100}, '')")
    return POSTINGS + ", ".join(rows)


BLOCK = list(range(5000, 5200))
SCATTERED = [5000, 70_000, 900_000]


@pytest.mark.parametrize("ids", [BLOCK, SCATTERED], ids=["block", "scattered"])
def test_database_accepts_many_balanced_vouchers_at_once(
    ledger: Connection, ids: list[int]
) -> None:
    ledger.execute(text(_balanced(ids)))
    ledger.execute(text(_vouchers(ledger, ids)))
    count = ledger.execute(text("SELECT count(*) FROM voucher WHERE id >= 5000")).scalar_one()
    assert count == len(ids)


@pytest.mark.parametrize("ids", [BLOCK, SCATTERED], ids=["block", "scattered"])
def test_database_refuses_many_vouchers_when_one_is_unbalanced(
    ledger: Connection, ids: list[int]
) -> None:
    ledger.execute(text(_balanced(ids, off=ids[len(ids) // 2])))
    with pytest.raises(DatabaseError, match="two or more postings"):
        ledger.execute(text(_vouchers(ledger, ids)))


@pytest.mark.parametrize("ids", [BLOCK, SCATTERED], ids=["block", "scattered"])
def test_database_refuses_many_vouchers_when_one_has_one_posting(
    ledger: Connection, ids: list[int]
) -> None:
    ledger.execute(text(_balanced(ids, single=ids[-1])))
    with pytest.raises(DatabaseError, match="two or more postings"):
        ledger.execute(text(_vouchers(ledger, ids)))


def test_database_refuses_many_vouchers_when_one_has_no_posting(ledger: Connection) -> None:
    ledger.execute(text(_balanced(BLOCK[:-1])))
    with pytest.raises(DatabaseError, match="two or more postings"):
        ledger.execute(text(_vouchers(ledger, BLOCK)))


def test_database_refuses_new_postings_when_one_joins_an_existing_voucher(
    ledger: Connection,
) -> None:
    existing = ledger.execute(text("SELECT min(id) FROM voucher")).scalar_one()
    statement = _balanced(BLOCK) + f", ({existing}, 99, '1920', 0, '')"
    with pytest.raises(DatabaseError, match="existing voucher"):
        ledger.execute(text(statement))


def test_database_accepts_new_postings_below_the_highest_voucher(ledger: Connection) -> None:
    """An id below a stored voucher's is new as long as no voucher has it."""
    ledger.execute(text(_balanced([900_001])))
    ledger.execute(text(_vouchers(ledger, [900_001])))
    ledger.execute(text(_balanced(BLOCK)))
    ledger.execute(text(_vouchers(ledger, BLOCK)))
    count = ledger.execute(text("SELECT count(*) FROM voucher WHERE id >= 5000")).scalar_one()
    assert count == len(BLOCK) + 1
