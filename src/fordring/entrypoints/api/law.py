"""`/api/v1/law`: the collection law's calculators with their explanations: late interest
(forsinkelsesrente) per half-year, the fees and salær of a claim, and a letter's
deadline. Pure calculations over the rate book; the key is checked as for any read."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from fordring.domain.api_access import Permission
from fordring.domain.errors import InvalidInput
from fordring.domain.input_rules import parse_amount, parse_business_date
from fordring.domain.law.claim_costs import claim_costs
from fordring.domain.law.deadlines import letter_deadline
from fordring.domain.law.interest import RULE, SOURCE, late_interest
from fordring.entrypoints.api.calls import application, read
from fordring.entrypoints.api.fields import Problems
from fordring.entrypoints.api.schemas import (
    DeadlineOut,
    InterestOut,
    InterestPeriodOut,
    amount,
)
from fordring.entrypoints.law_data import fees_data
from fordring.entrypoints.plain import jsonable

router = APIRouter(tags=["law"])


def _checked(request: Request) -> None:
    read(request, Permission.READ, lambda scope, uows: None)


@router.get("/law/interest", response_model=InterestOut, summary="Late interest")
def interest(
    request: Request,
    principal: Annotated[str, Query(description="the principal, e.g. 10000.00")],
    due: Annotated[str, Query(description="the due date YYYY-MM-DD")],
    to: Annotated[str, Query(description="paid on (interest up to and including)")],
) -> Response:
    """Late interest (forsinkelsesrente) per half-year period, each with its rate and
    source (forsinkelsesrenteloven § 3)."""
    _checked(request)
    problems = Problems()
    sum_ = problems.attempt(lambda: parse_amount(principal, "principal"))
    due_day = problems.attempt(lambda: parse_business_date(due, "due"))
    paid_day = problems.attempt(lambda: parse_business_date(to, "to"))
    problems.raise_if_any()
    assert sum_ is not None and due_day is not None and paid_day is not None
    if paid_day < due_day:
        raise InvalidInput.one("to", f"{paid_day} is before the due date {due_day}")
    result = late_interest(sum_, due_day, paid_day, application(request).rate_book)
    body = InterestOut(
        principal=amount(sum_),
        due=due_day,
        to=paid_day,
        days=result.days,
        total=amount(result.total),
        confirmed=result.confirmed,
        rule=RULE,
        source=SOURCE,
        periods=[
            InterestPeriodOut(
                start=p.start,
                end=p.end,
                days=p.days,
                rate=str(p.percent),
                days_in_year=p.days_in_year,
                amount=amount(p.amount),
                confirmed=p.confirmed,
                source=p.source,
            )
            for p in result.periods
        ],
    )
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/law/deadline", response_model=DeadlineOut, summary="A letter's deadline")
def deadline(
    request: Request,
    sent: Annotated[str, Query(description="the day the letter is sent YYYY-MM-DD")],
    days: Annotated[int, Query(ge=1, le=365, description="the deadline in days")] = 14,
    move: Annotated[bool, Query(description="a non-banking day moves to the next")] = True,
    holiday_weeks: Annotated[bool, Query(description="past Christmas and Easter")] = False,
) -> Response:
    """The deadline a letter sent on `sent` gives, and why."""
    _checked(request)
    result = letter_deadline(
        parse_business_date(sent, "sent"), days, move=move, holiday_weeks=holiday_weeks
    )
    body = DeadlineOut(
        sent=result.sent,
        days=result.days,
        unadjusted=result.unadjusted,
        deadline=result.deadline,
        moved=result.moved,
        reason=result.reason,
    )
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/law/fees", response_model=dict[str, Any], summary="Fees and salær of a claim")
def fees(
    request: Request,
    principal: Annotated[str, Query(description="the principal, e.g. 10000.00")],
    due: Annotated[str, Query(description="the claim's due date YYYY-MM-DD")],
    sent: Annotated[str, Query(description="the day the letter is sent YYYY-MM-DD")],
    business: Annotated[bool, Query(description="the debtor is a business")] = False,
    creditor_deducts_vat: Annotated[
        bool, Query(description="false: the creditor cannot deduct VAT (+25 %)")
    ] = True,
    previous_fees: Annotated[
        int, Query(ge=0, le=100, description="reminder fees already charged")
    ] = 0,
    missed_deadline: Annotated[
        bool, Query(description="a deadline of at least 14 days in the first reminder missed")
    ] = False,
    interest_before_due: Annotated[str, Query(description="interest before the due date")] = "0",
    paid: Annotated[str | None, Query(description="the day the principal is paid")] = None,
    instalments: Annotated[int, Query(ge=0, le=1000, description="payment plan size")] = 0,
    fees_charged: Annotated[
        str | None, Query(description="reminder fees charged so far (NOK)")
    ] = None,
) -> Response:
    """The reminder and notice fee, salær light and heavy and the standard compensation of
    a claim, each with its explanation and source, as `fordring law fees --json` gives
    them; `missing` names a rate the tables lack."""
    _checked(request)
    problems = Problems()
    sum_ = problems.attempt(lambda: parse_amount(principal, "principal"))
    due_day = problems.attempt(lambda: parse_business_date(due, "due"))
    sent_day = problems.attempt(lambda: parse_business_date(sent, "sent"))
    paid_day = None if paid is None else problems.attempt(lambda: parse_business_date(paid, "paid"))
    before = problems.attempt(lambda: parse_amount(interest_before_due, "interest_before_due"))
    charged = None
    if fees_charged is not None:
        charged = problems.attempt(lambda: parse_amount(fees_charged, "fees_charged"))
    problems.raise_if_any()
    assert sum_ is not None and due_day is not None and sent_day is not None
    assert before is not None
    costs = claim_costs(
        sum_,
        due=due_day,
        sent=sent_day,
        paid=paid_day,
        book=application(request).rate_book,
        business=business,
        creditor_deducts_vat=creditor_deducts_vat,
        previous_reminder_fees=previous_fees,
        first_reminder_deadline_missed=missed_deadline,
        interest_before_due=before,
        instalments=instalments,
        reminder_fees_charged=charged,
        allow_missing=True,
    )
    data = fees_data(costs, business, creditor_deducts_vat, previous_fees)
    return Response(json.dumps(jsonable(data)), media_type="application/json")
