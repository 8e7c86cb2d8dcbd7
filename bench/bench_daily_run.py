"""Benchmark (not a test): one day of `fordring run` over 1,000,000 open collection cases,
50,000 of which change state that day, and the same day run again.

Targets (issue 4): ≤ 20 s on SQLite and ≤ 30 s on PostgreSQL, peak memory ≤ 1 GB, the
re-run ≤ 5 s. The day's letters are stored as data in the run; rendering them is a separate
phase measured by bench_letters.py (≥ 300 letters/s on 2 cores).

The open cases are written straight into the tables (customers, invoices, cases, their
letters) to save building a million cases through the product: the invoices carry no
vouchers, so the ledger check does not apply to this database. The run itself is the
product's, with its real letters, fee charges and vouchers. Of the open cases:
20,000 get their fee-free reminder, 20,000 their collection notice with fee (2 invoices
each: a consolidated notice) and 10,000 go on the collection list; the rest wake later.

    python bench/bench_daily_run.py [--cases 1000000] [--changes 50000]
        [--backend sqlite|postgresql|both] [--statements] [--webhook]

`--webhook` subscribes one endpoint to every webhook type before the run, so the day also
writes its events' webhook messages and deliveries (docs/webhooks.md; nothing is sent).

`--statements` prints the statements of the run that took longest: wall time and, on
PostgreSQL, the CPU time its server process spent on them (statement_times.py), which a
busy machine hardly changes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import text

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from bench_invoice_import import OUT, PIN_KEY, fresh_database
from fordring import bootstrap
from fordring.adapters.db.bulk import write_rows
from fordring.adapters.db.engine import open_database
from fordring.adapters.db.repositories.collection_run_status import RunStatusWrites
from fordring.adapters.db.repositories.companies import raise_ids
from fordring.adapters.db.repositories.invoices import INVOICE_COLUMNS
from fordring.domain import kid as kids
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.kid import KidAlgorithm
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.webhooks import SUBSCRIBABLE
from fordring.services.companies import NewCompany, add_company, company_id, find_company
from fordring.services.day_graph import run_collection
from fordring.services.scope import COMMAND_LINE, Scope
from fordring.services.webhooks import add_endpoint
from statement_times import statement_times

DAY = date(2026, 3, 16)  # a Monday: no collection list that day
# The columns the open cases and their earlier letters are written into (write_cases).
CASE_COLUMNS = (
    "id",
    "company_id",
    "number",
    "customer_id",
    "kid",
    "state",
    "registered_on",
    "wake_on",
)
LETTER_COLUMNS = (
    "id",
    "case_id",
    "kind",
    "letter_date",
    "deadline",
    "language",
    "fee_total",
    "total",
    "location",
    "sha256",
)
LETTER_INVOICE_COLUMNS = ("letter_id", "invoice_id", "fee", "fee_reason")
NOW = datetime(2026, 3, 16, 5, tzinfo=UTC)
CUSTOMERS = 100_000
BATCH = 50_000
MOD10 = KidAlgorithm.MOD10


def bench_scope(factory: Any) -> Scope:
    """The bench company's scope."""
    return Scope(company_id(find_company("923609016", factory)), COMMAND_LINE, DAY)


def _money(sqlite: bool, amount: Decimal) -> Any:
    return int(amount * 100) if sqlite else amount


def _day(sqlite: bool, day: date) -> Any:
    return day.isoformat() if sqlite else day


def write_cases(
    connection: Any,
    invoices: list[Any],
    cases: list[Any],
    links: list[Any],
    letters: list[Any],
    letter_invoices: list[Any],
) -> None:
    """Open cases with their invoices and earlier letters, straight into the tables (here
    and in bench_workers_day.py)."""
    write_rows(connection, "invoice", INVOICE_COLUMNS, invoices)
    write_rows(connection, "collection_case", CASE_COLUMNS, cases)
    write_rows(connection, "case_invoice", ("company_id", "case_id", "invoice_id"), links)
    write_rows(connection, "case_letter", LETTER_COLUMNS, letters)
    write_rows(connection, "case_letter_invoice", LETTER_INVOICE_COLUMNS, letter_invoices)


