"""Benchmark (not a test): a collector's business day on PostgreSQL done by `fordring
worker` processes: 1,000,000 open cases across 1,000 creditors (companies), 50,000 of
which change state that day (20,000 reminders, 20,000 collection notices, 10,000 due for
the collection list), with 2 workers and then with 1.

Targets (issue 16): the steps (from `run --via-workers` to the last company's day in the
run log) ≤ 30 s; the day's 40,000 letters rendered and delivered to the paper outbox at
≥ 300 letters/s overall (from the queueing to the last letter's delivery).

Everything goes through the command line and the database: `fordring run --via-workers`
queues the day, real `fordring worker` processes do it, and the times are read from the
database (the run log, the delivery log `delivery_attempt`, the queue), polled every
0.2 s, so the benchmark holds however the day is split into jobs. Peak memory is read
from /proc: each worker process's own peak (VmHWM) and the highest resident total of a
worker with its PDF render processes.

The data set is written straight into the tables (as bench_daily_run.py does, per
company: customers, invoices without vouchers, cases and their earlier letters) and kept
as a template database; each measurement works on a copy of it, so a second run starts in
seconds. The template is rebuilt when the migrations or the sizes change.

    python bench/bench_workers_day.py [--small] [--workers 2 1] [--cases 1000000]
        [--companies 1000] [--changes 50000] [--timeout 1800] [--rebuild]

`--small`: 20,000 cases across 20 companies, 1,000 changes (a quick try). The last line
printed is the summary. FORDRING_BENCH_DATABASE names the databases (default
fordring_bench: fordring_bench_wday and fordring_bench_wday_t_…).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
from bench_daily_run import write_cases
from bench_invoice_import import orgnr
from fordring import bootstrap
from fordring.adapters.db.bulk import write_rows
from fordring.adapters.db.engine import forget_database
from fordring.adapters.db.repositories.companies import raise_ids
from fordring.domain import kid as kids
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.kid import KidAlgorithm
from fordring.services.companies import NewCompany, add_company
from worker_processes import (
    OUT,
    POSTGRES,
    CpuMeter,
    Database,
    Workers,
    admin,
    backends,
    copy_of,
    database_exists,
    database_name,
    descendants,
    drop,
    exit_on_sigterm,
    fordring,
    wait_for,
    workers_ready,
)

DAY = date(2026, 3, 16)  # a Monday: no collection list that day
CUSTOMERS_PER_COMPANY = 100
MOD10 = KidAlgorithm.MOD10
MIGRATIONS = Path(bootstrap.__file__).parent / "adapters" / "db" / "migrations" / "versions"
FOLDER = OUT / "workers_day"


def template_name(cases: int, companies: int, changes: int) -> str:
    """The template's name: the sizes and the migrations it was built with."""
    names = sorted(p.name for p in MIGRATIONS.glob("*.py"))
    key = hashlib.sha256(json.dumps([cases, companies, changes, names]).encode()).hexdigest()
    return database_name(f"wday_t_{key[:10]}")


def _cases_of(n: int, changes: int) -> tuple[str, date, date, Any]:
    """State, due date, wake-up day and earlier letter of a company's n-th case (1-based),
    as bench_daily_run.py: of `changes`, 2/5 reminders, 2/5 notices, the rest listed."""
    reminders = notices = changes * 2 // 5
    if n <= reminders:
        return "registered", DAY - timedelta(days=7), DAY, None
    if n <= reminders + notices:
        letter = ("reminder", DAY - timedelta(days=15), DAY - timedelta(days=1))
        return "reminded", DAY - timedelta(days=22), DAY, letter
    if n <= changes:
        letter = ("collection_notice", DAY - timedelta(days=15), DAY - timedelta(days=1))
        return "notified", DAY - timedelta(days=30), DAY, letter
    if n % 2:
        due = DAY - timedelta(days=n % 6)
        return "registered", due, due + timedelta(days=7), None
    due = DAY - timedelta(days=8 + n % 5)
    sent = due + timedelta(days=7)
    return "reminded", due, sent + timedelta(days=15), ("reminder", sent, sent + timedelta(days=14))


