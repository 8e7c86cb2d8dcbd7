"""The debtor's access codes and PINs (domain/debtor_access.py): how a typed code is read,
that only hashes are compared, and the rules for wrong tries, old codes and sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fordring.domain.debtor_access import (
    CODE_LENGTH,
    DEFAULT_RULES,
    AccessRules,
    address_allows,
    after_failure,
    code_hash,
    is_code,
    masked_pin,
    normal_code,
    pin_hash,
    pin_matches,
    session_ends_at,
    spaced_code,
    superseded_long_ago,
)

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def test_a_code_is_printed_in_groups_and_read_back_however_it_is_typed() -> None:
    assert spaced_code("ABCD2345WXYZ") == "ABCD-2345-WXYZ"
    assert normal_code(" abcd-2345 wxyz ") == "ABCD2345WXYZ"
    assert normal_code("OIL0") == "0110"  # letters a code never has are read as digits
    assert is_code(normal_code("abcd-2345-wxyz"))
    assert not is_code("ABCD2345WXY") and not is_code("ABCD2345WXYU")
    assert len(normal_code("x" * 500)) == 40


def test_only_the_hashes_are_kept_and_a_pin_is_matched_against_its_own_salt() -> None:
    hashed = code_hash("ABCD2345WXYZ")
    assert len(hashed) == 64 and "ABCD" not in hashed
    stored = pin_hash("salt-one", "123456")
    assert pin_matches("salt-one", stored, "123456")
    assert pin_matches("salt-one", stored, "123 456")  # spaces forgiven
    assert not pin_matches("salt-one", stored, "123457")
    assert not pin_matches("salt-two", stored, "123456")
    assert pin_hash("salt-one", "123456") != pin_hash("salt-two", "123456")
    assert masked_pin() == "\u2022" * 6 and CODE_LENGTH == 12


def test_the_fifth_wrong_pin_in_a_row_locks_the_code_for_the_lockout() -> None:
    failures, locked = 0, None
    for _ in range(DEFAULT_RULES.max_failures - 1):
        failures, locked = after_failure(failures, NOW, DEFAULT_RULES)
        assert locked is None
    failures, locked = after_failure(failures, NOW, DEFAULT_RULES)
    assert (failures, locked) == (0, NOW + DEFAULT_RULES.lockout)
    assert after_failure(0, NOW, AccessRules(max_failures=1)) == (0, NOW + DEFAULT_RULES.lockout)


def test_an_address_is_refused_after_its_limit_until_its_window_ends() -> None:
    rules = AccessRules(address_max_failures=3, address_window=timedelta(hours=1))
    assert address_allows(0, None, NOW, rules)
    assert address_allows(2, NOW, NOW, rules)
    assert not address_allows(3, NOW, NOW + timedelta(minutes=59), rules)
    assert address_allows(3, NOW, NOW + timedelta(hours=1), rules)


def test_an_older_letters_code_works_for_a_while_after_a_newer_one_replaced_it() -> None:
    assert not superseded_long_ago(None, NOW + timedelta(days=3650), DEFAULT_RULES)
    replaced = NOW - DEFAULT_RULES.superseded_valid
    assert superseded_long_ago(replaced, NOW, DEFAULT_RULES)
    assert not superseded_long_ago(replaced + timedelta(seconds=1), NOW, DEFAULT_RULES)


def test_a_session_ends_when_idle_or_at_its_longest() -> None:
    assert session_ends_at(NOW, NOW, DEFAULT_RULES) == NOW + timedelta(minutes=20)
    late = NOW + timedelta(hours=1, minutes=50)
    assert session_ends_at(NOW, late, DEFAULT_RULES) == NOW + timedelta(hours=2)
