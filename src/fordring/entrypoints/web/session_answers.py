"""What signing in and out and choosing the language answer the browser, for the portal's
pages and the debtor's alike (each with its own session cookie and sign-out service): the
session cookie set or forgotten, the language cookie, and a 303 to the page to see next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import Request, Response

from fordring import bootstrap
from fordring.entrypoints.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from fordring.entrypoints.web.security import forget_cookie, session_token, set_cookie
from fordring.entrypoints.web.visitor import application, redirect
from fordring.services.ports import UnitOfWorkFactory

SignOut = Callable[[str, UnitOfWorkFactory, datetime], None]  # services' sign_out(token, …)
YEAR = 365 * 24 * 3600  # seconds the language cookie is kept


def _end(request: Request, token: str, sign_out: SignOut) -> None:
    sign_out(token, application(request).uow_factory, bootstrap.now())


def session_started(
    request: Request, cookie: str, token: str, lifetime: int, sign_out: SignOut
) -> Response:
    """After a sign-in: the browser's earlier session of these pages ends (one open per
    browser), and a 303 to the start page keeps `token` in `cookie` for `lifetime` seconds."""
    previous = session_token(request)
    if previous is not None:
        _end(request, previous, sign_out)
    response = redirect(request, "/")
    set_cookie(request, response, cookie, token, lifetime)
    return response


def session_ended(request: Request, cookie: str, sign_out: SignOut) -> Response:
    """A sign-out: the browser's session ends (if it has one), `cookie` is forgotten, and a
    303 goes to the sign-in."""
    token = session_token(request)
    if token is not None:
        _end(request, token, sign_out)
    response = redirect(request, "/sign-in")
    forget_cookie(request, response, cookie)
    return response


def language_chosen(request: Request, language: str, back: str) -> Response:
    """Show these pages in `language` from now on, and go back to the page `back` (a path
    of these pages' own: never another site)."""
    base = request.scope.get("root_path", "")
    path = back.removeprefix(base) if back.startswith(base + "/") else "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        path = "/"
    response = redirect(request, path)
    if language in LANGUAGES:
        set_cookie(request, response, LANGUAGE_COOKIE, language, YEAR)
    return response
