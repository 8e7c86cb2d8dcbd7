"""See the invoice (issue 19, decision 0016): what a debtor signed in with an invoice's
code sees while the invoice has no collection case: the invoice, what is left of it and
where to pay it, and who sent it. Once the invoice is in a case the code and the session
lead to the case instead (services/debtor_claim.py). The scope is the visit's
(`entrypoints/web/debtor/visit.invoice_scope_of`): the invoice is always the visit's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.collection.letters import Party
from fordring.domain.errors import Forbidden, NotFound
from fordring.domain.money import DEFAULT_CURRENCY
from fordring.services.collection_letters import creditor_party
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import ActorKind, Scope, invoice_debtor


@dataclass(frozen=True, slots=True)
class DebtorInvoice:
    """An invoice as its debtor sees it before it has a case. What is left to pay is the
    open item's, always in NOK (the ledger's, what a KID payment is matched against); an
    invoice in another currency shows its total in that currency and in NOK as well
    (docs/design.md: "the ledger and the open item are in NOK")."""

    number: int
    issue_date: date
    due_date: date
    currency: str
    total: Decimal  # in the invoice's currency
    total_nok: Decimal  # the total in NOK as booked (the open item before any payment)
    exchange_rate: Decimal  # NOK per unit of `currency` (1 for NOK)
    open_amount: Decimal  # left to pay, in NOK (the open item's balance)
    account: str  # the creditor's account
    kid: str
    creditor: Party

    @property
    def foreign(self) -> bool:
        """In another currency than NOK: each amount the page shows names its currency."""
        return self.currency != DEFAULT_CURRENCY


def see_invoice(scope: Scope, number: int, uow_factory: UnitOfWorkFactory) -> DebtorInvoice:
    """Invoice `number` of the scope's company, for its debtor: Forbidden when the actor is
    a debtor of another invoice or a case, NotFound when there is no such invoice."""
    if scope.actor.kind is ActorKind.DEBTOR and scope.actor != invoice_debtor(number):
        raise Forbidden("a debtor sees its own invoice only")
    with uow_factory(scope) as uow:
        stored = uow.invoices.get(number)
        if stored is None or stored.invoice.is_credit_note:
            raise NotFound("invoice", number)
        company = uow.company.current()
    invoice = stored.invoice
    return DebtorInvoice(
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        total=invoice.total,
        total_nok=invoice.booked_nok(),
        exchange_rate=invoice.exchange_rate,
        open_amount=stored.open_amount,
        account=company.account,
        kid=invoice.kid,
        creditor=creditor_party(company),
    )
