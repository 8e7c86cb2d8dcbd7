"""`fordring collector`: a collector serving many creditors: add, show, serve a creditor,
import a bank file to the client account, and the queue of payments no creditor's KID
claimed, assigned by hand to one creditor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fordring import bootstrap
from fordring.domain.collector import Collector, detail_problems
from fordring.domain.errors import InvalidInput
from fordring.domain.text_input import parse_match_item, parse_party_ids
from fordring.entrypoints.cli.options import NUMBER, Globals, pass_globals
from fordring.entrypoints.cli.output import table
from fordring.services.client_account_import import import_client_file
from fordring.services.collector import (
    NewCollector,
    add_collector,
    assign_payment,
    list_queue,
    serve_creditor,
    show_collector,
)
from fordring.services.collector_ports import ClientPayment
from fordring.services.collector_stop import stop_serving

WHICH = click.option(
    "--collector", "collector_orgnr", default=None, help="The collector's orgnr (if several)."
)
RATES = click.option("--rates", default=None, help="Law rates file (FORDRING_RATES_FILE).")


@click.group("collector")
def collector() -> None:
    """A collector (innfordrer) serving many creditors from its client account(s)."""


def _collector(c: Collector) -> dict[str, Any]:
    return {
        "orgnr": c.orgnr,
        "name": c.name,
        "licence": c.licence,
        "street": c.street,
        "postcode": c.postcode,
        "city": c.city,
        "phone": c.phone,
        "email": c.email,
        "accounts": list(c.accounts),
    }


@collector.command("add")
@click.option("--orgnr", required=True, help="The collector's organisation number.")
@click.option("--name", required=True)
@click.option(
    "--account", "accounts", multiple=True, help="A client account (klientkonto); repeatable."
)
@click.option("--licence", default="", help="Finanstilsynet's licence reference.")
@click.option("--street", default="")
@click.option("--postcode", default="")
@click.option("--city", default="")
@click.option("--phone", default="")
@click.option("--email", default="")
@pass_globals
def add(
    g: Globals,
    orgnr: str,
    name: str,
    accounts: tuple[str, ...],
    licence: str,
    street: str,
    postcode: str,
    city: str,
    phone: str,
    email: str,
) -> None:
    """Add a collector with its client account(s)."""
    details = {"licence": licence, "street": street, "postcode": postcode, "city": city}
    details |= {"phone": phone, "email": email}
    try:
        typed_orgnr, typed_accounts = parse_party_ids(orgnr, accounts)
    except InvalidInput as error:  # shown with the other fields' problems, all at once
        raise InvalidInput([*error.problems, *detail_problems(name=name, **details)]) from None
    cmd = NewCollector(typed_orgnr, name, typed_accounts, **details)
    found = add_collector(cmd, g.app.uow_factory)
    g.printer.emit(_collector(found), f"Collector {found.orgnr} {found.name} added")


@collector.command("show")
@WHICH
@pass_globals
def show(g: Globals, collector_orgnr: str | None) -> None:
    """The collector, the creditors it serves and how many payments wait in its queue."""
    view = show_collector(collector_orgnr, g.app.uow_factory)
    creditors = [
        {"creditor": c.number, "orgnr": c.orgnr, "name": c.name, "stopped_on": c.stopped_on}
        for c in view.creditors
    ]
    data = {**_collector(view.collector), "creditors": creditors, "queued": view.queued}
    c = view.collector
    human = (
        f"{c.name} ({c.orgnr}), client account(s) {', '.join(c.accounts)}\n"
        + (
            table(creditors, ["creditor", "orgnr", "name", "stopped_on"], {"creditor"})
            if creditors
            else ""
        )
        + f"\n{view.queued} payment(s) in the queue"
    )
    g.printer.emit(data, human)


@collector.command("serve")
@click.argument("creditor")
@click.option("--account", default=None, help="The client account debtors pay to.")
@WHICH
@pass_globals
def serve(g: Globals, creditor: str, account: str | None, collector_orgnr: str | None) -> None:
    """Serve CREDITOR (a company's orgnr): its debtors pay to the client account, with case
    KIDs unique across the collector's creditors."""
    done = serve_creditor(creditor, collector_orgnr, g.business_date, g.app.uow_factory, account)
    g.printer.emit(
        {"creditor": done.number, "orgnr": done.orgnr, "name": done.name},
        f"{done.name} ({done.orgnr}) is served as creditor {done.number}",
    )


@collector.command("stop-serving")
@click.argument("creditor")
@WHICH
@pass_globals
def stop_serving_(g: Globals, creditor: str, collector_orgnr: str | None) -> None:
    """Stop serving CREDITOR (a company's orgnr) from the business date: refused while
    anything of its is unsettled on the client account. `serve` serves it again."""
    done = stop_serving(creditor, collector_orgnr, g.business_date, g.app.uow_factory)
    g.printer.emit(
        {"creditor": done.number, "orgnr": done.orgnr, "name": done.name,
         "stopped_on": done.stopped_on},
        f"{done.name} ({done.orgnr}) is no longer served (from {done.stopped_on})",
    )  # fmt: skip


@collector.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@WHICH
@RATES
@pass_globals
def import_(g: Globals, file: Path, collector_orgnr: str | None, rates: str | None) -> None:
    """Import a bank file to the client account: each payment goes to the creditor whose
    case KID it carries; the rest wait in the collector's queue. Read once."""
    report = import_client_file(
        file,
        collector_orgnr,
        g.business_date,
        g.app.uow_factory,
        bootstrap.bank_file_reader(),
        bootstrap.rate_book(rates),
    )
    creditors = [
        {
            "orgnr": s.orgnr,
            "name": s.name,
            "payments": s.payments,
            "total": s.total,
            "matched_by": s.matched,
            "unmatched": s.unmatched,
            "reversed": s.reversed,
            "held": s.held,
            "interest_charged": s.interest_charged,
        }
        for s in report.creditors
    ]
    data = {
        "format": report.format,
        "file_id": report.file_id,
        "payments": report.payments,
        "total": report.total,
        "creditors": creditors,
        "queued": report.queued,
        "queued_total": report.queued_total,
    }
    lines = [
        f"  {s.name}: {s.payments} payments, {s.total}"
        + (f", {s.reversed} reversed" if s.reversed else "")
        + (f", {s.held} held (see `payments held`)" if s.held else "")
        for s in report.creditors
    ]
    human = "\n".join(
        [
            f"Imported {report.format} {report.file_id}: {report.payments} payments",
            *lines,
            f"  queued {report.queued} (see `fordring collector queue`)",
        ]
    )
    g.printer.emit(data, human)


def _queued(p: ClientPayment) -> dict[str, Any]:
    return {
        "payment": p.number,
        "received": p.received_on,
        "amount": p.amount,
        "kid": p.kid,
        "payer": p.payer_name,
        "text": p.text,
        "account": p.account,
        "status": p.status,
        "assigned_on": p.assigned_on,
    }


@collector.command("queue")
@click.option("--all", "everything", is_flag=True, help="Assigned payments too.")
@WHICH
@pass_globals
def queue(g: Globals, everything: bool, collector_orgnr: str | None) -> None:
    """Client-account payments no creditor's KID claimed."""
    rows = [
        _queued(p) for p in list_queue(collector_orgnr, g.app.uow_factory, everything=everything)
    ]
    columns = ["payment", "received", "amount", "kid", "payer", "status"]
    human = table(rows, columns, {"payment", "amount"}) if rows else "The queue is empty."
    g.printer.emit(rows, human)


@collector.command("assign")
@click.argument("number", type=NUMBER)
@click.argument("items", nargs=-1)
@click.option("--creditor", required=True, help="The creditor's orgnr.")
@WHICH
@RATES
@pass_globals
def assign(
    g: Globals,
    number: int,
    items: tuple[str, ...],
    creditor: str,
    collector_orgnr: str | None,
    rates: str | None,
) -> None:
    """Book queued payment NUMBER in CREDITOR's ledger, against ITEMS (case:N, or invoice
    numbers of one customer) when given; without ITEMS it is matched as a bank file's."""
    done = assign_payment(
        number,
        creditor,
        [parse_match_item(item) for item in items],
        collector_orgnr,
        g.business_date,
        g.app.uow_factory,
        bootstrap.rate_book(rates),
    )
    data = {
        "queued": done.queued,
        "creditor": done.creditor,
        "payment": done.payment,
        "status": done.status,
        "invoices": done.invoices.split(),
    }
    human = f"Queued payment {done.queued} is {done.creditor}'s payment {done.payment}"
    g.printer.emit(data, f"{human} ({done.status})")


COMMANDS: list[click.Command] = [collector]
