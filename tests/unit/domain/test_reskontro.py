from datetime import date, timedelta
from decimal import Decimal

import pytest

from fordring.domain.reskontro import AGING_BUCKETS, SettlementStatus, bucket_for, settlement_status

AS_OF = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("days_past_due", "bucket"),
    [
        (-5, "not_due"),
        (-1, "not_due"),
        (0, "0-30"),
        (30, "0-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
        (4000, "90+"),
    ],
)
def test_aging_bucket_edges(days_past_due: int, bucket: str) -> None:
    assert bucket_for(AS_OF - timedelta(days=days_past_due), AS_OF).name == bucket


def test_bucket_due_date_ranges_agree_with_bucket_for() -> None:
    for offset in range(-10, 200):
        due = AS_OF - timedelta(days=offset)
        holding = []
        for bucket in AGING_BUCKETS:
            earliest, latest = bucket.due_dates(AS_OF)
            if (earliest is None or due >= earliest) and (latest is None or due <= latest):
                holding.append(bucket.name)
        assert holding == [bucket_for(due, AS_OF).name]


def test_settlement_status() -> None:
    assert settlement_status(Decimal(100), Decimal(100)) is SettlementStatus.OPEN
    assert settlement_status(Decimal(100), Decimal(40)) is SettlementStatus.PARTIALLY_OPEN
    assert settlement_status(Decimal(100), Decimal(0)) is SettlementStatus.SETTLED
