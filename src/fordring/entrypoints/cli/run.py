"""`fordring run`: the business day (services/business_day.py): the collection steps,
recurring invoices, collection list and settlement of every day not yet run, then the
delivery and the settlement statements after the days commit; this module only prints."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click

from fordring import bootstrap
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import parse_business_date
from fordring.domain.law.missing_rates import NeededRow
from fordring.domain.law.rates_hint import rates_file_lines
from fordring.domain.law.tables import RateBook
from fordring.entrypoints.cli.deliveries import report_data, report_text
from fordring.entrypoints.cli.options import FOLDER, Globals, WholeNumber, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.entrypoints.cli.progress import progress_bar
from fordring.entrypoints.cli.run_workers import queue_the_day
from fordring.entrypoints.cli.webhooks import report_data as webhook_data
from fordring.entrypoints.cli.webhooks import report_text as webhook_text
from fordring.services.business_day import run_business_day
from fordring.services.daily_run import RunReport


def _rows(report: RunReport) -> list[dict[str, Any]]:
    return [
        {
            "day": d.day,
            "case": x.case_number,
            "step": x.step,
            "letter": x.letter_kind,
            "deadline": x.deadline,
            "fee": x.fee,
        }
        for d in report.days
        for x in d.done
    ]


def _human(report: RunReport, dry_run: bool) -> str:
    if report.already_run_to:
        return f"Already run up to {report.already_run_to}; nothing to do."
    rows = _rows(report)
    first, last = report.days[0].day, report.days[-1].day
    span = f"{first}" + (f" to {last}" if last != first else "")
    head = f"{'Would do' if dry_run else 'Ran'} {span}: {len(rows)} steps"
    if not rows:
        return head
    columns = ["day", "case", "step", "letter", "deadline", "fee"]
    return head + "\n" + table(rows, columns, right={"case", "fee"})


def _held(report: RunReport) -> list[dict[str, Any]]:
    """Each case held for a missing rate, once, with the first day it waited in this run."""
    first: dict[int, dict[str, Any]] = {}
    for d in report.days:
        for h in d.held:
            first.setdefault(h.case_number, {"case": h.case_number, "since": d.day})
            first[h.case_number]["reason"] = h.reason
    return sorted(first.values(), key=lambda x: x["case"])


def missing_rates_data(
    needed: list[NeededRow], book: RateBook, rates_file: str | None
) -> dict[str, Any]:
    """The rows to add to the rates file, each once, with its TOML and where it goes."""
    return {
        "rates_file": rates_file,
        "add_to": rates_file
        or f"a TOML file given with --rates FILE or {bootstrap.RATES_FILE_ENV}=FILE",
        "rows": [
            {
                "table": n.table,
                "period": n.period,
                "reason": n.reason,
                "cases": list(n.cases),
                "toml": rates_file_lines(book.table(n.table), n.valid_from),
            }
            for n in needed
        ],
    }


def missing_rates_text(data: dict[str, Any]) -> str:
    rows = data["rows"]
    if not rows:
        return ""
    lines = [
        f"Missing rates: add these rows to {data['add_to']} (format: docs/law.md, "
        '"The rates file"), fill in each value and source from the law, then run again:'
    ]
    for row in rows:
        cases = ", ".join(map(str, row["cases"]))
        lines += ["", f"# {row['reason']} (cases waiting: {cases})", row["toml"]]
    return "\n".join(lines)


@click.command("run")
@click.option(
    "--to",
    "to_day",
    default=None,
    help="Run each day from the day after the last run up to YYYY-MM-DD, each as its own "
    "day (replay or simulate a period).",
)
@click.option("--dry-run", is_flag=True, help="Show exactly what the run would do; write nothing.")
@click.option(
    "--outbox", type=FOLDER, default=None, help="Folder for letters to print (FORDRING_OUTBOX)."
)
@click.option("--rates", default=None, help="Law rates file (FORDRING_RATES_FILE).")
@click.option(
    "--via-workers",
    is_flag=True,
    help="PostgreSQL: queue the day, one job per company (--company: that one), for "
    "`fordring worker` processes to run, and return.",
)
@click.option(
    "--wait",
    is_flag=True,
    help="With --via-workers: wait until the queued days and every job they caused are "
    "done, then print the days' report read from the database.",
)
@click.option(
    "--timeout",
    type=WholeNumber(minimum=1, maximum=86_400),
    default=3600,
    show_default=True,
    help="With --wait: seconds to wait at most (then exit 1; the workers go on).",
)
@pass_globals
def run(
    g: Globals,
    to_day: str | None,
    dry_run: bool,
    outbox: str | None,
    rates: str | None,
    via_workers: bool,
    wait: bool,
    timeout: int,
) -> None:
    """Do every collection step due on or before the business date (--date) that is not
    done yet, dated that day: a missed day is caught up, never skipped. Running a day
    again changes nothing."""
    day = parse_business_date(to_day, "to") if to_day else g.business_date
    if wait and not via_workers:
        raise InvalidInput.one("wait", "--wait waits for the workers: give --via-workers too")
    if via_workers:
        queue_the_day(
            g, day, each_day=to_day is not None, dry_run=dry_run, wait=wait, timeout=timeout
        )
        return
    with (
        g.app.configured(outbox=outbox, rates=rates) as app,
        progress_bar("Running day", g.printer.as_json) as progress,
    ):
        done = run_business_day(
            scope_of(g),
            day,
            replace(app.day_tools, progress=progress),
            dry_run=dry_run,
            each_day=to_day is not None,
        )
        book, rates_file = app.rate_book, app.settings.rates_file
    report, delivered, documents = done.run, done.delivered, done.documents
    settled = [
        {
            "day": d.day,
            "settlement": d.settlement.number,
            "payments": d.settlement.payments,
            "received": d.settlement.received,
            "kept": d.settlement.kept,
            "paid_out": d.settlement.paid_out,
        }
        for d in report.days
        if d.settlement is not None
    ]
    lists: list[dict[str, Any]] = [
        {
            "day": d.day,
            "cases": list(d.collection_list.cases),
            "handover_on": d.collection_list.handover_on,
            "pdf": d.collection_list.location,
        }
        for d in report.days
        if d.collection_list is not None
    ]
    missing = missing_rates_data(report.missing_rates(book), book, rates_file)
    data = {
        "dry_run": dry_run,
        "already_run_to": report.already_run_to,
        "steps": _rows(report),
        "invoices_issued": [
            {"invoice": i.invoice_number, "agreement": i.agreement_number, "period": i.period_text}
            for d in report.days
            for i in d.issued
        ],
        "deliveries": None if delivered is None else report_data(delivered),
        "settlements": settled,
        "documents": documents,
        "collection_lists": lists,
        "held": _held(report),
        "missing_rates": missing,
        "webhooks": None if done.webhooks is None else webhook_data(done.webhooks),
    }
    human = _human(report, dry_run)
    for s in settled:
        human += (
            f"\nSettlement {s['settlement']} on {s['day']}: {s['payments']} payments, "
            f"received {s['received']}, kept {s['kept']}, paid out {s['paid_out']}"
        )
    for d in report.days:
        for i in d.issued:
            human += (
                f"\n{d.day}: recurring agreement {i.agreement_number} issued invoice "
                f"{i.invoice_number} ({i.period_text})"
            )
    for x in lists:
        where = f"; the PDF is {x['pdf']}" if x["pdf"] else ""
        handover = (
            f"handed over on {x['handover_on']} unless stopped"
            if x["handover_on"]
            else "waiting for your approval (fordring collection approve)"
        )
        human += (
            f"\n{x['day']}: collection list of {len(x['cases'])} cases "
            f"({', '.join(map(str, x['cases']))}), {handover}{where}"
        )
    for h in _held(report):
        human += f"\nCase {h['case']} waits since {h['since']}: {h['reason']}"
    if missing["rows"]:
        human += "\n" + missing_rates_text(missing)
    if delivered is not None and delivered.total:
        human += "\n" + report_text(delivered)
    if done.webhooks is not None and done.webhooks.total:
        human += "\n" + webhook_text(done.webhooks)
    g.printer.emit(data, human)


COMMANDS: list[click.Command] = [run]
