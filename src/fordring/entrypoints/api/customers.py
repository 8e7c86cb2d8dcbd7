"""`/api/v1/customers`: create, change, list (keyset pages by number), get."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from fordring.domain.api_access import Permission
from fordring.domain.text_input import (
    parse_customer_changes,
    parse_customer_details,
    parse_customer_number,
)
from fordring.entrypoints.api.calls import call, json_answer
from fordring.entrypoints.api.schemas import (
    CustomerChangeIn,
    CustomerIn,
    CustomerOut,
    CustomerPage,
)
from fordring.services.api_requests import Answer
from fordring.services.customers import (
    NewCustomer,
    add_customer,
    change_customer,
    list_customers,
    show_customer,
)
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.scope import Scope

router = APIRouter(tags=["customers"])
Number = Annotated[int, Path(ge=1, le=2**63 - 1, description="the customer number")]
Limit = Annotated[int, Query(ge=1, le=500, description="at most this many (1-500)")]
After = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="the last number seen")]


@router.post("/customers", status_code=201, response_model=CustomerOut, summary="Create a customer")
def create_customer(body: CustomerIn, request: Request) -> Response:
    """Add a customer, numbered from the series unless `number` is given."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        cmd = NewCustomer(
            parse_customer_details(body.fields()),
            parse_customer_number(body.number),
            allow_duplicate=body.allow_duplicate,
        )
        return json_answer(CustomerOut.of(add_customer(cmd, scope, uows)), 201)

    return call(request, Permission.WRITE_CUSTOMERS, work, body)


@router.patch("/customers/{number}", response_model=CustomerOut, summary="Change a customer")
def change(number: Number, body: CustomerChangeIn, request: Request) -> Response:
    """Change a customer's contact details; only the fields given change."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        changes = parse_customer_changes(body.fields())
        return json_answer(CustomerOut.of(change_customer(number, changes, scope, uows)))

    return call(request, Permission.WRITE_CUSTOMERS, work, body)


@router.get("/customers", response_model=CustomerPage, summary="List customers")
def list_(request: Request, limit: Limit = 100, after: After = None) -> Response:
    """The customers by number, a page at a time."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        found = list_customers(scope, uows, after=after, limit=limit + 1)
        page = [CustomerOut.of(c) for c in found[:limit]]
        last = page[-1].number if len(found) > limit else None
        return json_answer(CustomerPage(items=page, next_after=last))

    return call(request, Permission.READ, work)


@router.get("/customers/{number}", response_model=CustomerOut, summary="Get a customer")
def get(number: Number, request: Request) -> Response:
    """One customer by number."""

    def work(scope: Scope, uows: UnitOfWorkFactory) -> Answer:
        return json_answer(CustomerOut.of(show_customer(number, scope, uows)))

    return call(request, Permission.READ, work)
