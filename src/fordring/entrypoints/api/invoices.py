"""`/api/v1/invoices`: create, credit, list (filters, keyset pages by number), get, the
document as PDF or EHF, and send (queued for the delivery chain, sent after the commit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fordring import bootstrap
from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_business_date
from fordring.domain.invoices import InvoiceKind, InvoiceLine
from fordring.domain.kid import parse_kid
from fordring.domain.text_input import at, make_line, parse_currency
from fordring.entrypoints.api.calls import (
    RENDERING,
    application,
    call,
    call_together,
    json_answer,
    read,
)
from fordring.entrypoints.api.fields import Problems
from fordring.entrypoints.api.schemas import (
    CreditNoteIn,
    InvoiceIn,
    InvoiceOut,
    InvoicePage,
    InvoiceSummaryOut,
    LineIn,
    SendOut,
)
from fordring.entrypoints.api.together import Together
from fordring.services.api_requests import Answer, Idempotency, Work
from fordring.services.invoice_documents import document_of, send_invoices
from fordring.services.invoicing import (
    InvoiceFilter,
    NewCreditNote,
    NewInvoice,
    create_invoice,
    create_invoices,
    credit_invoice,
    list_invoices,
    show_invoice,
)
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["invoices"])
Number = Annotated[int, Path(ge=1, le=2**63 - 1, description="the invoice number")]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="the last number seen")]


def lines_of(given: list[LineIn]) -> list[InvoiceLine]:
    """Typed lines; every problem at once, at "line N"."""
    lines: list[InvoiceLine] = []
    problems: list[Problem] = []
    for index, x in enumerate(given, start=1):
        try:
            lines.append(make_line(x.text, x.quantity, x.unit_price, x.vat, f"line {index}"))
        except InvalidInput as error:  # "line N" on each, as an import names its rows
            problems.extend(at(error.problems, f"line {index}"))
    if problems:
        raise InvalidInput(problems)
    return lines


def invoice_command(body: InvoiceIn) -> NewInvoice:
    """The typed command; every problem of every field at once."""
    problems = Problems()
    lines = problems.attempt(lambda: lines_of(body.lines))
    money = problems.attempt(lambda: parse_currency(body.currency, body.exchange_rate))
    due_text, kid_text = body.due or "", body.kid or ""
    due = problems.attempt(lambda: parse_business_date(due_text, "due")) if due_text else None
    kid = problems.attempt(lambda: parse_kid(kid_text)) if kid_text else None
    problems.raise_if_any()
    assert lines is not None and money is not None
    return NewInvoice(
        customer_number=body.customer,
        lines=lines,
        due=due,
        terms_days=body.terms,
        currency=money[0],
        exchange_rate=money[1],
        kid=kid,
        reminder_exempt=body.exempt,
    )


@router.post("/invoices", status_code=201, response_model=InvoiceOut, summary="Create an invoice")
def create(body: InvoiceIn, request: Request) -> Response:
    """Issue an invoice dated today and book it."""
    permission, command = Permission.WRITE_INVOICES, lambda: invoice_command(body)
    return call_together(request, permission, body, command, _created, _alone, CREATES)


# A key's creates that come while one of them is answered are answered together.
CREATES: Together[tuple[Idempotency | None, NewInvoice], Response] = Together()


def _alone(cmd: NewInvoice) -> Work:
    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(InvoiceOut.of(create_invoice(cmd, scope, uows)), 201)

    return work


def _created(scope: Scope, uows: UnitOfWorkFactory, cmds: list[NewInvoice]) -> list[Answer]:
    return [json_answer(InvoiceOut.of(x), 201) for x in create_invoices(cmds, scope, uows)]


@router.post(
    "/invoices/{number}/credit-notes",
    status_code=201,
    response_model=InvoiceOut,
    summary="Credit an invoice",
)
def credit(number: Number, body: CreditNoteIn, request: Request) -> Response:
    """Credit the invoice in full (no lines) or for the lines given."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        cmd = NewCreditNote(number, lines_of(body.lines))
        return json_answer(InvoiceOut.of(credit_invoice(cmd, scope, uows)), 201)

    return call(request, Permission.WRITE_INVOICES, work, body)


@router.post(
    "/invoices/{number}/send", status_code=202, response_model=SendOut, summary="Send an invoice"
)
def send(number: Number, request: Request) -> Response:
    """Queue the invoice for delivery (EHF, else e-mail, else paper): the delivery job
    sends it after this request commits; sending twice queues nothing the second time.
    When the agreement's `invoice_debtor_access` is on, the invoice's PDF prints the
    debtor's page, a code and a PIN (docs/debtor_page.md)."""
    pin_key = application(request).debtor_pin_key

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(SendOut(queued=send_invoices(scope, [number], uows, pin_key)), 202)

    return call(request, Permission.WRITE_INVOICES, work)


@router.get("/invoices", response_model=InvoicePage, summary="List invoices and credit notes")
def list_(
    request: Request,
    limit: Limit = 100,
    after: After = None,
    open: Annotated[bool, Query(description="only those with something open")] = False,
    customer: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="its number")] = None,
    kind: Annotated[InvoiceKind | None, Query(description="invoice or credit_note")] = None,
) -> Response:
    """Invoices and credit notes by number, a page at a time."""
    filters = InvoiceFilter(open, after, limit + 1, customer, kind)

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = list_invoices(scope, open, uows, filters)
        page = [InvoiceSummaryOut.of(s) for s in found[:limit]]
        last = page[-1].number if len(found) > limit else None
        return json_answer(InvoicePage(items=page, next_after=last))

    return call(request, Permission.READ, work)


@router.get(
    "/invoices/{number}", response_model=InvoiceOut, summary="Get an invoice or credit note"
)
def get(number: Number, request: Request) -> Response:
    """One invoice or credit note with its lines, VAT and what is open."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(InvoiceOut.of(show_invoice(number, scope, uows)))

    return call(request, Permission.READ, work)


@router.get(
    "/invoices/{number}/pdf",
    summary="The invoice as PDF",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def pdf(number: Number, request: Request) -> Response:
    """The invoice or credit note as PDF (rendered after the request's transaction)."""
    document = read(request, Permission.READ, lambda s, u: document_of(s, number, u))
    with RENDERING:
        (content,) = application(request).invoices.render_invoices([document])
    return Response(content, media_type="application/pdf")


@router.get(
    "/invoices/{number}/ehf",
    summary="The invoice as EHF",
    response_class=Response,
    responses={200: {"content": {"application/xml": {}}}},
)
def ehf(number: Number, request: Request) -> Response:
    """The invoice or credit note as EHF (Peppol BIS Billing 3.0 UBL), checked."""
    document = read(request, Permission.READ, lambda s, u: document_of(s, number, u))
    return Response(bootstrap.ehf_writer().write(document), media_type="application/xml")
