"""Benchmark (not a test): invoice PDFs on 2 cores, a typical invoice of 3 lines; target
>= 300 invoices/s. Then the CPU time per invoice on one core (what the rate approaches on
idle cores, when other work shares the machine), and one long invoice of 200 and of 2,000
lines, page-numbered.

The invoices vary as real ones do (seeded): bokmål and English buyers, consumers and
businesses, one VAT rate or two, some recurring (with a period), some credit notes, a few
in euro. Each invoice becomes its own PDF. Options:
  N            how many invoices (default 1000)
  --workers W  processes rendering at once (default 2)
  --batch B    invoices per Typst compile (default DEFAULT_INVOICE_BATCH)
  --no-long    skip the long invoices
Run: PYTHONPATH=src python bench/bench_invoice_pdf.py [N] [--workers W] [--batch B]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import time
from datetime import date, timedelta
from decimal import Decimal

import pikepdf

from fordring.adapters.pdf.invoice_pdf import (
    DEFAULT_INVOICE_BATCH,
    TypstInvoiceRenderer,
    render_invoice,
)
from fordring.domain.company import Address, Company
from fordring.domain.customers import Customer, CustomerKind
from fordring.domain.invoice_document import CreditedInvoice, InvoiceDocument
from fordring.domain.invoices import Invoice, InvoiceKind, InvoiceLine, line
from fordring.domain.language import Language

FIRST_NAMES = ("Åse", "Øystein", "Kari", "Per", "Ingrid", "Bjørn", "Solveig", "Jørgen", "Ærle")
LAST_NAMES = ("Nordmann", "Bjørnstad", "Ødegård", "Håland", "Løvås", "Berg", "Aas", "Sæther")
STREETS = ("Storgata", "Kongens gate", "Bjørnstjerne Bjørnsons gate", "Ålgårdveien", "Sjøgata")
PLACES = (("0155", "Oslo"), ("5003", "Bergen"), ("7011", "Trondheim"), ("9008", "Tromsø"))
WORK = (
    "Rørleggerarbeid, bad",
    "Konsulenttimer",
    "Abonnement, 1. kvartal",
    "Fliser og lim (tre paller) etter ordre 4471",
    "Service på varmepumpe",
    "Kjøring",
)
SELLER = Company(
    id=1,
    orgnr="923456783",
    name="Fjordkraft Rørlegger AS",
    account="86011117947",
    address=Address("Kongens gate 12", "7011", "Trondheim"),
    email="faktura@fjordkraft.no",
)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100)).scaleb(-2)


def _buyer(rng: random.Random, number: int) -> Customer:
    business = rng.random() < 0.4
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return Customer(
        id=number,
        number=number,
        kind=CustomerKind.BUSINESS if business else CustomerKind.CONSUMER,
        name=f"{name} AS" if business else name,
        orgnr="123456785" if business else None,
        address=Address(f"{rng.choice(STREETS)} {rng.randint(1, 120)}", *rng.choice(PLACES)),
        language=Language.NB if rng.random() < 0.8 else Language.EN,
    )


def _lines(rng: random.Random, count: int) -> tuple[InvoiceLine, ...]:
    rates = (Decimal(25),) if rng.random() < 0.7 else (Decimal(25), Decimal(15))
    return tuple(
        line(
            rng.choice(WORK),
            Decimal(rng.randint(1, 12)),
            _money(rng, 50, 2_000),
            rates[k % len(rates)],
        )
        for k in range(count)
    )


def documents(count: int, lines: int = 3, seed: int = 20260302) -> list[InvoiceDocument]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        issued = date(2026, 1, 5) + timedelta(days=rng.randrange(300))
        credit = rng.random() < 0.05
        recurring = not credit and rng.random() < 0.3
        invoice = Invoice(
            number=10_000 + n,
            kind=InvoiceKind.CREDIT_NOTE if credit else InvoiceKind.INVOICE,
            customer_id=n,
            issue_date=issued,
            due_date=issued + timedelta(days=14),
            lines=_lines(rng, lines),
            kid=f"{rng.randrange(10**9):09d}{rng.randrange(10)}",
            currency="EUR" if rng.random() < 0.03 else "NOK",
            credits_invoice_id=n - 1 if credit else None,
        )
        out.append(
            InvoiceDocument(
                invoice=invoice,
                seller=SELLER,
                buyer=_buyer(rng, 1_000 + n),
                credited=CreditedInvoice(9_999 + n, issued - timedelta(days=20))
                if credit
                else None,
                period_text=f"Husleie {issued:%m/%Y}" if recurring else "",
                buyer_reference="PO-4471" if rng.random() < 0.2 else "",
            )
        )
    return out


def _pages(pdfs: list[bytes]) -> int:
    """Pages counted by a PDF reader (the page objects sit in compressed object streams)."""
    total = 0
    for pdf in pdfs:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            total += len(document.pages)
    return total


def typical(count: int, workers: int, batch: int) -> None:
    work = documents(count)
    warm_up = documents(4 * batch * workers, seed=1)
    with TypstInvoiceRenderer(workers=workers, batch=batch) as renderer:
        started = time.perf_counter()
        renderer.render_invoices(warm_up)  # starts the workers, as a running service has them
        cold = time.perf_counter() - started
        started = time.perf_counter()
        pdfs = renderer.render_invoices(work)
        elapsed = time.perf_counter() - started
    size = sum(len(pdf) for pdf in pdfs) / len(pdfs) / 1024
    print(
        f"{len(pdfs):,} invoices (3 lines) on {workers} workers, batch {batch}: "
        f"{elapsed:.2f} s, {len(pdfs) / elapsed:.0f} invoices/s; {_pages(pdfs):,} pages; "
        f"{size:.0f} KiB per PDF (warm-up: {len(warm_up)} in {cold:.2f} s, workers started)"
    )


def cpu_per_invoice(count: int, batch: int) -> None:
    """CPU time per invoice in this process alone, on one thread as a worker compiles: what
    the wall-clock rate approaches on idle cores, whatever else the machine is running."""
    os.environ.setdefault("RAYON_NUM_THREADS", "1")  # before Typst's first compile here
    work, warm_up = documents(count, seed=3), documents(2 * batch, seed=4)
    with TypstInvoiceRenderer(workers=1, batch=batch) as renderer:
        renderer.render_invoices(warm_up)
        started = time.process_time()
        renderer.render_invoices(work)
        per_invoice = (time.process_time() - started) / count
    print(
        f"CPU per invoice, one process, batch {batch}: {per_invoice * 1000:.2f} ms "
        f"(so at most {2 / per_invoice:.0f} invoices/s on 2 idle cores)"
    )


def long(lines: int) -> None:
    (document,) = documents(1, lines=lines, seed=7)
    started = time.perf_counter()
    pdf = render_invoice(document)
    elapsed = time.perf_counter() - started
    print(
        f"one invoice of {lines:,} lines: {elapsed:.2f} s, {_pages([pdf])} pages, "
        f"{len(pdf) / 1024:.0f} KiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=DEFAULT_INVOICE_BATCH)
    parser.add_argument("--no-long", action="store_true")
    args = parser.parse_args()
    typical(args.count, args.workers, args.batch)
    cpu_per_invoice(min(args.count, 500), args.batch)
    if not args.no_long:
        for lines in (200, 2_000):
            long(lines)


if __name__ == "__main__":
    main()
