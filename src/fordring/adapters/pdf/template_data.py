"""The data a template reads: a `Letter` or `CollectionList` turned into JSON-ready strings.

Everything is formatted here, in the letter's language, so a template only places text;
the wording itself lives in the templates (templates/nb.typ, templates/en.typ).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fordring.adapters.pdf.formatting import (
    account_number,
    address_lines,
    amount,
    day,
    money,
    rate,
    weekday_and_day,
)
from fordring.domain.collection.letters import (
    PLAN_LETTERS,
    CollectionList,
    Letter,
    LetterKind,
    Party,
    PlanTerms,
)
from fordring.domain.debtor_access import masked_pin
from fordring.domain.language import Language

Json = dict[str, object]


# The law sets these letters' deadlines (inkassoloven §§ 9-10): never print one without.
CLAIMS_NO_INTEREST = frozenset({LetterKind.REMINDER, LetterKind.COLLECTION_NOTICE, *PLAN_LETTERS})
# A plan's letter always has one too: the first instalment's day, or the reminder's.
NEEDS_DEADLINE = frozenset(
    {
        LetterKind.COLLECTION_NOTICE,
        LetterKind.PAYMENT_DEMAND,
        LetterKind.ENFORCEMENT_NOTICE,
        *PLAN_LETTERS,
    }
)


# The debtor's page's address when none is configured: `fordring serve`'s own default
# (bootstrap gives the renderer FORDRING_DEBTOR_PAGE_ADDRESS or FORDRING_PUBLIC_URL + /d)
DEFAULT_DEBTOR_PAGE = "http://127.0.0.1:8000/d"


def letter_data(letter: Letter) -> Json:
    """The letter's data for templates/letter.typ."""
    if letter.deadline is None and letter.kind in NEEDS_DEADLINE:
        raise ValueError(f"a {letter.kind.value} must have a deadline (case {letter.case_number})")
    lang = letter.language
    own = own_collection(letter.creditor, letter.collector)
    demand = letter.kind is LetterKind.PAYMENT_DEMAND
    costs = letter.demand_fee + (letter.salaer if own else Decimal(0))

    def a(value: Decimal) -> str:
        return amount(value, lang)

    items = [
        {
            "number": str(item.invoice_number),
            "description": item.description,
            "issued": day(item.issue_date, lang),
            "due": day(item.due_date, lang),
            "original": a(item.original_amount),
            "principal": a(item.principal),
            "fee": a(item.fee),
            "interest": a(item.interest),
        }
        for item in letter.items
    ]
    rates: dict[tuple[str, str], list[str]] = {}
    for item in letter.items:
        if item.interest_rate is not None and item.interest_from is not None:
            key = (rate(item.interest_rate, lang), day(item.interest_from, lang))
            rates.setdefault(key, []).append(str(item.invoice_number))
    periods = [
        {
            "invoice": str(p.invoice_number) if p.invoice_number is not None else "",
            "base": a(p.principal) if p.principal is not None else "",
            "start": day(p.start, lang),
            "end": day(p.end, lang),
            "days": str(p.days),
            "rate": rate(p.rate, lang),
            "amount": a(p.amount),
        }
        for p in letter.interest_periods
    ]
    period_invoices = {p.invoice_number for p in letter.interest_periods}
    return {
        "kind": letter.kind.value,
        "lang": lang.value,
        "date": day(letter.letter_date, lang),
        "deadline": day(letter.deadline, lang) if letter.deadline else None,
        "case": letter.case_number,
        "creditor": party_data(letter.creditor),
        "collector": party_data(letter.collector),
        "own": own,
        "debtor": party_data(letter.debtor),
        "items": items,
        "several": len(items) > 1,
        # One line per rate and start day, naming the invoices when they differ.
        "rates": [
            {"rate": r, "from": f, "invoices": ", ".join(numbers)}
            for (r, f), numbers in rates.items()
        ],
        "rates_differ": len(rates) > 1,
        "periods": periods,
        # The invoice column when the periods are of more than one invoice; the amount
        # each runs on when some invoice has more than one (partial payments).
        "periods_by_invoice": len(period_invoices) > 1,
        "periods_base": any(p.principal is not None for p in letter.interest_periods),
        "periods_total": a(sum((p.amount for p in letter.interest_periods), Decimal(0))),
        "principal": a(letter.principal),
        "fees": a(letter.fees),
        "interest": a(letter.interest),
        "salaer": a(letter.salaer),
        # The creditor's own demand fee is "inndrivingskostnader", not a fee (issue 12);
        # costs the creditor collects itself are never called salær.
        # A reminder or notice claims no interest: no "late interest 0.00" line beside the
        # notice's own words on interest to date (issue 12).
        "show_interest": letter.interest != 0 or letter.kind not in CLAIMS_NO_INTEREST,
        "show_salaer": not own and (demand or letter.salaer != 0),
        "costs": a(costs),
        "show_costs": (own and demand) or costs != 0,
        "total": a(letter.total),
        "total_money": money(letter.total, lang),
        "fee_this_letter": money(letter.fee_this_letter, lang) if letter.fee_this_letter else None,
        "compensation": money(letter.compensation_this_letter, lang)
        if letter.compensation_this_letter
        else None,
        "account": account_number(letter.account),
        "account_holder": letter.account_holder or None,
        "client_account": letter.client_account,
        "kid": letter.kid,
        "licensed": letter.licensed_collector,
        "merged": ", ".join(letter.merged_cases),  # issue 12: "" when none
        "accrued": money(letter.interest_accrued, lang) if letter.interest_accrued else None,
        "per_day": money(letter.interest_per_day, lang) if letter.interest_per_day else None,
        "heavy": money(letter.heavy_salaer, lang) if letter.heavy_salaer_from else None,
        # The last day to pay before heavy salær may be charged (28 days after the deadline).
        "heavy_by": day(letter.heavy_salaer_from - timedelta(days=1), lang)
        if letter.heavy_salaer_from
        else None,
        # issue 19: a payment plan's letter: the plan's instalments and what it asks now
        "plan": None if letter.plan is None else plan_data(letter.plan, lang),
        "owed": a(letter.owed),
        # issue 19: the debtor's page, its code, and the PIN (masked when printed again)
        "access": None
        if letter.access is None
        else {
            "address": letter.access.address or DEFAULT_DEBTOR_PAGE,
            "code": letter.access.code,
            "pin": letter.access.pin or masked_pin(),
        },
    }


