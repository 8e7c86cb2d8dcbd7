"""`fordring collection agreement|check|send|cases|case`."""

from __future__ import annotations

from typing import Any

import click

from fordring import bootstrap
from fordring.domain.collection.agreement import as_settings, parse_settings
from fordring.domain.collection.states import CaseEvent, CaseState
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_business_date
from fordring.entrypoints.cli.options import NUMBER, REASON, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table, text
from fordring.entrypoints.cli.plan_output import plan_data, plan_text
from fordring.services.case_changes import change_case, message_case
from fordring.services.case_closing import uphold_objection
from fordring.services.case_views import list_cases, show_case
from fordring.services.collection_agreement import set_agreement, show_agreement
from fordring.services.collection_sending import check_eligibility, send_to_collection
from fordring.services.debtor_access import give_access
from fordring.services.list_approval import approve_cases, collection_list
from fordring.services.ports import CaseSummary


@click.group("collection")
def collection() -> None:
    """Collection: the agreement, eligibility, sending invoices, cases."""


@collection.group("agreement")
def agreement() -> None:
    """The collection agreement (innfordringsavtale) of the company."""


def _agreement_out(g: Globals, settings: dict[str, Any]) -> None:
    width = max(len(k) for k in settings)
    human = "\n".join(f"{k.ljust(width)}  {text(v)}" for k, v in settings.items())
    g.printer.emit(settings, human)


@agreement.command("show")
@pass_globals
def agreement_show(g: Globals) -> None:
    """Show every setting of the agreement (defaults included)."""
    found = show_agreement(scope_of(g), g.app.uow_factory)
    _agreement_out(g, as_settings(found))


@agreement.command("set")
@click.argument("settings", nargs=-1, required=True)
@pass_globals
def agreement_set(g: Globals, settings: tuple[str, ...]) -> None:
    """Change settings: KEY=VALUE … (all validated together; nothing changes on an error)."""
    pairs: dict[str, str] = {}
    problems = []
    for item in settings:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            problems.append(Problem("setting", f"{item!r} is not KEY=VALUE", code="not_key_value"))
        pairs[key.strip()] = value
    if problems:
        raise InvalidInput(problems)
    change = parse_settings(pairs)
    updated = set_agreement(change, scope_of(g), g.app.uow_factory)
    _agreement_out(g, as_settings(updated))


@collection.command("check")
@click.argument("numbers", nargs=-1, type=NUMBER)
@pass_globals
def check(g: Globals, numbers: tuple[int, ...]) -> None:
    """Can these invoices (default: every open one) go to collection, and if not, why?"""
    found = check_eligibility(list(numbers), scope_of(g), g.app.uow_factory)
    data = [
        {
            "invoice": e.invoice.number,
            "eligible": e.eligible,
            "reasons": [{"code": r.code, "text": r.text} for r in e.reasons],
        }
        for e in found
    ]
    lines = [
        f"{e.invoice.number:>8}  "
        + ("eligible" if e.eligible else "; ".join(f"{r.code}: {r.text}" for r in e.reasons))
        for e in found
    ]
    eligible = sum(1 for e in found if e.eligible)
    g.printer.emit(data, "\n".join([*lines, f"{eligible} of {len(found)} eligible"]))


def case_data(c: CaseSummary) -> dict[str, Any]:
    return {
        "case": c.number,
        "state": c.state,
        "customer": c.customer_number,
        "name": c.customer_name,
        "kid": c.kid,
        "registered_on": c.registered_on,
        "invoices": list(c.invoice_numbers),
        "principal": c.principal,
        "remaining": c.remaining,
        "merged_into": c.merged_into,  # issue 12: None unless merged into another case
        "held_reason": c.held_reason,  # issue 12: waiting for a rate the tables lack
        "held_on": c.held_on,
    }


def cases_text(found: list[CaseSummary]) -> str:
    rows = [case_data(c) | {"invoices": ",".join(map(str, c.invoice_numbers))} for c in found]
    columns = ["case", "state", "customer", "name", "kid", "invoices", "principal", "remaining"]
    held = [
        f"Case {c.number} waits since {c.held_on}: {c.held_reason}" for c in found if c.held_reason
    ]
    return "\n".join([table(rows, columns, right={"case", "principal", "remaining"}), *held])


