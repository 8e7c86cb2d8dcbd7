"""The top-level commands, loaded when used: which modules make each command, and each
command's one-line help for `fordring --help`, so that listing the commands imports none of
them (the database, PDF and bank libraries take most of a second to import).

A test (tests/unit/test_cli_commands.py) checks this table against the commands themselves.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click


class Entry(NamedTuple):
    modules: tuple[str, ...]  # the first defines the command; the others add subcommands
    summary: str  # the command's short help, as click makes it from its docstring


TOP_LEVEL: dict[str, Entry] = {
    "apikey": Entry(
        ("apikey",),
        "API keys of the company for the REST API: each with a role, shown once.",
    ),
    "collection": Entry(
        ("collection", "collection_legal", "collection_plan"),
        "Collection: the agreement, eligibility, sending invoices, cases.",
    ),
    "collector": Entry(
        ("collector",),
        "A collector (innfordrer) serving many creditors from its client account(s).",
    ),
    "company": Entry(("company",), "The company (creditor) whose invoices fordring follows up."),
    "customer": Entry(("customer",), "Customers (debtors): consumers and businesses."),
    "deliveries": Entry(
        ("deliveries",),
        "Documents to deliver (invoices, credit notes, letters, collection lists) and how "
        "each went.",
    ),
    "demo": Entry(
        ("demo",),
        "Create a demo database (replacing an earlier one), play a quarter of collection day "
        "by day (April-June 2026), and show the cases, letters, aging and trial balance.",
    ),
    "export": Entry(("saft",), "Export the company's books."),
    "import": Entry(("saft",), "Import another system's books."),
    "init": Entry(("init",), "Create the database schema, or upgrade it to this version."),
    "invoice": Entry(("invoice", "invoice_documents"), "Invoices and credit notes."),
    "jobs": Entry(
        ("worker",),
        "The job queue on PostgreSQL: queued (todo), running (doing), stalled (running on a "
        "worker that stopped beating) and failed jobs.",
    ),
    "law": Entry(
        ("law",),
        "Norwegian collection law: late interest, fees, salær, deadlines and rate tables.",
    ),
    "ledger": Entry(("ledger",), "The general ledger: vouchers (bilag) and balances."),
    "payments": Entry(
        ("payments", "payments_held"),
        "Payments received: bank files, matching, the unmatched queue.",
    ),
    "peppol": Entry(("peppol",), "The Peppol network: who can receive EHF."),
    "recurring": Entry(
        ("recurring",),
        "Recurring invoice agreements, issued by the daily run (`fordring run`).",
    ),
    "reskontro": Entry(
        ("ledger",),
        "Open items, oldest first; with --aging, open amounts per customer and bucket.",
    ),
    "run": Entry(
        ("run",),
        "Do every collection step due on or before the business date (--date) that is not "
        "done yet, dated that day: a missed day is caught up, never skipped.",
    ),
    "schedule": Entry(
        ("schedule",),
        "Defer the periodic jobs on PostgreSQL (the business day, delivery retries, "
        "stalled-job recovery, cleanup) for the workers to run, until stopped (SIGTERM or "
        "Ctrl-C); runs no job itself.",
    ),
    "serve": Entry(
        ("serve",),
        "Serve the REST API (/api/v1, reference at /api/docs) and the portal (/portal) until "
        "stopped (Ctrl-C or SIGTERM).",
    ),
    "settlement": Entry(
        ("settlement",), "Settlements (oppgjør) from the collector's client account."
    ),
    "user": Entry(("user",), "Users of the company's portal: each with a role and a password."),
    "webhooks": Entry(
        ("webhooks",),
        "Webhook endpoints: signed HTTP POSTs of case events to another system.",
    ),
    "worker": Entry(
        ("worker",),
        "Run jobs from the queue on PostgreSQL until stopped: SIGTERM or Ctrl-C lets the "
        "running jobs finish, then stops.",
    ),
}


def load(name: str) -> click.Command | None:
    """The command `name`, its modules imported (once: Python keeps them)."""
    entry = TOP_LEVEL.get(name)
    if entry is None:
        return None
    modules = [importlib.import_module(f"fordring.entrypoints.cli.{m}") for m in entry.modules]
    commands: list[click.Command] = modules[0].COMMANDS
    return next(c for c in commands if c.name == name)


class LazyGroup(click.Group):
    """A group whose subcommands are imported when one is run or asked for its help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(TOP_LEVEL)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in TOP_LEVEL)
        rows = [
            (name, click.Command(name, help=entry.summary).get_short_help_str(limit))
            for name, entry in sorted(TOP_LEVEL.items())
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
