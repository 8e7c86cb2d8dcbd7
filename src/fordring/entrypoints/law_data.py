"""The law's fee calculator as plain data, shared by `fordring law fees --json` and
`GET /api/v1/law/fees`: each fee and salær cap with its explanation and source."""

from __future__ import annotations

from typing import Any

from fordring.domain.law.claim_costs import ClaimCosts
from fordring.domain.law.explanation import Explanation
from fordring.domain.law.fees import FeeDecision
from fordring.domain.law.salaer import HEAVY_FROM

LEVELS = ("light", "heavy")
WHERE = "the rates file (--rates FILE or FORDRING_RATES_FILE)"


def explanation_data(explanation: Explanation) -> dict[str, Any]:
    return {
        "rule": explanation.rule,
        "source": explanation.source,
        "confirmed": explanation.confirmed,
        "lines": [{"text": line.text, "amount": line.amount} for line in explanation.lines],
        "total": explanation.total,
        "notes": list(explanation.notes),
    }


def decision_data(decision: FeeDecision) -> dict[str, Any]:
    return {
        "allowed": decision.allowed,
        "amount": decision.amount,
        "reason": decision.reason,
        "explanation": explanation_data(decision.explanation),
    }


def fees_data(
    costs: ClaimCosts, business: bool, creditor_deducts_vat: bool, previous_fees: int
) -> dict[str, Any]:
    """What the calculator found (Decimals and dates: made plain by `plain.jsonable`)."""
    compensation = costs.compensation
    caps = [cap for cap in (costs.salaer_light, costs.salaer_heavy) if cap is not None]
    after = costs.salaer_after_compensation()
    return {
        "claim": {
            "principal": costs.principal,
            "claim_size": costs.claim_size,
            "due": costs.due,
            "sent": costs.sent,
            "paid": costs.paid,
            "business": business,
            "creditor_deducts_vat": creditor_deducts_vat,
            "previous_fees": previous_fees,
        },
        "reminder_fee": decision_data(costs.reminder_fee),
        "notice_fee": decision_data(costs.notice_fee),
        "salaer": {
            cap.level.value: {
                "amount": cap.amount,
                "explanation": explanation_data(cap.explanation),
            }
            for cap in caps
        }
        or None,
        "salaer_heavy_from": HEAVY_FROM,
        "standard_compensation": None
        if compensation is None
        else {
            "applies": compensation.applies,
            "amount": compensation.amount,
            "reason": compensation.reason,
            "explanation": explanation_data(compensation.explanation),
            "deducted_from_salaer": compensation.applies,
        },
        "salaer_after_compensation": None
        if after is None
        else {
            level: {"amount": net.total, "explanation": explanation_data(net)}
            for level, net in zip(LEVELS, after, strict=True)
        },
        "missing": [
            {
                "part": m.part,
                "table": m.table,
                "reason": m.reason,
                "rates_file_lines": m.rates_file_lines,
                "where": WHERE,
            }
            for m in costs.missing
        ],
    }
