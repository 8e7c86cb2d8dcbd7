"""What each kind of actor may do (services/scope.py)."""

from __future__ import annotations

from datetime import date

import pytest

from fordring.domain.api_access import Permission
from fordring.domain.errors import Forbidden
from fordring.services.scope import (
    COMMAND_LINE,
    DAILY_RUN,
    Actor,
    ActorKind,
    Scope,
    debtor,
    may,
    require,
)

DAY = date(2026, 12, 3)


def _scope(actor: Actor) -> Scope:
    return Scope(1, actor, DAY)


@pytest.mark.parametrize("permission", list(Permission))
def test_a_debtor_may_nothing_that_needs_a_permission(permission: Permission) -> None:
    scope = _scope(debtor(42))
    assert not may(scope, permission)
    with pytest.raises(Forbidden, match="debtor"):
        require(scope, permission)


@pytest.mark.parametrize("permission", list(Permission))
def test_the_command_line_and_the_daily_run_may_everything(permission: Permission) -> None:
    assert may(_scope(COMMAND_LINE), permission)
    assert may(_scope(DAILY_RUN), permission)


def test_a_read_only_user_may_not_write_payments_but_an_administrator_may() -> None:
    reader = Actor(ActorKind.USER, "r@example.no", "read_only")
    admin = Actor(ActorKind.USER, "a@example.no", "administrator")
    assert not may(_scope(reader), Permission.WRITE_PAYMENTS)
    with pytest.raises(Forbidden, match="the role read_only may not"):
        require(_scope(reader), Permission.WRITE_PAYMENTS)
    assert may(_scope(admin), Permission.WRITE_PAYMENTS)


def test_the_debtor_is_named_by_the_case_in_the_history() -> None:
    assert str(debtor(42)) == "debtor (case 42)"
