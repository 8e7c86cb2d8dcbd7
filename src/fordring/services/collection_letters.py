"""Turning a step's action into the letter the debtor receives (SPEC D4, DOMAIN.md § 2).

The payment demand shows each invoice's late interest up to the letter's date, period by
period with each half-year's rate (inkassoloven § 10 (2) d), and what a day adds; the
interest note shows, per invoice, the interest on each amount paid late, period by period
(DOMAIN.md § 6). Every letter asks for what is open on its day, never for what was once
charged and has been paid (docs/letters.md).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, PayTo
from fordring.domain.collection.case_facts import Action, CaseFacts, ChargeKind, Claim
from fordring.domain.collection.claim_interest import (
    claim_interest,
    interest_from,
    interest_per_day,
)
from fordring.domain.collection.letters import (
    PLAN_LETTERS,
    InterestPeriod,
    Letter,
    LetterItem,
    LetterKind,
    Party,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.collection.steps import salaer
from fordring.domain.company import Company
from fordring.domain.law.interest import late_interest
from fordring.domain.law.salaer import SalaerLevel, heavy_salaer_from
from fordring.domain.law.tables import MissingRate, RateBook
from fordring.services.ports import CaseDetails, CaseInvoiceDetails

SHOWS_INTEREST = (
    LetterKind.PAYMENT_DEMAND,
    LetterKind.INTEREST_NOTE,
    LetterKind.ENFORCEMENT_NOTICE,
)
# The letters that tell the rate of late interest: the notice says it runs (issue 12).
SHOWS_RATE = (LetterKind.COLLECTION_NOTICE, *SHOWS_INTEREST)
# The letters a handed-over case's collector sends (the demand of the hand-over: below).
COLLECTOR_SENDS = (*SHOWS_INTEREST, *PLAN_LETTERS)
HANDED_OVER = (CaseState.IN_COLLECTION, CaseState.LEGAL)


def creditor_party(company: Company) -> Party:
    a = company.address
    return Party(
        company.name, a.street, a.postcode, a.city, a.country, company.orgnr, company.email
    )


def sender_collector(agreement: Agreement, kind: LetterKind, facts: CaseFacts) -> str:
    """The licensed collector that sends the letter ("" when the creditor does): the
    agreement's collector for the payment demand of the hand-over itself; for every later
    letter of a handed-over case, the collector recorded on the case at its hand-over, so a
    collector named in the agreement later never writes about older cases (issue 12).
    Before the hand-over the creditor collects its own claim, and writes its own letters."""
    status = facts.status
    handed_over = status.state in HANDED_OVER or status.resume_state in HANDED_OVER
    if kind is LetterKind.PAYMENT_DEMAND and not handed_over:
        return agreement.collector_name
    if kind not in COLLECTOR_SENDS or not handed_over:
        return ""
    # None: handed over in own collection (migration 0008 recorded the collector of every
    # case charged salær before the collector was recorded at hand-over).
    return facts.collector_name or ""


def by_collector(agreement: Agreement, kind: LetterKind, facts: CaseFacts) -> bool:
    """Whether a licensed collector sends the letter (see `sender_collector`)."""
    return bool(sender_collector(agreement, kind, facts))


def collector_party(
    company: Company, agreement: Agreement, kind: LetterKind, facts: CaseFacts
) -> Party:
    """Who collects: the licensed collector once the case is handed over (see
    `sender_collector`), else the creditor itself."""
    name = sender_collector(agreement, kind, facts)
    return collector_named(agreement, name) if name else creditor_party(company)


def collector_named(agreement: Agreement, name: str) -> Party:
    """The collector `name`, with the agreement's address and contacts while the agreement
    still names it; else (a collector the agreement no longer names) its name only."""
    return collector_of(agreement) if name == agreement.collector_name else Party(name)


def collector_of(agreement: Agreement) -> Party:
    """The licensed collector the agreement names, with its address and contacts."""
    a = agreement
    return Party(
        a.collector_name,
        a.collector_street,
        a.collector_postcode,
        a.collector_city,
        orgnr=a.collector_orgnr or None,
        email=a.collector_email,
        phone=a.collector_phone,
        web=a.collector_web,
    )


def interest_periods(
    claim: Claim, book: RateBook, number: int | None = None
) -> tuple[InterestPeriod, ...]:
    """Each half-year period of interest on each amount paid late on `claim`."""
    periods: list[InterestPeriod] = []
    for paid_on, amount in claim.reductions:
        periods += _periods(amount, claim.due_date, paid_on, book, number)
    return tuple(periods)


def accrued_periods(
    claim: Claim, until: date, book: RateBook, number: int | None = None
) -> tuple[InterestPeriod, ...]:
    """Each half-year period of the interest `claim_interest(claim, until)` adds up: on
    each amount paid (up to its day) and on the open principal (up to `until`)."""
    periods: list[InterestPeriod] = []
    for paid_on, amount in claim.reductions:
        if amount > 0:
            periods += _periods(amount, claim.due_date, min(paid_on, until), book, number)
    periods += _periods(claim.principal, claim.due_date, until, book, number)
    return tuple(periods)


def _periods(
    amount: Decimal, due: date, until: date, book: RateBook, number: int | None
) -> list[InterestPeriod]:
    return [
        InterestPeriod(p.start, p.end, p.days, p.percent, p.amount, number, amount)
        for p in late_interest(amount, due, until, book).periods
    ]


def build_letter(
    action: Action,
    facts: CaseFacts,
    details: CaseDetails,
    company: Company,
    agreement: Agreement,
    day: date,
    book: RateBook,
) -> Letter:
    """The letter of `action`: every invoice of the case with what is open of it on `day`
    (principal, fees, the creditor's own demand fee) and, on a payment demand or interest
    note, late interest period by period; a notice tells the interest it does not claim."""
    assert action.letter_kind is not None
    kind = action.letter_kind
    new_fees = {invoice_id: d.amount for invoice_id, d in action.fees if d.allowed}
    for c in action.other_charges:  # standard compensation shows with the fees (issue 12, law)
        if c.kind is ChargeKind.COMPENSATION:
            new_fees[c.invoice_id] = new_fees.get(c.invoice_id, Decimal(0)) + c.amount
    new_interest = {
        c.invoice_id: c.amount for c in action.other_charges if c.kind is ChargeKind.INTEREST
    }
    # The creditor's own demand fee is a collection cost, not a fee (forskriften § 1-2 (3)).
    own_demand = kind is LetterKind.PAYMENT_DEMAND
    claims = {c.invoice_id: c for c in facts.claims}
    items: list[LetterItem] = []
    periods: tuple[InterestPeriod, ...] = ()
    accrued = Decimal(0)
    rate = _rate(kind, day, book)
    for i in details.invoices:
        claim = claims.get(i.invoice_id)
        new_fee = new_fees.get(i.invoice_id, Decimal(0))
        fee = i.fees_open + (Decimal(0) if own_demand else new_fee)
        demand_fee = i.demand_fee_open + (new_fee if own_demand else Decimal(0))
        # What was open at the end of the day (a replay does not see later payments).
        principal = claim.principal if claim is not None else i.open_amount
        if kind is LetterKind.INTEREST_NOTE:
            interest = new_interest.get(i.invoice_id, Decimal(0))
            if interest <= 0 or claim is None:
                continue
            periods += interest_periods(claim, book, i.number)
            items.append(letter_item(i, principal, fee, demand_fee, interest, rate))
        elif principal > 0:
            interest = Decimal(0)
            if claim is not None and rate is not None:
                earned = claim_interest(claim, day, book)
                if kind in SHOWS_INTEREST:
                    interest = earned
                    periods += accrued_periods(claim, day, book, i.number)
                else:
                    accrued += earned
            items.append(letter_item(i, principal, fee, demand_fee, interest, rate))
    salaer_open = details.salaer_open + sum(
        (c.amount for c in action.other_charges if c.kind is ChargeKind.SALAER), Decimal(0)
    )
    client = agreement.pay_to is PayTo.CLIENT_ACCOUNT
    per_day = Decimal(0)
    if rate is not None and kind is not LetterKind.INTEREST_NOTE:
        open_principal = sum((item.principal for item in items), Decimal(0))
        per_day = interest_per_day(open_principal, day, book)
    deadline = action.deadline.deadline if action.deadline else None
    heavy, heavy_from = Decimal(0), None
    collector = by_collector(agreement, kind, facts)
    if kind is LetterKind.PAYMENT_DEMAND and salaer_open > 0 and deadline and collector:
        heavy, _ = salaer(facts, day, SalaerLevel.HEAVY, book, agreement)
        heavy_from = heavy_salaer_from(deadline)
    return Letter(
        kind=kind,
        language=details.language,
        letter_date=day,
        deadline=deadline,
        creditor=creditor_party(company),
        collector=collector_party(company, agreement, kind, facts),
        debtor=details.debtor,
        case_number=str(details.number),
        items=tuple(items),
        account=agreement.client_account if client else company.account,
        kid=details.kid,
        fee_this_letter=action.fee_total,
        compensation_this_letter=sum(
            (c.amount for c in action.other_charges if c.kind is ChargeKind.COMPENSATION),
            Decimal(0),
        ),
        salaer=salaer_open,
        interest_periods=periods,
        licensed_collector=collector,
        merged_cases=tuple(str(number) for number in action.merged),
        account_holder=agreement.collector_name if client else company.name,
        client_account=client,
        interest_accrued=accrued,
        interest_per_day=per_day,
        heavy_salaer=heavy if heavy > salaer_open else Decimal(0),
        heavy_salaer_from=heavy_from if heavy > salaer_open else None,
    )


def _rate(kind: LetterKind, day: date, book: RateBook) -> Decimal | None:
    """The rate of late interest on `day` for a letter that tells it. A notice, which
    charges no interest, is sent without the interest lines when the rate is not yet in
    the tables; a demand or interest note needs it (MissingRate)."""
    if kind not in SHOWS_RATE:
        return None
    try:
        return book.forsinkelsesrente.at(day).value
    except MissingRate:
        if kind is LetterKind.COLLECTION_NOTICE:
            return None
        raise


def letter_item(
    i: CaseInvoiceDetails,
    principal: Decimal,
    fee: Decimal,
    demand_fee: Decimal,
    interest: Decimal,
    rate: Decimal | None,
) -> LetterItem:
    """A case's invoice as a letter's line: what it says is owed of it; with `rate`, the
    interest's rate and the day it runs from (None: the interest is booked, no rate)."""
    return LetterItem(
        invoice_number=i.number,
        description=i.description,
        issue_date=i.issue_date,
        due_date=i.due_date,
        original_amount=i.total_nok,
        principal=principal,
        fee=fee,
        interest=interest,
        interest_from=interest_from(i.due_date) if rate is not None else None,
        interest_rate=rate,
        demand_fee=demand_fee,
    )
