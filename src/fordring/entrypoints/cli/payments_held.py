"""`fordring payments held | release | drop`: the look-alikes a bank file held for a person
(services/held_payments.py): a payment like one booked before, booked only if released."""

from __future__ import annotations

from typing import Any

import click

from fordring import bootstrap
from fordring.entrypoints.cli.options import Globals, pass_globals, scope_of
from fordring.entrypoints.cli.output import table
from fordring.entrypoints.cli.payments import RATES, payments
from fordring.services.held_payments import drop_held, list_held, release_held
from fordring.services.ports import HeldPayment


def _view(h: HeldPayment) -> dict[str, Any]:
    return {
        "held": h.number,
        "received": h.received_on,
        "channel": h.channel,
        "amount": h.amount,
        "kid": h.kid,
        "payer_account": h.payer_account,
        "archive_ref": h.archive_ref,
        "place": h.place,
        "like_payment": h.like_payment,
        "reason": h.reason,
        "status": h.status,
        "decided_on": h.decided_on,
        "payment": h.payment_number,
    }


@payments.command("held")
@click.option("--all", "every", is_flag=True, help="Also those released or dropped.")
@click.option("--limit", type=int, default=200, show_default=True)
@pass_globals
def held(g: Globals, every: bool, limit: int) -> None:
    """Payments a bank file held because they look like payments booked before (the file
    sent again?): release the ones the payer really paid twice, drop the others."""
    rows = [
        _view(h)
        for h in list_held(scope_of(g), g.app.uow_factory, waiting_only=not every, limit=limit)
    ]
    columns = ["held", "received", "amount", "kid", "status", "reason"]
    human = (
        table(rows, columns, right={"held", "amount"})
        + "\n(fordring payments release HELD | payments drop HELD)"
        if rows
        else "No payments held."
    )
    g.printer.emit(rows, human)


@payments.command("release")
@click.argument("number", type=int)
@RATES
@pass_globals
def release(g: Globals, number: int, rates: str | None) -> None:
    """Book held payment NUMBER as its bank file would have: the payer paid twice."""
    done = release_held(
        scope_of(g),
        number,
        g.app.uow_factory,
        bootstrap.rate_book(rates),
    )
    g.printer.emit(
        _view(done), f"Held payment {number} released: booked as payment {done.payment_number}"
    )


@payments.command("drop")
@click.argument("number", type=int)
@pass_globals
def drop(g: Globals, number: int) -> None:
    """Drop held payment NUMBER: its bank file repeated a payment booked before."""
    done = drop_held(scope_of(g), number, g.app.uow_factory)
    g.printer.emit(_view(done), f"Held payment {number} dropped: nothing was booked")


COMMANDS: list[click.Command] = []  # the commands join the `payments` group above
