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

A route that takes a file has a size limit (`BodyLimit`, the portal's middleware): a
request declaring a larger body is refused (413) before a byte of it is read or parsed,
and a body sent in chunks without a length is counted as it comes and refused the same
way once it passes the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from fastapi import Request, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "fordring_session"
CSRF_COOKIE = "fordring_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_CSRF_LENGTH = 43  # URL-safe base64 of 32 random bytes


class CsrfRefused(Exception):
    """A POST without the right CSRF token (HTTP 403)."""


def session_token(request: Request) -> str | None:
    """The value of the application's session cookie: the portal's `SESSION_COOKIE`, or
    the one its `state.session_cookie` names (the debtor's pages have their own)."""
    name = getattr(request.app.state, "session_cookie", SESSION_COOKIE)
    return request.cookies.get(name) or None


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


class BodyTooLarge(HTTPException):
    """A request body over its route's limit (HTTP 413): nothing of it was parsed."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request is larger than {limit} bytes")


class BodyLimit:
    """The portal's middleware limiting the bodies of the routes in `limits` (a route's
    path within the portal -> bytes): BodyTooLarge when the declared Content-Length is
    larger, before anything is read; a body without one is counted as it arrives. The
    error is raised inside the application, so the portal's error page answers it."""

    def __init__(self, app: ASGIApp, limits: Mapping[str, int]) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", "")).removeprefix(str(scope.get("root_path", "")))
        limit = self.limits.get(path) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        too_large = declared and (not declared.isdigit() or int(declared) > limit)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            if too_large:
                raise BodyTooLarge(limit)
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)
