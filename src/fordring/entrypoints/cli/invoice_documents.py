"""`fordring invoice pdf|ehf|send`: an invoice as a document, and sending it (D1, D3, D4)."""

from __future__ import annotations

from pathlib import Path

import click

from fordring import bootstrap
from fordring.entrypoints.cli.deliveries import deliver_now, report_data, report_text
from fordring.entrypoints.cli.invoice import invoice
from fordring.entrypoints.cli.options import Globals, pass_globals, scope_of
from fordring.services.invoice_documents import document_of, send_invoices


def _write(data: bytes, output: str | None, default: str) -> str:
    target = Path(output or default)
    target.write_bytes(data)
    return str(target)


@invoice.command("pdf")
@click.argument("number", type=int)
@click.option("-o", "--output", default=None, help="File to write (default: NAME.pdf here).")
@pass_globals
def pdf(g: Globals, number: int, output: str | None) -> None:
    """Write invoice or credit note NUMBER as a PDF."""
    document = document_of(scope_of(g), number, g.app.uow_factory)
    with bootstrap.invoice_renderer() as renderer:
        (content,) = renderer.render_invoices([document])
    where = _write(content, output, f"{document.name}.pdf")
    g.printer.emit({"invoice": number, "file": where}, f"Wrote {where}")


@invoice.command("ehf")
@click.argument("number", type=int)
@click.option("-o", "--output", default=None, help="File to write (default: NAME.xml here).")
@pass_globals
def ehf(g: Globals, number: int, output: str | None) -> None:
    """Write invoice or credit note NUMBER as EHF (Peppol BIS Billing 3.0 UBL), checked
    against the UBL schema and the rules checked before sending."""
    document = document_of(scope_of(g), number, g.app.uow_factory)
    where = _write(bootstrap.ehf_writer().write(document), output, f"{document.name}.xml")
    g.printer.emit({"invoice": number, "file": where}, f"Wrote {where}")


@invoice.command("send")
@click.argument("numbers", type=int, nargs=-1, required=True)
@click.option("--outbox", default=None, help="Folder for paper (FORDRING_OUTBOX).")
@pass_globals
def send(g: Globals, numbers: tuple[int, ...], outbox: str | None) -> None:
    """Queue invoices for delivery (EHF, else e-mail, else paper) and deliver the queue.
    An invoice already queued or sent is not sent again (see `deliveries retry`)."""
    send_invoices(scope_of(g), numbers, g.business_date, g.app.uow_factory)
    report = deliver_now(g, outbox)
    g.printer.emit(report_data(report), report_text(report))


COMMANDS: list[click.Command] = []  # the commands join the `invoice` group above
