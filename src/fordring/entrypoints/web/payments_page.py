"""Innbetalinger: upload a bank file (Nets OCR giro or camt.054: the import the CLI and the
API use; the browser shows the upload's progress, then the result), the payments a page
at a time (the unmatched queue first, with suggestions), and one payment: matched by hand
against one case or several invoices, refunded, or kept as a customer's credit. The
services check the role: a read-only user sees no forms and is refused (403) if it posts
one anyway; another company's payment is not found (404)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile

from fordring import bootstrap
from fordring.domain.api_access import Permission, allows
from fordring.domain.errors import Conflict, InvalidInput, NotFound, Problem, RuleViolation
from fordring.domain.input_rules import parse_whole
from fordring.domain.matching import Suggestion
from fordring.domain.payments import MatchItem, PaymentStatus
from fordring.domain.text_input import parse_match_item
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.visitor import application, redirect, scope_of, user_of
from fordring.services.payment_import import import_bank_file
from fordring.services.payments import (
    QueuedPayment,
    keep_as_credit,
    list_payments,
    match_payment_by_hand,
    may_write_payments,
    refund_payment,
    show_queued_payment,
)
from fordring.services.ports.users import SessionUser

router = APIRouter(include_in_schema=False)

PATH = "/payments"
PAGE = 50  # payments a page
MAX_BANK_FILE = 50 * 1024 * 1024  # bytes, as the API's upload: 100,000 OCR payments are 16 MiB
CHUNK = 1 << 20
# the upload's body: the file and the form around it (its boundaries, the CSRF field); a
# larger one is refused (413) before it is read (security.BodyLimit, app.py)
BODY_LIMITS = {PATH + "/upload": MAX_BANK_FILE + 64 * 1024}
After = Annotated[int | None, Query(ge=0, le=2**63 - 2)]  # the service reads from after + 1
Number = Annotated[int, Path(ge=1, le=2**63 - 1)]
DONE = ("matched", "refunded", "kept")  # what the detail page confirms after a redirect


def _not_found(error: InvalidInput) -> None:
    """The service's "no payment number N" is the page's 404."""
    if all(p.code == "not_found" for p in error.problems):
        raise NotFound("payment", error.problems[0].reason) from error


@dataclass(frozen=True, slots=True)
class Offered:
    """A suggestion as the pages show it: `item` is what the match form sends (12 for
    invoice 12, case:3 for case 3), `why` its reasons (same amount, the payer's name)."""

    item: str
    kind: str  # "invoice" / "case"
    number: str
    customer_name: str
    owed: Decimal
    same_amount: bool
    shared_words: str  # the payer's words in the customer's name, or ""


def _offered(s: Suggestion) -> Offered:
    kind, _, number = s.candidate.label.partition(" ")
    reasons = s.why.split(", ")
    shared = next((r.removeprefix("payer name ") for r in reasons if r.startswith("payer")), "")
    return Offered(
        f"case:{number}" if kind == "case" else number,
        kind,
        number,
        s.candidate.customer_name,
        s.candidate.owed,
        "same amount" in reasons,
        shared,
    )


@router.get(PATH)
def payments(
    request: Request,
    show: Annotated[str, Query()] = "unmatched",
    after: After = None,
) -> Response:
    user = user_of(request)
    unmatched = show != "all"
    found = list_payments(
        scope_of(user),
        application(request).uow_factory,
        unmatched_only=unmatched,
        limit=PAGE + 1,
        after=after,
    )
    rows = found[:PAGE]
    return page(
        request,
        "payments.html",
        user=user,
        current="payments",
        show="unmatched" if unmatched else "all",
        payments=[(q.view.row, [_offered(s) for s in q.suggestions]) for q in rows],
        after=after,
        next_after=rows[-1].view.row.number if len(found) > PAGE else None,
        can_write=allows(user.role, Permission.WRITE_PAYMENTS),
    )


def _report_page(request: Request, user: SessionUser, status: int, **result: Any) -> Response:
    """The import's result: the fragment htmx puts under the form, or (a browser without
    scripts) the page with it and a link to the queue (not the queue: it is not read)."""
    context: dict[str, Any] = {"report": None, "refused": None, "problems": []} | result
    if request.headers.get("HX-Request") == "true":
        return page(request, "payments_upload.html", user=user, status=status, **context)
    return page(
        request,
        "payments.html",
        user=user,
        current="payments",
        can_write=True,
        upload=context,
        status=status,
    )


def upload_name(sent: str) -> str:
    """The name the uploaded file is kept and shown by: the browser's last path part,
    without NUL or separators, at most 200 bytes; "upload" when nothing usable is left
    (".", "..")."""
    name = sent.replace("\0", "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = name.encode()[:200].decode(errors="ignore")
    return "upload" if name in ("", ".", "..") else name


@router.post(PATH + "/upload")
def upload(request: Request, file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Import a bank file: matched, unmatched and held counted; the same file again, or a
    malformed one, refused whole with nothing booked."""
    user = user_of(request)
    may_write_payments(scope_of(user))  # a read-only user is refused before the copy
    app = application(request)
    if file is None or not file.filename:
        problem = Problem("file", "choose a bank file", code="required")
        return _report_page(request, user, 422, refused="invalid", problems=[problem])
    name = upload_name(file.filename)
    with tempfile.TemporaryDirectory(prefix="fordring-upload-") as folder:
        path = FilePath(folder) / name
        size = 0
        with path.open("wb") as out:
            while chunk := file.file.read(CHUNK):
                size += len(chunk)
                if size > MAX_BANK_FILE:
                    problem = Problem(
                        "file", f"larger than {MAX_BANK_FILE} bytes", code="too_large"
                    )
                    return _report_page(request, user, 413, refused="invalid", problems=[problem])
                out.write(chunk)
        try:
            report = import_bank_file(
                path, scope_of(user), app.uow_factory, bootstrap.bank_file_reader(), app.rate_book
            )
        except InvalidInput as invalid:
            return _report_page(
                request, user, 422, refused="invalid", problems=invalid.problems[:20]
            )
        except RuleViolation as seen:  # imported before: refused, nothing booked again
            return _report_page(request, user, 409, refused="seen", detail=str(seen))
        except Conflict as lost:  # the same file, imported by another at the same moment, won
            return _report_page(request, user, 409, refused="seen", detail=str(lost))
    return _report_page(request, user, 200, report=report, filename=name)


def _payment_page(
    request: Request, user: SessionUser, number: int, status: int = 200, **context: Any
) -> Response:
    try:
        shown: QueuedPayment = show_queued_payment(
            scope_of(user), number, application(request).uow_factory
        )
    except InvalidInput as error:
        _not_found(error)
        raise
    done = request.query_params.get("done")
    row = shown.view.row
    return page(
        request,
        "payment.html",
        user=user,
        current="payments",
        payment=shown.view,
        suggestions=[_offered(s) for s in shown.suggestions],
        unmatched=row.status == PaymentStatus.UNMATCHED.value and row.amount > 0,
        refundable=row.credit - row.refunded,
        can_write=allows(user.role, Permission.WRITE_PAYMENTS),
        done=done if done in DONE else None,
        problems=context.pop("problems", []),
        refused=context.pop("refused", None),
        form={"items": "", "customer": ""} | context.pop("form", {}),
        status=status,
    )


@router.get(PATH + "/{number}")
def payment(request: Request, number: Number) -> Response:
    return _payment_page(request, user_of(request), number)


@router.post(PATH + "/{number}/match")
def match(
    request: Request,
    number: Number,
    item: Annotated[list[str] | None, Form()] = None,
    items: Annotated[str, Form()] = "",
) -> Response:
    """Match an unmatched payment against the chosen suggestions and the items typed
    (invoice numbers, or case:N), all at once: the law's order, the rest is credit."""
    user = user_of(request)
    app = application(request)
    texts = [*(item or []), *items.replace(",", " ").split()]
    form = {"items": items}
    parsed: list[MatchItem] = []
    problems: list[Problem] = []
    for text in texts:
        try:
            parsed.append(parse_match_item(text))
        except InvalidInput as error:
            problems += error.problems
    if problems or not parsed:
        problems = problems or [Problem("item", "choose or type an item", code="required")]
        return _payment_page(request, user, number, 422, problems=problems, form=form)
    try:
        match_payment_by_hand(scope_of(user), number, parsed, app.uow_factory, app.rate_book)
    except InvalidInput as error:
        _not_found(error)
        return _payment_page(request, user, number, 422, problems=error.problems, form=form)
    except (Conflict, RuleViolation):  # matched or refunded meanwhile: nothing done now
        return _payment_page(request, user, number, 409, refused="not_unmatched")
    return redirect(request, f"{PATH}/{number}?done=matched")


@router.post(PATH + "/{number}/refund")
def refund(request: Request, number: Number) -> Response:
    """Pay back an unmatched payment, or what a matched one overpaid."""
    user = user_of(request)
    try:
        refund_payment(scope_of(user), number, application(request).uow_factory)
    except InvalidInput as error:
        _not_found(error)
        raise
    except (Conflict, RuleViolation):  # refunded before, or nothing left to refund
        return _payment_page(request, user, number, 409, refused="nothing_to_refund")
    return redirect(request, f"{PATH}/{number}?done=refunded")


@router.post(PATH + "/{number}/keep")
def keep(request: Request, number: Number, customer: Annotated[str, Form()] = "") -> Response:
    """Keep an unmatched payment whole as the credit of the customer numbered."""
    user = user_of(request)
    form = {"customer": customer}
    try:
        customer_number = parse_whole(customer.strip(), "customer", minimum=1)
        keep_as_credit(scope_of(user), number, customer_number, application(request).uow_factory)
    except InvalidInput as error:
        _not_found(error)
        return _payment_page(request, user, number, 422, problems=error.problems, form=form)
    except Conflict:  # matched, refunded or kept meanwhile: nothing done now
        return _payment_page(request, user, number, 409, refused="not_unmatched")
    return redirect(request, f"{PATH}/{number}?done=kept")
