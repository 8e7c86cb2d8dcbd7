"""Opening collection cases for eligible invoices, by a person (`collection send`) or by the
daily run's automatic sending: locked and read again first, so an invoice is never put in
two cases when both act at once (issue 14; docs/design.md "Many hands at once")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from fordring.domain.collection import history as events
from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.collection.registration import NewCase, SentInvoice, new_cases
from fordring.domain.company import Company
from fordring.domain.errors import Conflict
from fordring.services.collector import register_client_kids, with_client_kids
from fordring.services.ports import InvoiceForCollection, UnitOfWork
from fordring.services.scope import Actor


def open_cases(
    uow: UnitOfWork,
    company: Company,
    eligible: Sequence[InvoiceForCollection],
    today: date,
    actor: Actor,
    note: str = "Sent to collection",
    *,
    taken: Literal["refuse", "skip"] = "refuse",
) -> list[NewCase]:
    """Open cases for eligible invoices (consolidated per debtor when the agreement says so).

    Eligibility was read before anything was locked: the invoices are locked now and read
    again, so one another transaction put in a case meanwhile (a person's `collection send`
    against the run's automatic sending) is never sent twice. The run skips it (`taken=
    "skip"`: its day goes on); a person is told (Conflict, nothing written)."""
    agreement = with_settings(Agreement(), uow.collection.settings())
    already = uow.collection.taken_for_cases([i.invoice_id for i in eligible])
    if already and taken == "refuse":
        named = [str(i.number) for i in eligible if i.invoice_id in already]
        raise Conflict(
            f"invoice{'s' if len(named) > 1 else ''} {', '.join(named)} was sent to "
            "collection by someone else (the daily run or another person) just now; "
            "nothing was written: see `collection cases`"
        )
    eligible = [i for i in eligible if i.invoice_id not in already]
    if not eligible:
        return []
    sent = [SentInvoice(i.invoice_id, i.customer_id, i.kid) for i in eligible]
    count = len(new_cases(sent, agreement, company.kid_policy, 1))  # numbers without gaps
    cases = new_cases(sent, agreement, company.kid_policy, uow.series.take("case", count))
    cases = with_client_kids(uow, agreement, cases)  # a collector's creditor (issue 13)
    ids = uow.collection.add_cases(cases, today)
    register_client_kids(uow, agreement, cases, ids)
    numbers = {i.invoice_id: i.number for i in eligible}
    uow.collection.add_event_rows(events.registered(ids, cases, numbers, note), today, str(actor))
    return cases