def populate(url: str, cases: int, changes: int) -> None:
    factory = bootstrap.uow_factory(url)
    add_company(
        NewCompany(orgnr=Orgnr("923609016"), name="Bench AS", account=BankAccount("86011117947")),
        factory,
    )
    engine = open_database(url).engine
    sqlite = engine.dialect.name == "sqlite"
    reminders, notices = changes * 2 // 5, changes * 2 // 5  # the rest of `changes`: listed
    with engine.begin() as connection:
        write_rows(
            connection,
            "customer",
            ("id", "company_id", "number", "kind", "name", "street", "postcode", "city"),
            [
                (n, 1, 10000 + n, "consumer", f"Person {n}", f"Gate {n}", "0150", "Oslo")
                for n in range(1, CUSTOMERS + 1)
            ],
        )
        invoice_id = 0
        letter_id = 0
        for start in range(0, cases, BATCH):
            invoices, case_rows, links, letters, letter_invoices = [], [], [], [], []
            for n in range(start + 1, min(cases, start + BATCH) + 1):
                # state, due date, wake-up day and letters by the case's group
                if n <= reminders:
                    state, due, wake, letter = "registered", DAY - timedelta(days=7), DAY, None
                elif n <= reminders + notices:
                    state, due, wake = "reminded", DAY - timedelta(days=22), DAY
                    letter = ("reminder", DAY - timedelta(days=15), DAY - timedelta(days=1))
                elif n <= changes:
                    state, due, wake = "notified", DAY - timedelta(days=30), DAY
                    letter = (
                        "collection_notice",
                        DAY - timedelta(days=15),
                        DAY - timedelta(days=1),
                    )
                elif n % 2:
                    state, due = "registered", DAY - timedelta(days=n % 6)
                    wake, letter = due + timedelta(days=7), None
                else:
                    state, due = "reminded", DAY - timedelta(days=8 + n % 5)
                    sent = due + timedelta(days=7)
                    letter = ("reminder", sent, sent + timedelta(days=14))
                    wake = sent + timedelta(days=15)
                customer = 1 + n % CUSTOMERS
                count = 2 if reminders < n <= reminders + notices else 1
                for _ in range(count):
                    invoice_id += 1
                    amount = Decimal(1000 + invoice_id % 4000)
                    kid = kids.generate(invoice_id, MOD10, 10)
                    invoices.append(
                        (
                            invoice_id,
                            1,
                            invoice_id,
                            "invoice",
                            customer,
                            _day(sqlite, due - timedelta(days=14)),
                            _day(sqlite, due),
                            "NOK",
                            1,
                            _money(sqlite, amount),
                            0,
                            _money(sqlite, amount),
                            _money(sqlite, amount),
                            _money(sqlite, amount),
                            kid,
                            None,  # credits no invoice
                            False,
                            0,
                        )
                    )
                    links.append((1, n, invoice_id))
                    if letter is not None:
                        letter_invoices.append((letter_id + 1, invoice_id, 0, "bench"))
                case_kid = kids.generate(n, MOD10, 11)
                case_rows.append(
                    (n, 1, n, customer, case_kid, state, _day(sqlite, due), _day(sqlite, wake))
                )
                if letter is not None:
                    letter_id += 1
                    kind, sent, deadline = letter
                    letters.append(
                        (
                            letter_id,
                            n,
                            kind,
                            _day(sqlite, sent),
                            _day(sqlite, deadline),
                            "nb",
                            0,
                            0,
                            f"bench/{letter_id}.pdf",
                            "0" * 64,
                        )
                    )
            write_cases(connection, invoices, case_rows, links, letters, letter_invoices)
        raise_ids(connection, "case_letter", letter_id + 1)
        connection.execute(
            text("UPDATE number_series SET next_value = :v WHERE series = 'case'"),
            {"v": cases + 1},
        )
        if not sqlite:
            connection.execute(text("ANALYZE"))


