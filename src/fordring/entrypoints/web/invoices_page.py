"""Fakturaer: the company's invoices (filters by state, customer and due date; search by
invoice number, KID, customer number or name; keyset pages), an invoice's page (lines,
amounts, payments, case, delivery, its PDF and EHF), sending to collection with the reasons
why an invoice cannot be sent (one from its page, many from the list after a confirmation),
and purrefritak on an invoice or its customer. The services check the role: a read-only
user sees no action buttons and its posts are refused (403, nothing written)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import Response as RawResponse

from fordring import bootstrap
from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput, NotFound
from fordring.entrypoints.api.calls import RENDERING
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.security import finish
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.invoice_documents import document_of
from fordring.services.invoice_portal import (
    PAGE,
    ExemptionChange,
    browse_invoices,
    change_exemption,
    collection_check,
    invoice_page,
    send_invoices_to_collection,
)
from fordring.services.ports.invoice_views import INVOICE_STATES, InvoiceSearch
from fordring.services.scope import may

router = APIRouter(include_in_schema=False)

PATH = "/invoices"
Numbers = Annotated[list[str], Query()]
BIG = 2**63 - 1


def _whole(text: str) -> int | None:
    """A positive whole number in ASCII digits ('²' and '٣' are digits to str.isdigit,
    and int() refuses the first)."""
    text = text.strip()
    if text.isascii() and text.isdecimal() and 0 < int(text) <= BIG:
        return int(text)
    return None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _numbers(given: list[str]) -> list[int]:
    return [n for n in (_whole(x) for x in given) if n is not None]


@router.get(PATH)
def invoices(
    request: Request,
    state: str = "",
    customer: str = "",
    due_from: str = "",
    due_to: str = "",
    q: str = "",
    after: str = "",
) -> Response:
    """The list, newest first; `after`: the last number of the page before (the next page
    goes on below it)."""
    user = user_of(request)
    filters = {"state": state, "customer": customer, "due_from": due_from, "due_to": due_to}
    filters["q"] = q
    problems: dict[str, str] = {}
    if state and state not in INVOICE_STATES:
        problems["state"] = "invalid"
    for field, text in (("customer", customer),):
        if text.strip() and _whole(text) is None:
            problems[field] = "invalid"
    for field, text in (("due_from", due_from), ("due_to", due_to)):
        if text.strip() and _day(text) is None:
            problems[field] = "invalid"
    if len(q) > 200:
        problems["q"] = "invalid"
    rows: list[Any] = []
    next_after: int | None = None
    searched_to: int | None = None
    if not problems:
        search = InvoiceSearch(
            state=state or None,
            customer_number=_whole(customer),
            due_from=_day(due_from),
            due_to=_day(due_to),
            text=q,
            before=_whole(after),
            limit=PAGE + 1,
        )
        try:
            hits = browse_invoices(search, scope_of(user), application(request).uow_factory)
        except InvalidInput as invalid:
            problems = {p.field: p.code or "invalid" for p in invalid.problems}
        else:
            rows = hits.rows
            if len(rows) > PAGE:
                rows = rows[:PAGE]
                next_after = rows[-1].number
            elif hits.searched_to is not None and hits.searched_to > 1:
                searched_to = next_after = hits.searched_to  # a window ended: go on below
    scope = scope_of(user)
    query = urlencode({k: v for k, v in filters.items() if v})
    return page(
        request,
        "invoices.html",
        user=user,
        current="invoices",
        rows=rows,
        filters=filters,
        states=INVOICE_STATES,
        problems=problems,
        after=next_after,
        searched_to=searched_to,
        list_path=f"{PATH}?{query}" if query else PATH,
        today=scope.business_date,
        can_send=may(scope, Permission.MANAGE_COLLECTION),
        status=422 if problems else 200,
    )


@router.get(PATH + "/collection")
def collection(request: Request, number: Numbers = [], sent: Numbers = []) -> Response:  # noqa: B006
    """Before sending: each invoice chosen, and whether it can be sent or why not. After:
    (`sent` names those just sent) what happened to each."""
    user = user_of(request)
    try:
        assessed = collection_check(
            _numbers(number), scope_of(user), application(request).uow_factory
        )
    except InvalidInput:  # more than MAX_SENT chosen
        return _collection(request, user, [], refused="too_many", status=422)
    return _collection(request, user, assessed, sent=set(_numbers(sent)), done=bool(sent))


def _collection(request: Request, user: Any, assessed: Any, **context: Any) -> Response:
    status = context.pop("status", 200)
    return page(
        request,
        "invoices_collection.html",
        user=user,
        current="invoices",
        assessed=assessed,
        sent=context.pop("sent", set()),
        done=context.pop("done", False),
        refused=context.pop("refused", None),
        can_send=may(scope_of(user), Permission.MANAGE_COLLECTION),
        status=status,
    )


@router.post(PATH + "/collection")
def send(request: Request, number: Annotated[list[str], Form()]) -> Response:
    """Send the eligible ones of the invoices given; then the page of what happened."""
    user = user_of(request)
    numbers = _numbers(number)
    uows = application(request).uow_factory
    try:
        outcomes = send_invoices_to_collection(numbers, scope_of(user), uows)
    except InvalidInput as invalid:
        # too many chosen, or an invoice changed between the check and the sending (the
        # service sent nothing then): the page says so
        many = any(p.field == "number" for p in invalid.problems)
        refused = "too_many" if many else "changed"
        return _collection(request, user, [], refused=refused, status=422 if many else 409)
    query = "&".join(f"number={n}" for n in numbers)
    sent = "".join(f"&sent={o.number}" for o in outcomes if o.sent) or "&sent=0"
    return redirect(request, f"{PATH}/collection?{query}{sent}")


@router.get(PATH + "/{number}")
def invoice(request: Request, number: str) -> Response:
    user = user_of(request)
    wanted = _whole(number)
    if wanted is None:
        raise NotFound("invoice", number)
    scope = scope_of(user)
    shown = invoice_page(wanted, scope, application(request).uow_factory)
    return _invoice(request, user, shown, {})


def _invoice(
    request: Request, user: Any, shown: Any, problems: dict[str, str], **extra: Any
) -> Response:
    scope = scope_of(user)
    return page(
        request,
        "invoice.html",
        user=user,
        current="invoices",
        shown=shown,
        inv=shown.stored.invoice,
        row=shown.row,
        problems=problems,
        can_send=may(scope, Permission.MANAGE_COLLECTION),
        can_exempt_invoice=may(scope, Permission.WRITE_INVOICES),
        can_exempt_customer=may(scope, Permission.WRITE_CUSTOMERS),
        status=422 if problems else 200,
        **extra,
    )


@router.post(PATH + "/{number}/exemption")
def exemption(
    request: Request,
    number: str,
    subject: Annotated[str, Form()] = "invoice",
    exempt: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Set (`exempt` = "yes") or lift (`exempt` = "no"; anything else is 422) purrefritak
    on the invoice or (`subject` = "customer") its customer, then back to the invoice's
    page."""
    user = user_of(request)
    wanted = _whole(number)
    if wanted is None:
        raise NotFound("invoice", number)
    scope = scope_of(user)
    uows = application(request).uow_factory
    shown = invoice_page(wanted, scope, uows)  # another company's number: 404 first
    if subject not in ("invoice", "customer"):
        return _invoice(request, user, shown, {"subject": "invalid"})
    if exempt not in ("yes", "no"):  # anything else (or nothing) neither sets nor lifts
        return _invoice(request, user, shown, {"exempt": "invalid"}, reason=reason)
    target = shown.row.customer_number if subject == "customer" else wanted
    change = ExemptionChange(subject, target, exempt == "yes", reason)
    try:
        change_exemption(change, scope, uows)
    except InvalidInput as invalid:
        problems = {f"{subject}_{p.field}": p.code or "invalid" for p in invalid.problems}
        return _invoice(request, user, shown, problems, reason=reason)
    return redirect(request, f"{PATH}/{wanted}")


