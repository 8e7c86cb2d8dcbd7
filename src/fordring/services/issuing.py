"""Issuing invoices and credit notes in batches: numbers, KIDs, ids, vouchers, storage.

One path for a single invoice typed at the CLI and a million read from a file: every
batch reserves its numbers and ids in one go and is written with bulk inserts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fordring.domain.collector import client_case_of
from fordring.domain.company import Company, KidPolicy
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
    return [invoice for invoice, _, _ in issue_booked(uow, company, drafts)]


def issue_booked(
    uow: UnitOfWork, company: Company, drafts: Sequence[Draft]
) -> list[tuple[Invoice, Decimal, int]]:
    """`issue`, and for each invoice what is open on it and its voucher's number: what a
    caller answers with, without reading the invoice back."""
    unnumbered = sum(1 for d in drafts if d.number is None)
    # Ids first, and whether a webhook endpoint wants invoice.issued: they wait for no
    # one. Taking a number locks the company's series until the commit (no gaps, no
    # doubles), so every other issue of the company waits from there on: the numbers are
    # taken last, both series in one go.
    first_id, first_voucher_id, announced = uow.invoices.ready_to_issue(len(drafts))
    taken = uow.series.take_each({"invoice": unnumbered, "voucher": len(drafts)})
    next_number, first_voucher_number = taken.get("invoice", 0), taken["voucher"]
    policy = company.kid_policy
    problems: list[Problem] = []
    rows: list[tuple[Invoice, Decimal, int]] = []
    voucher_numbers: list[int] = []
    made: list[tuple[Draft, Invoice]] = []
    vouchers: list[Voucher] = []
    for offset, draft in enumerate(drafts):
        number = draft.number
        if number is None:
            number, next_number = next_number, next_number + 1
        try:
            kid = draft.kid or policy.invoice_kid(number)
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
        made.append((draft, invoice))
        own_open = voucher.open_item_changes().get(first_id + offset, Decimal(0))
        rows.append((invoice, own_open, first_voucher_id + offset))
        voucher_numbers.append(first_voucher_number + offset)
    problems += kid_problems(uow, policy, made)
    if problems:
        raise InvalidInput(problems)
    # Each invoice is stored open for its own voucher's posting; a credit note's posting
    # on the invoice it credits is derived by the posting service.
    # The invoices, lines, KIDs, postings and vouchers go in one round trip (PostgreSQL):
    # the company's numbers are held from `take_each` to the commit.
    with uow.writes_together():
        uow.invoices.add_many(rows, announced=announced)
        post_vouchers(uow, vouchers, new_invoices=[(i.id or 0, v) for i, _, v in rows])
    return [(i, o, n) for (i, o, _), n in zip(rows, voucher_numbers, strict=True)]


def kid_problems(
    uow: UnitOfWork, policy: KidPolicy, issued: Sequence[tuple[Draft, Invoice]]
) -> list[Problem]:
    """A KID names one open item (issue 14): an invoice's KID must not be another's in the
    batch, nor any invoice's or case's of the company already, and a KID given by hand not
    one fordring makes for another invoice or a case (that one would get it too)."""
    first: dict[str, Draft] = {}
    problems: list[Problem] = []
    paid_by_kid = [(d, i) for d, i in issued if i.kind is InvoiceKind.INVOICE]
    for draft, invoice in paid_by_kid:
        earlier = first.setdefault(invoice.kid, draft)
        if earlier is not draft and not (draft.kid or earlier.kid):
            # Both KIDs are made from the number: a row without one took the series number
            # another row gives.
            reason = (
                f"invoice {invoice.number} is given in the file (also "
                f"{earlier.where or 'earlier'}) and is also the next number in the series; "
                "number every row or none"
            )
            problems.append(Problem("number", reason, draft.where, "number_taken"))
        elif earlier is not draft:
            reason = f"{invoice.kid} is given twice (also {earlier.where or 'earlier'})"
            problems.append(Problem("kid", reason, draft.where, "kid_taken"))
    taken = uow.invoices.kids_taken(first)
    given = any(draft.kid for draft, _ in paid_by_kid)
    served = uow.client_kids.served() if given else None  # (collector, creditor number)
    for draft, invoice in paid_by_kid:
        owner = taken.get(invoice.kid)
        reserved = _made_for(policy, served, invoice.kid) if draft.kid else None
        if owner is None and reserved not in (None, f"invoice {invoice.number}"):
            reason = f"{invoice.kid} is the KID fordring makes for {reserved}; give another or none"
            problems.append(Problem("kid", reason, draft.where, "kid_reserved"))
        if owner is None:
            continue
        if draft.kid:
            reason = f"{invoice.kid} is already the KID of {owner}"
        else:
            reason = (
                f"{invoice.kid}, the KID made from its number, is already the KID of {owner}; "
                "give the invoice a KID of its own"
            )
        problems.append(Problem("kid", reason, draft.where, "kid_taken"))
    return problems


def _made_for(policy: KidPolicy, served: tuple[int, int] | None, kid: str) -> str | None:
    """The invoice or case fordring gives `kid` to (at the collector, too), or None."""
    made = policy.made_for(kid)
    case = client_case_of(served[1], kid) if made is None and served is not None else None
    return made if case is None else f"case {case} (at the collector)"
