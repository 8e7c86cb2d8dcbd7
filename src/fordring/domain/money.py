"""Exact money: `Money` over `Decimal` with a currency, and the one rounding function.

Floats are refused everywhere: 0.1 + 0.2 is not 0.30 kroner. Amounts may carry more
decimals while being computed; `round_ore` is applied once, where an amount is booked.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

ORE = Decimal("0.01")
DEFAULT_CURRENCY = "NOK"
# The size of any amount fordring takes: ten thousand billion kroner is beyond any real
# claim, and well inside the NUMERIC(18, 2) money columns (sixteen digits before the point).
MAX_AMOUNT = Decimal("1e13")


def round_ore(value: Decimal) -> Decimal:
    """Round half up to whole øre: the only rounding of money in fordring (see docs/decisions)."""
    if isinstance(value, float):
        raise TypeError("money is never a float; use Decimal or str")
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


def round_ore_down(value: Decimal) -> Decimal:
    """Round down to whole øre, for a legal maximum only (a salær cap: 328.125 → 328.12),
    which rounding must never exceed (DOMAIN.md § 14)."""
    if isinstance(value, float):
        raise TypeError("money is never a float; use Decimal or str")
    return value.quantize(ORE, rounding=ROUND_DOWN)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """A finite Decimal from a Decimal, an int or a string; floats are refused."""
    if isinstance(value, bool | float):
        raise TypeError(f"money is never a {type(value).__name__}; use Decimal or str")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"not an amount: {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def format_amount(value: Decimal) -> str:
    """Two decimals, no thousands separator: the machine-readable form (JSON, CSV)."""
    return f"{round_ore(value):.2f}"


@dataclass(frozen=True, slots=True, order=False)
class Money:
    """An exact amount in one currency. Arithmetic across currencies is refused."""

    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or isinstance(self.amount, bool):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        if not self.amount.is_finite():
            raise ValueError("money must be finite")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    @classmethod
    def of(cls, value: Decimal | int | str, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(to_decimal(value), currency)

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float | bool) or not isinstance(factor, Decimal | int):
            raise TypeError(f"money is multiplied by Decimal or int, not {type(factor).__name__}")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def rounded(self) -> Money:
        """This amount rounded to øre by `round_ore`."""
        return Money(round_ore(self.amount), self.currency)

    def is_zero(self) -> bool:
        return self.amount == 0

    def __str__(self) -> str:
        return f"{format_amount(self.amount)} {self.currency}"
