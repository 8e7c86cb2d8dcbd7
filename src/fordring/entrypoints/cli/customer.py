"""`fordring customer add|list|show|import`."""

from __future__ import annotations

from typing import Any

import click

from fordring import bootstrap
from fordring.domain.customers import Customer
from fordring.domain.language import Language
from fordring.domain.text_input import (
    parse_customer_changes,
    parse_customer_details,
    parse_customer_number,
)
from fordring.entrypoints.cli.imports import import_result, rows_read
from fordring.entrypoints.cli.options import NUMBER, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.services.customer_merge import merge_customers
from fordring.services.customers import (
    NewCustomer,
    add_customer,
    change_customer,
    import_customers,
    list_customers,
    reliable_email_months,
    show_customer,
)

LANGUAGES = click.Choice([language.value for language in Language])


def customer_data(c: Customer, reliable_months: int | None = None) -> dict[str, Any]:
    found = {
        "number": c.number,
        "kind": c.kind,
        "name": c.name,
        "orgnr": c.orgnr,
        "birth_date": c.birth_date,
        "address": c.address.street,
        "postcode": c.address.postcode,
        "city": c.address.city,
        "country": c.address.country,
        "email": c.email,
        "phone": c.phone,
        "peppol": c.peppol_id,
        "language": c.language,
        "exempt": c.reminder_exempt,
        "email_reliable": c.email_reliable,
        "email_reliable_since": c.email_reliable_since,
    }
    if reliable_months is not None and c.email_reliable:
        # The first day the mark no longer holds (None: set on an unknown day, so never).
        found["email_reliable_until"] = c.reliable_email_until(reliable_months)
    return found


def customer_text(c: Customer) -> str:
    ident = f"org.nr. {c.orgnr}" if c.orgnr else "consumer"
    place = f"{c.address.street}, {c.address.postcode} {c.address.city}".strip(", ")
    exempt = "; purrefritak (no reminders)" if c.reminder_exempt else ""
    return f"{c.number} {c.name} ({ident}) {place} {c.email}".rstrip() + exempt


@click.group("customer")
def customer() -> None:
    """Customers (debtors): consumers and businesses."""


@customer.command("add")
@click.option("--name", required=True)
@click.option("--orgnr", default="", help="Organisation number: makes a business customer.")
@click.option("--consumer", is_flag=True, help="A consumer (private person).")
@click.option("--birth-date", default="", help="Consumer's birth date YYYY-MM-DD (optional).")
@click.option("--number", default="", help="Customer number (default: next in the series).")
@click.option("--email", default="")
@click.option("--phone", default="")
@click.option("--address", default="")
@click.option("--postcode", default="")
@click.option("--city", default="")
@click.option("--country", default="NO")
@click.option("--peppol", default="", help="Peppol participant id, e.g. 0192:123456785.")
@click.option("--language", type=LANGUAGES, default=Language.NB.value)
@click.option("--exempt", is_flag=True, help="Reminder exemption (purrefritak).")
@click.option(
    "--email-reliable",
    is_flag=True,
    help="The e-mail is a reliable channel (inkassoloven § 3a): notices and demands may go there.",
)
@click.option(
    "--allow-duplicate",
    is_flag=True,
    help="Add it even if another customer has this organisation number (e.g. a department).",
)
@pass_globals
def add(g: Globals, /, **options: Any) -> None:
    """Add a customer: `--orgnr` for a business or `--consumer`."""
    if bool(options["orgnr"]) == bool(options["consumer"]):
        raise click.UsageError("give either --orgnr (business) or --consumer")
    flags = ("consumer", "exempt", "email_reliable", "allow_duplicate")
    fields = {k: str(v) for k, v in options.items() if k not in flags}
    fields["email_reliable"] = "yes" if options["email_reliable"] else ""
    fields["kind"] = "consumer" if options["consumer"] else "business"
    fields["exempt"] = "yes" if options["exempt"] else ""
    number = parse_customer_number(fields.pop("number"))
    stored = add_customer(
        NewCustomer(
            parse_customer_details(fields), number, allow_duplicate=options["allow_duplicate"]
        ),
        scope_of(g),
        g.app.uow_factory,
    )
    g.printer.emit(customer_data(stored), "Added customer " + customer_text(stored))


