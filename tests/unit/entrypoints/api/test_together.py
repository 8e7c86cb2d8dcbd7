"""Requests of one group answered together while one of them is answered (group commit)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

import pytest
from tests.processes import wait_for

from fordring.entrypoints.api.together import Together

WAIT = 10.0


class Answering:
    """A `Together[str, str]` whose lone answers wait for `release` when told to, and a
    record of every call: who was answered alone (in which thread) and which groups."""

    def __init__(self, most: int = 64) -> None:
        self.together: Together[str, str] = Together(most)
        self.release = threading.Event()
        self.hold: set[str] = set()  # these items' lone answers wait for `release`
        self.groups: list[list[str]] = []
        self.alone: list[tuple[str, int]] = []  # (item, thread answering it)
        self.group_answer: Callable[[Sequence[str]], list[str | None]] = self.answer_each

    def answer_each(self, items: Sequence[str]) -> list[str | None]:
        return [f"{item} together" for item in items]

    def ask(self, item: str, group: str = "key") -> str:
        def grouped(items: Sequence[str]) -> Sequence[str | None]:
            self.groups.append(list(items))
            return self.group_answer(items)

        def alone() -> str:
            self.alone.append((item, threading.get_ident()))
            if item in self.hold:
                assert self.release.wait(WAIT)
            if item.startswith("bad"):
                raise ValueError(f"{item} refused")
            return f"{item} alone"

        return self.together.answer(group, item, grouped, alone)

    def queued(self, group: str = "key") -> int:
        return len(self.together._queues.get(group, []))


def _asked(
    pool: ThreadPoolExecutor,
    answering: Answering,
    items: list[str],
    ask: Callable[[str], str] | None = None,
) -> list[Future[str]]:
    """`items` asked one after the other (by `ask`, or `answering.ask`), each once the one
    before it has queued."""
    asked: list[Future[str]] = []
    for count, item in enumerate(items, start=answering.queued() + 1):
        asked.append(pool.submit(ask or answering.ask, item))
        assert wait_for(partial(_has_queued, answering, count), WAIT)
    return asked


def _has_queued(answering: Answering, count: int) -> bool:
    return answering.queued() == count


def test_a_request_by_itself_is_answered_alone_at_once() -> None:
    answering = Answering()
    assert answering.ask("one") == "one alone"
    assert answering.ask("two") == "two alone"
    assert answering.groups == [] and answering.queued() == 0


def test_those_that_come_while_one_is_answered_are_answered_together_in_order() -> None:
    answering = Answering()
    answering.hold = {"first"}
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(answering.ask, "first")
        assert wait_for(lambda: answering.alone, WAIT)  # "first" is being answered
        rest = _asked(pool, answering, ["a", "b", "c"])
        assert answering.groups == []  # they wait for "first"
        answering.release.set()
        assert first.result(WAIT) == "first alone"
        assert [f.result(WAIT) for f in rest] == ["a together", "b together", "c together"]
    assert answering.groups == [["a", "b", "c"]]
    assert [item for item, _ in answering.alone] == ["first"]


def test_a_group_that_fails_is_answered_one_by_one_each_in_its_own_thread() -> None:
    answering = Answering()
    answering.hold = {"first"}

    def refuse(items: Sequence[str]) -> list[str | None]:
        raise RuntimeError("one of them was wrong")

    answering.group_answer = refuse
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(answering.ask, "first")
        assert wait_for(lambda: answering.alone, WAIT)
        threads: dict[str, int] = {}

        def ask(item: str) -> str:
            threads[item] = threading.get_ident()
            return answering.ask(item)

        rest = _asked(pool, answering, ["a", "bad b", "c"], ask)
        answering.release.set()
        assert first.result(WAIT) == "first alone"
        assert rest[0].result(WAIT) == "a alone" and rest[2].result(WAIT) == "c alone"
        with pytest.raises(ValueError, match="bad b refused"):
            rest[1].result(WAIT)
    assert answering.groups == [["a", "bad b", "c"]]
    assert {item: thread for item, thread in answering.alone if item != "first"} == threads


def test_one_the_group_leaves_out_is_answered_alone() -> None:
    answering = Answering()
    answering.hold = {"first"}
    answering.group_answer = lambda items: [
        None if i == "repeat" else f"{i} together" for i in items
    ]
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(answering.ask, "first")
        assert wait_for(lambda: answering.alone, WAIT)
        rest = _asked(pool, answering, ["a", "repeat"])
        answering.release.set()
        assert first.result(WAIT) == "first alone"
        assert [f.result(WAIT) for f in rest] == ["a together", "repeat alone"]


def test_a_lone_answers_error_is_raised_to_its_own_request_and_the_next_go_on() -> None:
    answering = Answering()
    answering.hold = {"bad first"}
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(answering.ask, "bad first")
        assert wait_for(lambda: answering.alone, WAIT)
        rest = _asked(pool, answering, ["a", "b"])
        answering.release.set()
        with pytest.raises(ValueError, match="bad first refused"):
            first.result(WAIT)
        assert [f.result(WAIT) for f in rest] == ["a together", "b together"]
    assert answering.queued() == 0 and answering.together._queues == {}


def test_groups_wait_for_their_own_only_and_at_most_most_are_answered_as_one() -> None:
    answering = Answering(most=2)
    answering.hold = {"first"}
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(answering.ask, "first")
        assert wait_for(lambda: answering.alone, WAIT)
        assert answering.ask("other", group="another key") == "other alone"  # not held
        rest = _asked(pool, answering, ["a", "b", "c"])
        answering.release.set()
        assert first.result(WAIT) == "first alone"
        assert [f.result(WAIT) for f in rest] == ["a together", "b together", "c alone"]
    # two answered as one, then the last by itself (a group of one is answered alone)
    assert answering.groups == [["a", "b"]]
