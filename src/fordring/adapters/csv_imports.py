"""CSV files of customers and invoices read into the typed commands the import services
take (docs/import.md): the columns each file may have, and every cell read by the input
rules (domain/input_rules.py, domain/text_input.py). A row that cannot be read becomes a
`Refused` naming its line and fields, so the service reports it with its own problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from fordring.adapters.csv_source import CsvFile
from fordring.domain import kid as kids
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_business_date, parse_whole
from fordring.domain.invoices import InvoiceLine
from fordring.domain.money import DEFAULT_CURRENCY
from fordring.domain.text_input import (
    at,
    make_line,
    parse_currency,
    parse_customer_details,
    parse_customer_number,
    parse_flag,
)
from fordring.services.customers import NewCustomer
from fordring.services.imports import Refused
from fordring.services.invoice_import import ImportedInvoice

T = TypeVar("T")
CUSTOMER_FIELDS = (
    "number",
    "kind",
    "name",
    "orgnr",
    "birth_date",
    "email",
    "phone",
    "address",
    "postcode",
    "city",
    "country",
    "peppol",
    "language",
    "exempt",
    "email_reliable",
)
INVOICE_FIELDS = (
    "number",
    "customer",
    "issue_date",
    "due_date",
    "terms",
    "description",
    "quantity",
    "unit_price",
    "vat",
    "currency",
    "exchange_rate",
    "kid",
    "exempt",
)
INVOICE_REQUIRED = ("customer", "description", "quantity", "unit_price", "vat")
# The columns of an invoice's first row that hold for the whole invoice.
HEADER_FIELDS = (
    "customer",
    "issue_date",
    "due_date",
    "terms",
    "currency",
    "exchange_rate",
    "kid",
    "exempt",
)


class CustomerCsv(CsvFile):
    """A CSV file of customers, one a row."""

    def records(self) -> Iterator[NewCustomer | Refused]:
        for line_no, fields in self.rows(CUSTOMER_FIELDS, required=("name",)):
            where = f"line {line_no}"
            try:
                number = parse_customer_number(fields.get("number") or "", where)
                yield NewCustomer(parse_customer_details(fields, where), number, where)
            except InvalidInput as error:
                yield Refused(error.problems)


@dataclass
class _Pending:
    """The rows of one invoice being read: its first row's header cells and its lines."""

    first_line: int
    header: dict[str, str]
    lines: list[InvoiceLine] = field(default_factory=list)


class InvoiceCsv(CsvFile):
    """A CSV file of invoice lines: consecutive rows with one `number` are one invoice;
    a row without a number is an invoice of its own."""

    def records(self) -> Iterator[ImportedInvoice | Refused]:
        dates: dict[str, date] = {}  # a file has few distinct dates: each is read once
        pending: _Pending | None = None
        for line_no, fields in self.rows(INVOICE_FIELDS, INVOICE_REQUIRED):
            where = f"line {line_no}"
            try:
                line = make_line(
                    fields["description"],
                    fields["quantity"],
                    fields["unit_price"],
                    fields["vat"],
                    where,
                )
            except InvalidInput as error:
                yield Refused(error.problems)
                line = None
            number = fields.get("number", "")
            if pending is not None and number and pending.header["number"] == number:
                differing = [
                    Problem(name, f"differs from the invoice's first row ({number})", where)
                    for name in HEADER_FIELDS
                    if fields.get(name, "") not in ("", pending.header[name])
                ]
                if differing:
                    yield Refused(tuple(differing))
            else:
                if pending is not None:
                    yield _invoice(pending, dates)
                header = {k: fields.get(k, "") for k in ("number", *HEADER_FIELDS)}
                pending = _Pending(line_no, header)
            if line is not None:
                pending.lines.append(line)
        if pending is not None:
            yield _invoice(pending, dates)


def _invoice(pending: _Pending, dates: dict[str, date]) -> ImportedInvoice | Refused:
    """The invoice of `pending`'s rows, or every problem of its header."""
    header, where = pending.header, f"line {pending.first_line}"
    problems: list[Problem] = []

    def attempt(read: Callable[[str], T], name: str) -> T | None:
        text = header[name]
        if not text:
            return None
        try:
            return read(text)
        except InvalidInput as error:
            problems.extend(at(error.problems, where))
            return None

    def whole(name: str, code: str, minimum: int = 1) -> int | None:
        return attempt(lambda t: parse_whole(t, name, where, minimum=minimum, code=code), name)

    def day(name: str) -> date | None:
        found = dates.get(header[name])
        return found or attempt(lambda t: dates.setdefault(t, parse_business_date(t, name)), name)

    number = whole("number", "not_an_invoice_number")
    customer = whole("customer", "not_a_customer_number")
    if not header["customer"]:
        problems.append(Problem("customer", "required", where, "required"))
    issue_date, due_date = day("issue_date"), day("due_date")
    terms = whole("terms", "not_whole_days", minimum=0)
    currency, rate = DEFAULT_CURRENCY, Decimal(1)
    try:
        currency, rate = parse_currency(header["currency"], header["exchange_rate"], where)
    except InvalidInput as error:
        problems.extend(error.problems)
    kid = attempt(lambda t: kids.validate(t, field="kid"), "kid")
    exempt = attempt(lambda t: parse_flag(t, "exempt"), "exempt")
    if problems or customer is None:
        return Refused(tuple(problems))
    return ImportedInvoice(
        where,
        customer,
        tuple(pending.lines),
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        terms_days=terms,
        currency=currency,
        exchange_rate=rate,
        kid=kid,
        reminder_exempt=bool(exempt),
    )
