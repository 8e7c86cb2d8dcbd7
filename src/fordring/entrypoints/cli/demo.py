"""`fordring demo`: a fresh SQLite database with a demo company, then its reports."""

from __future__ import annotations

import os
import shutil
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import click

from fordring import bootstrap
from fordring.domain.collection.states import CaseState
from fordring.entrypoints.cli.ledger import aging_text, trial_balance_text
from fordring.entrypoints.cli.options import Globals, pass_globals
from fordring.entrypoints.cli.progress import progress_bar
from fordring.services import demo as demo_data
from fordring.services.business_day import DayTools
from fordring.services.case_views import list_cases
from fordring.services.debtor_access import give_access
from fordring.services.ledger import trial_balance
from fordring.services.ports import CaseSummary
from fordring.services.reskontro import aging
from fordring.services.users import NewUser, add_user

DEMO_FILE = "fordring-demo.db"
DEMO_DELIVERY = "fordring-demo-delivery"  # ehf/, email/ and paper/: what was sent, by channel
DEMO_BANK = "fordring-demo-bank"  # the bank file and the settlement statements
# The demo plays the second quarter of 2026: the last half-year whose late-interest rate
# fordring ships (2026 H2 is supplied by the operator, docs/law.md).
DEMO_DAY = date(2026, 6, 30)
# The portal's demo user (docs/portal.md): an administrator with a password everyone knows.
DEMO_USER = NewUser("demo@fordring.example", "Demo Bruker", "administrator", "fordring-demo")
DEMO_SECRET = "demo-secret-not-for-production"  # FORDRING_API_KEY_SECRET for `serve`


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
    assert summary.scope is not None
    scope = summary.scope
    add_user(DEMO_USER, scope, factory, g.app.password_hasher)
    with bootstrap.letter_renderer() as renderer, bootstrap.invoice_renderer() as invoices:
        # Made (and emptied) first: delivery puts the collection lists in its paper outbox.
        channels = bootstrap.demo_channels(DEMO_DELIVERY, summary.peppol, renderer, invoices)
        bank = demo_data.DemoBank(
            Path(DEMO_BANK), bootstrap.ocr_writer(), bootstrap.bank_file_reader()
        )
        tools = DayTools(
            factory,
            bootstrap.rate_book(),
            channels,
            bootstrap.settlement_documents(),
            bootstrap.document_archive(DEMO_BANK),
            bootstrap.now,
            g.app.debtor_pin_key,  # the key `serve` signs the debtor in with
        )
        with progress_bar("Playing April-June 2026, day", g.printer.as_json) as progress:
            played = demo_data.play(tools, summary, DEMO_DAY, bank, progress)
    days, delivered, documents, imported = (
        played.days,
        played.delivered,
        played.documents,
        played.imported,
    )
    steps = Counter(done.step for day in days for done in day.done)
    cases = list_cases(None, scope, factory)
    states = Counter(case.state for case in cases)
    rows = aging(scope, DEMO_DAY, True, factory)
    tb = trial_balance(scope, None, factory)
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
    )
    issued = [i for day in days for i in day.issued]
    click.echo(
        f"Recurring invoices: {summary.agreements} agreements issued {len(issued)} invoices, "
        f"e.g. invoice {issued[0].invoice_number} '{issued[0].period_text}'."
        if issued
        else "Recurring invoices: none issued."
    )
    by = ", ".join(f"{n} by {channel}" for channel, n in sorted(delivered.sent.items()))
    click.echo(
        f"Delivered (invoices and letters): {by}; {delivered.failed} undelivered. "
        f"In {DEMO_DELIVERY}/: ehf/ (the access point's folder), email/ (.eml files), "
        "paper/ (the company's folder, a folder per day in it with its print batch).\n"
    )
    if imported is not None:
        matched = ", ".join(f"{n} by {rule}" for rule, n in sorted(imported.matched.items()))
        click.echo(
            f"Bank file {DEMO_BANK}/innbetalinger-*.ocr (Nets OCR giro, client account): "
            f"{imported.payments} payments, {imported.total} NOK; matched {matched}; "
            f"{imported.unmatched} unmatched (fordring payments list --unmatched)."
        )
    for day in days:
        if day.settlement is not None:
            s = day.settlement
            click.echo(
                f"Settlement {s.number} on {s.day}: {s.payments} payments, received "
                f"{s.received}, kept by {s.collector.name} {s.kept} (salær), paid out {s.paid_out}"
            )
    if documents:
        click.echo("Settlement statements: " + ", ".join(documents) + "\n")
    click.echo(aging_text(rows, DEMO_DAY.isoformat()))
    click.echo("\nTrial balance (saldobalanse)")
    click.echo(trial_balance_text(tb))
    command, activate = how_to_run()
    click.echo(
        f"\nExplore it:\n  {command} --db sqlite:///{path} --date {DEMO_DAY} collection cases"
    )
    if activate:
        click.echo(
            f"or put fordring on this shell's PATH first: {activate}, then `fordring --help`"
        )
    click.echo(
        f"\nThe portal:\n  FORDRING_API_KEY_SECRET={DEMO_SECRET} {command} --db sqlite:///{path} "
        f"serve\nthen open http://127.0.0.1:8000/ and sign in with organisation number "
        f"{demo_data.DEMO_ORGNR}, e-mail {DEMO_USER.email}, password {DEMO_USER.password}"
    )
    shown = _debtors_case(cases)
    if shown is not None:
        # a code given now: the letters' PINs were kept 30 days from the quarter's end
        given = give_access(shown, scope, factory, bootstrap.now(), g.app.debtor_pin_key)
        click.echo(
            f"\nThe debtor's page (the same serve):\n  open "
            f"{bootstrap.debtor_page_address(g.app.settings)}/ and sign in with access code "
            f"{given.code} and PIN {given.pin}: case {shown} as its debtor sees it"
        )
    if not tb.balanced:
        raise SystemExit(1)


def _debtors_case(cases: list[CaseSummary]) -> int | None:
    """The case the demo shows as its debtor sees it: the first handed over to the
    collector, else the first open one."""
    open_cases = [c for c in cases if c.state != CaseState.CLOSED and c.merged_into is None]
    handed = [c for c in open_cases if c.state == CaseState.IN_COLLECTION]
    return (handed or open_cases)[0].number if open_cases else None


def how_to_run() -> tuple[str, str | None]:
    """How to type `fordring` from the current folder: the bare name when the PATH finds
    this very program, else its path (`.venv/bin/fordring`) and how to activate its
    environment (`. .venv/bin/activate`)."""
    script = Path(sys.executable).parent / "fordring"
    found = shutil.which("fordring")
    if found is not None and Path(found).resolve() == script.resolve():
        return "fordring", None
    if not script.exists():
        return "fordring", None  # run some other way (python -m): the name is all we know
    activate = script.parent / "activate"
    return _short(script), f". {_short(activate)}" if activate.exists() else None


def _short(path: Path) -> str:
    """`path` from the current folder when it is below it (`.venv/bin/fordring`), else whole."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


COMMANDS: list[click.Command] = [demo]
