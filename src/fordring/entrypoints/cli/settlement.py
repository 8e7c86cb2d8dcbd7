"""`fordring settlement list|show`: what the collector paid out to the creditor."""

from __future__ import annotations

from typing import Any

import click

from fordring import bootstrap
from fordring.domain.identifiers import format_account
from fordring.entrypoints.cli.options import NUMBER, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.entrypoints.cli.output_file import FORCE, output_target, write_output
from fordring.services.settlements import list_settlements, settled_lines, show_settlement


@click.group("settlement")
def settlement() -> None:
    """Settlements (oppgjør) from the collector's client account."""


@settlement.command("list")
@pass_globals
def list_(g: Globals) -> None:
    """Every settlement: day, payments, received, kept by the collector, paid out."""
    rows = [
        {
            "settlement": s.number,
            "day": s.day,
            "payments": s.payments,
            "received": s.received,
            "kept": s.kept,
            "paid_out": s.paid_out,
            "pdf": s.pdf,
            "csv": s.csv,
        }
        for s in list_settlements(scope_of(g), g.app.uow_factory)
    ]
    columns = ["settlement", "day", "payments", "received", "kept", "paid_out"]
    right = {"settlement", "payments", "received", "kept", "paid_out"}
    g.printer.emit(rows, table(rows, columns, right) if rows else "No settlements yet.")


@settlement.command("show")
@click.argument("number", type=NUMBER)
@click.option("--pdf", "pdf_file", default=None, help="Write the PDF here.")
@click.option("--csv", "csv_file", default=None, help="Write the CSV here.")
@FORCE
@pass_globals
def show(g: Globals, number: int, pdf_file: str | None, csv_file: str | None, force: bool) -> None:
    """One settlement with each payment's principal, interest, fees and salær."""
    targets = {
        field: output_target(path, field, force=force)
        for field, path in (("pdf", pdf_file), ("csv", csv_file))
        if path is not None
    }
    shown = show_settlement(scope_of(g), number, g.app.uow_factory)
    s = shown.settlement
    documents = bootstrap.settlement_documents()
    for field, target in targets.items():
        content = documents.pdf(s) if field == "pdf" else documents.csv(s)
        write_output(target, content, field, force=force)
    lines = settled_lines(s)
    data: dict[str, Any] = {
        "settlement": s.number,
        "day": s.day,
        "creditor": s.creditor.name,
        "collector": s.collector.name,
        "received": s.received,
        "principal": s.principal,
        "interest": s.interest,
        "fees": s.fees,
        "salaer": s.salaer,
        "credit": s.credit,
        "kept": s.kept,
        "paid_out": s.paid_out,
        "pdf": shown.record.pdf,
        "csv": shown.record.csv,
        "payments": lines,
    }
    columns = [
        "received_on",
        "kid",
        "case",
        "amount",
        "principal",
        "interest",
        "fees",
        "salaer",
        "credit",
    ]
    human = (
        f"Settlement {s.number} on {s.day}: {s.collector.name} to {s.creditor.name}\n"
        f"  received {s.received}, kept {s.kept} (salær), "
        f"paid out {s.paid_out} to {format_account(s.creditor.account)}\n"
        + table(lines, columns, right=set(columns) - {"received_on", "kid"})
    )
    g.printer.emit(data, human)


COMMANDS: list[click.Command] = [settlement]
