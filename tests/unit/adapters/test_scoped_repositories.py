"""A unit of work's repositories (adapters/db/scoped.py): built when first used, kept
while it is entered, dropped when it is entered again, a subclass's own included."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import Connection

from fordring.adapters.db.scoped import Scoped, built_on_use
from fordring.services.scope import COMMAND_LINE, Scope


class _Unit(Scoped):
    def __init__(self) -> None:
        self.scope = Scope(1, COMMAND_LINE, date(2026, 12, 6))

    @built_on_use
    def own(self) -> tuple[Any, int]:
        return (self._connection, id(self))


def _connection() -> Connection:
    return cast(Connection, object())  # the repositories only keep it until used


def test_a_repository_is_built_once_when_first_used() -> None:
    unit = _Unit()
    unit._build(_connection())
    assert "collection" not in vars(unit)
    assert unit.collection is unit.collection


def test_entering_again_drops_what_the_last_entry_built_a_subclasss_own_included() -> None:
    unit = _Unit()
    first, second = _connection(), _connection()
    unit._build(first)
    collection, own = unit.collection, unit.own
    unit._build(second)
    assert unit.collection is not collection
    assert own[0] is first
    assert unit.own[0] is second
    assert {"collection", "own", "invoices"} <= set(_Unit._repositories)


def test_each_unit_of_work_builds_its_own() -> None:
    one, other = _Unit(), _Unit()
    one._build(_connection())
    other._build(_connection())
    assert one.collection is not other.collection
    assert one.own[1] != other.own[1]
