"""`fordring company add|show|change|changes`: the creditor the other commands work for."""

from __future__ import annotations

from typing import Any

import click

from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput
from fordring.domain.identifiers import BankAccount, format_account, parse_account
from fordring.domain.kid import KidAlgorithm
from fordring.domain.text_input import parse_party_ids
from fordring.entrypoints.cli.options import DAYS, WHOLE, Globals, pass_globals, scope_of
from fordring.services.companies import NewCompany, add_company, detail_problems, show_company
from fordring.services.company_change import CompanyChanges, change_company, company_changes


def company_data(c: Company) -> dict[str, Any]:
    return {
        "orgnr": c.orgnr,
        "name": c.name,
        "account": c.account,
        "address": c.address.street,
        "postcode": c.address.postcode,
        "city": c.address.city,
        "email": c.email,
        "vat_registered": c.vat_registered,
        "foretaksregisteret": c.foretaksregisteret,
        "kid_algorithm": c.kid_policy.algorithm.value,
        "kid_length": c.kid_policy.length,
        "terms_days": c.default_terms_days,
    }


def company_text(c: Company) -> str:
    vat = f"NO {c.orgnr} MVA" if c.vat_registered else "not VAT-registered"
    register = " Foretaksregisteret" if c.foretaksregisteret else ""
    return "\n".join(
        [
            f"{c.name}  (org.nr. {c.orgnr}{register}, {vat})",
            f"  {c.address.street}, {c.address.postcode} {c.address.city}".rstrip(", "),
            f"  account {format_account(c.account)}; KID {c.kid_policy.algorithm.value.upper()}"
            f" length {c.kid_policy.length}; terms {c.default_terms_days} days",
        ]
    )


@click.group("company")
def company() -> None:
    """The company (creditor) whose invoices fordring follows up."""


@company.command("add")
@click.option("--orgnr", required=True, help="Organisation number (9 digits).")
@click.option("--name", required=True)
@click.option("--account", required=True, help="Bank account (11 digits) debtors pay to.")
@click.option("--address", default="")
@click.option("--postcode", default="")
@click.option("--city", default="")
@click.option("--email", default="")
@click.option("--no-vat", is_flag=True, help="The company is not VAT-registered.")
@click.option("--not-in-foretaksregisteret", is_flag=True, help="Not an AS/ASA etc.")
@click.option(
    "--kid",
    "kid_algorithm",
    type=click.Choice([a.value for a in KidAlgorithm]),
    default=KidAlgorithm.MOD10.value,
)
@click.option("--kid-length", type=WHOLE, default=10, show_default=True)
@click.option("--terms", type=DAYS, default=14, show_default=True, help="Default payment terms.")
@click.option("--first-invoice-number", type=WHOLE, default=1, show_default=True)
@click.option("--first-customer-number", type=WHOLE, default=10000, show_default=True)
@pass_globals
def add(g: Globals, /, **options: Any) -> None:
    """Register a company."""
    details: dict[str, Any] = {
        "name": options["name"],
        "street": options["address"],
        "postcode": options["postcode"],
        "city": options["city"],
        "email": options["email"],
        "kid_length": options["kid_length"],
        "first_invoice_number": options["first_invoice_number"],
        "first_customer_number": options["first_customer_number"],
    }
    try:
        orgnr, (account,) = parse_party_ids(options["orgnr"], [options["account"]])
    except InvalidInput as error:  # shown with the other fields' problems, all at once
        raise InvalidInput([*error.problems, *detail_problems(**details)]) from None
    cmd = NewCompany(
        orgnr=orgnr,
        account=account,
        vat_registered=not options["no_vat"],
        foretaksregisteret=not options["not_in_foretaksregisteret"],
        kid_algorithm=KidAlgorithm(options["kid_algorithm"]),
        terms_days=options["terms"],
        **details,
    )
    stored = add_company(cmd, g.app.uow_factory)
    g.printer.emit(company_data(stored), "Added " + company_text(stored))


@company.command("show")
@pass_globals
def show(g: Globals) -> None:
    """Show the company (the one given by --company, or the only one)."""
    found = show_company(scope_of(g), g.app.uow_factory)
    g.printer.emit(company_data(found), company_text(found))


@company.command("change")
@click.option("--name", default=None)
@click.option("--account", default=None, help="Bank account (11 digits) debtors pay to.")
@click.option("--address", default=None)
@click.option("--postcode", default=None)
@click.option("--city", default=None)
@click.option("--email", default=None)
@click.option("--vat/--no-vat", default=None, help="VAT-registered or not.")
@click.option("--kid", "kid_algorithm", type=click.Choice([a.value for a in KidAlgorithm]))
@click.option("--kid-length", type=WHOLE, default=None)
@click.option("--terms", type=DAYS, default=None, help="Default payment terms.")
@pass_globals
def change(g: Globals, /, **options: Any) -> None:
    """Change the company's details; only the options given change, checked as `company
    add` checks them, and the change is recorded (`company changes`). New KID settings
    apply to invoices and cases made from now on, and are refused if one of them could get
    a KID already given."""
    algorithm = options["kid_algorithm"]
    changes = CompanyChanges(
        name=options["name"],
        account=_changed_account(options),
        street=options["address"],
        postcode=options["postcode"],
        city=options["city"],
        email=options["email"],
        vat_registered=options["vat"],
        kid_algorithm=KidAlgorithm(algorithm) if algorithm else None,
        kid_length=options["kid_length"],
        terms_days=options["terms"],
    )
    stored = change_company(changes, scope_of(g), g.app.uow_factory)
    g.printer.emit(company_data(stored), "Now " + company_text(stored))


def _changed_account(options: dict[str, Any]) -> BankAccount | None:
    """The new bank account, checked; a bad one is shown with the other given fields'
    problems, all at once, as `company add` does."""
    if options["account"] is None:
        return None
    try:
        return parse_account(options["account"])
    except InvalidInput as error:
        given = {
            "street": options["address"],
            "postcode": options["postcode"],
            "city": options["city"],
            "email": options["email"],
            "kid_length": options["kid_length"],
        }
        others = detail_problems(
            name=options["name"] or "-", **{k: v for k, v in given.items() if v is not None}
        )
        raise InvalidInput([*error.problems, *others]) from None


@company.command("changes")
@pass_globals
def changes(g: Globals) -> None:
    """The recorded changes (the company's details, customers merged): when, by whom, each
    field before and after."""
    found = company_changes(scope_of(g), g.app.uow_factory)
    rows = [
        {
            "at": c.at.isoformat(timespec="seconds") if c.at else None,
            "business_date": c.business_date,
            "actor": c.actor,
            "subject": f"{c.subject} {c.key}",
            "changes": {k: {"before": v[0], "after": v[1]} for k, v in c.fields.items()},
        }
        for c in found
    ]
    lines = [
        f"{r['at']} ({r['business_date']}, {c.actor}) {r['subject']}: "
        + "; ".join(f"{k} {before!r} -> {after!r}" for k, (before, after) in c.fields.items())
        for r, c in zip(rows, found, strict=True)
    ]
    g.printer.emit(rows, "\n".join(lines) or "No changes recorded.")


COMMANDS: list[click.Command] = [company]
