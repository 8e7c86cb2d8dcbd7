"""What one letter on a claim may cost: fees, salær light and heavy and standard
compensation together, as `fordring law fees` shows them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fordring.domain.errors import InvalidInput
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.claim_costs import claim_costs
from fordring.domain.law.compensation import Compensation
from fordring.domain.law.salaer import SalaerCap
from fordring.domain.law.tables import MissingRate, Row

BOOK = rate_book()


def amount(part: SalaerCap | Compensation | None) -> Decimal:
    """The amount of a cap or compensation this test expects to be answered (not None)."""
    assert part is not None, "its table is missing"
    return part.amount


D = Decimal
day = date.fromisoformat


@pytest.mark.parametrize(
    ("kwargs", "fee", "light", "heavy", "compensation"),
    [
        # the example: consumer, 8000 due 2025-02-10, letter on 2025-03-01
        ({}, "35.00", "560.00", "1120.00", "0.00"),
        ({"business": True}, "35.00", "840.00", "1680.00", "470.00"),
        ({"creditor_deducts_vat": False}, "35.00", "700.00", "1400.00", "0.00"),
        (
            {"business": True, "creditor_deducts_vat": False},
            "35.00",
            "1050.00",
            "2100.00",
            "470.00",
        ),
        # one reminder fee charged and its deadline missed: a second fee, 35 off compensation
        (
            {"business": True, "previous_reminder_fees": 1, "first_reminder_deadline_missed": True},
            "35.00",
            "840.00",
            "1680.00",
            "435.00",
        ),
        # one reminder fee charged, deadline not missed: no second fee
        ({"business": True, "previous_reminder_fees": 1}, None, "840.00", "1680.00", "435.00"),
        # principal 480 + 30 interest before due: 510 is in the second band
        ({"interest_before_due": D(30)}, "35.00", "245.00", "490.00", "0.00"),
        # the salær uses the sats of the payment day (750 in 2026, UNCONFIRMED)
        ({"paid": day("2026-01-05")}, "35.00", "600.00", "1200.00", "0.00"),
        # a payment plan of 5 instalments: + 1.5 × sats (UNCONFIRMED)
        ({"instalments": 5}, "35.00", "1610.00", "2170.00", "0.00"),
    ],
)
def test_claim_costs_worked_examples(
    kwargs: dict[str, object], fee: str | None, light: str, heavy: str, compensation: str
) -> None:
    principal = D(480) if "interest_before_due" in kwargs else D(8000)
    costs = claim_costs(
        principal,
        due=day("2025-02-10"),
        sent=day("2025-03-01"),
        book=BOOK,
        **kwargs,  # type: ignore[arg-type]
    )
    assert costs.reminder_fee.allowed is (fee is not None)
    assert costs.reminder_fee.amount == D(fee or 0)
    assert costs.notice_fee.amount == D(fee or 0)
    assert (amount(costs.salaer_light), amount(costs.salaer_heavy)) == (D(light), D(heavy))
    assert amount(costs.compensation) == D(compensation)


def test_fees_charged_given_explicitly_are_deducted_from_compensation() -> None:
    costs = claim_costs(
        D(8000),
        due=day("2025-02-10"),
        sent=day("2025-03-01"),
        book=BOOK,
        business=True,
        previous_reminder_fees=2,
        reminder_fees_charged=D("65.00"),
    )
    assert amount(costs.compensation) == D("405.00")


def test_default_fees_charged_count_even_when_this_letter_may_not_carry_a_fee() -> None:
    # the letter is on day 13, so it carries no fee; the earlier fee still counts
    costs = claim_costs(
        D(8000),
        due=day("2025-02-10"),
        sent=day("2025-02-23"),
        book=BOOK,
        business=True,
        previous_reminder_fees=1,
    )
    assert not costs.reminder_fee.allowed
    assert amount(costs.compensation) == D("435.00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sent": day("2025-02-09")}, "sent: 2025-02-09 is before the due date"),
        ({"paid": day("2025-02-01")}, "paid: 2025-02-01 is before the due date"),
        ({"previous_reminder_fees": -1}, "previous_fees"),
    ],
)
def test_impossible_input_is_invalid(kwargs: dict[str, object], field: str) -> None:
    options: dict[str, object] = {"due": day("2025-02-10"), "sent": day("2025-03-01"), **kwargs}
    with pytest.raises(InvalidInput, match=field):
        claim_costs(D(8000), book=BOOK, **options)  # type: ignore[arg-type]


def test_negative_principal_is_invalid() -> None:
    with pytest.raises(InvalidInput, match="principal"):
        claim_costs(D(-1), due=day("2025-02-10"), sent=day("2025-03-01"), book=BOOK)


def test_business_claim_late_in_2026_h2_needs_the_compensation_row() -> None:
    with pytest.raises(MissingRate, match="standard compensation for 2026 H2"):
        claim_costs(
            D(8000), due=day("2026-07-01"), sent=day("2026-07-20"), book=BOOK, business=True
        )


# --- property: every explanation's lines sum to its total; fees stay within their caps ----


@settings(deadline=None)
@given(
    st.integers(0, 10**9).map(lambda ore: D(ore).scaleb(-2)),
    st.dates(date(2020, 10, 1), date(2026, 6, 1)),
    st.integers(0, 60),
    st.integers(0, 400),
    st.booleans(),
    st.booleans(),
    st.integers(0, 3),
    st.booleans(),
    st.integers(0, 12),
)
def test_every_explanation_sums_to_its_total(
    principal: Decimal,
    due: date,
    sent_after: int,
    paid_after: int,
    business: bool,
    deducts_vat: bool,
    previous: int,
    missed: bool,
    instalments: int,
) -> None:
    sent = due + timedelta(days=sent_after)
    costs = claim_costs(
        principal,
        due=due,
        sent=sent,
        paid=min(due + timedelta(days=paid_after), date(2026, 6, 30)),
        book=BOOK,
        business=business,
        creditor_deducts_vat=deducts_vat,
        previous_reminder_fees=previous,
        first_reminder_deadline_missed=missed,
        instalments=instalments,
    )
    for explanation in costs.explanations():
        assert sum((line.amount for line in explanation.lines), D(0)) == explanation.total
    assert costs.reminder_fee.amount == costs.reminder_fee.explanation.total
    sats = BOOK.inkassosats.at(sent).value
    for decision in (costs.reminder_fee, costs.notice_fee):
        assert 0 <= decision.amount <= sats / 20
        assert decision.allowed or decision.amount == 0
    assert amount(costs.salaer_light) <= amount(costs.salaer_heavy)
    assert 0 <= amount(costs.compensation) <= D(470)


def test_a_missing_salaer_table_leaves_the_fees_answered_when_allowed() -> None:
    book = BOOK.overridden(
        {
            "inkassosats": [Row(day("2009-01-01"), D(590), "test")],
            "reminder_fee_fraction": [Row(day("2009-01-01"), D("0.1"), "test")],
        }
    )
    costs = claim_costs(
        D(8000), due=day("2009-05-01"), sent=day("2009-06-01"), book=book, allow_missing=True
    )
    assert costs.notice_fee.amount == D("59.00")
    assert costs.salaer_light is None and costs.salaer_heavy is None
    (missing,) = costs.missing
    assert (missing.part, missing.table) == ("salær", "salaer_scale")
    assert missing.rates_file_lines.startswith("[[salaer_scale]]\nvalid_from = 2009-05-01\n")
    assert costs.salaer_after_compensation() is None
    with pytest.raises(MissingRate, match="salaer_scale"):
        claim_costs(D(8000), due=day("2009-05-01"), sent=day("2009-06-01"), book=book)
