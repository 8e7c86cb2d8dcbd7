"""The `fordring law` commands: the collection-law calculators and rate tables on the
command line. Pure calculations: no database; the rate book comes from bootstrap."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from fordring import bootstrap
from fordring.domain.errors import InvalidInput
from fordring.domain.law.compensation import standard_compensation
from fordring.domain.law.deadlines import letter_deadline
from fordring.domain.law.explanation import Explanation
from fordring.domain.law.fees import FeeDecision, FeeHistory, Letter, letter_fee
from fordring.domain.law.interest import RULE, SOURCE, late_interest
from fordring.domain.law.salaer import SalaerCap, SalaerLevel, claim_size, salaer_cap
from fordring.domain.law.tables import DatedTable, RateBook, Row, ValueKind
from fordring.domain.money import parse_amount
from fordring.entrypoints.cli.options import globals_of, parse_date
from fordring.entrypoints.cli.output import table

_RATES = "fordring.law.rates_file"


@click.group("law")
@click.option(
    "--rates",
    "rates_file",
    default=None,
    metavar="FILE",
    help="TOML rates file that adds or overrides rows (docs/law.md). Env: FORDRING_RATES_FILE.",
)
@click.pass_context
def law(ctx: click.Context, rates_file: str | None) -> None:
    """Norwegian collection law: late interest, fees, salær, deadlines and rate tables."""
    ctx.meta[_RATES] = rates_file


def _book(ctx: click.Context) -> RateBook:
    return bootstrap.rate_book(ctx.meta.get(_RATES))


def _explanation(explanation: Explanation) -> dict[str, Any]:
    return {
        "rule": explanation.rule,
        "source": explanation.source,
        "confirmed": explanation.confirmed,
        "lines": [{"text": line.text, "amount": line.amount} for line in explanation.lines],
        "total": explanation.total,
        "notes": list(explanation.notes),
    }


@law.command("interest")
@click.option("--principal", required=True, help="The principal, e.g. 10000 or 10000,50.")
@click.option("--due", required=True, help="Due date YYYY-MM-DD.")
@click.option("--to", "paid", required=True, help="Payment date (interest up to and incl.).")
@click.pass_context
def interest(ctx: click.Context, principal: str, due: str, paid: str) -> None:
    """Late interest (forsinkelsesrente) per half-year period."""
    amount = parse_amount(principal, "principal")
    due_day, paid_day = parse_date(due, "due"), parse_date(paid, "to")
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
        {**row, "rate": f"{p.percent}{'' if p.confirmed else ' *'}"}
        for row, p in zip(periods, result.periods, strict=True)
    ]
    human = [
        f"Late interest on {amount:.2f} due {due_day}, to {paid_day}: {result.days} days",
        table(rows, ["from", "to", "days", "rate", "days_in_year", "amount"], {"days", "amount"}),
        f"total {result.total:.2f}",
        f"{RULE} ({SOURCE})",
    ]
    if not result.confirmed:
        human.append("* rate not confirmed by a primary source (UNCONFIRMED)")
    globals_of(ctx).printer.emit(data, "\n".join(human))


@law.command("fees")
@click.option("--principal", required=True, help="The principal of the claim.")
@click.option("--due", required=True, help="The claim's due date YYYY-MM-DD.")
@click.option("--sent", required=True, help="The day the letter is sent YYYY-MM-DD.")
@click.option("--business", is_flag=True, help="The debtor is a business.")
@click.option(
    "--no-creditor-vat", "no_creditor_vat", is_flag=True, help="The creditor cannot deduct VAT."
)
@click.option(
    "--previous-fees",
    type=click.IntRange(min=0),
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
@click.option("--instalments", type=click.IntRange(min=0), default=0, help="Payment plan size.")
@click.option("--fees-charged", default=None, help="Reminder fees charged so far (NOK).")
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
    amount = parse_amount(principal, "principal")
    before_due = parse_amount(interest_before_due, "interest_before_due")
    due_day, sent_day = parse_date(due, "due"), parse_date(sent, "sent")
    paid_day = parse_date(paid, "paid") if paid else sent_day
    if sent_day < due_day:
        raise InvalidInput.one("sent", f"{sent_day} is before the due date {due_day}")
    if paid_day < due_day:
        raise InvalidInput.one("paid", f"{paid_day} is before the due date {due_day}")
    book = _book(ctx)
    history = FeeHistory(
        reminder_fees=previous_fees, first_reminder_deadline_missed=missed_deadline
    )
    decisions = {
        "reminder_fee": letter_fee(
            Letter.PURRING, due=due_day, sent=sent_day, book=book, history=history
        ),
        "notice_fee": letter_fee(
            Letter.INKASSOVARSEL, due=due_day, sent=sent_day, book=book, history=history
        ),
    }
    size = claim_size(amount, before_due)
    caps = {
        level: salaer_cap(
            size,
            level=level,
            due=due_day,
            on=paid_day,
            book=book,
            business=business,
            creditor_deducts_vat=not no_creditor_vat,
            instalments=instalments,
        )
        for level in SalaerLevel
    }
    if fees_charged is None:
        one_fee = letter_fee(Letter.PURRING, due=due_day, sent=sent_day, book=book).amount
        charged = one_fee * previous_fees if previous_fees else Decimal("0.00")
    else:
        charged = parse_amount(fees_charged, "fees_charged")
    compensation = standard_compensation(
        due=due_day, business=business, reminder_fees_charged=charged, book=book
    )
    data = {
        "claim": {
            "principal": amount,
            "claim_size": size,
            "due": due_day,
            "sent": sent_day,
            "paid": paid_day,
            "business": business,
            "creditor_deducts_vat": not no_creditor_vat,
            "previous_fees": previous_fees,
        },
        **{name: _decision(d) for name, d in decisions.items()},
        "salaer": {
            level.value: {"amount": cap.amount, "explanation": _explanation(cap.explanation)}
            for level, cap in caps.items()
        },
        "salaer_heavy_from": "the demand's deadline exceeded by more than 28 days (day 43 "
        "after a demand with a 14-day deadline)",
        "standard_compensation": {
            "applies": compensation.applies,
            "amount": compensation.amount,
            "reason": compensation.reason,
            "explanation": _explanation(compensation.explanation),
        },
    }
    globals_of(ctx).printer.emit(data, _fees_text(decisions, caps, compensation.explanation))


def _decision(decision: FeeDecision) -> dict[str, Any]:
    return {
        "allowed": decision.allowed,
        "amount": decision.amount,
        "reason": decision.reason,
        "explanation": _explanation(decision.explanation),
    }


def _fees_text(
    decisions: dict[str, FeeDecision],
    caps: dict[SalaerLevel, SalaerCap],
    compensation: Explanation,
) -> str:
    out = []
    for name, decision in decisions.items():
        verdict = f"{decision.amount:.2f}" if decision.allowed else "not allowed"
        out.append(f"{name.replace('_', ' ')}: {verdict} ({decision.reason})")
    out.extend(cap.explanation.text() for cap in caps.values())
    out.append(compensation.text())
    return "\n".join(out)


@law.command("deadline")
@click.option("--sent", required=True, help="The day the letter is sent YYYY-MM-DD.")
@click.option("--days", type=int, default=14, show_default=True, help="Length of the deadline.")
@click.option(
    "--move/--no-move",
    default=True,
    show_default=True,
    help="Move a deadline on a non-banking day to the next banking day.",
)
@click.pass_context
def deadline(ctx: click.Context, sent: str, days: int, move: bool) -> None:
    """The deadline a letter sent on --sent gives, and why."""
    result = letter_deadline(parse_date(sent, "sent"), days, move=move)
    data = {
        "sent": result.sent,
        "days": result.days,
        "unadjusted": result.unadjusted,
        "deadline": result.deadline,
        "moved": result.moved,
        "reason": result.reason,
    }
    globals_of(ctx).printer.emit(data, f"deadline {result.deadline}: {result.reason}")


@law.command("rates")
@click.pass_context
def rates(ctx: click.Context) -> None:
    """Every rate table with validity, value, source and the confirmed flag."""
    book = _book(ctx)
    data = {"tables": [_table_data(t) for t in book.tables()]}
    parts = []
    for dated in book.tables():
        rows = [
            {
                "period": dated.label(row),
                "value": dated.display(row.value),
                "confirmed": row.confirmed,
                "source": row.source + (f" ({row.note})" if row.note else ""),
            }
            for row in dated.rows
        ]
        heading = f"{dated.name}: {dated.title}; by {dated.keyed_by}; holds {dated.validity}"
        columns = ["period", "value", "confirmed", "source"]
        parts.append(heading + "\n" + table(rows, columns, {"value"}))
    globals_of(ctx).printer.emit(data, "\n\n".join(parts))


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
