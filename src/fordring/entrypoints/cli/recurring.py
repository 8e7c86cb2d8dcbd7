"""`fordring recurring add|list|show|stop`: recurring invoice agreements (SPEC L6)."""

from __future__ import annotations

from typing import Any

import click

from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import parse_business_date
from fordring.domain.recurring import LAST_DAY, Interval, agreement_problems, parse_interval
from fordring.domain.text_input import parse_line_specs
from fordring.entrypoints.cli.options import (
    DAYS,
    NAME,
    NUMBER,
    WHOLE,
    Globals,
    pass_globals,
    scope_of,
)
from fordring.entrypoints.cli.output import table, text
from fordring.services.ports import IssuedPeriodRecord
from fordring.services.recurring import (
    AgreementView,
    NewAgreement,
    add_agreement,
    list_agreements,
    show_agreement,
    stop_agreement,
)

LINE_HELP = "A line 'text;quantity;unit price;vat%', e.g. 'Husleie;1;12000;0'. Repeat."


def issued_data(i: IssuedPeriodRecord) -> dict[str, Any]:
    return {
        "period_start": i.period_start,
        "period_end": i.period_end,
        "period_text": i.period_text,
        "invoice": i.invoice_number,
        "issue_date": i.issue_date,
        "due_date": i.due_date,
        "total": i.total,
    }


def agreement_data(view: AgreementView) -> dict[str, Any]:
    s, a, upcoming = view.stored, view.stored.agreement, view.upcoming
    return {
        "number": s.number,
        "customer": s.customer_number,
        "customer_name": s.customer_name,
        "text": a.text,
        "interval": a.interval.name,
        "issue_day": a.issue_day,
        "advance": a.advance_months,
        "terms": a.terms_days,
        "start": a.start,
        "end": a.end,
        "stopped_on": a.stopped_on,
        "status": view.status,
        "next_period": upcoming.start if upcoming else None,
        "next_period_end": upcoming.end if upcoming else None,
        "next_issue_on": upcoming.issue_on if upcoming else None,
        "next_text": view.upcoming_text,
        "net": a.net,
        "vat": a.total - a.net,
        "total": a.total,
        "lines": [
            {
                "text": line.description,
                "quantity": str(line.quantity),
                "unit_price": str(line.unit_price),
                "vat": str(line.vat_rate),
                "amount": line.net,
            }
            for line in a.lines
        ],
        "issued": [issued_data(i) for i in view.issued],
    }


def agreement_text(view: AgreementView, *, with_issued: bool) -> str:
    d = agreement_data(view)
    a = view.stored.agreement
    day = "the last day" if a.issue_day == LAST_DAY else f"day {a.issue_day}"
    advance = f", {a.advance_months} month(s) ahead" if a.advance_months else ""
    until = f" to {a.end}" if a.end else ""
    stopped = f", stopped on {a.stopped_on}" if a.stopped_on else ""
    out = [
        f"Recurring agreement {d['number']}: {d['text']} to {d['customer']} "
        f"{d['customer_name']} ({d['status']})",
        f"  {d['interval']}, issued on {day} of the month{advance}, terms {a.terms_days} days;"
        f" from {a.start}{until}{stopped}",
        table(
            d["lines"],
            ["text", "quantity", "unit_price", "vat", "amount"],
            right={"quantity", "unit_price", "vat", "amount"},
        ),
        f"  Total {text(a.total)} NOK per period (net {text(a.net)}, VAT {text(d['vat'])})",
    ]
    if d["next_period"]:
        out.append(
            f"  Next: {d['next_text']} ({d['next_period']} to {d['next_period_end']}), "
            f"issued {d['next_issue_on']}"
        )
    else:
        out.append("  Next: none, no period is left to issue")
    if with_issued:
        if d["issued"]:
            out.append("  Issued:")
            out.append(
                table(
                    d["issued"],
                    ["period_start", "period_text", "invoice", "issue_date", "total"],
                    right={"invoice", "total"},
                )
            )
        else:
            out.append("  Issued: nothing yet")
    return "\n".join(out)


