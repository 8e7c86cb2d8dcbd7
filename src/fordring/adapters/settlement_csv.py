"""The settlement statement as CSV for the creditor's accountant: one row per payment, as
Excel in Norway opens it (UTF-8 with BOM, `;`, decimal comma, ISO dates), no totals row.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Final

from fordring.adapters.csv_cells import text_cell
from fordring.domain.settlement import SettledPayment, Settlement

SETTLEMENT_CSV_COLUMNS: Final = (
    "mottatt",
    "kid",
    "betaler",
    "kundenr",
    "kunde",
    "sak",
    "fakturaer",
    "beløp",
    "hovedstol",
    "renter",
    "gebyr",
    "salær",
    "overbetalt",
    "utbetalt",
)
_ORE: Final = Decimal("0.01")


def settlement_csv(settlement: Settlement) -> bytes:
    """The statement's payments, a header row first; amounts exact to the øre."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(SETTLEMENT_CSV_COLUMNS)
    writer.writerows(_row(p) for p in settlement.payments)
    return out.getvalue().encode("utf-8-sig")


def _row(p: SettledPayment) -> tuple[str, ...]:
    return (
        p.received_on.isoformat(),
        p.kid,
        text_cell(p.payer),  # names come from bank files
        "" if p.customer_number is None else str(p.customer_number),
        text_cell(p.customer_name),
        "" if p.case_number is None else str(p.case_number),
        " ".join(str(n) for n in p.invoice_numbers),
        *(
            _amount(value, p)
            for value in (
                p.amount,
                p.principal,
                p.interest,
                p.fees,
                p.salaer,
                p.credit,
                p.paid_out,
            )
        ),
    )


def _amount(value: Decimal, p: SettledPayment) -> str:
    """`1234,50`: two decimals, no grouping (a spreadsheet reads that as a number)."""
    ore = value.quantize(_ORE)
    if ore != value:
        raise ValueError(f"payment {p.payment_id}: {value} is not a whole number of øre")
    return f"{ore + 0:f}".replace(".", ",")  # + 0: never "-0,00"
