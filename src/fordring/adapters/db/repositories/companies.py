"""Companies, their number series and id blocks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, func, insert, select, text, update

from fordring.adapters.db.repositories.change_log import changes_of, record_change
from fordring.adapters.db.repositories.customers import customer_from_row
from fordring.adapters.db.tables import company, company_kid, customer, id_allocator, number_series
from fordring.domain.company import Address, Company, KidPolicy
from fordring.domain.customers import Customer
from fordring.domain.errors import RuleViolation
from fordring.domain.input_rules import MAX_INTEGER
from fordring.domain.kid import KidAlgorithm
from fordring.domain.ledger import VoucherType
from fordring.services.ports.companies import Change


def _company(row: Any) -> Company:
    return Company(
        id=row.id,
        orgnr=row.orgnr,
        name=row.name,
        account=row.account,
        address=Address(row.street, row.postcode, row.city, row.country),
        vat_registered=row.vat_registered,
        foretaksregisteret=row.foretaksregisteret,
        kid_policy=KidPolicy(KidAlgorithm(row.kid_algorithm), row.kid_length),
        default_terms_days=row.default_terms_days,
        email=row.email,
    )


class SqlCompanies:
    """The register of every company (unscoped: adding one, finding one by orgnr)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(
        self, new: Company, first_numbers: Mapping[str, int], types: Sequence[VoucherType]
    ) -> Company:
        self.connection.execute(
            insert(company).values(
                orgnr=new.orgnr,
                name=new.name,
                street=new.address.street,
                postcode=new.address.postcode,
                city=new.address.city,
                country=new.address.country,
                account=new.account,
                email=new.email,
                vat_registered=new.vat_registered,
                foretaksregisteret=new.foretaksregisteret,
                kid_algorithm=new.kid_policy.algorithm.value,
                kid_length=new.kid_policy.length,
                default_terms_days=new.default_terms_days,
            )
        )
        stored = self.by_orgnr(new.orgnr)
        assert stored is not None and stored.id is not None
        series = SqlNumberSeries(self.connection, stored.id)
        for name, first in first_numbers.items():
            series.start(name, first)
        from fordring.adapters.db.repositories.ledger import SqlLedger  # it uses reserve_ids

        SqlLedger(self.connection, stored.id).add_voucher_types(types)
        return stored

    def by_orgnr(self, orgnr: str) -> Company | None:
        row = self.connection.execute(select(company).where(company.c.orgnr == orgnr)).first()
        return _company(row) if row else None

    def all(self) -> list[Company]:
        rows = self.connection.execute(select(company).order_by(company.c.id))
        return [_company(row) for row in rows]


_COMPANY = select(company).where(company.c.id == bindparam("company_id"))  # built once
# The company and its customer numbered as bound (customers._BY_NUMBER's conditions), the
# customer's columns as customer_<name>: none when it has no such customer.
_CUSTOMER = [c.label(f"customer_{c.name}") for c in customer.c]
_WITH_CUSTOMER = (
    select(company, *_CUSTOMER)
    .select_from(
        company.outerjoin(
            customer,
            (customer.c.company_id == company.c.id)
            & (customer.c.number == bindparam("number"))
            & customer.c.merged_into_id.is_(None),
        )
    )
    .where(company.c.id == bindparam("company_id"))
)


class _CustomerPart:
    """The customer's columns of a `_WITH_CUSTOMER` row, by their own names."""

    def __init__(self, row: Any) -> None:
        self.row = row._mapping

    def __getattr__(self, name: str) -> Any:
        return self.row[f"customer_{name}"]


_RESERVE_IDS = select(
    func.fordring_reserve_ids(bindparam("name", type_=String), bindparam("count", type_=Integer))
)


class SqlCurrentCompany:
    """The scope's company."""

    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def current(self) -> Company:
        row = self.connection.execute(_COMPANY, {"company_id": self.company_id}).one()
        return _company(row)

    def current_and_customer(self, number: int) -> tuple[Company, Customer | None]:
        given = {"company_id": self.company_id, "number": number}
        row = self.connection.execute(_WITH_CUSTOMER, given).one()
        found = row.customer_id is not None
        return _company(row), customer_from_row(_CustomerPart(row)) if found else None

    def change(self, new: Company) -> None:
        self.connection.execute(
            update(company)
            .where(company.c.id == self.company_id)
            .values(
                name=new.name,
                street=new.address.street,
                postcode=new.address.postcode,
                city=new.address.city,
                account=new.account,
                email=new.email,
                vat_registered=new.vat_registered,
                kid_algorithm=new.kid_policy.algorithm.value,
                kid_length=new.kid_policy.length,
                default_terms_days=new.default_terms_days,
            )
        )

    def record(self, change: Change) -> None:
        record_change(self.connection, self.company_id, change)

    def changes(self, subject: str | None = None, key: str | None = None) -> list[Change]:
        return changes_of(self.connection, self.company_id, subject, key)

    def kids_of_lengths(self, lengths: Sequence[int]) -> list[str]:
        rows = self.connection.execute(
            select(company_kid.c.kid).where(
                (company_kid.c.company_id == self.company_id)
                & func.length(company_kid.c.kid).in_(sorted(set(lengths)))
            )
        )
        return [row.kid for row in rows]


