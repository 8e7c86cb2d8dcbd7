"""A database with many letters waiting for delivery, built fast (the delivery workers' test
and bench/bench_worker_letters.py): `letters` cases spread over `companies` companies, a
week overdue on DAY, written straight into the tables (as bench/bench_daily_run.py writes
its cases), then DAY run in-process for each company with the product's own run: each case
gets its fee-free reminder, queued for delivery on paper (the customers have a postal
address and no e-mail). Nothing is delivered yet. PostgreSQL or SQLite."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text

from fordring import bootstrap
from fordring.adapters.db.bulk import write_rows
from fordring.adapters.db.engine import open_database
from fordring.adapters.db.repositories.invoices import INVOICE_COLUMNS
from fordring.domain import kid as kids
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.kid import KidAlgorithm
from fordring.domain.law.builtin_rates import rate_book
from fordring.services.companies import NewCompany, add_company, company_id, find_company
from fordring.services.day_graph import run_collection
from fordring.services.scope import COMMAND_LINE, Scope
from tests import builders

DAY = date(2026, 3, 16)  # a Monday
DUE = DAY - timedelta(days=7)  # a week overdue: the reminder is due today
CUSTOMER_COLUMNS = ("id", "company_id", "number", "kind", "name", "street", "postcode", "city")
CASE_COLUMNS: tuple[str, ...] = ("id", "company_id", "number", "customer_id", "kid", "state")
CASE_COLUMNS += ("registered_on", "wake_on")


def orgnrs(count: int) -> list[str]:
    """`count` valid organisation numbers (mod 11), in order."""
    found: list[str] = []
    body = 91000000
    while len(found) < count:
        body += 1
        weighted = zip(map(int, str(body)), (3, 2, 7, 6, 5, 4, 3, 2), strict=True)
        check = (11 - sum(d * w for d, w in weighted) % 11) % 11
        if check < 10:
            found.append(f"{body}{check}")
    return found


def letters_waiting(url: str, letters: int, companies: int | list[int]) -> list[int]:
    """Companies (a count, or how many letters each) whose `letters` reminders of DAY wait
    in the delivery queue; the companies' ids, in order."""
    shares = companies if isinstance(companies, list) else [letters // companies] * companies
    shares[-1] += letters - sum(shares)
    factory = bootstrap.uow_factory(url)
    ids = []
    for n, number in enumerate(orgnrs(len(shares))):
        add_company(
            NewCompany(
                orgnr=Orgnr(number), name=f"Kreditor {n} AS", account=BankAccount("86011117947")
            ),
            factory,
        )
        ids.append(company_id(find_company(number, factory)))
    owners = [company for company, share in zip(ids, shares, strict=True) for _ in range(share)]
    customers, invoices, cases, links = [], [], [], []
    for n, company in enumerate(owners, start=1):
        customers.append(
            (n, company, 10000 + n, "consumer", f"Person {n}", f"Gate {n % 90 + 1}", "0150", "Oslo")
        )
        amount = Decimal(1000 + n % 4000)
        invoices.append(
            (
                n, company, n, "invoice", n, DUE - timedelta(days=14), DUE, "NOK", 1,
                amount, 0, amount, amount, amount, kids.generate(n, KidAlgorithm.MOD10, 10),
                None, False, 0,
            )
        )  # fmt: skip
        kid = kids.generate(n, KidAlgorithm.MOD10, 11)
        cases.append((n, company, n, n, kid, "registered", DUE, DAY))
        links.append((company, n, n))
    engine = open_database(url).engine
    with engine.begin() as connection:
        write_rows(connection, "customer", CUSTOMER_COLUMNS, customers)
        write_rows(connection, "invoice", INVOICE_COLUMNS, invoices)
        write_rows(connection, "collection_case", CASE_COLUMNS, cases)
        write_rows(connection, "case_invoice", ("company_id", "case_id", "invoice_id"), links)
        connection.execute(
            text("UPDATE number_series SET next_value = :v WHERE series = 'case'"),
            {"v": letters + 1},
        )
        if engine.dialect.name == "postgresql":
            for table in ("customer", "invoice", "collection_case"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :v)"),
                    {"v": letters + 1},
                )
            connection.execute(text("ANALYZE"))
    book = rate_book()
    for company in ids:
        run_collection(
            Scope(company, COMMAND_LINE, DAY), DAY, DAY, factory, book, pin_key=builders.PIN_KEY
        )
    return ids
