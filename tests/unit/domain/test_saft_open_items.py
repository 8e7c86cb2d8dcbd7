"""The customer ledger at a SAF-T file's period end, rebuilt from its customer lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.company import Address
from fordring.domain.saft import CustomerLines, SaftCustomer, SaftLine

END = date(2026, 12, 31)


def _customer(cid: str, closing: str | None, opening: str | None = None) -> SaftCustomer:
    return SaftCustomer(
        cid,
        f"Kunde {cid}",
        "",
        Address(),
        "",
        "",
        None,
        None if opening is None else Decimal(opening),
        None if closing is None else Decimal(closing),
        1,
    )


def _line(
    cid: str | None, amount: str, ref: str | None = None, day: int = 1, n: int = 1
) -> SaftLine:
    return SaftLine(
        str(n), date(2026, 3, day), "1500", Decimal(amount), cid, None, ref, None, None, "", n
    )


def test_an_invoice_paid_in_full_is_left_and_one_paid_in_part_stays_open() -> None:
    lines = CustomerLines()
    for line in (
        _line("A", "1000", "1", n=1),
        _line("A", "-1000", "1", n=2),
        _line("A", "500", "2", n=3),
        _line("A", "-200", "2", n=4),
    ):
        lines.add(line)
    ledger = lines.at_end([_customer("A", "300")], END)
    assert ledger.closed == 1
    assert [(i.reference, i.amount, i.open_amount) for i in ledger.items] == [
        ("2", Decimal(500), Decimal(300))
    ]


def test_a_payment_without_reference_pays_the_oldest_items_first() -> None:
    lines = CustomerLines()
    lines.add(_line("A", "100", "1", day=1, n=1))
    lines.add(_line("A", "100", "2", day=2, n=2))
    lines.add(_line("A", "-150", None, day=3, n=3))
    ledger = lines.at_end([_customer("A", "50")], END)
    assert ledger.unreferenced == 1
    assert [(i.reference, i.open_amount) for i in ledger.items] == [("2", Decimal(50))]


def test_a_balance_the_lines_do_not_itemise_is_brought_forward_as_one_item() -> None:
    ledger = CustomerLines().at_end([_customer("A", "12345.67", opening="1234.56")], END)
    assert ledger.brought_forward == 1
    (item,) = ledger.items
    assert (item.reference, item.issue_date, item.open_amount) == ("", END, Decimal("12345.67"))


def test_a_credit_beyond_the_open_items_is_the_customers_credit() -> None:
    lines = CustomerLines()
    lines.add(_line("A", "100", "1"))
    ledger = lines.at_end([_customer("A", "-40")], END)
    assert ledger.items == ()
    assert ledger.credits == {"A": Decimal(-40)}


def test_without_a_closing_balance_the_opening_balance_and_the_lines_count() -> None:
    lines = CustomerLines()
    lines.add(_line("A", "100", "1"))
    ledger = lines.at_end([_customer("A", None, opening="25")], END)
    assert sorted(i.open_amount for i in ledger.items) == [Decimal(25), Decimal(100)]


def test_lines_of_no_customer_are_not_the_customer_ledgers() -> None:
    lines = CustomerLines()
    lines.add(_line(None, "100", "1"))
    assert lines.at_end([_customer("A", "0")], END).items == ()


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B"]),
            st.integers(-50_000, 100_000),
            st.sampled_from(["1", "2", "3", None]),
        ),
        max_size=30,
    ),
    st.integers(-100_000, 300_000),
    st.integers(-100_000, 300_000),
)
def test_the_items_and_credits_always_add_up_to_each_closing_balance(
    rows: list[tuple[str, int, str | None]], closing_a: int, closing_b: int
) -> None:
    lines = CustomerLines()
    for n, (cid, ore, ref) in enumerate(rows, start=1):
        lines.add(_line(cid, str(Decimal(ore) / 100), ref, n=n))
    closing = {"A": Decimal(closing_a) / 100, "B": Decimal(closing_b) / 100}
    ledger = lines.at_end([_customer(c, str(b)) for c, b in closing.items()], END)
    for cid, balance in closing.items():
        items = sum((i.open_amount for i in ledger.items if i.customer_id == cid), Decimal(0))
        assert items + ledger.credits.get(cid, Decimal(0)) == balance
    assert all(i.open_amount > 0 and i.amount >= i.open_amount for i in ledger.items)