def plan_data(plan: PlanTerms, lang: Language) -> Json:
    """A plan letter's plan: each instalment (the missed one marked), the addition, the
    reminder's days, and on a reminder the instalment missed and what is due now."""
    missed = plan.missed
    return {
        "deferral": plan.deferral,
        "count": str(len(plan.instalments)),
        "instalments": [
            {
                "seq": str(i.seq),
                "due": day(i.due_on, lang),
                "amount": amount(i.amount, lang),
                "missed": missed is not None and i.seq == missed.seq,
            }
            for i in plan.instalments
        ],
        "first": {
            "due": day(plan.instalments[0].due_on, lang),
            "amount": money(plan.instalments[0].amount, lang),
        },
        "pay_now": amount(plan.pay_now, lang),
        "total": amount(plan.total, lang),
        "total_money": money(plan.total, lang),
        "addition": money(plan.addition, lang) if plan.addition else None,
        "reminder_days": str(plan.reminder_days),
        "missed": None
        if missed is None
        else {
            "seq": str(missed.seq),
            "due": day(missed.due_on, lang),
            "amount": money(missed.amount, lang),
        },
        "due_now": amount(plan.due_now, lang),
        "due_now_money": money(plan.due_now, lang),
        "paid": money(plan.paid, lang),
        "left": money(plan.left, lang),
    }


def collection_list_data(lst: CollectionList) -> Json:
    """The list's data for templates/collection_list.typ."""
    lang = lst.language
    cases = [
        {
            "case": case.case_number,
            "debtor": case.debtor,
            "invoices": ", ".join(str(n) for n in case.invoice_numbers),
            "principal": amount(case.principal, lang),
            "remaining": amount(case.remaining, lang),
            "notice_date": day(case.notice_date, lang),
            "deadline": day(case.deadline, lang),
        }
        for case in lst.cases
    ]
    return {
        "lang": lang.value,
        "date": day(lst.list_date, lang),
        "creditor": party_data(lst.creditor),
        "collector": party_data(lst.collector),
        "own": own_collection(lst.creditor, lst.collector),
        "cases": cases,
        "count": len(cases),
        "principal": amount(sum((c.principal for c in lst.cases), Decimal(0)), lang),
        "total": amount(lst.total, lang),
        "handover": weekday_and_day(lst.handover_date, lang) if lst.handover_date else None,
    }


def party_data(party: Party) -> Json:
    """A name with its address lines, organisation number and e-mail address."""
    return {
        "name": party.name,
        "lines": address_lines(party),
        "orgnr": _orgnr(party.orgnr) if party.orgnr else None,
        "email": party.email or None,
        "phone": party.phone or None,
        "web": party.web or None,
    }


def own_collection(creditor: Party, collector: Party) -> bool:
    """The creditor collects its own claim: the same party, or the same organisation number."""
    if creditor == collector:
        return True
    return creditor.orgnr is not None and creditor.orgnr == collector.orgnr


def _orgnr(orgnr: str) -> str:
    digits = orgnr.replace(" ", "")
    if len(digits) == 9 and digits.isdigit():
        return "\u00a0".join((digits[:3], digits[3:6], digits[6:]))
    return orgnr
