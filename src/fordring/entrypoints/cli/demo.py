"""`fordring demo`: a fresh SQLite database with a demo company, then its reports."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import click

from fordring import bootstrap
from fordring.entrypoints.cli.ledger import aging_text, trial_balance_text
from fordring.entrypoints.cli.options import Globals, pass_globals
from fordring.services import demo as demo_data
from fordring.services.collection import list_cases, set_agreement
from fordring.services.daily_run import render_letters, run_collection
from fordring.services.ledger import trial_balance
from fordring.services.reskontro import aging

DEMO_FILE = "fordring-demo.db"
DEMO_LETTERS = "fordring-demo-letters"
COLLECTION_DAYS = 60


@click.command("demo")
@click.option(
    "--file", "path", default=DEMO_FILE, show_default=True, help="SQLite file to (re)create."
)
@pass_globals
def demo(g: Globals, path: str) -> None:
    """Create a demo database (replacing an earlier one), run two months of collection, and
    show the cases, aging and trial balance."""
    url = bootstrap.fresh_sqlite(path)
    factory = bootstrap.uow_factory(url)
    summary = demo_data.seed(factory, g.business_date)
    set_agreement({"automatic_sending": "yes"}, None, factory)
    outbox = bootstrap.fresh_outbox(DEMO_LETTERS)
    with bootstrap.letter_renderer() as renderer:
        report = run_collection(
            None,
            g.business_date - timedelta(days=COLLECTION_DAYS),
            g.business_date,
            factory,
            renderer,
            outbox,
            bootstrap.rate_book(),
        )
        render_letters(factory, renderer, outbox)
    steps = Counter(done.step for day in report.days for done in day.done)
    states = Counter(case.state for case in list_cases(None, None, factory))
    rows = aging(None, g.business_date, True, factory)
    tb = trial_balance(None, None, factory)
    click.echo(
        f"Demo database {path}: {summary.customers} customers, {summary.invoices} "
        f"invoices, {summary.credit_notes} credit notes.\n"
    )
    click.echo(
        f"Collection over the last {COLLECTION_DAYS} days (automatic sending on): "
        + ", ".join(f"{count} {step}" for step, count in sorted(steps.items()))
        + "\nCases now: "
        + ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
        + f"\nLetters (PDF) in {DEMO_LETTERS}/, one folder per day.\n"
    )
    click.echo(aging_text(rows, g.business_date.isoformat()))
    click.echo("\nTrial balance (saldobalanse)")
    click.echo(trial_balance_text(tb))
    click.echo(f"\nExplore it: fordring --db sqlite:///{path} collection cases")
    if not tb.balanced:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [demo]
