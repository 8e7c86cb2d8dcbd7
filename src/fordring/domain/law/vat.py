"""VAT (merverdiavgift) rates an invoice line may carry, with their output-VAT accounts.

Rates: 25 % general, 15 % food, 12 % transport/accommodation/cinema, 0 % exempt or
zero-rated (merverdiavgiftsloven §§ 5-1, 5-2, 5-3, 6-x). Source: skatteetaten.no
"Merverdiavgift - satser". The 15 % and 12 % rates have held since 2018-01-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import number_text


@dataclass(frozen=True, slots=True)
class VatRate:
    percent: Decimal
    name: str
    output_account: str | None  # the 27xx account for output VAT; None when no VAT is due
    peppol_category: str  # UNCL5305: S standard, Z zero-rated, E exempt
    source: str


SOURCE = "merverdiavgiftsloven §§ 5-1 to 5-3; skatteetaten.no 'Merverdiavgift - satser'"

RATES: dict[Decimal, VatRate] = {
    Decimal(25): VatRate(Decimal(25), "general rate", "2700", "S", SOURCE),
    Decimal(15): VatRate(Decimal(15), "food rate", "2701", "S", SOURCE),
    Decimal(12): VatRate(Decimal(12), "low rate", "2703", "S", SOURCE),
    Decimal(0): VatRate(Decimal(0), "no VAT", None, "Z", SOURCE),
}


# The ways a rate is usually written, for a quick lookup before the general parse.
VAT_BY_TEXT: dict[str, Decimal] = {
    form.format(rate): rate for rate in RATES for form in ("{}", "{}%", "{} %", "{}.00")
}


def parse_vat_rate(text: str | Decimal | int, field: str = "vat") -> Decimal:
    """One of the rates above, written `25`, `25%` or `25.00`; InvalidInput otherwise. The
    number is read by the input rules (`2.5e1`, `25%%` or Arabic-Indic digits are none)."""
    raw = str(text).strip()
    plain = number_text(raw[:-1] if raw.endswith("%") else raw)
    value = Decimal(plain) if plain is not None else Decimal(-1)
    if value.normalize() not in RATES:
        allowed = "/".join(str(r) for r in RATES)
        reason = f"{text!r} is not a Norwegian VAT rate ({allowed})"
        raise InvalidInput.one(field, reason, code="not_a_vat_rate")
    return RATES[value.normalize()].percent
