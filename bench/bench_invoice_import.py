"""Benchmark (not a test): `invoice import` of N invoices and aging of their open items.

Targets (issue 2): 1,000,000 invoices with lines and postings imported in ≤ 10 s on SQLite
and ≤ 15 s on PostgreSQL; aging of 1,000,000 open items in ≤ 2 s.

    python bench/bench_invoice_import.py [--invoices 1000000] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from fordring import bootstrap
from fordring.adapters.db.engine import forget_database
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.services.companies import NewCompany, add_company, company_id, find_company
from fordring.services.customers import import_customers
from fordring.services.invoice_import import import_invoices
from fordring.services.reskontro import aging
from fordring.services.scope import COMMAND_LINE, Scope

OUT = Path(__file__).parent / "out"
# the debtor's PINs on the benches' letters are kept under it (any key costs the same)
PIN_KEY = b"the benches' debtor PIN key, never a real one"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/"
TODAY = date(2026, 3, 2)
LINES = [
    ("Konsulenttime", "1250", "25"),
    ("Abonnement", "399", "25"),
    ("Matvarer", "349.90", "15"),
    ("Transport", "520", "12"),
    ("Kurs", "2500", "0"),
    ("Materialer", "187.50", "25"),
]


def bench_scope(factory: Any) -> Scope:
    """The bench company's scope."""
    return Scope(company_id(find_company("923609016", factory)), COMMAND_LINE, TODAY)


def orgnr(rng: random.Random) -> str:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        body = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        check = (11 - sum(d * w for d, w in zip(body, weights, strict=True)) % 11) % 11
        if check != 10:
            return "".join(map(str, body)) + str(check)


def write_files(invoices: int, customers: int) -> tuple[Path, Path]:
    """A customer file and an invoice file (1-3 lines per invoice, about 1.5 on average)."""
    OUT.mkdir(exist_ok=True)
    customer_file = OUT / f"customers_{customers}.csv"
    invoice_file = OUT / f"invoices_{invoices}_{customers}.csv"
    rng = random.Random(7)
    if not customer_file.exists():
        with customer_file.open("w", encoding="utf-8") as out:
            out.write("number;kind;name;orgnr;postcode;city\n")
            for n in range(customers):
                if n % 3:
                    out.write(f"{10000 + n};consumer;Person {n};;0150;Oslo\n")
                else:
                    out.write(f"{10000 + n};business;Firma {n} AS;{orgnr(rng)};5003;Bergen\n")
    if not invoice_file.exists():
        start = TODAY - timedelta(days=200)
        with invoice_file.open("w", encoding="utf-8") as out:
            out.write("number;customer;issue_date;due_date;description;quantity;unit_price;vat\n")
            for n in range(1, invoices + 1):
                issued = start + timedelta(days=n * 200 // invoices)
                due = issued + timedelta(days=14)
                customer = 10000 + rng.randrange(customers)
                count = rng.choices((1, 2, 3), (6, 3, 1))[0]
                for i in range(count):
                    text_, price, vat = LINES[rng.randrange(len(LINES))]
                    quantity = rng.choice(("1", "2", "3", "7.5"))
                    head = f"{customer};{issued};{due}" if i == 0 else ";;"
                    out.write(f"{n};{head};{text_};{quantity};{price};{vat}\n")
    return customer_file, invoice_file


def fresh_database(backend: str) -> str:
    if backend == "sqlite":
        path = OUT / "bench.db"
        return bootstrap.fresh_sqlite(str(path))
    # Its own name lets several worktrees benchmark on one server at once.
    name = os.environ.get("FORDRING_BENCH_DATABASE", "fordring_bench")
    admin = create_engine(POSTGRES + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    url = POSTGRES + name
    forget_database(url)
    bootstrap.migrate(url)
    return url


def run(backend: str, invoices: int, customers: int) -> None:
    customer_file, invoice_file = write_files(invoices, customers)
    url = fresh_database(backend)
    factory = bootstrap.uow_factory(url)
    add_company(
        NewCompany(orgnr=Orgnr("923609016"), name="Bench AS", account=BankAccount("86011117947")),
        factory,
    )
    import_customers(bootstrap.customer_file(str(customer_file)), bench_scope(factory), factory)
    started = time.perf_counter()
    result = import_invoices(
        bootstrap.invoice_file(str(invoice_file)), bench_scope(factory), factory
    )
    imported = time.perf_counter() - started
    started = time.perf_counter()
    (total,) = aging(bench_scope(factory), TODAY, False, factory)
    aged = time.perf_counter() - started
    started = time.perf_counter()
    per_customer = aging(bench_scope(factory), TODAY, True, factory)
    aged_by_customer = time.perf_counter() - started
    print(
        f"{backend}: imported {result.records:,} invoices ({result.lines:,} lines) "
        f"in {imported:.2f} s = {result.records / imported:,.0f} invoices/s"
    )
    print(
        f"{backend}: aging of {total.count:,} open items in {aged:.2f} s (total), "
        f"{aged_by_customer:.2f} s ({len(per_customer) - 1:,} customers); "
        f"open {total.total:,.2f} NOK"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.invoices, args.customers)


if __name__ == "__main__":
    main()
