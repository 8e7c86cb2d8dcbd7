"""How amounts, quantities, rates, dates, account numbers and addresses read on a letter or
an invoice, per language.

Money stays `Decimal` to the end: amounts are rounded half up to øre and grouped by hand,
never through float. Norwegian: `1 234,50` (no-break space), English: `1,234.50`.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from fordring.domain.collection.letters import Party
from fordring.domain.identifiers import format_account
from fordring.domain.language import Language

NBSP = "\u00a0"
_ORE = Decimal("0.01")
_GROUP = {Language.NB: NBSP, Language.EN: ","}
_POINT = {Language.NB: ",", Language.EN: "."}

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = {
    Language.NB: ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    Language.EN: ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
# Country names for the last address line abroad (Posten: the country in English or French).
_COUNTRIES = {
    "SE": "SWEDEN",
    "DK": "DENMARK",
    "FI": "FINLAND",
    "IS": "ICELAND",
    "DE": "GERMANY",
    "GB": "UNITED KINGDOM",
    "NL": "NETHERLANDS",
    "PL": "POLAND",
    "LT": "LITHUANIA",
    "US": "UNITED STATES",
}


def amount(value: Decimal, language: Language) -> str:
    """`1 234,50` (nb) or `1,234.50` (en): rounded half up to øre, grouped by thousands."""
    if not isinstance(value, Decimal):
        raise TypeError(f"an amount must be a Decimal, not {type(value).__name__}")
    return _decimal(value.quantize(_ORE, rounding=ROUND_HALF_UP), language)


def quantity(value: Decimal, language: Language) -> str:
    """A quantity as exact as given, without trailing zeros: `2`, `1,5`, `1 000` (nb)."""
    exact = value.normalize()
    if exact == exact.to_integral_value():
        exact = exact.quantize(Decimal(1))  # 1E+3 is 1000
    return _decimal(exact, language)


def price(value: Decimal, language: Language) -> str:
    """A unit price: at least two decimals, more when it has them (`0,125`)."""
    if value == value.quantize(_ORE):
        return amount(value, language)
    return _decimal(value.normalize(), language)


def percent(value: Decimal, language: Language) -> str:
    """A VAT rate as exact as it is: `25 %`, `11,11 %` (nb), `25%` (en)."""
    text = quantity(value, language)
    return f"{text}{NBSP}%" if language is Language.NB else f"{text}%"


def _decimal(value: Decimal, language: Language) -> str:
    """The number as written, its whole part grouped by thousands, in the language."""
    sign = "-" if value < 0 else ""
    whole, point, fraction = f"{abs(value):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.append(tail)
    groups.append(whole)
    grouped = _GROUP[language].join(reversed(groups))
    return f"{sign}{grouped}{_POINT[language] if point else ''}{fraction}"


def money(value: Decimal, language: Language, currency: str = "NOK") -> str:
    """An amount with its currency, as running text writes it: `kr 1 234,50`, `NOK 1,234.50`;
    in another currency its code: `EUR 1 234,50`."""
    if currency == "NOK" and language is Language.NB:
        currency = "kr"
    return f"{currency}{NBSP}{amount(value, language)}"


def rate(value: Decimal, language: Language) -> str:
    """A yearly percentage with at least two decimals: `12,25 %` (nb), `12.25%` (en)."""
    exact = value.quantize(_ORE) if value == value.quantize(_ORE) else value.normalize()
    text = f"{exact:f}"
    if language is Language.NB:
        return f"{text.replace('.', ',')}{NBSP}%"
    return f"{text}%"


def day(value: date, language: Language) -> str:
    """`14.03.2026` (nb) or `14 Mar 2026` (en)."""
    if language is Language.NB:
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    return f"{value.day}{NBSP}{_MONTHS_EN[value.month - 1]}{NBSP}{value.year}"


def weekday_and_day(value: date, language: Language) -> str:
    """`torsdag 19.03.2026` (nb) or `Thursday 19 Mar 2026` (en)."""
    return f"{_WEEKDAYS[language][value.weekday()]} {day(value, language)}"


def account_number(account: str, separator: str = NBSP) -> str:
    """A Norwegian account as `1234 56 78901`, 4-2-5 digits, the same on every document
    (issue 12; no-break spaces, as amounts group with, unless `separator` says otherwise);
    anything that is not 11 digits as given."""
    return format_account(account, separator)


def address_lines(party: Party) -> list[str]:
    """The postal lines under the name; a country line only abroad."""
    lines = [party.street] if party.street else []
    place = f"{party.postcode} {party.city}".strip()
    if place:
        lines.append(place)
    country = party.country.upper()
    if country and country != "NO":
        lines.append(_COUNTRIES.get(country, country))
    return lines
