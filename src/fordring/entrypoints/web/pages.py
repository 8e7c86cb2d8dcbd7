"""The portal's first pages: sign-in, sign-out and the language (Oversikt is
dashboard_page.py). Each handler reads the request, calls one
service and answers with a page or a redirect (303, so a reload never posts again)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from fordring import bootstrap
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.security import SESSION_COOKIE
from fordring.entrypoints.web.session_answers import (
    language_chosen,
    session_ended,
    session_started,
)
from fordring.entrypoints.web.visitor import application, redirect, signed_in
from fordring.services.users import SignInRefused, sign_in, sign_out

router = APIRouter(include_in_schema=False)

Field = Annotated[str, Form()]


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
    lifetime = int((done.user.expires_at - bootstrap.now()).total_seconds())
    return session_started(request, SESSION_COOKIE, done.token, lifetime, sign_out)


@router.post("/sign-out")
def sign_out_post(request: Request) -> Response:
    return session_ended(request, SESSION_COOKIE, sign_out)


@router.post("/language")
def language_post(request: Request, language: Field = "", back: Field = "") -> Response:
    """Show the portal in `language` from now on, and go back to the page `back`."""
    return language_chosen(request, language, back)
