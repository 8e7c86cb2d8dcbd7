"""The portal's invoices (Fakturaer, issue 18): the list with its filters and search, an
invoice with its lines, payments, case, delivery and why it can or cannot be sent to
collection; sending invoices to collection one by one or many at once; and purrefritak
(reminder exemption) set or lifted on an invoice or a customer, with the reason.

The role is checked here, not by the pages: a read-only user's post is Forbidden and
nothing is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from fordring.domain.api_access import Permission
from fordring.domain.collection.eligibility import Reason
from fordring.domain.errors import InvalidInput, NotFound, Problem
from fordring.services.collection_sending import Eligibility, check_eligibility, send_to_collection
from fordring.services.ports import StoredInvoice, UnitOfWorkFactory
from fordring.services.ports.invoice_views import (
    INVOICE_STATES,
    ExemptionNote,
    InvoiceDelivery,
    InvoiceHits,
    InvoiceMovement,
    InvoiceRow,
    InvoiceSearch,
)
from fordring.services.scope import Scope, require

PAGE = 50  # invoices a page of the list
WINDOW = 5000  # invoices a filtered page looks at, at most
MAX_SENT = 200  # invoices one request sends to collection at most
REASON_LENGTH = 500
SUBJECTS = ("invoice", "customer")


def browse_invoices(
    search: InvoiceSearch, scope: Scope, uow_factory: UnitOfWorkFactory
) -> InvoiceHits:
    """A page of the company's invoices, newest first (`search.limit` + 1 asked: the
    extra one says there is a next page). With a state or due date filter it looks at
    WINDOW invoices at most (the hits say how far it got)."""
    filtered = search.state or search.due_from or search.due_to
    indexed = search.text.strip() or search.customer_number is not None
    if search.window is None and filtered and not indexed:
        search = replace(search, window=WINDOW)
    if search.state is not None and search.state not in INVOICE_STATES:
        raise InvalidInput.one("state", f"not one of {', '.join(INVOICE_STATES)}")
    if search.due_from and search.due_to and search.due_from > search.due_to:
        raise InvalidInput.one("due_to", "before the first due date", code="before_from")
    with uow_factory(scope) as uow:
        return uow.invoice_browser.search(search, scope.business_date)


@dataclass(frozen=True, slots=True)
class InvoicePage:
    """An invoice as its page shows it."""

    stored: StoredInvoice
    row: InvoiceRow
    state: str
    reasons: list[Reason]  # why it cannot be sent to collection (none: it can)
    movements: list[InvoiceMovement]
    delivery: InvoiceDelivery | None
    case_state: str | None
    invoice_exemption: ExemptionNote | None
    customer_exemption: ExemptionNote | None


def invoice_page(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> InvoicePage:
    """Invoice `number` (not a credit note) of the scope's company; NotFound if it has none."""
    with uow_factory(scope) as uow:
        browser = uow.invoice_browser
        stored = uow.invoices.get(number)
        row = browser.row(number)
        if stored is None or row is None:
            raise NotFound("invoice", number)
        movements = browser.movements(stored.id, stored.voucher_number)
        delivery = browser.delivery(stored.id)
        case_state = None if row.case_number is None else browser.case_state(row.case_number)
        invoice_note = browser.last_exemption("invoice", number)
        customer_note = browser.last_exemption("customer", row.customer_number)
    (assessed,) = check_eligibility([number], scope, uow_factory)
    return InvoicePage(
        stored=stored,
        row=row,
        state=row.state(scope.business_date),
        reasons=assessed.reasons,
        movements=movements,
        delivery=delivery,
        case_state=case_state,
        invoice_exemption=invoice_note,
        customer_exemption=customer_note,
    )


