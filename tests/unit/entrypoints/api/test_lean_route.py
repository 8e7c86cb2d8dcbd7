"""The lean route's thread hand-off (entrypoints/api/lean_route.py): no more functions
run at once than the default thread limiter allows, a token comes back only when its
function has returned (a cancelled request's included), errors and context pass."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import anyio.to_thread
import pytest

from fordring.entrypoints.api.lean_route import run_in_thread

ASKED: contextvars.ContextVar[str] = contextvars.ContextVar("asked", default="")


def test_no_more_functions_run_at_once_than_the_limiter_allows() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def work(n: int) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        return n * 2

    async def main() -> list[int]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = 2
        return list(await asyncio.gather(*(run_in_thread(work, n) for n in range(8))))

    assert asyncio.run(main()) == [n * 2 for n in range(8)]
    assert most == 2


def test_a_cancelled_requests_token_comes_back_when_its_function_returns() -> None:
    ended = threading.Event()

    def slow() -> None:
        time.sleep(0.1)
        ended.set()

    async def main() -> tuple[float, float]:
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = 1
        task = asyncio.create_task(run_in_thread(slow))
        await asyncio.sleep(0.02)
        task.cancel()
        await asyncio.sleep(0)
        held = limiter.borrowed_tokens  # still the slow function's
        while not ended.is_set():
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
        return held, limiter.borrowed_tokens

    assert asyncio.run(main()) == (1, 0)


def test_the_functions_error_and_the_requests_context_pass_through() -> None:
    def fails() -> None:
        raise ValueError("no")

    async def main() -> str:
        ASKED.set("this request")
        with pytest.raises(ValueError, match="no"):
            await run_in_thread(fails)
        return await run_in_thread(ASKED.get)

    assert asyncio.run(main()) == "this request"
