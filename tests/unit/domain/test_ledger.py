from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from tests.builders import domain_invoice

from fordring.domain.invoices import Invoice, InvoiceKind, line
from fordring.domain.law.vat import RATES
from fordring.domain.ledger import RECEIVABLES, Posting, UnbalancedVoucher, Voucher
from fordring.domain.posting_rules import invoice_voucher

DAY = date(2026, 3, 2)


def test_an_unbalanced_voucher_cannot_be_built() -> None:
    with pytest.raises(UnbalancedVoucher, match=r"sum to 0\.01"):
        Voucher(
            "MAN", DAY, "x", (Posting("1920", Decimal("100.01")), Posting("1500", Decimal(-100)))
        )


def test_a_voucher_needs_two_postings_in_whole_ore() -> None:
    with pytest.raises(UnbalancedVoucher):
        Voucher("MAN", DAY, "x", (Posting("1920", Decimal(0)),))
    with pytest.raises(UnbalancedVoucher, match="øre"):
        Voucher(
            "MAN", DAY, "x", (Posting("1920", Decimal("0.005")), Posting("1500", Decimal("-0.005")))
        )


def test_invoice_voucher_debits_receivables_and_credits_sales_and_vat() -> None:
    voucher = invoice_voucher(domain_invoice(("2", "1000", "25"), ("1", "100", "15")), 9)
    assert [(p.account, p.amount) for p in voucher.postings] == [
        ("1500", Decimal("2615.00")),
        ("3000", Decimal("-2000.00")),
        ("2700", Decimal("-500.00")),
        ("3000", Decimal("-100.00")),
        ("2701", Decimal("-15.00")),
    ]
    assert voucher.open_item_changes() == {9: Decimal("2615.00")}


def test_credit_note_voucher_mirrors_and_reduces_the_credited_invoice() -> None:
    credit = domain_invoice(("1", "100", "25"), kind=InvoiceKind.CREDIT_NOTE)
    voucher = invoice_voucher(credit, 99)
    assert voucher.postings[0] == Posting(RECEIVABLES, Decimal("-125.00"), 1, 7)
    assert voucher.open_item_changes() == {7: Decimal("-125.00")}


def test_reversal_undoes_every_posting() -> None:
    original = invoice_voucher(domain_invoice(("1", "80", "12")), 3, voucher_id=5, voucher_number=5)
    reversal = original.reversal(DAY)
    assert reversal.reverses_id == 5
    assert [p.amount for p in reversal.postings] == [-p.amount for p in original.postings]


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=Decimal("0.001"), max_value=Decimal(999), places=3),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal(99999), places=2),
            st.sampled_from(sorted(RATES)),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([Decimal(1), Decimal("11.4821"), Decimal("0.0937")]),
    st.sampled_from(list(InvoiceKind)),
)
def test_every_invoice_voucher_balances(
    raw: list[tuple[Decimal, Decimal, Decimal]], rate: Decimal, kind: InvoiceKind
) -> None:
    inv = Invoice(
        1,
        kind,
        1,
        DAY,
        DAY,
        tuple(line("x", q, p, v) for q, p, v in raw),
        "0000000018",
        currency="NOK" if rate == 1 else "EUR",
        exchange_rate=rate,
        credits_invoice_id=2 if kind is InvoiceKind.CREDIT_NOTE else None,
    )
    assume(inv.booked_nok() > 0)  # a zero invoice is refused before it is booked (check_invoice)
    voucher = invoice_voucher(inv, 1)  # building it asserts the balance
    assert sum(p.amount for p in voucher.postings) == 0
    receivable = voucher.postings[0]
    assert receivable.account == "1500"
    assert abs(receivable.amount) == (inv.total if rate == 1 else abs(receivable.amount))
    assert (receivable.amount > 0) == (kind is InvoiceKind.INVOICE)
