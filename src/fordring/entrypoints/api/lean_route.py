"""A route whose only parameters are a number in its path and the request, answered
without FastAPI's per-request dependency solving when the number is written plainly
(issue 17: the case lookup, the API's most frequent request). FastAPI's parameter
handling was about a tenth of a lookup's CPU in the server: for a route like this it
validates one integer and hands over the request.

A path whose number is not written plainly (`1` to `9223372036854775807` in digits, no
sign, no leading zero) goes to FastAPI's own handler, so every refusal (422) and its body
are FastAPI's, as are the OpenAPI document and the exception handlers: only the parsing
of a valid number is skipped.

The route's function runs in a thread as every synchronous route's does, under the same
limit (anyio's default thread limiter, which `app._threads_as_connections` sets to the
process's database connections), but handed over by asyncio's own executor rather than
anyio's worker threads: about 25-35 µs of CPU a request instead of 65-85 with 16 at once
(measured under uvloop, docs/performance.md, session 13)."""

from __future__ import annotations

import asyncio
import contextvars
import re
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import anyio.to_thread
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,18}")
LARGEST = 2**63 - 1  # the numbers' columns are BIGINT
MOST_THREADS = 64  # the limiter's tokens bound how many work at once (the connections)

T = TypeVar("T")
_executor: ThreadPoolExecutor | None = None
_making = threading.Lock()


def _threads() -> ThreadPoolExecutor:
    global _executor
    with _making:
        if _executor is None:
            _executor = ThreadPoolExecutor(MOST_THREADS, thread_name_prefix="route")
        return _executor


async def run_in_thread(func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in a thread, once the default thread limiter (shared with FastAPI's
    other synchronous routes) gives a token; the token is given back when the function
    has returned, even if the request was cancelled meanwhile (it is not stopped), so no
    more functions run at once than the limiter allows. In this request's context
    (contextvars), as anyio's threads run them."""
    limiter = anyio.to_thread.current_default_thread_limiter()
    holder = object()
    await limiter.acquire_on_behalf_of(holder)
    try:
        running = asyncio.get_running_loop().run_in_executor(
            _threads(), contextvars.copy_context().run, func, *args
        )
    except BaseException:
        limiter.release_on_behalf_of(holder)
        raise

    def done(ended: asyncio.Future[T]) -> None:
        limiter.release_on_behalf_of(holder)
        if not ended.cancelled():
            ended.exception()  # retrieved: a cancelled request's error is not logged again

    running.add_done_callback(done)
    return await asyncio.shield(running)


def plain_number(text: str) -> int | None:
    """`text` as the number it plainly writes, or None (FastAPI's handler decides)."""
    if PLAIN_NUMBER.fullmatch(text) is None:
        return None
    number = int(text)
    return number if number <= LARGEST else None


class NumberRoute(APIRoute):
    """A route `f(number: int, request: Request) -> Response` (a synchronous `def`) with
    `{number}` in its path, `number` declared between 1 and 2**63 - 1."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        standard = super().get_route_handler()
        endpoint = self.endpoint

        async def handle(request: Request) -> Response:
            number = plain_number(request.path_params.get("number", ""))
            if number is None:
                return await standard(request)
            response: Response = await run_in_thread(endpoint, number, request)
            return response

        return handle