@collection.command("send")
@click.argument("numbers", nargs=-1, type=NUMBER)
@click.option("--all-eligible", is_flag=True, help="Send every eligible open invoice.")
@click.option(
    "--limitation-interrupted",
    default=None,
    metavar="YYYY-MM-DD",
    help="The day the limitation of these invoices was interrupted (foreldelsesloven "
    "§§ 14-17): a new 3-year period runs from it.",
)
@pass_globals
def send(
    g: Globals, numbers: tuple[int, ...], all_eligible: bool, limitation_interrupted: str | None
) -> None:
    """Send invoices to collection: NUMBER … (each must be eligible) or --all-eligible."""
    if bool(numbers) == all_eligible:
        raise click.UsageError("give invoice numbers or --all-eligible (not both)")
    interrupted = None
    if limitation_interrupted is not None:
        interrupted = parse_business_date(limitation_interrupted, "limitation-interrupted")
    result = send_to_collection(
        list(numbers),
        scope_of(g),
        g.app.uow_factory,
        limitation_interrupted=interrupted,
    )
    data = {
        "cases": [case_data(c) for c in result.cases],
        "skipped": [
            {"invoice": e.invoice.number, "reasons": [r.code for r in e.reasons]}
            for e in result.skipped
        ],
    }
    human = f"{len(result.cases)} cases opened\n" + cases_text(result.cases)
    if result.skipped:
        human += f"\n{len(result.skipped)} open invoices not eligible (see collection check)"
    g.printer.emit(data, human)


@collection.command("cases")
@click.option("--state", type=click.Choice([s.value for s in CaseState]), default=None)
@pass_globals
def cases(g: Globals, state: str | None) -> None:
    """List collection cases."""
    found = list_cases(state, scope_of(g), g.app.uow_factory)
    g.printer.emit([case_data(c) for c in found], cases_text(found))


@collection.command("case")
@click.argument("number", type=NUMBER)
@click.option("--rates", default=None, help="TOML file with rates to add (FORDRING_RATES_FILE).")
@pass_globals
def case(g: Globals, number: int, rates: str | None) -> None:
    """Show a case: what is owed (principal, fees, salær, interest), invoices, history and
    letters, on the business date."""
    view = show_case(
        number,
        scope_of(g),
        g.app.uow_factory,
        bootstrap.rate_book(rates),
    )
    events = [
        {
            "day": e.day,
            "at": e.recorded_at,
            "actor": e.actor,
            "kind": e.kind,
            "text": e.text,
            "payload": dict(e.payload),
        }
        for e in view.history
    ]
    letters = [
        {
            "kind": x.kind,
            "day": x.day,
            "deadline": x.deadline,
            "charged": x.charged,
            "total": x.total,
            "pdf": x.location or None,
        }
        for x in view.letters
    ]
    owed = {
        "fees_open": view.fees_open,
        "salaer_open": view.salaer_open,
        "interest_open": view.interest_open,
        "interest_accrued": view.interest_accrued,
        "owed": view.owed,
    }
    reports = [
        {
            "paid_on": r.paid_on,
            "amount": r.amount,
            "reported_on": r.reported_on,
            "status": r.status.value,
            "hold_until": r.hold_until,
            "ended_on": r.ended_on,
            "note": r.note,
        }
        for r in view.reports
    ]
    held = f"\nSteps held until {view.held_until} (a payment the debtor reported)"
    accrued = "rate missing" if view.interest_accrued is None else text(view.interest_accrued)
    human = (
        cases_text([view.summary])
        + f"\nFees open {text(view.fees_open)}, salær open {text(view.salaer_open)}, interest "
        + f"open {text(view.interest_open)}, interest accrued {accrued}; "
        + f"owed in all {text(view.owed)}"
        + (held if view.held_until else "")
        + "\nLetters\n"
        + table(letters, ["day", "kind", "deadline", "charged", "total", "pdf"], right=set())
        + "\nHistory\n"
        + table(events, ["day", "actor", "kind", "text"], right=set())
        + (
            "\nPayments the debtor reported (not booked)\n"
            + table(
                reports, ["paid_on", "amount", "reported_on", "status", "hold_until"], {"amount"}
            )
            if reports
            else ""
        )
    )
    plans = [plan_data(p) for p in view.plans]
    if view.plans:
        human += "\nPayment plans\n" + "\n".join(plan_text(p) for p in view.plans)
    data = {"letters": letters, "history": events, "payment_reports": reports, "plans": plans}
    g.printer.emit(
        case_data(view.summary) | owed | data | {"steps_held_until": view.held_until}, human
    )


