"""Benchmark (not a test): reading bank files of 100,000 payments.

Targets: an OCR giro file of 100,000 payments read in well under 1 s; camt.054 at 20,000
entries/s or more; a file's id peeked in milliseconds. netsgiro's reading of the same OCR
file is timed for comparison, and checked to give the same payments as ours.

    python bench/bench_bank_files.py [--payments 100000] [--no-netsgiro] [--rounds 3]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import partial
from pathlib import Path

import netsgiro

from fordring.adapters.bank.camt054 import read_camt054
from fordring.adapters.bank.camt054_writer import Version, write_camt054
from fordring.adapters.bank.ocr_giro import read_ocr
from fordring.adapters.bank.reader import peek_file_id
from fordring.domain.bank_files import BankFile, BankTransaction

OUT = Path(__file__).parent / "out"
ACCOUNT = "86011117947"
FIRST_DAY = date(2026, 1, 2)
KID_TYPES = ("10", "11", "12", "13", "14", "15", "16", "17", "19")  # as often as each other
TEXTS = ("Kiosk Bjørnstad", "Tilbakeført beløp", "Varekjøp Ålesund", "Innskudd")


def ocr_text(payments: int, with_text: float, seed: int = 2026) -> str:
    """An OCR giro transmission with one assignment, written record by record (netsgiro
    takes as long to write it as to read it); `with_text` is the share of types 20/21."""
    rng = random.Random(seed)
    records = ["NY000010" + "00008080" + "1000081" + "00001234" + "0" * 49]
    records.append("NY090020" + "001234567" + "4000001" + ACCOUNT + "0" * 45)
    total = 0
    for n in range(1, payments + 1):
        kind = rng.choice(("20", "21")) if rng.random() < with_text else rng.choice(KID_TYPES)
        if rng.random() < 0.01:
            kind = "18"  # a reversal with KID now and then
        day = f"{FIRST_DAY + timedelta(days=n * 60 // payments):%d%m%y}"
        ore = rng.randint(100, 5_000_000)
        kid = "" if kind in ("20", "21") else f"{rng.randrange(10**10):010d}7"
        debit = f"{rng.randrange(10**11):011d}" if kind != "17" else "0" * 11
        total += ore
        records.append(f"NY09{kind}30{n:07d}{day}13021{n % 100000:05d}0{ore:017d}{kid:>25}000000")
        records.append(f"NY09{kind}31{n:07d}{0:010d}{n:09d}0000000{day}{debit}" + "0" * 22)
        if kind in ("20", "21"):
            records.append(f"NY09{kind}32{n:07d}{rng.choice(TEXTS):40}" + "0" * 25)
    last = f"{FIRST_DAY + timedelta(days=60):%d%m%y}"
    count = len(records)  # the assignment's records: all but record 10, and its end
    records.append(
        f"NY090088{payments:08d}{count:08d}{total:017d}{last}{FIRST_DAY:%d%m%y}{last}" + "0" * 21
    )
    records.append(f"NY000089{payments:08d}{len(records) + 1:08d}{total:017d}{last}" + "0" * 33)
    assert all(len(record) == 80 for record in records[:5] + records[-2:])
    return "\n".join(records) + "\n"


def camt_file(payments: int, version: Version, seed: int = 2026) -> bytes:
    rng = random.Random(seed)
    transactions = [
        BankTransaction(
            where="",
            account=ACCOUNT,
            amount=Decimal(rng.randint(100, 5_000_000)).scaleb(-2),
            booked_on=FIRST_DAY + timedelta(days=n * 60 // payments),
            kid=f"{rng.randrange(10**10):010d}7" if n % 10 else None,
            text="" if n % 10 else "Faktura 1001 og 1002",
            payer_name="Kari Nordmann",
            payer_account=f"{rng.randrange(10**11):011d}",
            archive_ref=f"{n:013d}",
            reversal=n % 100 == 0,
        )
        for n in range(payments)
    ]
    created = datetime(2026, 3, 2, 6, 0, tzinfo=timezone(timedelta(hours=1)))
    return write_camt054(
        transactions,
        message_id=f"BENCH-{version}",
        created=created,
        version=version,
        account=ACCOUNT,
    )


def best(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def same_as_netsgiro(ours: BankFile, text: str) -> float:
    """Seconds netsgiro takes to read the file; asserts it reads the same payments."""
    started = time.perf_counter()
    theirs = netsgiro.parse(text)
    seconds = time.perf_counter() - started
    payments = [t for assignment in theirs.assignments for t in assignment.transactions]
    assert len(payments) == len(ours.transactions)
    for t, o in zip(payments, ours.transactions, strict=True):
        assert isinstance(t, netsgiro.Transaction), t  # an OCR file's assignments hold payments
        assert (t.amount, t.kid, t.date, t.text or "", t.reference) == (
            o.amount,
            o.kid,
            o.booked_on,
            o.text,
            o.archive_ref,
        )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="best of how many runs")
    parser.add_argument("--no-netsgiro", action="store_true", help="skip netsgiro (slow)")
    args = parser.parse_args()
    n, rounds = args.payments, args.rounds
    OUT.mkdir(exist_ok=True)
    rows: list[tuple[str, str, float, str]] = []

    for label, share in (("OCR giro, 10% with text", 0.1), ("OCR giro, all with text", 1.0)):
        path = OUT / f"ocr_{n}_{int(share * 100)}.txt"
        text = ocr_text(n, share)
        path.write_text(text, encoding="iso-8859-1")
        records = text.count("\n")
        seconds = best(rounds, partial(read_ocr, path))
        rows.append((f"{label}: ours", f"{records:,} records", seconds, f"{n / seconds:,.0f}/s"))
        if not args.no_netsgiro and share < 1:
            theirs = same_as_netsgiro(read_ocr(path), text)
            rows.append((f"{label}: netsgiro", "same file", theirs, f"{n / theirs:,.0f}/s"))
        peek = best(rounds, partial(peek_file_id, path))
        rows.append(("OCR giro: peek_file_id", f"{path.stat().st_size:,} bytes", peek, ""))

    for version in ("001.02", "001.08"):
        started = time.perf_counter()
        data = camt_file(n, version)
        written = time.perf_counter() - started
        path = OUT / f"camt054_{version}_{n}.xml"
        path.write_bytes(data)
        rows.append((f"camt.054 {version}: write", f"{len(data):,} bytes", written, ""))
        read = read_camt054(path)
        assert len(read.transactions) == n, "every entry read"
        seconds = best(rounds, partial(read_camt054, path))
        rows.append(
            (f"camt.054 {version}: read", f"{n:,} entries", seconds, f"{n / seconds:,.0f}/s")
        )
        peek = best(rounds, partial(peek_file_id, path))
        rows.append((f"camt.054 {version}: peek_file_id", "", peek, ""))

    print(f"{'what':<40} {'size':>20} {'seconds':>10} {'payments':>12}")
    for what, size, seconds, rate in rows:
        shown = f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds:.3f}"
        print(f"{what:<40} {size:>20} {shown:>10} {rate:>12}")


if __name__ == "__main__":
    main()
