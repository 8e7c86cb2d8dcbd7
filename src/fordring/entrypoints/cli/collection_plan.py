"""`fordring collection plan propose|decide|break|show|waiting`: payment plans
(nedbetalingsavtale) and deferrals (betalingsutsettelse) of cases (issue 19)."""

from __future__ import annotations

from decimal import Decimal

import click

from fordring import bootstrap
from fordring.domain.collection.plan_input import parse_proposal
from fordring.entrypoints.cli.collection import collection
from fordring.entrypoints.cli.options import NUMBER, REASON, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.plan_output import plan_data, plan_text
from fordring.services.payment_plans import SHOWN, PlanAnswer, propose_plan
from fordring.services.plan_decisions import break_plan, decide_plan, plans_of_case, waiting_plans


def _answer(g: Globals, answer: PlanAnswer) -> None:
    data = plan_data(answer.plan) | {
        "outcome": answer.decision.outcome,
        "repeated": answer.repeated,
    }
    g.printer.emit(data, f"{answer.decision.outcome}: " + plan_text(answer.plan))


@collection.group("plan")
def plan() -> None:
    """Payment plans (nedbetalingsavtale) and deferrals (betalingsutsettelse) of cases."""


@plan.command("propose")
@click.argument("number", type=NUMBER)
@click.option("--instalments", "count", default=None, help="The number of instalments.")
@click.option("--amount", default=None, help="Each instalment's amount (kroner).")
@click.option("--first", "first", default=None, help="The first instalment's day (YYYY-MM-DD).")
@click.option("--deferral", default=None, help="A deferral: everything on this day instead.")
@click.option(
    "--debtor-told",
    is_flag=True,
    help="The debtor was told the § 2-4 addition before agreeing; without it none is charged.",
)
@click.option("--rates", default=None, help="TOML file with rates to add (FORDRING_RATES_FILE).")
@pass_globals
def propose(
    g: Globals,
    number: int,
    count: str | None,
    amount: str | None,
    first: str | None,
    deferral: str | None,
    debtor_told: bool,
    rates: str | None,
) -> None:
    """Propose a plan for the debtor of case NUMBER: accepted at once inside the agreement's
    limits (plan_automatic, plan_max_months, plan_min_instalment, deferral_max_days), else
    left for `plan decide`. The payment-plan addition only with --debtor-told."""
    proposal = (
        parse_proposal("deferral", deferral)
        if deferral is not None
        else parse_proposal("instalments", first or "", count, amount)
    )
    told = SHOWN if debtor_told else Decimal(0)
    book = bootstrap.rate_book(rates)
    answer = propose_plan(
        number, proposal, scope_of(g), g.app.uow_factory, book, told, pin_key=g.app.debtor_pin_key
    )
    _answer(g, answer)


@plan.command("decide")
@click.argument("number", type=NUMBER)
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@click.option("--reason", type=REASON, default="", help="Why; kept in the case history.")
@click.option("--rates", default=None, help="TOML file with rates to add (FORDRING_RATES_FILE).")
@pass_globals
def decide(g: Globals, number: int, decision: str, reason: str, rates: str | None) -> None:
    """Accept or reject the plan waiting on case NUMBER."""
    answer = decide_plan(
        number,
        decision == "accept",
        reason,
        scope_of(g),
        g.app.uow_factory,
        bootstrap.rate_book(rates),
        pin_key=g.app.debtor_pin_key,
    )
    _answer(g, answer)


@plan.command("break")
@click.argument("number", type=NUMBER)
@click.option("--reason", type=REASON, default="", help="Why; kept in the case history.")
@pass_globals
def break_(g: Globals, number: int, reason: str) -> None:
    """End the running plan of case NUMBER: the case resumes its steps where it stood."""
    ended = break_plan(number, reason, scope_of(g), g.app.uow_factory)
    g.printer.emit(plan_data(ended), plan_text(ended))


@plan.command("show")
@click.argument("number", type=NUMBER)
@pass_globals
def show(g: Globals, number: int) -> None:
    """The plans of case NUMBER, the newest first."""
    found = plans_of_case(number, scope_of(g), g.app.uow_factory)
    g.printer.emit([plan_data(p) for p in found], "\n\n".join(plan_text(p) for p in found))


@plan.command("waiting")
@pass_globals
def waiting(g: Globals) -> None:
    """The proposals waiting for the creditor's decision."""
    found = waiting_plans(scope_of(g), g.app.uow_factory)
    g.printer.emit([plan_data(p) for p in found], "\n\n".join(plan_text(p) for p in found))
