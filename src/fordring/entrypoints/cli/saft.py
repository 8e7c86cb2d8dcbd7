"""`fordring import saft FILE` and `fordring export saft --from --to -o FILE`: SAF-T
Financial in and out (docs/saft.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import click

from fordring import __version__, bootstrap
from fordring.domain.input_rules import parse_business_date
from fordring.domain.saft import ExportAccount, ExportCustomer, ExportHeader, ExportVoucher
from fordring.entrypoints.cli.options import Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output_file import FORCE, output_target, write_output
from fordring.services.saft_export import export_saft
from fordring.services.saft_import import SaftImportResult, import_saft


@click.group("import")
def import_group() -> None:
    """Import another system's books."""


@import_group.command("saft")
@click.argument("file")
@pass_globals
def import_saft_command(g: Globals, file: str) -> None:
    """Import a SAF-T Financial file (1.10 or 1.30): its customers and the open items of
    its customer ledger at the period's end, as opening balances. All or nothing; the same
    file again changes nothing."""
    result = import_saft(bootstrap.saft_file(file), scope_of(g), g.app.uow_factory)
    g.printer.emit(_data(result), _text(result))


def _data(r: SaftImportResult) -> dict[str, object]:
    if r.already:
        return {"file": r.filename, "status": "already_imported", "imported_on": r.imported_on}
    return {
        "file": r.filename,
        "status": "imported",
        "version": r.version,
        "period": r.period,
        "customers_added": r.customers_added,
        "customers_found": r.customers_found,
        "open_items": r.open_items,
        "open_total": r.open_total,
        "credits": r.credits,
        "credit_total": r.credit_total,
        "brought_forward": r.brought_forward,
        "voucher": r.voucher,
        "left": {
            "closed_items": r.closed_items,
            "supplier_lines": r.supplier_lines,
            "other_lines": r.other_lines,
            "accounts": r.accounts,
        },
        "unreferenced_lines": r.unreferenced_lines,
        "renumbered": list(r.renumbered),
    }


def _text(r: SaftImportResult) -> str:
    if r.already:
        return f"{r.filename} was already imported on {r.imported_on}; nothing changed."
    voucher = f" by voucher {r.voucher}" if r.voucher is not None else ""
    lines = [
        f"Imported {r.filename} (SAF-T {r.version}, {r.period}):",
        f"  customers: {r.customers_added} added, {r.customers_found} there already",
        f"  open items: {r.open_items}, {r.open_total:.2f} NOK on 1500{voucher}",
    ]
    if r.brought_forward:
        lines.append(
            f"    of them {r.brought_forward} a customer's balance the file's lines do not "
            "itemise (brought forward as one item)"
        )
    if r.credits:
        lines.append(f"  customer credit: {r.credits} customers, {r.credit_total:.2f} NOK on 2900")
    if r.renumbered:
        lines.append(f"  given new invoice numbers: {', '.join(r.renumbered[:10])}")
    lines.append(
        f"  left: {r.closed_items} invoices settled in the period, {r.supplier_lines} supplier "
        f"lines, {r.other_lines} other ledger lines, the chart of {r.accounts} accounts"
    )
    return "\n".join(lines)


@click.group("export")
def export_group() -> None:
    """Export the company's books."""


@export_group.command("saft")
@click.option("--from", "start", required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day of the period (YYYY-MM-DD).")
@click.option("-o", "--output", required=True, help="The file to write.")
@FORCE
@pass_globals
def export_saft_command(g: Globals, start: str, end: str, output: str, force: bool) -> None:
    """Write the ledger of a period as a SAF-T Financial 1.30 file: the company, the
    accounts used with their standard mapping and balances, the customers and every
    voucher with its lines."""
    target = output_target(output, "output", force=force)
    first, last = parse_business_date(start, "from"), parse_business_date(end, "to")
    written: list[str] = []

    def write(
        header: ExportHeader,
        accounts: Sequence[ExportAccount],
        customers: Sequence[ExportCustomer],
        vouchers: Iterable[ExportVoucher],
    ) -> None:
        # Written while the vouchers are read: the file is never held whole in memory.
        content = bootstrap.saft_content(header, accounts, customers, vouchers)
        written.append(write_output(target, content, "output", force=force))

    result = export_saft(first, last, scope_of(g), g.app.uow_factory, write, __version__)
    path = written[0]
    data = {
        "file": path,
        "from": result.start,
        "to": result.end,
        "vouchers": result.vouchers,
        "accounts": result.accounts,
        "customers": result.customers,
    }
    human = (
        f"Wrote {path}: SAF-T Financial 1.30, {result.start} – {result.end}, "
        f"{result.vouchers} vouchers, {result.accounts} accounts, {result.customers} customers."
    )
    g.printer.emit(data, human)


COMMANDS: list[click.Command] = [import_group, export_group]
