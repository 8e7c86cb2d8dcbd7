"""Changing the scope's company's details (`fordring company change`): name, address,
bank account, e-mail, VAT registration, payment terms and how KIDs are made, checked as
`company add` checks them, and recorded in the change log (who, when, each field before
and after).

KID settings are changed only when no KID already given can be made again: invoices and
cases keep the KIDs they were given (payments are matched by the stored KID), and the
new settings apply to invoices and cases made from now on. Were a new invoice or case
to get a KID an earlier one has (a case KID one digit longer than the new invoice KIDs is
as long as the old ones), the registry of KIDs would refuse it and the day's run would
stop; so such a change is refused, naming the first KIDs in the way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from fordring.domain.api_access import Permission
from fordring.domain.company import MAX_TERMS_DAYS, Company, KidPolicy
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import BankAccount, Orgnr, parse_account
from fordring.domain.input_rules import parse_whole
from fordring.domain.kid import MAX_LENGTH, MIN_LENGTH, KidAlgorithm
from fordring.services.companies import NewCompany, company_from, detail_problems
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.ports.companies import Change
from fordring.services.scope import Scope, require

SHOWN_CLASHES = 3
T = TypeVar("T")


def keep(new: T | None, old: T) -> T:
    return old if new is None else new


@dataclass(frozen=True, slots=True)
class CompanyChanges:
    """What to change; None keeps the value."""

    name: str | None = None
    account: BankAccount | None = None  # checked at the edge
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    email: str | None = None
    vat_registered: bool | None = None
    kid_algorithm: KidAlgorithm | None = None
    kid_length: int | None = None
    terms_days: int | None = None


TEXT_FIELDS = ("name", "address", "postcode", "city", "email")
TERMS_MAX = MAX_TERMS_DAYS  # days: the most a company's default terms may be


def changes_from_text(texts: Mapping[str, str]) -> CompanyChanges:
    """The changes a form gives as text (the portal's): each key one of TEXT_FIELDS,
    `account`, `vat_registered` (yes or no), `kid_algorithm`, `kid_length`, `terms_days`,
    read as `company change` reads its options; a key not given keeps its value. Every
    problem at once, with those `change_company` would find in the other fields."""
    problems: list[Problem] = []
    typed: dict[str, object] = {}
    readers: dict[str, Callable[[str], object]] = {
        "account": parse_account,
        "vat_registered": _yes_no,
        "kid_algorithm": _algorithm,
        "kid_length": lambda t: parse_whole(
            t, "kid_length", minimum=MIN_LENGTH, maximum=MAX_LENGTH
        ),
        "terms_days": lambda t: parse_whole(t, "terms_days", maximum=TERMS_MAX),
    }
    for key, read in readers.items():
        if key in texts:
            try:
                typed[key] = read(texts[key])
            except InvalidInput as error:
                problems.extend(error.problems)
    if problems:
        others = detail_problems(
            name=texts.get("name") or "-",
            street=texts.get("address", ""),
            postcode=texts.get("postcode", ""),
            city=texts.get("city", ""),
            email=texts.get("email", ""),
        )
        raise InvalidInput([*problems, *others])
    return CompanyChanges(
        name=texts.get("name"),
        account=typed.get("account"),  # type: ignore[arg-type]
        street=texts.get("address"),
        postcode=texts.get("postcode"),
        city=texts.get("city"),
        email=texts.get("email"),
        vat_registered=typed.get("vat_registered"),  # type: ignore[arg-type]
        kid_algorithm=typed.get("kid_algorithm"),  # type: ignore[arg-type]
        kid_length=typed.get("kid_length"),  # type: ignore[arg-type]
        terms_days=typed.get("terms_days"),  # type: ignore[arg-type]
    )


def change_company_from_text(
    texts: Mapping[str, str], scope: Scope, uow_factory: UnitOfWorkFactory
) -> Company:
    """`change_company` of a form's text (`changes_from_text`); the role is checked
    before the input."""
    require(scope, Permission.CHANGE_COMPANY)
    return change_company(changes_from_text(texts), scope, uow_factory)


def _yes_no(text: str) -> bool:
    if text in ("yes", "no"):
        return text == "yes"
    raise InvalidInput.one("vat_registered", f"{text!r} is not yes or no", code="not_yes_no")


def _algorithm(text: str) -> KidAlgorithm:
    try:
        return KidAlgorithm(text)
    except ValueError:
        reason = f"{text!r} is not {' or '.join(a.value for a in KidAlgorithm)}"
        raise InvalidInput.one("kid_algorithm", reason, code="not_a_choice") from None


def change_company(
    changes: CompanyChanges, scope: Scope, uow_factory: UnitOfWorkFactory
) -> Company:
    """The scope's company with `changes` made and recorded; nothing is written or recorded
    when nothing changes. Forbidden for a user or key whose role may not change it."""
    require(scope, Permission.CHANGE_COMPANY)
    with uow_factory(scope) as uow:
        stored = uow.company.current()
        changed = _applied(stored, changes)
        differences = _differences(stored, changed)
        if not differences:
            return stored
        if changed.kid_policy != stored.kid_policy:
            _refuse_kid_clashes(uow, changed.kid_policy)
        uow.company.change(changed)
        uow.company.record(
            Change(
                "company",
                stored.orgnr,
                differences,
                scope.business_date,
                str(scope.actor),
            )
        )
        uow.commit()
        return uow.company.current()


def company_changes(scope: Scope, uow_factory: UnitOfWorkFactory) -> list[Change]:
    """The company's recorded changes (its details, customers merged), oldest first."""
    with uow_factory(scope) as uow:
        return uow.company.changes()


def _applied(stored: Company, changes: CompanyChanges) -> Company:
    """The changed company, checked by the rules of `company add`."""

    policy = stored.kid_policy
    checked = company_from(
        NewCompany(
            orgnr=Orgnr(stored.orgnr),
            name=keep(changes.name, stored.name),
            account=keep(changes.account, BankAccount(stored.account)),
            street=keep(changes.street, stored.address.street),
            postcode=keep(changes.postcode, stored.address.postcode),
            city=keep(changes.city, stored.address.city),
            email=keep(changes.email, stored.email),
            vat_registered=keep(changes.vat_registered, stored.vat_registered),
            foretaksregisteret=stored.foretaksregisteret,
            kid_algorithm=keep(changes.kid_algorithm, policy.algorithm),
            kid_length=keep(changes.kid_length, policy.length),
            terms_days=keep(changes.terms_days, stored.default_terms_days),
        )
    )
    return replace(
        checked, id=stored.id, address=replace(checked.address, country=stored.address.country)
    )


def _differences(before: Company, after: Company) -> dict[str, tuple[str, str]]:
    """Each changed field with its value before and after, as text."""

    def flat(c: Company) -> dict[str, str]:
        return {
            "name": c.name,
            "account": c.account,
            "address": c.address.street,
            "postcode": c.address.postcode,
            "city": c.address.city,
            "email": c.email,
            "vat_registered": "yes" if c.vat_registered else "no",
            "kid_algorithm": c.kid_policy.algorithm.value,
            "kid_length": str(c.kid_policy.length),
            "terms_days": str(c.default_terms_days),
        }

    old, new = flat(before), flat(after)
    return {k: (old[k], new[k]) for k in old if old[k] != new[k]}


def _refuse_kid_clashes(uow: UnitOfWork, policy: KidPolicy) -> None:
    """Refuses new KID settings under which a coming invoice or case would get a KID an
    invoice or case has already."""
    next_invoice, next_case = uow.series.peek("invoice"), uow.series.peek("case")
    clashes: list[str] = []
    for kid in sorted(uow.company.kids_of_lengths([policy.length, policy.case_length])):
        made = policy.made_for(kid)
        if made is None:
            continue
        kind, number = made.split()
        if int(number) >= (next_invoice if kind == "invoice" else next_case):
            clashes.append(f"{kid} (would be {made}'s)")
    if clashes:
        shown = ", ".join(clashes[:SHOWN_CLASHES]) + (", …" if len(clashes) > SHOWN_CLASHES else "")
        raise InvalidInput(
            [
                Problem(
                    "kid",
                    f"under {policy.algorithm.value} length {policy.length} a coming invoice or "
                    f"case would get a KID already given: {shown}; keep the KID settings or "
                    "choose a length no earlier KID has",
                    code="kid_clash",
                )
            ]
        )


__all__ = [
    "CompanyChanges",
    "change_company",
    "change_company_from_text",
    "changes_from_text",
    "company_changes",
]
