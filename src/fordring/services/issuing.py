"""Issuing invoices and credit notes in batches: numbers, KIDs, ids, vouchers, storage.

One path for a single invoice typed at the CLI and a million read from a file: every
batch reserves its numbers and ids in one go and is written with bulk inserts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain import kid as kids
from fordring.domain.company import Company
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.invoices import Invoice, InvoiceKind, InvoiceLine, check_invoice
from fordring.domain.ledger import Voucher
from fordring.domain.posting_rules import invoice_voucher
from fordring.services.ports import UnitOfWork
from fordring.services.posting import post_vouchers


@dataclass(frozen=True, slots=True)
class Draft:
    """An invoice or credit note ready to issue, but without number, id and voucher yet."""

    kind: InvoiceKind
    customer_id: int
    customer_name: str
    issue_date: date
    due_date: date
    lines: tuple[InvoiceLine, ...]
    currency: str = "NOK"
    exchange_rate: Decimal = Decimal(1)
    number: int | None = None
    kid: str | None = None
    credits_invoice_id: int | None = None
    credited_open: Decimal | None = None  # what is open on the credited invoice
    reminder_exempt: bool = False
    where: str = ""


def issue(uow: UnitOfWork, company: Company, drafts: Sequence[Draft]) -> list[Invoice]:
    """Number, book and store `drafts`; raises InvalidInput (nothing stored) on any problem."""
    unnumbered = sum(1 for d in drafts if d.number is None)
    next_number = uow.series.take("invoice", unnumbered) if unnumbered else 0
    first_id = uow.invoices.reserve_ids(len(drafts))
    first_voucher_id = uow.ledger.reserve_ids(len(drafts))
    first_voucher_number = uow.series.take("voucher", len(drafts))
    policy = company.kid_policy
    problems: list[Problem] = []
    rows: list[tuple[Invoice, Decimal, int]] = []
    vouchers: list[Voucher] = []
    for offset, draft in enumerate(drafts):
        number = draft.number
        if number is None:
            number, next_number = next_number, next_number + 1
        try:
            kid = draft.kid or kids.generate(number, policy.algorithm, policy.length)
        except InvalidInput as error:
            problems.extend(Problem(p.field, p.reason, draft.where) for p in error.problems)
            continue
        invoice = Invoice(
            number=number,
            kind=draft.kind,
            customer_id=draft.customer_id,
            issue_date=draft.issue_date,
            due_date=draft.due_date,
            lines=draft.lines,
            kid=kid,
            currency=draft.currency,
            exchange_rate=draft.exchange_rate,
            credits_invoice_id=draft.credits_invoice_id,
            reminder_exempt=draft.reminder_exempt,
            id=first_id + offset,
        )
        found = check_invoice(
            invoice, vat_registered=company.vat_registered, credited_open=draft.credited_open
        )
        if found:
            problems.extend(Problem(p.field, p.reason, draft.where) for p in found)
            continue
        voucher = invoice_voucher(
            invoice,
            invoice_id=first_id + offset,
            voucher_id=first_voucher_id + offset,
            voucher_number=first_voucher_number + offset,
            customer_name=draft.customer_name,
        )
        vouchers.append(voucher)
        own_open = voucher.open_item_changes().get(first_id + offset, Decimal(0))
        rows.append((invoice, own_open, first_voucher_id + offset))
    if problems:
        raise InvalidInput(problems)
    # Each invoice is stored open for its own voucher's posting; a credit note's posting
    # on the invoice it credits is derived by the posting service.
    uow.invoices.add_many(rows)
    post_vouchers(uow, vouchers, new_invoices=[(i.id or 0, v) for i, _, v in rows])
    return [invoice for invoice, _, _ in rows]
