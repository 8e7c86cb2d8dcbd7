"""`fordring demo`: a fresh SQLite database with a demo company, then its reports."""

from __future__ import annotations

import click

from fordring import bootstrap
from fordring.entrypoints.cli.ledger import aging_text, trial_balance_text
from fordring.entrypoints.cli.options import Globals, pass_globals
from fordring.services import demo as demo_data
from fordring.services.ledger import trial_balance
from fordring.services.reskontro import aging

DEMO_FILE = "fordring-demo.db"


@click.command("demo")
@click.option(
    "--file", "path", default=DEMO_FILE, show_default=True, help="SQLite file to (re)create."
)
@pass_globals
def demo(g: Globals, path: str) -> None:
    """Create a demo database (replacing an earlier one) and show aging and trial balance."""
    url = bootstrap.fresh_sqlite(path)
    factory = bootstrap.uow_factory(url)
    summary = demo_data.seed(factory, g.business_date)
    rows = aging(None, g.business_date, True, factory)
    tb = trial_balance(None, None, factory)
    click.echo(
        f"Demo database {path}: {summary.customers} customers, {summary.invoices} "
        f"invoices, {summary.credit_notes} credit notes.\n"
    )
    click.echo(aging_text(rows, g.business_date.isoformat()))
    click.echo("\nTrial balance (saldobalanse)")
    click.echo(trial_balance_text(tb))
    click.echo(f"\nExplore it: fordring --db sqlite:///{path} invoice list --open")
    if not tb.balanced:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [demo]
