"""What makes a bank file's payment look like one booked before (issue 14, 9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fordring.domain.look_alikes import LookAlikes, Seen

DAY = date(2026, 3, 13)
BOOKED = [
    Seen(7, DAY, Decimal("1000.00"), "0000000018", "12345678903", "000000001"),
    Seen(8, DAY, Decimal("500.00"), "0000000026", "12345678903", ""),  # no bank reference
    Seen(9, DAY, Decimal("-1000.00"), "0000000018", "12345678903", "000000003"),  # money out
]


def test_the_same_bank_reference_amount_and_day_is_the_same_payment() -> None:
    seen = LookAlikes(BOOKED)
    alike = seen.of(DAY, Decimal("1000.00"), "0000000018", "12345678903", "000000001")
    assert alike is not None and alike[0] == 7
    assert "the same bank reference 000000001, amount 1000.00 and date 2026-03-13" in alike[1]
    # Another reference is another transfer, however alike the rest.
    assert seen.of(DAY, Decimal("1000.00"), "0000000018", "12345678903", "000000002") is None
    assert seen.of(DAY, Decimal("999.00"), "0000000018", "12345678903", "000000001") is None
    assert seen.of(date(2026, 3, 14), Decimal("1000.00"), "", "", "000000001") is None


def test_without_a_reference_kid_amount_day_and_payer_account_decide() -> None:
    seen = LookAlikes(BOOKED)
    alike = seen.of(DAY, Decimal("500.00"), "0000000026", "12345678903", "")
    assert alike is not None and alike[0] == 8
    assert "the same KID 0000000026, amount 500.00, date 2026-03-13 and payer account" in alike[1]
    assert seen.of(DAY, Decimal("500.00"), "0000000026", "99999999999", "") is None
    assert seen.of(DAY, Decimal("500.00"), "0000000034", "12345678903", "") is None
    # A payment with no reference is compared with every booked one, referenced or not.
    assert seen.of(DAY, Decimal("1000.00"), "0000000018", "12345678903", "") is not None


def test_money_out_looks_only_like_money_out() -> None:
    seen = LookAlikes(BOOKED)
    alike = seen.of(DAY, Decimal("-1000.00"), "0000000018", "12345678903", "000000003")
    assert alike is not None and alike[0] == 9
    assert seen.of(DAY, Decimal("1000.00"), "0000000018", "12345678903", "000000003") is None


def test_nothing_booked_on_the_days_is_nothing_to_compare_with() -> None:
    assert not LookAlikes([])
    assert LookAlikes([]).of(DAY, Decimal("1.00"), "", "", "") is None
