"""A payment plan proposal as typed (the CLI, the API, the portal and the debtor's page):
every problem at once, each naming its field."""

from __future__ import annotations

from fordring.domain.collection.payment_plan import PlanKind, Proposal
from fordring.domain.errors import InvalidInput, Problem
from fordring.domain.input_rules import parse_amount, parse_business_date


def parse_proposal(
    kind: str, first_date: str, count: str | None = None, amount: str | None = None
) -> Proposal:
    """`kind` instalments or deferral; `first_date` the first instalment's day or the
    deferral's; for instalments `count` (a whole number) or `amount` (kroner) or both."""
    problems: list[Problem] = []
    known = {k.value: k for k in PlanKind}
    plan_kind = known.get(kind.strip().lower())
    if plan_kind is None:
        reason = "must be one of " + ", ".join(known)
        problems.append(Problem("kind", reason, code="not_a_choice"))
    values: dict[str, object] = {}
    for field, text, parse in (
        ("first_date", first_date, lambda t: parse_business_date(t.strip(), "first_date")),
        ("count", count, _count),
        ("amount", amount, lambda t: parse_amount(t, "amount")),
    ):
        if text is None or not text.strip():
            continue
        try:
            values[field] = parse(text)
        except InvalidInput as error:
            problems.extend(error.problems)
    if "first_date" not in values and not any(p.field == "first_date" for p in problems):
        problems.append(Problem("first_date", "give the date (YYYY-MM-DD)", code="missing"))
    if problems:
        raise InvalidInput(problems)
    assert plan_kind is not None
    return Proposal(
        plan_kind,
        values["first_date"],  # type: ignore[arg-type]
        values.get("count"),  # type: ignore[arg-type]
        values.get("amount"),  # type: ignore[arg-type]
    )


def _count(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidInput.one("count", f"{text!r} is not a whole number", code="not_a_number")
    return int(digits)
