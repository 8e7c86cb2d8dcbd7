"""Numbers, amounts and dates as Norwegians write them, in either language of the portal
(the amounts are Norwegian kroner): 1 234,50 and 24.12.2026 (Babel's `nb` locale; the
thousands are parted by a no-break space, so an amount never breaks over two lines)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

NORWEGIAN = "nb"
OSLO = ZoneInfo("Europe/Oslo")


def amount(value: Decimal) -> str:
    """Kroner with two decimals: Decimal("1234.5") → "1 234,50"."""
    if isinstance(value, float):
        raise TypeError("amounts are never floats")
    return format_decimal(value, format="#,##0.00", locale=NORWEGIAN)


def whole(value: int) -> str:
    """A count: 1234567 → "1 234 567"."""
    return format_decimal(value, format="#,##0", locale=NORWEGIAN)


def day(value: date) -> str:
    """A date: 2026-12-24 → "24.12.2026"."""
    return format_date(value, "dd.MM.yyyy", locale=NORWEGIAN)


def moment(value: datetime) -> str:
    """A moment in Oslo's time: "24.12.2026 kl. 14:05"."""
    return format_datetime(value.astimezone(OSLO), "dd.MM.yyyy 'kl.' HH:mm", locale=NORWEGIAN)


def account(value: str) -> str:
    """A Norwegian bank account as written: "12345678901" → "1234 56 78901" (no-break
    spaces); anything else as it is."""
    if len(value) == 11 and value.isdigit():
        return f"{value[:4]}\u00a0{value[4:6]}\u00a0{value[6:]}"
    return value


def bare(value: Decimal) -> str:
    """An amount to paste into a bank's form: "2500,00" (no thousands separator)."""
    if isinstance(value, float):
        raise TypeError("amounts are never floats")
    return format_decimal(value, format="0.00", locale=NORWEGIAN)


def rate(value: Decimal) -> str:
    """An exchange rate, NOK per unit of a currency: Decimal("11.500000") → "11,50",
    Decimal("0.094312") → "0,094312" (at least two decimals, at most six)."""
    if isinstance(value, float):
        raise TypeError("rates are never floats")
    return format_decimal(value, format="#,##0.00####", locale=NORWEGIAN)
