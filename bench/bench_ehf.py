"""Benchmark (not a test): EHF (Peppol BIS Billing 3.0) writing and official validation.

Targets: (a) typical invoices (3 lines) built and checked against the UBL 2.1 XSD at
>= 1,000/s on one core (the whole writer, with the pre-send rules, is shown too);
(b) the official Peppol and CEN Schematron (release 3.0.19) <= 50 ms each for a typical
invoice once compiled (the one-time compile shown apart), growing linearly with 200 and
2,000 lines. The process is pinned to one core where the OS allows it. Options:
  N              how many invoices for (a) (default 5000)
  --rules DIR    the folder with the .sch files (default ../shared/data/peppol)
Run: PYTHONPATH=src python bench/bench_ehf.py [N] [--rules DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from fordring.adapters.ehf import schema, schematron, ubl
from fordring.adapters.ehf.writer import UblEhfWriter
from fordring.domain.company import Address, Company
from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.invoice_document import InvoiceDocument
from fordring.domain.invoices import Invoice, InvoiceKind, line
from fordring.domain.kid import KidAlgorithm, generate

BUILD_TARGET_PER_SECOND = 1000
SCHEMATRON_TARGET_MS = 50
RULES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "peppol"
RULE_FILES = ("PEPPOL-EN16931-UBL.sch", "CEN-EN16931-UBL.sch")
SELLER = Company(
    1,
    "923609016",
    "Fjordkraft Rørlegger AS",
    "86011117947",
    Address("Kongens gate 12", "7011", "Trondheim"),
)
BUYERS = tuple(
    Customer(
        n,
        10000 + n,
        CustomerKind.BUSINESS,
        name,
        orgnr=orgnr,
        address=Address(street, postcode, city),
    )
    for n, (name, orgnr, street, postcode, city) in enumerate(
        (
            ("Kunde AS", "123456785", "Vei 2", "5003", "Bergen"),
            ("Bjørnstad & Sønn AS", "988077917", "Sjøgata 4", "9008", "Tromsø"),
        ),
        start=1,
    )
)
WORK = ("Rørleggerarbeid, bad", "Konsulenttimer", "Abonnement, 1. kvartal", "Service på varmepumpe")
RATES = (Decimal(25), Decimal(15), Decimal(12), Decimal(0))


def invoice_document(number: int, lines: int, rng: random.Random) -> InvoiceDocument:
    issued = date(2026, 1, 5) + timedelta(days=rng.randrange(300))
    items = tuple(
        line(
            rng.choice(WORK),
            Decimal(rng.randrange(1, 40)) / 2,
            Decimal(rng.randrange(5000, 200000)).scaleb(-2),
            RATES[n % len(RATES)] if lines > 3 else Decimal(25),
        )
        for n in range(lines)
    )
    invoice = Invoice(
        number,
        InvoiceKind.INVOICE,
        1,
        issued,
        issued + timedelta(days=14),
        items,
        generate(number, KidAlgorithm.MOD10, 10),
    )
    return InvoiceDocument(invoice, SELLER, BUYERS[number % len(BUYERS)])


def pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def per_second(
    count: int, work: Callable[[InvoiceDocument], object], docs: list[InvoiceDocument]
) -> float:
    started = time.perf_counter()
    for document in docs[:count]:
        work(document)
    return count / (time.perf_counter() - started)


def build_and_xsd(document: InvoiceDocument) -> None:
    errors = schema.errors(ubl.parse(ubl.render(document)))
    if errors:
        raise AssertionError(errors)


def bench_writing(count: int) -> None:
    rng = random.Random(20260302)
    docs = [invoice_document(1000 + n, 3, rng) for n in range(count)]
    build_and_xsd(docs[0])  # loads the schemas: once per process, not counted
    build_rate = per_second(count, build_and_xsd, docs)
    writer_rate = per_second(count, UblEhfWriter().write, docs)
    target = BUILD_TARGET_PER_SECOND
    verdict = "met" if build_rate >= target else "NOT met"
    print(f"(a) {count:,} typical invoices (3 lines):")
    print(f"    build + XSD:               {build_rate:8,.0f}/s  target >= {target:,}/s: {verdict}")
    print(f"    writer (build+rules+XSD):  {writer_rate:8,.0f}/s")


def median_ms(validator: schematron.Schematron, xml: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        findings = schematron.fatal(validator.validate(xml))
        times.append((time.perf_counter() - started) * 1000)
        if findings:
            raise AssertionError(findings)
    return statistics.median(times)


def bench_schematron(folder: Path) -> None:
    rng = random.Random(7)
    sizes = {3: 30, 200: 10, 2000: 3}  # lines: runs
    files = {size: ubl.render(invoice_document(5000 + size, size, rng)) for size in sizes}
    print(f"(b) official Schematron from {folder}:")
    for name in RULE_FILES:
        started = time.perf_counter()
        validator = schematron.load(folder / name)
        compile_ms = (time.perf_counter() - started) * 1000
        first_ms = median_ms(validator, files[3], 1)  # Saxon warms up on the first document
        print(f"    {name}: compile {compile_ms:,.0f} ms once, first document {first_ms:,.1f} ms")
        for size, runs in sizes.items():
            ms = median_ms(validator, files[size], runs)
            verdict = ""
            if size == 3:
                verdict = f"  target <= {SCHEMATRON_TARGET_MS} ms: " + (
                    "met" if ms <= SCHEMATRON_TARGET_MS else "NOT met"
                )
            print(
                f"      {size:>5,} lines: {ms:8.1f} ms  ({ms / size * 1000:7.1f} µs/line){verdict}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("invoices", nargs="?", type=int, default=5000)
    parser.add_argument("--rules", type=Path, default=RULES)
    args = parser.parse_args()
    print(f"EHF benchmark, {pin_to_one_core()}")
    bench_writing(args.invoices)
    if all((args.rules / name).exists() for name in RULE_FILES):
        bench_schematron(args.rules)
    else:
        print(f"(b) skipped: the official rule files are not in {args.rules}")


if __name__ == "__main__":
    main()
