"""Customers of a company."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from fordring.adapters.db.chunks import rows_where_in
from fordring.adapters.db.tables import customer
from fordring.domain.company import Address
from fordring.domain.customers import Customer, CustomerKind, Language


def customer_from_row(row: Any) -> Customer:
    """A Customer from a row of the `customer` table."""
    return Customer(
        id=row.id,
        number=row.number,
        kind=CustomerKind(row.kind),
        name=row.name,
        orgnr=row.orgnr,
        birth_date=row.birth_date,
        address=Address(row.street, row.postcode, row.city, row.country),
        email=row.email,
        phone=row.phone,
        peppol_id=row.peppol_id,
        language=Language(row.language),
        reminder_exempt=row.reminder_exempt,
        email_reliable=row.email_reliable,
        email_reliable_since=row.email_reliable_since,
    )


def _values(company_id: int, c: Customer) -> dict[str, Any]:
    return {
        "company_id": company_id,
        "number": c.number,
        "kind": c.kind.value,
        "name": c.name,
        "orgnr": c.orgnr,
        "birth_date": c.birth_date,
        "street": c.address.street,
        "postcode": c.address.postcode,
        "city": c.address.city,
        "country": c.address.country,
        "email": c.email,
        "phone": c.phone,
        "peppol_id": c.peppol_id,
        "language": c.language.value,
        "reminder_exempt": c.reminder_exempt,
        "email_reliable": c.email_reliable,
        "email_reliable_since": c.email_reliable_since,
    }


class SqlCustomers:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_many(self, company_id: int, customers: Sequence[Customer]) -> None:
        if customers:
            self.connection.execute(insert(customer), [_values(company_id, c) for c in customers])

    def update(self, company_id: int, c: Customer) -> None:
        self.connection.execute(
            update(customer)
            .where((customer.c.company_id == company_id) & (customer.c.id == c.id))
            .values(_values(company_id, c))
        )

    def get(self, company_id: int, number: int) -> Customer | None:
        row = self.connection.execute(
            select(customer).where(
                (customer.c.company_id == company_id) & (customer.c.number == number)
            )
        ).first()
        return customer_from_row(row) if row else None

    def by_id(self, company_id: int, customer_id: int) -> Customer | None:
        row = self.connection.execute(
            select(customer).where(
                (customer.c.company_id == company_id) & (customer.c.id == customer_id)
            )
        ).first()
        return customer_from_row(row) if row else None

    def list(self, company_id: int) -> list[Customer]:
        rows = self.connection.execute(
            select(customer).where(customer.c.company_id == company_id).order_by(customer.c.number)
        )
        return [customer_from_row(row) for row in rows]

    def ids_by_number(self, company_id: int) -> dict[int, tuple[int, str]]:
        rows = self.connection.execute(
            select(customer.c.number, customer.c.id, customer.c.name).where(
                customer.c.company_id == company_id
            )
        )
        return {row.number: (row.id, row.name) for row in rows}

    def existing_numbers(self, company_id: int, numbers: Iterable[int]) -> set[int]:
        query = select(customer.c.number).where(customer.c.company_id == company_id)
        return {r.number for r in rows_where_in(self.connection, query, customer.c.number, numbers)}