# `take` for several series at once (PostgreSQL): their rows locked in name order first.
_TAKE_EACH = text(
    """
    WITH wanted AS (
        SELECT unnest(CAST(:names AS text[])) AS series,
               unnest(CAST(:counts AS bigint[])) AS count
    ), locked AS (
        SELECT series FROM number_series
        WHERE company_id = :company_id AND series = ANY(CAST(:names AS text[]))
        ORDER BY series
        FOR UPDATE
    )
    UPDATE number_series AS n SET next_value = n.next_value + wanted.count
    FROM locked JOIN wanted ON wanted.series = locked.series
    WHERE n.company_id = :company_id AND n.series = locked.series
      AND n.next_value <= :most - wanted.count
    RETURNING n.series, n.next_value - wanted.count AS first
    """
)


class SqlNumberSeries:
    """The scope's company's number series: one row per series, locked by the UPDATE."""

    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id

    def start(self, series: str, first: int) -> None:
        company_id = self.company_id
        self.connection.execute(
            insert(number_series).values(company_id=company_id, series=series, next_value=first)
        )

    def take(self, series: str, count: int = 1) -> int:
        """The first of `count` numbers; RuleViolation when the series would pass the
        largest whole number a column holds (a series started at 2^63 - 1, say): on
        PostgreSQL the sum overflows, SQLite would turn it into a float."""
        company_id = self.company_id
        where = (number_series.c.company_id == company_id) & (number_series.c.series == series)
        row = self.connection.execute(
            update(number_series)
            .where(where & (number_series.c.next_value <= MAX_INTEGER - count))
            .values(next_value=number_series.c.next_value + count)
            .returning(number_series.c.next_value)
        ).one_or_none()
        if row is None:
            raise RuleViolation(
                f"number: the {series} numbers are used up (the next would pass "
                f"{MAX_INTEGER}); nothing was written"
            )
        return int(row.next_value) - count

    def take_each(self, counts: Mapping[str, int]) -> dict[str, int]:
        """The first of `count` numbers of each series: one statement on PostgreSQL, which
        locks the series' rows in the order of their names (as `take` one after the other
        would, so two of them cannot deadlock), then moves each on."""
        wanted = {series: n for series, n in sorted(counts.items()) if n > 0}
        if len(wanted) < 2 or self.connection.dialect.name != "postgresql":
            return {series: self.take(series, n) for series, n in wanted.items()}
        taken = {
            row.series: int(row.first)
            for row in self.connection.execute(
                _TAKE_EACH,
                {
                    "company_id": self.company_id,
                    "names": list(wanted),
                    "counts": list(wanted.values()),
                    "most": MAX_INTEGER,
                },
            )
        }
        for series, n in wanted.items():
            if series not in taken:  # used up: `take` says which, and why
                taken[series] = self.take(series, n)
        return taken

    def peek(self, series: str) -> int:
        where = (number_series.c.company_id == self.company_id) & (number_series.c.series == series)
        return int(
            self.connection.execute(select(number_series.c.next_value).where(where)).one()[0]
        )

    def raise_to(self, series: str, at_least: int) -> None:
        """The series continues at `at_least` or later (at most at the largest number,
        where `take` says it is used up)."""
        company_id = self.company_id
        at_least = min(at_least, MAX_INTEGER)
        self.connection.execute(
            update(number_series)
            .where(
                (number_series.c.company_id == company_id)
                & (number_series.c.series == series)
                & (number_series.c.next_value < at_least)
            )
            .values(next_value=at_least)
        )


def reserve_ids(connection: Connection, name: str, count: int) -> int:
    """`count` consecutive ids for table `name`; returns the first.

    PostgreSQL takes them from the kind's sequence (migration 0011_races): nothing is held
    until commit, so one company's daily run never makes another company's write wait.
    SQLite's single writer serialises anyway: the `id_allocator` row is enough there."""
    if connection.dialect.name == "postgresql":
        first = connection.execute(_RESERVE_IDS, {"name": name, "count": max(count, 1)})
        return int(first.scalar_one())
    row = connection.execute(
        update(id_allocator)
        .where(id_allocator.c.name == name)
        .values(next_value=id_allocator.c.next_value + count)
        .returning(id_allocator.c.next_value)
    ).one()
    return int(row.next_value) - count


def raise_ids(connection: Connection, name: str, at_least: int) -> None:
    """The next id of kind `name` is at least `at_least` (rows written with their own ids,
    as a benchmark's bulk load does)."""
    connection.execute(
        update(id_allocator)
        .where((id_allocator.c.name == name) & (id_allocator.c.next_value < at_least))
        .values(next_value=at_least)
    )
    if connection.dialect.name == "postgresql":
        taken = reserve_ids(connection, name, 1)  # also makes the kind's sequence if new
        if taken < at_least - 1:
            connection.execute(
                select(func.setval(func.to_regclass(f"id_seq_{name}"), at_least - 1))
            )
