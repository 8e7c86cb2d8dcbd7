"""What the delivery chain reads for a batch of queued documents, in set-based queries: the
invoices with their lines, the letters and lists as stored data, the customers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from fordring.adapters.db.chunks import rows_where_in
from fordring.adapters.db.letter_codec import decode_to_print
from fordring.adapters.db.list_codec import decode_list
from fordring.adapters.db.repositories.customers import customer_from_row
from fordring.adapters.db.repositories.invoices import invoice_from_row
from fordring.adapters.db.scoping import own
from fordring.adapters.db.tables import (
    case_letter,
    collection_case,
    collection_list,
    customer,
    debtor_access,
    invoice,
    invoice_line,
)
from fordring.domain.collection.letters import Letter
from fordring.domain.customers import Customer
from fordring.domain.invoice_document import CreditedInvoice
from fordring.domain.invoices import Invoice, InvoiceLine
from fordring.services.ports import QueuedList


class SqlDeliveryDocuments:
    """The documents' reads; mixed into SqlDeliveries."""

    connection: Connection
    company_id: int

    def invoice_documents(
        self, invoice_ids: Sequence[int]
    ) -> dict[int, tuple[Invoice, CreditedInvoice | None]]:
        company_id = self.company_id
        credited = aliased(invoice)
        query = (
            select(
                invoice,
                credited.c.number.label("credited_number"),
                credited.c.issue_date.label("credited_issue_date"),
            )
            .outerjoin(credited, credited.c.id == invoice.c.credits_invoice_id)
            .where(invoice.c.company_id == company_id)
        )
        rows = rows_where_in(self.connection, query, invoice.c.id, invoice_ids)
        lines: dict[int, list[InvoiceLine]] = {}
        for line in rows_where_in(
            self.connection,
            select(invoice_line).order_by(invoice_line.c.invoice_id, invoice_line.c.line_no),
            invoice_line.c.invoice_id,
            invoice_ids,
        ):
            lines.setdefault(line.invoice_id, []).append(
                InvoiceLine(
                    line.description, line.quantity, line.unit_price, line.vat_rate, line.net
                )
            )
        return {row.id: _document(row, lines.get(row.id, [])) for row in rows}

    def letters(self, letter_ids: Sequence[int]) -> dict[int, Letter]:
        query = (
            select(case_letter.c.id, case_letter.c.content, debtor_access.c.pin_to_print)
            .join(collection_case, collection_case.c.id == case_letter.c.case_id)
            .outerjoin(debtor_access, debtor_access.c.letter_id == case_letter.c.id)
            .where(own(collection_case.c.company_id, self.company_id))
        )
        return {
            r.id: decode_to_print(r.content, r.pin_to_print)
            for r in rows_where_in(self.connection, query, case_letter.c.id, letter_ids)
        }

    def lists(self, list_ids: Sequence[int]) -> dict[int, QueuedList]:
        query = select(
            collection_list.c.id, collection_list.c.email, collection_list.c.content
        ).where(own(collection_list.c.company_id, self.company_id))
        return {
            r.id: QueuedList(decode_list(r.content), r.email)
            for r in rows_where_in(self.connection, query, collection_list.c.id, list_ids)
        }

    def customers(self, customer_ids: Sequence[int]) -> dict[int, Customer]:
        company_id = self.company_id
        query = select(customer).where(customer.c.company_id == company_id)
        return {
            r.id: customer_from_row(r)
            for r in rows_where_in(self.connection, query, customer.c.id, customer_ids)
        }


def _document(row: Any, lines: list[InvoiceLine]) -> tuple[Invoice, CreditedInvoice | None]:
    credited = (
        CreditedInvoice(row.credited_number, row.credited_issue_date)
        if row.credited_number is not None
        else None
    )
    return invoice_from_row(row, lines), credited
