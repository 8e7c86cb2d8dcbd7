"""`fordring payments`: bank files in, the queue of unmatched payments, matching by hand,
refunds and credits, and registering a payment seen in the bank or paid in cash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fordring import bootstrap
from fordring.domain.input_rules import parse_amount, parse_business_date
from fordring.domain.kid import parse_kid
from fordring.domain.payments import Channel
from fordring.domain.text_input import parse_match_item
from fordring.entrypoints.cli.options import NUMBER, WHOLE, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.services.held_payments import list_held
from fordring.services.payment_import import import_bank_file
from fordring.services.payments import (
    NewPayment,
    QueuedPayment,
    RegisteredPayment,
    keep_as_credit,
    list_payments,
    match_payment_by_hand,
    refund_payment,
    register_payment,
    show_payment,
)
from fordring.services.ports import PaymentView

RATES = click.option("--rates", default=None, help="Law rates file (FORDRING_RATES_FILE).")


@click.group("payments")
def payments() -> None:
    """Payments received: bank files, matching, the unmatched queue."""


def _registered(done: RegisteredPayment) -> tuple[dict[str, Any], str]:
    split = done.split
    overpaid = split.overpayment if split else None
    data = {
        "payment": done.number,
        "voucher": done.voucher_number,
        "case": done.case_number,
        "applied": [{"to": to, "amount": amount} for to, amount in done.paid],
        "overpayment": overpaid,
        "order": [c.value for c in split.allocation.order] if split else [],
    }
    lines = [f"  {amount} to {to}" for to, amount in done.paid]
    if overpaid:
        lines.append(f"  {overpaid} overpaid: kept as the customer's credit")
    human = f"Payment {done.number} booked as voucher {done.voucher_number}\n" + "\n".join(lines)
    return data, human


@payments.command("register")
@click.option("--amount", required=True, help="The amount paid, e.g. 2500 or 2500,50.")
@click.option("--date", "paid_on", default=None, help="Payment date (default: --date).")
@click.option("--kid", default=None, help="The KID the debtor paid with.")
@click.option("--invoice", "invoice_number", type=NUMBER, default=None, help="Invoice number.")
@click.option(
    "--to",
    "channel",
    type=click.Choice([c.value for c in Channel]),
    default=Channel.DIRECT.value,
    show_default=True,
    help="direct: the creditor's own account; client: the collector's client account.",
)
@RATES
@pass_globals
def register(
    g: Globals,
    amount: str,
    paid_on: str | None,
    kid: str | None,
    invoice_number: int | None,
    channel: str,
    rates: str | None,
) -> None:
    """Register a payment by KID or invoice number; it is split and booked by the law's rules."""
    cmd = NewPayment(
        amount=parse_amount(amount, "amount"),
        day=parse_business_date(paid_on, "date") if paid_on else g.business_date,
        kid=parse_kid(kid) if kid is not None else None,
        invoice_number=invoice_number,
        channel=Channel(channel),
    )
    done = register_payment(cmd, scope_of(g), g.app.uow_factory, bootstrap.rate_book(rates))
    g.printer.emit(*_registered(done))


@payments.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@RATES
@pass_globals
def import_(g: Globals, file: Path, rates: str | None) -> None:
    """Import a bank file: Nets OCR giro or camt.054 (detected from the content). The same
    file twice is refused; a malformed file is refused whole."""
    report = import_bank_file(
        file,
        scope_of(g),
        g.app.uow_factory,
        bootstrap.bank_file_reader(),
        bootstrap.rate_book(rates),
    )
    matched = sum(report.matched.values())
    data = {
        "format": report.format,
        "file_id": report.file_id,
        "payments": report.payments,
        "total": report.total,
        "matched": matched,
        "matched_by": report.matched,
        "unmatched": report.unmatched,
        "reversed": report.reversed,
        "credit_notes": report.credit_notes,
        "held": report.held,
        "interest_charged": report.interest_charged,
    }
    by = ", ".join(f"{n} by {rule}" for rule, n in sorted(report.matched.items()))
    human = (
        f"Imported {report.format} {report.file_id}: {report.payments} payments, "
        f"{report.total} in all\n  matched {matched}"
        + (f" ({by})" if by else "")
        + f"\n  unmatched {report.unmatched} (see `fordring payments list --unmatched`)"
        + (f"\n  reversed {report.reversed}" if report.reversed else "")
        + (
            f"\n  credit notes {report.credit_notes}: deducted by the payer, negative in the queue"
            if report.credit_notes
            else ""
        )
        + (
            f"\n  held {report.held}: like payments booked before, booked only if released "
            "(see `fordring payments held`)"
            if report.held
            else ""
        )
    )
    g.printer.emit(data, human)


