"""What a SAF-T import writes: the file's customers, and its open items as invoices born
open by one opening-balance voucher posted through the one posting service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from stdnum.no import orgnr as orgnr_number

from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.company import Company
from fordring.domain.customers import Customer, CustomerDetails, CustomerKind
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.invoices import Invoice, InvoiceKind, check_invoice, line
from fordring.domain.ledger import (
    OPENING_BALANCE,
    OPENING_BALANCE_TYPE,
    RECEIVABLES,
    Posting,
    Voucher,
)
from fordring.domain.saft import CustomerLedger, OpenItem, SaftCustomer, SaftHeader
from fordring.services.customers import customer_from
from fordring.services.imports import raise_if_any
from fordring.services.issuing import Draft, kid_problems
from fordring.services.ports import UnitOfWork
from fordring.services.posting import post_vouchers, reserve

MAX_NUMBER = 10**15
ZERO = Decimal(0)


def _number(text: str) -> int | None:
    """A file's id as one of fordring's numbers, when it is one."""
    if text.isascii() and text.isdigit() and 0 < int(text) < MAX_NUMBER:
        return int(text)
    return None


def details_of_saft(customer: SaftCustomer) -> CustomerDetails:
    """A business when its RegistrationNumber is an organisation number (a VAT number's
    NO…MVA counts); otherwise a consumer, without one."""
    digits = "".join(ch for ch in customer.registration_number if ch.isdigit())
    if len(digits) == 9 and orgnr_number.is_valid(digits):
        kind, orgnr = CustomerKind.BUSINESS, digits
    else:
        kind, orgnr = CustomerKind.CONSUMER, None
    return CustomerDetails(
        kind, customer.name, orgnr, None, customer.address, customer.email, customer.phone
    )


def customers_of(
    uow: UnitOfWork, customers: Sequence[SaftCustomer], today: date
) -> tuple[int, int, dict[str, int]]:
    """Add the file's customers that are not there: (added, found, CustomerID → id). A
    numeric CustomerID is the customer number; one there already with the same name is the
    same customer; another name under it is refused."""
    stored = uow.customers.ids_by_number()
    problems: list[Problem] = []
    new: list[tuple[SaftCustomer, Customer, bool]] = []  # numbered by the file?
    found: dict[str, int] = {}
    seen: set[int] = set()
    for saft in customers:
        where = f"line {saft.line}"
        number = _number(saft.customer_id)
        if number is not None and number in stored:
            customer_id, name = stored[number]
            if name.strip().casefold() == saft.name.strip().casefold():
                found[saft.customer_id] = customer_id
                continue
            reason = f"customer {number} is {name} here, {saft.name} in the file"
            problems.append(Problem("CustomerID", reason, where, "not_allowed"))
            continue
        if number is not None and number in seen:
            problems.append(Problem("CustomerID", f"{number} appears twice", where))
        try:
            customer = customer_from(details_of_saft(saft), number or 1, today, where)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        if number is not None:
            seen.add(number)
        new.append((saft, customer, number is not None))
    raise_if_any(problems)
    if seen:
        uow.series.raise_to("customer", max(seen) + 1)
    unnumbered = sum(1 for _, _, given in new if not given)
    next_number = uow.series.take("customer", unnumbered) if unnumbered else 0
    numbered: list[Customer] = []
    for _, customer, given in new:
        if not given:
            customer = replace(customer, number=next_number)
            next_number += 1
        numbered.append(customer)
    uow.customers.add_many(numbered)
    ids = uow.customers.ids_by_number()
    for (saft, _, _), customer in zip(new, numbered, strict=True):
        found[saft.customer_id] = ids[customer.number][0]
    return len(new), len(customers) - len(new), found


def book_opening_items(
    uow: UnitOfWork,
    company: Company,
    ledger: CustomerLedger,
    customers: Sequence[SaftCustomer],
    ids: dict[str, int],
    header: SaftHeader,
    filename: str,
) -> tuple[int | None, tuple[str, ...]]:
    """Store the open items as invoices and post the one opening voucher: (its number,
    the references given new numbers). Nothing when the file has nothing open."""
    if not ledger.items and not ledger.credits:
        return None, ()
    if not any(t.code == OPENING_BALANCE_TYPE.code for t in uow.ledger.voucher_types()):
        uow.ledger.add_voucher_types([OPENING_BALANCE_TYPE])
    terms = {c.customer_id: c.terms_days for c in customers}
    names = {c.customer_id: c.name for c in customers}
    numbers, renumbered = _invoice_numbers(uow, ledger.items, ledger.highest_number)
    first_id = uow.invoices.reserve_ids(len(ledger.items)) if ledger.items else 0
    block = reserve(uow, 1)
    problems: list[Problem] = []
    made: list[tuple[Draft, Invoice]] = []
    postings: list[Posting] = []
    for offset, (item, number) in enumerate(zip(ledger.items, numbers, strict=True)):
        issue_date = item.issue_date
        days = terms.get(item.customer_id) or company.default_terms_days
        due = max(item.due_date or issue_date + timedelta(days=days), issue_date)
        kid = item.kid if _usable_kid(item.kid) else None
        where = f"line {item.line}" if item.line else f"customer {item.customer_id}"
        text = f"Faktura {item.reference} (SAF-T)" if item.reference else "Saldo overført (SAF-T)"
        draft = Draft(
            InvoiceKind.INVOICE,
            ids[item.customer_id],
            names[item.customer_id],
            issue_date,
            due,
            (line(text, Decimal(1), item.amount, ZERO),),
            number=number,
            kid=kid,
            where=where,
        )
        try:
            invoice = Invoice(
                number=number,
                kind=InvoiceKind.INVOICE,
                customer_id=draft.customer_id,
                issue_date=issue_date,
                due_date=due,
                lines=draft.lines,
                kid=kid or company.kid_policy.invoice_kid(number),
                id=first_id + offset,
            )
        except InvalidInput as error:
            problems.extend(Problem(p.field, p.reason, where, p.code) for p in error.problems)
            continue
        found = check_invoice(invoice, vat_registered=company.vat_registered)
        problems.extend(Problem(p.field, p.reason, where, p.code) for p in found)
        made.append((draft, invoice))
        postings.append(
            Posting(RECEIVABLES, item.open_amount, draft.customer_id, invoice.id, text[:300])
        )
    problems += kid_problems(uow, company.kid_policy, made)
    raise_if_any(problems)
    credit_account = with_settings(Agreement(), uow.collection.settings()).credit_account
    for customer, credit in sorted(ledger.credits.items()):
        text = "Kreditsaldo (SAF-T)"
        postings.append(Posting(credit_account, credit, ids[customer], None, text))
    total = sum((p.amount for p in postings), ZERO)
    postings.append(Posting(OPENING_BALANCE, -total, None, None, "Motpost inngående balanse"))
    voucher = Voucher(
        OPENING_BALANCE_TYPE.code,
        header.period_end,
        f"Inngående kundereskontro fra SAF-T {filename}"[:300],
        tuple(postings),
        number=block.first_number,
        id=block.first_id,
    )
    uow.invoices.add_many(
        [
            (invoice, item.open_amount, block.first_id)
            for (_, invoice), item in zip(made, ledger.items, strict=True)
        ]
    )
    post_vouchers(uow, [voucher], new_invoices=[(i.id or 0, block.first_id) for _, i in made])
    return block.first_number, renumbered


def _usable_kid(kid: str | None) -> bool:
    return kid is not None and kid.isascii() and kid.isdigit() and 2 <= len(kid) <= 25


def _invoice_numbers(
    uow: UnitOfWork, items: Sequence[OpenItem], highest: int
) -> tuple[list[int], tuple[str, ...]]:
    """A numeric reference is the invoice's number; any other (or one given twice) gets
    the next of the series, which first moves past every number the file used (`highest`,
    settled invoices' too: fordring's next invoice must not take an old one's number). A
    number there already refuses the import."""
    given: list[int | None] = []
    seen: set[int] = set()
    renumbered: list[str] = []
    for item in items:
        number = _number(item.reference)
        if number is None or number in seen:
            if item.reference:
                renumbered.append(item.reference)
            given.append(None)
            continue
        seen.add(number)
        given.append(number)
    taken = uow.invoices.existing_numbers(seen)
    raise_if_any(
        Problem("ReferenceNumber", f"invoice {n} already exists", code="not_allowed")
        for n in sorted(taken)
    )
    if seen or 0 < highest < MAX_NUMBER:
        uow.series.raise_to("invoice", max(seen | {highest}) + 1)
    missing = given.count(None)
    next_number = uow.series.take("invoice", missing) if missing else 0
    numbers: list[int] = []
    for number in given:
        if number is None:
            number, next_number = next_number, next_number + 1
        numbers.append(number)
    return numbers, tuple(renumbered)
