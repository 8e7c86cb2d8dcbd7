"""How the command line shows a payment plan (issue 19): `collection case` and `collection
plan`."""

from __future__ import annotations

from typing import Any

from fordring.entrypoints.cli.output import table, text
from fordring.services.ports.payment_plans import StoredPlan


def plan_data(plan: StoredPlan) -> dict[str, Any]:
    """A plan as `collection case` and these commands show it (JSON)."""
    return {
        "case": plan.case_number,
        "kind": plan.kind,
        "state": plan.state,
        "first_date": plan.first_date,
        "count": plan.count,
        "amount": plan.amount,
        "total": plan.total,
        "addition": plan.addition,
        "proposed_on": plan.proposed_on,
        "proposed_by": plan.proposed_by,
        "waits_because": plan.reasons or None,
        "decided_on": plan.decided_on,
        "decided_by": plan.decided_by,
        "ended_on": plan.ended_on,
        "reminder_deadline": plan.reminder_deadline,
        "instalments": [
            {"seq": i.seq, "due_on": i.due_on, "amount": i.amount} for i in plan.instalments
        ],
    }


def plan_text(plan: StoredPlan) -> str:
    head = (
        f"Case {plan.case_number}: {plan.kind} {plan.state}, {text(plan.total)} in "
        f"{len(plan.instalments)} instalment(s)"
        + (f" (salær addition {text(plan.addition)})" if plan.addition else "")
        + (f"; waits: {plan.reasons}" if plan.reasons and plan.state == "proposed" else "")
    )
    rows = [{"seq": i.seq, "due_on": i.due_on, "amount": i.amount} for i in plan.instalments]
    return head + "\n" + table(rows, ["seq", "due_on", "amount"], right={"amount"})
