"""Benchmark (not a test): a day of recurring invoices issued by the daily run and
delivered by the chain (no target in the issue; figures for docs/performance.md).

N customers each have a monthly agreement (two lines). One daily run issues the N
invoices (`issue_due`: one batch) and queues them; `deliver_waiting` then renders each PDF
(Typst, 2 workers) and delivers it: half the customers have an e-mail address (a mail
pickup folder: a real .eml file each), the rest go on paper, and the day's print batch is
built at the end.

    python bench/bench_delivery.py [--customers 2000] [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import date
from typing import Any

from bench_invoice_import import OUT, PIN_KEY, fresh_database
from fordring import bootstrap
from fordring.adapters.email.pickup import PickupFolderMailer
from fordring.adapters.paper_outbox import FolderOutbox
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.recurring import parse_interval
from fordring.domain.text_input import parse_line_spec
from fordring.services.companies import NewCompany, add_company, company_id, find_company
from fordring.services.customers import import_customers
from fordring.services.day_graph import run_collection
from fordring.services.delivery import BATCH, deliver_waiting
from fordring.services.delivery_channels import DeliveryChannels
from fordring.services.recurring import NewAgreement, add_agreement
from fordring.services.scope import COMMAND_LINE, Scope

DAY = date(2026, 3, 2)


def bench_scope(factory: Any) -> Scope:
    """The bench company's scope."""
    return Scope(company_id(find_company("923609016", factory)), COMMAND_LINE, DAY)


def _customers(count: int) -> str:
    path = OUT / f"delivery_customers_{count}.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write("number;kind;name;address;postcode;city;email\n")
        for n in range(count):
            email = f"kunde{n}@example.no" if n % 2 else ""
            out.write(f"{10000 + n};consumer;Person {n};Storgata {n % 90 + 1};0150;Oslo;{email}\n")
    return str(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--batch", type=int, default=BATCH, help="documents per transaction")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    url = fresh_database(args.backend)
    factory = bootstrap.uow_factory(url)
    add_company(
        NewCompany(orgnr=Orgnr("923609016"), name="Bench AS", account=BankAccount("86011117947")),
        factory,
    )
    import_customers(
        bootstrap.customer_file(_customers(args.customers)), bench_scope(factory), factory
    )
    scope = bench_scope(factory)
    lines = [parse_line_spec("Husleie;1;12000;0"), parse_line_spec("Felleskostnader;1;850;25")]
    started = time.perf_counter()
    for n in range(args.customers):
        add_agreement(
            NewAgreement(
                10000 + n, "Husleie", lines, parse_interval("monthly"), 1, date(2026, 3, 1)
            ),
            scope,
            factory,
        )
    print(f"{args.customers:,} agreements added one by one: {time.perf_counter() - started:.1f} s")
    folder = OUT / "delivery"
    shutil.rmtree(folder, ignore_errors=True)
    paper = FolderOutbox(folder / "paper")
    with bootstrap.letter_renderer() as letters, bootstrap.invoice_renderer() as invoices:
        started = time.perf_counter()
        report = run_collection(
            bench_scope(factory), DAY, DAY, factory, rate_book(), pin_key=PIN_KEY
        )
        issued = sum(len(d.issued) for d in report.days)
        elapsed = time.perf_counter() - started
        print(
            f"daily run ({args.backend}): {issued:,} invoices issued and queued in {elapsed:.2f} s"
        )
        channels = DeliveryChannels(
            invoices, letters, paper, mailer=PickupFolderMailer(folder / "email")
        )
        started = time.perf_counter()
        delivered = deliver_waiting(
            bench_scope(factory), factory, channels, bootstrap.now, batch=args.batch
        )
        elapsed = time.perf_counter() - started
        print(
            f"delivered {delivered.total:,} ({dict(delivered.sent)}, {delivered.failed} failed), "
            f"{args.batch} a transaction, in {elapsed:.2f} s: "
            f"{delivered.total / elapsed:.0f} documents/s, the print batch included"
        )
        started = time.perf_counter()
        again = deliver_waiting(bench_scope(factory), factory, channels, bootstrap.now)
        print(f"delivering again: {again.total} documents in {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
