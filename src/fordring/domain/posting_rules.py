"""Posting rules: which vouchers an invoice and a credit note make (docs/design.md).

Invoice: debit 1500 receivables (the total, on the customer and the invoice as open
item); credit sales (3000, or 3100 for 0 %) and output VAT (2700/2701/2703) per rate.
Credit note: the same with opposite signs, its 1500 posting on the credited invoice.
Foreign-currency amounts are converted to NOK per rate; the receivable is the sum, so
the voucher balances by construction.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from fordring.domain.invoices import Invoice
from fordring.domain.law.vat import RATES
from fordring.domain.ledger import (
    RECEIVABLES,
    SALES_WITH_VAT,
    SALES_WITHOUT_VAT,
    Posting,
    Voucher,
    VoucherTypeCode,
)
from fordring.domain.money import round_ore


class _RateAccounts(NamedTuple):
    sales: str
    vat: str | None
    sales_text: str
    vat_text: str


_ACCOUNTS_BY_RATE = {
    rate: _RateAccounts(
        SALES_WITH_VAT if vat.output_account else SALES_WITHOUT_VAT,
        vat.output_account,
        f"{rate} %",
        f"MVA {rate} %",
    )
    for rate, vat in RATES.items()
}


def invoice_voucher(
    invoice: Invoice,
    invoice_id: int,
    voucher_id: int | None = None,
    voucher_number: int | None = None,
    customer_name: str = "",
) -> Voucher:
    """The voucher that books `invoice` (or a credit note) in the general ledger."""
    credit = invoice.is_credit_note
    rate = invoice.exchange_rate
    converted = rate != 1
    postings: list[Posting] = [Posting(RECEIVABLES, Decimal(0))]  # replaced below
    receivable = Decimal(0)
    for vat_line in invoice.vat_lines:
        taxable = round_ore(vat_line.taxable * rate) if converted else vat_line.taxable
        vat = round_ore(vat_line.vat * rate) if converted else vat_line.vat
        accounts = _ACCOUNTS_BY_RATE[vat_line.rate]
        if taxable:
            postings.append(
                Posting(accounts.sales, taxable if credit else -taxable, text=accounts.sales_text)
            )
        if accounts.vat and vat:
            postings.append(Posting(accounts.vat, vat if credit else -vat, text=accounts.vat_text))
        receivable += taxable + vat
    open_item = invoice.credits_invoice_id if credit else invoice_id
    postings[0] = Posting(
        RECEIVABLES, -receivable if credit else receivable, invoice.customer_id, open_item
    )
    what = "Kreditnota" if credit else "Faktura"
    text = (
        f"{what} {invoice.number} {customer_name}" if customer_name else f"{what} {invoice.number}"
    )
    voucher_type = VoucherTypeCode.CREDIT_NOTE if credit else VoucherTypeCode.INVOICE
    return Voucher(
        voucher_type, invoice.issue_date, text, tuple(postings), voucher_number, id=voucher_id
    )
