"""The global options every command shares, carried in click's context object, and the
parameter types that read options by the input rules (domain/input_rules.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from fordring.bootstrap import Application
from fordring.domain.errors import InvalidInput, RuleViolation
from fordring.domain.input_rules import (
    MAX_INTEGER,
    NAME_LENGTH,
    REASON_LENGTH,
    check_text,
    parse_whole,
)
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


class WholeNumber(click.ParamType[int]):
    """A whole-number option or argument read by the input rules: ASCII digits, from
    `minimum`, within 64 bits (click's own `int` takes `1_000`, Arabic-Indic digits and
    numbers no database column holds). A refusal is an InvalidInput naming the option."""

    name = "integer"

    def __init__(self, minimum: int = 0, maximum: int = MAX_INTEGER) -> None:
        self.minimum, self.maximum = minimum, maximum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):  # a default
            return value
        return parse_whole(str(value), _field(param), minimum=self.minimum, maximum=self.maximum)


class FreeText(click.ParamType[str]):
    """A free-text option or argument (a name, a reason) read by the input rules: no
    control character, at most `limit` characters; spaces around it are dropped."""

    name = "text"

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        return check_text(str(value), _field(param), self.limit)


class Folder(click.ParamType[str]):
    """A folder fordring writes into (`--outbox`): a path without control characters that
    is a folder or is not there yet (it is made when first written to). A file is refused
    here, before the command writes anything, rather than found out when a letter is
    delivered after the commit."""

    name = "folder"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        field = _field(param)
        path = check_text(str(value), field, PATH_LENGTH)
        there = os.path.abspath(path)
        while not os.path.lexists(there):  # the nearest part of it that is there
            there = os.path.dirname(there)
        if not os.path.isdir(there):
            raise InvalidInput.one(field, f"{there} is not a folder", code="not_a_folder")
        return path


def _field(param: click.Parameter | None) -> str:
    """The option as typed (`--reason` → "reason"), or the argument's name."""
    if param is None:
        return "value"
    return param.opts[0].lstrip("-") if param.opts else str(param.name)


WHOLE = WholeNumber()  # a count, days, a limit: 0 or more
NUMBER = WholeNumber(minimum=1)  # the number or id of a thing: 1 or more
DAYS = WholeNumber(maximum=3650)  # a period in days: more than ten years is a typing error
NAME = FreeText(NAME_LENGTH)
REASON = FreeText(REASON_LENGTH)  # why, kept in a case's history
# A reason that goes into a voucher's text (300 characters, with "Tap på faktura N: ").
VOUCHER_REASON = FreeText(200)
PATH_LENGTH = 1000  # characters of a path given on the command line
FOLDER = Folder()


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
