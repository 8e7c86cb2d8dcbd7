"""Adding, listing and importing customers (SPEC L1, L7): typed details in, checked by
the domain and the input rules; text is read at the edges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.customers import (
    Customer,
    CustomerChanges,
    CustomerDetails,
    details_of,
    text_problems_of,
)
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.text_input import at
from fordring.services.imports import (
    ImportFile,
    ImportResult,
    Refused,
    already_imported,
    raise_if_any,
)
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.scope import Scope


def customer_from(details: CustomerDetails, number: int, today: date, where: str = "") -> Customer:
    """The Customer `details` describe, numbered; every problem at once."""
    problems = text_problems_of(details, where)
    birth = details.birth_date
    if birth is not None and (birth > today or birth.year < 1900):
        reason = f"{birth} is not a plausible birth date"
        problems.append(Problem("birth_date", reason, where, "not_plausible"))
    try:
        customer = Customer(
            id=None,
            number=number,
            kind=details.kind,
            name=details.name,
            orgnr=details.orgnr,
            birth_date=birth,
            address=details.address,
            email=details.email,
            phone=details.phone,
            peppol_id=details.peppol_id,
            language=details.language,
            reminder_exempt=details.reminder_exempt,
            email_reliable=details.email_reliable,
            # Marked now: the mark lasts the agreement's reliable_email_months (§ 3 a).
            email_reliable_since=today if details.email_reliable else None,
        )
    except InvalidInput as error:
        raise InvalidInput(problems + at(error.problems, where)) from None
    if problems:
        raise InvalidInput(problems)
    return customer


@dataclass(frozen=True, slots=True)
class NewCustomer:
    details: CustomerDetails
    number: int | None = None  # None: the next in the company's series
    where: str = ""  # where it was read ("line 12" of a file), for messages
    # A second customer with an organisation number in use (a department invoiced apart):
    # refused unless asked for, as a typo or a second import would make one silently.
    allow_duplicate: bool = False


def duplicate_orgnrs(uow: UnitOfWork, new: Sequence[tuple[Customer, NewCustomer]]) -> list[Problem]:
    """A problem for each new business customer whose organisation number another customer
    of the company, or an earlier one of `new`, already has (unless allowed)."""
    checked = [(c.orgnr, cmd) for c, cmd in new if c.orgnr and not cmd.allow_duplicate]
    stored = uow.customers.numbers_with_orgnr({orgnr for orgnr, _ in checked})
    problems: list[Problem] = []
    first: dict[str, str] = {}
    for orgnr, cmd in checked:
        owner = f"customer {stored[orgnr]}" if orgnr in stored else first.get(orgnr)
        if owner is None:
            first[orgnr] = f"the customer of {cmd.where}" if cmd.where else "another customer"
            continue
        reason = (
            f"{orgnr} is already used by {owner}; a second customer with it needs --allow-duplicate"
            if cmd.where == ""
            else f"{orgnr} is already used by {owner} (an import adds no second one)"
        )
        problems.append(Problem("orgnr", reason, cmd.where, "duplicate_orgnr"))
    return problems


def add_customer(cmd: NewCustomer, scope: Scope, uow_factory: UnitOfWorkFactory) -> Customer:
    """Add one customer, numbered from the company's series unless a number is given."""
    today = scope.business_date
    with uow_factory(scope) as uow:
        number = cmd.number
        if number is not None and number <= 0:
            reason = f"{number!r} is not a customer number"
            raise InvalidInput.one("number", reason, code="not_a_customer_number")
        if number is None:
            customer = customer_from(cmd.details, 1, today)
            number = uow.series.take("customer")
        else:
            customer = customer_from(cmd.details, number, today)
            if uow.customers.existing_numbers([number]):
                raise RuleViolation(f"number: customer {number} already exists")
        raise_if_any(duplicate_orgnrs(uow, [(customer, cmd)]))
        customer = _with_number(customer, number)
        uow.customers.add_many([customer])
        uow.commit()
        stored = uow.customers.get(number)
    assert stored is not None
    return stored


