from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from fordring.domain.collection.agreement import Agreement
from fordring.domain.collection.eligibility import Facts, reasons
from fordring.domain.ledger import CollectionMapping

ELIGIBLE = Facts(
    invoice_number=1,
    is_credit_note=False,
    currency="NOK",
    due_date=date(2026, 3, 1),
    total=Decimal(1000),
    open_amount=Decimal(1000),
    kid="0000000018",
    invoice_exempt=False,
    voucher_mapping=CollectionMapping.INVOICE,
    customer_is_business=True,
    customer_orgnr="988077917",
    customer_address_complete=True,
    customer_exempt=False,
    in_collection=False,
    agreement=Agreement(),
    today=date(2026, 3, 2),
)


def test_an_overdue_valid_invoice_is_eligible() -> None:
    assert reasons(ELIGIBLE) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"is_credit_note": True}, "NOT_AN_INVOICE"),
        ({"due_date": None}, "OPEN_ITEM_NO_DUE_DATE"),
        ({"total": Decimal(0), "open_amount": Decimal(0)}, "OPEN_ITEM_ZERO_AMOUNT"),
        ({"kid": "000000001-x"}, "OPEN_ITEM_INVALID_KID"),
        ({"open_amount": Decimal(0)}, "SETTLED"),
        ({"currency": "EUR"}, "CURRENCY"),
        ({"agreement": Agreement(minimum_amount=Decimal(1001))}, "BELOW_MINIMUM"),
        ({"today": date(2026, 3, 1)}, "RUNNING_DAYS"),
        ({"agreement": Agreement(running_days=5), "today": date(2026, 3, 5)}, "RUNNING_DAYS"),
        ({"customer_address_complete": False}, "CUSTOMER_ADDRESS_MISSING"),
        ({"customer_orgnr": None}, "CUSTOMER_ORGNR_MISSING"),
        ({"customer_exempt": True}, "CUSTOMER_EXEMPT"),
        ({"invoice_exempt": True}, "INVOICE_EXEMPT"),
        ({"in_collection": True}, "ALREADY_SENT"),
        ({"voucher_mapping": CollectionMapping.NONE}, "VOUCHER_TYPE_NOT_MAPPED"),
    ],
)
def test_each_reason_has_a_stable_code(change: dict[str, object], code: str) -> None:
    assert code in [r.code for r in reasons(replace(ELIGIBLE, **change))]  # type: ignore[arg-type]


def test_running_days_end_on_the_day_after_the_last_one() -> None:
    facts = replace(ELIGIBLE, agreement=Agreement(running_days=5), today=date(2026, 3, 6))
    assert reasons(facts) == []


def test_every_reason_is_reported_at_once() -> None:
    facts = replace(ELIGIBLE, currency="EUR", customer_exempt=True, in_collection=True)
    assert [r.code for r in reasons(facts)] == ["CURRENCY", "CUSTOMER_EXEMPT", "ALREADY_SENT"]
