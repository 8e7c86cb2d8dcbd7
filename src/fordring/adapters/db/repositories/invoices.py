"""Invoices and credit notes with their lines; their open amounts (the customer ledger)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, func, select, text
from sqlalchemy.orm import aliased

from fordring.adapters.db.bulk import Encoders, write_rows
from fordring.adapters.db.chunks import AnyOf, array_text, rows_where_in
from fordring.adapters.db.repositories.companies import reserve_ids
from fordring.adapters.db.repositories.webhooks import WANTS, queue_events, subscribed
from fordring.adapters.db.tables import (
    collection_case,
    company_kid,
    customer,
    invoice,
    invoice_line,
    voucher,
)
from fordring.adapters.db.types import as_read_exact, as_read_money
from fordring.domain.invoices import Invoice, InvoiceKind, InvoiceLine
from fordring.domain.webhooks import WebhookType, invoice_data
from fordring.services.ports import InvoiceSummary, StoredInvoice

INVOICE_COLUMNS = (
    "id",
    "company_id",
    "number",
    "kind",
    "customer_id",
    "issue_date",
    "due_date",
    "currency",
    "exchange_rate",
    "net",
    "vat",
    "total",
    "total_nok",
    "open_amount",
    "kid",
    "credits_invoice_id",
    "reminder_exempt",
    "voucher_id",
)
LINE_COLUMNS = ("invoice_id", "line_no", "description", "quantity", "unit_price", "vat_rate", "net")


def invoice_from_row(row: Any, lines: Sequence[InvoiceLine]) -> Invoice:
    """An Invoice from a row of the `invoice` table and its lines."""
    return Invoice(
        number=row.number,
        kind=InvoiceKind(row.kind),
        customer_id=row.customer_id,
        issue_date=row.issue_date,
        due_date=row.due_date,
        lines=tuple(lines),
        kid=row.kid,
        currency=row.currency,
        exchange_rate=row.exchange_rate,
        credits_invoice_id=row.credits_invoice_id,
        reminder_exempt=row.reminder_exempt,
        id=row.id,
    )


_CREDITED = aliased(invoice)


def _ids(kind: str) -> Any:
    return func.fordring_reserve_ids(
        bindparam(f"{kind}_ids", kind, type_=String), bindparam("count", type_=Integer)
    )


# `kids_taken`: the company's KIDs among those given, with the invoice or case of each.
_KIDS_TAKEN = AnyOf(
    select(
        company_kid.c.kid,
        invoice.c.number.label("invoice_number"),
        collection_case.c.number.label("case_number"),
    )
    .outerjoin(invoice, invoice.c.id == company_kid.c.invoice_id)
    .outerjoin(collection_case, collection_case.c.id == company_kid.c.case_id)
    .where(company_kid.c.company_id == bindparam("company_id")),
    company_kid.c.kid,
)

# `ready_to_issue` on PostgreSQL: both id blocks (companies.reserve_ids) and whether an
# endpoint wants invoice.issued (webhooks.WANTS), one statement built once.
_READY_TO_ISSUE = select(
    _ids("invoice").label("invoice"),
    _ids("voucher").label("voucher"),
    WANTS.exists().label("announced"),
)
# One invoice of a company by number, a row per line (in order): built once, the company
# and the number bound when it runs.
_ONE_INVOICE = (
    select(
        invoice,
        customer.c.number.label("customer_number"),
        customer.c.name.label("customer_name"),
        _CREDITED.c.number.label("credited_number"),
        voucher.c.number.label("voucher_number"),
        invoice_line.c.line_no,
        invoice_line.c.description.label("line_description"),
        invoice_line.c.quantity.label("line_quantity"),
        invoice_line.c.unit_price.label("line_unit_price"),
        invoice_line.c.vat_rate.label("line_vat"),
        invoice_line.c.net.label("line_net"),
    )
    .join(customer, customer.c.id == invoice.c.customer_id)
    .outerjoin(_CREDITED, _CREDITED.c.id == invoice.c.credits_invoice_id)
    .join(voucher, voucher.c.id == invoice.c.voucher_id)
    .outerjoin(invoice_line, invoice_line.c.invoice_id == invoice.c.id)
    .where(
        (invoice.c.company_id == bindparam("company_id"))
        & (invoice.c.number == bindparam("number"))
    )
    .order_by(invoice_line.c.line_no)
)


class SqlInvoices:
    def __init__(self, connection: Connection, company_id: int) -> None:
        self.connection = connection
        self.company_id = company_id
        self.encode = Encoders(connection.dialect.name)

    def reserve_ids(self, count: int) -> int:
        return reserve_ids(self.connection, "invoice", count)

    def ready_to_issue(self, count: int) -> tuple[int, int, bool]:
        announce = WebhookType.INVOICE_ISSUED.value
        if self.connection.dialect.name != "postgresql":  # SQLite: no round trips to save
            given = {"company_id": self.company_id, "event_type": announce}
            announced = self.connection.execute(WANTS, given).first() is not None
            first_voucher_id = reserve_ids(self.connection, "voucher", count)
            return self.reserve_ids(count), first_voucher_id, announced
        given = {"count": max(count, 1), "company_id": self.company_id, "event_type": announce}
        row = self.connection.execute(_READY_TO_ISSUE, given).one()
        return int(row.invoice), int(row.voucher), bool(row.announced)

    def add_many(
        self, rows: Sequence[tuple[Invoice, Decimal, int]], *, announced: bool | None = None
    ) -> None:
        company_id = self.company_id
        money, day, dec, flag = (
            self.encode.money,
            self.encode.day,
            self.encode.decimal,
            self.encode.flag,
        )
        invoice_rows: list[tuple[Any, ...]] = []
        line_rows: list[tuple[Any, ...]] = []
        for inv, open_amount, voucher_id in rows:
            invoice_rows.append(
                (
                    inv.id,
                    company_id,
                    inv.number,
                    inv.kind.value,
                    inv.customer_id,
                    day(inv.issue_date),
                    day(inv.due_date),
                    inv.currency,
                    dec(inv.exchange_rate),
                    money(inv.net),
                    money(inv.vat),
                    money(inv.total),
                    money(inv.total_nok()),
                    money(open_amount),
                    inv.kid,
                    inv.credits_invoice_id,
                    flag(inv.reminder_exempt),
                    voucher_id,
                )
            )
            for line_no, line in enumerate(inv.lines, start=1):
                line_rows.append(
                    (
                        inv.id,
                        line_no,
                        line.description,
                        dec(line.quantity),
                        dec(line.unit_price),
                        dec(line.vat_rate),
                        money(line.net),
                    )
                )
        write_rows(self.connection, "invoice", INVOICE_COLUMNS, invoice_rows)
        write_rows(self.connection, "invoice_line", LINE_COLUMNS, line_rows)
        # Each invoice's KID names it alone (the key refuses one another item has).
        kid_rows = [
            (company_id, inv.kid, inv.id) for inv, _, _ in rows if inv.kind is InvoiceKind.INVOICE
        ]
        write_rows(self.connection, "company_kid", ("company_id", "kid", "invoice_id"), kid_rows)
        if announced is False:
            return  # the caller asked: no endpoint wants invoice.issued
        wanted = subscribed(self.connection, company_id)
        if WebhookType.INVOICE_ISSUED.value in wanted:
            queue_events(
                self.connection,
                company_id,
                [(WebhookType.INVOICE_ISSUED, invoice_data(inv)) for inv, _, _ in rows],
                wanted=wanted,
            )

    def kids_taken(self, kids: Iterable[str]) -> dict[str, str]:
        return {
            row.kid: (
                f"invoice {row.invoice_number}"
                if row.invoice_number is not None
                else f"case {row.case_number}"
            )
            for row in _KIDS_TAKEN.rows(self.connection, kids, {"company_id": self.company_id})
        }

    def get(self, number: int) -> StoredInvoice | None:
        rows = self.connection.execute(
            _ONE_INVOICE, {"company_id": self.company_id, "number": number}
        ).all()
        if not rows:
            return None
        row = rows[0]
        lines = tuple(
            InvoiceLine(
                x.line_description, x.line_quantity, x.line_unit_price, x.line_vat, x.line_net
            )
            for x in rows
            if x.line_no is not None
        )
        stored = invoice_from_row(row, lines)
        return StoredInvoice(
            invoice=stored,
            id=row.id,
            customer_number=row.customer_number,
            customer_name=row.customer_name,
            total_nok=row.total_nok,
            open_amount=row.open_amount,
            credited_number=row.credited_number,
            voucher_number=row.voucher_number,
        )

    def as_stored(self, written: StoredInvoice) -> StoredInvoice:
        inv = written.invoice
        lines = tuple(
            InvoiceLine(
                x.description,
                as_read_exact(x.quantity),
                as_read_exact(x.unit_price),
                as_read_exact(x.vat_rate),
                as_read_money(x.net),
            )
            for x in inv.lines
        )
        stored = replace(inv, lines=lines, exchange_rate=as_read_exact(inv.exchange_rate))
        return replace(
            written,
            invoice=stored,
            total_nok=as_read_money(written.total_nok),
            open_amount=as_read_money(written.open_amount),
        )

    def list(
        self,
        *,
        open_only: bool,
        after: int | None = None,
        limit: int | None = None,
        customer_number: int | None = None,
        kind: str | None = None,
    ) -> list[InvoiceSummary]:
        company_id = self.company_id
        query = (
            select(
                invoice,
                customer.c.number.label("customer_number"),
                customer.c.name.label("customer_name"),
            )
            .join(customer, customer.c.id == invoice.c.customer_id)
            .where(invoice.c.company_id == company_id)
            .order_by(invoice.c.number)
        )
        if open_only:
            query = query.where(invoice.c.open_amount != 0)
        if after is not None:
            query = query.where(invoice.c.number > after)
        if customer_number is not None:
            query = query.where(customer.c.number == customer_number)
        if kind is not None:
            query = query.where(invoice.c.kind == kind)
        query = query.limit(limit)
        return [
            InvoiceSummary(
                id=row.id,
                number=row.number,
                kind=row.kind,
                customer_number=row.customer_number,
                customer_name=row.customer_name,
                issue_date=row.issue_date,
                due_date=row.due_date,
                currency=row.currency,
                total=row.total,
                total_nok=row.total_nok,
                open_amount=row.open_amount,
                kid=row.kid,
            )
            for row in self.connection.execute(query)
        ]

    def existing_numbers(self, numbers: Iterable[int]) -> set[int]:
        company_id = self.company_id
        query = select(invoice.c.number).where(invoice.c.company_id == company_id)
        return {r.number for r in rows_where_in(self.connection, query, invoice.c.number, numbers)}

    def highest_number(self) -> int:
        company_id = self.company_id
        found = self.connection.execute(
            select(func.max(invoice.c.number)).where(invoice.c.company_id == company_id)
        ).scalar_one()
        return int(found or 0)

    def add_to_open_amounts(self, changes: dict[int, Decimal]) -> None:
        """One statement for all of `changes` (a statement per invoice cost PostgreSQL
        about 40 µs each in a bulk import)."""
        if not changes:
            return
        # The scope's company is checked per row (`+ 0`: never chosen as the index).
        if self.connection.dialect.name == "postgresql":
            ordered = sorted(changes)
            self.connection.execute(
                text(
                    "UPDATE invoice SET open_amount = invoice.open_amount + v.change "
                    "FROM unnest(CAST(:items AS BIGINT[]), CAST(:changes AS NUMERIC[])) "
                    "AS v(item, change) WHERE invoice.id = v.item "
                    "AND invoice.company_id + 0 = :company"
                ),
                {  # in the invoices' order; arrays as text (chunks.array_text)
                    "items": array_text(ordered),
                    "changes": array_text(changes[i] for i in ordered),
                    "company": self.company_id,
                },
            )
            return
        money = self.encode.money
        self.connection.execute(
            text(
                "UPDATE invoice SET open_amount = open_amount + json_extract(v.value, '$[1]') "
                "FROM json_each(:changes) AS v WHERE invoice.id = json_extract(v.value, '$[0]') "
                "AND invoice.company_id + 0 = :company"
            ),
            {
                "changes": json.dumps([[item, money(change)] for item, change in changes.items()]),
                "company": self.company_id,
            },
        )
