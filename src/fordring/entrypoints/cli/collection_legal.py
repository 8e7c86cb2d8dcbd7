"""`fordring collection legal`: hand a case in collection to legal collection and export the
claim for the conciliation board (forliksrådet) as JSON; the legal stage's letters (a new
demand, the notice of enforcement) and the limitation of a running case (issue 12)."""

from __future__ import annotations

import json

import click

from fordring import bootstrap
from fordring.domain.input_rules import parse_business_date
from fordring.entrypoints.cli.collection import collection
from fordring.entrypoints.cli.options import NUMBER, REASON, Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import jsonable
from fordring.entrypoints.cli.output_file import FORCE, output_target, write_output
from fordring.services.case_closing import LegalClaim, hand_to_legal
from fordring.services.legal_stage import ask_enforcement_notice, ask_new_demand
from fordring.services.limitation import interrupt_limitation


def claim_data(claim: LegalClaim) -> dict[str, object]:
    return {
        "case": claim.case_number,
        "day": claim.day,
        "creditor": _party(claim.creditor),
        "collector": _party(claim.collector) if claim.collector else None,
        "debtor": _party(claim.debtor) | {"business": claim.debtor_is_business},
        "invoices": [
            {
                "invoice": x.invoice_number,
                "description": x.description,
                "issue_date": x.issue_date,
                "due_date": x.due_date,
                "principal": x.principal,
            }
            for x in claim.lines
        ],
        "principal": claim.principal,
        "interest": {
            "rate_percent": str(claim.interest_rate),
            "from": claim.interest_from,
            "accrued": claim.interest,
        },
        "fees": claim.fees,
        "salaer": claim.salaer,
        "collection_costs": claim.demand_fee,  # inndrivingskostnader, as the export says
        "total": claim.total,
        "letters": [{"kind": k, "day": d, "deadline": dl} for k, d, dl in claim.letters],
        "payment_demand": claim.demand_date,
        "legal_steps_latest": claim.legal_steps_latest,
    }


def _party(p: object) -> dict[str, object]:
    fields = ("name", "street", "postcode", "city", "country", "orgnr", "email", "phone", "web")
    return {name: getattr(p, name) for name in fields}


@collection.command("legal")
@click.argument("number", type=NUMBER)
@click.option("-o", "--output", default=None, help="Where to write the claim (JSON).")
@click.option("--rates", default=None, help="TOML file with rates to add (FORDRING_RATES_FILE).")
@FORCE
@pass_globals
def legal(g: Globals, number: int, output: str | None, rates: str | None, force: bool) -> None:
    """Hand a case in collection to legal collection (inkassoloven § 11) and write the
    claim for the conciliation board: parties, invoices, interest, costs, letters."""
    # Checked first: a file that cannot be written refuses the hand-over itself.
    target = output_target(output or f"case-{number}-legal-claim.json", "output", force=force)
    claim = hand_to_legal(
        number,
        scope_of(g),
        g.app.uow_factory,
        bootstrap.rate_book(rates),
    )
    data = claim_data(claim)
    text = json.dumps(jsonable(data), ensure_ascii=False, indent=2) + "\n"
    write_output(target, text.encode("utf-8"), "output", force=force)
    g.printer.emit(
        data | {"file": str(target)},
        f"Case {number} handed to legal collection; claim {claim.total} written to {target}",
    )


@collection.command("demand")
@click.argument("number", type=NUMBER)
@pass_globals
def demand(g: Globals, number: int) -> None:
    """A new payment demand for a case in collection whose last demand is more than 6
    months old (inkassoloven § 11): sent by the run, with a new deadline and no new salær."""
    status = ask_new_demand(number, scope_of(g), g.app.uow_factory)
    g.printer.emit(
        {"case": number, "state": status.state, "letter_asked_on": status.letter_asked_on},
        f"Case {number}: a new payment demand is sent by the next run",
    )


@collection.command("legal-notice")
@click.argument("number", type=NUMBER)
@pass_globals
def legal_notice(g: Globals, number: int) -> None:
    """The notice of enforcement (varsel om tvangsfullbyrdelse, tvangsfullbyrdelsesloven
    § 4-18) for a case in legal collection: sent by the run, with 14 days to pay."""
    status = ask_enforcement_notice(number, scope_of(g), g.app.uow_factory)
    g.printer.emit(
        {"case": number, "state": status.state, "letter_asked_on": status.letter_asked_on},
        f"Case {number}: the notice of enforcement is sent by the next run",
    )


@collection.command("limitation-interrupted")
@click.argument("number", type=NUMBER)
@click.argument("day")
@click.option(
    "--reason", type=REASON, default="", help="How it was interrupted; kept in the history."
)
@pass_globals
def limitation_interrupted(g: Globals, number: int, day: str, reason: str) -> None:
    """The limitation of an open case's claims was interrupted on DAY (YYYY-MM-DD), e.g. by
    the debtor's acknowledgement (foreldelsesloven §§ 14-17): a new 3-year period runs."""
    last = interrupt_limitation(
        number,
        parse_business_date(day, "interrupted"),
        reason,
        scope_of(g),
        g.app.uow_factory,
    )
    g.printer.emit(
        {"case": number, "interrupted": day, "limitation_last_day": last},
        f"Case {number}: the claims are time-barred after {last}",
    )


COMMANDS: list[click.Command] = []  # registered on the collection group above
