"""The API's payment plan bodies and answers (issue 19); the case's answer holds its
plans too (schemas.CaseOut), so this module imports nothing of schemas.py."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fordring.domain.money import format_amount as amount
from fordring.services.ports.payment_plans import StoredPlan


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InstalmentOut(BaseModel):
    seq: int
    due_on: date
    amount: str


class PlanOut(BaseModel):
    case: int
    kind: str = Field(description="instalments or deferral")
    state: str = Field(description="proposed, running, rejected, broken or completed")
    first_date: date
    count: int | None
    amount: str | None
    total: str = Field(description="what the instalments pay, the salær addition included")
    addition: str = Field(description="the payment-plan addition to salær (forskriften § 2-4)")
    proposed_on: date
    proposed_by: str
    waits_because: str | None = Field(description="why it waits for the creditor")
    decided_on: date | None
    decided_by: str | None
    ended_on: date | None
    instalments: list[InstalmentOut]

    @classmethod
    def of(cls, plan: StoredPlan) -> PlanOut:
        return cls(
            case=plan.case_number,
            kind=plan.kind.value,
            state=plan.state.value,
            first_date=plan.first_date,
            count=plan.count,
            amount=None if plan.amount is None else amount(plan.amount),
            total=amount(plan.total),
            addition=amount(plan.addition),
            proposed_on=plan.proposed_on,
            proposed_by=plan.proposed_by,
            waits_because=plan.reasons or None,
            decided_on=plan.decided_on,
            decided_by=plan.decided_by,
            ended_on=plan.ended_on,
            instalments=[
                InstalmentOut(seq=i.seq, due_on=i.due_on, amount=amount(i.amount))
                for i in plan.instalments
            ],
        )


class PlanList(BaseModel):
    items: list[PlanOut] = Field(description="the newest first")


class PlanAnswerOut(BaseModel):
    outcome: str = Field(description="accepted (runs), waiting (for the creditor), refused")
    repeated: bool = Field(description="the same request again: nothing changed")
    plan: PlanOut


class PlanProposalIn(Strict):
    kind: Literal["instalments", "deferral"] = "instalments"
    first_date: str = Field(description="the first instalment's day, or the deferral's")
    count: str | None = Field(None, description="the number of instalments")
    amount: str | None = Field(None, description="each instalment, kroner (or give count)")


class PlanDecisionIn(Strict):
    decision: Literal["accept", "reject"]
    reason: str = Field("", description="why; kept in the case history (500 characters)")
