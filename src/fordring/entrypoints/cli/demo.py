"""`fordring demo`: a fresh SQLite database with a demo company, then its reports."""

from __future__ import annotations

from collections import Counter
from datetime import date

import click

from fordring import bootstrap
from fordring.entrypoints.cli.ledger import aging_text, trial_balance_text
from fordring.entrypoints.cli.options import Globals, pass_globals
from fordring.services import demo as demo_data
from fordring.services.collection import list_cases
from fordring.services.daily_run import render_letters
from fordring.services.ledger import trial_balance
from fordring.services.reskontro import aging

DEMO_FILE = "fordring-demo.db"
DEMO_LETTERS = "fordring-demo-letters"
# The demo plays the second quarter of 2026: the last half-year whose late-interest rate
# fordring ships (2026 H2 is supplied by the operator, docs/law.md).
DEMO_DAY = date(2026, 6, 30)


@click.command("demo")
@click.option(
    "--file", "path", default=DEMO_FILE, show_default=True, help="SQLite file to (re)create."
)
@pass_globals
def demo(g: Globals, path: str) -> None:
    """Create a demo database (replacing an earlier one), play a quarter of collection day
    by day (April-June 2026), and show the cases, letters, aging and trial balance."""
    url = bootstrap.fresh_sqlite(path)
    factory = bootstrap.uow_factory(url)
    summary = demo_data.seed(factory, DEMO_DAY)
    outbox = bootstrap.fresh_outbox(DEMO_LETTERS)
    with bootstrap.letter_renderer() as renderer:
        days = demo_data.play(factory, summary, DEMO_DAY, renderer, outbox, bootstrap.rate_book())
        letters = render_letters(factory, renderer, outbox)
    steps = Counter(done.step for day in days for done in day.done)
    states = Counter(case.state for case in list_cases(None, None, factory))
    rows = aging(None, DEMO_DAY, True, factory)
    tb = trial_balance(None, None, factory)
    click.echo(
        f"Demo database {path}: {summary.customers} customers, {summary.invoices} "
        f"invoices, {summary.credit_notes} credit notes, {len(summary.payments)} payments.\n"
    )
    click.echo(
        f"Collection {days[0].day} to {DEMO_DAY}, day by day (automatic sending and hand-over "
        f"to {demo_data.DEMO_AGREEMENT['collector_name']}): "
        + ", ".join(f"{count} {step}" for step, count in sorted(steps.items()))
        + "\nCases now: "
        + ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
        + f"\n{letters} letters (PDF) in {DEMO_LETTERS}/, one folder per day.\n"
    )
    click.echo(aging_text(rows, DEMO_DAY.isoformat()))
    click.echo("\nTrial balance (saldobalanse)")
    click.echo(trial_balance_text(tb))
    click.echo(f"\nExplore it: fordring --db sqlite:///{path} --date {DEMO_DAY} collection cases")
    if not tb.balanced:
        raise SystemExit(1)


COMMANDS: list[click.Command] = [demo]
