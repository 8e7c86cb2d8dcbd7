"""`fordring invoice pdf|ehf|send`: an invoice as a document, and sending it (D1, D3, D4)."""

from __future__ import annotations

import click

from fordring import bootstrap
from fordring.entrypoints.cli.deliveries import deliver_now, report_data, report_text
from fordring.entrypoints.cli.invoice import invoice
from fordring.entrypoints.cli.options import FOLDER, NUMBER, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output_file import FORCE, output_target, write_output
from fordring.services.invoice_documents import document_of, send_invoices


@invoice.command("pdf")
@click.argument("number", type=NUMBER)
@click.option("-o", "--output", default=None, help="File to write (default: NAME.pdf here).")
@FORCE
@pass_globals
def pdf(g: Globals, number: int, output: str | None, force: bool) -> None:
    """Write invoice or credit note NUMBER as a PDF."""
    document = document_of(scope_of(g), number, g.app.uow_factory)
    target = output_target(output or f"{document.name}.pdf", "output", force=force)
    with bootstrap.invoice_renderer() as renderer:
        (content,) = renderer.render_invoices([document])
    where = write_output(target, content, "output", force=force)
    g.printer.emit({"invoice": number, "file": where}, f"Wrote {where}")


@invoice.command("ehf")
@click.argument("number", type=NUMBER)
@click.option("-o", "--output", default=None, help="File to write (default: NAME.xml here).")
@FORCE
@pass_globals
def ehf(g: Globals, number: int, output: str | None, force: bool) -> None:
    """Write invoice or credit note NUMBER as EHF (Peppol BIS Billing 3.0 UBL), checked
    against the UBL schema and the rules checked before sending."""
    document = document_of(scope_of(g), number, g.app.uow_factory)
    target = output_target(output or f"{document.name}.xml", "output", force=force)
    ubl = bootstrap.ehf_writer().write(document)
    where = write_output(target, ubl, "output", force=force)
    g.printer.emit({"invoice": number, "file": where}, f"Wrote {where}")


@invoice.command("send")
@click.argument("numbers", type=NUMBER, nargs=-1, required=True)
@click.option("--outbox", type=FOLDER, default=None, help="Folder for paper (FORDRING_OUTBOX).")
@pass_globals
def send(g: Globals, numbers: tuple[int, ...], outbox: str | None) -> None:
    """Queue invoices for delivery (EHF, else e-mail, else paper) and deliver the queue.
    An invoice already queued or sent is not sent again (see `deliveries retry`)."""
    pin_key = g.app.configured(outbox=outbox).debtor_pin_key  # the key file in the outbox
    send_invoices(scope_of(g), numbers, g.app.uow_factory, pin_key)
    report = deliver_now(g, outbox)
    g.printer.emit(report_data(report), report_text(report))


COMMANDS: list[click.Command] = []  # the commands join the `invoice` group above
