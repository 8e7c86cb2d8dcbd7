"""The debtor's sign-in (the code and PIN a letter prints; `?c=<code>` prefills the code),
sign-out and the language. Every refusal gets the same page and text (docs/debtor_page.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from fordring import bootstrap
from fordring.domain.debtor_access import is_code, normal_code, spaced_code
from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    SESSION_COOKIE,
    rules_of,
    signed_in,
)
from fordring.entrypoints.web.session_answers import (
    language_chosen,
    session_ended,
    session_started,
)
from fordring.entrypoints.web.visitor import application, redirect
from fordring.services.debtor_access import DebtorSignInRefused, sign_in_debtor, sign_out_debtor

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]


def _client_address(request: Request) -> str:
    # the peer uvicorn reports (behind a proxy: run it with --proxy-headers and
    # --forwarded-allow-ips, docs/debtor_page.md)
    return request.client.host if request.client is not None else ""


@router.get("/sign-in")
def sign_in_form(request: Request, c: str = "") -> Response:
    if signed_in(request) is not None:
        return redirect(request, "/")
    code = normal_code(c)
    shown = spaced_code(code) if is_code(code) else ""
    return debtor_page(request, "sign_in.html", None, code=shown, refused=False)


@router.post("/sign-in")
def sign_in_post(request: Request, code: Field = "", pin: Field = "") -> Response:
    app = application(request)
    try:
        done = sign_in_debtor(
            code,
            pin,
            _client_address(request),
            app.uow_factory,
            bootstrap.now(),
            app.debtor_pin_key,
            rules_of(request),
        )
    except DebtorSignInRefused:  # every reason alike: it tells nobody what exists (the
        # code typed is not shown again either, so the page is the same for every code)
        return debtor_page(request, "sign_in.html", None, code="", refused=True, status=401)
    lifetime = int(rules_of(request).longest.total_seconds())
    return session_started(request, SESSION_COOKIE, done.token, lifetime, sign_out_debtor)


@router.post("/sign-out")
def sign_out_post(request: Request) -> Response:
    return session_ended(request, SESSION_COOKIE, sign_out_debtor)


@router.post("/language")
def language_post(request: Request, language: Field = "", back: Field = "") -> Response:
    """Show the debtor's pages in `language` from now on, and go back to the page `back`."""
    return language_chosen(request, language, back)
