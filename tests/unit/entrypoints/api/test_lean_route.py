"""The lean route's thread hand-off (entrypoints/api/lean_route.py): no more functions
run at once than the default thread limiter allows, a token comes back only when its
function has returned (a cancelled request's included), errors and context pass."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, TypeVar

import anyio.to_thread
import pytest
from fastapi import APIRouter, Depends, FastAPI, Path, Request, Response
from fastapi.testclient import TestClient

from fordring.entrypoints.api.app import create_app
from fordring.entrypoints.api.lean_route import (
    LeanRouteRefused,
    NumberRoute,
    check_routes,
    run_here_or_in_thread,
    run_in_thread,
)

ASKED: contextvars.ContextVar[str] = contextvars.ContextVar("asked", default="")
T = TypeVar("T")


def _run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run` in a thread of its own: a test before this one in the same process
    (Playwright's synchronous API in the browser tests) may leave an event loop running in
    the main thread, where `asyncio.run` refuses to start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_no_more_functions_run_at_once_than_the_limiter_allows() -> None:
    """Two tokens: the functions meet in pairs at a barrier of two (one token would
    leave each waiting for a partner: BrokenBarrierError), never three at once."""
    running, most = 0, 0
    lock = threading.Lock()
    pair = threading.Barrier(2, timeout=5)

    def work(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        pair.wait()
        with lock:
            running -= 1
        return n * 2

    async def main() -> list[int]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 2
        return list(await asyncio.gather(*(run_in_thread(work, n) for n in range(8))))

    assert _run_apart(main()) == [n * 2 for n in range(8)]
    assert most == 2


async def _until(condition: Callable[[], bool], seconds: float = 5) -> None:
    """Wait in the event loop until `condition()` holds (AssertionError after `seconds`)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        await asyncio.sleep(0.001)


@pytest.mark.parametrize("outcome", ["returns", "raises"])
def test_a_cancelled_request_ends_when_its_function_has_returned(outcome: str) -> None:
    """Its thread's transaction is over before the request is (as anyio's run_sync), its
    token held until then, and the request ends cancelled whatever the function did."""
    started, release, ended = threading.Event(), threading.Event(), threading.Event()

    def slow() -> None:
        started.set()
        release.wait(5)
        ended.set()
        if outcome == "raises":
            raise ValueError("after the request was cancelled")

    async def main() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = 1
        task = asyncio.create_task(run_in_thread(slow))
        await _until(started.is_set)
        task.cancel()
        finished, _ = await asyncio.wait((task,), timeout=0.05)
        assert not finished  # still waiting for its function
        task.cancel()  # a second cancel does not end it sooner either
        finished, _ = await asyncio.wait((task,), timeout=0.05)
        assert not finished
        assert limiter.borrowed_tokens == 1
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert ended.is_set()
        await _until(lambda: limiter.borrowed_tokens == 0)

    _run_apart(main())


def test_the_functions_error_and_the_requests_context_pass_through() -> None:
    def fails() -> None:
        raise ValueError("no")

    async def main() -> str:
        ASKED.set("this request")
        with pytest.raises(ValueError, match="no"):
            await run_in_thread(fails)
        return await run_in_thread(ASKED.get)

    assert _run_apart(main()) == "this request"


def test_a_function_runs_on_the_loops_thread_while_a_token_is_free_else_in_a_thread() -> None:
    """With the one token free the function runs here, holding it (so a second function
    started meanwhile waits for it in a thread); the token comes back when it returns,
    and its error passes through with the token given back too."""
    seen: list[tuple[str, int]] = []
    release = threading.Event()

    async def main() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = 1
        loop_thread = threading.get_ident()

        def here() -> str:
            seen.append(("here", limiter.borrowed_tokens))
            return "here" if threading.get_ident() == loop_thread else "thread"

        assert await run_here_or_in_thread(here) == "here"
        assert limiter.borrowed_tokens == 0

        def holds() -> None:
            release.wait(5)

        holding = asyncio.create_task(run_in_thread(holds))
        await _until(lambda: limiter.borrowed_tokens == 1)
        waiting = asyncio.create_task(run_here_or_in_thread(here))
        await asyncio.sleep(0.05)
        assert not waiting.done()  # no token: it waits for one, then runs in a thread
        release.set()
        assert await waiting == "thread"
        await holding

        def fails() -> None:
            raise ValueError("no")

        with pytest.raises(ValueError, match="no"):
            await run_here_or_in_thread(fails)
        assert limiter.borrowed_tokens == 0

    _run_apart(main())
    assert seen == [("here", 1), ("here", 1)]


