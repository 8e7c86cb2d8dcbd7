"""`fordring user add|list|disable|enable|unlock`: the people who sign in to the portal, each with a
role (docs/portal.md). A password is read from a prompt or from standard input, never
from the command line (where other users of the machine can see it)."""

from __future__ import annotations

import sys

import click

from fordring import bootstrap
from fordring.domain.errors import InvalidInput
from fordring.domain.users import USER_ROLES
from fordring.entrypoints.cli.options import Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.services.users import (
    NewUser,
    add_user,
    disable_user,
    enable_user,
    list_users,
    unlock_user,
)

ROLES = ", ".join(r.value for r in USER_ROLES)


@click.group("user")
def user() -> None:
    """Users of the company's portal: each with a role and a password."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise InvalidInput.one("password", "give it on standard input", code="required")
        return line.removesuffix("\n").removesuffix("\r")
    text: str = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    return text


@user.command("add")
@click.option("--email", required=True, help="Signs in with it (unique in the company).")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", required=True, help=f"One of {ROLES}.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input's first line instead of a prompt.",
)
@pass_globals
def add(g: Globals, email: str, name: str, role: str, password_stdin: bool) -> None:
    """Add a user; the password is asked for (twice), or read with --password-stdin."""
    role = role.strip().lower().replace("-", "_").replace(" ", "_")
    cmd = NewUser(email, name, role, _password(password_stdin))
    made = add_user(cmd, scope_of(g), g.app.uow_factory, g.app.password_hasher)
    g.printer.emit(
        {"email": made.email, "name": made.name, "role": made.role},
        f"User {made.email} ({made.name}, {made.role}) added.",
    )


@user.command("list")
@pass_globals
def list_(g: Globals) -> None:
    """The users (never their passwords)."""
    rows = [
        {
            "email": u.email,
            "name": u.name,
            "role": u.role,
            "created_on": u.created_on,
            "disabled_on": u.disabled_on,
        }
        for u in list_users(scope_of(g), g.app.uow_factory)
    ]
    columns = ["email", "name", "role", "created_on", "disabled_on"]
    g.printer.emit(rows, table(rows, columns, right=set()))


@user.command("disable")
@click.argument("email")
@pass_globals
def disable(g: Globals, email: str) -> None:
    """Disable user EMAIL: it can no longer sign in, and its sessions end now."""
    disable_user(email, scope_of(g), g.app.uow_factory, bootstrap.now())
    g.printer.emit({"disabled": email}, f"Disabled user {email}.")


@user.command("enable")
@click.argument("EMAIL")
@pass_globals
def enable(g: Globals, email: str) -> None:
    """Enable user EMAIL again: it may sign in with its password (a disabled user's
    history is kept; nothing is deleted)."""
    was_disabled = enable_user(email, scope_of(g), g.app.uow_factory)
    said = "is enabled again" if was_disabled else "was not disabled"
    g.printer.emit({"enabled": email, "was_disabled": was_disabled}, f"User {email} {said}.")


@user.command("unlock")
@click.argument("EMAIL")
@pass_globals
def unlock(g: Globals, email: str) -> None:
    """Unlock user EMAIL: it may sign in at once, its count of wrong passwords forgotten."""
    was_locked = unlock_user(email, scope_of(g), g.app.uow_factory)
    said = "was locked out; it may sign in now" if was_locked else "was not locked out"
    g.printer.emit({"unlocked": email, "was_locked": was_locked}, f"User {email} {said}.")


COMMANDS: list[click.Command] = [user]
