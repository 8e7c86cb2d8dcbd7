"""The debtor's access codes and PINs (domain/debtor_access.py): how a typed code is read,
that only hashes are compared, and the rules for wrong tries, old codes and sessions."""

from __future__ import annotations

import hmac
import time
from datetime import UTC, datetime, timedelta

import pytest

from fordring.domain.debtor_access import (
    CODE_LENGTH,
    DEFAULT_RULES,
    AccessRules,
    address_key,
    after_failure,
    code_hash,
    is_code,
    masked_code,
    masked_pin,
    normal_code,
    pin_hash,
    pin_matches,
    session_ends_at,
    spaced_code,
    superseded_long_ago,
)

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
KEY = b"a test key of at least thirty-two characters"


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
    stored = pin_hash(KEY, "salt-one", "123456")
    assert len(stored) == 64 and "123456" not in stored
    assert pin_matches(KEY, "salt-one", stored, "123456")
    assert pin_matches(KEY, "salt-one", stored, "123 456")  # spaces forgiven
    assert not pin_matches(KEY, "salt-one", stored, "123457")
    assert not pin_matches(KEY, "salt-two", stored, "123456")
    assert pin_hash(KEY, "salt-one", "123456") != pin_hash(KEY, "salt-two", "123456")
    assert masked_pin() == "\u2022" * 8 and CODE_LENGTH == 12


def test_a_pin_stored_under_one_key_does_not_match_under_another() -> None:
    """A lost or changed key: every PIN stored before it fails (docs/debtor_page.md)."""
    stored = pin_hash(KEY, "salt-one", "12345678")
    other = b"another installation's key, 32 characters or more"
    assert not pin_matches(other, "salt-one", stored, "12345678")
    assert pin_hash(other, "salt-one", "12345678") != stored


def test_a_pin_is_compared_in_constant_time_and_nothing_matches_the_dummy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The comparison is `hmac.compare_digest` (it does not stop at the first difference),
    whatever is typed; the unknown code's dummy hash (no hex of an HMAC) matches no PIN."""
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    stored = pin_hash(KEY, "salt", "12345678")
    assert pin_matches(KEY, "salt", stored, "12345678")
    assert not pin_matches(KEY, "salt", stored, "")
    assert not pin_matches(KEY, "0" * 32, "0" * 64, "00000000")
    assert len(compared) == 3 and all(len(a) == len(b) == 64 for a, b in compared)


def test_a_pin_hash_takes_microseconds_not_milliseconds() -> None:
    """The daily run makes one for each of tens of thousands of letters (decision 0015):
    a thousand take well under a second even on a loaded machine (measured: ~2 µs each)."""
    started = time.perf_counter()
    for n in range(1000):
        pin_hash(KEY, "0123456789abcdef0123456789abcdef", f"{n:08d}")
    assert time.perf_counter() - started < 0.5


def test_the_fifth_wrong_pin_in_a_row_locks_the_code_for_the_lockout() -> None:
    failures, locked = 0, None
    for _ in range(DEFAULT_RULES.max_failures - 1):
        failures, locked = after_failure(failures, NOW, DEFAULT_RULES)
        assert locked is None
    failures, locked = after_failure(failures, NOW, DEFAULT_RULES)
    assert (failures, locked) == (0, NOW + DEFAULT_RULES.lockout)
    assert after_failure(0, NOW, AccessRules(max_failures=1)) == (0, NOW + DEFAULT_RULES.lockout)


def test_an_older_letters_code_works_for_a_while_after_a_newer_one_replaced_it() -> None:
    assert not superseded_long_ago(None, NOW + timedelta(days=3650), DEFAULT_RULES)
    replaced = NOW - DEFAULT_RULES.superseded_valid
    assert superseded_long_ago(replaced, NOW, DEFAULT_RULES)
    assert not superseded_long_ago(replaced + timedelta(seconds=1), NOW, DEFAULT_RULES)


def test_a_session_ends_when_idle_or_at_its_longest() -> None:
    assert session_ends_at(NOW, NOW, DEFAULT_RULES) == NOW + timedelta(minutes=20)
    late = NOW + timedelta(hours=1, minutes=50)
    assert session_ends_at(NOW, late, DEFAULT_RULES) == NOW + timedelta(hours=2)


def test_an_ipv6_address_counts_by_its_64_and_an_ipv4_one_by_itself() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:10.0.0.1") == address_key("10.0.0.1") == "10.0.0.1"
    assert address_key("testclient") == "testclient"


def test_a_code_printed_again_shows_only_its_last_four_characters() -> None:
    assert masked_code("ABCD-2345-WXYZ") == "\u2022\u2022\u2022\u2022-\u2022\u2022\u2022\u2022-WXYZ"
    assert masked_code(masked_code("ABCD2345WXYZ")) == masked_code("ABCD2345WXYZ")
