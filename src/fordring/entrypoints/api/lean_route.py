"""A route whose only parameters are a number in its path and the request, answered
without FastAPI's per-request dependency solving when the number is written plainly
(issue 17: the case lookup, the API's most frequent request). FastAPI's parameter
handling was about a tenth of a lookup's CPU in the server: for a route like this it
validates one integer and hands over the request.

A path whose number is not written plainly (`1` to `9223372036854775807` in digits, no
sign, no leading zero) goes to FastAPI's own handler, so every refusal (422) and its body
are FastAPI's, as are the OpenAPI document and the exception handlers: only the parsing
of a valid number is skipped. A route that would need more than that (a dependency, a
body, another parameter, ...) is refused when the app is built (`NumberRoute`).

The route's function runs on the event loop's own thread when the limit of synchronous
routes running at once (anyio's default thread limiter, which
`app._threads_as_connections` sets to the process's database connections) has room at
once (`run_here_or_in_thread`, session 15); otherwise in a thread under that limit, handed
over by asyncio's own executor rather than anyio's worker threads: about 25-35 µs of CPU
a request instead of 65-85 with 16 at once (measured under uvloop, docs/performance.md,
session 13)."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import re
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from annotated_types import Ge, Le
from fastapi import FastAPI
from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, _effective_route_context_var, iter_route_contexts
from fastapi.telemetry import get_telemetry_data
from starlette.requests import Request
from starlette.responses import Response

PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,18}")
LARGEST = 2**63 - 1  # the numbers' columns are BIGINT

T = TypeVar("T")
_pool: tuple[ThreadPoolExecutor, int] | None = None  # the pool and its threads
_making = threading.Lock()


def _threads(tokens: float) -> ThreadPoolExecutor:
    """The pool, with at least as many threads as the limiter has tokens (a function
    given a token never waits for a thread); a bigger one replaces it if the limiter
    grew (the old one's threads end when their functions have)."""
    global _pool
    pool = _pool
    if pool is not None and pool[1] >= tokens:
        return pool[0]
    with _making:
        if _pool is None or _pool[1] < tokens:
            old, _pool = _pool, (ThreadPoolExecutor(int(tokens), "route"), int(tokens))
            if old is not None:
                old[0].shutdown(wait=False)
        return _pool[0]


async def close_threads() -> None:
    """End the pool's threads once their functions have returned (the app's lifespan,
    at shutdown); a later request makes a new pool."""
    global _pool
    with _making:
        pool, _pool = _pool, None
    if pool is not None:
        await asyncio.to_thread(pool[0].shutdown, wait=True)


async def run_in_thread(func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in a thread, once the default thread limiter (shared with FastAPI's
    other synchronous routes) gives a token; the token is given back when the function
    has returned, so no more functions run at once than the limiter allows. A cancelled
    request is not stopped: the caller's CancelledError is raised once its function has
    returned (its error, if any, dropped), as anyio's `run_sync` does. In this request's
    context (contextvars), as anyio's threads run them."""
    limiter = anyio.to_thread.current_default_thread_limiter()
    holder = object()
    await limiter.acquire_on_behalf_of(holder)
    try:
        running = asyncio.get_running_loop().run_in_executor(
            _threads(limiter.total_tokens), contextvars.copy_context().run, func, *args
        )
    except BaseException:
        limiter.release_on_behalf_of(holder)
        raise

    def done(ended: asyncio.Future[T]) -> None:
        limiter.release_on_behalf_of(holder)
        if not ended.cancelled():
            ended.exception()  # retrieved: a cancelled request's error is not logged again

    running.add_done_callback(done)
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        # as anyio's run_sync: a cancelled request ends when its function has returned
        # (its transaction over), not while the thread still works for it
        while not running.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait((running,))
        raise


async def run_here_or_in_thread(func: Callable[[], T]) -> T:
    """`func()` on the event loop's own thread if the default thread limiter has a token
    free at once (held while it runs, so it counts as one of the functions running, and a
    database connection is free for it); otherwise in a thread (`run_in_thread`), waiting
    for a token as every synchronous route does.

    For a short read only (the case lookup: a read-only transaction, which takes no row
    lock and waits on none; its connection is free since no more functions hold one than
    the limiter has tokens). The loop waits while it runs, as it waits for the GIL while a
    thread runs Python: on two cores the hand-off cost more than it saved. Measured on
    1,000,000 cases against the thread in 6 pairs (docs/performance.md, session 15):
    10-28 % less CPU a lookup, and at 500/s a p99 of 10-231 ms against 265-4,820 ms (the
    loop and 16 threads no longer take the GIL from each other)."""
    limiter = anyio.to_thread.current_default_thread_limiter()
    holder = object()
    try:
        limiter.acquire_on_behalf_of_nowait(holder)
    except anyio.WouldBlock:
        return await run_in_thread(func)
    try:
        return func()
    finally:
        limiter.release_on_behalf_of(holder)


def plain_number(text: str) -> int | None:
    """`text` as the number it plainly writes, or None (FastAPI's handler decides)."""
    if PLAIN_NUMBER.fullmatch(text) is None:
        return None
    number = int(text)
    return number if number <= LARGEST else None


class NumberRoute(APIRoute):
    """A route `f(number: int, request: Request) -> Response` (a synchronous `def`) with
    `{number}` in its path, `number` declared between 1 and 2**63 - 1, nothing else: no
    dependencies (its own, its router's or an including router's), no body, no other
    parameter, the default response class. Anything else is refused when the route's
    handler is built (`LeanRouteRefused`: for an included router's route, when the app's
    routes are first walked: `create_app` does it), since the lean path would skip it.
    While OpenTelemetry traces the request (FastAPI's telemetry data is set) the request
    goes to FastAPI's handler, which records it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        standard = super().get_route_handler()
        effective = _effective_route_context_var.get()
        route: Any = effective if getattr(effective, "original_route", None) is self else self
        endpoint = _lean_endpoint(route)

        async def handle(request: Request) -> Response:
            number = plain_number(request.path_params.get("number", ""))
            if number is None or get_telemetry_data() is not None:
                return await standard(request)
            call = partial(endpoint, number=number, request=request)
            response: Response = await run_here_or_in_thread(call)
            return response

        return handle


class LeanRouteRefused(TypeError):
    """A NumberRoute whose declaration asks for more than the lean path does."""


def _lean_endpoint(route: Any) -> Callable[..., Any]:
    """The route's function, once it is certain the lean path skips nothing FastAPI's
    handler would do for it; else LeanRouteRefused (when the app is built)."""
    dependant: Dependant = route.dependant
    why = [
        *(["it has dependencies"] if route.dependencies or dependant.dependencies else []),
        *(["it has a body"] if route.body_field is not None else []),
        *(["its parameters are not (number, request)"] if not _only_number(route) else []),
        *(["`number` is not an int between 1 and 2**63 - 1"] if not _bounded(dependant) else []),
        *(["its function is not a synchronous def"] if not _synchronous(dependant.call) else []),
        *(["its response class is not the default"] if not _default(route) else []),
    ]
    if why:
        raise LeanRouteRefused(f"NumberRoute {route.path}: {'; '.join(why)}")
    assert dependant.call is not None
    return dependant.call


def _only_number(route: Any) -> bool:
    dependant: Dependant = route.dependant
    specials = (
        dependant.websocket_param_name,
        dependant.http_connection_param_name,
        dependant.response_param_name,
        dependant.background_tasks_param_name,
        dependant.security_scopes_param_name,
    )
    return (
        [p.name for p in dependant.path_params] == ["number"]
        and list(route.param_convertors) == ["number"]
        and not (dependant.query_params or dependant.header_params)
        and not (dependant.cookie_params or dependant.body_params)
        and dependant.request_param_name == "request"
        and all(name is None for name in specials)
    )


def _bounded(dependant: Dependant) -> bool:
    fields = [p for p in dependant.path_params if p.name == "number"]
    if len(fields) != 1 or fields[0].field_info.annotation is not int:
        return False
    metadata = fields[0].field_info.metadata
    return Ge(1) in metadata and Le(LARGEST) in metadata


def _synchronous(call: Callable[..., Any] | None) -> bool:
    return (
        call is not None
        and not inspect.iscoroutinefunction(call)
        and not inspect.isgeneratorfunction(call)
        and not inspect.isasyncgenfunction(call)
    )


def _default(route: Any) -> bool:
    response_class = route.response_class
    return isinstance(response_class, DefaultPlaceholder) and response_class.value is JSONResponse


def check_routes(app: FastAPI) -> None:
    """Build every route's handler now (an included router's are built when first
    needed), so a NumberRoute that asks for more than its lean path does is refused when
    the app is built, not at its first request."""
    for _ in iter_route_contexts(app.router.routes):
        pass