Number = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _lookup(number: Number, request: Request) -> Response:
    return Response(str(number))


def _app_of(router: APIRouter, **include: Any) -> FastAPI:
    app = FastAPI()
    app.include_router(router, prefix="/v1", **include)
    check_routes(app)
    return app


def _nothing() -> None:
    return None


def test_a_route_as_the_lean_path_expects_is_built_and_answers() -> None:
    router = APIRouter()
    router.add_api_route("/cases/{number}", _lookup, route_class_override=NumberRoute)
    answer = TestClient(_app_of(router)).get("/v1/cases/42")
    assert (answer.status_code, answer.text) == (200, "42")


def _app_with_a_dependency(where: str) -> FastAPI:
    depends = [Depends(_nothing)]
    router = APIRouter(dependencies=depends if where == "router" else None)
    router.add_api_route(
        "/cases/{number}",
        _lookup,
        route_class_override=NumberRoute,
        dependencies=depends if where == "route" else None,
    )
    return _app_of(router, dependencies=depends if where == "include_router" else None)


@pytest.mark.parametrize("where", ["route", "router", "include_router"])
def test_a_route_with_a_dependency_is_refused_when_the_app_is_built(where: str) -> None:
    with pytest.raises(LeanRouteRefused, match="dependencies"):
        _app_with_a_dependency(where)


def _unbounded(number: Annotated[int, Path(ge=1)], request: Request) -> Response:
    return Response(str(number))


def _no_request(number: Number) -> Response:
    return Response(str(number))


def _with_query(number: Number, request: Request, q: int = 0) -> Response:
    return Response(str(number))


async def _asynchronous(number: Number, request: Request) -> Response:
    return Response(str(number))


@pytest.mark.parametrize(
    ("endpoint", "path", "why"),
    [
        (_unbounded, "/cases/{number}", "between 1 and"),
        (_no_request, "/cases/{number}", "parameters"),
        (_with_query, "/cases/{number}", "parameters"),
        (_asynchronous, "/cases/{number}", "synchronous"),
        (_lookup, "/cases/{number}/{other}", "parameters"),
    ],
)
def test_a_route_the_lean_path_would_handle_differently_is_refused(
    endpoint: Callable[..., Any], path: str, why: str
) -> None:
    router = APIRouter()
    with pytest.raises(LeanRouteRefused, match=why):
        router.add_api_route(path, endpoint, route_class_override=NumberRoute)


def test_a_route_with_a_response_class_of_its_own_is_refused() -> None:
    router = APIRouter()
    with pytest.raises(LeanRouteRefused, match="response class"):
        router.add_api_route(
            "/cases/{number}", _lookup, route_class_override=NumberRoute, response_class=Response
        )


def test_the_function_is_called_with_named_arguments() -> None:
    def swapped(request: Request, number: Number) -> Response:
        return Response(f"{number} {request.url.path}")

    router = APIRouter()
    router.add_api_route("/cases/{number}", swapped, route_class_override=NumberRoute)
    assert TestClient(_app_of(router)).get("/v1/cases/7").text == "7 /v1/cases/7"


def _route_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("route_")]


def test_as_many_functions_run_at_once_as_the_limiter_has_tokens() -> None:
    """The pool is sized from the limiter: 70 functions that each wait for all 70 at a
    barrier finish (a pool of fewer threads than tokens would leave some waiting)."""
    at_once = 70
    barrier = threading.Barrier(at_once, timeout=5)

    async def main() -> list[int]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = at_once
        return list(await asyncio.gather(*(run_in_thread(barrier.wait) for _ in range(at_once))))

    assert sorted(_run_apart(main())) == list(range(at_once))


def test_the_apps_lifespan_ends_the_pools_threads() -> None:
    with TestClient(create_app()) as client:
        assert client.portal is not None
        assert client.portal.call(run_in_thread, threading.current_thread) in _route_threads()
    deadline = time.monotonic() + 5  # a pool a bigger one replaced ends its threads unjoined
    while _route_threads() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _route_threads() == []
