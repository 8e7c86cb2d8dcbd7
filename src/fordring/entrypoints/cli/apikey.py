"""`fordring apikey create|list|revoke`: the company's API keys (docs/api.md)."""

from __future__ import annotations

import click

from fordring.domain.api_access import Role, parse_role
from fordring.entrypoints.cli.options import Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.services.api_keys import (
    NewApiKey,
    create_api_key,
    list_api_keys,
    revoke_api_key,
)

ROLES = ", ".join(r.value for r in Role)


@click.group("apikey")
def apikey() -> None:
    """API keys of the company for the REST API: each with a role, shown once."""


@apikey.command("create")
@click.option("--name", required=True, help="Who uses it, e.g. 'Tripletex sync'.")
@click.option("--role", required=True, help=f"One of {ROLES}.")
@pass_globals
def create(g: Globals, name: str, role: str) -> None:
    """Make a key; its token is shown now and never again (only its HMAC is kept)."""
    made = create_api_key(
        NewApiKey(name, parse_role(role)), scope_of(g), g.app.uow_factory, g.app.api_hmac_key
    )
    key = made.key
    g.printer.emit(
        {"prefix": key.prefix, "name": key.name, "role": key.role, "token": made.token},
        f"API key {key.prefix} ({key.name}, {key.role}):\n{made.token}\n"
        "Keep it now: it is not shown again.",
    )


@apikey.command("list")
@pass_globals
def list_(g: Globals) -> None:
    """The company's keys (never their secrets)."""
    rows = [
        {
            "prefix": k.prefix,
            "name": k.name,
            "role": k.role,
            "created_on": k.created_on,
            "revoked_on": k.revoked_on,
        }
        for k in list_api_keys(scope_of(g), g.app.uow_factory)
    ]
    columns = ["prefix", "name", "role", "created_on", "revoked_on"]
    g.printer.emit(rows, table(rows, columns, right=set()))


@apikey.command("revoke")
@click.argument("prefix")
@pass_globals
def revoke(g: Globals, prefix: str) -> None:
    """Revoke key PREFIX: requests with it get 401 from now on."""
    revoke_api_key(prefix, scope_of(g), g.app.uow_factory)
    g.printer.emit({"revoked": prefix}, f"Revoked API key {prefix}.")


COMMANDS: list[click.Command] = [apikey]
