"""Sending invoices to collection (C2, C3): which open invoices are eligible (or every
reason why not), the creditor's sending of them, and the daily run's automatic sending
when the agreement says so. The cases themselves are opened by case_opening."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.eligibility import Facts, Reason, reasons
from fordring.domain.collection.registration import NewCase
from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.invoices import InvoiceKind
from fordring.services.case_opening import open_cases
from fordring.services.collection_agreement import agreement_of
from fordring.services.ports import (
    CaseSummary,
    InvoiceForCollection,
    UnitOfWork,
    UnitOfWorkFactory,
)
from fordring.services.scope import Actor, Scope


@dataclass(frozen=True, slots=True)
class Eligibility:
    invoice: InvoiceForCollection
    reasons: list[Reason]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _facts(
    item: InvoiceForCollection,
    agreement: Agreement,
    today: date,
    limitation_interrupted: date | None = None,
) -> Facts:
    return Facts(
        invoice_number=item.number,
        is_credit_note=item.kind == InvoiceKind.CREDIT_NOTE.value,
        currency=item.currency,
        due_date=item.due_date,
        total=item.total_nok,
        open_amount=item.open_amount,
        kid=item.kid,
        invoice_exempt=item.invoice_exempt,
        voucher_mapping=item.voucher_collection,
        customer_is_business=item.customer_kind == "business",
        customer_orgnr=item.customer_orgnr,
        customer_address_complete=item.customer_address_complete,
        customer_exempt=item.customer_exempt,
        in_collection=item.case_number is not None,
        agreement=agreement,
        today=today,
        limitation_interrupted_on=limitation_interrupted,
    )


def _assess(
    uow: UnitOfWork,
    numbers: Sequence[int] | None,
    today: date,
    limitation_interrupted: date | None = None,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[Eligibility]:
    agreement = agreement_of(uow)
    found = uow.collection.invoices(numbers, after=after, limit=limit)
    if numbers is not None:
        missing = sorted(set(numbers) - {item.number for item in found})
        if missing:
            raise InvalidInput(
                Problem("invoice", f"no invoice number {n}", code="not_found") for n in missing
            )
    if limitation_interrupted is not None:
        _check_interruption(found, limitation_interrupted, today)
    return [
        Eligibility(item, reasons(_facts(item, agreement, today, limitation_interrupted)))
        for item in found
    ]


def _check_interruption(
    found: Sequence[InvoiceForCollection], interrupted: date, today: date
) -> None:
    """The day the limitation was interrupted lies between the due date and today."""
    if interrupted > today:
        raise InvalidInput.one("limitation-interrupted", f"{interrupted} is after today ({today})")
    early = [i for i in found if i.due_date is not None and interrupted < i.due_date]
    if early:
        raise InvalidInput(
            Problem(
                "limitation-interrupted",
                f"{interrupted} is before invoice {i.number}'s due date {i.due_date}",
            )
            for i in early
        )


def check_eligibility(
    numbers: Sequence[int] | None,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[Eligibility]:
    """For the invoices given (or every open invoice by number: those after `after`, at
    most `limit`): eligible, or every reason why not."""
    with uow_factory(scope) as uow:
        return _assess(uow, numbers or None, scope.business_date, after=after, limit=limit)


@dataclass(frozen=True, slots=True)
class SendResult:
    cases: list[CaseSummary]
    skipped: list[Eligibility]  # with --all-eligible: open invoices that were not eligible


def send_to_collection(
    numbers: Sequence[int] | None,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    limitation_interrupted: date | None = None,
) -> SendResult:
    """Open cases for the invoices given (all must be eligible), or for every eligible one.
    `limitation_interrupted`: the creditor states the limitation of these invoices was
    interrupted that day (foreldelsesloven §§ 14-17); a new 3-year period runs from it."""
    if limitation_interrupted is not None and not numbers:
        raise InvalidInput.one("limitation-interrupted", "give the invoice numbers it is for")
    with uow_factory(scope) as uow:
        company = uow.company.current()
        assessed = _assess(uow, numbers or None, scope.business_date, limitation_interrupted)
        if numbers:
            refused = [e for e in assessed if not e.eligible]
            if refused:
                raise InvalidInput(
                    Problem("invoice", f"{e.invoice.number}: {r.text} ({r.code})")
                    for e in refused
                    for r in e.reasons
                )
        eligible = [e.invoice for e in assessed if e.eligible]
        if not eligible:
            return SendResult([], [e for e in assessed if not e.eligible])
        cases = open_cases(uow, company, eligible, scope.business_date, scope.actor)
        if limitation_interrupted is not None:
            uow.collection.set_limitation_interrupted(
                [i.invoice_id for i in eligible], limitation_interrupted
            )
        uow.commit()
        summaries = [uow.collection.case(case.number) for case in cases]
    return SendResult(
        [s for s in summaries if s is not None], [e for e in assessed if not e.eligible]
    )


def send_eligible(uow: UnitOfWork, company: Company, today: date, actor: Actor) -> list[NewCase]:
    """Automatic sending (the daily run, when the agreement says so): every eligible invoice."""
    eligible = [e.invoice for e in _assess(uow, None, today) if e.eligible]
    if not eligible:
        return []
    return open_cases(
        uow, company, eligible, today, actor, "Sent to collection automatically", taken="skip"
    )
