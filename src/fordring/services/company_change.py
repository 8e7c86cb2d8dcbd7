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

from dataclasses import dataclass, replace
from typing import TypeVar

from fordring.domain.company import Company, KidPolicy
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.kid import KidAlgorithm
from fordring.services.companies import NewCompany, company_from
from fordring.services.ports import UnitOfWork, UnitOfWorkFactory
from fordring.services.ports.companies import Change
from fordring.services.scope import Scope

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


def change_company(
    changes: CompanyChanges, scope: Scope, uow_factory: UnitOfWorkFactory
) -> Company:
    """The scope's company with `changes` made and recorded; nothing is written or recorded
    when nothing changes."""
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


__all__ = ["CompanyChanges", "change_company", "company_changes"]
