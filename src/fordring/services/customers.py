"""Adding, listing and importing customers (SPEC L1, L7)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from fordring.domain.collection.agreement import Agreement, with_settings
from fordring.domain.company import Address
from fordring.domain.customers import Customer, CustomerKind, Language
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.identifiers import parse_orgnr, parse_peppol_id
from fordring.services.imports import ImportResult, Source, already_imported, raise_if_any
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

CUSTOMER_FIELDS = (
    "number",
    "kind",
    "name",
    "orgnr",
    "birth_date",
    "email",
    "phone",
    "address",
    "postcode",
    "city",
    "country",
    "peppol",
    "language",
    "exempt",
    "email_reliable",
)
T = TypeVar("T")
_TRUE = {"1", "true", "yes", "ja", "y", "x"}
_FALSE = {"", "0", "false", "no", "nei", "n"}


def parse_flag(text: str, field: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidInput.one(field, f"{text!r} is not yes or no")


def parse_customer(
    fields: Mapping[str, str], number: int, today: date, where: str = ""
) -> Customer:
    """A Customer from text fields (CLI options or a CSV row); every problem at once."""
    problems: list[Problem] = []

    def get(name: str) -> str:
        return (fields.get(name) or "").strip()

    def attempt(parse: Callable[[], T]) -> T | None:
        try:
            return parse()
        except InvalidInput as error:
            problems.extend(Problem(p.field, p.reason, where) for p in error.problems)
            return None

    kind_text = get("kind").lower() or ("business" if get("orgnr") else "consumer")
    kind = CustomerKind.BUSINESS if kind_text in ("business", "b", "bedrift") else None
    if kind_text in ("consumer", "c", "privat", "person"):
        kind = CustomerKind.CONSUMER
    if kind is None:
        problems.append(Problem("kind", f"{kind_text!r} is not consumer or business", where))
    orgnr = attempt(lambda: parse_orgnr(get("orgnr"))) if get("orgnr") else None
    birth: date | None = None
    if get("birth_date"):
        try:
            birth = date.fromisoformat(get("birth_date"))
        except ValueError:
            problems.append(Problem("birth_date", f"{get('birth_date')!r} is not a date", where))
        else:
            if birth > today or birth.year < 1900:
                problems.append(
                    Problem("birth_date", f"{birth} is not a plausible birth date", where)
                )
    peppol = attempt(lambda: parse_peppol_id(get("peppol"))) if get("peppol") else None
    language = get("language").lower() or "nb"
    if language not in {lang.value for lang in Language}:
        problems.append(Problem("language", f"{language!r} is not nb or en", where))
        language = "nb"
    exempt = attempt(lambda: parse_flag(get("exempt"), "exempt"))
    reliable = attempt(lambda: parse_flag(get("email_reliable"), "email_reliable"))
    country = (get("country") or "NO").upper()
    if len(country) != 2 or not country.isalpha():
        problems.append(Problem("country", f"{country!r} is not a two-letter country code", where))
    if problems or kind is None:
        raise InvalidInput(problems)
    try:
        return Customer(
            id=None,
            number=number,
            kind=kind,
            name=get("name"),
            orgnr=orgnr,
            birth_date=birth,
            address=Address(get("address"), get("postcode"), get("city"), country),
            email=get("email"),
            phone=get("phone"),
            peppol_id=peppol,
            language=Language(language),
            reminder_exempt=bool(exempt),
            email_reliable=bool(reliable),
            # Marked now: the mark lasts the agreement's reliable_email_months (§ 3 a).
            email_reliable_since=today if reliable else None,
        )
    except InvalidInput as error:
        raise InvalidInput(Problem(p.field, p.reason, where) for p in error.problems) from None


def _explicit_number(fields: Mapping[str, str], where: str) -> int | None:
    text = (fields.get("number") or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) <= 0:
        raise InvalidInput.one("number", f"{text!r} is not a customer number", where)
    return int(text)


@dataclass(frozen=True, slots=True)
class NewCustomer:
    fields: Mapping[str, str]


def add_customer(
    cmd: NewCustomer, scope: Scope, today: date, uow_factory: UnitOfWorkFactory
) -> Customer:
    """Add one customer, numbered from the company's series unless a number is given."""
    with uow_factory(scope) as uow:
        number = _explicit_number(cmd.fields, "")
        if number is None:
            customer = parse_customer(cmd.fields, 1, today)
            number = uow.series.take("customer")
        else:
            customer = parse_customer(cmd.fields, number, today)
            if uow.customers.existing_numbers([number]):
                raise RuleViolation(f"number: customer {number} already exists")
        customer = _with_number(customer, number)
        uow.customers.add_many([customer])
        uow.commit()
        stored = uow.customers.get(number)
    assert stored is not None
    return stored


