"""A route whose only parameters are a number in its path and the request, answered
without FastAPI's per-request dependency solving when the number is written plainly
(issue 17: the case lookup, the API's most frequent request). FastAPI's parameter
handling was about a tenth of a lookup's CPU in the server: for a route like this it
validates one integer and hands over the request.

A path whose number is not written plainly (`1` to `9223372036854775807` in digits, no
sign, no leading zero) goes to FastAPI's own handler, so every refusal (422) and its body
are FastAPI's, as are the OpenAPI document and the exception handlers: only the parsing
of a valid number is skipped. The route's function still runs in the thread pool."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

import fastapi.routing
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

PLAIN_NUMBER = re.compile(r"[1-9][0-9]{0,18}")
LARGEST = 2**63 - 1  # the numbers' columns are BIGINT


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
            # looked up per call: bench_api_inprocess.py's profile runs routes in its thread
            run = fastapi.routing.run_in_threadpool  # type: ignore[attr-defined]
            response: Response = await run(endpoint, number, request)
            return response

        return handle
