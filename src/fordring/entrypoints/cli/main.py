"""The `fordring` command group: global options, error-to-exit-code mapping, subcommands.

Exit codes: 0 success, 2 invalid input or a thing not found (the message names the field;
nothing written), 1 a conflict (a lost race: try again), a forbidden request, work committed
whose follow-up is unfinished (a print batch: the message says what is left) or anything else.
Anything unexpected is one line naming the kind of failure, never its text: a database
error's text holds the SQL and its parameters, a parser's a file's content. Under `--json`
an error is one JSON object on the error stream: `{"errors": [{"field", "code", "message",
"where"}]}`. The subcommands and the application are imported only when a command runs, so
`fordring --help` answers at once (commands.py).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from fordring.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    Unfinished,
)
from fordring.domain.input_rules import parse_business_date
from fordring.entrypoints.cli.commands import LazyGroup
from fordring.entrypoints.cli.output import Printer

EXIT_INVALID = 2
EXIT_FAILURE = 1
DEBUG_ENV = "FORDRING_DEBUG"  # set: an unexpected error shows its traceback
# The stable code of each kind of refusal, for a machine reading `--json` errors.
CODES: tuple[tuple[type[Exception], str, int], ...] = (
    (RuleViolation, "rule_violation", EXIT_INVALID),
    (NotFound, "not_found", EXIT_INVALID),
    (Conflict, "conflict", EXIT_FAILURE),
    (Forbidden, "forbidden", EXIT_FAILURE),
    (Unfinished, "unfinished", EXIT_FAILURE),
)


class FordringGroup(LazyGroup):
    """Maps domain errors to exit codes once, for every command."""

    def invoke(self, ctx: click.Context) -> Any:
        as_json = bool(ctx.params.get("as_json"))
        try:
            return super().invoke(ctx)
        except InvalidInput as error:
            fail(ctx, as_json, EXIT_INVALID, [_problem(p) for p in error.problems])
        except (click.UsageError, click.BadParameter) as error:
            if not as_json:
                raise  # click shows the usage and exits 2
            field = getattr(getattr(error, "param", None), "name", None)
            fail(ctx, as_json, EXIT_INVALID, [_error(field, "usage", error.format_message())])
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own: --help, ctx.exit
        except Exception as error:
            for kind, code, exit_code in CODES:
                if isinstance(error, kind):
                    fail(ctx, as_json, exit_code, [_error(None, code, str(error))])
            if _not_initialised(error):
                fail(ctx, as_json, EXIT_FAILURE, [_error(None, "not_initialised", str(error))])
            if os.environ.get(DEBUG_ENV):
                raise
            message = unexpected(error).removeprefix("error: ")
            fail(ctx, as_json, EXIT_FAILURE, [_error(None, "unexpected", message)])


def fail(ctx: click.Context, as_json: bool, exit_code: int, errors: list[dict[str, Any]]) -> None:
    """Reports `errors` on the error stream, as lines or one JSON object, and exits."""
    if as_json:
        click.echo(json.dumps({"errors": errors}, ensure_ascii=False), err=True)
    else:
        for error in errors:
            click.echo(error_line(error), err=True)
    ctx.exit(exit_code)


def error_line(error: dict[str, Any]) -> str:
    """An error as people read it: `error: line 3: vat: must be 25, 15, 12 or 0`."""
    where = f"{error['where']}: " if error.get("where") else ""
    field = f"{error['field']}: " if error.get("field") else ""
    return f"error: {where}{field}{error['message']}"


def _problem(problem: Any) -> dict[str, Any]:
    return {
        "field": problem.field,
        "code": problem.code,
        "message": problem.reason,
        "where": problem.where or None,
    }


def _error(field: str | None, code: str, message: str) -> dict[str, Any]:
    return {"field": field, "code": code, "message": message, "where": None}


def _not_initialised(error: Exception) -> bool:
    """Whether the database has no schema yet (bootstrap is loaded when a command ran)."""
    bootstrap = sys.modules.get("fordring.bootstrap")
    return bootstrap is not None and isinstance(error, bootstrap.NotInitialised)


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
    # The application, its libraries and the services: imported only to run a command.
    from fordring import bootstrap
    from fordring.entrypoints.cli.options import Globals

    day = parse_business_date(business_date, "date") if business_date else bootstrap.today()
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
