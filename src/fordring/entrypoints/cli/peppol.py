"""`fordring peppol lookup ORGNR`: can this receiver take EHF invoices? (SPEC D2)."""

from __future__ import annotations

import click

from fordring import bootstrap
from fordring.domain.peppol import (
    CREDIT_NOTE_DOCUMENT_TYPE,
    INVOICE_DOCUMENT_TYPE,
    parse_participant_id,
)
from fordring.entrypoints.cli.options import Globals, pass_globals, scope_of
from fordring.services.receivers import look_up


@click.group()
def peppol() -> None:
    """The Peppol network: who can receive EHF."""


@peppol.command("lookup")
@click.argument("participant")
@click.option("--fresh", is_flag=True, help="Ask the network even if the cache has an answer.")
@click.option("--credit-note", is_flag=True, help="Ask about credit notes, not invoices.")
@pass_globals
def lookup(g: Globals, participant: str, fresh: bool, credit_note: bool) -> None:
    """Ask the Peppol SML/SMP (or the offline list) whether PARTICIPANT (an orgnr or
    scheme:id, e.g. 0192:923456783) takes Peppol BIS Billing 3.0 invoices."""
    receiver = look_up(
        parse_participant_id(participant),
        bootstrap.receiver_lookup(),
        scope_of(g),
        g.app.uow_factory,
        bootstrap.now(),
        document_type=CREDIT_NOTE_DOCUMENT_TYPE if credit_note else INVOICE_DOCUMENT_TYPE,
        fresh=fresh,
    )
    what = "credit notes" if credit_note else "invoices"
    answer = f"takes EHF {what}" if receiver.can_receive else f"does not take EHF {what}"
    why = f": {receiver.reason}" if receiver.reason else ""
    smp = f" (SMP {receiver.smp_url})" if receiver.smp_url else ""
    g.printer.emit(
        {
            "participant": receiver.participant,
            "can_receive": receiver.can_receive,
            "source": receiver.source.value,
            "smp_url": receiver.smp_url,
            "reason": receiver.reason,
            "document_type": receiver.document_type,
            "checked_at": receiver.checked_at,
        },
        f"{receiver.participant} {answer}{why}{smp} "
        f"[{receiver.source}, {receiver.checked_at:%Y-%m-%d %H:%M}]",
    )


COMMANDS: list[click.Command] = [peppol]
