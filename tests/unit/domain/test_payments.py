from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.law.allocation import Component, Owed, allocate
from fordring.domain.payments import OpenItem, payment_voucher, spread

DAY = date(2026, 3, 26)


def item(n: int, amount: str, due: date, charge: bool = False) -> OpenItem:
    return OpenItem(None if charge else n, n if charge else None, Decimal(amount), (due, n))


def test_the_oldest_item_is_paid_first() -> None:
    items = [item(2, "100", date(2026, 3, 2)), item(1, "300", date(2026, 2, 1))]
    parts = spread(Decimal(350), items)
    assert [(p.invoice_id, amount) for p, amount in parts] == [(1, Decimal(300)), (2, Decimal(50))]


def test_the_voucher_books_bank_items_and_credit() -> None:
    parts = [
        (item(1, "100", DAY), Decimal(100)),
        (item(7, "37.50", DAY, charge=True), Decimal("37.50")),
    ]
    voucher = payment_voucher(DAY, 5, Decimal("150"), parts, Decimal("12.50"), "x")
    assert [(p.account, p.amount) for p in voucher.postings] == [
        ("1920", Decimal(150)),
        ("1500", Decimal(-100)),
        ("1500", Decimal("-37.50")),
        ("2900", Decimal("-12.50")),
    ]
    assert voucher.open_item_changes() == {1: Decimal(-100)}
    assert voucher.charge_changes() == {7: Decimal("-37.50")}


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10000), places=2)


@given(
    amounts, st.lists(amounts, min_size=1, max_size=5), st.lists(amounts, max_size=3), st.booleans()
)
def test_a_payment_is_applied_or_returned_to_the_last_ore(
    payment: Decimal, invoices: list[Decimal], fees: list[Decimal], in_collection: bool
) -> None:
    invoice_items = [item(n, str(a), date(2026, 1, n + 1)) for n, a in enumerate(invoices)]
    fee_items = [item(n, str(a), date(2026, 2, n + 1), charge=True) for n, a in enumerate(fees)]
    owed = Owed(costs=sum(fees, Decimal(0)), principal=sum(invoices, Decimal(0)))
    allocation = allocate(payment, owed, in_collection=in_collection)
    parts = spread(allocation.to(Component.PRINCIPAL), invoice_items)
    parts += spread(allocation.to(Component.COSTS), fee_items)
    assert sum((p for _, p in parts), Decimal(0)) + allocation.overpayment == payment
    assert all(p <= i.open_amount for i, p in parts)
    voucher = payment_voucher(DAY, 1, payment, parts, allocation.overpayment, "x")
    assert sum(p.amount for p in voucher.postings) == 0
