"""A row can name only its own company's rows (issue 13, point 1; migration 0013): the
database refuses a child row of company A that names company B's customer, invoice, case,
collection list or bank file, whatever the code above does. Tried three ways, with two
companies holding data of every kind (tests/integration/test_tenant_isolation.py):

- in SQL, through the unscoped unit of work (no row-level security to stop it): every
  composite key of the migration refuses, as a `Conflict` (never a driver traceback);
- through repositories that write ids as given: a Conflict, nothing written;
- through the command line with B's numbers in A's company: refused, exit 2, one line."""

from __future__ import annotations

import importlib
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from tests.conftest import Run
from tests.integration.test_tenant_isolation import A_ORGNR, DAY, B, two  # noqa: F401
from tests.sql import connection

from fordring import bootstrap
from fordring.domain.errors import Conflict
from fordring.services.ports import GlobalUnitOfWork, NewCharge, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import COMMAND_LINE, Scope

pytestmark = pytest.mark.e2e

SAME_COMPANY: tuple[tuple[str, str, str], ...] = importlib.import_module(
    "fordring.adapters.db.migrations.versions.0013_collector"
).SAME_COMPANY

# Columns with a unique key of their own: B's parent that a row names already is refused
# by that key before the foreign key is checked (SQLite), so it cannot be tried.
UNIQUE = {
    ("dispatch", "invoice_id"),
    ("dispatch", "collection_list_id"),
    ("case_invoice", "invoice_id"),
}


def _first(uow: UnitOfWork | GlobalUnitOfWork, sql: str, **params: Any) -> Any:
    return connection(uow).execute(text(sql), params).first()


def test_every_composite_key_refuses_another_companys_row(
    two: tuple[int, B],  # noqa: F811 (the fixture)
    uow_factory: UnitOfWorkFactory,
) -> None:
    a_id, b = two
    refused, untried = [], []
    for child, column, parent in SAME_COMPANY:
        with uow_factory.unscoped() as uow:
            mine = _first(  # one that names a row already, if any: check constraints stay quiet
                uow,
                f"SELECT {_key(child)} FROM {child} WHERE company_id = :a "
                f"ORDER BY CASE WHEN {column} IS NULL THEN 1 ELSE 0 END",
                a=a_id,
            )
            theirs = _first(  # one no row names yet, if any: unique keys stay quiet
                uow,
                f"SELECT id FROM {parent} WHERE company_id = :b ORDER BY CASE WHEN id IN "
                f"(SELECT {column} FROM {child} WHERE {column} IS NOT NULL) THEN 1 ELSE 0 END, id",
                b=b.company_id,
            )
            taken = (
                theirs is not None
                and (child, column) in UNIQUE
                and _first(uow, f"SELECT 1 FROM {child} WHERE {column} = :t", t=theirs[0])
            )
            if mine is None or theirs is None or taken:
                untried.append(f"{child}.{column}")
                continue
            with pytest.raises(Conflict, match="not this company's"):
                connection(uow).execute(
                    text(f"UPDATE {child} SET {column} = :theirs WHERE {_where(child)}"),
                    {"theirs": theirs[0], "key": mine[0]},
                )
            refused.append(f"{child}.{column}")
    # A is served by no collector (no client_kid rows), and B's one collection list is
    # named by its dispatch already: every other key was tried.
    assert set(untried) <= {"client_kid.case_id", "dispatch.collection_list_id"}, untried
    assert len(refused) == len(SAME_COMPANY) - len(untried)


def _key(table: str) -> str:
    """A column that tells the table's rows apart."""
    return {"case_invoice": "invoice_id", "company_kid": "kid", "client_kid": "kid"}.get(
        table, "id"
    )


def _where(table: str) -> str:
    return f"{_key(table)} = :key"


def test_repositories_writing_ids_as_given_are_refused(
    two: tuple[int, B],  # noqa: F811 (the fixture)
    uow_factory: UnitOfWorkFactory,
) -> None:
    a_id, b = two
    scope = Scope(a_id, COMMAND_LINE, DAY)
    with uow_factory(scope) as uow:
        case_id = _first(uow, "SELECT id FROM collection_case WHERE company_id = :a", a=a_id)[0]
        charge = NewCharge(10**6, case_id, b.id("invoice"), "fee", Decimal(1), DAY, None, 1)
        with pytest.raises(Conflict, match="not this company's"):
            uow.collection.add_charges([charge])
    with uow_factory(scope) as uow:
        number = _first(uow, "SELECT number FROM payment WHERE company_id = :a", a=a_id)[0]
        found = uow.payments.get(number)
        assert found is not None
        crossed = replace(
            found.row,
            id=uow.payments.reserve_ids(1),
            number=10**6,
            case_id=b.id("case"),
            customer_id=b.id("customer"),
        )
        with pytest.raises(Conflict, match="not this company's"):
            uow.payments.add_payments([crossed])
    with uow_factory.unscoped() as uow:
        assert _first(uow, "SELECT id FROM charge WHERE id = :i", i=10**6) is None
        assert _first(uow, "SELECT id FROM payment WHERE number = :n", n=10**6) is None


def test_the_command_line_refuses_another_companys_numbers_in_one_line(
    two: tuple[int, B],  # noqa: F811 (the fixture)
    run: Run,
) -> None:
    _, b = two
    customer, invoice = str(b.number("customer")), str(b.number("invoice"))
    for args in (
        ("recurring", "add", "--customer", customer, "--text", "Leie",
         "--line", "Leie;1;100;0", "--interval", "monthly", "--issue-day", "1",
         "--start", "2026-05-01"),
        ("invoice", "create", "--customer", customer, "--line", "Time;1;100;25"),
        ("invoice", "credit", invoice),
        ("collection", "send", invoice),
    ):  # fmt: skip
        done = run("--company", A_ORGNR, *args, date="2026-04-20")
        assert done.exit_code == 2, (args, done.output)
        assert "Traceback" not in done.output and "IntegrityError" not in done.output
    assert bootstrap  # the CLI's app is built from it
