"""The global options every command shares, carried in click's context object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import click

from fordring.bootstrap import Application
from fordring.domain.errors import InvalidInput, RuleViolation
from fordring.entrypoints.cli.output import Printer
from fordring.services.companies import all_companies, company_id, find_company
from fordring.services.scope import COMMAND_LINE, Actor, Scope


@dataclass(frozen=True, slots=True)
class Globals:
    database_url: str
    company_orgnr: str | None
    business_date: date
    printer: Printer
    app: Application  # built once for the command line (bootstrap.py)


def globals_of(ctx: click.Context) -> Globals:
    found = ctx.find_object(Globals)
    if found is None:
        raise click.UsageError("internal: global options missing")
    return found


pass_globals = click.make_pass_decorator(Globals)


def parse_date(text: str, field: str) -> date:
    """`YYYY-MM-DD` or InvalidInput naming the field."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        reason = f"{text!r} is not a date (YYYY-MM-DD)"
        raise InvalidInput.one(field, reason, code="not_a_date") from None


def scope_of(g: Globals, actor: Actor = COMMAND_LINE) -> Scope:
    """The scope of a command: the company named by `--company`, or the only one there is
    (a convenience of the command line only; every other entry point names its company)."""
    factory = g.app.uow_factory
    if g.company_orgnr:
        company = find_company(g.company_orgnr, factory)
    else:
        companies = all_companies(factory)
        if not companies:
            raise RuleViolation("company: no company yet; add one with `fordring company add`")
        if len(companies) > 1:
            listed = ", ".join(f"{c.orgnr} {c.name}" for c in companies)
            raise InvalidInput.one(
                "company", f"several companies ({listed}); choose with --company"
            )
        company = companies[0]
    return Scope(company_id(company), actor, g.business_date)
