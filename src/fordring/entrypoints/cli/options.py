"""The global options every command shares, carried in click's context object."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import click

from fordring.bootstrap import Application
from fordring.domain.errors import InvalidInput
from fordring.entrypoints.cli.output import Printer


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
