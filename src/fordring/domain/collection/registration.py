"""Sending invoices to collection (SPEC C3, C5): which invoices form one case, its KID.

With consolidated notices on, all of one debtor's invoices sent the same day form one case
(one notice, one amount, one KID); each invoice keeps its own legal state. A case KID is
one digit longer than the company's invoice KIDs, so the two can never be confused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fordring.domain.collection.agreement import Agreement, PayTo
from fordring.domain.company import KidPolicy


@dataclass(frozen=True, slots=True)
class SentInvoice:
    invoice_id: int
    customer_id: int
    kid: str


@dataclass(frozen=True, slots=True)
class NewCase:
    number: int
    customer_id: int
    invoice_ids: tuple[int, ...]
    kid: str


def case_kid(case_number: int, policy: KidPolicy) -> str:
    return policy.case_kid(case_number)


def new_cases(
    invoices: Sequence[SentInvoice], agreement: Agreement, policy: KidPolicy, first_number: int
) -> list[NewCase]:
    """The cases `invoices` make, numbered from `first_number` in the order given."""
    groups: dict[int, list[SentInvoice]] = {}
    if agreement.consolidated:
        for invoice in invoices:
            groups.setdefault(invoice.customer_id, []).append(invoice)
        batches = list(groups.values())
    else:
        batches = [[invoice] for invoice in invoices]
    cases = []
    for offset, batch in enumerate(batches):
        number = first_number + offset
        own_kid = agreement.pay_to is PayTo.CREDITOR and len(batch) == 1
        kid = batch[0].kid if own_kid else case_kid(number, policy)
        cases.append(NewCase(number, batch[0].customer_id, tuple(i.invoice_id for i in batch), kid))
    return cases