def populate(url: str, cases: int, companies: int, changes: int) -> None:
    """`companies` creditors with `cases` open cases between them (straight into the
    tables, one company's rows after another's)."""
    factory = bootstrap.uow_factory(url)
    rng = random.Random(16)
    numbers: set[str] = set()
    while len(numbers) < companies:
        numbers.add(orgnr(rng))
    for i, number in enumerate(sorted(numbers)):
        add_company(
            NewCompany(
                orgnr=Orgnr(number),
                name=f"Kreditor {i + 1} AS",
                account=BankAccount("86011117947"),
                street=f"Storgata {i + 1}",
                postcode="0155",
                city="Oslo",
            ),
            factory,
        )
    per_company, changes_each = cases // companies, changes // companies
    engine = create_engine(url)
    with engine.begin() as connection:
        ids = [r[0] for r in connection.execute(text("SELECT id FROM company ORDER BY id"))]
        customer_id = invoice_id = case_id = letter_id = 0
        customers: list[tuple[Any, ...]] = []
        invoices: list[tuple[Any, ...]] = []
        case_rows: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        letters: list[tuple[Any, ...]] = []
        letter_invoices: list[tuple[Any, ...]] = []

        def flush() -> None:
            write_rows(
                connection,
                "customer",
                ("id", "company_id", "number", "kind", "name", "street", "postcode", "city"),
                customers,
            )
            write_cases(connection, invoices, case_rows, links, letters, letter_invoices)
            for found in (customers, invoices, case_rows, links, letters, letter_invoices):
                found.clear()

        for company in ids:
            first_customer = customer_id + 1
            for k in range(CUSTOMERS_PER_COMPANY):
                customer_id += 1
                customers.append(
                    (
                        customer_id,
                        company,
                        10000 + k,
                        "consumer",
                        f"Person {customer_id}",
                        f"Gate {k + 1}",
                        "0150",
                        "Oslo",
                    )
                )
            first_invoice = invoice_id + 1
            for n in range(1, per_company + 1):
                state, due, wake, letter = _cases_of(n, changes_each)
                case_id += 1
                customer = first_customer + n % CUSTOMERS_PER_COMPANY
                reminded = changes_each * 2 // 5 < n <= changes_each * 4 // 5
                if letter is not None:
                    letter_id += 1
                    kind, sent, deadline = letter
                    letters.append(
                        (
                            letter_id,
                            case_id,
                            kind,
                            sent,
                            deadline,
                            "nb",
                            0,
                            0,
                            f"bench/{letter_id}.pdf",
                            "0" * 64,
                        )
                    )
                for _ in range(2 if reminded else 1):  # a notice's consolidated invoices
                    invoice_id += 1
                    amount = Decimal(1000 + invoice_id % 4000)
                    invoices.append(
                        (
                            invoice_id,
                            company,
                            invoice_id - first_invoice + 1,
                            "invoice",
                            customer,
                            due - timedelta(days=14),
                            due,
                            "NOK",
                            1,
                            amount,
                            0,
                            amount,
                            amount,
                            amount,
                            kids.generate(invoice_id, MOD10, 10),
                            None,
                            False,
                            0,
                        )
                    )
                    links.append((company, case_id, invoice_id))
                    if letter is not None:
                        letter_invoices.append((letter_id, invoice_id, 0, "bench"))
                case_rows.append(
                    (
                        case_id,
                        company,
                        n,
                        customer,
                        kids.generate(case_id, MOD10, 11),
                        state,
                        due,
                        wake,
                    )
                )
            if len(case_rows) >= 50_000:
                flush()
        flush()
        raise_ids(connection, "invoice", invoice_id + 1)
        raise_ids(connection, "case_letter", letter_id + 1)
        for table in ("customer", "collection_case"):  # serial ids: their sequences
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
        for series, value in (
            ("case", per_company + 1),
            ("customer", 10000 + CUSTOMERS_PER_COMPANY),
        ):
            connection.execute(
                text("UPDATE number_series SET next_value = :v WHERE series = :s"),
                {"v": value, "s": series},
            )
        connection.execute(
            text(
                "UPDATE number_series n SET next_value = m.top + 1 FROM "
                "(SELECT company_id, max(number) AS top FROM invoice GROUP BY company_id) m "
                "WHERE n.company_id = m.company_id AND n.series = 'invoice'"
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def template(cases: int, companies: int, changes: int, rebuild: bool) -> str:
    """The data set's template database, built when missing (or `rebuild`)."""
    name = template_name(cases, companies, changes)
    if database_exists(name) and not rebuild:
        return name
    building = name + "_building"
    drop(building)
    admin(f"CREATE DATABASE {building}")
    url = POSTGRES + building
    forget_database(url)
    started = time.perf_counter()
    bootstrap.migrate(url)
    populate(url, cases, companies, changes)
    forget_database(url)
    drop(name)
    admin(f"ALTER DATABASE {building} RENAME TO {name}")
    took = time.perf_counter() - started
    print(f"data set: {cases:,} open cases across {companies:,} companies built in {took:.0f} s")
    return name


def measure(url: str, workers: int, timeout: float, steps_only: bool = False) -> dict[str, Any]:
    """The day by `workers` worker processes: queue it, poll the database until the day is
    recorded for every company and nothing of it waits, then stop the workers. With
    `steps_only` the workers serve the queue `days` alone and the measurement ends when
    every company's day is recorded: the steps' own CPU, no rendering beside them."""
    folder = FOLDER / f"{workers}-workers"
    shutil.rmtree(folder, ignore_errors=True)
    db = Database(url)
    companies = int(db.scalar("SELECT count(*) FROM company"))
    running = Workers(url, folder)
    try:
        for i in range(workers):
            running.start(f"w{i + 1}", *(["--queue", "days"] if steps_only else []))
        if not workers_ready(db, workers):
            raise SystemExit("the workers did not start:\n" + running.logs())
        server = CpuMeter()  # PostgreSQL's processes serving this database
        server.start(backends(db))
        running.cpu.start(
            [pid for p in running.processes.values() for pid in (p.pid, *descendants(p.pid))]
        )
        queued_at_db = db.scalar("SELECT clock_timestamp()")
        started = time.monotonic()
        queued = subprocess_run(
            [*fordring(), "--db", url, "--date", DAY.isoformat(), "run", "--via-workers"],
            folder,
        )
        queue_s = time.monotonic() - started
        steps_s: float | None = None
        sampled = 0.0

        def finished() -> bool:
            nonlocal steps_s, sampled
            if time.monotonic() - sampled >= 1.0:  # /proc once a second: it costs CPU too
                sampled = time.monotonic()
                running.sample()
                server.read(backends(db))
            if steps_s is None:
                days = db.scalar("SELECT count(*) FROM run_log WHERE day = :d", d=DAY)
                if days >= companies:
                    steps_s = time.monotonic() - started
                return steps_only and steps_s is not None
            return not db.scalar(
                "SELECT (SELECT count(*) FROM procrastinate_jobs WHERE status IN "
                "('todo', 'doing') AND queue_name <> 'maintenance') + "
                "(SELECT count(*) FROM dispatch WHERE queued_on = :d AND state = 'waiting')",
                d=DAY,
            )

        done = wait_for(finished, timeout, every=0.2)
        done_s = time.monotonic() - started
        if not done:
            raise SystemExit(f"not done within {timeout:.0f} s:\n" + running.logs())
        letters, paper, first, last = db.row(
            "SELECT count(*), count(*) FILTER (WHERE d.channel = 'paper'), "
            "min(a.at) - :q, max(a.at) - :q FROM dispatch d JOIN delivery_attempt a ON "
            "a.dispatch_id = d.id AND a.outcome = 'sent' "
            "WHERE d.queued_on = :d AND d.letter_id IS NOT NULL",
            d=DAY,
            q=queued_at_db,
        )
        ran = db.row("SELECT count(*), min(ran_at), max(ran_at) FROM run_log WHERE day = :d", d=DAY)
        jobs = db.connection.execute(
            text(
                "SELECT task_name, status::text, count(*) FROM procrastinate_jobs "
                "WHERE queue_name <> 'maintenance' GROUP BY 1, 2 ORDER BY 1, 2"
            )
        ).all()
        failed = db.scalar("SELECT count(*) FROM dispatch WHERE state = 'failed'")
        running.sample()
        server.read(backends(db))
    finally:
        running.stop()
        db.close()
    delivered_s = last.total_seconds() if last is not None else None
    files = sum(1 for p in (folder / "outbox").rglob("*") if p.is_file())
    return {
        "workers": workers,
        "companies": companies,
        "queue_s": round(queue_s, 2),
        "steps_s": round(steps_s or 0, 1),
        "days_recorded": ran[0],
        "ran_at": [ran[1], ran[2]],
        "letters": letters,
        "on_paper": paper,
        "failed_dispatches": failed,
        "first_letter_s": round(first.total_seconds(), 1) if first is not None else None,
        "letters_done_s": round(delivered_s, 1) if delivered_s else None,
        "letters_per_s": round(letters / delivered_s) if delivered_s else None,
        "all_done_s": round(done_s, 1),
        "outbox_files": files,
        "workers_cpu_s": round(running.cpu.total, 1),
        "server_cpu_s": round(server.total, 1),
        "jobs": {f"{t} {s}": c for t, s, c in jobs},
        "peak_worker_mb": {n: round(kb / 1024) for n, kb in running.peak_own_kb.items()},
        "peak_with_renderers_mb": {n: round(kb / 1024) for n, kb in running.peak_tree_kb.items()},
        "queued_output": queued,
    }


def subprocess_run(argv: list[str], folder: Path) -> str:
    import subprocess

    done = subprocess.run(argv, cwd=folder, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--small", action="store_true", help="20,000 cases, 20 companies")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument("--changes", type=int, default=50_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1])
    parser.add_argument("--timeout", type=float, default=1800, help="seconds, per measurement")
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument("--keep", action="store_true", help="keep the last copy measured")
    parser.add_argument(
        "--steps-only",
        action="store_true",
        help="the workers serve the queue `days` alone; stop when every day is recorded",
    )
    args = parser.parse_args()
    exit_on_sigterm()
    if args.small:
        args.cases, args.companies, args.changes = 20_000, 20, 1_000
    FOLDER.mkdir(parents=True, exist_ok=True)
    source = template(args.cases, args.companies, args.changes, args.rebuild)
    name = database_name("wday")
    results = []
    for workers in args.workers:
        started = time.perf_counter()
        url = copy_of(source, name)
        copied = time.perf_counter() - started
        result = measure(url, workers, args.timeout, args.steps_only)
        results.append(result)
        print(json.dumps(result, default=str))
        print(
            f"{workers} worker(s), copy {copied:.0f} s: steps {result['steps_s']} s "
            f"({result['days_recorded']} company-days), {result['letters']:,} letters "
            f"({result['on_paper']:,} on paper) delivered {result['letters_done_s']} s after "
            f"queueing = {result['letters_per_s']} letters/s; all done {result['all_done_s']} s;"
            f" peak per worker {result['peak_worker_mb']} MB "
            f"(with its renderers {result['peak_with_renderers_mb']} MB); CPU: workers "
            f"{result['workers_cpu_s']} s, PostgreSQL {result['server_cpu_s']} s"
        )
        if not args.keep:
            forget_database(url)
            drop(name)
    print(
        f"bench_workers_day: {args.cases:,} cases / {args.companies:,} companies / "
        f"{args.changes:,} changes: "
        + "; ".join(
            f"{r['workers']} worker(s): steps {r['steps_s']} s (target ≤ 30), "
            f"{r['letters']:,} letters at {r['letters_per_s']}/s (target ≥ 300), "
            f"peak {max(r['peak_worker_mb'].values(), default=0)} MB per worker, "
            f"CPU {r['workers_cpu_s']} s + PostgreSQL {r['server_cpu_s']} s"
            for r in results
        )
    )


if __name__ == "__main__":
    main()
