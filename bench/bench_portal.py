"""The portal's pages at scale (issue 18: every page answers in <= 300 ms server time, p95,
with 1,000,000 cases in PostgreSQL).

`python bench/bench_portal.py [--requests 100] [--page NAME ...]`: a copy of the
1,000,000-case data set (bench_workers_day.py's template database, built once when
missing), an administrator of the first company signed in, and each page of PAGES asked
`--requests` times in-process (FastAPI's TestClient: the server's work without the network;
the client's share is well under a millisecond) after 5 to warm. Each page's path may
name `{case}` (a random case number of the company), `{invoice}` (a random invoice
number) and `{customer}` (a random customer number of the company): each request takes
new ones, so caches do not flatter. Prints a line per page (p50, p95, max in ms;
statements per request, counted with SQLAlchemy's `before_cursor_execute`) and a JSON
summary last. FORDRING_BENCH_DATABASE names the databases (default fordring_bench).
`--template NAME` copies an existing data set built with older migrations (a branch that
adds one need not build 1,000,000 cases again) and migrates the copy to this branch's.

A page is added to the benchmark by a line in PAGES.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).parent))
from bench_workers_day import template
from fordring import bootstrap
from fordring.adapters.passwords import Argon2PasswordHasher
from fordring.entrypoints.api.app import create_app
from fordring.services.scope import COMMAND_LINE, Scope
from fordring.services.users import NewUser, add_user
from worker_processes import copy_of, database_name, drop, scalar

with warnings.catch_warnings():  # Starlette would have httpx2 (its client, not ours)
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

CASES, COMPANIES, CHANGES = 1_000_000, 10, 10_000
PER_COMPANY = CASES // COMPANIES
SECRET = "bench-portal-secret-0123456789"
EMAIL, PASSWORD = "bench@fordring.example", "bench-portal-password"

# (name, path under /portal): each page of the issue as it is built
PAGES: list[tuple[str, str]] = [
    ("overview", "/"),
    ("users", "/settings/users"),
    ("cases", "/cases"),
    ("cases_by_state", "/cases?state=notified"),  # 200 of the company's 100,000
    ("cases_by_customer", "/cases?customer={customer}"),
    ("cases_next_page", "/cases?after={case}"),
    ("cases_by_state_next_page", "/cases?state=registered&after={case}"),
    ("case", "/cases/{case}"),
    ("collection_list", "/collection-list"),
    ("reports", "/reports"),
    ("invoices", "/invoices"),
    ("invoices_search", "/invoices?q={invoice}"),
    ("invoices_name", "/invoices?q=person+{case}&state=in_collection"),
    ("invoices_overdue", "/invoices?state=overdue&due_from=2026-01-01"),
    ("invoices_customer", "/invoices?customer={customer}"),
    ("invoice", "/invoices/{invoice}"),
    ("agreement", "/settings/agreement"),
    ("company", "/settings/company"),
    ("password", "/settings/password"),
    ("api_keys", "/settings/api-keys"),
    ("webhooks", "/settings/webhooks"),
    ("payments", "/payments"),  # none in the data set: bench_portal_payments.py makes them
    ("settlements", "/settlements"),
]


class Statements:
    """Counts the statements SQLAlchemy sends while `on`."""

    def __init__(self) -> None:
        self.on = False
        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._sent)

    def _sent(self, *args: Any) -> None:
        if self.on:
            self.count += 1


def measure(
    client: TestClient,
    statements: Statements,
    path_of: Callable[[str], str],
    pattern: str,
    requests: int,
) -> dict[str, float]:
    """One page: 5 requests to warm (the pool, the statements' caches), then `requests`,
    each to a new path under /portal (`path_of(pattern)`: new numbers each time), timed:
    p50, p95 and max of the server's time in ms, the statements per request and this
    process's CPU p50 (client included)."""
    for _ in range(5):
        warm = "/portal" + path_of(pattern)
        got = client.get(warm)
        assert got.status_code == 200, (warm, got.status_code, got.text[:500])
    times: list[float] = []
    cpu_times: list[float] = []
    statements.count, statements.on = 0, True
    for _ in range(requests):
        asked = "/portal" + path_of(pattern)
        started, cpu = time.perf_counter(), time.process_time()
        got = client.get(asked)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu) * 1000)
        assert got.status_code == 200, (asked, got.status_code, got.text[:500])
    statements.on = False
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "statements": round(statements.count / requests, 1),
        "cpu_p50_ms": round(statistics.median(cpu_times), 1),
    }


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html[:500]
    return found.group(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--page", action="append", default=[], help="only these pages")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    parser.add_argument(
        "--template",
        help="copy this data set (built with older migrations) and migrate the copy, "
        "instead of building one for this branch's migrations",
    )
    args = parser.parse_args()
    source = args.template or template(CASES, COMPANIES, CHANGES, args.rebuild)
    name = database_name("portal")
    url = copy_of(source, name)
    if args.template:
        bootstrap.migrate(url)
    company = int(scalar(url, "SELECT min(id) FROM company"))
    orgnr = str(scalar(url, "SELECT orgnr FROM company WHERE id = :id", id=company))
    application = bootstrap.Application(bootstrap.Settings(database_url=url, api_key_secret=SECRET))
    application.__dict__["password_hasher"] = Argon2PasswordHasher(time_cost=1, memory_cost=1024)
    scope = Scope(company, COMMAND_LINE, bootstrap.today())
    add_user(
        NewUser(EMAIL, "Bench Administrator", "administrator", PASSWORD),
        scope,
        application.uow_factory,
        application.password_hasher,
    )
    with application.uow_factory.database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    rng = random.Random(18)
    customers = (
        int(scalar(url, "SELECT min(number) FROM customer WHERE company_id = :id", id=company)),
        int(scalar(url, "SELECT max(number) FROM customer WHERE company_id = :id", id=company)),
    )
    statements = Statements()
    pages = [p for p in PAGES if not args.page or p[0] in args.page]
    figures: dict[str, Any] = {"cases": CASES, "requests_per_page": args.requests, "pages": {}}
    try:
        with TestClient(create_app(application), base_url="http://127.0.0.1") as client:
            form = client.get("/portal/sign-in")
            sent = {"orgnr": orgnr, "email": EMAIL, "password": PASSWORD}
            sent["csrf_token"] = _csrf(form.text)
            signed = client.post("/portal/sign-in", data=sent, follow_redirects=False)
            assert signed.status_code == 303, (signed.status_code, signed.text[:500])

            def path_of(pattern: str) -> str:
                n = rng.randint(1, PER_COMPANY)
                return pattern.format(case=n, invoice=n, customer=rng.randint(*customers))

            for page_name, pattern in pages:
                found = measure(client, statements, path_of, pattern, args.requests)
                figures["pages"][page_name] = found
                print(
                    f"{page_name:24} p50 {found['p50_ms']:7.1f} ms  p95 {found['p95_ms']:7.1f} ms"
                    f"  max {found['max_ms']:7.1f} ms  statements {found['statements']}"
                )
    finally:
        application.uow_factory.database.engine.dispose()
        if not args.keep:
            drop(name)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
