"""The REST API application (SPEC I2, docs/api.md): FastAPI with synchronous routes (run
in its thread pool), versioned under `/api/v1`, OpenAPI 3.1 at `/api/v1/openapi.json`, an
offline reference page at `/api/docs`. Each route is a thin call of one service, in one
transaction per request (docs/decisions/0014-one-unit-of-work-per-request.md)."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from starlette.routing import BaseRoute

from fordring import bootstrap
from fordring.entrypoints.api import (
    api_keys,
    cases,
    collection,
    companies,
    customers,
    daily_run,
    invoices,
    law,
    lean_route,
    payments,
    plans,
    problems,
    reference,
    settlements,
    webhooks,
)
from fordring.entrypoints.api.schemas import ProblemOut
from fordring.entrypoints.web.app import mount as mount_portal
from fordring.entrypoints.web.debtor.app import mount as mount_debtor_pages

PREFIX = "/api/v1"
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemOut, "content": {problems.PROBLEM_JSON: {}}, "description": what}
    for status, what in (
        (401, "no valid API key"),
        (403, "the key's role does not allow it"),
        (404, "not there (or another company's)"),
        (409, "a conflict: try again"),
        (422, "invalid input: every field named"),
    )
}


SETTINGS_ENV = "FORDRING_SERVE_SETTINGS"  # `fordring serve --workers`: each process's settings


@asynccontextmanager
async def _threads_as_connections(app: FastAPI) -> AsyncIterator[None]:
    """The routes run in the thread pool (anyio's, 40 threads by default): no more threads
    than the process's database connections, so a request waits for a thread (in the event
    loop, in order) rather than for a connection inside a thread it holds. The case
    lookup's own pool (lean_route.py) has as many threads as the limiter has tokens, and
    its threads end with the app."""
    application: bootstrap.Application | None = app.state.application
    if application is not None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = application.database_connections
    try:
        yield
    finally:
        await lean_route.close_threads()


def create_app(application: bootstrap.Application | None = None) -> FastAPI:
    """The API over `application` (None: no database; enough for the OpenAPI document)."""
    app = FastAPI(
        lifespan=_threads_as_connections,
        title="fordring API",
        version="1",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        description="Accounts receivable and debt collection for Norwegian businesses. "
        "Send the API key as `Authorization: Bearer fk_…`; see docs/api.md.",
    )
    app.state.application = application
    for router in (
        companies.router,
        customers.router,
        invoices.router,
        payments.router,
        cases.router,
        plans.router,
        collection.router,
        settlements.router,
        law.router,
        daily_run.router,
        api_keys.router,
        webhooks.router,
    ):
        app.include_router(router, prefix=PREFIX, responses=ERRORS)
    problems.install(app)
    documented = list(app.router.routes)  # the OpenAPI document's order (docs/api.md)
    _case_lookup_first(app)
    lean_route.check_routes(app)  # a lean route asking for more is refused now

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _with_headers(get_openapi_of(app, documented))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(reference.page(app.openapi()))

    if application is not None:
        mount_portal(app, application)  # the portal at /portal (docs/portal.md)
        mount_debtor_pages(app, application)  # the debtor's pages at /d (docs/debtor_page.md)
    return app


def app_of_environment() -> FastAPI:
    """The API of one of `fordring serve --workers`' processes: the settings the command
    put in SETTINGS_ENV (uvicorn starts each process with this factory)."""
    settings = bootstrap.Settings(**json.loads(os.environ[SETTINGS_ENV]))
    return create_app(bootstrap.Application(settings))


def settings_for_workers(application: bootstrap.Application) -> str:
    return json.dumps(dataclasses.asdict(application.settings))


def get_openapi_of(app: FastAPI, routes: list[BaseRoute] | None = None) -> dict[str, Any]:
    return get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes if routes is None else routes,
    )


def _case_lookup_first(app: FastAPI) -> None:
    """Match a request against the cases' routes first. FastAPI tries a path on the routes
    in order, every route of each included router in turn (about 20 before `/cases/{n}`,
    a tenth of a lookup's CPU in the server); the case lookup is the API's most frequent
    request (issue 17). No match changes: each router's paths begin with a segment of its
    own. The OpenAPI document keeps the order the routers were included in."""
    app.router.routes.sort(
        key=lambda route: getattr(route, "original_router", None) is not cases.router
    )


def _with_headers(spec: dict[str, Any]) -> dict[str, Any]:
    """The key (bearer) on every operation, `Idempotency-Key` on every POST."""
    components = spec.setdefault("components", {})
    components["securitySchemes"] = {
        "apiKey": {"type": "http", "scheme": "bearer", "description": "fk_<prefix>_<secret>"}
    }
    spec["security"] = [{"apiKey": []}]
    for item in spec["paths"].values():
        operation = item.get("post")
        if operation is not None:
            operation.setdefault("parameters", []).append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 255},
                    "description": "a repeat with the same key gets the stored answer",
                }
            )
    return spec


def openapi_document() -> dict[str, Any]:
    return create_app().openapi()
