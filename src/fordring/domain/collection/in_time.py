"""A payment in time (inkassoloven § 9 (2), § 17): money the bank received by the
collection notice's deadline that covers what the notice asked makes a later hand-over
unlawful; which hand-over that is, and whether the money covered the notice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.collection.case_facts import CaseFacts, SentLetter
from fordring.domain.collection.letters import LetterKind
from fordring.domain.collection.states import CaseState
from fordring.domain.law.salaer import heavy_salaer_from


def handover_after(f: CaseFacts, paid_on: date) -> tuple[SentLetter, SentLetter] | None:
    """(the collection notice, the payment demand) when the case was handed over after the
    notice's deadline and a payment received on `paid_on` came by that deadline; else None."""
    if f.status.state is not CaseState.IN_COLLECTION:
        return None
    notice = f.last_letter(LetterKind.COLLECTION_NOTICE)
    demand = f.last_letter(LetterKind.PAYMENT_DEMAND)
    if notice is None or notice.deadline is None or demand is None:
        return None
    if demand.day <= notice.deadline or paid_on > notice.deadline:
        return None
    return notice, demand


def notice_covered(principal: Decimal, fees: Decimal, received: Decimal, credited: Decimal) -> bool:
    """Whether the money received by the notice's deadline (with credit notes) covers what
    the notice asked: the claims' principal and the fees charged up to the notice. Interest
    accrued is not required (docs/law.md, "Payment in time"): the notice's amount to pay
    was principal and fee, and interest left follows with an interest note."""
    return received + credited >= principal + fees


def heavy_may_be_undone(f: CaseFacts, paid_on: date) -> bool:
    """Whether a payment received on `paid_on` came before the case's heavy-salær day (the
    demand's deadline exceeded by more than 28 days): heavy salær charged on or after that
    day may then not have been owed."""
    demand = f.last_letter(LetterKind.PAYMENT_DEMAND)
    if f.status.state is not CaseState.IN_COLLECTION or demand is None or not demand.deadline:
        return False
    return paid_on < heavy_salaer_from(demand.deadline)


def principal_covered(
    principal: Decimal, costs: Decimal, received: Decimal, credited: Decimal
) -> bool:
    """Whether the money received before the heavy-salær day (with credit notes) covers the
    principal and what the order in collection puts before it: the costs charged before
    that day (fees, light salær) and the interest accrued up to the payment."""
    return received + credited >= principal + costs
