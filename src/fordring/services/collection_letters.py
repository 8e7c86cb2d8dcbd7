"""Turning a step's action into the letter the debtor receives (SPEC D4, DOMAIN.md § 2).

The payment demand shows each invoice's late interest up to the letter's date, with the
rate and the day it runs from (inkassoloven § 10 (2)); the interest note shows, per
invoice, the interest on each amount paid late, period by period (DOMAIN.md § 6).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, PayTo
from fordring.domain.collection.case import CaseStatus
from fordring.domain.collection.claim_interest import claim_interest, interest_from
from fordring.domain.collection.letters import (
    InterestPeriod,
    Language,
    Letter,
    LetterItem,
    LetterKind,
    Party,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import Action, CaseFacts, ChargeKind, Claim
from fordring.domain.company import Company
from fordring.domain.law.interest import late_interest
from fordring.domain.law.tables import RateBook
from fordring.services.ports import CaseDetails, CaseInvoiceDetails

SHOWS_INTEREST = (
    LetterKind.PAYMENT_DEMAND,
    LetterKind.INTEREST_NOTE,
    LetterKind.ENFORCEMENT_NOTICE,
)
HANDED_OVER = (CaseState.IN_COLLECTION, CaseState.LEGAL)


def creditor_party(company: Company) -> Party:
    a = company.address
    return Party(
        company.name, a.street, a.postcode, a.city, a.country, company.orgnr, company.email
    )


def by_collector(agreement: Agreement, kind: LetterKind, status: CaseStatus) -> bool:
    """Whether the licensed collector the agreement names sends the letter: the payment
    demand (the hand-over itself) and every later letter of a handed-over case. Before the
    hand-over the creditor collects its own claim, and writes its own letters."""
    if not agreement.collector_name:
        return False
    if kind is LetterKind.PAYMENT_DEMAND:
        return True
    return kind in SHOWS_INTEREST and (
        status.state in HANDED_OVER or status.resume_state in HANDED_OVER
    )


def collector_party(
    company: Company, agreement: Agreement, kind: LetterKind, status: CaseStatus
) -> Party:
    """Who collects: the licensed collector once the case is handed over (see
    `by_collector`), else the creditor itself."""
    if by_collector(agreement, kind, status):
        return Party(agreement.collector_name, orgnr=agreement.collector_orgnr or None)
    return creditor_party(company)


def interest_periods(claim: Claim, book: RateBook) -> tuple[InterestPeriod, ...]:
    """Each half-year period of interest on each amount paid late on `claim`."""
    periods: list[InterestPeriod] = []
    for paid_on, amount in claim.reductions:
        for p in late_interest(amount, claim.due_date, paid_on, book).periods:
            periods.append(InterestPeriod(p.start, p.end, p.days, p.percent, p.amount))
    return tuple(periods)


def build_letter(
    action: Action,
    facts: CaseFacts,
    details: CaseDetails,
    company: Company,
    agreement: Agreement,
    day: date,
    book: RateBook,
) -> Letter:
    """The letter of `action`: every invoice of the case with its principal, fees and (on a
    payment demand or interest note) late interest."""
    assert action.letter is not None
    kind = action.letter
    new_fees = {invoice_id: d.amount for invoice_id, d in action.fees if d.allowed}
    for c in action.costs:  # standard compensation shows with the fees (issue 12, law)
        if c.kind is ChargeKind.COMPENSATION:
            new_fees[c.invoice_id] = new_fees.get(c.invoice_id, Decimal(0)) + c.amount
    new_interest = {c.invoice_id: c.amount for c in action.costs if c.kind is ChargeKind.INTEREST}
    claims = {c.invoice_id: c for c in facts.claims}
    items: list[LetterItem] = []
    periods: tuple[InterestPeriod, ...] = ()
    for i in details.invoices:
        claim = claims.get(i.invoice_id)
        fee = i.fees_charged + new_fees.get(i.invoice_id, Decimal(0))
        if kind is LetterKind.INTEREST_NOTE:
            interest = new_interest.get(i.invoice_id, Decimal(0))
            if interest <= 0 or claim is None:
                continue
            periods += interest_periods(claim, book)
            items.append(_item(i, fee, interest, book.forsinkelsesrente.at(day).value))
        elif i.open_amount > 0:
            if kind in SHOWS_INTEREST and claim is not None:
                interest = claim_interest(claim, day, book)
                rate = book.forsinkelsesrente.at(day).value
                items.append(_item(i, fee, interest, rate))
            else:
                items.append(_item(i, fee, Decimal(0), None))
    salaer = facts.charged_of(ChargeKind.SALAER) + sum(
        (c.amount for c in action.costs if c.kind is ChargeKind.SALAER), Decimal(0)
    )
    account = (
        agreement.client_account if agreement.pay_to is PayTo.CLIENT_ACCOUNT else company.account
    )
    return Letter(
        kind=kind,
        language=Language(details.language),
        letter_date=day,
        deadline=action.deadline.deadline if action.deadline else None,
        creditor=creditor_party(company),
        collector=collector_party(company, agreement, kind, facts.status),
        debtor=details.debtor,
        case_number=str(details.number),
        items=tuple(items),
        account=account,
        kid=details.kid,
        fee_this_letter=action.charge_total,
        salaer=salaer,
        interest_periods=periods,
        licensed_collector=by_collector(agreement, kind, facts.status),
        merged_cases=tuple(str(number) for number in action.merged),
    )


def _item(
    i: CaseInvoiceDetails, fee: Decimal, interest: Decimal, rate: Decimal | None
) -> LetterItem:
    return LetterItem(
        invoice_number=i.number,
        description=i.description,
        issue_date=i.issue_date,
        due_date=i.due_date,
        original_amount=i.total_nok,
        principal=i.open_amount,
        fee=fee,
        interest=interest,
        interest_from=interest_from(i.due_date) if rate is not None else None,
        interest_rate=rate,
    )