def _view(v: PaymentView) -> dict[str, Any]:
    r = v.row
    return {
        "payment": r.number,
        "received": r.received_on,
        "channel": r.channel,
        "amount": r.amount,
        "kid": r.kid,
        "payer": r.payer_name,
        "text": r.text,
        "status": r.status,
        "matched_by": r.matched_by,
        "customer": v.customer_number,
        "case": v.case_number,
        "invoices": list(v.invoice_numbers),
        "principal": r.principal,
        "interest": r.interest,
        "fees": r.fees,
        "salaer": r.salaer,
        "credit": r.credit,
        "refunded": r.refunded,
        "settlement": v.settlement_number,
    }


def _queued(q: QueuedPayment) -> dict[str, Any]:
    data = _view(q.view)
    data["suggestions"] = [
        {
            "item": s.candidate.label,
            "customer": s.candidate.customer_name,
            "owed": s.candidate.owed,
            "why": s.why,
        }
        for s in q.suggestions
    ]
    return data


@payments.command("list")
@click.option("--unmatched", is_flag=True, help="Only payments waiting to be matched.")
@click.option("--limit", type=WHOLE, default=200, show_default=True)
@pass_globals
def list_(g: Globals, unmatched: bool, limit: int) -> None:
    """Payments received, with what each paid; unmatched ones with suggestions."""
    found = list_payments(
        scope_of(g),
        g.app.uow_factory,
        unmatched_only=unmatched,
        limit=limit,
    )
    rows = [_queued(q) for q in found]
    columns = ["payment", "received", "amount", "kid", "payer", "status", "case", "invoices"]
    shown = [{**r, "invoices": " ".join(map(str, r["invoices"]))} for r in rows]
    human = table(shown, columns, right={"payment", "amount", "case"}) if rows else "No payments."
    hints = [
        f"  payment {r['payment']}: try {s['item']} ({s['customer']}, {s['owed']}: {s['why']})"
        for r in rows
        for s in r["suggestions"]
    ]
    if hints:
        human += "\nSuggestions (fordring payments match PAYMENT ITEM):\n" + "\n".join(hints)
    waiting = list_held(scope_of(g), g.app.uow_factory, limit=limit)
    if waiting:
        human += (
            f"\n{len(waiting)} more held, not booked: they look like payments booked before "
            "(see `fordring payments held`)"
        )
    g.printer.emit(rows, human)


@payments.command("show")
@click.argument("number", type=NUMBER)
@pass_globals
def show(g: Globals, number: int) -> None:
    """One payment: what the bank said and what it paid."""
    data = _view(show_payment(scope_of(g), number, g.app.uow_factory))
    g.printer.emit(data, "\n".join(f"{k:>12}: {v}" for k, v in data.items()))


@payments.command("match")
@click.argument("number", type=NUMBER)
@click.argument("items", nargs=-1, required=True)
@RATES
@pass_globals
def match(g: Globals, number: int, items: tuple[str, ...], rates: str | None) -> None:
    """Match unmatched payment NUMBER against ITEMs: invoice numbers of one customer, or
    one case as case:N. It pays them oldest first; the rest is the customer's credit."""
    done = match_payment_by_hand(
        scope_of(g),
        number,
        [parse_match_item(item) for item in items],
        g.app.uow_factory,
        bootstrap.rate_book(rates),
    )
    g.printer.emit(*_registered(done))


@payments.command("refund")
@click.argument("number", type=NUMBER)
@pass_globals
def refund(g: Globals, number: int) -> None:
    """Pay back an unmatched payment, or what a payment overpaid."""
    amount, voucher = refund_payment(scope_of(g), number, g.app.uow_factory)
    g.printer.emit(
        {"payment": number, "refunded": amount, "voucher": voucher},
        f"Refunded {amount} of payment {number} (voucher {voucher})",
    )


@payments.command("keep")
@click.argument("number", type=NUMBER)
@click.option("--customer", "customer_number", type=NUMBER, required=True, help="Whose credit.")
@pass_globals
def keep(g: Globals, number: int, customer_number: int) -> None:
    """Keep an unmatched payment as a customer's credit (account 2900)."""
    voucher = keep_as_credit(
        scope_of(g),
        number,
        customer_number,
        g.app.uow_factory,
    )
    g.printer.emit(
        {"payment": number, "customer": customer_number, "voucher": voucher},
        f"Payment {number} kept as customer {customer_number}'s credit (voucher {voucher})",
    )


COMMANDS: list[click.Command] = [payments]
