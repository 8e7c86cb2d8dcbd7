"""Turning a step's action into the letter the debtor receives (SPEC D4, DOMAIN.md § 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.collection.agreement import Agreement, PayTo
from fordring.domain.collection.letters import Language, Letter, LetterItem, Party
from fordring.domain.collection.steps import Action
from fordring.domain.company import Company
from fordring.services.ports import CaseDetails


def creditor_party(company: Company) -> Party:
    a = company.address
    return Party(
        company.name, a.street, a.postcode, a.city, a.country, company.orgnr, company.email
    )


def build_letter(
    action: Action, details: CaseDetails, company: Company, agreement: Agreement, day: date
) -> Letter:
    """The letter of `action`: every invoice of the case with its principal and fees.

    Late interest is not shown yet: it needs the half-year rate of the letter's date, which
    the operator supplies for the current half-year (docs/law.md); the payment demand and
    the interest note will carry it.
    """
    assert action.letter is not None
    fees = {invoice_id: d.amount for invoice_id, d in action.fees if d.allowed}
    items = tuple(
        LetterItem(
            invoice_number=i.number,
            description=i.description,
            issue_date=i.issue_date,
            due_date=i.due_date,
            original_amount=i.total_nok,
            principal=i.open_amount,
            fee=i.fees_charged + fees.get(i.invoice_id, Decimal(0)),
            interest=Decimal(0),
        )
        for i in details.invoices
        if i.open_amount > 0
    )
    creditor = creditor_party(company)
    account = (
        agreement.client_account if agreement.pay_to is PayTo.CLIENT_ACCOUNT else (company.account)
    )
    return Letter(
        kind=action.letter,
        language=Language(details.language),
        letter_date=day,
        deadline=action.deadline.deadline if action.deadline else None,
        creditor=creditor,
        collector=creditor,  # the creditor collects its own claims until hand-over
        debtor=details.debtor,
        case_number=str(details.number),
        items=items,
        account=account,
        kid=details.kid,
        fee_this_letter=action.fee_total,
    )
