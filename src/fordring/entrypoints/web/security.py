"""The portal's cookies and CSRF tokens (docs/portal.md).

Cookies are HttpOnly and SameSite=Lax, and Secure when the request came over https or
the setting `secure_cookies` (FORDRING_SECURE_COOKIES) says the portal is behind an https
proxy. The session cookie holds the session's token; the database keeps only its hash.

Every form carries a CSRF token, and every POST (every method but GET, HEAD and OPTIONS)
is refused (403, nothing done) by `require_csrf`, the portal application's dependency that
runs before any handler (none has to remember it), unless it sends the token in the form
field or in the X-CSRF-Token header (htmx requests): for a signed-in browser an HMAC of
its session token (another site can read neither), before sign-in a random value also
kept in a cookie of its own (the double-submit pattern).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

SESSION_COOKIE = "fordring_session"
CSRF_COOKIE = "fordring_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_CSRF_LENGTH = 43  # URL-safe base64 of 32 random bytes


class CsrfRefused(Exception):
    """A POST without the right CSRF token (HTTP 403)."""


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def _of_session(token: str) -> str:
    return hmac.new(token.encode(), b"fordring csrf", hashlib.sha256).hexdigest()


def _pre_session(request: Request) -> str | None:
    found = request.cookies.get(CSRF_COOKIE)
    if found and len(found) == _CSRF_LENGTH and found.isascii():
        return found
    return None


def csrf_token(request: Request) -> str:
    """The token this request's forms carry (made now, and its cookie set by `finish`, for
    a browser that has none yet)."""
    token = session_token(request)
    if token is not None:
        return _of_session(token)
    found = _pre_session(request) or getattr(request.state, "new_csrf", None)
    if found is None:
        found = secrets.token_urlsafe(32)
        request.state.new_csrf = found
    return str(found)


def check_csrf(request: Request, sent: str | None) -> None:
    """CsrfRefused unless `sent` (the form's field, else the header) is the token of the
    browser's session, or before sign-in the one in its CSRF cookie."""
    sent = sent or request.headers.get(CSRF_HEADER) or ""
    token = session_token(request)
    expected = _of_session(token) if token is not None else _pre_session(request)
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused("the form's CSRF token is missing or wrong")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def require_csrf(request: Request) -> None:
    """The portal's guard for every route (app.py): CsrfRefused for a request of an unsafe
    method without the right token (the form's field, else the header)."""
    if request.method in SAFE_METHODS:
        return
    sent: object = None
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get(CSRF_FIELD)  # parsed once: the handler reuses it
    check_csrf(request, sent if isinstance(sent, str) else None)


def is_secure(request: Request) -> bool:
    settings_say: bool = request.app.state.application.settings.secure_cookies
    return settings_say or request.url.scheme == "https"


def set_cookie(
    request: Request, response: Response, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=request.scope.get("root_path") or "/",
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
    )


def forget_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name,
        path=request.scope.get("root_path") or "/",
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
    )


def finish(request: Request, response: Response) -> Response:
    """The response with the CSRF cookie a form on it needs (if made for this request) and
    the headers every page has: not framed by other sites, scripts and styles of its own
    only, and (it shows a company's figures) never kept in a cache."""
    new = getattr(request.state, "new_csrf", None)
    if new is not None:
        set_cookie(request, response, CSRF_COOKIE, new, None)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response