def change_customer(
    number: int,
    changes: Mapping[str, str],
    scope: Scope,
    today: date,
    uow_factory: UnitOfWorkFactory,
) -> Customer:
    """Change a customer's contact details (the fields of `customer add`, e.g. email,
    email_reliable, peppol, address), checked as a new customer would be. The kind,
    organisation number and customer number stay."""
    fixed = {"number", "kind", "orgnr", "birth_date"} & set(changes)
    if fixed:
        raise InvalidInput.one(sorted(fixed)[0], "cannot be changed; add a new customer")
    with uow_factory(scope) as uow:
        stored = uow.customers.get(number)
        if stored is None or stored.id is None:
            raise InvalidInput.one("customer", f"no customer number {number}")
        changed = parse_customer({**_fields_of(stored), **changes}, number, today)
        if "email_reliable" not in changes and changed.email_reliable:
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


def _fields_of(c: Customer) -> dict[str, str]:
    """A stored customer as the text fields `parse_customer` reads."""
    return {
        "kind": c.kind.value,
        "name": c.name,
        "orgnr": c.orgnr or "",
        "birth_date": c.birth_date.isoformat() if c.birth_date else "",
        "email": c.email,
        "phone": c.phone,
        "address": c.address.street,
        "postcode": c.address.postcode,
        "city": c.address.city,
        "country": c.address.country,
        "peppol": c.peppol_id or "",
        "language": c.language.value,
        "exempt": "yes" if c.reminder_exempt else "",
        "email_reliable": "yes" if c.email_reliable else "",
    }


def _with_number(customer: Customer, number: int) -> Customer:
    return replace(customer, number=number)


def import_customers(
    source: Source, scope: Scope, today: date, uow_factory: UnitOfWorkFactory
) -> ImportResult:
    """Import a CSV of customers in one transaction: all rows, or none and every problem."""
    with uow_factory(scope) as uow:
        cid = scope.company_id
        previous = already_imported(uow, cid, "customers", source)
        if previous:
            return previous
        problems: list[Problem] = []
        parsed: list[tuple[int | None, Customer]] = []
        seen: set[int] = set()
        for line, fields in source.rows(CUSTOMER_FIELDS, required=("name",)):
            where = f"line {line}"
            try:
                number = _explicit_number(fields, where)
                customer = parse_customer(fields, number or 1, today, where)
            except InvalidInput as error:
                problems.extend(error.problems)
                continue
            if number is not None:
                if number in seen:
                    problems.append(Problem("number", f"{number} appears twice", where))
                seen.add(number)
            parsed.append((number, customer))
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


def list_customers(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[Customer]:
    with uow_factory(scope) as uow:
        return uow.customers.list()


def reliable_email_months(scope: Scope, uow_factory: UnitOfWorkFactory) -> int:
    """How long a reliable e-mail mark lasts under the company's agreement."""
    with uow_factory(scope) as uow:
        settings = uow.collection.settings()
    return with_settings(Agreement(), settings).reliable_email_months


def show_customer(number: int, scope: Scope, uow_factory: UnitOfWorkFactory) -> Customer:
    with uow_factory(scope) as uow:
        customer = uow.customers.get(number)
    if customer is None:
        raise InvalidInput.one("customer", f"no customer number {number}")
    return customer


__all__ = [
    "NewCustomer",
    "add_customer",
    "import_customers",
    "list_customers",
    "parse_customer",
    "show_customer",
]
