"""Text as people type it (CLI options, CSV cells) read into the typed values services
take: invoice lines, currencies, flags, customer details. Every problem is an InvalidInput
naming its field, with a stable `code` (docs/design.md lists the codes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TypeVar

from fordring.domain.customers import CustomerChanges, CustomerDetails, CustomerKind
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import parse_orgnr, parse_peppol_id
from fordring.domain.invoices import InvoiceLine, line, line_problems
from fordring.domain.language import Language
from fordring.domain.law.vat import VAT_BY_TEXT, parse_vat_rate
from fordring.domain.money import DEFAULT_CURRENCY, to_decimal
from fordring.domain.payments import ItemRef, MatchItem

T = TypeVar("T")
_PLAIN_NUMBER = frozenset("0123456789.-")
_LARGE = Decimal("1e11")
_MICRO = Decimal("0.000001")
_TRUE = {"1", "true", "yes", "ja", "y", "x"}
_FALSE = {"", "0", "false", "no", "nei", "n"}


def at(problems: Sequence[Problem], where: str) -> list[Problem]:
    """The problems placed `where` (a CSV line, a --line), their codes kept."""
    return [replace(p, where=where) for p in problems] if where else list(problems)


def parse_decimal(text: str, field: str, where: str = "") -> Decimal:
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return to_decimal(cleaned)
    except (ValueError, TypeError):
        raise InvalidInput.one(field, f"{text!r} is not a number", where, "not_a_number") from None


def make_line(
    description: str, quantity: str, unit_price: str, vat: str, where: str = ""
) -> InvoiceLine:
    """An invoice line from text, or InvalidInput naming every bad field."""
    # The common case, a million times in an import: plain numbers, a known VAT rate.
    rate = VAT_BY_TEXT.get(vat)
    if (
        rate is not None
        and description
        and _PLAIN_NUMBER.issuperset(quantity)
        and _PLAIN_NUMBER.issuperset(unit_price)
    ):
        try:
            q, p = Decimal(quantity), Decimal(unit_price)
        except ArithmeticError:
            pass
        else:
            if q and abs(q) < _LARGE and abs(p) < _LARGE and p == p.quantize(_MICRO):
                return line(description, q, p, rate)
    return _make_line_checked(description, quantity, unit_price, vat, where)


def _make_line_checked(
    description: str, quantity: str, unit_price: str, vat: str, where: str
) -> InvoiceLine:
    problems: list[Problem] = []
    values: dict[str, Decimal] = {}
    for field, text, parse in (
        ("quantity", quantity, parse_decimal),
        ("unit_price", unit_price, parse_decimal),
        ("vat", vat, lambda t, f, w: parse_vat_rate(t, f)),
    ):
        try:
            values[field] = parse(text, field, where)
        except InvalidInput as error:
            problems.extend(at(error.problems, where))
    if problems:
        raise InvalidInput(problems)
    if values["unit_price"] != values["unit_price"].quantize(_MICRO):
        problems.append(Problem("unit_price", "at most six decimals", where, "too_many_decimals"))
    problems.extend(
        line_problems(description, values["quantity"], values["unit_price"], values["vat"], where)
    )
    if problems:
        raise InvalidInput(problems)
    return line(description.strip(), values["quantity"], values["unit_price"], values["vat"])


def parse_line_spec(spec: str, where: str = "") -> InvoiceLine:
    """`text;quantity;unit price;vat%` as typed after --line."""
    parts = spec.split(";")
    if len(parts) != 4:
        raise InvalidInput.one(
            "line",
            f"{spec!r} is not 'text;quantity;unit price;vat%' (four parts)",
            where,
            "line_format",
        )
    description, quantity, unit_price, vat = parts
    return make_line(description, quantity, unit_price, vat, where)


def parse_line_specs(specs: Sequence[str]) -> tuple[list[InvoiceLine], list[Problem]]:
    """The lines of `--line` options ("line 1", "line 2" … in messages), and every problem."""
    problems: list[Problem] = []
    lines: list[InvoiceLine] = []
    for index, spec in enumerate(specs, start=1):
        try:
            lines.append(parse_line_spec(spec, f"line {index}"))
        except InvalidInput as error:
            problems.extend(error.problems)
    return lines, problems


def parse_currency(text: str, exchange_rate: str, where: str = "") -> tuple[str, Decimal]:
    currency = (text.strip() or DEFAULT_CURRENCY).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput.one(
            "currency", f"{text!r} is not an ISO 4217 code", where, "not_a_currency"
        )
    if currency == DEFAULT_CURRENCY:
        if exchange_rate.strip() not in ("", "1"):
            raise InvalidInput.one(
                "exchange_rate", "a NOK invoice has no exchange rate", where, "not_allowed"
            )
        return currency, Decimal(1)
    if not exchange_rate.strip():
        raise InvalidInput.one(
            "exchange_rate", f"needed for an invoice in {currency}", where, "required"
        )
    rate = parse_decimal(exchange_rate, "exchange_rate", where)
    if rate <= 0:
        raise InvalidInput.one("exchange_rate", "must be positive", where, "not_positive")
    return currency, rate


def parse_flag(text: str, field: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidInput.one(field, f"{text!r} is not yes or no", code="not_yes_no")


def parse_date(text: str, field: str, where: str = "") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput.one(field, f"{text!r} is not a date", where, "not_a_date") from None


def parse_match_item(text: str) -> MatchItem:
    """An item to match a payment against: `case:17` / `case-17` or an invoice number."""
    value = text.strip().lower()
    for prefix in ("case:", "case-", "sak:", "sak-"):
        if value.startswith(prefix) and value[len(prefix) :].isdigit():
            return MatchItem(ItemRef.CASE, int(value[len(prefix) :]))
    if value.startswith("invoice:"):
        value = value[len("invoice:") :]
    if value.isdigit():
        return MatchItem(ItemRef.INVOICE, int(value))
    reason = f"{text!r} is neither an invoice number nor case:NUMBER"
    raise InvalidInput.one("item", reason, code="not_an_item")


def parse_customer_number(text: str, where: str = "") -> int | None:
    """A customer number given by hand; None when none is given (the series decides)."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or int(text) <= 0:
        reason = f"{text!r} is not a customer number"
        raise InvalidInput.one("number", reason, where, "not_a_customer_number")
    return int(text)


