"""The `fordring law` commands: the collection-law calculators and rate tables on the
command line. Pure calculations: no database (except `rates --missing`, which reads the
open cases); the rate book comes from bootstrap."""

from __future__ import annotations

from typing import Any

import click

from fordring import bootstrap
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import parse_amount, parse_business_date
from fordring.domain.law.claim_costs import claim_costs
from fordring.domain.law.deadlines import letter_deadline
from fordring.domain.law.explanation import UNCONFIRMED
from fordring.domain.law.fees import FeeDecision
from fordring.domain.law.interest import RULE, SOURCE, late_interest
from fordring.domain.law.tables import DatedTable, RateBook, Row, ValueKind
from fordring.entrypoints.cli.options import DAYS, WHOLE, globals_of, scope_of
from fordring.entrypoints.cli.output import table
from fordring.entrypoints.cli.run import missing_rates_data, missing_rates_text
from fordring.entrypoints.law_data import WHERE, fees_data
from fordring.services.rates_needed import missing_rates

_RATES = "fordring.law.rates_file"
_RATES_HELP = "TOML rates file that adds or overrides rows (docs/law.md). Env: FORDRING_RATES_FILE."
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _remember_rates(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[_RATES] = value  # meta is shared: `law --rates F cmd` and `law cmd --rates F`


# on the group and on each command: `law --rates F interest ...` or `law interest ... --rates F`
_rates_option = click.option(
    "--rates", metavar="FILE", expose_value=False, callback=_remember_rates, help=_RATES_HELP
)


@click.group("law")
@_rates_option
def law() -> None:
    """Norwegian collection law: late interest, fees, salær, deadlines and rate tables."""


def _book(ctx: click.Context) -> RateBook:
    return bootstrap.rate_book(ctx.meta.get(_RATES))


@law.command("interest")
@click.option("--principal", required=True, help="The principal, e.g. 10000 or 10000,50.")
@click.option("--due", required=True, help="Due date YYYY-MM-DD.")
@click.option("--to", "paid", required=True, help="Payment date (interest up to and incl.).")
@_rates_option
@click.pass_context
def interest(ctx: click.Context, principal: str, due: str, paid: str) -> None:
    """Late interest (forsinkelsesrente) per half-year period."""
    amount = parse_amount(principal, "principal")
    due_day, paid_day = parse_business_date(due, "due"), parse_business_date(paid, "to")
    if paid_day < due_day:
        raise InvalidInput.one("to", f"{paid_day} is before the due date {due_day}")
    result = late_interest(amount, due_day, paid_day, _book(ctx))
    periods = [
        {
            "from": p.start,
            "to": p.end,
            "days": p.days,
            "rate": f"{p.percent}",
            "days_in_year": p.days_in_year,
            "amount": p.amount,
            "confirmed": p.confirmed,
            "source": p.source,
        }
        for p in result.periods
    ]
    data = {
        "principal": amount,
        "due": due_day,
        "to": paid_day,
        "days": result.days,
        "total": result.total,
        "confirmed": result.confirmed,
        "rule": RULE,
        "source": SOURCE,
        "periods": periods,
    }
    rows = [
        {**row, "rate %": f"{p.percent}{'' if p.confirmed else ' *'}", "of days": p.days_in_year}
        for row, p in zip(periods, result.periods, strict=True)
    ]
    columns = ["from", "to", "days", "rate %", "of days", "amount"]
    human = [
        f"Late interest on {amount:.2f} due {due_day}, paid {paid_day}: {result.days} days",
        table(rows, columns, {"days", "rate %", "of days", "amount"}) if rows else "",
        f"total {result.total:.2f}",
        f"{RULE} ({SOURCE})",
        *result.explanation().notes,
    ]
    if not result.confirmed:
        human.append(f"* {UNCONFIRMED}")
    globals_of(ctx).printer.emit(data, "\n".join(line for line in human if line))


@law.command("fees")
@click.option("--principal", required=True, help="The principal of the claim.")
@click.option("--due", required=True, help="The claim's due date YYYY-MM-DD.")
@click.option("--sent", required=True, help="The day the letter is sent YYYY-MM-DD.")
@click.option("--business", is_flag=True, help="The debtor is a business.")
@click.option(
    "--no-creditor-vat",
    "no_creditor_vat",
    is_flag=True,
    help="The claim is not from VAT-liable business: the creditor cannot deduct VAT (+25 %).",
)
@click.option(
    "--previous-fees",
    type=WHOLE,
    default=0,
    show_default=True,
    help="Reminder fees already charged on the claim.",
)
@click.option(
    "--missed-deadline",
    is_flag=True,
    help="The debtor missed a deadline of at least 14 days set in the first reminder.",
)
@click.option("--interest-before-due", default="0", help="Interest accrued before the due date.")
@click.option(
    "--paid", default=None, help="Day the principal is paid (salær sats); default --sent."
)
@click.option("--instalments", type=WHOLE, default=0, help="Payment plan size.")
@click.option("--fees-charged", default=None, help="Reminder fees charged so far (NOK).")
@_rates_option
@click.pass_context
def fees(
    ctx: click.Context,
    principal: str,
    due: str,
    sent: str,
    business: bool,
    no_creditor_vat: bool,
    previous_fees: int,
    missed_deadline: bool,
    interest_before_due: str,
    paid: str | None,
    instalments: int,
    fees_charged: str | None,
) -> None:
    """Reminder/notice fee, salær light and heavy, and standard compensation for a claim."""
    costs = claim_costs(
        parse_amount(principal, "principal"),
        due=parse_business_date(due, "due"),
        sent=parse_business_date(sent, "sent"),
        paid=parse_business_date(paid, "paid") if paid else None,
        book=_book(ctx),
        business=business,
        creditor_deducts_vat=not no_creditor_vat,
        previous_reminder_fees=previous_fees,
        first_reminder_deadline_missed=missed_deadline,
        interest_before_due=parse_amount(interest_before_due, "interest_before_due"),
        instalments=instalments,
        reminder_fees_charged=parse_amount(fees_charged, "fees_charged") if fees_charged else None,
        allow_missing=True,
    )
    data = fees_data(costs, business, not no_creditor_vat, previous_fees)
    compensation = costs.compensation
    caps = [cap for cap in (costs.salaer_light, costs.salaer_heavy) if cap is not None]
    after = costs.salaer_after_compensation()
    debtor = "business debtor" if business else "consumer debtor"
    vat = "creditor cannot deduct VAT" if no_creditor_vat else "creditor deducts VAT"
    due_to_sent = (costs.sent - costs.due).days
    human = [
        f"Claim {costs.principal:.2f} due {costs.due}, letter sent {costs.sent} "
        f"({due_to_sent} days after due); {debtor}; {vat}",
        _fee_text("Reminder fee (purring)", costs.reminder_fee),
        _fee_text("Collection notice fee (inkassovarsel)", costs.notice_fee),
        *(cap.explanation.text(f"Salær cap, {cap.level}: {cap.amount:.2f}") for cap in caps),
    ]
    if compensation is not None:
        human.append(
            compensation.explanation.text(
                "Standard compensation: "
                + (f"{compensation.amount:.2f}" if compensation.applies else "not due")
            )
        )
    if compensation is not None and compensation.applies and after is not None:
        light, heavy = after
        human.append(
            f"Standard compensation is deducted from later collection costs: salær after "
            f"{compensation.amount:.2f} compensation, light {light.total:.2f}, heavy "
            f"{heavy.total:.2f}\n  source: {light.source}"
        )
    for m in costs.missing:
        lines = "\n".join(f"    {line}" for line in m.rates_file_lines.splitlines())
        human.append(
            f"{m.part.capitalize()}: MISSING: {m.table}: {m.reason}\n"
            f"  add these lines to {WHERE}, with the value from its source:\n{lines}"
        )
    globals_of(ctx).printer.emit(data, "\n\n".join(human))


def _fee_text(title: str, decision: FeeDecision) -> str:
    verdict = f"{decision.amount:.2f}" if decision.allowed else "not allowed"
    return decision.explanation.text(f"{title}: {verdict}")


@law.command("deadline")
@click.option("--sent", required=True, help="The day the letter is sent YYYY-MM-DD.")
@click.option("--days", type=DAYS, default=14, show_default=True, help="Length of the deadline.")
@click.option(
    "--move/--no-move",
    default=True,
    show_default=True,
    help="Move a deadline on a non-banking day to the next banking day.",
)
@click.option(
    "--holiday-weeks",
    is_flag=True,
    help="Lengthen a deadline in Christmas or Easter week past it (holiday_deadlines).",
)
@click.pass_context
def deadline(ctx: click.Context, sent: str, days: int, move: bool, holiday_weeks: bool) -> None:
    """The deadline a letter sent on --sent gives, and why."""
    day = parse_business_date(sent, "sent")
    result = letter_deadline(day, days, move=move, holiday_weeks=holiday_weeks)
    data = {
        "sent": result.sent,
        "days": result.days,
        "unadjusted": result.unadjusted,
        "deadline": result.deadline,
        "moved": result.moved,
        "reason": result.reason,
    }
    weekday = _WEEKDAYS[result.deadline.weekday()]
    human = f"Deadline {weekday} {result.deadline}\n  {result.reason}"
    globals_of(ctx).printer.emit(data, human)


@law.command("rates")
@click.option(
    "--missing",
    is_flag=True,
    help="List what the open cases in the database will need up to the business date that "
    "the tables lack, with the TOML rows to add.",
)
@_rates_option
@click.pass_context
def rates(ctx: click.Context, missing: bool) -> None:
    """Every rate table with validity, value, source and the confirmed flag."""
    book = _book(ctx)
    if missing:
        _missing(ctx, book)
        return
    data = {"tables": [_table_data(t) for t in book.tables()]}
    parts = []
    for dated in book.tables():
        heading = f"{dated.name}: {dated.title}; by {dated.keyed_by}; holds {dated.validity}"
        if dated.kind is ValueKind.SALAER_SCALE:
            parts.append("\n".join([heading, *(_scale_text(dated, row) for row in dated.rows)]))
            continue
        rows = [
            {
                "period": dated.label(row),
                "value": dated.display(row.value),
                "confirmed": row.confirmed,
                "source": row.source + (f" ({row.note})" if row.note else ""),
            }
            for row in dated.rows
        ]
        columns = ["period", "value", "confirmed", "source"]
        parts.append(heading + "\n" + table(rows, columns, {"value"}))
    globals_of(ctx).printer.emit(data, "\n\n".join(parts))


def _missing(ctx: click.Context, book: RateBook) -> None:
    g = globals_of(ctx)
    needed = missing_rates(scope_of(g), g.business_date, g.app.uow_factory, book)
    data = missing_rates_data(needed, book, bootstrap.rates_file_path(ctx.meta.get(_RATES)))
    human = missing_rates_text(data) or (
        f"The tables hold every rate the open cases need up to {g.business_date}."
    )
    g.printer.emit(data, human)


def _scale_text(dated: DatedTable[Any], row: Row[Any]) -> str:
    """A salær scale row as its own small table of bands (multiples of the inkassosats)."""
    confirmed = "yes" if row.confirmed else "no"
    note = f" ({row.note})" if row.note else ""
    bands = [
        {
            "claim up to and incl.": "above" if b.up_to is None else f"{b.up_to:.2f}",
            "light × sats": f"{b.light}",
            "heavy × sats": f"{b.heavy}",
        }
        for b in row.value
    ]
    columns = ["claim up to and incl.", "light × sats", "heavy × sats"]
    text = table(bands, columns, set(columns))
    indented = "\n".join(f"  {line}" for line in text.splitlines())
    return f"{dated.label(row)}; confirmed: {confirmed}; source: {row.source}{note}\n{indented}"


def _table_data(dated: DatedTable[Any]) -> dict[str, Any]:
    return {
        "name": dated.name,
        "title": dated.title,
        "keyed_by": dated.keyed_by,
        "validity": dated.validity.name.lower(),
        "kind": dated.kind,
        "rows": [_row_data(dated, row) for row in dated.rows],
    }


def _row_data(dated: DatedTable[Any], row: Row[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"valid_from": row.valid_from, "period": dated.label(row)}
    if dated.kind is ValueKind.SALAER_SCALE:
        data["bands"] = [
            {"up_to": b.up_to, "light": f"{b.light}", "heavy": f"{b.heavy}"} for b in row.value
        ]
    else:
        data["value"] = row.value if dated.kind is ValueKind.AMOUNT else f"{row.value}"
    data["display"] = dated.display(row.value)
    return {**data, "source": row.source, "confirmed": row.confirmed, "note": row.note}


COMMANDS: list[click.Command] = [law]
