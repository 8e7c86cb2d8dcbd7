"""The users' rules (domain/users.py): fields, passwords, the lockout, token hashes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fordring.domain.api_access import Role
from fordring.domain.errors import InvalidInput
from fordring.domain.users import (
    LOCKOUT,
    MAX_FAILURES,
    PASSWORD_MAX,
    PASSWORD_MIN,
    USER_ROLES,
    User,
    after_failure,
    check_password,
    normal_email,
    token_hash,
    user_problems,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_users_have_the_api_keys_roles_but_the_accounting_systems() -> None:
    assert set(USER_ROLES) == set(Role) - {Role.API_USER}


def test_a_good_user_has_no_problems_and_a_bad_one_one_per_field() -> None:
    assert user_problems("kari@test.no", "Kari", "read_only") == []
    fields = [p.field for p in user_problems("kari", "", "api_user")]
    assert fields == ["email", "name", "role"]
    assert [p.code for p in user_problems("kari@test.no\n", "Kari", "read_only")] == [
        "control_character"
    ]


def test_the_email_is_compared_trimmed_and_in_lower_case() -> None:
    assert normal_email("  Kari@Test.NO ") == "kari@test.no"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("x" * (PASSWORD_MIN - 1), "too_short"),
        ("x" * (PASSWORD_MAX + 1), "too_long"),
        ("x" * PASSWORD_MIN + "\x00", "control_character"),
    ],
)
def test_a_password_too_short_too_long_or_with_a_control_character_is_refused(
    password: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password(password)
    assert [(p.field, p.code) for p in refused.value.problems] == [("password", code)]


def test_any_other_password_of_the_lengths_is_taken() -> None:
    check_password("x" * PASSWORD_MIN)
    check_password("blåbærsyltetøy 🍓 med fløte")


def test_the_fifth_failure_in_a_row_locks_for_15_minutes_and_starts_the_count_again() -> None:
    failures: int = 0
    for _ in range(MAX_FAILURES - 1):
        failures, locked = after_failure(failures, NOW)
        assert locked is None
    assert failures == MAX_FAILURES - 1
    assert after_failure(failures, NOW) == (0, NOW + LOCKOUT)
    assert timedelta(minutes=15) == LOCKOUT


def test_a_user_is_locked_until_the_moment_and_not_at_it() -> None:
    user = User(None, "a@b.no", "A", Role.READ_ONLY, "h", date(2026, 3, 2), 0, NOW)
    assert user.locked_at(NOW - timedelta(seconds=1))
    assert not user.locked_at(NOW)


def test_a_token_is_kept_as_its_sha256() -> None:
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
