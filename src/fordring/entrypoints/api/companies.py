"""`/api/v1/company`: the key's company and its settings (terms, KID policy)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fordring.domain.api_access import Permission
from fordring.entrypoints.api.calls import call, json_answer
from fordring.entrypoints.api.schemas import CompanyOut
from fordring.services.api_requests import Answer
from fordring.services.companies import show_company
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["company"])


@router.get("/company", response_model=CompanyOut, summary="The company")
def get(request: Request) -> Response:
    """The company the key belongs to (a collector's key: the creditor it names)."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(CompanyOut.of(show_company(scope, uows)))

    return call(request, Permission.READ, work)
