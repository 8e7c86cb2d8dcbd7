"""`/api/v1/payments`: register a payment, upload a bank file, list them (the unmatched
ones with suggestions; keyset pages by number), get one, match one by hand, refund one,
keep one as credit."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response

from fordring import bootstrap
from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_amount, parse_business_date
from fordring.domain.kid import parse_kid
from fordring.domain.payments import Channel
from fordring.domain.text_input import at, parse_match_item
from fordring.entrypoints.api.calls import application, call, json_answer
from fordring.entrypoints.api.fields import Problems
from fordring.entrypoints.api.schemas import (
    AppliedOut,
    BankFileOut,
    KeepIn,
    KeptOut,
    MatchIn,
    PaymentIn,
    PaymentOut,
    PaymentPage,
    RefundOut,
    RegisteredOut,
    SuggestionOut,
    amount,
)
from fordring.services.api_requests import Answer
from fordring.services.payment_import import ImportReport, import_bank_file
from fordring.services.payments import (
    NewPayment,
    QueuedPayment,
    RegisteredPayment,
    keep_as_credit,
    list_payments,
    match_payment_by_hand,
    refund_payment,
    register_payment,
    show_payment,
)
from fordring.services.ports import PaymentView, UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["payments"])
Number = Annotated[int, Path(ge=1, le=2**63 - 1, description="the payment number")]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="the last number seen")]


def registered(done: RegisteredPayment) -> RegisteredOut:
    split = done.split
    return RegisteredOut(
        payment=done.number,
        voucher=done.voucher_number,
        case=done.case_number,
        applied=[AppliedOut(to=to, amount=amount(paid)) for to, paid in done.paid],
        overpayment=amount(split.overpayment) if split else None,
        order=[c.value for c in split.allocation.order] if split else [],
    )


def payment_out(v: PaymentView, q: QueuedPayment | None = None) -> PaymentOut:
    r = v.row
    return PaymentOut(
        payment=r.number,
        received=r.received_on,
        channel=r.channel,
        amount=amount(r.amount),
        kid=r.kid,
        payer=r.payer_name,
        text=r.text,
        status=r.status,
        matched_by=r.matched_by,
        customer=v.customer_number,
        case=v.case_number,
        invoices=list(v.invoice_numbers),
        principal=amount(r.principal),
        interest=amount(r.interest),
        fees=amount(r.fees),
        salaer=amount(r.salaer),
        credit=amount(r.credit),
        refunded=amount(r.refunded),
        settlement=v.settlement_number,
        suggestions=[
            SuggestionOut(
                item=s.candidate.label,
                customer=s.candidate.customer_name,
                owed=amount(s.candidate.owed),
                why=s.why,
            )
            for s in (q.suggestions if q else ())
        ],
    )


def payment_command(body: PaymentIn, today: date) -> NewPayment:
    """The typed payment (paid today unless `date` is given); every problem at once."""
    problems = Problems()
    day_text, kid_text = body.date or "", body.kid
    paid = problems.attempt(lambda: parse_amount(body.amount, "amount"))
    day = problems.attempt(lambda: parse_business_date(day_text, "date")) if day_text else today
    kid = problems.attempt(lambda: parse_kid(kid_text)) if kid_text is not None else None
    if body.to not in {c.value for c in Channel}:
        reason = f"{body.to!r} is not {' or '.join(c.value for c in Channel)}"
        problems.add([Problem("to", reason, code="not_a_choice")])
    problems.raise_if_any()
    assert paid is not None and day is not None
    return NewPayment(paid, day, kid, body.invoice, Channel(body.to))


@router.post(
    "/payments", status_code=201, response_model=RegisteredOut, summary="Register a payment"
)
def register(body: PaymentIn, request: Request) -> Response:
    """Register a payment by KID or invoice number; it is split and booked by the law's
    rules (or waits unmatched in the queue)."""
    book = application(request).rate_book

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        cmd = payment_command(body, scope.business_date)
        return json_answer(registered(register_payment(cmd, scope, uows, book)), 201)

    return call(request, Permission.WRITE_PAYMENTS, work, body)


@router.get("/payments", response_model=PaymentPage, summary="List payments")
def list_(
    request: Request,
    limit: Limit = 100,
    after: After = None,
    unmatched: Annotated[bool, Query(description="only those waiting to be matched")] = False,
) -> Response:
    """Payments by number, a page at a time; the unmatched ones with suggestions."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = list_payments(scope, uows, unmatched_only=unmatched, limit=limit + 1, after=after)
        page = [payment_out(q.view, q) for q in found[:limit]]
        last = page[-1].payment if len(found) > limit else None
        return json_answer(PaymentPage(items=page, next_after=last))

    return call(request, Permission.READ, work)


