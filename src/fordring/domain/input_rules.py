"""The rules every edge reads text by: numbers, amounts, whole numbers, dates, business
dates, currency codes and free texts. CLI options, CSV cells and the bank readers all use
these, so each refuses the same things with an InvalidInput naming the field
(docs/import.md, "Input rules").

Only plain ASCII forms are numbers here: Python's own `Decimal`, `int` and
`date.fromisoformat` also read `1e3`, `1_000`, `NaN`, Arabic-Indic digits, `20260301` and
`2026-W10-1`, none of which a person means as an amount or a date in a bill.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from fordring.domain.currencies import ISO_4217
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.money import DEFAULT_CURRENCY, MAX_AMOUNT, ORE

# Whole numbers are stored as 64-bit integers (BIGINT): one more and PostgreSQL refuses.
MAX_INTEGER = 2**63 - 1
# Business dates (the run's date, invoice, due and payment dates): a year outside these is
# a typing error, and date arithmetic near year 9999 overflows.
FIRST_BUSINESS_DAY = date(2000, 1, 1)
LAST_BUSINESS_DAY = date(2100, 12, 31)

# Free texts, in characters (the columns are as wide or wider).
NAME_LENGTH = 200  # a person's, company's or collector's name; a recurring agreement's text
LINE_TEXT_LENGTH = 500  # an invoice line's text
STREET_LENGTH = 200
CITY_LENGTH = 100
POSTCODE_LENGTH = 10
EMAIL_LENGTH = 200
PHONE_LENGTH = 30
REASON_LENGTH = 500  # why: a pause, an objection, a write-off, a note in the case history
REFERENCE_LENGTH = 100  # a licence or a bank's reference
KID_LENGTH = 25  # a KID (or a creditor reference) read from a payment
SETTING_LENGTH = 200  # an agreement setting's text (a web address, say)

_SPACES = str.maketrans("", "", " \u00a0\u202f")  # spaces, no-break spaces: 1 000,50
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")  # [0-9]: ASCII digits only
_NUMBER_LENGTH = 40  # characters: more is no number a person types
_WHOLE_LENGTH = 30  # digits: a 64-bit integer has 19; more is refused before int() reads it
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# C0 and C1 control characters (NUL, tab, newline, escape …) and lone surrogates, which
# no text of a name, an address or a line needs and no database column takes unharmed.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Unicode's explicit direction controls (embeddings, overrides, isolates): invisible, they
# can make a text read otherwise than it is stored ("Trojan source", CVE-2021-42574).
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text: str) -> str:
    """`text` without Unicode's explicit direction controls (U+202A-U+202E, U+2066-U+2069):
    what is shown is then what was typed, in the order it was typed."""
    return DIRECTION_CONTROLS.sub("", text)


def number_text(text: str) -> str | None:
    """The plain form of a number as people write it (`1 234,50` → `1234.50`), or None
    when it is none: no exponent, no `_`, no NaN or infinity, ASCII digits only."""
    cleaned = text.strip().translate(_SPACES)
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if len(cleaned) > _NUMBER_LENGTH or not _NUMBER.fullmatch(cleaned):
        return None
    return cleaned


def parse_number(text: str, field: str, where: str = "") -> Decimal:
    """A decimal number (`1,5`, `-20`, `1 000.25`); the caller checks its size."""
    cleaned = number_text(text)
    if cleaned is None:
        raise InvalidInput.one(field, f"{text!r} is not a number", where, "not_a_number")
    return _exact(cleaned)


def _exact(cleaned: str) -> Decimal:
    """The Decimal of a plain number, every digit kept (arithmetic, even `+ 0`, would round
    to the context's 28 digits); -0 is 0."""
    value = Decimal(cleaned)
    return value.copy_abs() if value.is_zero() else value


def parse_amount(
    text: str, field: str, where: str = "", *, allow_negative: bool = False
) -> Decimal:
    """An amount in kroner and øre (`1234.50`, `1234,50`, `1 234`): at most two decimals,
    below `MAX_AMOUNT`, not negative unless allowed."""
    cleaned = number_text(text)
    if cleaned is None:
        raise InvalidInput.one(field, f"not an amount: {text!r}", where, "not_an_amount")
    value = _exact(cleaned)
    return check_amount(value, field, where, text=text, allow_negative=allow_negative)


def check_amount(
    value: Decimal,
    field: str,
    where: str = "",
    *,
    text: str | None = None,
    allow_negative: bool = False,
) -> Decimal:
    """`value` if it is an amount in øre below `MAX_AMOUNT` (and not negative unless
    allowed); the bank readers check what they read with this too."""
    shown = repr(text) if text is not None else str(value)
    if abs(value) >= MAX_AMOUNT:
        reason = f"{shown} is too large (at most {MAX_AMOUNT - ORE:,.2f})"
        raise InvalidInput.one(field, reason, where, "too_large")
    if value != value.quantize(ORE):
        reason = f"more than two decimals: {shown}"
        raise InvalidInput.one(field, reason, where, "too_many_decimals")
    if value < 0 and not allow_negative:
        raise InvalidInput.one(field, f"must not be negative: {shown}", where, "negative")
    return value


def parse_whole(
    text: str,
    field: str,
    where: str = "",
    *,
    minimum: int = 0,
    maximum: int = MAX_INTEGER,
    code: str | None = None,
) -> int:
    """A whole number written in ASCII digits (a `-` before them if `minimum` allows),
    from `minimum` to `maximum` and never beyond a 64-bit integer. `code` names what it
    should have been (`not_an_invoice_number`); else `not_a_whole_number` or
    `out_of_range`."""
    if 0 < len(text) < 19 and text.isdigit() and text.isascii():  # the usual case, fast
        value = int(text)
        if minimum <= value <= maximum:
            return value
    cleaned = text.strip()
    digits = cleaned[1:] if cleaned[:1] == "-" else cleaned
    if not (0 < len(digits) <= _WHOLE_LENGTH and digits.isascii() and digits.isdigit()):
        reason = f"{text!r} is not a whole number"
        raise InvalidInput.one(field, reason, where, code or "not_a_whole_number")
    return check_whole(int(cleaned), field, where, minimum=minimum, maximum=maximum, code=code)


def check_whole(
    value: int,
    field: str,
    where: str = "",
    *,
    minimum: int = 0,
    maximum: int = MAX_INTEGER,
    code: str | None = None,
) -> int:
    """`value` if it lies from `minimum` to `maximum`, else InvalidInput (`out_of_range`)."""
    highest = min(maximum, MAX_INTEGER)
    if not minimum <= value <= highest:
        reason = f"{value} is outside {minimum} to {highest}"
        raise InvalidInput.one(field, reason, where, code or "out_of_range")
    return value


def parse_iso_date(text: str, field: str, where: str = "") -> date:
    """A date written `YYYY-MM-DD`, and only so."""
    cleaned = text.strip()
    if _ISO_DATE.fullmatch(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    reason = f"{text!r} is not a date (YYYY-MM-DD)"
    raise InvalidInput.one(field, reason, where, "not_a_date")


def parse_business_date(text: str, field: str, where: str = "") -> date:
    """A business date: `YYYY-MM-DD` from `FIRST_BUSINESS_DAY` to `LAST_BUSINESS_DAY`."""
    return check_business_date(parse_iso_date(text, field, where), field, where)


def check_business_date(day: date, field: str, where: str = "") -> date:
    """`day` if it lies within the business dates, else InvalidInput (`out_of_range`)."""
    if not FIRST_BUSINESS_DAY <= day <= LAST_BUSINESS_DAY:
        reason = f"{day} is outside the business dates {FIRST_BUSINESS_DAY} to {LAST_BUSINESS_DAY}"
        raise InvalidInput.one(field, reason, where, "out_of_range")
    return day


def parse_currency_code(text: str, field: str = "currency", where: str = "") -> str:
    """An ISO 4217 currency code in use (`eur` → `EUR`); empty is NOK."""
    code = text.strip().upper() or DEFAULT_CURRENCY
    if code not in ISO_4217:
        reason = f"{text!r} is not an ISO 4217 currency code in use"
        raise InvalidInput.one(field, reason, where, "not_a_currency")
    return code


def is_plain_text(text: str, limit: int) -> bool:
    """Whether `text` is one to `limit` characters without a control character: the quick
    test of a bulk import's common case (`text_problems` says what is wrong otherwise)."""
    # isprintable() is quick and false for every control character (and for some harmless
    # characters too, such as a no-break space: the search then decides).
    return 0 < len(text) <= limit and (text.isprintable() or not _CONTROL.search(text))


def text_problems(text: str, field: str, limit: int, where: str = "") -> list[Problem]:
    """What is wrong with a free text: a control character (NUL, tab, newline …) or more
    than `limit` characters (spaces around it are not counted)."""
    found: list[Problem] = []
    if _CONTROL.search(text):
        reason = "contains a control character (such as NUL, tab or a line break)"
        found.append(Problem(field, reason, where, "control_character"))
    length = len(text.strip())
    if length > limit:
        reason = f"{length} characters; at most {limit}"
        found.append(Problem(field, reason, where, "too_long"))
    return found


def check_text(text: str, field: str, limit: int, where: str = "") -> str:
    """`text` without the spaces around it, or InvalidInput by `text_problems`."""
    problems = text_problems(text, field, limit, where)
    if problems:
        raise InvalidInput(problems)
    return text.strip()
