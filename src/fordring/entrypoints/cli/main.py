"""The `fordring` command group: global options, error-to-exit-code mapping, subcommands.

Exit codes: 0 success, 2 invalid input or a thing not found (the message names the field;
nothing written), 1 a conflict (a lost race: try again), a forbidden request, work committed
whose follow-up is unfinished (a print batch: the message says what is left) or anything else.
Anything unexpected is one line naming the kind of failure, never its text: a database
error's text holds the SQL and its parameters, a parser's a file's content.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from fordring import bootstrap
from fordring.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    Unfinished,
)
from fordring.domain.input_rules import parse_business_date
from fordring.entrypoints.cli.options import Globals
from fordring.entrypoints.cli.output import Printer

EXIT_INVALID = 2
EXIT_FAILURE = 1
DEBUG_ENV = "FORDRING_DEBUG"  # set: an unexpected error shows its traceback


class FordringGroup(click.Group):
    """Maps domain errors to exit codes once, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidInput as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            ctx.exit(EXIT_INVALID)
        except (RuleViolation, NotFound) as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_INVALID)
        except (Conflict, Forbidden, Unfinished) as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_FAILURE)
        except bootstrap.NotInitialised as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(EXIT_FAILURE)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: usage errors (exit 2), --help, ctx.exit
        except Exception as error:
            if os.environ.get(DEBUG_ENV):
                raise
            click.echo(unexpected(error), err=True)
            ctx.exit(EXIT_FAILURE)


def unexpected(error: Exception) -> str:
    """The one line shown for an unexpected failure: its kind, and for a file the system
    refused, why and which file; never the error's own text (SQL, parameters, content)."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"error: {error.strerror}{where}"
    return (
        f"error: the command failed unexpectedly ({type(error).__name__}); "
        f"{DEBUG_ENV}=1 shows the details"
    )


@click.group(cls=FordringGroup)
@click.option(
    "--db",
    "database_url",
    envvar="FORDRING_DATABASE_URL",
    default=None,
    help="Database URL (default: sqlite:///fordring.db). Env: FORDRING_DATABASE_URL.",
)
@click.option("--company", "company", default=None, help="Organisation number of the company.")
@click.option("--date", "business_date", default=None, help="Business date YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.version_option(package_name="fordring")
@click.pass_context
def cli(
    ctx: click.Context,
    database_url: str | None,
    company: str | None,
    business_date: str | None,
    as_json: bool,
) -> None:
    """fordring: invoices, reminders, collection and settlement for Norwegian companies."""
    try:
        day = parse_business_date(business_date, "date") if business_date else bootstrap.today()
    except InvalidInput as error:
        click.echo(f"error: {error}", err=True)
        ctx.exit(EXIT_INVALID)
    told: set[str] = set()

    def waiting(message: str) -> None:  # once each: a command may wait in several steps
        if message not in told:
            told.add(message)
            click.echo(message, err=True)

    ctx.call_on_close(bootstrap.on_database_wait(waiting))
    settings = bootstrap.Settings.from_env().overridden(database_url=database_url)
    app = ctx.with_resource(bootstrap.Application(settings))
    ctx.obj = Globals(
        database_url=settings.database_url,
        company_orgnr=company,
        business_date=day,
        printer=Printer(as_json),
        app=app,
    )


def _register() -> None:
    from fordring.entrypoints.cli import (
        collection,
        collection_legal,
        collector,
        company,
        customer,
        deliveries,
        demo,
        init,
        invoice,
        invoice_documents,
        law,
        ledger,
        payments,
        payments_held,
        peppol,
        recurring,
        run,
        saft,
        settlement,
    )

    modules = (
        init,
        company,
        customer,
        invoice,
        invoice_documents,
        ledger,
        collection,
        collection_legal,
        collector,
        run,
        payments,
        payments_held,
        settlement,
        recurring,
        deliveries,
        peppol,
        law,
        saft,
        demo,
    )
    for module in modules:
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    """Console entry point."""
    try:
        cli.main(prog_name="fordring", standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # anything unexpected outside a command: exit 1, one line
        if os.environ.get(DEBUG_ENV):
            raise
        click.echo(unexpected(error), err=True)
        sys.exit(EXIT_FAILURE)
