"""Requests answered together (group commit): the invoice creates of one API key that
arrive while another of them is being answered wait for it, and are then answered as one,
in one transaction with one commit, by the first of them.

Why: a create holds its company's invoice and voucher series from taking its numbers to
its commit (no gaps, no doubles: `services/issuing.py`), so one company's creates go one
at a time however many connections send them, and each pays its dozen statements and its
commit alone. Answered together, a dozen statements and a commit serve them all (issue
17's benchmark, docs/performance.md "Creates answered together").

How, for one group (one key on one route): the first request finds no one answering and
answers itself, alone, at once, so a create that comes by itself waits for no one and is
answered as it always was. Requests that come meanwhile queue. When the one answering is
done, the first of the queue answers the queue (at most `most`), the others waiting for
it, and so on. A group's answer that fails (anything: one create's customer unknown, its
KID taken, the key revoked meanwhile) is not any request's answer: each of the group is
then answered alone, in its own thread, as if it had come alone, so each gets its own
answer or error. So is a request the group's answer leaves out (None: a repeat of an
`Idempotency-Key` claimed before, replayed by the path alone).

The wait is bounded by the answer before it: a request waits for at most one group's
transaction ahead of its own. Waiting requests hold their place under the thread limit
(the process's connections) but no connection: only the one answering uses one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MOST = 64  # requests answered as one at most; a process has far fewer threads


@dataclass(eq=False)
class _Waiting(Generic[T, R]):
    item: T
    alone: Callable[[], R]  # its answer as if it had come by itself
    ready: threading.Event = field(default_factory=threading.Event)
    answered: tuple[R] | None = None  # by its group; None: answered alone
    failed: Exception | None = None  # answering it alone raised this
    leads: list[_Waiting[T, R]] | None = None  # handed the lead: the group it answers


class Together(Generic[T, R]):
    """Requests of a group answered together (the module's docstring); one per process
    for a route, shared by its threads."""

    def __init__(self, most: int = MOST) -> None:
        self.most = most
        self._lock = threading.Lock()
        self._queues: dict[Hashable, list[_Waiting[T, R]]] = {}  # groups being answered

    def answer(
        self,
        group: Hashable,
        item: T,
        together: Callable[[Sequence[T]], Sequence[R | None]],
        alone: Callable[[], R],
    ) -> R:
        """This request's answer: `alone()` if it came by itself, else its part of
        `together(items)` (the items of the requests answered with it, in the order they
        came; an answer for each, None for one to answer alone), or `alone()` when that
        raised. `group`: whose requests may be answered together (the same key and
        route: `together` answers them all as the first one's key)."""
        me: _Waiting[T, R] = _Waiting(item, alone)
        with self._lock:
            queue = self._queues.get(group)
            if queue is None:
                self._queues[group] = []  # this one answers; those that come queue
                leads: list[_Waiting[T, R]] | None = [me]
            else:
                queue.append(me)
                leads = None
        if leads is None:
            me.ready.wait()
            leads = me.leads
        if leads is not None:
            self._lead(group, leads, together)
        if me.failed is not None:
            raise me.failed
        return me.alone() if me.answered is None else me.answered[0]

    def _lead(
        self,
        group: Hashable,
        waiting: list[_Waiting[T, R]],
        together: Callable[[Sequence[T]], Sequence[R | None]],
    ) -> None:
        """Answer `waiting` (the leader first), then hand the lead to the next queue."""
        try:
            if len(waiting) == 1:  # by itself: as it always was, the lead held meanwhile
                only = waiting[0]
                try:
                    only.answered = (only.alone(),)
                except Exception as error:
                    only.failed = error
            else:
                try:
                    answers = together([w.item for w in waiting])
                except Exception:
                    answers = [None] * len(waiting)  # each answered alone, in its thread
                for w, answer in zip(waiting, answers, strict=True):
                    w.answered = None if answer is None else (answer,)
        finally:
            with self._lock:
                queue = self._queues[group]
                following = queue[: self.most]
                if following:
                    self._queues[group] = queue[self.most :]
                else:
                    del self._queues[group]
            if following:
                following[0].leads = following
                following[0].ready.set()
            for w in waiting[1:]:
                w.ready.set()
