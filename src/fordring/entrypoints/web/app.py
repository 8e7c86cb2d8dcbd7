"""The portal's application: its pages, static files (htmx, the style sheet) and error
pages; `mount` puts it under /portal of the API's application, and / leads to it."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from fordring import bootstrap
from fordring.domain.errors import Conflict, Forbidden, NotFound
from fordring.entrypoints.web import (
    api_keys_page,
    cases_page,
    dashboard_page,
    invoices_page,
    objections_page,
    pages,
    payments_page,
    plans_page,
    reports_page,
    settings_page,
    settlements_page,
    users_page,
    webhooks_page,
)
from fordring.entrypoints.web.rendering import page
from fordring.entrypoints.web.security import BodyLimit, CsrfRefused, require_csrf
from fordring.entrypoints.web.visitor import SignInNeeded, redirect, signed_in

PORTAL = "/portal"
STATIC = Path(__file__).parent / "static"


def create_portal(application: bootstrap.Application) -> FastAPI:
    # every route, POST or not, passes require_csrf first (a handler need not remember it)
    portal = FastAPI(
        openapi_url=None, docs_url=None, redoc_url=None, dependencies=[Depends(require_csrf)]
    )
    portal.state.application = application
    portal.include_router(pages.router)
    portal.include_router(users_page.router)
    portal.include_router(cases_page.router)
    portal.include_router(objections_page.router)
    portal.include_router(plans_page.router)
    portal.include_router(dashboard_page.router)
    portal.include_router(reports_page.router)
    portal.include_router(invoices_page.router)
    portal.include_router(settings_page.router)
    portal.include_router(api_keys_page.router)
    portal.include_router(webhooks_page.router)
    portal.include_router(payments_page.router)
    portal.include_router(settlements_page.router)
    portal.mount("/static", StaticFiles(directory=STATIC), name="static")
    portal.add_middleware(BodyLimit, limits=payments_page.BODY_LIMITS)

    @portal.exception_handler(CsrfRefused)
    def csrf_refused(request: Request, error: CsrfRefused) -> Response:
        return page(request, "error.html", problem="csrf", status=403)

    @portal.exception_handler(SignInNeeded)
    def sign_in_needed(request: Request, error: SignInNeeded) -> Response:
        return redirect(request, "/sign-in")

    @portal.exception_handler(Forbidden)
    def forbidden(request: Request, error: Forbidden) -> Response:
        user = signed_in(request)
        return page(request, "error.html", user=user, problem="forbidden", status=403)

    @portal.exception_handler(NotFound)
    def not_found(request: Request, error: NotFound) -> Response:
        user = signed_in(request)
        return page(request, "error.html", user=user, problem="not_found", status=404)

    @portal.exception_handler(Conflict)
    def busy(request: Request, error: Conflict) -> Response:
        # other work held the same rows too long (SQLite's busy writer, a lost race):
        # nothing was done, and the same request may pass in a moment
        return page(request, "error.html", problem="busy", status=503)

    @portal.exception_handler(Exception)
    def failed(request: Request, error: Exception) -> Response:
        # Starlette raises the error on after this page is sent, so the server logs it;
        # the browser gets a plain page, never the traceback
        return page(request, "error.html", problem="error", status=500)

    @portal.exception_handler(HTTPException)
    def http_error(request: Request, error: HTTPException) -> Response:
        problem = {404: "not_found", 413: "too_large"}.get(error.status_code, "error")
        return page(request, "error.html", problem=problem, status=error.status_code)

    return portal


def mount(api: FastAPI, application: bootstrap.Application) -> None:
    """The portal under /portal of `api`, and / redirecting to it (neither is in the API's
    OpenAPI document)."""
    api.mount(PORTAL, create_portal(application))

    @api.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(PORTAL + "/", status_code=307)
