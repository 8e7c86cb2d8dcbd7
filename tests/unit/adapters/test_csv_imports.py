"""CSV files read into the typed records the import services take (issue 13 point 4): the
service gets customer details and invoices with Decimal lines, dates and numbers, or the
problems of a row naming its line and field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from fordring.adapters.csv_imports import CustomerCsv, InvoiceCsv
from fordring.domain.customers import CustomerKind
from fordring.domain.invoices import line
from fordring.services.customers import NewCustomer
from fordring.services.imports import Refused
from fordring.services.invoice_import import ImportedInvoice


def csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_invoice_rows_become_typed_invoices_grouped_by_number(tmp_path: Path) -> None:
    path = csv(
        tmp_path,
        "number;customer;issue_date;due_date;terms;description;quantity;unit_price;vat;"
        "currency;exchange_rate;kid;exempt\n"
        "5001;10000;2026-01-10;2026-01-24;;Leie;1;10000;0;;;;\n"
        "5001;;;;;Strøm;1;800,50;25;;;;\n"
        ";10001;;;30;Kurs;2;1500;0;EUR;11,5;;ja\n",
    )
    first, second = InvoiceCsv(path).records()
    assert first == ImportedInvoice(
        "line 2",
        10000,
        (
            line("Leie", Decimal(1), Decimal(10000), Decimal(0)),
            line("Strøm", Decimal(1), Decimal("800.50"), Decimal(25)),
        ),
        number=5001,
        issue_date=date(2026, 1, 10),
        due_date=date(2026, 1, 24),
    )
    assert second == ImportedInvoice(
        "line 4",
        10001,
        (line("Kurs", Decimal(2), Decimal(1500), Decimal(0)),),
        terms_days=30,
        currency="EUR",
        exchange_rate=Decimal("11.5"),
        reminder_exempt=True,
    )


def test_every_problem_of_an_invoice_header_is_refused_at_its_first_row(tmp_path: Path) -> None:
    path = csv(
        tmp_path,
        "number;customer;issue_date;due_date;description;quantity;unit_price;vat;currency\n"
        "0;x;20260110;2026-13-01;Leie;1e3;100;25;XXX\n",
    )
    refused = [r for r in InvoiceCsv(path).records() if isinstance(r, Refused)]
    assert len(refused) == 2  # the line's problems, then the header's
    found = sorted((p.where, p.field, p.code) for r in refused for p in r.problems)
    assert found == [
        ("line 2", "currency", "not_a_currency"),
        ("line 2", "customer", "not_a_customer_number"),
        ("line 2", "due_date", "not_a_date"),
        ("line 2", "issue_date", "not_a_date"),
        ("line 2", "number", "not_an_invoice_number"),
        ("line 2", "quantity", "not_a_number"),
    ]


def test_customer_rows_become_details_or_every_problem_of_the_row(tmp_path: Path) -> None:
    path = csv(
        tmp_path, "number;name;kind;orgnr;city\n;Bakeri AS;;988077917;Oslo\n1_0;Ola;robot;;\n"
    )
    made, refused = CustomerCsv(path).records()
    assert isinstance(made, NewCustomer)
    assert (made.number, made.where, made.details.kind, made.details.orgnr) == (
        None,
        "line 2",
        CustomerKind.BUSINESS,
        "988077917",
    )
    assert made.details.address.city == "Oslo"
    assert isinstance(refused, Refused)
    found = [(p.where, p.field) for p in refused.problems]
    assert found == [("line 3", "number"), ("line 3", "kind")]