def _change(event: CaseEvent, help_text: str) -> click.Command:
    @click.argument("number", type=NUMBER)
    @click.option("--reason", type=REASON, default="", help="Why; kept in the case history.")
    @pass_globals
    def command(g: Globals, number: int, reason: str) -> None:
        status = change_case(
            number,
            event,
            reason,
            scope_of(g),
            g.app.uow_factory,
        ).status
        closes = status.closes_by_itself_on()
        data = {"case": number, "state": status.state, "closes_by_itself_on": closes}
        human = f"Case {number} is now {status.state}" + (
            f"; it closes by itself on {closes} unless resumed" if closes else ""
        )
        g.printer.emit(data, human)

    command.__doc__ = help_text
    return collection.command(event.value)(command)


_change(CaseEvent.PAUSE, "Pause a case (it closes by itself after 6 months unless resumed).")
_change(CaseEvent.RESUME, "Resume a paused case, or one whose objection is cleared.")
_change(CaseEvent.OBJECT, "Record the debtor's objection: no fees or steps until resumed.")
_change(CaseEvent.CLOSE, "Close the claim (stopped by the creditor).")


@collection.command("object-upheld")
@click.argument("number", type=NUMBER)
@click.option("--reason", type=REASON, default="", help="Why; kept in the case history.")
@pass_globals
def object_upheld(g: Globals, number: int, reason: str) -> None:
    """The debtor's objection is right: close the case, and cancel every cost the debtor
    was charged on it (inkassoloven § 17); the salær becomes the creditor's cost."""
    done = uphold_objection(
        number,
        reason,
        scope_of(g),
        g.app.uow_factory,
    )
    data = {
        "case": number,
        "state": done.status.state,
        "closed_reason": done.status.closed_reason,
        "cancelled": done.costs.cancelled,
        "creditor_owes_collector": done.costs.creditor_owes,
        "paid_costs_to_pay_back": done.paid_charges,
    }
    human = f"Case {number} is closed: objection upheld; {done.costs.text()}" + (
        f"; pay back {text(done.paid_charges)} of costs the debtor paid"
        if done.paid_charges
        else ""
    )
    g.printer.emit(data, human)


@collection.command("list")
@pass_globals
def list_(g: Globals) -> None:
    """The collection list: cases whose notice deadline has run out, waiting for hand-over."""
    found = collection_list(scope_of(g), g.app.uow_factory)
    rows: list[dict[str, Any]] = [
        {
            "case": int(line.case_number),
            "debtor": line.debtor,
            "invoices": list(line.invoice_numbers),
            "remaining": line.remaining,
            "notice_date": line.notice_date,
            "deadline": line.deadline,
            "list_sent_on": sent,
        }
        for line, sent in found
    ]
    shown = [r | {"invoices": ",".join(map(str, r["invoices"]))} for r in rows]
    columns = ["case", "debtor", "invoices", "remaining", "deadline", "list_sent_on"]
    g.printer.emit(rows, table(shown, columns, right={"case", "remaining"}))


@collection.command("approve")
@click.argument("numbers", nargs=-1, type=NUMBER)
@click.option("--all", "all_listed", is_flag=True, help="Every case on the list.")
@pass_globals
def approve(g: Globals, numbers: tuple[int, ...], all_listed: bool) -> None:
    """Hand cases on the collection list over to collection: NUMBER … or --all."""
    if bool(numbers) == all_listed:
        raise click.UsageError("give case numbers or --all (not both)")
    done = approve_cases(list(numbers), scope_of(g), g.app.uow_factory)
    g.printer.emit(
        {"approved": done.numbers, "handover_on": done.handover_on},
        f"{len(done.numbers)} cases approved for collection; the run of {done.handover_on} "
        "hands them over with the payment demand.",
    )


@collection.command("message")
@click.argument("number", type=NUMBER)
@click.argument("text", type=REASON)
@pass_globals
def message(g: Globals, number: int, text: str) -> None:
    """Send a message to the case handler (kept in the case history)."""
    message_case(number, text, scope_of(g), g.app.uow_factory)
    g.printer.emit({"case": number, "message": text}, f"Message added to case {number}.")


@collection.command("access")
@click.argument("number", type=NUMBER)
@pass_globals
def access(g: Globals, number: int) -> None:
    """Give the case's debtor a new code and PIN for the debtor's page (on the phone)."""
    app = g.app
    given = give_access(number, scope_of(g), app.uow_factory, bootstrap.now(), app.debtor_pin_key)
    where = bootstrap.debtor_page_address(app.settings)
    g.printer.emit(
        {"case": number, "address": where, "code": given.code, "pin": given.pin},
        f"Case {number}: {where}, access code {given.code}, PIN {given.pin}",
    )


COMMANDS: list[click.Command] = [collection]
