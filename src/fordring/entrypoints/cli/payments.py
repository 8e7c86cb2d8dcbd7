"""`fordring payments register`: a payment seen in the bank or paid in cash."""

from __future__ import annotations

import click

from fordring import bootstrap
from fordring.domain.money import parse_amount
from fordring.entrypoints.cli.options import Globals, parse_date, pass_globals
from fordring.services.payments import NewPayment, register_payment


@click.group("payments")
def payments() -> None:
    """Payments received."""


@payments.command("register")
@click.option("--amount", required=True, help="The amount paid, e.g. 2500 or 2500,50.")
@click.option("--date", "paid_on", default=None, help="Payment date (default: --date).")
@click.option("--kid", default=None, help="The KID the debtor paid with.")
@click.option("--invoice", "invoice_number", type=int, default=None, help="Invoice number.")
@pass_globals
def register(
    g: Globals, amount: str, paid_on: str | None, kid: str | None, invoice_number: int | None
) -> None:
    """Register a payment by KID or invoice number; it is split and booked by the law's rules."""
    cmd = NewPayment(
        amount=parse_amount(amount, "amount"),
        day=parse_date(paid_on, "date") if paid_on else g.business_date,
        kid=kid,
        invoice_number=invoice_number,
    )
    done = register_payment(cmd, g.company_orgnr, bootstrap.uow_factory(g.database_url))
    data = {
        "voucher": done.voucher_number,
        "case": done.case_number,
        "applied": [{"to": to, "amount": amount} for to, amount in done.paid],
        "overpayment": done.allocation.overpayment,
        "order": [c.value for c in done.allocation.order],
    }
    lines = [f"  {amount} to {to}" for to, amount in done.paid]
    if done.allocation.overpayment:
        lines.append(f"  {done.allocation.overpayment} overpaid: kept as the customer's credit")
    human = f"Payment booked as voucher {done.voucher_number}\n" + "\n".join(lines)
    g.printer.emit(data, human)


COMMANDS: list[click.Command] = [payments]