def parse_customer_details(fields: Mapping[str, str], where: str = "") -> CustomerDetails:
    """A customer's details from text fields (CLI options or a CSV row, the names of
    `CUSTOMER_FIELDS`); every problem at once."""
    problems: list[Problem] = []

    def get(name: str) -> str:
        return (fields.get(name) or "").strip()

    def attempt(parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except InvalidInput as error:
            problems.extend(at(error.problems, where))
            return None

    kind_text = get("kind").lower() or ("business" if get("orgnr") else "consumer")
    kind = CustomerKind.BUSINESS if kind_text in ("business", "b", "bedrift") else None
    if kind_text in ("consumer", "c", "privat", "person"):
        kind = CustomerKind.CONSUMER
    if kind is None:
        reason = f"{kind_text!r} is not consumer or business"
        problems.append(Problem("kind", reason, where, "not_a_choice"))
    orgnr = attempt(lambda: parse_orgnr(get("orgnr"))) if get("orgnr") else None
    birth = (
        attempt(lambda: parse_date(get("birth_date"), "birth_date")) if get("birth_date") else None
    )
    changes = attempt(lambda: parse_customer_changes(fields, where))
    if problems or kind is None or changes is None:
        raise InvalidInput(problems)
    return changes.applied_to(CustomerDetails(kind, get("name"), orgnr, birth))


def parse_customer_changes(fields: Mapping[str, str], where: str = "") -> CustomerChanges:
    """The contact details among `fields` (absent ones stay None: unchanged)."""
    problems: list[Problem] = []

    def text(name: str) -> str | None:
        value = fields.get(name)
        return None if value is None else value.strip()

    def flag(name: str) -> bool | None:
        value = text(name)
        if value is None:
            return None
        try:
            return parse_flag(value, name)
        except InvalidInput as error:
            problems.extend(at(error.problems, where))
            return None

    peppol = text("peppol")
    if peppol:
        try:
            peppol = parse_peppol_id(peppol)
        except InvalidInput as error:
            problems.extend(at(error.problems, where))
    language: Language | None = None
    if text("language") is not None:
        chosen = (text("language") or Language.NB).lower()
        if chosen in {lang.value for lang in Language}:
            language = Language(chosen)
        else:
            reason = f"{chosen!r} is not {' or '.join(Language)}"
            problems.append(Problem("language", reason, where, "not_a_choice"))
    country = text("country")
    if country is not None:
        country = (country or "NO").upper()
        if len(country) != 2 or not country.isalpha():
            reason = f"{country!r} is not a two-letter country code"
            problems.append(Problem("country", reason, where, "not_a_country"))
    changes = CustomerChanges(
        name=text("name"),
        email=text("email"),
        phone=text("phone"),
        street=text("address"),
        postcode=text("postcode"),
        city=text("city"),
        country=country,
        peppol_id=peppol,
        language=language,
        reminder_exempt=flag("exempt"),
        email_reliable=flag("email_reliable"),
    )
    if problems:
        raise InvalidInput(problems)
    return changes
