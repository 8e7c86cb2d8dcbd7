"""A payment row as stored and as a person reads it (with customer, case, invoices paid
and settlement): shared by the payment and settlement repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Select, select

from fordring.adapters.db.tables import (
    collection_case,
    customer,
    payment,
    settlement,
)
from fordring.services.ports import PaymentRow, PaymentView

PAYMENT_COLUMNS = (
    "id",
    "company_id",
    "number",
    "bank_file_id",
    "place",
    "channel",
    "received_on",
    "amount",
    "kid",
    "text",
    "payer_name",
    "payer_account",
    "archive_ref",
    "status",
    "matched_by",
    "matched_on",
    "customer_id",
    "case_id",
    "voucher_id",
    "allocation_voucher_id",
    "principal",
    "interest",
    "fees",
    "salaer",
    "credit",
    "refunded",
    "settlement_id",
    "reverses_id",
    "invoice_numbers",
)


def payment_row(r: Any) -> PaymentRow:
    return PaymentRow(
        **{name: getattr(r, name) for name in PAYMENT_COLUMNS if name != "company_id"}
    )


_settled_in = settlement.alias("settled_in")


def payment_view_query() -> Select[Any]:
    return (
        select(
            payment,
            customer.c.number.label("customer_number"),
            customer.c.name.label("customer_name"),
            collection_case.c.number.label("case_number"),
            _settled_in.c.number.label("settlement_number"),
        )
        .outerjoin(customer, customer.c.id == payment.c.customer_id)
        .outerjoin(collection_case, collection_case.c.id == payment.c.case_id)
        .outerjoin(_settled_in, _settled_in.c.id == payment.c.settlement_id)
    )


def views(connection: Connection, query: Select[Any]) -> list[PaymentView]:
    """Payment views of `query`'s rows."""
    return [
        PaymentView(
            payment_row(r),
            r.customer_number,
            r.customer_name or "",
            r.case_number,
            tuple(int(n) for n in r.invoice_numbers.split()),
            r.settlement_number,
        )
        for r in connection.execute(query)
    ]
