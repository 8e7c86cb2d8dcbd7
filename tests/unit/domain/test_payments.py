from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fordring.domain.payments import (
    ItemKind,
    OpenItem,
    Payable,
    PaymentAccounts,
    payment_voucher,
    split_payment,
    spread,
)

DAY = date(2026, 3, 26)
ACCOUNTS = PaymentAccounts("1920", "2900")
D = Decimal


def item(n: int, amount: str, due: date, kind: ItemKind = ItemKind.PRINCIPAL) -> OpenItem:
    charge = kind is not ItemKind.PRINCIPAL
    return OpenItem(n if not charge else 100 + n, n if charge else None, D(amount), (due, n), kind)


def test_the_oldest_item_is_paid_first() -> None:
    items = [item(2, "100", date(2026, 3, 2)), item(1, "300", date(2026, 2, 1))]
    parts = spread(D(350), items)
    assert [(p.invoice_id, amount) for p, amount in parts] == [(1, D(300)), (2, D(50))]


def test_the_voucher_books_bank_items_and_credit() -> None:
    payable = Payable(5, (item(1, "100", DAY),), (item(7, "37.50", DAY, ItemKind.FEE),))
    split = split_payment(D(150), payable)
    voucher = payment_voucher(DAY, 5, split, [], ACCOUNTS, "x")
    assert [(p.account, p.amount) for p in voucher.postings] == [
        ("1920", D(150)),
        ("1500", D(-100)),
        ("1500", D("-37.50")),
        ("2900", D("-12.50")),
    ]
    # The fee's posting names its charge, not the invoice it was charged on.
    assert voucher.open_item_changes() == {1: D(-100)}
    assert voucher.charge_changes() == {7: D("-37.50")}


def test_in_collection_costs_then_interest_then_principal() -> None:
    payable = Payable(
        5,
        (item(1, "1000", DAY),),
        (item(2, "700", DAY, ItemKind.SALAER), item(3, "35", DAY, ItemKind.FEE)),
        uncharged_interest=((1, D("20.00")),),
        in_collection=True,
    )
    split = split_payment(D(745), payable)
    assert split.paid(ItemKind.SALAER) == D(700) and split.paid(ItemKind.FEE) == D(35)
    assert split.new_interest == ((1, D(10)),) and split.paid(ItemKind.PRINCIPAL) == 0
    voucher = payment_voucher(DAY, 5, split, [99], ACCOUNTS, "x")
    assert voucher.charge_changes() == {2: D(-700), 3: D(-35), 99: D(-10)}


def test_the_debtors_own_invoice_kid_pays_the_principal_first() -> None:
    payable = Payable(
        5, (item(1, "1000", DAY),), (item(3, "35", DAY, ItemKind.FEE),), in_collection=True
    )
    split = split_payment(D(1000), payable, principal_first=True)
    assert split.paid(ItemKind.PRINCIPAL) == D(1000) and split.paid(ItemKind.FEE) == 0


amounts = st.decimals(min_value=D("0.01"), max_value=D(10000), places=2)


@given(
    payment=amounts,
    invoices=st.lists(amounts, max_size=4),
    fees=st.lists(amounts, max_size=3),
    interest=st.lists(amounts, max_size=2),
    in_collection=st.booleans(),
    principal_first=st.booleans(),
)
def test_a_payment_is_applied_or_returned_to_the_last_ore(
    payment: Decimal,
    invoices: list[Decimal],
    fees: list[Decimal],
    interest: list[Decimal],
    in_collection: bool,
    principal_first: bool,
) -> None:
    payable = Payable(
        1,
        tuple(OpenItem(n, None, a, (DAY, n)) for n, a in enumerate(invoices)),
        tuple(OpenItem(n, 50 + n, a, (DAY, n), ItemKind.FEE) for n, a in enumerate(fees)),
        tuple((n, a) for n, a in enumerate(interest)),
        in_collection,
    )
    split = split_payment(payment, payable, principal_first=principal_first)
    applied = sum((p for _, p in split.parts), D(0)) + sum((a for _, a in split.new_interest), D(0))
    assert applied + split.overpayment == payment  # no øre created or lost
    assert all(0 < part <= i.open_amount for i, part in split.parts)
    assert all(0 < a <= dict(payable.uncharged_interest)[n] for n, a in split.new_interest)
    # Nothing is overpaid while something is still owed.
    owed = payable.owed()
    if split.overpayment:
        assert applied == owed.costs + owed.interest + owed.principal
    voucher = payment_voucher(
        DAY, 1, split, [900 + n for n in range(len(split.new_interest))], ACCOUNTS, "x"
    )
    assert sum((p.amount for p in voucher.postings), D(0)) == 0
