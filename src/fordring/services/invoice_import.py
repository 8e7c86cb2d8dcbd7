"""Bulk import of invoices from CSV (SPEC L2, L7): streamed, batched, all or nothing.

One row is one invoice line. Rows that share a `number` (consecutive) form one invoice;
a row without a number is an invoice of its own, numbered from the company's series.
Columns: number, customer, issue_date, due_date, terms, description, quantity,
unit_price, vat, currency, exchange_rate, kid, exempt (docs/import.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from fordring.domain import kid as kids
from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.invoices import InvoiceKind, InvoiceLine, due_date_for
from fordring.domain.text_input import at, make_line, parse_currency, parse_flag
from fordring.services.companies import company_id
from fordring.services.imports import ImportResult, Source, already_imported, raise_if_any
from fordring.services.issuing import Draft, issue
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope

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
REQUIRED = ("customer", "description", "quantity", "unit_price", "vat")
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
BATCH_SIZE = 5_000


@dataclass
class _Pending:
    """The rows of one invoice being read."""

    first_line: int
    header: dict[str, str]
    lines: list[InvoiceLine] = field(default_factory=list)


def _date(text: str, field_name: str, where: str, default: date | None) -> date | None:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        reason = f"{text!r} is not a date (YYYY-MM-DD)"
        raise InvalidInput.one(field_name, reason, where, "not_a_date") from None


@dataclass
class _Importer:
    uow: UnitOfWork
    company: Company
    today: date
    customers: dict[int, tuple[int, str]]
    highest_existing: int  # the highest invoice number stored before this import
    problems: list[Problem] = field(default_factory=list)
    batch: list[Draft] = field(default_factory=list)
    seen_numbers: set[int] = field(default_factory=set)
    highest_number: int = 0
    invoices: int = 0
    lines: int = 0

    def draft(self, pending: _Pending) -> Draft | None:
        header, where = pending.header, f"line {pending.first_line}"
        try:
            customer_text = header["customer"]
            if not customer_text.isdigit() or int(customer_text) not in self.customers:
                raise InvalidInput.one("customer", f"no customer number {customer_text!r}", where)
            customer_id, customer_name = self.customers[int(customer_text)]
            issue_date = _date(header["issue_date"], "issue_date", where, self.today)
            assert issue_date is not None
            due = _date(header["due_date"], "due_date", where, None)
            terms_text = header["terms"]
            if terms_text and not terms_text.isdigit():
                reason = f"{terms_text!r} is not a number of days"
                raise InvalidInput.one("terms", reason, where, "not_whole_days")
            terms = int(terms_text) if terms_text else None
            if due is None and terms is None:
                terms = self.company.default_terms_days
            due_date = due_date_for(issue_date, due, terms)
            currency, rate = parse_currency(header["currency"], header["exchange_rate"], where)
            kid = kids.validate(header["kid"], field="kid") if header["kid"] else None
            exempt = parse_flag(header["exempt"], "exempt") if header["exempt"] else False
        except InvalidInput as error:
            self.problems.extend(at(error.problems, where))
            return None
        number = self.number(header.get("number", ""), where)
        return Draft(
            kind=InvoiceKind.INVOICE,
            customer_id=customer_id,
            customer_name=customer_name,
            issue_date=issue_date,
            due_date=due_date,
            lines=tuple(pending.lines),
            currency=currency,
            exchange_rate=rate,
            number=number,
            kid=kid,
            reminder_exempt=exempt,
            where=where,
        )

    def number(self, text: str, where: str) -> int | None:
        if not text:
            return None
        if not text.isdigit() or int(text) <= 0:
            reason = f"{text!r} is not an invoice number"
            self.problems.append(Problem("number", reason, where, "not_an_invoice_number"))
            return None
        number = int(text)
        if number in self.seen_numbers:
            self.problems.append(Problem("number", f"invoice {number} appears twice", where))
        self.seen_numbers.add(number)
        self.highest_number = max(self.highest_number, number)
        return number

    def add(self, pending: _Pending) -> None:
        draft = self.draft(pending)
        self.invoices += 1
        self.lines += len(pending.lines)
        if draft is not None:
            self.batch.append(draft)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if self.problems or not batch:
            return  # the import will be refused: keep reading only to report problems
        # Only numbers at or below the highest stored one can exist already: no lookup
        # at all for the usual import of new invoices.
        suspect = [
            d.number for d in batch if d.number is not None and d.number <= self.highest_existing
        ]
        taken = self.uow.invoices.existing_numbers(suspect) if suspect else set()
        if taken:
            self.problems.extend(
                Problem("number", f"invoice {n} already exists") for n in sorted(taken)
            )
            return
        try:
            issued = issue(self.uow, self.company, batch)
        except InvalidInput as error:
            self.problems.extend(error.problems)
            return
        for draft, invoice in zip(batch, issued, strict=True):
            if draft.number is None and invoice.number in self.seen_numbers:
                self.problems.append(
                    Problem(
                        "number",
                        f"invoice {invoice.number} is given in the file and is also the "
                        "next number in the series; number every row or none",
                        draft.where,
                    )
                )


def _grouped(source: Source, importer: _Importer) -> Iterator[_Pending]:
    pending: _Pending | None = None
    for line_no, fields in source.rows(INVOICE_FIELDS, REQUIRED):
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
            importer.problems.extend(error.problems)
            line = None
        number = fields.get("number", "")
        if pending is not None and number and pending.header.get("number") == number:
            for name in HEADER_FIELDS:
                if fields.get(name, "") not in ("", pending.header.get(name, "")):
                    importer.problems.append(
                        Problem(name, f"differs from the invoice's first row ({number})", where)
                    )
        else:
            if pending is not None:
                yield pending
            pending = _Pending(line_no, {k: fields.get(k, "") for k in ("number", *HEADER_FIELDS)})
        if line is not None:
            pending.lines.append(line)
    if pending is not None:
        yield pending


def import_invoices(
    source: Source, scope: Scope, today: date, uow_factory: UnitOfWorkFactory
) -> ImportResult:
    """Import invoices from a CSV file in one transaction: every one, or none."""
    with uow_factory(scope) as uow:
        company = uow.company.current()
        cid = company_id(company)
        previous = already_imported(uow, cid, "invoices", source)
        if previous:
            return previous
        importer = _Importer(
            uow, company, today, uow.customers.ids_by_number(), uow.invoices.highest_number()
        )
        for pending in _grouped(source, importer):
            importer.add(pending)
        importer.flush()
        if importer.invoices == 0:
            importer.problems.append(Problem("file", "no invoices in the file"))
        raise_if_any(importer.problems)
        if importer.highest_number:
            uow.series.raise_to("invoice", importer.highest_number + 1)
        uow.imports.add("invoices", source.sha256, source.name, importer.invoices, today)
        uow.invoices.refresh_statistics()
        uow.commit()
    return ImportResult(source.name, importer.invoices, importer.lines, already=False)