@customer.command("change")
@click.argument("number", type=NUMBER)
@click.option("--name", default=None)
@click.option("--email", default=None)
@click.option("--email-reliable/--email-not-reliable", default=None, help="Inkassoloven § 3a.")
@click.option("--phone", default=None)
@click.option("--address", default=None)
@click.option("--postcode", default=None)
@click.option("--city", default=None)
@click.option("--country", default=None)
@click.option("--peppol", default=None, help="Peppol participant id, e.g. 0192:123456785.")
@click.option("--language", type=LANGUAGES, default=None)
@click.option("--exempt/--not-exempt", default=None, help="Reminder exemption (purrefritak).")
@pass_globals
def change(g: Globals, /, number: int, **options: Any) -> None:
    """Change customer NUMBER's contact details; only the options given change."""
    changes = {
        k: ("yes" if v else "") if isinstance(v, bool) else str(v)
        for k, v in options.items()
        if v is not None
    }
    if not changes:
        raise click.UsageError("give at least one detail to change")
    stored = change_customer(
        number,
        parse_customer_changes(changes),
        scope_of(g),
        g.app.uow_factory,
    )
    g.printer.emit(customer_data(stored), "Changed customer " + customer_text(stored))


@customer.command("list")
@pass_globals
def list_(g: Globals) -> None:
    """List the customers."""
    found = list_customers(scope_of(g), g.app.uow_factory)
    rows = [customer_data(c) for c in found]
    columns = ["number", "kind", "name", "orgnr", "city", "email", "exempt"]
    g.printer.emit(rows, table(rows, columns, right={"number"}))


@customer.command("show")
@click.argument("number", type=NUMBER)
@pass_globals
def show(g: Globals, number: int) -> None:
    """Show one customer by customer number."""
    uow_factory = g.app.uow_factory
    found = show_customer(number, scope_of(g), uow_factory)
    months = reliable_email_months(scope_of(g), uow_factory)
    text = customer_text(found)
    if found.email_reliable:
        until = found.reliable_email_until(months)
        text += (
            f"\nreliable e-mail (inkassoloven § 3 a) since {found.email_reliable_since}, "
            f"holds until {until} (not on that day)"
            if until
            else "\nreliable e-mail set on an unknown day: it does not hold; set it again "
            "with `fordring customer change N --email-reliable`"
        )
    g.printer.emit(customer_data(found, months), text)


@customer.command("import")
@click.argument("file")
@pass_globals
def import_(g: Globals, file: str) -> None:
    """Import customers from CSV (docs/import.md); all rows or none."""
    result = import_customers(
        bootstrap.customer_file(file, rows_read(g)),
        scope_of(g),
        g.app.uow_factory,
    )
    import_result(g, result, "customers")


@customer.command("merge")
@click.argument("number", type=NUMBER)
@click.argument("into", type=NUMBER)
@pass_globals
def merge(g: Globals, number: int, into: int) -> None:
    """Merge customer NUMBER into customer INTO (one customer entered twice): its invoices,
    cases, payments, deliveries and recurring agreements become INTO's, in one transaction,
    recorded. Refused while NUMBER has an open case or documents waiting to be delivered."""
    done = merge_customers(number, into, scope_of(g), g.app.uow_factory)
    moved = ", ".join(f"{n} {what}" for what, n in done.moved.items() if n) or "nothing"
    g.printer.emit(
        {"merged": done.merged, "into": done.into, "moved": done.moved},
        f"Customer {done.merged} merged into {done.into}: moved {moved}.",
    )


COMMANDS: list[click.Command] = [customer]
