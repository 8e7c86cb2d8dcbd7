"""CSV files of customers and invoices read into the typed commands the import services
take (docs/import.md): the columns each file may have, and every cell read by the input
rules (domain/input_rules.py, domain/text_input.py). A row that cannot be read becomes a
`Refused` naming its line and fields, so the service reports it with its own problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fordring.adapters.csv_source import CsvFile
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_business_date, parse_whole
from fordring.domain.invoices import InvoiceLine
from fordring.domain.kid import parse_kid
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


# A date as Excel writes it in Norway once it has read the cell as a date: 10.01.2026.
_NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def iso_date(text: str) -> str:
    """`DD.MM.YYYY` (day and month with or without their zero) as `YYYY-MM-DD`; any other
    text as it is, for the input rules to read or refuse."""
    found = _NORWEGIAN_DATE.fullmatch(text)
    if found is None:
        return text
    day, month, year = found.groups()
    return f"{year}-{month:0>2}-{day:0>2}"


class CustomerCsv(CsvFile):
    """A CSV file of customers, one a row."""

    def records(self) -> Iterator[NewCustomer | Refused]:
        for line_no, fields in self.rows(CUSTOMER_FIELDS, required=("name",)):
            where = f"line {line_no}"
            problems: list[Problem] = []
            number = details = None
            if "birth_date" in fields:
                fields["birth_date"] = iso_date(fields["birth_date"])
            try:
                number = parse_customer_number(fields.get("number") or "", where)
            except InvalidInput as error:
                problems.extend(error.problems)
            try:
                details = parse_customer_details(fields, where)
            except InvalidInput as error:
                problems.extend(error.problems)
            if problems or details is None:
                yield Refused(tuple(problems))
            else:
                yield NewCustomer(details, number, where)


@dataclass
class _Pending:
    """The rows of one invoice being read: its first row's cells and its lines."""

    first_line: int
    header: dict[str, str]  # the first row: the header columns hold for the invoice
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
            if pending is not None and number and pending.header.get("number") == number:
                first = pending.header
                differing = [
                    Problem(name, f"differs from the invoice's first row ({number})", where)
                    for name in HEADER_FIELDS
                    if fields.get(name, "") not in ("", first.get(name, ""))
                ]
                if differing:
                    yield Refused(tuple(differing))
            else:
                if pending is not None:
                    yield _invoice(pending, dates)
                pending = _Pending(line_no, fields)  # the first row's cells: the header
            if line is not None:
                pending.lines.append(line)
        if pending is not None:
            yield _invoice(pending, dates)


def _invoice(pending: _Pending, dates: dict[str, date]) -> ImportedInvoice | Refused:
    """The invoice of `pending`'s rows, or every problem of its header."""
    where = f"line {pending.first_line}"
    cell = pending.header.get  # a column the file does not have is empty
    problems: list[Problem] = []
    number = _whole(cell("number", ""), "number", where, problems, "not_an_invoice_number")
    customer_text = cell("customer", "")
    customer = _whole(customer_text, "customer", where, problems, "not_a_customer_number")
    if not customer_text:
        problems.append(Problem("customer", "required", where, "required"))
    issue_date = _day(cell("issue_date", ""), "issue_date", where, problems, dates)
    due_date = _day(cell("due_date", ""), "due_date", where, problems, dates)
    terms = _whole(cell("terms", ""), "terms", where, problems, "not_whole_days", minimum=0)
    currency, rate = DEFAULT_CURRENCY, Decimal(1)
    kid, exempt = None, False
    currency_text, rate_text = cell("currency", ""), cell("exchange_rate", "")
    kid_text, exempt_text = cell("kid", ""), cell("exempt", "")
    try:
        if currency_text or rate_text:
            currency, rate = parse_currency(currency_text, rate_text, where)
    except InvalidInput as error:
        problems.extend(error.problems)
    try:
        kid = parse_kid(kid_text) if kid_text else None
    except InvalidInput as error:
        problems.extend(at(error.problems, where))
    try:
        exempt = parse_flag(exempt_text, "exempt") if exempt_text else False
    except InvalidInput as error:
        problems.extend(at(error.problems, where))
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
        reminder_exempt=exempt,
    )


def _whole(
    text: str, name: str, where: str, problems: list[Problem], code: str, minimum: int = 1
) -> int | None:
    """A whole-number cell (None when empty); a problem is added to `problems`."""
    if not text:
        return None
    try:
        return parse_whole(text, name, where, minimum=minimum, code=code)
    except InvalidInput as error:
        problems.extend(error.problems)
        return None


def _day(
    text: str, name: str, where: str, problems: list[Problem], dates: dict[str, date]
) -> date | None:
    """A business-date cell (None when empty), each distinct text read once."""
    if not text:
        return None
    text = iso_date(text)
    found = dates.get(text)
    if found is None:
        try:
            found = dates[text] = parse_business_date(text, name, where)
        except InvalidInput as error:
            problems.extend(error.problems)
    return found
