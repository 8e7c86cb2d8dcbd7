"""A letter's content as JSON, so the day's run can store it and the PDF be rendered later
from exactly what the run decided (amounts, dates, parties)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from fordring.domain.collection.letters import (
    InterestPeriod,
    Letter,
    LetterAccess,
    LetterItem,
    LetterKind,
    Party,
    PlanTerms,
)
from fordring.domain.collection.payment_plan import Instalment
from fordring.domain.debtor_access import masked_code, spaced_code
from fordring.domain.language import Language


def party_data(p: Party) -> dict[str, Any]:
    return {
        "name": p.name,
        "street": p.street,
        "postcode": p.postcode,
        "city": p.city,
        "country": p.country,
        "orgnr": p.orgnr,
        "email": p.email,
        "phone": p.phone,
        "web": p.web,
    }


def _text(value: date | Decimal | None) -> str | None:
    return None if value is None else str(value)


def encode_letter(letter: Letter) -> str:
    """The letter as compact JSON (written out field by field: dataclasses.asdict deep-copies
    and took most of a 50,000-case run)."""
    return json.dumps(
        {
            "kind": letter.kind.value,
            "language": letter.language.value,
            "letter_date": str(letter.letter_date),
            "deadline": _text(letter.deadline),
            "creditor": party_data(letter.creditor),
            "collector": party_data(letter.collector),
            "debtor": party_data(letter.debtor),
            "case_number": letter.case_number,
            "items": [
                {
                    "invoice_number": i.invoice_number,
                    "description": i.description,
                    "issue_date": str(i.issue_date),
                    "due_date": str(i.due_date),
                    "original_amount": str(i.original_amount),
                    "principal": str(i.principal),
                    "fee": str(i.fee),
                    "interest": str(i.interest),
                    "interest_from": _text(i.interest_from),
                    "interest_rate": _text(i.interest_rate),
                    "costs": str(i.demand_fee),  # stored under its first name
                }
                for i in letter.items
            ],
            "account": letter.account,
            "kid": letter.kid,
            "fee_this_letter": str(letter.fee_this_letter),
            "compensation_this_letter": str(letter.compensation_this_letter),
            "salaer": str(letter.salaer),
            "interest_periods": [
                {
                    "start": str(p.start),
                    "end": str(p.end),
                    "days": p.days,
                    "rate": str(p.rate),
                    "amount": str(p.amount),
                    "invoice_number": p.invoice_number,
                    "principal": _text(p.principal),
                }
                for p in letter.interest_periods
            ],
            "licensed_collector": letter.licensed_collector,
            "merged_cases": list(letter.merged_cases),
            "account_holder": letter.account_holder,
            "client_account": letter.client_account,
            "interest_accrued": str(letter.interest_accrued),
            "interest_per_day": str(letter.interest_per_day),
            "heavy_salaer": str(letter.heavy_salaer),
            "heavy_salaer_from": _text(letter.heavy_salaer_from),
            # never the PIN, and the code only masked: both are printed from
            # debtor_access.pin_to_print and code_to_print, then forgotten (decision 0015)
            "access": None
            if letter.access is None
            else {"address": letter.access.address, "code": masked_code(letter.access.code)},
            "plan": None if letter.plan is None else _plan_data(letter.plan),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _instalment_data(i: Instalment) -> dict[str, Any]:
    return {"seq": i.seq, "due_on": str(i.due_on), "amount": str(i.amount)}


def _plan_data(plan: PlanTerms) -> dict[str, Any]:
    return {
        "deferral": plan.deferral,
        "instalments": [_instalment_data(i) for i in plan.instalments],
        "addition": str(plan.addition),
        "reminder_days": plan.reminder_days,
        "missed": None if plan.missed is None else _instalment_data(plan.missed),
        "due_now": str(plan.due_now),
        "paid": str(plan.paid),
    }


def _instalment(d: dict[str, Any]) -> Instalment:
    return Instalment(d["seq"], date.fromisoformat(d["due_on"]), Decimal(d["amount"]))


def _plan(d: dict[str, Any] | None) -> PlanTerms | None:
    if d is None:
        return None
    return PlanTerms(
        deferral=d["deferral"],
        instalments=tuple(_instalment(i) for i in d["instalments"]),
        addition=Decimal(d["addition"]),
        reminder_days=d["reminder_days"],
        missed=None if d["missed"] is None else _instalment(d["missed"]),
        due_now=Decimal(d["due_now"]),
        paid=Decimal(d["paid"]),
    )


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


# Letters stored before issue 12 lack the fields added then: they decode with the defaults.
def _item(d: dict[str, Any]) -> LetterItem:
    return LetterItem(
        invoice_number=d["invoice_number"],
        description=d["description"],
        issue_date=date.fromisoformat(d["issue_date"]),
        due_date=date.fromisoformat(d["due_date"]),
        original_amount=Decimal(d["original_amount"]),
        principal=Decimal(d["principal"]),
        fee=Decimal(d["fee"]),
        interest=Decimal(d["interest"]),
        interest_from=_day(d["interest_from"]),
        interest_rate=_decimal(d["interest_rate"]),
        demand_fee=Decimal(d.get("costs", "0")),
    )


def _period(d: dict[str, Any]) -> InterestPeriod:
    return InterestPeriod(
        start=date.fromisoformat(d["start"]),
        end=date.fromisoformat(d["end"]),
        days=d["days"],
        rate=Decimal(d["rate"]),
        amount=Decimal(d["amount"]),
        invoice_number=d.get("invoice_number"),
        principal=_decimal(d.get("principal")),
    )


def decode_letter(text: str) -> Letter:
    d = json.loads(text)
    return Letter(
        kind=LetterKind(d["kind"]),
        language=Language(d["language"]),
        letter_date=date.fromisoformat(d["letter_date"]),
        deadline=_day(d["deadline"]),
        creditor=Party(**d["creditor"]),
        collector=Party(**d["collector"]),
        debtor=Party(**d["debtor"]),
        case_number=d["case_number"],
        items=tuple(_item(i) for i in d["items"]),
        account=d["account"],
        kid=d["kid"],
        fee_this_letter=Decimal(d["fee_this_letter"]),
        compensation_this_letter=Decimal(d.get("compensation_this_letter", "0")),
        salaer=Decimal(d["salaer"]),
        interest_periods=tuple(_period(p) for p in d["interest_periods"]),
        licensed_collector=d["licensed_collector"],
        merged_cases=tuple(d.get("merged_cases", ())),
        account_holder=d.get("account_holder", ""),
        client_account=d.get("client_account", False),
        interest_accrued=Decimal(d.get("interest_accrued", "0")),
        interest_per_day=Decimal(d.get("interest_per_day", "0")),
        heavy_salaer=Decimal(d.get("heavy_salaer", "0")),
        heavy_salaer_from=_day(d.get("heavy_salaer_from")),
        access=_access(d.get("access")),
        plan=_plan(d.get("plan")),
    )


def _access(d: dict[str, Any] | None) -> LetterAccess | None:
    # letters stored before decision 0015's change kept the whole code: shown masked too
    return None if d is None else LetterAccess(d["address"], masked_code(d["code"]))


def decode_to_print(text: str, pin: str | None, code: str | None = None) -> Letter:
    """The stored letter with the PIN and the whole code it is to print (`pin`, `code`,
    kept apart until the letter is sent: debtor_access.pin_to_print, code_to_print), if
    any."""
    letter = decode_letter(text)
    if letter.access is None:
        return letter
    if pin is not None:
        letter = replace(letter, access=replace(letter.access, pin=pin))
    if code is not None and letter.access is not None:
        letter = replace(letter, access=replace(letter.access, code=spaced_code(code)))
    return letter
