"""The portal's first pages: sign-in, sign-out and the language (Oversikt is
dashboard_page.py). Each handler reads the request, calls one
service and answers with a page or a redirect (303, so a reload never posts again)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from fordring import bootstrap
from fordring.entrypoints.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.security import (
    SESSION_COOKIE,
    forget_cookie,
    session_token,
    set_cookie,
)
from fordring.entrypoints.web.visitor import application, redirect, signed_in
from fordring.services.users import SignInRefused, sign_in, sign_out

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]
YEAR = 365 * 24 * 3600  # seconds the language cookie is kept


@router.get("/sign-in")
def sign_in_form(request: Request) -> Response:
    if signed_in(request) is not None:
        return redirect(request, "/")
    return page(request, "sign_in.html", orgnr="", email="", refused=None)


@router.post("/sign-in")
def sign_in_post(
    request: Request,
    orgnr: Field = "",
    email: Field = "",
    password: Field = "",
) -> Response:
    app = application(request)
    try:
        done = sign_in(
            orgnr, email, password, app.uow_factory, app.password_hasher, bootstrap.now()
        )
    except SignInRefused:  # locked out too: the same answer, so it tells nobody who exists
        return page(request, "sign_in.html", orgnr=orgnr, email=email, refused="wrong", status=401)
    previous = session_token(request)
    if previous is not None:  # the browser's earlier session ends: one open per browser
        sign_out(previous, app.uow_factory, bootstrap.now())
    response = redirect(request, "/")
    lifetime = int((done.user.expires_at - bootstrap.now()).total_seconds())
    set_cookie(request, response, SESSION_COOKIE, done.token, lifetime)
    return response


@router.post("/sign-out")
def sign_out_post(request: Request) -> Response:
    token = session_token(request)
    if token is not None:
        sign_out(token, application(request).uow_factory, bootstrap.now())
    response = redirect(request, "/sign-in")
    forget_cookie(request, response, SESSION_COOKIE)
    return response


@router.post("/language")
def language_post(request: Request, language: Field = "", back: Field = "") -> Response:
    """Show the portal in `language` from now on, and go back to the page `back` (a path
    of the portal's own: never another site)."""
    base = request.scope.get("root_path", "")
    path = back.removeprefix(base) if back.startswith(base + "/") else "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        path = "/"
    response = redirect(request, path)
    if language in LANGUAGES:
        set_cookie(request, response, LANGUAGE_COOKIE, language, YEAR)
    return response
