"""`fordring apikey create|list|revoke`: API keys of the company, or with `--collector`
of a collector (docs/api.md)."""

from __future__ import annotations

import click

from fordring.domain.api_access import ApiKey, Role, parse_role
from fordring.entrypoints.cli.options import DAYS, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.services.api_keys import (
    NewApiKey,
    create_api_key,
    create_collector_api_key,
    list_api_keys,
    list_collector_api_keys,
    revoke_api_key,
    revoke_collector_api_key,
)
from fordring.services.api_requests import KEEP_RESPONSES_DAYS, forget_responses

ROLES = ", ".join(r.value for r in Role)
COLLECTOR = click.option(
    "--collector",
    default=None,
    help="A collector's key (organisation number): it names the creditor per request.",
)


@click.group("apikey")
def apikey() -> None:
    """API keys of the company for the REST API: each with a role, shown once."""


@apikey.command("create")
@click.option("--name", required=True, help="Who uses it, e.g. 'Tripletex sync'.")
@click.option("--role", required=True, help=f"One of {ROLES}.")
@COLLECTOR
@pass_globals
def create(g: Globals, name: str, role: str, collector: str | None) -> None:
    """Make a key; its token is shown now and never again (only its HMAC is kept)."""
    cmd = NewApiKey(name, parse_role(role))
    app = g.app
    made = (
        create_collector_api_key(collector, cmd, app.uow_factory, app.api_hmac_key, g.business_date)
        if collector
        else create_api_key(cmd, scope_of(g), app.uow_factory, app.api_hmac_key)
    )
    key = made.key
    g.printer.emit(
        {"prefix": key.prefix, "name": key.name, "role": key.role, "token": made.token},
        f"API key {key.prefix} ({key.name}, {key.role}):\n{made.token}\n"
        "Keep it now: it is not shown again.",
    )


@apikey.command("list")
@COLLECTOR
@pass_globals
def list_(g: Globals, collector: str | None) -> None:
    """The keys (never their secrets)."""
    found: list[ApiKey] = (
        list_collector_api_keys(collector, g.app.uow_factory)
        if collector
        else list_api_keys(scope_of(g), g.app.uow_factory)
    )
    rows = [
        {
            "prefix": k.prefix,
            "name": k.name,
            "role": k.role,
            "created_on": k.created_on,
            "revoked_on": k.revoked_on,
        }
        for k in found
    ]
    columns = ["prefix", "name", "role", "created_on", "revoked_on"]
    g.printer.emit(rows, table(rows, columns, right=set()))


@apikey.command("revoke")
@click.argument("prefix")
@COLLECTOR
@pass_globals
def revoke(g: Globals, prefix: str, collector: str | None) -> None:
    """Revoke key PREFIX: requests with it get 401 from now on."""
    if collector:
        revoke_collector_api_key(collector, prefix, g.app.uow_factory, g.business_date)
    else:
        revoke_api_key(prefix, scope_of(g), g.app.uow_factory)
    g.printer.emit({"revoked": prefix}, f"Revoked API key {prefix}.")


@apikey.command("forget-responses")
@click.option(
    "--days",
    type=DAYS,
    default=None,
    help=f"Keep the responses of the last this many days [default: "
    f"FORDRING_KEEP_RESPONSES_DAYS, else {KEEP_RESPONSES_DAYS}].",
)
@pass_globals
def forget_responses_(g: Globals, days: int | None) -> None:
    """Forget stored responses of idempotent API requests older than --days, of every
    company (a worker does it daily; on SQLite `fordring run` does it after the day)."""
    days = days or g.app.settings.keep_responses_days
    forgotten = forget_responses(g.app.uow_factory, g.business_date, days)
    g.printer.emit(
        {"forgotten": forgotten, "days": days},
        f"Forgot {forgotten} stored responses older than {days} days.",
    )


COMMANDS: list[click.Command] = [apikey]