@click.group("recurring")
def recurring() -> None:
    """Recurring invoice agreements, issued by the daily run (`fordring run`)."""


@recurring.command("add")
@click.option("--customer", "customer_number", type=NUMBER, required=True, help="Customer number.")
@click.option("--text", "text_", type=NAME, required=True, help="What it is for, e.g. Husleie.")
@click.option("--line", "lines", multiple=True, help=LINE_HELP)
@click.option(
    "--interval",
    default="monthly",
    show_default=True,
    help="monthly, quarterly, yearly, or Nm for every N months (e.g. 2m).",
)
@click.option(
    "--issue-day",
    type=WHOLE,
    default=1,
    show_default=True,
    help="Day of the month it is issued: 1-28, or 31 for the last day.",
)
@click.option(
    "--advance",
    type=WHOLE,
    default=0,
    show_default=True,
    help="Months before the period it is invoiced (1: rent the month before).",
)
@click.option("--start", required=True, help="First day of the first period (the 1st).")
@click.option("--end", default=None, help="Last day: no period starting later is issued.")
@click.option("--terms", type=DAYS, default=None, help="Days to the due date (default: company).")
@pass_globals
def add(g: Globals, /, **o: Any) -> None:
    """Add an agreement; the daily run issues each period on its issue day."""
    start = parse_business_date(o["start"], "start")
    end = parse_business_date(o["end"], "end") if o["end"] else None
    lines, problems = parse_line_specs(o["lines"])
    interval = Interval(1)
    try:
        interval = parse_interval(o["interval"])
    except InvalidInput as error:
        problems.extend(error.problems)
    if problems:  # with the rest of what is wrong, all at once
        terms = 0 if o["terms"] is None else o["terms"]
        has_lines = bool(o["lines"])
        rest = (o["text_"], has_lines, o["issue_day"], start, end, o["advance"], terms)
        raise InvalidInput(problems + agreement_problems(*rest))
    cmd = NewAgreement(
        customer_number=o["customer_number"],
        text=o["text_"],
        lines=lines,
        interval=interval,
        issue_day=o["issue_day"],
        start=start,
        end=end,
        advance_months=o["advance"],
        terms_days=o["terms"],
    )
    view = add_agreement(cmd, scope_of(g), g.app.uow_factory)
    g.printer.emit(agreement_data(view), agreement_text(view, with_issued=False))


@recurring.command("list")
@pass_globals
def list_(g: Globals) -> None:
    """List the agreements with their next period."""
    found = list_agreements(scope_of(g), g.app.uow_factory)
    rows = [agreement_data(v) for v in found]
    for row in rows:
        del row["lines"], row["issued"]
    columns = [
        "number",
        "customer",
        "customer_name",
        "text",
        "interval",
        "total",
        "status",
        "next_period",
        "next_issue_on",
    ]
    g.printer.emit(rows, table(rows, columns, right={"number", "total"}))


@recurring.command("show")
@click.argument("number", type=NUMBER)
@pass_globals
def show(g: Globals, number: int) -> None:
    """Show an agreement, the periods it has issued and its next period."""
    view = show_agreement(number, scope_of(g), g.app.uow_factory)
    g.printer.emit(agreement_data(view), agreement_text(view, with_issued=True))


@recurring.command("stop")
@click.argument("number", type=NUMBER)
@click.option("--on", "on", default=None, help="Stop day (default: the business date).")
@pass_globals
def stop(g: Globals, number: int, on: str | None) -> None:
    """Stop an agreement: no period starting after the stop day is issued."""
    day = parse_business_date(on, "on") if on else g.business_date
    done = stop_agreement(number, day, scope_of(g), g.app.uow_factory)
    data = agreement_data(done.view)
    data["issued_after_stop"] = [issued_data(i) for i in done.issued_after]
    human = agreement_text(done.view, with_issued=True)
    for i in done.issued_after:
        human += (
            f"\n  Note: invoice {i.invoice_number} ({i.period_text}) is for a period after "
            f"{day}; credit it if it should not stand"
        )
    g.printer.emit(data, human)


COMMANDS: list[click.Command] = [recurring]
