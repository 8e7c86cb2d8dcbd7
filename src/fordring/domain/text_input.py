"""Text as people type it (CLI options, CSV cells) read into the typed values services
take: invoice lines, currencies, flags, customer details. Every problem is an InvalidInput
naming its field, with a stable `code` (docs/design.md lists the codes); numbers, dates
and free texts are read by the rules of `input_rules`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TypeVar

from fordring.domain.customers import CustomerChanges, CustomerDetails, CustomerKind
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import BankAccount, Orgnr, parse_account, parse_orgnr
from fordring.domain.input_rules import (
    LINE_TEXT_LENGTH,
    is_plain_text,
    parse_currency_code,
    parse_iso_date,
    parse_number,
    parse_whole,
    text_problems,
)
from fordring.domain.invoices import (
    MAX_QUANTITY,
    MAX_UNIT_PRICE,
    InvoiceLine,
    line,
    line_problems,
)
from fordring.domain.language import Language
from fordring.domain.law.vat import VAT_BY_TEXT, parse_vat_rate
from fordring.domain.ledger import VoucherTypeCode
from fordring.domain.money import DEFAULT_CURRENCY, MAX_AMOUNT
from fordring.domain.payments import ItemRef, MatchItem
from fordring.domain.peppol import parse_participant_id

T = TypeVar("T")
_PLAIN_NUMBER = frozenset("0123456789.-")
_MICRO = Decimal("0.000001")
MAX_EXCHANGE_RATE = Decimal(1_000_000)  # NOK for one unit: no currency is near it
_TRUE = {"1", "true", "yes", "ja", "y", "x"}
_FALSE = {"", "0", "false", "no", "nei", "n"}


def at(problems: Sequence[Problem], where: str) -> list[Problem]:
    """The problems placed `where` (a CSV line, a --line), their codes kept."""
    return [replace(p, where=where) for p in problems] if where else list(problems)


def make_line(
    description: str, quantity: str, unit_price: str, vat: str, where: str = ""
) -> InvoiceLine:
    """An invoice line from text, or InvalidInput naming every bad field."""
    # The common case, a million times in an import: a plain text, plain numbers, a known
    # VAT rate; anything else is read by the full rules below.
    rate = VAT_BY_TEXT.get(vat)
    if (
        rate is not None
        and is_plain_text(description, LINE_TEXT_LENGTH)
        and not description.isspace()
        and _PLAIN_NUMBER.issuperset(quantity)
        and _PLAIN_NUMBER.issuperset(unit_price)
    ):
        try:
            q, p = Decimal(quantity), Decimal(unit_price)
        except ArithmeticError:
            pass
        else:
            if (
                q
                and abs(q) < MAX_QUANTITY
                and abs(p) < MAX_UNIT_PRICE
                and _at_most_six_decimals(quantity)
                and _at_most_six_decimals(unit_price)
            ):
                made = line(description, q, p, rate)
                if abs(made.net) < MAX_AMOUNT:
                    return made
    return _make_line_checked(description, quantity, unit_price, vat, where)


def _at_most_six_decimals(plain: str) -> bool:
    """Whether a plain number (digits, `.`, `-`) has six decimals or fewer."""
    dot = plain.find(".")
    return dot < 0 or len(plain) - dot <= 7


def _make_line_checked(
    description: str, quantity: str, unit_price: str, vat: str, where: str
) -> InvoiceLine:
    problems: list[Problem] = []
    values: dict[str, Decimal] = {}
    problems = text_problems(description, "line", LINE_TEXT_LENGTH, where)
    for field, text, parse in (
        ("quantity", quantity, parse_number),
        ("unit_price", unit_price, parse_number),
        ("vat", vat, lambda t, f, w: parse_vat_rate(t, f)),
    ):
        try:
            values[field] = parse(text, field, where)
        except InvalidInput as error:
            problems.extend(at(error.problems, where))
    if len(values) < 3:
        raise InvalidInput(problems)
    for field in ("quantity", "unit_price"):
        if values[field] != values[field].quantize(_MICRO):
            problems.append(Problem(field, "at most six decimals", where, "too_many_decimals"))
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
    """A currency (ISO 4217, default NOK) and its exchange rate in NOK (1 for NOK)."""
    currency = parse_currency_code(text, "currency", where)
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
    rate = parse_number(exchange_rate, "exchange_rate", where)
    if rate <= 0:
        raise InvalidInput.one("exchange_rate", "must be positive", where, "not_positive")
    if rate >= MAX_EXCHANGE_RATE or rate != rate.quantize(_MICRO):
        reason = f"{exchange_rate!r}: below {MAX_EXCHANGE_RATE:,} with at most six decimals"
        raise InvalidInput.one("exchange_rate", reason, where, "out_of_range")
    return currency, rate


def parse_flag(text: str, field: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidInput.one(field, f"{text!r} is not yes or no", code="not_yes_no")


def parse_match_item(text: str) -> MatchItem:
    """An item to match a payment against: `case:17` / `case-17` or an invoice number."""
    value = text.strip().lower()
    kind = ItemRef.INVOICE
    for prefix in ("case:", "case-", "sak:", "sak-", "invoice:"):
        if value.startswith(prefix):
            kind = ItemRef.INVOICE if prefix == "invoice:" else ItemRef.CASE
            value = value[len(prefix) :]
            break
    if value.isascii() and value.isdigit():
        return MatchItem(kind, parse_whole(value, "item", minimum=1))
    reason = f"{text!r} is neither an invoice number nor case:NUMBER"
    raise InvalidInput.one("item", reason, code="not_an_item")


def parse_party_ids(orgnr: str, accounts: Sequence[str]) -> tuple[Orgnr, tuple[BankAccount, ...]]:
    """A company's or collector's organisation number and bank account(s) as typed,
    compact and checked by their MOD11 rules; every problem of them at once."""
    problems: list[Problem] = []
    parsed_orgnr = _collect(problems, parse_orgnr, orgnr)
    parsed_accounts = [_collect(problems, parse_account, a) for a in accounts]
    if problems:
        raise InvalidInput(problems)
    assert parsed_orgnr is not None
    return parsed_orgnr, tuple(a for a in parsed_accounts if a is not None)


def _collect(problems: list[Problem], parse: Callable[[str], T], text: str) -> T | None:
    try:
        return parse(text.strip())
    except InvalidInput as error:
        problems.extend(error.problems)
        return None


def parse_voucher_type(text: str, field: str = "type") -> VoucherTypeCode:
    """A voucher type code (bilagsart) such as `TAP`, in any case."""
    value = text.strip().upper()
    try:
        return VoucherTypeCode(value)
    except ValueError:
        codes = ", ".join(c.value for c in VoucherTypeCode)
        reason = f"{text!r} is not a voucher type ({codes})"
        raise InvalidInput.one(field, reason, code="not_a_choice") from None


def parse_customer_number(text: str, where: str = "") -> int | None:
    """A customer number given by hand; None when none is given (the series decides)."""
    if not text.strip():
        return None
    return parse_whole(text, "number", where, minimum=1, code="not_a_customer_number")


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
        attempt(lambda: parse_iso_date(get("birth_date"), "birth_date"))
        if get("birth_date")
        else None
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
            peppol = str(parse_participant_id(peppol, "peppol"))
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
        if len(country) != 2 or not (country.isascii() and country.isalpha()):
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