def collection_check(
    numbers: Sequence[int], scope: Scope, uow_factory: UnitOfWorkFactory
) -> list[Eligibility]:
    """For each invoice given: can it be sent to collection, or every reason why not.
    Numbers the company has no invoice of are left out."""
    wanted = _numbers(numbers)
    with uow_factory(scope) as uow:
        known = uow.invoices.existing_numbers(wanted)
    found = [n for n in wanted if n in known]
    if not found:
        return []
    assessed = check_eligibility(found, scope, uow_factory)
    by_number = {e.invoice.number: e for e in assessed}
    return [by_number[n] for n in found if n in by_number]


def _numbers(numbers: Sequence[int]) -> list[int]:
    unique = list(dict.fromkeys(n for n in numbers if 0 < n < 2**63))
    if len(unique) > MAX_SENT:
        raise InvalidInput.one("number", f"at most {MAX_SENT} invoices at once")
    return unique


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What sending did to one invoice: sent (its new case), or not, and why."""

    number: int
    sent: bool
    case_number: int | None
    reasons: list[Reason]


def send_invoices_to_collection(
    numbers: Sequence[int], scope: Scope, uow_factory: UnitOfWorkFactory
) -> list[SendOutcome]:
    """Send those of the invoices given that can be to collection (a case each, or one per
    debtor as the agreement says); the others are left as they are, with their reasons.
    Sending again sends nothing twice: an invoice in collection has the reason ALREADY_SENT."""
    require(scope, Permission.MANAGE_COLLECTION)
    assessed = collection_check(numbers, scope, uow_factory)
    eligible = [e.invoice.number for e in assessed if e.eligible]
    cases: dict[int, int] = {}
    if eligible:
        result = send_to_collection(eligible, scope, uow_factory)
        cases = {n: case.number for case in result.cases for n in case.invoice_numbers}
    return [
        SendOutcome(
            e.invoice.number,
            e.invoice.number in cases,
            cases.get(e.invoice.number, e.invoice.case_number),
            e.reasons,
        )
        for e in assessed
    ]


@dataclass(frozen=True, slots=True)
class ExemptionChange:
    """Set (`exempt`) or lift purrefritak on invoice or customer `number`, and why."""

    subject: str  # "invoice" or "customer"
    number: int
    exempt: bool
    reason: str


def change_exemption(change: ExemptionChange, scope: Scope, uow_factory: UnitOfWorkFactory) -> bool:
    """Set or lift the purrefritak; whether it changed (the same again changes nothing).
    A reason is required to set it; the change log keeps it, the actor and the day. An
    invoice in a case not closed cannot have it set (its case is paused instead); a
    change by someone else meanwhile is a Conflict, nothing written."""
    if change.subject not in SUBJECTS:
        raise InvalidInput.one("subject", "invoice or customer")
    require(
        scope,
        Permission.WRITE_INVOICES if change.subject == "invoice" else Permission.WRITE_CUSTOMERS,
    )
    reason = change.reason.strip()
    problems: list[Problem] = []
    if change.exempt and not reason:
        problems.append(Problem("reason", "say why", code="required"))
    if len(reason) > REASON_LENGTH:
        problems.append(Problem("reason", f"at most {REASON_LENGTH} characters", code="too_long"))
    if any(ord(c) < 32 for c in reason):
        problems.append(Problem("reason", "a control character", code="control_character"))
    if problems:
        raise InvalidInput(problems)
    with uow_factory(scope) as uow:
        in_case = change.subject == "invoice" and change.exempt
        if in_case and uow.invoice_browser.in_open_case(change.number):
            raise InvalidInput.one(
                "exempt", "the invoice is in collection: pause its case", code="in_collection"
            )
        before = uow.invoice_browser.set_exempt(change.subject, change.number, change.exempt)
        if before is None:
            raise NotFound(change.subject, change.number)
        if before == change.exempt:
            return False
        note = ExemptionNote(change.exempt, reason, str(scope.actor), scope.business_date)
        uow.invoice_browser.note_exemption(change.subject, change.number, note)
        uow.commit()
    return True
