"""Exact column types: money as NUMERIC(18,2) in PostgreSQL and integer øre in SQLite.

SQLite has no decimal type (its NUMERIC affinity turns 0.10 into a float), so money is
stored there as whole øre, which keeps SUM() exact; other decimals are stored as text.
See docs/decisions/0001-money-and-rounding.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect, Numeric, String
from sqlalchemy.types import TypeDecorator, TypeEngine

_HUNDRED = Decimal(100)
_ORE = Decimal("0.01")


class MoneyType(TypeDecorator[Decimal]):
    """Kroner with two decimals, exact on both databases."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money is never a float")
        amount = Decimal(value)
        if dialect.name == "sqlite":
            ore = amount * _HUNDRED
            if ore != ore.to_integral_value():
                raise ValueError(f"{amount} is not in whole øre")
            return int(ore)
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / _HUNDRED).quantize(_ORE)
        return Decimal(value).quantize(_ORE)


class ExactDecimal(TypeDecorator[Decimal]):
    """A quantity, price or rate with up to `scale` decimals; text in SQLite."""

    impl = Numeric(24, 6)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(24, 6, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("exact decimals are never floats")
        number = Decimal(value)
        if not number:  # zero is stored unsigned: "-0" would read back as Decimal("-0")
            number = number.copy_abs()
        return str(number) if dialect.name == "sqlite" else number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return _trim(Decimal(str(value)))


def as_read_money(amount: Decimal) -> Decimal:
    """`amount` as a MoneyType column gives it back (two decimals), without storing it:
    zero unsigned, as neither database keeps the sign of a zero (-0.00 reads 0.00)."""
    read = amount.quantize(_ORE)
    return read if read else read.copy_abs()


def as_read_exact(number: Decimal) -> Decimal:
    """`number` (at most six decimals, as the domain allows) as an ExactDecimal column
    gives it back, without storing it."""
    return _trim(number)


def _trim(number: Decimal) -> Decimal:
    """Without trailing zeros, never in exponent form, zero unsigned: 7.500000 → 7.5,
    1000.00 → 1000, -0.00 → 0."""
    if not number:
        return Decimal(0)
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()
