"""Posting rules: which vouchers an invoice and a credit note make (docs/design.md).

Invoice: debit 1500 receivables (the total, on the customer and the invoice as open
item); credit sales (3000, or 3100 for 0 %) and output VAT (2700/2701/2703) per rate.
Credit note: the same with opposite signs, its 1500 posting on the credited invoice.
Foreign-currency amounts are converted to NOK per rate; the receivable is the sum, so
the voucher balances by construction.
"""

from __future__ import annotations

from decimal import Decimal

from fordring.domain.invoices import Invoice
from fordring.domain.law.vat import RATES
from fordring.domain.ledger import (
    CREDIT_NOTE_TYPE,
    INVOICE_TYPE,
    RECEIVABLES,
    SALES_WITH_VAT,
    SALES_WITHOUT_VAT,
    Posting,
    Voucher,
)
from fordring.domain.money import round_ore


def invoice_voucher(
    invoice: Invoice,
    invoice_id: int,
    voucher_id: int | None = None,
    voucher_number: int | None = None,
    customer_name: str = "",
) -> Voucher:
    """The voucher that books `invoice` (or a credit note) in the general ledger."""
    sign = -1 if invoice.is_credit_note else 1
    rate = invoice.exchange_rate
    postings: list[Posting] = []
    receivable = Decimal(0)
    for vat_line in invoice.vat_lines:
        taxable = round_ore(vat_line.taxable * rate) if rate != 1 else vat_line.taxable
        vat = round_ore(vat_line.vat * rate) if rate != 1 else vat_line.vat
        vat_account = RATES[vat_line.rate].output_account
        sales_account = SALES_WITH_VAT if vat_account else SALES_WITHOUT_VAT
        if taxable:
            postings.append(Posting(sales_account, -sign * taxable, text=f"{vat_line.rate} %"))
        if vat_account and vat:
            postings.append(Posting(vat_account, -sign * vat, text=f"MVA {vat_line.rate} %"))
        receivable += taxable + vat
    open_item = invoice.credits_invoice_id if invoice.is_credit_note else invoice_id
    postings.insert(0, Posting(RECEIVABLES, sign * receivable, invoice.customer_id, open_item))
    what = "Kreditnota" if invoice.is_credit_note else "Faktura"
    text = f"{what} {invoice.number}" + (f" {customer_name}" if customer_name else "")
    voucher_type = CREDIT_NOTE_TYPE if invoice.is_credit_note else INVOICE_TYPE
    return Voucher(
        voucher_type, invoice.issue_date, text, tuple(postings), voucher_number, id=voucher_id
    )
