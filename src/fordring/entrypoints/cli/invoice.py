"""`fordring invoice create|credit|list|show|import`."""

from __future__ import annotations

from typing import Any

import click

from fordring import bootstrap
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_amount, parse_business_date
from fordring.domain.kid import parse_kid
from fordring.domain.ledger import VoucherTypeCode
from fordring.domain.reskontro import settlement_status
from fordring.domain.text_input import parse_currency, parse_line_specs, parse_voucher_type
from fordring.entrypoints.cli.deliveries import deliver_now, report_data, report_text
from fordring.entrypoints.cli.imports import import_result, rows_read
from fordring.entrypoints.cli.options import (
    DAYS,
    FOLDER,
    NUMBER,
    VOUCHER_REASON,
    Globals,
    pass_globals,
    scope_of,
)
from fordring.entrypoints.cli.output import table, text
from fordring.services.invoice_documents import send_invoices
from fordring.services.invoice_import import import_invoices
from fordring.services.invoicing import (
    NewCreditNote,
    NewInvoice,
    create_invoice,
    credit_invoice,
    list_invoices,
    show_invoice,
)
from fordring.services.ports import StoredInvoice
from fordring.services.write_offs import WriteOff, write_off

LINE_HELP = "A line 'text;quantity;unit price;vat%', e.g. 'Konsulenttime;7.5;1200;25'. Repeat."


def invoice_data(s: StoredInvoice) -> dict[str, Any]:
    inv = s.invoice
    return {
        "number": inv.number,
        "kind": inv.kind,
        "customer": s.customer_number,
        "customer_name": s.customer_name,
        "issue_date": inv.issue_date,
        "due_date": inv.due_date,
        "currency": inv.currency,
        "exchange_rate": str(inv.exchange_rate),
        "kid": inv.kid,
        "net": inv.net,
        "vat": inv.vat,
        "total": inv.total,
        "total_nok": s.total_nok,
        "open_amount": s.open_amount,
        "status": settlement_status(s.total_nok, s.open_amount)
        if not inv.is_credit_note
        else "credit_note",
        "credits": s.credited_number,
        "exempt": inv.reminder_exempt,
        "voucher": s.voucher_number,
        "vat_lines": [
            {"rate": str(v.rate), "taxable": v.taxable, "vat": v.vat} for v in inv.vat_lines
        ],
        "lines": [
            {
                "text": line.description,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "vat": str(line.vat_rate),
                "amount": line.net,
            }
            for line in inv.lines
        ],
    }


def invoice_text(s: StoredInvoice) -> str:
    d = invoice_data(s)
    title = "Credit note" if s.invoice.is_credit_note else "Invoice"
    credits = f" crediting invoice {s.credited_number}" if s.credited_number else ""
    out = [
        f"{title} {d['number']}{credits} to {d['customer']} {d['customer_name']}",
        f"  issued {d['issue_date']}, due {d['due_date']}, KID {d['kid']}, voucher {d['voucher']}",
    ]
    rows = d["lines"]
    out.append(
        table(
            rows,
            ["text", "quantity", "unit_price", "vat", "amount"],
            right={"quantity", "unit_price", "vat", "amount"},
        )
    )
    for v in d["vat_lines"]:
        out.append(f"  VAT {v['rate']} % of {text(v['taxable'])}: {text(v['vat'])}")
    out.append(
        f"  Total {text(d['total'])} {d['currency']}  (net {text(d['net'])}, VAT {text(d['vat'])})"
    )
    if not s.invoice.is_credit_note:
        out.append(f"  Open {text(d['open_amount'])} NOK ({text(d['status'])})")
    return "\n".join(out)


@click.group("invoice")
def invoice() -> None:
    """Invoices and credit notes."""


