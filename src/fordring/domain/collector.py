"""A collector (innfordrer) serving many creditors from its client account(s): its details,
the case KIDs that are unique per client account, and how a bank file is routed by KID.

A served creditor's case KID is the creditor's number at the collector (4 digits), the case
number (8 digits) and a MOD10 check digit: 13 characters, so two creditors' cases can never
share a KID. An invoice KID given by hand that has this form is refused (`client_case_of`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from fordring.domain import kid as kids
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.input_rules import (
    CITY_LENGTH,
    EMAIL_LENGTH,
    NAME_LENGTH,
    REFERENCE_LENGTH,
    STREET_LENGTH,
    text_problems,
)

CREDITOR_DIGITS = 4  # up to 9,999 creditors per collector
CASE_DIGITS = 8  # up to 99,999,999 cases per creditor
KID_LENGTH = CREDITOR_DIGITS + CASE_DIGITS + 1
MAX_CREDITORS = 10**CREDITOR_DIGITS - 1

_POSTCODE = re.compile(r"[0-9]{4}")
_PHONE = re.compile(r"\+?[0-9 ]{5,20}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class Collector:
    """A licensed collector (inkassoloven § 4): who it is and where debtors pay it."""

    orgnr: str
    name: str
    licence: str = ""  # Finanstilsynet's licence reference
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    accounts: tuple[str, ...] = ()  # client accounts (klientkonto, inkassoloven § 16)
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ServedCreditor:
    """A creditor (company) the collector serves, with its number in the collector's KIDs."""

    company_id: int
    orgnr: str
    name: str
    number: int
    stopped_on: date | None = None  # the collector stopped serving it on that day


def new_collector(
    *,
    orgnr: Orgnr,
    name: str,
    accounts: Sequence[BankAccount],
    licence: str = "",
    street: str = "",
    postcode: str = "",
    city: str = "",
    phone: str = "",
    email: str = "",
) -> Collector:
    """A collector from what a user gave (its identifiers checked already at the edge);
    every problem at once, each naming its field."""
    problems = detail_problems(
        name=name,
        licence=licence,
        street=street,
        postcode=postcode,
        city=city,
        phone=phone,
        email=email,
    )
    if not accounts:
        problems.append(Problem("account", "give at least one client account"))
    if len(set(accounts)) != len(accounts):
        problems.append(Problem("account", "the same client account is given twice"))
    if problems:
        raise InvalidInput(problems)
    return Collector(
        orgnr=orgnr,
        name=name.strip(),
        licence=licence.strip(),
        street=street.strip(),
        postcode=postcode.strip(),
        city=city.strip(),
        phone=phone.strip(),
        email=email.strip(),
        accounts=tuple(accounts),
    )


def detail_problems(
    *,
    name: str,
    licence: str = "",
    street: str = "",
    postcode: str = "",
    city: str = "",
    phone: str = "",
    email: str = "",
) -> list[Problem]:
    """What is wrong with a collector's texts (an edge whose identifiers are refused shows
    these with theirs, so every problem is shown at once)."""
    problems: list[Problem] = []
    if not name.strip():
        problems.append(Problem("name", "must not be empty"))
    for field_name, text, limit in (
        ("name", name, NAME_LENGTH),
        ("licence", licence, REFERENCE_LENGTH),
        ("street", street, STREET_LENGTH),
        ("city", city, CITY_LENGTH),
        ("email", email, EMAIL_LENGTH),
    ):
        problems.extend(text_problems(text, field_name, limit))
    if postcode.strip() and not _POSTCODE.fullmatch(postcode.strip()):
        problems.append(Problem("postcode", f"{postcode!r} is not 4 digits"))
    if phone.strip() and not _PHONE.fullmatch(phone.strip()):
        problems.append(Problem("phone", f"{phone!r}: digits, spaces and + only"))
    if email.strip() and not _EMAIL.fullmatch(email.strip()):
        problems.append(Problem("email", f"{email!r} is not an e-mail address"))
    return problems


def client_case_of(creditor_number: int, kid: str) -> int | None:
    """The case of creditor `creditor_number` whose client KID `kid` is (or will be), or
    None: a KID given to an invoice by hand must not be one (issue 14)."""
    prefix = f"{creditor_number:0{CREDITOR_DIGITS}d}"
    if len(kid) != KID_LENGTH or not kid.startswith(prefix) or not kid.isdigit():
        return None
    if not kids.is_valid(kid, kids.KidAlgorithm.MOD10):
        return None
    return int(kid[CREDITOR_DIGITS:-1])


def client_case_kid(creditor_number: int, case_number: int) -> str:
    """The KID of case `case_number` of creditor `creditor_number` at its collector:
    unique per client account by construction (the creditor's number is part of it)."""
    if not 1 <= creditor_number <= MAX_CREDITORS:
        raise InvalidInput.one("creditor", f"number {creditor_number} is not 1-{MAX_CREDITORS}")
    if not 1 <= case_number < 10**CASE_DIGITS:
        raise InvalidInput.one("case", f"number {case_number} does not fit {CASE_DIGITS} digits")
    body = f"{creditor_number:0{CREDITOR_DIGITS}d}{case_number:0{CASE_DIGITS}d}"
    return kids.generate(body, kids.KidAlgorithm.MOD10, KID_LENGTH)


Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Routed(Generic[Item]):
    """A bank file's payments by creditor (company id), and those no creditor owns."""

    by_creditor: dict[int, list[Item]]
    queued: list[Item]


def route(
    payments: Sequence[Item], kid_of: Sequence[str | None], owner: Mapping[str, int]
) -> Routed[Item]:
    """Each payment to the creditor whose case KID it carries (`owner`: KID → company id);
    one with no KID, or a KID no creditor has, waits in the collector's queue. The file's
    order is kept within each creditor."""
    by_creditor: dict[int, list[Item]] = {}
    queued: list[Item] = []
    for payment, kid in zip(payments, kid_of, strict=True):
        company = owner.get(kid) if kid else None
        if company is None:
            queued.append(payment)
        else:
            by_creditor.setdefault(company, []).append(payment)
    return Routed(by_creditor, queued)
