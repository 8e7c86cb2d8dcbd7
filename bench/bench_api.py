"""Benchmark (not a test): the REST API over HTTP on loopback, a real `fordring serve`
process and the load generator on this machine: invoice create (POST /invoices with an
Idempotency-Key each) and invoice lookup by number (GET /invoices/{n}), each a bounded
number of requests from a few client threads; requests/s and p50/p99 latency.

    python bench/bench_api.py [--backend sqlite|postgresql] [--creates 400] [--lookups 2000]
                              [--threads 4]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench_invoice_import import OUT, fresh_database
from fordring import bootstrap
from fordring.domain.api_access import Role
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.text_input import parse_customer_details
from fordring.services.api_keys import NewApiKey, create_api_key
from fordring.services.companies import NewCompany, add_company, company_id, find_company
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.scope import COMMAND_LINE, Scope

SECRET = "bench-api-key-secret-0123456789"
LINE = {"text": "Konsulenttime", "quantity": "7.5", "unit_price": "1200", "vat": "25"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _setup(url: str) -> tuple[str, int]:
    """The company, a customer, an API user's key: (token, customer number)."""
    factory = bootstrap.uow_factory(url)
    add_company(NewCompany(Orgnr("923609016"), "Bench AS", BankAccount("86011117947")), factory)
    scope = Scope(company_id(find_company("923609016", factory)), COMMAND_LINE, bootstrap.today())
    details = parse_customer_details({"kind": "consumer", "name": "Kari Nordmann"})
    number = add_customer(NewCustomer(details), scope, factory).number
    made = create_api_key(NewApiKey("bench", Role.API_USER), scope, factory, SECRET.encode())
    return made.token, number


def _load(name: str, count: int, threads: int, request: Callable[[httpx.Client, int], int]) -> None:
    """`count` requests from `threads` clients; prints requests/s and latencies."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    counter = iter(range(count))

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                start = time.perf_counter()
                status = request(http, n)
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    if status >= 400:
                        failures.append(status)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    began = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"{name}: {count} requests, {threads} threads, {elapsed:.1f} s, "
        f"{count / elapsed:.0f}/s, p50 {statistics.median(ordered) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, failures {len(failures)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--creates", type=int, default=400)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    os.environ.setdefault("FORDRING_BENCH_DATABASE", "fordring_bench_api")
    OUT.mkdir(exist_ok=True)
    url = fresh_database(args.backend)
    token, customer = _setup(url)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FORDRING_")}
    env["FORDRING_API_KEY_SECRET"] = SECRET
    command = [str(Path(sys.executable).parent / "fordring"), "--db", url, "serve"]
    server = subprocess.Popen([*command, "--port", str(port)], env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("fordring serve did not start")
            time.sleep(0.1)
        body = {"customer": customer, "lines": [LINE]}

        def create(http: httpx.Client, n: int) -> int:
            sent = {**headers, "Idempotency-Key": f"bench-{n}"}
            return http.post(base + "/invoices", json=body, headers=sent).status_code

        _load("invoice create", args.creates, args.threads, create)
        rng = random.Random(1)

        def lookup(http: httpx.Client, n: int) -> int:
            number = rng.randint(1, args.creates)
            return http.get(f"{base}/invoices/{number}", headers=headers).status_code

        _load("invoice lookup", args.lookups, args.threads, lookup)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
