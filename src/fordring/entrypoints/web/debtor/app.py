"""The debtor's pages as an application (docs/debtor_page.md): their routers, the CSRF
guard and body limits the portal has (entrypoints/web/security.py), their own session
cookie, and error pages; `mount` puts it under /d of the API's application, the short
address letters print.

Each feature is a router module `<feature>_page.py` included below, one line each. A
route that takes a file adds its size limit to `BODY_LIMITS` (its path -> bytes)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from fordring import bootstrap
from fordring.domain.errors import Conflict, Forbidden, NotFound
from fordring.entrypoints.web.app import STATIC
from fordring.entrypoints.web.debtor import (
    claim_page,
    invoice_page,
    messages_page,
    objection_page,
    paid_page,
    plan_page,
    sign_in_page,
)
from fordring.entrypoints.web.debtor.pages import debtor_page
from fordring.entrypoints.web.debtor.visit import (
    SESSION_COOKIE,
    DebtorInvoiceOnly,
    DebtorSignInNeeded,
    signed_in,
)
from fordring.entrypoints.web.security import BodyLimit, CsrfRefused, require_csrf
from fordring.entrypoints.web.visitor import redirect

DEBTOR = "/d"
BODY_LIMITS: dict[str, int] = {}  # a route's path under /d -> the largest body it takes


def create_debtor_pages(application: bootstrap.Application) -> FastAPI:
    # every route, POST or not, passes require_csrf first (a handler need not remember it)
    pages = FastAPI(
        openapi_url=None, docs_url=None, redoc_url=None, dependencies=[Depends(require_csrf)]
    )
    pages.state.application = application
    pages.state.session_cookie = SESSION_COOKIE  # security.session_token reads it
    pages.include_router(sign_in_page.router)
    pages.include_router(claim_page.router)
    pages.include_router(paid_page.router)
    pages.include_router(messages_page.router)
    pages.include_router(objection_page.router)
    pages.include_router(plan_page.router)
    pages.include_router(invoice_page.router)
    pages.mount("/static", StaticFiles(directory=STATIC), name="static")
    limits = BODY_LIMITS | objection_page.body_limits(application.settings)
    pages.add_middleware(BodyLimit, limits=limits)

    @pages.exception_handler(CsrfRefused)
    def csrf_refused(request: Request, error: CsrfRefused) -> Response:
        return debtor_page(request, "error.html", signed_in(request), problem="csrf", status=403)

    @pages.exception_handler(DebtorSignInNeeded)
    def sign_in_needed(request: Request, error: DebtorSignInNeeded) -> Response:
        code = request.query_params.get("c")  # a letter's link: the code goes along
        return redirect(request, "/sign-in" + ("?" + urlencode({"c": code}) if code else ""))

    @pages.exception_handler(DebtorInvoiceOnly)
    def invoice_only(request: Request, error: DebtorInvoiceOnly) -> Response:
        return redirect(request, "/invoice")  # an invoice's code, the invoice in no case

    @pages.exception_handler(Forbidden)
    def forbidden(request: Request, error: Forbidden) -> Response:
        return debtor_page(
            request, "error.html", signed_in(request), problem="forbidden", status=403
        )

    @pages.exception_handler(NotFound)
    def not_found(request: Request, error: NotFound) -> Response:
        return debtor_page(
            request, "error.html", signed_in(request), problem="not_found", status=404
        )

    @pages.exception_handler(Conflict)
    def busy(request: Request, error: Conflict) -> Response:
        return debtor_page(request, "error.html", None, problem="busy", status=503)

    @pages.exception_handler(Exception)
    def failed(request: Request, error: Exception) -> Response:
        return debtor_page(request, "error.html", None, problem="error", status=500)

    @pages.exception_handler(HTTPException)
    def http_error(request: Request, error: HTTPException) -> Response:
        problem = {404: "not_found", 413: "too_large"}.get(error.status_code, "error")
        return debtor_page(request, "error.html", None, problem=problem, status=error.status_code)

    return pages


def mount(api: FastAPI, application: bootstrap.Application) -> None:
    """The debtor's pages under /d of `api` (not in the API's OpenAPI document)."""
    api.mount(DEBTOR, create_debtor_pages(application))
