"""Customers (kunder): consumers and businesses the company invoices (SPEC L1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from fordring.domain.company import Address
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import (
    CITY_LENGTH,
    EMAIL_LENGTH,
    NAME_LENGTH,
    PHONE_LENGTH,
    POSTCODE_LENGTH,
    STREET_LENGTH,
    text_problems,
)
from fordring.domain.language import Language
from fordring.domain.law.deadlines import add_months


class CustomerKind(StrEnum):
    CONSUMER = "consumer"
    BUSINESS = "business"


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ]{5,20}$")


@dataclass(frozen=True, slots=True)
class Customer:
    """A debtor-to-be. `number` is the company's customer number (kundenummer)."""

    id: int | None
    number: int
    kind: CustomerKind
    name: str
    orgnr: str | None = None
    birth_date: date | None = None
    address: Address = field(default_factory=Address)
    email: str = ""
    phone: str = ""
    peppol_id: str | None = None
    language: Language = Language.NB
    reminder_exempt: bool = False  # purrefritak
    # The e-mail address is a reliable channel (inkassoloven § 3a): the debtor gave it for
    # this and uses it, so collection notices and payment demands may go there.
    email_reliable: bool = False
    # The day the mark was set: it lasts the agreement's `reliable_email_months` (§ 3 a:
    # an address the debtor "nylig har brukt"). None: set before the date was kept.
    email_reliable_since: date | None = None

    def reliable_email_until(self, months: int) -> date | None:
        """The first day the reliable mark no longer holds; None when there is no mark or
        its date is unknown (then it holds on no day: docs/delivery.md)."""
        if not self.email_reliable or self.email_reliable_since is None:
            return None
        return add_months(self.email_reliable_since, months)

    def email_reliable_on(self, day: date, months: int) -> bool:
        """Whether a letter dated `day` may go to the e-mail as a reliable channel."""
        until = self.reliable_email_until(months)
        since = self.email_reliable_since
        return until is not None and since is not None and since <= day < until

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidInput(problems)

    def problems(self) -> list[Problem]:
        found: list[Problem] = []
        if not self.name.strip():
            found.append(Problem("name", "the customer needs a name"))
        if self.number <= 0:
            found.append(Problem("number", f"must be positive, not {self.number}"))
        if self.kind is CustomerKind.BUSINESS and not self.orgnr:
            found.append(Problem("orgnr", "a business customer needs an organisation number"))
        if self.kind is CustomerKind.CONSUMER and self.orgnr:
            found.append(Problem("orgnr", "a consumer has no organisation number"))
        if self.kind is CustomerKind.BUSINESS and self.birth_date:
            found.append(Problem("birth_date", "a business has no birth date"))
        if self.email and not _EMAIL.match(self.email):
            found.append(Problem("email", f"{self.email!r} is not an e-mail address"))
        if self.email_reliable and not self.email:
            found.append(Problem("email", "a reliable e-mail channel needs an e-mail address"))
        if self.phone and not _PHONE.match(self.phone):
            found.append(Problem("phone", f"{self.phone!r} is not a phone number"))
        found.extend(Problem("postcode", reason) for reason in self.address.problems())
        return found

    @property
    def is_business(self) -> bool:
        return self.kind is CustomerKind.BUSINESS


@dataclass(frozen=True, slots=True)
class CustomerDetails:
    """What a person gives for a new customer (`customer add`, a CSV row), typed; the
    number and the reliable mark's date are the service's to give."""

    kind: CustomerKind
    name: str
    orgnr: str | None = None
    birth_date: date | None = None
    address: Address = field(default_factory=Address)
    email: str = ""
    phone: str = ""
    peppol_id: str | None = None
    language: Language = Language.NB
    reminder_exempt: bool = False
    email_reliable: bool = False


@dataclass(frozen=True, slots=True)
class CustomerChanges:
    """New contact details (`customer change`): None leaves a field as it is; a
    `peppol_id` of "" removes it. Kind, organisation number and birth date never change."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    peppol_id: str | None = None
    language: Language | None = None
    reminder_exempt: bool | None = None
    email_reliable: bool | None = None

    def applied_to(self, details: CustomerDetails) -> CustomerDetails:
        old = details.address
        address = Address(
            old.street if self.street is None else self.street,
            old.postcode if self.postcode is None else self.postcode,
            old.city if self.city is None else self.city,
            old.country if self.country is None else self.country,
        )
        changed = {
            name: getattr(self, name)
            for name in ("name", "email", "phone", "language", "reminder_exempt", "email_reliable")
            if getattr(self, name) is not None
        }
        if self.peppol_id is not None:
            changed["peppol_id"] = self.peppol_id or None
        return replace(details, address=address, **changed)

    def is_empty(self) -> bool:
        return self == CustomerChanges()


def text_problems_of(details: CustomerDetails, where: str = "") -> list[Problem]:
    """The free texts of new or changed details by the input rules (a control character,
    too long): checked where details are given, not on customers already stored."""
    address = details.address
    found: list[Problem] = []
    for field_name, text, limit in (
        ("name", details.name, NAME_LENGTH),
        ("email", details.email, EMAIL_LENGTH),
        ("phone", details.phone, PHONE_LENGTH),
        ("address", address.street, STREET_LENGTH),
        ("postcode", address.postcode, POSTCODE_LENGTH),
        ("city", address.city, CITY_LENGTH),
    ):
        found.extend(text_problems(text, field_name, limit, where))
    return found


def details_of(customer: Customer) -> CustomerDetails:
    return CustomerDetails(
        customer.kind,
        customer.name,
        customer.orgnr,
        customer.birth_date,
        customer.address,
        customer.email,
        customer.phone,
        customer.peppol_id,
        customer.language,
        customer.reminder_exempt,
        customer.email_reliable,
    )
