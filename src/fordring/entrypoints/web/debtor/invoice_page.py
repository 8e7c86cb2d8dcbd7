"""See the invoice (`/d/invoice`, decision 0016): a debtor signed in with an invoice's code
while the invoice has no case sees the invoice, what is left to pay and where to pay it.
The invoice is the visit's; a visit of a case (the invoice went to collection) is sent to
the case's page."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    DebtorSignInNeeded,
    DebtorVisit,
    invoice_scope_of,
    signed_in,
)
from fordring.entrypoints.web.visitor import application, redirect
from fordring.services.debtor_invoice import see_invoice

router = APIRouter(include_in_schema=False)


@router.get("/invoice")
def invoice(request: Request) -> Response:
    visit = signed_in(request)
    if visit is None:
        raise DebtorSignInNeeded()
    if isinstance(visit, DebtorVisit):  # the invoice is in a case now: the case shows it
        return redirect(request, "/")
    app = application(request)
    found = see_invoice(invoice_scope_of(visit), visit.invoice_number, app.uow_factory)
    return debtor_page(request, "invoice.html", visit, invoice=found)
