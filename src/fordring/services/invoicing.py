"""Creating, crediting, listing and showing invoices (SPEC L2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.collection.case import CloseReason
from fordring.domain.company import Company
from fordring.domain.customers import Customer
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.invoices import InvoiceKind, InvoiceLine, due_date_for, line_problems
from fordring.domain.kid import Kid
from fordring.domain.money import DEFAULT_CURRENCY
from fordring.services.case_closing import close_given_up
from fordring.services.issuing import Draft, issue, issue_booked
from fordring.services.ports import InvoiceSummary, StoredInvoice, UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope

_MICRO = Decimal("0.000001")


def line_list_problems(lines: Sequence[InvoiceLine]) -> list[Problem]:
    """What is wrong with typed lines ("line 1", "line 2" … in messages)."""
    problems = [Problem("line", "give at least one --line", code="required")] if not lines else []
    for index, x in enumerate(lines, start=1):
        where = f"line {index}"
        problems.extend(line_problems(x.description, x.quantity, x.unit_price, x.vat_rate, where))
        if x.unit_price != x.unit_price.quantize(_MICRO):
            problems.append(
                Problem("unit_price", "at most six decimals", where, "too_many_decimals")
            )
    return problems


def currency_problems(currency: str, rate: Decimal) -> list[Problem]:
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        return [Problem("currency", f"{currency!r} is not an ISO 4217 code", code="not_a_currency")]
    if currency == DEFAULT_CURRENCY and rate != 1:
        return [Problem("exchange_rate", "a NOK invoice has no exchange rate", code="not_allowed")]
    if rate <= 0:
        return [Problem("exchange_rate", "must be positive", code="not_positive")]
    return []


@dataclass(frozen=True, slots=True)
class NewInvoice:
    customer_number: int
    lines: Sequence[InvoiceLine]
    due: date | None = None
    terms_days: int | None = None
    currency: str = DEFAULT_CURRENCY
    exchange_rate: Decimal = Decimal(1)  # NOK per unit of `currency`
    kid: Kid | None = None
    reminder_exempt: bool = False


def create_invoice(cmd: NewInvoice, scope: Scope, uow_factory: UnitOfWorkFactory) -> StoredInvoice:
    """Issue one invoice dated `today` and book it."""
    _check(cmd)
    with uow_factory(scope) as uow:
        company, customer = uow.company.current_and_customer(cmd.customer_number)
        (written,) = _issued(uow, company, [(cmd, customer)], scope.business_date)
        uow.commit()
        return written


def create_invoices(
    cmds: Sequence[NewInvoice], scope: Scope, uow_factory: UnitOfWorkFactory
) -> list[StoredInvoice]:
    """`create_invoice` of each of `cmds`, all or none, in one unit of work: the numbers
    taken in one go in the order given, each table written once. For creates that come
    together (the API's of one key, `entrypoints/api/together.py`); any problem of any of
    them raises, and nothing is kept."""
    for cmd in cmds:
        _check(cmd)
    with uow_factory(scope) as uow:
        company = uow.company.current()
        customers = uow.customers.by_numbers({cmd.customer_number for cmd in cmds})
        given = [(cmd, customers.get(cmd.customer_number)) for cmd in cmds]
        written = _issued(uow, company, given, scope.business_date)
        uow.commit()
        return written


def _check(cmd: NewInvoice) -> None:
    problems = line_list_problems(cmd.lines) + currency_problems(cmd.currency, cmd.exchange_rate)
    if problems:
        raise InvalidInput(problems)


def _issued(
    uow: UnitOfWork,
    company: Company,
    given: Sequence[tuple[NewInvoice, Customer | None]],
    today: date,
) -> list[StoredInvoice]:
    """Each (command, its customer) issued and booked, answered as stored."""
    drafts: list[Draft] = []
    customers: list[Customer] = []
    for cmd, customer in given:
        if customer is None or customer.id is None:
            raise InvalidInput.one("customer", f"no customer number {cmd.customer_number}")
        customers.append(customer)
        terms = cmd.terms_days
        if cmd.due is None and terms is None:
            terms = company.default_terms_days
        drafts.append(
            Draft(
                kind=InvoiceKind.INVOICE,
                customer_id=customer.id,
                customer_name=customer.name,
                issue_date=today,
                due_date=due_date_for(today, cmd.due, terms),
                lines=tuple(cmd.lines),
                currency=cmd.currency,
                exchange_rate=cmd.exchange_rate,
                kid=cmd.kid,
                reminder_exempt=cmd.reminder_exempt or customer.reminder_exempt,
            )
        )
    issued = issue_booked(uow, company, drafts)
    # Answered from what was written: a read back would be one more round trip while
    # the company's number series is held (to the request's commit).
    return [
        uow.invoices.as_stored(
            StoredInvoice(
                invoice=invoice,
                id=invoice.id or 0,
                customer_number=customer.number,
                customer_name=customer.name,
                total_nok=invoice.total_nok(),
                open_amount=open_amount,
                credited_number=None,
                voucher_number=voucher_number,
            )
        )
        for (invoice, open_amount, voucher_number), customer in zip(issued, customers, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class NewCreditNote:
    invoice_number: int
    lines: Sequence[InvoiceLine] = ()  # empty: credit the whole invoice


def credit_invoice(
    cmd: NewCreditNote, scope: Scope, uow_factory: UnitOfWorkFactory
) -> StoredInvoice:
    """Issue a credit note against an invoice, in full or for the lines given."""
    today = scope.business_date
    problems = line_list_problems(cmd.lines) if cmd.lines else []
    if problems:
        raise InvalidInput(problems)
    with uow_factory(scope) as uow:
        company = uow.company.current()
        original = uow.invoices.get(cmd.invoice_number)
        if original is None:
            raise InvalidInput.one(
                "invoice", f"no invoice number {cmd.invoice_number}", code="not_found"
            )
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
            lines=tuple(cmd.lines) or original.invoice.lines,
            currency=original.invoice.currency,
            exchange_rate=original.invoice.exchange_rate,
            credits_invoice_id=original.id,
            credited_open=original.open_amount,
        )
        (credit_note,) = issue(uow, company, [draft])
        uow.collection.wake_invoice_cases([original.id])
        close_given_up(uow, original.id, today, CloseReason.CREDITED)
        uow.commit()
        stored = uow.invoices.get(credit_note.number)
    assert stored is not None
    return stored


@dataclass(frozen=True, slots=True)
class InvoiceFilter:
    """Which invoices to list: a page of `limit` after number `after`, only open ones, one
    customer's, one kind ("invoice", "credit_note")."""

    open_only: bool = False
    after: int | None = None
    limit: int | None = None
    customer_number: int | None = None
    kind: InvoiceKind | None = None


def list_invoices(
    scope: Scope,
    open_only: bool,
    uow_factory: UnitOfWorkFactory,
    filters: InvoiceFilter | None = None,
) -> list[InvoiceSummary]:
    f = filters if filters is not None else InvoiceFilter(open_only=open_only)
    with uow_factory(scope) as uow:
        return uow.invoices.list(
            open_only=open_only or f.open_only,
            after=f.after,
            limit=f.limit,
            customer_number=f.customer_number,
            kind=None if f.kind is None else f.kind.value,
        )


def show_invoice(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> StoredInvoice:
    with uow_factory(scope) as uow:
        stored = uow.invoices.get(number)
    if stored is None:
        raise InvalidInput.one("invoice", f"no invoice number {number}", code="not_found")
    return stored
