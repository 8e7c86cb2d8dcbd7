"""Innbetalinger and Oppgjør at scale (issue 18: <= 300 ms server time, p95): the
1,000,000-case data set has no payments, so this benchmark makes them first.

`python bench/bench_portal_payments.py [--payments 10000] [--unmatched 1000] [--requests 50]`:
a copy of the data set (bench_workers_day.py's template), the first company's collection
agreement given a client account, and a camt.054 file to it uploaded through the portal
(the import's CPU time is printed): `--payments` payments of open invoices by their KID,
and `--unmatched` with a KID nothing has, each of an open invoice's amount and its
customer's name (so each has suggestions: the amount and the name). The next banking day
settles the matched ones (one settlement of them all). Then each page of PAGES is asked
`--requests` times (after 5 to warm), as bench_portal.py does: p50, p95, max and
statements per request, and the p50 of this process's CPU time per request (the server's
Python work; PostgreSQL's is in the statements' plans). FORDRING_BENCH_DATABASE names the databases.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
from bench_portal import (
    CASES,
    CHANGES,
    COMPANIES,
    EMAIL,
    PASSWORD,
    SECRET,
    Statements,
    _csrf,
    measure,
)
from bench_workers_day import template
from fordring import bootstrap
from fordring.adapters.bank.camt054_writer import write_camt054
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.domain import kid as kids
from fordring.domain.bank_files import BankTransaction
from fordring.domain.collection.agreement import Agreement, parse_settings, with_settings
from fordring.domain.kid import KidAlgorithm
from fordring.entrypoints.api.app import create_app
from fordring.services.collection_agreement import set_agreement
from fordring.services.scope import COMMAND_LINE, Scope
from fordring.services.settlements import settle_day
from fordring.services.users import NewUser, add_user
from worker_processes import copy_of, database_name, drop, scalar

with warnings.catch_warnings():  # Starlette would have httpx2 (its client, not ours)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CLIENT_ACCOUNT = "15032080119"
UNKNOWN = "9999"  # KIDs that start so belong to nothing

# (name, path under /portal): {unmatched} is a random unmatched payment's number
PAGES: list[tuple[str, str]] = [
    ("payments", "/payments"),
    ("payments_next", "/payments?after={unmatched}"),
    ("payments_all", "/payments?show=all&after={matched}"),
    ("payment_unmatched", "/payments/{unmatched}"),
    ("payment_matched", "/payments/{matched}"),
    ("settlements", "/settlements"),
    ("settlement", "/settlements/1"),
]


def _open_invoices(url: str, company: int, count: int) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    text(
                        "SELECT i.kid, i.open_amount, c.name FROM invoice i"
                        " JOIN customer c ON c.id = i.customer_id"
                        " WHERE i.company_id = :company AND i.open_amount > 0"
                        " AND i.kind = 'invoice' ORDER BY i.id LIMIT :count"
                    ),
                    {"company": company, "count": count},
                )
            )
    finally:
        engine.dispose()


def bank_file(rows: list[Any], unmatched: int, day: datetime) -> bytes:
    """A camt.054 file: the first len(rows) - unmatched paid by KID, the rest by nobody's
    KID with the invoice's amount and its customer's name."""
    transactions = []
    for n, r in enumerate(rows, 1):
        known = n <= len(rows) - unmatched
        kid = r.kid if known else kids.generate(UNKNOWN + f"{n:08d}", KidAlgorithm.MOD10, 13)
        transactions.append(
            BankTransaction(
                where=f"Ntry {n}",
                account=CLIENT_ACCOUNT,
                amount=Decimal(r.open_amount),
                booked_on=day.date(),
                kid=kid,
                payer_name=r.name,
                payer_account="12345678903",
                archive_ref=f"ARK{n:09d}",
            )
        )
    return write_camt054(
        transactions, message_id="BENCH-1", created=day, version="001.08", account=CLIENT_ACCOUNT
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--unmatched", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--page", action="append", default=[], help="only these pages")
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    args = parser.parse_args()
    source = template(CASES, COMPANIES, CHANGES, False)
    name = database_name("portal_payments")
    url = copy_of(source, name)
    company = int(scalar(url, "SELECT min(id) FROM company"))
    orgnr = str(scalar(url, "SELECT orgnr FROM company WHERE id = :id", id=company))
    application = bootstrap.Application(bootstrap.Settings(database_url=url, api_key_secret=SECRET))
    application.__dict__["password_hasher"] = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    uows = application.uow_factory
    scope = Scope(company, COMMAND_LINE, bootstrap.today())
    add_user(
        NewUser(EMAIL, "Bench Administrator", "administrator", PASSWORD),
        scope,
        uows,
        application.password_hasher,
    )
    settings = {"pay_to": "client_account", "client_account": CLIENT_ACCOUNT}
    set_agreement(parse_settings(settings), scope, uows)
    rows = _open_invoices(url, company, args.payments + args.unmatched)
    yesterday = datetime.combine(bootstrap.today() - timedelta(days=1), datetime.min.time())
    content = bank_file(rows, args.unmatched, yesterday.replace(hour=6))
    rng = random.Random(18)
    statements = Statements()
    figures: dict[str, Any] = {"payments": len(rows), "unmatched": args.unmatched, "pages": {}}
    try:
        with TestClient(create_app(application), base_url="http://127.0.0.1") as client:
            form = client.get("/portal/sign-in")
            sent = {"orgnr": orgnr, "email": EMAIL, "password": PASSWORD}
            sent["csrf_token"] = _csrf(form.text)
            signed = client.post("/portal/sign-in", data=sent, follow_redirects=False)
            assert signed.status_code == 303, (signed.status_code, signed.text[:500])
            token = _csrf(client.get("/portal/payments").text)
            started, cpu = time.perf_counter(), time.process_time()
            done = client.post(
                "/portal/payments/upload",
                data={"csrf_token": token},
                files={"file": ("bench.xml", content, "application/xml")},
            )
            assert done.status_code == 200, done.text[-2000:]
            figures["upload_s"] = round(time.perf_counter() - started, 1)
            figures["upload_cpu_s"] = round(time.process_time() - cpu, 1)
            took, cpu_s = figures["upload_s"], figures["upload_cpu_s"]
            print(f"upload of {len(rows)} payments: {took} s, CPU {cpu_s} s")
            with uows(scope) as uow:
                agreement = with_settings(Agreement(), uow.collection.settings())
                day = bootstrap.today()
                for _ in range(10):  # the first banking day from today
                    if settle_day(uow, uow.company.current(), agreement, day) is not None:
                        break
                    day += timedelta(days=1)
                uow.commit()
            with uows.database.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
            first_unmatched = args.payments + 1  # payment numbers follow the file's order

            def path_of(pattern: str) -> str:
                return pattern.format(
                    unmatched=rng.randint(first_unmatched, len(rows)),
                    matched=rng.randint(1, args.payments),
                )

            for page_name, pattern in [p for p in PAGES if not args.page or p[0] in args.page]:
                found = measure(client, statements, path_of, pattern, args.requests)
                figures["pages"][page_name] = found
                print(
                    f"{page_name:24} p50 {found['p50_ms']:7.1f} ms  p95 {found['p95_ms']:7.1f} ms"
                    f"  max {found['max_ms']:7.1f} ms  statements {found['statements']}"
                    f"  CPU p50 {found['cpu_p50_ms']:6.1f} ms"
                )
    finally:
        uows.database.engine.dispose()
        if not args.keep:
            drop(name)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
