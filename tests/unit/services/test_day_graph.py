"""The business day's chunks of woken cases (services/day_graph.py `plan_chunks`)."""

from __future__ import annotations

from datetime import date

from fordring.services.day_graph import after_days, plan_chunks
from fordring.services.ports import Customers
from fordring.services.scope import DAILY_RUN, Scope


def test_a_day_with_no_woken_case_still_has_one_chunk_covering_every_customer() -> None:
    assert plan_chunks([]) == [Customers(0, None)]


def test_chunks_close_once_they_hold_the_size_and_never_split_a_customer() -> None:
    woken = [(3, 2), (7, 5), (9, 1), (12, 4), (20, 1)]  # (customer id, woken cases)
    chunks = plan_chunks(woken, size=6)
    # 2 + 5 cases: the customer 7 whole, though it passes 6; then 1 + 4 + 1, open above
    assert chunks == [Customers(0, 7), Customers(7, None)]
    assert plan_chunks(woken[:4], size=6)[-1] == Customers(7, None)  # 5 cases: not full
    for customer, _ in woken:
        assert sum(customer in c for c in chunks) == 1  # each customer in exactly one


def test_chunks_cover_every_customer_id_without_gaps() -> None:
    chunks = plan_chunks([(n, 1) for n in range(1, 101)], size=10)
    assert len(chunks) == 10  # the last full one reaches every id above: no empty chunk
    assert [c.after for c in chunks[1:]] == [c.up_to for c in chunks[:-1]]
    assert chunks[0].after == 0 and chunks[-1].up_to is None


def test_after_the_last_day_come_the_delivery_and_the_statements() -> None:
    jobs = after_days(Scope(7, DAILY_RUN, date(2026, 3, 16)))
    assert [(j.task, j.queue, j.lock) for j in jobs] == [
        ("deliver_waiting", "delivery", None),
        ("write_waiting_statements", "documents", "write_waiting_statements"),
    ]
