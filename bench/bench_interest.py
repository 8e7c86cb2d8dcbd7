"""Benchmark (not a test): late interest for 1,000,000 claims on one core; target <= 3 s.

Due dates are spread over 2015-01-01 .. 2026-06-29 by a seeded random generator; payment
dates stay before 2026-07-01, the last half-year with a built-in rate. Modes:
  (default)   paid 1-730 days after due: collection's usual range
  --uniform   paid on a random day between due and 2026-06-30 (about 6 periods on average)
  --long      every claim paid on 2026-06-30: the worst case, up to 23 periods per claim
Run: .venv/bin/python bench/bench_interest.py [--uniform | --long]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.interest import late_interest_total

CLAIMS = 1_000_000
TARGET_SECONDS = 3
FIRST_DUE = date(2015, 1, 1)
LAST_PAID = date(2026, 6, 30)


def claims(count: int, mode: str, seed: int = 20260701) -> list[tuple[Decimal, date, date]]:
    rng = random.Random(seed)
    span = (LAST_PAID - FIRST_DUE).days - 1
    out = []
    for _ in range(count):
        due = FIRST_DUE + timedelta(days=rng.randrange(span))
        if mode == "long":
            paid = LAST_PAID
        elif mode == "uniform":
            paid = due + timedelta(days=rng.randint(1, (LAST_PAID - due).days))
        else:
            paid = min(due + timedelta(days=rng.randint(1, 730)), LAST_PAID)
        out.append((Decimal(rng.randrange(10_000, 10_000_000)).scaleb(-2), due, paid))
    return out


def main() -> None:
    mode = next((arg[2:] for arg in sys.argv[1:] if arg in ("--uniform", "--long")), "default")
    book = rate_book()
    work = claims(CLAIMS, mode)
    started = time.perf_counter()
    total = sum((late_interest_total(p, due, paid, book) for p, due, paid in work), Decimal(0))
    elapsed = time.perf_counter() - started
    verdict = "met" if elapsed <= TARGET_SECONDS else "MISSED"
    print(f"{CLAIMS:,} claims ({mode}): {elapsed:.2f} s; interest total {total:.2f}")
    print(f"target <= {TARGET_SECONDS} s on one core: {verdict}")


if __name__ == "__main__":
    main()
