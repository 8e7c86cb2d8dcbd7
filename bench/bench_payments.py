"""Benchmark (not a test): an OCR file of N payments parsed, matched, posted and settled.

Targets (issue 5): 100,000 payments parsed, matched, posted and settled in ≤ 10 s on
PostgreSQL and on SQLite; the same file again refused in ≤ 1 s.

The file (written with netsgiro's records) pays 100,000 invoices on the collector's
client account: 94 % by invoice KID (a tenth of them partly), 4 % with the invoice number in
free text and no KID, 2 % with a KID nobody has (unmatched). Settlement is the next banking
day's run.

    python bench/bench_payments.py [--payments 100000] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench_invoice_import import OUT, fresh_database, write_files
from fordring import bootstrap
from fordring.adapters.bank.ocr_writer import write_ocr
from fordring.domain import kid as kids
from fordring.domain.bank_files import BankTransaction
from fordring.services.collection import set_agreement
from fordring.services.companies import NewCompany, add_company, company_id, find_company
from fordring.services.customers import import_customers
from fordring.services.daily_run import run_collection
from fordring.services.invoice_import import import_invoices
from fordring.services.invoicing import list_invoices
from fordring.services.payment_import import import_bank_file
from fordring.services.scope import COMMAND_LINE, Scope

TODAY = date(2026, 3, 2)
PAID_ON = date(2026, 3, 6)  # a Friday: settled on Monday
SETTLED_ON = date(2026, 3, 9)
CLIENT_ACCOUNT = "15032080119"


class _NoLetters:
    def render_letters(self, letters: object) -> list[bytes]:
        return []

    def render_collection_list(self, lst: object) -> bytes:
        return b""


class _NoOutbox:
    def put(self, document: object) -> str:
        return ""


def bench_scope(factory: Any) -> Scope:
    """The bench company's scope."""
    return Scope(company_id(find_company("923609016", factory)), COMMAND_LINE, TODAY)


def payments_file(path: Path, invoices: list[tuple[int, str, Decimal]], count: int) -> None:
    """An OCR giro file paying `count` of `invoices` (number, KID, open amount)."""
    rng = random.Random(11)
    paid = []
    for n, (number, kid, amount) in enumerate(rng.sample(invoices, count), start=1):
        text = ""
        roll = n % 50
        if roll < 2:  # a KID nobody has (valid check digit)
            kid = kids.generate(9_000_000 + n, kids.KidAlgorithm.MOD10, 10)
        elif roll < 4:  # no KID: the invoice number in free text
            kid, text = "", f"Faktura {number}"
        elif roll < 9:  # a part payment
            amount = (amount / 2).quantize(Decimal("0.01"))
        paid.append(
            BankTransaction(f"{n}", CLIENT_ACCOUNT, amount, PAID_ON, kid or None, text=text)
        )
    write_ocr(path, paid, transmission="1000001", account=CLIENT_ACCOUNT, nets_date=PAID_ON)


def run(backend: str, payments: int) -> None:
    customer_file, invoice_file = write_files(payments, max(1000, payments // 5))
    url = fresh_database(backend)
    factory = bootstrap.uow_factory(url)
    add_company(NewCompany(orgnr="923609016", name="Bench AS", account="86011117947"), factory)
    import_customers(bootstrap.open_csv(str(customer_file)), bench_scope(factory), TODAY, factory)
    import_invoices(bootstrap.open_csv(str(invoice_file)), bench_scope(factory), TODAY, factory)
    set_agreement(
        {
            "pay_to": "client_account",
            "client_account": CLIENT_ACCOUNT,
            "collector_name": "Bench Inkasso AS",
        },
        bench_scope(factory),
        factory,
    )
    ocr = OUT / f"payments_{payments}.ocr"
    open_invoices = [
        (i.number, i.kid, i.open_amount) for i in list_invoices(bench_scope(factory), True, factory)
    ]
    started = time.perf_counter()
    payments_file(ocr, open_invoices, payments)
    written = time.perf_counter() - started
    book = bootstrap.rate_book()
    reader = bootstrap.bank_file_reader()

    started = time.perf_counter()
    report = import_bank_file(ocr, bench_scope(factory), PAID_ON, factory, reader, book)
    imported = time.perf_counter() - started
    started = time.perf_counter()
    run_report = run_collection(
        bench_scope(factory), SETTLED_ON, SETTLED_ON, factory, _NoLetters(), _NoOutbox(), book
    )
    settled = time.perf_counter() - started
    settlement = run_report.days[-1].settlement
    assert settlement is not None
    started = time.perf_counter()
    try:
        import_bank_file(ocr, bench_scope(factory), PAID_ON, factory, reader, book)
        raise AssertionError("the same file was imported twice")
    except Exception as error:  # the refusal is what is timed
        refused = time.perf_counter() - started
        reason = str(error)[:70]
    print(f"{backend}: wrote the OCR file ({payments:,} payments) with netsgiro in {written:.1f} s")
    print(
        f"{backend}: import {imported:.2f} s (parse, match, post): matched "
        f"{sum(report.matched.values()):,} {report.matched}, unmatched {report.unmatched:,}"
    )
    print(
        f"{backend}: settlement {settled:.2f} s: {len(settlement.payments):,} payments, "
        f"received {settlement.received:,.2f}, paid out {settlement.paid_out:,.2f}"
    )
    print(f"{backend}: total {imported + settled:.2f} s (target ≤ 10 s)")
    print(f"{backend}: the same file again refused in {refused:.3f} s ({reason}…)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.payments)


if __name__ == "__main__":
    main()
