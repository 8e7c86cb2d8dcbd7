"""`/api/v1/company`: the key's company and its settings (terms, KID policy)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.identifiers import BankAccount, parse_account
from fordring.domain.kid import KidAlgorithm
from fordring.entrypoints.api.calls import call, json_answer
from fordring.entrypoints.api.schemas import CompanyChangeIn, CompanyOut
from fordring.services.api_requests import Answer
from fordring.services.companies import show_company
from fordring.services.company_change import CompanyChanges, change_company
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["company"])


@router.get("/company", response_model=CompanyOut, summary="The company")
def get(request: Request) -> Response:
    """The company the key belongs to (a collector's key: the creditor it names)."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(CompanyOut.of(show_company(scope, uows)))

    return call(request, Permission.READ, work)


def company_changes(body: CompanyChangeIn) -> CompanyChanges:
    """The typed changes; a bad account and a bad KID algorithm are named together."""
    problems: list[Problem] = []
    account: BankAccount | None = None
    if body.account is not None:
        try:
            account = parse_account(body.account)
        except InvalidInput as error:
            problems.extend(error.problems)
    algorithm = body.kid_algorithm
    if algorithm is not None and algorithm not in {a.value for a in KidAlgorithm}:
        reason = f"{algorithm!r} is not {' or '.join(a.value for a in KidAlgorithm)}"
        problems.append(Problem("kid_algorithm", reason, code="not_a_choice"))
    if problems:
        raise InvalidInput(problems)
    return CompanyChanges(
        name=body.name,
        account=account,
        street=body.address,
        postcode=body.postcode,
        city=body.city,
        email=body.email,
        vat_registered=body.vat_registered,
        kid_algorithm=KidAlgorithm(algorithm) if algorithm else None,
        kid_length=body.kid_length,
        terms_days=body.terms_days,
    )


@router.patch("/company", response_model=CompanyOut, summary="Change the company's settings")
def change(body: CompanyChangeIn, request: Request) -> Response:
    """Change the company's details and settings; only the fields given change, checked
    as `fordring company change` checks them, and the change is recorded with the key's
    name. New KID settings are refused if one could repeat a KID already given."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(CompanyOut.of(change_company(company_changes(body), scope, uows)))

    return call(request, Permission.CHANGE_COMPANY, work, body)
