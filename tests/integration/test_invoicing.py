"""Invoices, credit notes, reversals and the customer ledger on a real database."""

from __future__ import annotations

import contextlib
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from tests import builders
from tests.crash import table_rows

from fordring.adapters.db import statistics
from fordring.adapters.db.engine import normalise_url
from fordring.bootstrap import invoice_file
from fordring.domain.errors import InvalidInput, RuleViolation
from fordring.domain.input_rules import MAX_INTEGER
from fordring.domain.invoices import line
from fordring.domain.text_input import parse_line_spec
from fordring.domain.webhooks import WebhookType
from fordring.services.companies import all_companies
from fordring.services.invoice_import import import_invoices
from fordring.services.invoicing import NewCreditNote, credit_invoice, show_invoice
from fordring.services.ledger import check_ledger, reverse_voucher, trial_balance
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.reskontro import aging

pytestmark = pytest.mark.integration


@pytest.fixture
def customer(uow_factory: UnitOfWorkFactory) -> int:
    builders.company(uow_factory)
    return builders.business(uow_factory)


def test_an_invoice_is_booked_and_open(uow_factory: UnitOfWorkFactory, customer: int) -> None:
    stored = builders.invoice(uow_factory, customer, "Time;7.5;1200;25", "Mat;1;99.90;15")
    assert stored.invoice.total == Decimal("11364.89")
    assert stored.open_amount == stored.total_nok == stored.invoice.total
    assert stored.invoice.kid == "0000000018"  # invoice 1, MOD10, length 10
    assert stored.invoice.due_date == date(2026, 3, 16)
    tb = trial_balance(builders.scope(uow_factory), None, uow_factory)
    assert tb.balanced
    assert {line.account: line.balance for line in tb.lines}["1500"] == Decimal("11364.89")


