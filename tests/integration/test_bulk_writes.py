"""Bulk writes (adapters/db/bulk.py): a few rows are one multi-row INSERT as the scope's
role, more than FEW_ROWS one COPY as the tables' owner (PostgreSQL); both store the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from tests import builders
from tests.conftest import BACKEND

from fordring.adapters.db.bulk import FEW_ROWS
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
