"""Benchmark (not a test): one-page collection letters as PDFs on 2 cores; target >= 300/s.

The letters vary as real ones do (seeded): all four kinds in Norwegian and English, one to
four invoices, with and without fees, salær and a licensed collector, interest notes with
one to three periods. Each letter becomes its own PDF. Options:
  N            how many letters (default 3000)
  --workers W  processes rendering at once (default 2)
  --batch B    letters per Typst compile (default 20)
Run: PYTHONPATH=src python bench/bench_letters.py [N] [--workers W]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from datetime import date, timedelta
from decimal import Decimal

from fordring.adapters.pdf.renderer import DEFAULT_BATCH, TypstLetterRenderer
from fordring.domain.collection.letters import InterestPeriod, Letter, LetterItem, LetterKind, Party
from fordring.domain.language import Language

FIRST_NAMES = ("Åse", "Øystein", "Kari", "Per", "Ingrid", "Bjørn", "Solveig", "Jørgen", "Ærle")
LAST_NAMES = ("Nordmann", "Bjørnstad", "Ødegård", "Håland", "Løvås", "Berg", "Aas", "Sæther")
STREETS = ("Storgata", "Kongens gate", "Bjørnstjerne Bjørnsons gate", "Ålgårdveien", "Sjøgata")
PLACES = (("0155", "Oslo"), ("5003", "Bergen"), ("7011", "Trondheim"), ("9008", "Tromsø"))
WORK = (
    "Rørleggerarbeid, bad",
    "Konsulenttimer januar",
    "Abonnement, 1. kvartal",
    "Varer levert etter ordre 4471 (tre paller fliser og lim)",
    "Service på varmepumpe",
)
CREDITOR = Party(
    "Fjordkraft Rørlegger AS", "Kongens gate 12", "7011", "Trondheim", "NO", "988077917"
)
COLLECTOR = Party("Nordlys Inkasso AS", "Postboks 123 Sentrum", "0102", "Oslo", "NO", "123456785")


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100)).scaleb(-2)


def letters(count: int, seed: int = 20260302) -> list[Letter]:
    rng = random.Random(seed)
    kinds = list(LetterKind)
    out = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        language = Language.NB if rng.random() < 0.8 else Language.EN
        letter_date = date(2026, 1, 5) + timedelta(days=rng.randrange(300))
        items = []
        for k in range(rng.randint(1, 4) if kind is LetterKind.COLLECTION_NOTICE else 1):
            principal = _money(rng, 150, 90_000)
            due = letter_date - timedelta(days=rng.randint(15, 60))
            items.append(
                LetterItem(
                    invoice_number=10_000 + n * 4 + k,
                    description=rng.choice(WORK),
                    issue_date=due - timedelta(days=14),
                    due_date=due,
                    original_amount=principal,
                    principal=principal if kind is not LetterKind.INTEREST_NOTE else Decimal(0),
                    fee=Decimal("35.00") if rng.random() < 0.6 else Decimal(0),
                    interest=_money(rng, 0, 900),
                    interest_from=due + timedelta(days=1),
                    interest_rate=Decimal("12.00"),
                )
            )
        periods: tuple[InterestPeriod, ...] = ()
        if kind is LetterKind.INTEREST_NOTE:
            periods = tuple(
                InterestPeriod(
                    date(2025, 1 + 6 * (p % 2), 1),
                    date(2025, 6 + 6 * (p % 2), 30),
                    rng.randint(10, 181),
                    Decimal("12.25"),
                    _money(rng, 5, 400),
                )
                for p in range(rng.randint(1, 3))
            )
        by_collector = kind is LetterKind.PAYMENT_DEMAND and rng.random() < 0.7
        city = rng.choice(PLACES)
        out.append(
            Letter(
                kind=kind,
                language=language,
                letter_date=letter_date,
                deadline=letter_date + timedelta(days=14),
                creditor=CREDITOR,
                collector=COLLECTOR if by_collector else CREDITOR,
                debtor=Party(
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                    *city,
                ),
                case_number=f"2026-{n:06d}",
                items=tuple(items),
                account="86011117947",
                kid=f"{rng.randrange(10**9):09d}{rng.randrange(10)}",
                fee_this_letter=Decimal("35.00") if rng.random() < 0.5 else Decimal(0),
                salaer=_money(rng, 175, 1_120) if by_collector else Decimal(0),
                interest_periods=periods,
                licensed_collector=by_collector,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    args = parser.parse_args()
    work = letters(args.count)
    warm_up = letters(8 * args.batch * args.workers, seed=1)
    with TypstLetterRenderer(workers=args.workers, batch=args.batch) as renderer:
        started = time.perf_counter()
        renderer.render_letters(warm_up)  # starts the workers, as a running service has them
        cold = time.perf_counter() - started
        started = time.perf_counter()
        pdfs = renderer.render_letters(work)
        elapsed = time.perf_counter() - started
    pages = sum(len(re.findall(rb"/Type\s*/Page\b", pdf)) for pdf in pdfs)
    size = sum(len(pdf) for pdf in pdfs) / len(pdfs) / 1024
    print(
        f"{len(pdfs):,} letters on {args.workers} workers: {elapsed:.2f} s, "
        f"{len(pdfs) / elapsed:.0f} letters/s; {pages:,} pages; {size:.0f} KiB per PDF "
        f"(warm-up: {len(warm_up)} letters in {cold:.2f} s, starting the workers included)"
    )


if __name__ == "__main__":
    main()
