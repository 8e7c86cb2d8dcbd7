"""The customer ledger report: aging of open items as of the business date (SPEC L3)."""

from __future__ import annotations

from datetime import date

from fordring.domain.reskontro import AgingRow
from fordring.services.companies import company_id, resolve_company
from fordring.services.ports import UnitOfWorkFactory


def aging(
    company_orgnr: str | None, as_of: date, by_customer: bool, uow_factory: UnitOfWorkFactory
) -> list[AgingRow]:
    """Open amounts per aging bucket, per customer (and a total row last) or in total."""
    with uow_factory() as uow:
        cid = company_id(resolve_company(uow, company_orgnr))
        rows = uow.reskontro.aging(cid, as_of, by_customer=by_customer)
        if by_customer:
            rows += uow.reskontro.aging(cid, as_of, by_customer=False)
        return rows