def change_customer(
    number: int,
    changes: CustomerChanges,
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
) -> Customer:
    """Change a customer's contact details (e.g. email, email_reliable, peppol, address),
    checked as a new customer would be. The kind, organisation number and customer number
    stay."""
    today = scope.business_date
    with uow_factory(scope) as uow:
        stored = uow.customers.get(number)
        if stored is None or stored.id is None:
            raise InvalidInput.one("customer", f"no customer number {number}", code="not_found")
        changed = customer_from(changes.applied_to(details_of(stored)), number, today)
        if changes.email_reliable is None and changed.email_reliable:
            if changed.email != stored.email:
                # A new address is not one the debtor has recently used (§ 3 a): unmarked.
                changed = replace(changed, email_reliable=False, email_reliable_since=None)
            else:
                # Only `--email-reliable` given again renews the mark's date.
                changed = replace(changed, email_reliable_since=stored.email_reliable_since)
        uow.customers.update(replace(changed, id=stored.id))
        uow.commit()
        found = uow.customers.get(number)
    assert found is not None
    return found


def _with_number(customer: Customer, number: int) -> Customer:
    return replace(customer, number=number)


def import_customers(
    source: ImportFile[NewCustomer], scope: Scope, uow_factory: UnitOfWorkFactory
) -> ImportResult:
    """Import a file of customers in one transaction: all rows, or none and every problem."""
    today = scope.business_date
    with uow_factory(scope) as uow:
        previous = already_imported(uow, "customers", source)
        if previous:
            return previous
        problems: list[Problem] = []
        parsed: list[tuple[int | None, Customer]] = []
        new: list[tuple[Customer, NewCustomer]] = []
        seen: set[int] = set()
        for record in source.records():
            if isinstance(record, Refused):
                problems.extend(record.problems)
                continue
            number, where = record.number, record.where
            try:
                customer = customer_from(record.details, number or 1, today, where)
            except InvalidInput as error:
                problems.extend(error.problems)
                continue
            if number is not None:
                if number in seen:
                    problems.append(Problem("number", f"{number} appears twice", where))
                seen.add(number)
            parsed.append((number, customer))
            new.append((customer, record))
        problems.extend(duplicate_orgnrs(uow, new))
        taken = uow.customers.existing_numbers(seen)
        problems.extend(Problem("number", f"customer {n} already exists") for n in sorted(taken))
        raise_if_any(problems)
        unnumbered = sum(1 for number, _ in parsed if number is None)
        next_number = uow.series.take("customer", unnumbered) if unnumbered else 0
        customers: list[Customer] = []
        for number, customer in parsed:
            if number is None:
                number, next_number = next_number, next_number + 1
            customers.append(_with_number(customer, number))
        uow.customers.add_many(customers)
        uow.imports.add("customers", source.sha256, source.name, len(customers), today)
        uow.commit()
    return ImportResult(source.name, len(customers), 0, already=False)


def list_customers(
    scope: Scope,
    uow_factory: UnitOfWorkFactory,
    *,
    after: int | None = None,
    limit: int | None = None,
) -> list[Customer]:
    """The customers by number: all, or `limit` after number `after` (a page)."""
    with uow_factory(scope) as uow:
        return uow.customers.list(after=after, limit=limit)


def reliable_email_months(scope: Scope, uow_factory: UnitOfWorkFactory) -> int:
    """How long a reliable e-mail mark lasts under the company's agreement."""
    with uow_factory(scope) as uow:
        settings = uow.collection.settings()
    return with_settings(Agreement(), settings).reliable_email_months


def show_customer(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> Customer:
    with uow_factory(scope) as uow:
        customer = uow.customers.get(number)
    if customer is None:
        raise InvalidInput.one("customer", f"no customer number {number}", code="not_found")
    return customer


__all__ = [
    "NewCustomer",
    "add_customer",
    "change_customer",
    "customer_from",
    "import_customers",
    "list_customers",
    "show_customer",
]
