"""Bulk import of invoices from a file (SPEC L2, L7): streamed, batched, all or nothing.

The file reaches this service as typed invoices (`ImportedInvoice`: lines as values, dates,
numbers, currency and KID read), or as the problems of the rows that could not be read;
adapters/csv_imports.py reads a CSV file so (docs/import.md). Here the invoices are
checked against what is stored (customers, numbers), given their defaults (issue date,
terms) and issued in batches in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.invoices import InvoiceKind, InvoiceLine, due_date_for
from fordring.domain.kid import Kid
from fordring.domain.money import DEFAULT_CURRENCY
from fordring.domain.text_input import at
from fordring.services.imports import (
    ImportFile,
    ImportResult,
    Refused,
    already_imported,
    raise_if_any,
)
from fordring.services.issuing import Draft, issue
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope

BATCH_SIZE = 5_000


class ImportedInvoice(NamedTuple):
    """One invoice read from a file, typed: its lines and its header (the first row's).
    A NamedTuple like InvoiceLine: as immutable as a frozen dataclass and several times
    cheaper to build, which a million-invoice import feels."""

    where: str  # "line 12": the invoice's first row
    customer: int  # the customer's number
    lines: tuple[InvoiceLine, ...]
    number: int | None = None  # None: the next in the company's series
    issue_date: date | None = None  # None: the business date
    due_date: date | None = None  # None: issue date + terms
    terms_days: int | None = None  # None (and no due date): the company's terms
    currency: str = DEFAULT_CURRENCY
    exchange_rate: Decimal = Decimal(1)
    kid: Kid | None = None  # None: made from the invoice number
    reminder_exempt: bool = False


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
    seen_kids: dict[str, str] = field(default_factory=dict)  # a KID given → its first line
    highest_number: int = 0
    invoices: int = 0
    lines: int = 0

    def draft(self, invoice: ImportedInvoice) -> Draft | None:
        where = invoice.where
        number = self.number(invoice.number, where)
        customer = self.customers.get(invoice.customer)
        if customer is None:
            reason = f"no customer number {invoice.customer}"
            self.problems.append(Problem("customer", reason, where, "not_found"))
            return None
        issue_date = invoice.issue_date or self.today
        terms = invoice.terms_days
        if invoice.due_date is None and terms is None:
            terms = self.company.default_terms_days
        try:
            due_date = due_date_for(issue_date, invoice.due_date, terms)
        except InvalidInput as error:
            self.problems.extend(at(error.problems, where))
            return None
        customer_id, customer_name = customer
        if invoice.kid is not None:
            first = self.seen_kids.setdefault(invoice.kid, where)
            if first != where:
                reason = f"{invoice.kid} is given twice in the file (also {first})"
                self.problems.append(Problem("kid", reason, where, "kid_taken"))
        return Draft(
            kind=InvoiceKind.INVOICE,
            customer_id=customer_id,
            customer_name=customer_name,
            issue_date=issue_date,
            due_date=due_date,
            lines=invoice.lines,
            currency=invoice.currency,
            exchange_rate=invoice.exchange_rate,
            number=number,
            kid=invoice.kid,
            reminder_exempt=invoice.reminder_exempt,
            where=where,
        )

    def number(self, number: int | None, where: str) -> int | None:
        if number is None:
            return None
        if number in self.seen_numbers:
            self.problems.append(Problem("number", f"invoice {number} appears twice", where))
        self.seen_numbers.add(number)
        self.highest_number = max(self.highest_number, number)
        return number

    def add(self, invoice: ImportedInvoice) -> None:
        draft = self.draft(invoice)
        self.invoices += 1
        self.lines += len(invoice.lines)
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


def import_invoices(
    source: ImportFile[ImportedInvoice],
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> ImportResult:
    """Import a file of invoices in one transaction: every one, or none."""
    today = scope.business_date
    with uow_factory(scope) as uow:
        company = uow.company.current()
        previous = already_imported(uow, "invoices", source)
        if previous:
            return previous
        importer = _Importer(
            uow, company, today, uow.customers.ids_by_number(), uow.invoices.highest_number()
        )
        for record in source.records():
            if isinstance(record, Refused):
                importer.problems.extend(record.problems)
            else:
                importer.add(record)
        importer.flush()
        if importer.invoices == 0 and not importer.problems:
            importer.problems.append(Problem("file", "no invoices in the file"))
        raise_if_any(importer.problems)
        if importer.highest_number:
            uow.series.raise_to("invoice", importer.highest_number + 1)
        uow.imports.add("invoices", source.sha256, source.name, importer.invoices, today)
        uow.commit()
    return ImportResult(source.name, importer.invoices, importer.lines, already=False)
