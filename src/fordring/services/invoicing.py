"""Creating, crediting, listing and showing invoices (SPEC L2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain import kid as kids
from fordring.domain.collection.case import CloseReason
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.invoices import InvoiceKind, InvoiceLine, due_date_for, line, line_problems
from fordring.domain.law.vat import VAT_BY_TEXT, parse_vat_rate
from fordring.domain.money import DEFAULT_CURRENCY, to_decimal
from fordring.services.case_closing import close_given_up
from fordring.services.companies import company_id
from fordring.services.issuing import Draft, issue
from fordring.services.ports import InvoiceSummary, StoredInvoice, UnitOfWorkFactory
from fordring.services.scope import Scope


def parse_decimal(text: str, field: str, where: str = "") -> Decimal:
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return to_decimal(cleaned)
    except (ValueError, TypeError):
        raise InvalidInput.one(field, f"{text!r} is not a number", where) from None


_PLAIN_NUMBER = frozenset("0123456789.-")
_LARGE = Decimal("1e11")
_MICRO = Decimal("0.000001")


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
            problems.extend(Problem(p.field, p.reason, where) for p in error.problems)
    if problems:
        raise InvalidInput(problems)
    if values["unit_price"] != values["unit_price"].quantize(Decimal("0.000001")):
        problems.append(Problem("unit_price", "at most six decimals", where))
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
            "line", f"{spec!r} is not 'text;quantity;unit price;vat%' (four parts)", where
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
        raise InvalidInput.one("currency", f"{text!r} is not an ISO 4217 code", where)
    if currency == DEFAULT_CURRENCY:
        if exchange_rate.strip() not in ("", "1"):
            raise InvalidInput.one("exchange_rate", "a NOK invoice has no exchange rate", where)
        return currency, Decimal(1)
    if not exchange_rate.strip():
        raise InvalidInput.one("exchange_rate", f"needed for an invoice in {currency}", where)
    rate = parse_decimal(exchange_rate, "exchange_rate", where)
    if rate <= 0:
        raise InvalidInput.one("exchange_rate", "must be positive", where)
    return currency, rate


@dataclass(frozen=True, slots=True)
class NewInvoice:
    customer_number: int
    lines: Sequence[str]  # "text;quantity;unit price;vat%"
    due: date | None = None
    terms_days: int | None = None
    currency: str = ""
    exchange_rate: str = ""
    kid: str | None = None
    reminder_exempt: bool = False


def create_invoice(
    cmd: NewInvoice, scope: Scope, today: date, uow_factory: UnitOfWorkFactory
) -> StoredInvoice:
    """Issue one invoice dated `today` and book it."""
    lines, problems = parse_line_specs(cmd.lines)
    if not cmd.lines:
        problems.append(Problem("line", "give at least one --line"))
    if problems:
        raise InvalidInput(problems)
    currency, rate = parse_currency(cmd.currency, cmd.exchange_rate)
    kid = kids.validate(cmd.kid) if cmd.kid else None
    with uow_factory(scope) as uow:
        company = uow.company.current()
        customer = uow.customers.get(cmd.customer_number)
        if customer is None or customer.id is None:
            raise InvalidInput.one("customer", f"no customer number {cmd.customer_number}")
        terms = cmd.terms_days
        if cmd.due is None and terms is None:
            terms = company.default_terms_days
        draft = Draft(
            kind=InvoiceKind.INVOICE,
            customer_id=customer.id,
            customer_name=customer.name,
            issue_date=today,
            due_date=due_date_for(today, cmd.due, terms),
            lines=tuple(lines),
            currency=currency,
            exchange_rate=rate,
            kid=kid,
            reminder_exempt=cmd.reminder_exempt or customer.reminder_exempt,
        )
        (invoice,) = issue(uow, company, [draft])
        uow.commit()
        stored = uow.invoices.get(invoice.number)
    assert stored is not None
    return stored


@dataclass(frozen=True, slots=True)
class NewCreditNote:
    invoice_number: int
    lines: Sequence[str] = ()  # empty: credit the whole invoice


def credit_invoice(
    cmd: NewCreditNote, scope: Scope, today: date, uow_factory: UnitOfWorkFactory
) -> StoredInvoice:
    """Issue a credit note against an invoice, in full or for the lines given."""
    lines = [parse_line_spec(spec, f"line {i}") for i, spec in enumerate(cmd.lines, start=1)]
    with uow_factory(scope) as uow:
        company = uow.company.current()
        cid = company_id(company)
        original = uow.invoices.get(cmd.invoice_number)
        if original is None:
            raise InvalidInput.one("invoice", f"no invoice number {cmd.invoice_number}")
        if original.invoice.is_credit_note:
            raise RuleViolation(f"invoice: {cmd.invoice_number} is a credit note, not an invoice")
        if original.open_amount <= 0:
            raise RuleViolation(f"invoice: nothing is open on invoice {cmd.invoice_number}")
        draft = Draft(
            kind=InvoiceKind.CREDIT_NOTE,
            customer_id=original.invoice.customer_id,
            customer_name=original.customer_name,
            issue_date=today,
            due_date=today,
            lines=tuple(lines) or original.invoice.lines,
            currency=original.invoice.currency,
            exchange_rate=original.invoice.exchange_rate,
            credits_invoice_id=original.id,
            credited_open=original.open_amount,
        )
        (credit_note,) = issue(uow, company, [draft])
        uow.collection.wake_invoice_cases([original.id])
        close_given_up(uow, cid, original.id, today, CloseReason.CREDITED)
        uow.commit()
        stored = uow.invoices.get(credit_note.number)
    assert stored is not None
    return stored


def list_invoices(
    scope: Scope, open_only: bool, uow_factory: UnitOfWorkFactory
) -> list[InvoiceSummary]:
    with uow_factory(scope) as uow:
        return uow.invoices.list(open_only=open_only)


def show_invoice(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> StoredInvoice:
    with uow_factory(scope) as uow:
        stored = uow.invoices.get(number)
    if stored is None:
        raise InvalidInput.one("invoice", f"no invoice number {number}")
    return stored
