"""Registering a company (creditor) and finding companies (the global operations that
come before a scope exists)."""

from __future__ import annotations

from dataclasses import dataclass

from fordring.domain.company import Address, Company, KidPolicy
from fordring.domain.errors import InvalidInput, Problem, RuleViolation
from fordring.domain.identifiers import BankAccount, Orgnr, parse_orgnr
from fordring.domain.input_rules import (
    CITY_LENGTH,
    EMAIL_LENGTH,
    NAME_LENGTH,
    POSTCODE_LENGTH,
    STREET_LENGTH,
    text_problems,
)
from fordring.domain.kid import MAX_LENGTH, KidAlgorithm
from fordring.domain.ledger import DEFAULT_VOUCHER_TYPES
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

FIRST_CUSTOMER_NUMBER = 10_000
FIRST_INVOICE_NUMBER = 1
FIRST_VOUCHER_NUMBER = 1
FIRST_CASE_NUMBER = 1


@dataclass(frozen=True, slots=True)
class NewCompany:
    """A company to register; its identifiers checked at the edge (`parse_party_ids`)."""

    orgnr: Orgnr
    name: str
    account: BankAccount
    street: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    vat_registered: bool = True
    foretaksregisteret: bool = True
    kid_algorithm: KidAlgorithm = KidAlgorithm.MOD10
    kid_length: int = 10
    terms_days: int = 14
    first_invoice_number: int = FIRST_INVOICE_NUMBER
    first_customer_number: int = FIRST_CUSTOMER_NUMBER


def detail_problems(
    *,
    name: str,
    street: str = "",
    postcode: str = "",
    city: str = "",
    email: str = "",
    kid_length: int = 10,
    first_invoice_number: int = FIRST_INVOICE_NUMBER,
    first_customer_number: int = FIRST_CUSTOMER_NUMBER,
) -> list[Problem]:
    """What is wrong with a new company's fields other than its identifiers (an edge whose
    identifiers are refused shows these with theirs, so every problem is shown at once)."""
    problems: list[Problem] = []
    if kid_length == MAX_LENGTH:  # a case KID, one digit longer, would not fit
        reason = f"must be 2-{MAX_LENGTH - 1}: a case KID is one digit longer"
        problems.append(Problem("kid_length", reason))
    for field, value, limit in (
        ("name", name, NAME_LENGTH),
        ("address", street, STREET_LENGTH),
        ("postcode", postcode, POSTCODE_LENGTH),
        ("city", city, CITY_LENGTH),
        ("email", email, EMAIL_LENGTH),
    ):
        problems.extend(text_problems(value, field, limit))
    if first_invoice_number < 1 or first_customer_number < 1:
        problems.append(Problem("first_number", "number series start at 1 or more"))
    address = Address(street.strip(), postcode.strip(), city.strip())
    problems.extend(Problem("postcode", r) for r in address.problems())
    return problems


def company_from(cmd: NewCompany) -> Company:
    """The company `cmd` describes, checked (every problem at once); `company add` and
    `company change` check the same way."""
    problems = detail_problems(
        name=cmd.name,
        street=cmd.street,
        postcode=cmd.postcode,
        city=cmd.city,
        email=cmd.email,
        kid_length=cmd.kid_length,
        first_invoice_number=cmd.first_invoice_number,
        first_customer_number=cmd.first_customer_number,
    )
    if problems:
        raise InvalidInput(problems)
    return Company(
        id=None,
        orgnr=cmd.orgnr,
        name=cmd.name.strip(),
        account=cmd.account,
        address=Address(cmd.street.strip(), cmd.postcode.strip(), cmd.city.strip()),
        vat_registered=cmd.vat_registered,
        foretaksregisteret=cmd.foretaksregisteret,
        kid_policy=KidPolicy(cmd.kid_algorithm, cmd.kid_length),
        default_terms_days=cmd.terms_days,
        email=cmd.email.strip(),
    )


def add_company(cmd: NewCompany, uow_factory: UnitOfWorkFactory) -> Company:
    """Register a creditor with its number series and default voucher types (a global
    operation: there is no scope before the company exists)."""
    company = company_from(cmd)
    with uow_factory.unscoped() as uow:
        if uow.companies.by_orgnr(company.orgnr):
            raise RuleViolation(f"orgnr: company {company.orgnr} is already registered")
        first_numbers = {
            "invoice": cmd.first_invoice_number,
            "customer": cmd.first_customer_number,
            "voucher": FIRST_VOUCHER_NUMBER,
            "case": FIRST_CASE_NUMBER,
            "payment": 1,
            "held": 1,  # bank files' look-alikes held for a person
            "settlement": 1,
            "recurring": 1,
        }
        stored = uow.companies.add(company, first_numbers, DEFAULT_VOUCHER_TYPES)
        uow.commit()
    return stored


def find_company(orgnr: str, uow_factory: UnitOfWorkFactory) -> Company:
    """The company with this organisation number (global: it picks the scope)."""
    with uow_factory.unscoped() as uow:
        company = uow.companies.by_orgnr(parse_orgnr(orgnr, "company"))
    if company is None:
        raise InvalidInput.one("company", f"no company with organisation number {orgnr}")
    return company


def all_companies(uow_factory: UnitOfWorkFactory) -> list[Company]:
    """Every registered company (global: the company list)."""
    with uow_factory.unscoped() as uow:
        return uow.companies.all()


def company_id(company: Company) -> int:
    assert company.id is not None, "a stored company has an id"
    return company.id


def show_company(scope: Scope, uow_factory: UnitOfWorkFactory) -> Company:
    with uow_factory(scope) as uow:
        return uow.company.current()
