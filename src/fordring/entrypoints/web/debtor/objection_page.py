"""Object to the claim (`/d/objection`, issue 19 point 4): the form (a reason from the
list, the debtor's words, a file), and the receipt after it. The case is always the
visit's. The file's size is limited before its body is read (`body_limits`, the portal's
BodyLimit) and again after (the setting); its type is told by its content."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile

from fordring import bootstrap
from fordring.domain.collection.objection import (
    TEXT_LENGTH,
    Attachment,
    Objection,
    ObjectionReason,
    attachment,
    objection,
)
from fordring.domain.collection.states import CaseState
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.entrypoints.web import formats
from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    DebtorVisit,
    scope_of,
    visit_of,
)
from fordring.entrypoints.web.i18n import translations
from fordring.entrypoints.web.objection_reasons import reason_label
from fordring.entrypoints.web.security import finish
from fordring.entrypoints.web.visitor import application, redirect
from fordring.services.objections import (
    TooManyObjections,
    object_to_case,
    objections_and_state,
)
from fordring.services.ports.objections import ObjectionRecord, ReceiptDocument

router = APIRouter(include_in_schema=False)
PATH = "/objection"
FORM_OVERHEAD = 64 * 1024  # the form around the file: its boundaries, fields, CSRF token


def body_limits(settings: bootstrap.Settings) -> dict[str, int]:
    """The objection's body limit (a path under /d -> bytes) for `BodyLimit`."""
    return {PATH: settings.attachment_max_bytes + TEXT_LENGTH * 4 + FORM_OVERHEAD}


def _form(
    request: Request,
    visit: DebtorVisit,
    *,
    reason: str = "",
    text: str = "",
    problems: tuple[Problem, ...] = (),
    refused: str = "",
    limit: int = 0,
    status: int = 200,
) -> Response:
    return debtor_page(
        request,
        "objection.html",
        visit,
        reasons=[r.value for r in ObjectionReason],
        reason=reason,
        text=text,
        problems={p.field: p.code for p in problems},
        refused=refused,
        max_bytes=application(request).settings.attachment_max_bytes,
        text_length=TEXT_LENGTH,
        limit=limit,
        status=status,
    )


@router.get(PATH)
def objection_form(request: Request) -> Response:
    return _form(request, visit_of(request))


def _read(file: UploadFile | None, max_bytes: int) -> tuple[str, bytes] | None:
    """The uploaded file's name and bytes (at most one more than allowed is read); None
    when the form had no file chosen."""
    if file is None or not file.filename:
        return None
    return file.filename, file.file.read(max_bytes + 1)


@router.post(PATH)
def object_post(
    request: Request,
    reason: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File(alias="attachment")] = None,
) -> Response:
    """Record the objection (the case stops at once) and show the receipt; a refused one
    is the form again with every problem named and nothing written."""
    visit = visit_of(request)
    app = application(request)
    max_bytes = app.settings.attachment_max_bytes
    problems: list[Problem] = []
    said: Objection | None = None
    attached: Attachment | None = None
    try:
        said = objection(reason, text)
    except InvalidInput as invalid:
        problems.extend(invalid.problems)
    uploaded = _read(file, max_bytes)
    if uploaded is not None:
        try:
            attached = attachment(uploaded[0], uploaded[1], max_bytes)
        except InvalidInput as invalid:
            problems.extend(invalid.problems)
    if problems or said is None:
        return _form(request, visit, reason=reason, text=text, problems=tuple(problems),
                     status=422)  # fmt: skip
    try:
        object_to_case(
            visit.case_number, said, attached, scope_of(visit), app.uow_factory, app.attachments
        )
    except TooManyObjections as many:
        return _form(request, visit, reason=reason, text=text, refused="too_many",
                     limit=many.limit, status=409)  # fmt: skip
    except RuleViolation:
        return _form(request, visit, reason=reason, text=text, refused="closed", status=409)
    return redirect(request, PATH + "/receipt")


@router.get(PATH + "/receipt")
def receipt(request: Request) -> Response:
    """What was received last (the reason, the words, the file's name, the day) and what
    happens next; the case's earlier objections below it."""
    visit = visit_of(request)
    uow_factory = application(request).uow_factory
    found, state = objections_and_state(visit.case_number, scope_of(visit), uow_factory)
    if not found:
        return redirect(request, PATH)
    return debtor_page(
        request, "objection_receipt.html", visit, last=found[-1], earlier=found[-2::-1],
        legal=state is CaseState.LEGAL,
    )  # fmt: skip


@router.get(PATH + "/receipt.pdf")
def receipt_pdf(request: Request) -> Response:
    """The receipt of the last objection as a PDF to keep, worded as the page is."""
    visit = visit_of(request)
    app, scope = application(request), scope_of(visit)
    found, state = objections_and_state(visit.case_number, scope, app.uow_factory)
    if not found:
        return redirect(request, PATH)
    last, today = found[-1], scope.business_date
    # everything the receipt says: the same key is the same PDF
    key = (visit.company_id, visit.case_number, last, visit.language, state, today)
    name = f"innsigelse-sak-{visit.case_number}.pdf"
    response = Response(
        _rendered_once(key, lambda: app.receipt_pdf(_receipt(visit, last, state, today), today)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    return finish(request, response)


_KEPT = 256  # receipts kept rendered in this process (a few KiB each)
_rendered: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
_rendered_lock = threading.Lock()


def _rendered_once(key: tuple[object, ...], render: Callable[[], bytes]) -> bytes:
    """The receipt for `key` (the objection, the language, the case's state, the day),
    rendered once: Typst does not run again for every GET of the same receipt."""
    with _rendered_lock:
        if key in _rendered:
            _rendered.move_to_end(key)
            return _rendered[key]
    content = render()
    with _rendered_lock:
        _rendered[key] = content
        while len(_rendered) > _KEPT:
            _rendered.popitem(last=False)
    return content


def _receipt(
    visit: DebtorVisit, last: ObjectionRecord, state: CaseState, today: date
) -> ReceiptDocument:
    """The receipt of `last` worded as the page is, in the visit's language."""
    _ = translations(visit.language).gettext
    facts = [
        [_("Case"), str(visit.case_number)],
        [_("Received on"), formats.day(last.day)],
        [_("Your reason"), reason_label(last.reason, _)],
    ]
    if last.text:
        facts.append([_("Your words"), last.text])
    if last.attachment is not None:
        facts.append([_("Document"), last.attachment.name])
    return ReceiptDocument(
        title=_("We have received your objection"),
        lang=visit.language,
        made=formats.day(today),
        facts=facts,
        paragraphs=[
            _("What happens now"),
            _(
                "Your case is at the legal stage (with the enforcement officer or the court), "
                "so your objection does not stop it here: it is recorded and sent to the "
                "creditor, who must look at it. Tell the court or the enforcement officer of "
                "your objection too; they decide the case now."
            )
            if state is CaseState.LEGAL
            else _(
                "The case is stopped: while the creditor looks at your objection you get no "
                "reminders, no fees and no deadlines run. The creditor must answer you: either "
                "the objection is accepted and the case is closed without costs for you, or "
                "the creditor finds that the claim stands and you get the letter of the case's "
                "stage again, with a new deadline and no new fee."
            ),
        ],
    )