def test_partial_then_full_credit_never_goes_below_zero(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    number = builders.invoice(uow_factory, customer, "Time;2;1000;25").invoice.number
    credit_invoice(
        NewCreditNote(number, [parse_line_spec("Rabatt;1;400;25")]),
        builders.scope(uow_factory),
        uow_factory,
    )
    assert show_invoice(number, builders.scope(uow_factory), uow_factory).open_amount == Decimal(
        "2000.00"
    )
    with pytest.raises(InvalidInput, match="exceeds what is open"):
        credit_invoice(NewCreditNote(number), builders.scope(uow_factory), uow_factory)
    credit_invoice(
        NewCreditNote(number, [parse_line_spec("Rest;1;1600;25")]),
        builders.scope(uow_factory),
        uow_factory,
    )
    assert show_invoice(number, builders.scope(uow_factory), uow_factory).open_amount == Decimal(
        "0.00"
    )
    with pytest.raises(RuleViolation, match="nothing is open"):
        credit_invoice(
            NewCreditNote(number, [parse_line_spec("x;1;1;25")]),
            builders.scope(uow_factory),
            uow_factory,
        )
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok


def test_reversing_an_invoice_voucher_closes_its_open_item(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    stored = builders.invoice(uow_factory, customer)
    reversal = reverse_voucher(stored.voucher_number, builders.scope(uow_factory), uow_factory)
    assert reversal.reverses_id is not None
    assert (
        show_invoice(stored.invoice.number, builders.scope(uow_factory), uow_factory).open_amount
        == 0
    )
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok
    with pytest.raises(RuleViolation, match="itself a reversal"):
        reverse_voucher(reversal.number or 0, builders.scope(uow_factory), uow_factory)


def test_foreign_currency_invoice_is_booked_in_nok(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    from fordring.services.invoicing import NewInvoice, create_invoice

    stored = create_invoice(
        NewInvoice(
            customer,
            [line("Service", Decimal(3), Decimal("33.33"), Decimal(25))],
            currency="EUR",
            exchange_rate=Decimal("11.4821"),
        ),
        builders.scope(uow_factory),
        uow_factory,
    )
    assert stored.invoice.total == Decimal("124.99")
    assert stored.total_nok == Decimal("1435.15")  # 99.99 × rate → 1148.09 + 25.00 × rate → 287.05
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok


@pytest.mark.parametrize(
    ("quantity", "unit_price", "vat", "currency", "rate"),
    [
        ("7.50", "1200.000", "25.0", "NOK", "1"),
        ("1.000000", "0.333333", "15", "EUR", "11.482100"),
        ("1000", "99.9", "0", "SEK", "0.95"),
        ("-2", "10.10", "12.00", "NOK", ""),
        ("-1", "0", "25", "NOK", ""),  # a net of -0.00: read back as 0.00
        ("2", "-0", "25", "NOK", ""),
        ("1", "-0.00", "0", "NOK", ""),
    ],
)
def test_a_created_invoice_is_answered_as_it_reads_back(
    uow_factory: UnitOfWorkFactory,
    customer: int,
    quantity: str,
    unit_price: str,
    vat: str,
    currency: str,
    rate: str,
) -> None:
    """create_invoice answers from what it wrote, not by reading the invoice back: the
    values (and the Decimal scales, which the API's JSON shows) are what a read gives."""
    from fordring.domain.text_input import make_line, parse_currency
    from fordring.services.invoicing import NewInvoice, create_invoice

    lines = [make_line("Time", quantity, unit_price, vat), make_line("Mat", "3", "19.5", "15")]
    code, exchange_rate = parse_currency(currency, rate)
    scope = builders.scope(uow_factory)
    made = create_invoice(
        NewInvoice(customer, lines, None, 14, code, exchange_rate), scope, uow_factory
    )
    read = show_invoice(made.invoice.number, scope, uow_factory)
    # the scales and signs too: Decimal("7.5") is not Decimal("7.50"), nor -0.00 0.00
    assert repr(made) == repr(read)


def test_aging_buckets_open_amounts_by_days_past_due(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    builders.invoice(uow_factory, customer, "a;1;100;0", on=date(2026, 1, 1), terms=0)  # 60 days
    builders.invoice(uow_factory, customer, "b;1;200;0", on=date(2026, 1, 30), terms=0)  # 31
    builders.invoice(uow_factory, customer, "c;1;300;0", on=date(2026, 3, 1), terms=0)  # 1
    builders.invoice(uow_factory, customer, "d;1;400;0", on=date(2026, 3, 1), terms=30)  # not due
    builders.invoice(uow_factory, customer, "e;1;500;0", on=date(2025, 12, 1), terms=0)  # 91
    (total,) = aging(builders.scope(uow_factory), date(2026, 3, 2), False, uow_factory)
    assert total.buckets == {
        "not_due": Decimal("400.00"),
        "0-30": Decimal("300.00"),
        "31-60": Decimal("300.00"),
        "61-90": Decimal("0"),
        "90+": Decimal("500.00"),
    }
    assert total.count == 5
    per_customer = aging(builders.scope(uow_factory), date(2026, 3, 2), True, uow_factory)
    assert [r.total for r in per_customer] == [Decimal("1500.00"), Decimal("1500.00")]


def test_money_survives_the_database_exactly(uow_factory: UnitOfWorkFactory, customer: int) -> None:
    stored = builders.invoice(uow_factory, customer, "x;3;0.10;25", "y;1;99999999.99;0")
    again = show_invoice(stored.invoice.number, builders.scope(uow_factory), uow_factory)
    assert again.invoice.total == Decimal("100000000.37")
    assert again.invoice.lines[0].unit_price == Decimal("0.10")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(3000), places=2),
        min_size=1,
        max_size=6,
    )
)
def test_no_sequence_of_credit_notes_takes_an_invoice_below_zero(
    uow_factory: UnitOfWorkFactory, credits: list[Decimal]
) -> None:
    has_company = bool(all_companies(uow_factory))
    if not has_company:
        builders.company(uow_factory)
        builders.business(uow_factory)
    number = builders.invoice(uow_factory, 10000, "Vare;1;2000;25").invoice.number  # 2500.00
    for amount in credits:
        with contextlib.suppress(InvalidInput, RuleViolation):
            credit_invoice(
                NewCreditNote(number, [parse_line_spec(f"Kreditt;1;{amount};0")]),
                builders.scope(uow_factory),
                uow_factory,
            )
        assert show_invoice(number, builders.scope(uow_factory), uow_factory).open_amount >= 0
    assert check_ledger(builders.scope(uow_factory), uow_factory).ok


def test_a_typed_invoice_line_is_checked_by_the_service_too(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    from fordring.services.invoicing import NewInvoice, create_invoice

    odd_vat = line("Service", Decimal(1), Decimal(100), Decimal(7))
    with pytest.raises(InvalidInput) as error:
        create_invoice(NewInvoice(customer, [odd_vat]), builders.scope(uow_factory), uow_factory)
    assert [(p.where, p.field) for p in error.value.problems] == [("line 1", "vat")]
    with pytest.raises(InvalidInput) as error:
        create_invoice(NewInvoice(customer, []), builders.scope(uow_factory), uow_factory)
    assert [(p.field, p.code) for p in error.value.problems] == [("line", "required")]


def test_a_large_invoice_import_leaves_postgresql_statistics_of_what_it_loaded(
    uow_factory: UnitOfWorkFactory,
    customer: int,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whoever reads freshly loaded invoices next (a payment file, the day's run) gets
    plans from real statistics, not from an empty table's (docs/performance.md)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("statistics are PostgreSQL's")
    monkeypatch.setattr(statistics, "ANALYZE_FROM", 20)  # not 10,000 in a test
    path = tmp_path / "invoices.csv"
    path.write_text(
        "number;customer;issue_date;due_date;description;quantity;unit_price;vat\n"
        + "".join(f"{n};{customer};2026-03-01;2026-03-15;Time;1;100;25\n" for n in range(1, 31)),
        encoding="utf-8",
    )
    import_invoices(invoice_file(str(path)), builders.scope(uow_factory), uow_factory)
    with create_engine(normalise_url(database_url)).connect() as connection:
        counted: dict[str, float] = dict(
            connection.execute(
                text(
                    "SELECT relname, reltuples FROM pg_class WHERE relname IN "
                    "('invoice', 'invoice_line', 'voucher', 'posting')"
                )
            ).all()
        )
    # A table never analysed says -1 rows (PostgreSQL 14 and later)
    assert counted == {"invoice": 30, "invoice_line": 30, "voucher": 30, "posting": 90}


def test_invoices_issued_at_once_are_numbered_without_gaps_or_doubles(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    """Eight invoices created at the same moment (threads, each its own transaction):
    invoice and voucher numbers are taken together (one statement on PostgreSQL, rows
    locked in name order), so none fails on a deadlock and the numbers run on."""
    start = threading.Barrier(8)
    made: list[int] = []
    failed: list[BaseException] = []

    def create() -> None:
        try:
            start.wait(timeout=30)
            made.append(builders.invoice(uow_factory, customer, "Time;1;100;25").invoice.number)
        except BaseException as error:  # reported below
            failed.append(error)

    threads = [threading.Thread(target=create) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert failed == []
    assert sorted(made) == list(range(1, 9))
    scope = builders.scope(uow_factory)
    vouchers = sorted(show_invoice(n, scope, uow_factory).voucher_number for n in made)
    assert vouchers == list(range(vouchers[0], vouchers[0] + 8))


def test_taking_several_series_at_once_says_which_is_used_up(
    uow_factory: UnitOfWorkFactory, customer: int
) -> None:
    scope = builders.scope(uow_factory)
    with uow_factory(scope) as uow:
        first = uow.series.peek("invoice"), uow.series.peek("voucher")
        taken = uow.series.take_each({"invoice": 2, "voucher": 3, "payment": 0})
        assert taken == {"invoice": first[0], "voucher": first[1]}
        assert (uow.series.peek("invoice"), uow.series.peek("voucher")) == (
            first[0] + 2,
            first[1] + 3,
        )
        uow.series.raise_to("voucher", MAX_INTEGER)
        with pytest.raises(RuleViolation, match="voucher numbers are used up"):
            uow.series.take_each({"invoice": 1, "voucher": 1})


def test_ready_to_issue_takes_both_id_blocks_and_asks_the_companys_own_endpoints(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """One statement on PostgreSQL: as `reserve_ids`, `ledger.reserve_ids` and
    `webhooks.wants(invoice.issued)` one after the other."""
    builders.company(uow_factory)
    builders.company(uow_factory, orgnr=builders.OTHER_ORGNR, name="Annen AS")
    mine, other = builders.scope(uow_factory), builders.scope(uow_factory, builders.OTHER_ORGNR)
    at = datetime(2026, 3, 2, 12, tzinfo=UTC)
    issued = [WebhookType.INVOICE_ISSUED]
    with uow_factory(other) as uow:
        uow.webhooks.add_endpoint("https://192.0.2.2/x", "whsec_AAAA", issued, at)
        uow.commit()
    with uow_factory(mine) as uow:
        first_invoice, first_voucher, announced = uow.invoices.ready_to_issue(3)
        assert not announced  # only the other company's endpoint wants it
        assert uow.invoices.reserve_ids(1) == first_invoice + 3
        assert uow.ledger.reserve_ids(1) == first_voucher + 3
        uow.webhooks.add_endpoint("https://192.0.2.2/y", "whsec_AAAA", issued, at)
        assert uow.invoices.ready_to_issue(1)[2]


def test_the_company_and_its_customer_are_read_as_current_and_get_read_them(
    uow_factory: UnitOfWorkFactory,
) -> None:
    builders.company(uow_factory)
    number = builders.business(uow_factory)
    mine = builders.scope(uow_factory)
    builders.company(uow_factory, orgnr=builders.OTHER_ORGNR, name="Annen AS")
    other = builders.scope(uow_factory, builders.OTHER_ORGNR)
    with uow_factory(mine) as uow:
        assert uow.company.current_and_customer(number) == (
            uow.company.current(),
            uow.customers.get(number),
        )
        assert uow.company.current_and_customer(number + 1) == (uow.company.current(), None)
    with uow_factory(other) as uow:  # the other company has no customer of that number
        assert uow.company.current_and_customer(number) == (uow.company.current(), None)


def test_invoices_created_together_are_what_each_alone_would_be_or_none_is_kept(
    uow_factory: UnitOfWorkFactory, customer: int, database_url: str
) -> None:
    """`create_invoices` (the API's creates answered together): numbered in the order
    given as one after the other alone, answered as they read back; one unknown
    customer among them keeps none."""
    from fordring.domain.text_input import make_line
    from fordring.services.invoicing import NewInvoice, create_invoices

    scope = builders.scope(uow_factory)
    other = builders.consumer(uow_factory)
    alone = builders.invoice(uow_factory, customer, "Time;1;100;25")
    cmds = [
        NewInvoice(n, [make_line(f"Linje {i}", "2", "100", "25")], terms_days=10 + i)
        for i, n in enumerate([customer, other, customer])
    ]
    made = create_invoices(cmds, scope, uow_factory)
    number = alone.invoice.number
    assert [m.invoice.number for m in made] == [number + 1, number + 2, number + 3]
    assert [m.voucher_number for m in made] == [alone.voucher_number + i for i in (1, 2, 3)]
    assert [m.customer_number for m in made] == [customer, other, customer]
    assert [m.invoice.due_date for m in made] == [date(2026, 3, d) for d in (12, 13, 14)]
    assert [repr(m) for m in made] == [
        repr(show_invoice(m.invoice.number, scope, uow_factory)) for m in made
    ]
    assert check_ledger(scope, uow_factory).ok

    before = table_rows(database_url)
    unknown = NewInvoice(999_999, [make_line("Linje", "1", "100", "25")])
    with pytest.raises(InvalidInput, match="no customer number 999999"):
        create_invoices([cmds[0], unknown], scope, uow_factory)
    assert table_rows(database_url) == before