def _time_the_webhook_outbox() -> list[float]:
    """Seconds the day spends turning its history rows into webhooks (building the bodies,
    writing messages and deliveries), summed into the list returned."""
    spent = [0.0]
    original = RunStatusWrites._queue_webhooks

    def timed(self: RunStatusWrites, *args: Any) -> None:
        started = time.perf_counter()
        original(self, *args)
        spent[0] += time.perf_counter() - started

    RunStatusWrites._queue_webhooks = timed  # type: ignore[method-assign,assignment]
    return spent


def timed_run(url: str, statements: bool) -> dict[str, Any]:
    """One `run` of DAY, then the same day again, in this (fresh) process."""
    factory = bootstrap.uow_factory(url)
    scope = bench_scope(factory)
    outbox = _time_the_webhook_outbox()
    with statement_times() as times:
        started = time.perf_counter()
        report = run_collection(scope, DAY, DAY, factory, rate_book(), pin_key=PIN_KEY)
        first = time.perf_counter() - started
    if statements:
        print(times.report())
    started = time.perf_counter()
    again = run_collection(scope, DAY, DAY, factory, rate_book(), pin_key=PIN_KEY)
    second = time.perf_counter() - started
    steps: dict[str, int] = {}
    for day in report.days:
        for done in day.done:
            steps[done.step] = steps.get(done.step, 0) + 1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "run_s": round(first, 2),
        "rerun_s": round(second, 3),
        "rerun_steps": sum(len(d.done) for d in again.days),
        "steps": steps,
        "peak_mb": round(peak_mb),
        "webhooks_s": round(outbox[0], 2),
    }


def subscribe(url: str) -> None:
    """One endpoint wanting every webhook type (an address never sent to in the bench)."""
    factory = bootstrap.uow_factory(url)
    events = [t.value for t in SUBSCRIBABLE]
    add_endpoint(bench_scope(factory), "https://192.0.2.1/hooks", events, factory, os.urandom, NOW)


def webhook_rows(url: str) -> int:
    with bootstrap.uow_factory(url).unscoped() as uow:
        return int(
            uow.connection.execute(text("SELECT count(*) FROM webhook_delivery")).scalar_one()
        )


def run(backend: str, cases: int, changes: int, statements: bool, webhook: bool = False) -> None:
    OUT.mkdir(exist_ok=True)
    url = fresh_database(backend)
    started = time.perf_counter()
    populate(url, cases, changes)
    print(f"{backend}: {cases:,} open cases written in {time.perf_counter() - started:.1f} s")
    if webhook:
        subscribe(url)
    # The run in a process of its own, so its peak memory is its own.
    out = subprocess.run(
        [sys.executable, __file__, "--measure", url, *(["--statements"] if statements else [])],
        check=True,
        capture_output=True,
        text=True,
    )
    *report, last = out.stdout.strip().splitlines()
    result = json.loads(last)
    print(
        f"{backend}: run of {DAY} over {cases:,} open cases: {result['run_s']} s, "
        f"{sum(result['steps'].values()):,} changes {result['steps']}; "
        f"peak {result['peak_mb']} MB; the same day again: {result['rerun_s']} s, "
        f"{result['rerun_steps']} changes; writing webhooks {result['webhooks_s']} s"
    )
    if report:
        print("\n".join(report))
    if webhook:
        print(f"{backend}: webhook deliveries written by the day: {webhook_rows(url):,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--changes", type=int, default=50_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--statements", action="store_true", help="time each statement (and the server's CPU)"
    )
    parser.add_argument(
        "--webhook", action="store_true", help="an endpoint subscribed to every webhook type"
    )
    parser.add_argument("--measure", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(timed_run(args.measure, args.statements)))
        return
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.cases, args.changes, args.statements, args.webhook)


if __name__ == "__main__":
    main()