def _document(request: Request, number: str) -> Any:
    user = user_of(request)
    wanted = _whole(number)
    if wanted is None:
        raise NotFound("invoice", number)
    try:
        document = document_of(scope_of(user), wanted, application(request).uow_factory)
    except InvalidInput as missing:
        raise NotFound("invoice", number) from missing
    if document.invoice.is_credit_note:  # as its page: the portal lists invoices only
        raise NotFound("invoice", number)
    return document


@router.get(PATH + "/{number}/pdf")
def pdf(request: Request, number: str) -> Response:
    document = _document(request, number)
    with RENDERING:  # the process's renderer renders one document at a time
        (content,) = application(request).invoices.render_invoices([document])
    disposition = f'attachment; filename="invoice-{document.invoice.number}.pdf"'
    answer = RawResponse(
        content, media_type="application/pdf", headers={"Content-Disposition": disposition}
    )
    return finish(request, answer)


@router.get(PATH + "/{number}/ehf")
def ehf(request: Request, number: str) -> Response:
    document = _document(request, number)
    disposition = f'attachment; filename="invoice-{document.invoice.number}.xml"'
    answer = RawResponse(
        bootstrap.ehf_writer().write(document),
        media_type="application/xml",
        headers={"Content-Disposition": disposition},
    )
    return finish(request, answer)