@router.get("/payments/{number}", response_model=PaymentOut, summary="Get a payment")
def get(number: Number, request: Request) -> Response:
    """One payment: what the bank said and what it paid."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(payment_out(show_payment(scope, number, uows)))

    return call(request, Permission.READ, work)


@router.post(
    "/payments/{number}/match", response_model=RegisteredOut, summary="Match a payment by hand"
)
def match(number: Number, body: MatchIn, request: Request) -> Response:
    """Match an unmatched payment against invoices of one customer or one case (`case:N`):
    oldest first; the rest is the customer's credit."""
    book = application(request).rate_book

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        problems: list[Problem] = []
        items = []
        for where, text in enumerate(body.items, start=1):
            try:
                items.append(parse_match_item(text))
            except InvalidInput as error:
                problems.extend(at(error.problems, f"item {where}"))
        if problems or not items:
            raise InvalidInput(problems or [Problem("items", "give one", code="required")])
        return json_answer(registered(match_payment_by_hand(scope, number, items, uows, book)))

    return call(request, Permission.WRITE_PAYMENTS, work, body)


@router.post("/payments/{number}/refund", response_model=RefundOut, summary="Refund a payment")
def refund(number: Number, request: Request) -> Response:
    """Pay back an unmatched payment, or what a matched one overpaid (booked; the money
    itself is paid out of the bank by a person)."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        refunded, voucher = refund_payment(scope, number, uows)
        return json_answer(RefundOut(payment=number, refunded=amount(refunded), voucher=voucher))

    return call(request, Permission.WRITE_PAYMENTS, work)


@router.post("/payments/{number}/keep", response_model=KeptOut, summary="Keep as credit")
def keep(number: Number, body: KeepIn, request: Request) -> Response:
    """Keep an unmatched payment whole as a customer's credit."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        voucher = keep_as_credit(scope, number, body.customer, uows)
        return json_answer(KeptOut(payment=number, customer=body.customer, voucher=voucher))

    return call(request, Permission.WRITE_PAYMENTS, work, body)


MAX_BANK_FILE = 50 * 1024 * 1024  # bytes: a day's OCR file of 100,000 payments is 16 MiB
BankFile = Annotated[
    bytes,
    Body(media_type="application/octet-stream", description="the file as the bank sent it"),
]


def bank_file_out(report: ImportReport) -> BankFileOut:
    return BankFileOut(
        format=report.format.value,
        file_id=report.file_id,
        payments=report.payments,
        total=amount(report.total),
        matched=sum(report.matched.values()),
        matched_by=dict(report.matched),
        unmatched=report.unmatched,
        reversed=report.reversed,
        credit_notes=report.credit_notes,
        held=report.held,
        interest_charged=amount(report.interest_charged),
    )


@router.post(
    "/payments/bank-files",
    status_code=201,
    response_model=BankFileOut,
    summary="Upload a bank file",
)
def upload(
    content: BankFile,
    request: Request,
    filename: Annotated[str, Query(max_length=200, description="its name, kept")] = "upload",
) -> Response:
    """Import a bank file (Nets OCR giro or camt.054, told from the content): every payment
    matched by KID and booked, or left unmatched. The same file twice is refused (422), a
    malformed one refused whole."""
    if len(content) > MAX_BANK_FILE:
        raise InvalidInput.one("file", f"larger than {MAX_BANK_FILE} bytes", code="too_large")
    book, reader = application(request).rate_book, bootstrap.bank_file_reader()
    name = FilePath(filename).name or "upload"

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        with tempfile.TemporaryDirectory(prefix="fordring-upload-") as folder:
            path = FilePath(folder) / name
            path.write_bytes(content)
            report = import_bank_file(path, scope, uows, reader, book)
        return json_answer(bank_file_out(report), 201)

    return call(request, Permission.WRITE_PAYMENTS, work, content)
