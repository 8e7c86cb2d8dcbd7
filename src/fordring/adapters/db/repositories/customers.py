"""Customers of a company."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from fordring.adapters.db.chunks import AnyOf, rows_where_in
from fordring.adapters.db.repositories.customer_merge import merge_blockers, merge_into
from fordring.adapters.db.tables import customer
from fordring.domain.company import Address
from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.language import Language
from fordring.services.ports.customers import MergeBlockers


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


# A customer (not merged away) by number: built once, the company and number bound.
_BY_NUMBER = select(customer).where(
    (customer.c.company_id == bindparam("company_id"))
    & (customer.c.number == bindparam("number"))
    & customer.c.merged_into_id.is_(None)
)

_BY_NUMBERS = AnyOf(
    select(customer).where(
        (customer.c.company_id == bindparam("company_id")) & customer.c.merged_into_id.is_(None)
    ),
    customer.c.number,
)


class SqlCustomers:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def add_many(self, customers: Sequence[Customer]) -> None:
        company_id = self.company_id
        if customers:
            self.connection.execute(insert(customer), [_values(company_id, c) for c in customers])

    def update(self, c: Customer) -> None:
        company_id = self.company_id
        self.connection.execute(
            update(customer)
            .where((customer.c.company_id == company_id) & (customer.c.id == c.id))
            .values(_values(company_id, c))
        )

    def get(self, number: int) -> Customer | None:
        found = {"company_id": self.company_id, "number": number}
        row = self.connection.execute(_BY_NUMBER, found).first()
        return customer_from_row(row) if row else None

    def by_numbers(self, numbers: Iterable[int]) -> dict[int, Customer]:
        rows = _BY_NUMBERS.rows(self.connection, numbers, {"company_id": self.company_id})
        return {row.number: customer_from_row(row) for row in rows}

    def by_id(self, customer_id: int) -> Customer | None:
        company_id = self.company_id
        row = self.connection.execute(
            select(customer).where(
                (customer.c.company_id == company_id) & (customer.c.id == customer_id)
            )
        ).first()
        return customer_from_row(row) if row else None

    def list(self, *, after: int | None = None, limit: int | None = None) -> list[Customer]:
        company_id = self.company_id
        query = (
            select(customer)
            .where((customer.c.company_id == company_id) & customer.c.merged_into_id.is_(None))
            .order_by(customer.c.number)
        )
        if after is not None:
            query = query.where(customer.c.number > after)
        rows = self.connection.execute(query.limit(limit))
        return [customer_from_row(row) for row in rows]

    def ids_by_number(self) -> dict[int, tuple[int, str]]:
        company_id = self.company_id
        rows = self.connection.execute(
            select(customer.c.number, customer.c.id, customer.c.name).where(
                (customer.c.company_id == company_id) & customer.c.merged_into_id.is_(None)
            )
        )
        return {row.number: (row.id, row.name) for row in rows}

    def existing_numbers(self, numbers: Iterable[int]) -> set[int]:
        company_id = self.company_id
        query = select(customer.c.number).where(customer.c.company_id == company_id)
        return {r.number for r in rows_where_in(self.connection, query, customer.c.number, numbers)}

    def numbers_with_orgnr(self, orgnrs: Iterable[str]) -> dict[str, int]:
        company_id = self.company_id
        query = select(customer.c.orgnr, customer.c.number).where(
            (customer.c.company_id == company_id) & customer.c.merged_into_id.is_(None)
        )
        found: dict[str, int] = {}
        for row in rows_where_in(self.connection, query, customer.c.orgnr, orgnrs):
            found[row.orgnr] = min(row.number, found.get(row.orgnr, row.number))
        return found

    def merge_blockers(self, customer_id: int) -> MergeBlockers:
        return merge_blockers(self.connection, self.company_id, customer_id)

    def merge_into(self, from_id: int, into_id: int) -> dict[str, int]:
        return merge_into(self.connection, self.company_id, from_id, into_id)
