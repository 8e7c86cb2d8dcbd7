"""SAF-T import benchmark (issue 15): a generated SAF-T Financial 1.30 file of N
transactions (default 100,000: invoices and payments of 1,000 customers) imported into a
fresh SQLite database by the `fordring` command, in a process of its own so its time and
peak memory are its own; then, after an invoice import of M more invoices (default
100,000), the whole ledger exported again (time, peak memory).

    .venv/bin/python bench/bench_saft.py [--transactions 100000] [--ledger 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from fordring.adapters.saft.writer import write_saft
from fordring.domain.company import Address
from fordring.domain.saft import (
    ExportAccount,
    ExportCustomer,
    ExportHeader,
    ExportLine,
    ExportVoucher,
)

ORGNR = "923609016"
START, END = date(2026, 1, 1), date(2026, 12, 31)


def generate(path: Path, transactions: int, customers: int = 1_000) -> int:
    """Write the file; the number of invoices left open."""
    rng = random.Random(15)
    balances = [Decimal(0)] * customers
    open_invoices: list[tuple[int, int, Decimal]] = []  # (number, customer, amount)
    plan: list[ExportVoucher] = []
    number = 0
    for t in range(1, transactions + 1):
        day = START + timedelta(days=t * 364 // transactions)
        if open_invoices and rng.random() < 0.3:
            invoice, customer, amount = open_invoices.pop(rng.randrange(len(open_invoices)))
            lines: tuple[ExportLine, ...] = (
                ExportLine("1920", amount, "Innbetaling", None, None, None, None),
                ExportLine("1500", -amount, "Innbetaling", customer + 10_000, invoice, None, None),
            )
            balances[customer] -= amount
            plan.append(ExportVoucher(t, "INN", day, f"Innbetaling {invoice}", lines))
            continue
        number += 1
        customer = rng.randrange(customers)
        net = Decimal(rng.randrange(10_000, 2_000_000)) / 100
        vat = (net / 4).quantize(Decimal("0.01"))
        total = net + vat
        lines = (
            ExportLine(
                "1500", total, "Faktura", customer + 10_000, number, None, day + timedelta(14)
            ),
            ExportLine("3000", -net, "Salg", None, None, None, None),
            ExportLine("2700", -vat, "MVA", None, None, None, None),
        )
        balances[customer] += total
        open_invoices.append((number, customer, total))
        plan.append(ExportVoucher(t, "UF", day, f"Faktura {number}", lines))
    header = ExportHeader(
        ORGNR,
        "Bench AS",
        Address("Gata 1", "0150", "Oslo"),
        "12345678903",
        True,
        END,
        START,
        END,
        "bench",
        len(plan),
        Decimal(0),
        Decimal(0),
    )
    people = [
        ExportCustomer(
            10_000 + i,
            f"Kunde {i}",
            None,
            Address("Vei 1", "0150", "Oslo"),
            "",
            "",
            Decimal(0),
            balances[i],
        )
        for i in range(customers)
    ]
    debit = sum((ln.amount for v in plan for ln in v.lines if ln.amount > 0), Decimal(0))
    header = dataclasses.replace(header, total_debit=debit, total_credit=debit)
    accounts = [ExportAccount("1500", "Kundefordringer", Decimal(0), sum(balances, Decimal(0)))]

    def vouchers() -> Iterator[ExportVoucher]:
        yield from plan

    with path.open("wb") as handle:
        write_saft(handle, header, accounts, people, vouchers())
    return len(open_invoices)


def write_invoices(path: Path, count: int, customers: int = 1_000) -> None:
    """An invoice CSV of `count` one-line invoices for the generated customers."""
    rng = random.Random(16)
    with path.open("w", encoding="utf-8") as out:
        out.write("customer;issue_date;description;quantity;unit_price;vat\n")
        for n in range(count):
            day = START + timedelta(days=n * 364 // count)
            price = rng.randrange(100, 20_000)
            out.write(f"{10_000 + rng.randrange(customers)};{day};Vare;1;{price};25\n")


# Runs the command line in a process of its own and reports that process's peak memory.
_MEASURED = """
import resource, sys
from fordring.entrypoints.cli.main import main
sys.argv = ["fordring", *sys.argv[1:]]
try:
    main()
finally:
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"PEAK_KIB {own.ru_maxrss} CPU_S {own.ru_utime + own.ru_stime}", file=sys.stderr)
"""


def fordring(db: str, *args: str) -> tuple[float, float, str]:
    """Run the command; (seconds, peak MiB of that process, output); its CPU seconds are
    printed, since a busy machine's wall time says little."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, "--db", db, "--date", "2027-01-05", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    figures = done.stderr.rsplit("PEAK_KIB ", 1)[1].split()
    peak, cpu = int(figures[0]), float(figures[2])
    print(f"  {args[0]} {args[1] if len(args) > 1 else ''}: {seconds:.1f} s, {cpu:.1f} s CPU")
    return seconds, peak / 1024, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--ledger", type=int, default=100_000)
    parser.add_argument("--keep")
    options = parser.parse_args()
    folder = Path(options.keep or tempfile.mkdtemp())
    path = folder / "bench-saft.xml"
    started = time.perf_counter()
    left_open = generate(path, options.transactions)
    print(
        f"generated {path.stat().st_size / 2**20:.0f} MiB, {options.transactions} "
        f"transactions, {left_open} invoices open, in {time.perf_counter() - started:.1f} s"
    )
    db = f"sqlite:///{folder / 'bench-saft.db'}"
    fordring(db, "init")
    fordring(
        db, "company", "add", "--orgnr", ORGNR, "--name", "Bench AS", "--account", "12345678903"
    )
    seconds, peak, out = fordring(db, "import", "saft", str(path))
    print(f"import: {seconds:.1f} s, peak {peak:.0f} MiB (the import's process)\n{out}")
    invoices = folder / "invoices.csv"
    write_invoices(invoices, options.ledger)
    seconds, _, _ = fordring(db, "invoice", "import", str(invoices))
    print(f"(invoice import of {options.ledger} invoices for the export: {seconds:.1f} s)")
    seconds, peak, _ = fordring(
        db,
        "export",
        "saft",
        "--from",
        "2026-01-01",
        "--to",
        "2027-12-31",
        "-o",
        str(folder / "export.xml"),
        "--force",
    )
    size = (folder / "export.xml").stat().st_size / 2**20
    print(
        f"export of the ledger ({options.ledger + 1} vouchers): {seconds:.1f} s, "
        f"peak {peak:.0f} MiB, {size:.0f} MiB written"
    )


if __name__ == "__main__":
    main()