@invoice.command("create")
@click.option("--customer", "customer_number", type=NUMBER, required=True, help="Customer number.")
@click.option("--line", "lines", multiple=True, help=LINE_HELP)
@click.option("--due", default=None, help="Due date YYYY-MM-DD.")
@click.option("--terms", type=DAYS, default=None, help="Days to the due date (default: company).")
@click.option("--currency", default="NOK")
@click.option("--exchange-rate", default="", help="NOK per unit, for another currency.")
@click.option("--kid", default=None, help="A KID to use instead of generating one.")
@click.option("--exempt", is_flag=True, help="No reminders for this invoice (purrefritak).")
@click.option("--send", is_flag=True, help="Deliver it now: EHF, else e-mail, else paper.")
@click.option(
    "--outbox", type=FOLDER, default=None, help="Folder for paper, with --send (FORDRING_OUTBOX)."
)
@pass_globals
def create(g: Globals, /, **o: Any) -> None:
    """Issue an invoice dated the business date (and with --send, deliver it)."""
    due = parse_business_date(o["due"], "due") if o["due"] else None
    lines, problems = parse_line_specs(o["lines"])
    if not o["lines"]:
        problems.append(Problem("line", "give at least one --line", code="required"))
    if problems:
        raise InvalidInput(problems)
    currency, rate = parse_currency(o["currency"], o["exchange_rate"])
    cmd = NewInvoice(
        customer_number=o["customer_number"],
        lines=lines,
        due=due,
        terms_days=o["terms"],
        currency=currency,
        exchange_rate=rate,
        kid=parse_kid(o["kid"]) if o["kid"] else None,
        reminder_exempt=o["exempt"],
    )
    stored = create_invoice(cmd, scope_of(g), g.app.uow_factory)
    data, human = invoice_data(stored), invoice_text(stored)
    if o["send"]:
        numbers = [stored.invoice.number]
        pin_key = g.app.configured(outbox=o["outbox"]).debtor_pin_key
        send_invoices(scope_of(g), numbers, g.app.uow_factory, pin_key)
        report = deliver_now(g, o["outbox"])
        data["delivery"] = report_data(report)
        human += "\n" + report_text(report)
    g.printer.emit(data, human)


@invoice.command("credit")
@click.argument("number", type=NUMBER)
@click.option("--line", "lines", multiple=True, help=LINE_HELP + " Without: credit in full.")
@pass_globals
def credit(g: Globals, number: int, lines: tuple[str, ...]) -> None:
    """Credit invoice NUMBER in full, or partly with --line."""
    typed, problems = parse_line_specs(lines)
    if problems:
        raise InvalidInput(problems)
    stored = credit_invoice(
        NewCreditNote(number, typed),
        scope_of(g),
        g.app.uow_factory,
    )
    g.printer.emit(invoice_data(stored), invoice_text(stored))


@invoice.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only invoices with something open.")
@pass_globals
def list_(g: Globals, open_only: bool) -> None:
    """List invoices and credit notes."""
    found = list_invoices(scope_of(g), open_only, g.app.uow_factory)
    rows = [
        {
            "number": s.number,
            "kind": s.kind,
            "customer": s.customer_number,
            "name": s.customer_name,
            "issue_date": s.issue_date,
            "due_date": s.due_date,
            "kid": s.kid,
            "currency": s.currency,
            "total": s.total,
            "total_nok": s.total_nok,
            "open_amount": s.open_amount,
            "status": settlement_status(s.total_nok, s.open_amount)
            if s.kind == "invoice"
            else "credit_note",
        }
        for s in found
    ]
    columns = [
        "number",
        "kind",
        "customer",
        "name",
        "due_date",
        "kid",
        "total",
        "open_amount",
        "status",
    ]
    g.printer.emit(rows, table(rows, columns, right={"number", "total", "open_amount"}))


@invoice.command("show")
@click.argument("number", type=NUMBER)
@pass_globals
def show(g: Globals, number: int) -> None:
    """Show an invoice or credit note with its lines, VAT and open amount."""
    stored = show_invoice(number, scope_of(g), g.app.uow_factory)
    g.printer.emit(invoice_data(stored), invoice_text(stored))


@invoice.command("import")
@click.argument("file")
@pass_globals
def import_(g: Globals, file: str) -> None:
    """Import invoices from CSV (docs/import.md): all or none, batched."""
    result = import_invoices(
        bootstrap.invoice_file(file, rows_read(g)),
        scope_of(g),
        g.app.uow_factory,
    )
    import_result(g, result, "invoices")


@invoice.command("write-off")
@click.argument("number", type=NUMBER)
@click.option("--amount", default=None, help="How much (default: all that is open).")
@click.option(
    "--type",
    "type_code",
    default=VoucherTypeCode.LOSS.value,
    show_default=True,
    help="Voucher type.",
)
@click.option("--reason", type=VOUCHER_REASON, default="", help="Why, for the voucher text.")
@click.option("--force", is_flag=True, help="Allow a type reported to collection as payment.")
@pass_globals
def write_off_(
    g: Globals, number: int, amount: str | None, type_code: str, reason: str, force: bool
) -> None:
    """Write off an invoice as a loss. TAP (not reported to collection) books a write-down
    (7830 / 1580) and collection goes on; a payment-mapped type is refused unless forced."""
    cmd = WriteOff(
        number,
        parse_amount(amount, "amount") if amount is not None else None,
        parse_voucher_type(type_code),
        force,
        reason,
    )
    done = write_off(cmd, scope_of(g), g.app.uow_factory)
    told = "the case was told" if done.reported else "not reported to collection"
    g.printer.emit(
        {
            "invoice": number,
            "amount": done.amount,
            "voucher": done.voucher_number,
            "reported": done.reported,
        },
        f"Invoice {number}: {done.amount} written off (voucher {done.voucher_number}); {told}",
    )


COMMANDS: list[click.Command] = [invoice]
