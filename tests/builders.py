"""Builders with good defaults for tests: a company, customers and invoices via services."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.invoices import Invoice, InvoiceKind, line
from fordring.domain.settlement import SettledPayment, Settlement, SettlementParty
from fordring.domain.text_input import parse_customer_details, parse_line_spec
from fordring.services.companies import NewCompany, add_company, company_id, find_company
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.invoicing import NewInvoice, create_invoice
from fordring.services.ports import StoredInvoice, UnitOfWorkFactory
from fordring.services.scope import COMMAND_LINE, Scope

# The debtor's PIN key every test process and the processes it starts use (conftest.py
# sets FORDRING_DEBTOR_PIN_KEY to it): codes given by a test sign in to its servers.
PIN_KEY = b"the tests' debtor PIN key, never a real installation's"

ORGNR = "923609016"
OTHER_ORGNR = "988077917"
ACCOUNT = "86011117947"
OTHER_ACCOUNT = "97100000001"
CUSTOMER_ORGNR = "123456785"
DAY = date(2026, 3, 2)


def company(uow_factory: UnitOfWorkFactory, orgnr: str = ORGNR, **changes: object) -> None:
    fields: dict[str, object] = {
        "orgnr": Orgnr(orgnr),
        "name": "Test AS",
        "account": BankAccount(ACCOUNT),
        "street": "Storgata 1",
        "postcode": "0155",
        "city": "Oslo",
    }
    fields.update(changes)
    add_company(NewCompany(**fields), uow_factory)  # type: ignore[arg-type]


def business(uow_factory: UnitOfWorkFactory, name: str = "Kunde AS") -> int:
    fields = {
        "kind": "business",
        "name": name,
        "orgnr": CUSTOMER_ORGNR,
        "address": "Vei 2",
        "postcode": "5003",
        "city": "Bergen",
    }
    details = parse_customer_details(fields)
    return add_customer(NewCustomer(details), scope(uow_factory), uow_factory).number


def consumer(uow_factory: UnitOfWorkFactory, name: str = "Kari Nordmann") -> int:
    fields = {
        "kind": "consumer",
        "name": name,
        "address": "Vei 3",
        "postcode": "0565",
        "city": "Oslo",
    }
    details = parse_customer_details(fields)
    return add_customer(NewCustomer(details), scope(uow_factory), uow_factory).number


def invoice(
    uow_factory: UnitOfWorkFactory,
    customer_number: int,
    *lines: str,
    on: date = DAY,
    terms: int = 14,
    orgnr: str = ORGNR,
) -> StoredInvoice:
    specs = lines or ("Konsulenttime;2;1000;25",)
    typed = [parse_line_spec(spec) for spec in specs]
    return create_invoice(
        NewInvoice(customer_number, typed, terms_days=terms),
        scope(uow_factory, orgnr, on),
        uow_factory,
    )


def domain_invoice(
    *lines: tuple[str, str, str], kind: InvoiceKind = InvoiceKind.INVOICE
) -> Invoice:
    """A domain Invoice from (quantity, unit price, vat) triples."""
    return Invoice(
        number=1,
        kind=kind,
        customer_id=1,
        issue_date=DAY,
        due_date=DAY,
        lines=tuple(line("x", Decimal(q), Decimal(p), Decimal(v)) for q, p, v in lines),
        kid="0000000018",
        credits_invoice_id=7 if kind is InvoiceKind.CREDIT_NOTE else None,
    )


def cli_company(run: Callable[..., Any], *options: str) -> None:
    """Through the CLI: the test company, with an address (and OPTIONS, e.g. --no-vat)."""
    done = run(
        "company",
        "add",
        "--orgnr",
        ORGNR,
        "--name",
        "Test AS",
        "--account",
        ACCOUNT,
        "--address",
        "Storgata 1",
        "--postcode",
        "0155",
        "--city",
        "Oslo",
        *options,
    )
    assert done.exit_code == 0, done.output


def cli_consumer(run: Callable[..., Any], name: str = "Kari Nordmann") -> None:
    """Through the CLI: a consumer with a full address (so eligible for collection)."""
    done = run(
        "customer",
        "add",
        "--name",
        name,
        "--consumer",
        "--address",
        "Vei 3",
        "--postcode",
        "0565",
        "--city",
        "Oslo",
    )
    assert done.exit_code == 0, done.output


def cli_business(run: Callable[..., Any]) -> None:
    """Through the CLI: the business customer Kunde AS in Bergen."""
    done = run(
        "customer",
        "add",
        "--name",
        "Kunde AS",
        "--orgnr",
        CUSTOMER_ORGNR,
        "--address",
        "Vei 2",
        "--postcode",
        "5003",
        "--city",
        "Bergen",
    )
    assert done.exit_code == 0, done.output


def cli_other_company(run: Callable[..., Any]) -> None:
    """Through the CLI: a second creditor, Annen AS in Trondheim."""
    done = run(
        "company",
        "add",
        "--orgnr",
        OTHER_ORGNR,
        "--name",
        "Annen AS",
        "--account",
        OTHER_ACCOUNT,
        "--address",
        "Gate 2",
        "--postcode",
        "7011",
        "--city",
        "Trondheim",
    )
    assert done.exit_code == 0, done.output


def cli_case_1(run: Callable[..., Any], orgnr: str = ORGNR) -> None:
    """Through the CLI, in company `orgnr`: consumer 10000 Kari Nordmann, her invoice 1
    (2500.00, issued 2026-02-16, due 03-02) in collection case 1 from 03-05."""

    def on(*args: str, **options: Any) -> Any:
        return run("--company", orgnr, *args, **options)

    cli_consumer(on)
    for args, day in (
        (("invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25"), "2026-02-16"),
        (("collection", "send", "1"), "2026-03-05"),
    ):
        done = on(*args, date=day)
        assert done.exit_code == 0, done.output


def cli_case_of_one_invoice(run: Callable[..., Any]) -> None:
    """Company, consumer 10000 and invoice 1 (2500.00, due 2026-03-02) in case 1 (03-05)."""
    cli_company(run)
    cli_consumer(run)
    run("invoice", "create", "--customer", "10000", "--line", "Time;2;1000;25", date="2026-02-16")
    run("collection", "send", "1", date="2026-03-05")


def settled_payment(**changes: Any) -> SettledPayment:
    """A payment on a settlement statement: 1250.00 of principal, unless changed."""
    payment = SettledPayment(
        payment_id=1,
        received_on=date(2026, 3, 2),
        kid="0001004200075",
        payer="Ærlige Åse Øvrebø",
        customer_number=1042,
        customer_name="Ærlige Åse Øvrebø",
        case_number=None,
        invoice_numbers=(10042,),
        amount=Decimal("1250.00"),
        principal=Decimal("1250.00"),
        interest=Decimal("0.00"),
        fees=Decimal("0.00"),
        salaer=Decimal("0.00"),
        credit=Decimal("0.00"),
    )
    return dataclasses.replace(payment, **changes)


def settled_with_costs(**changes: Any) -> SettledPayment:
    """A payment in collection: principal, interest, a fee and salær, on two invoices."""
    return settled_payment(
        payment_id=2,
        kid="0002004300088",
        payer="Bjørn Håland",
        customer_number=1043,
        customer_name="Håland Bygg AS",
        case_number=2026000123,
        invoice_numbers=(10043, 10050),
        amount=Decimal("8922.63"),
        principal=Decimal("8000.00"),
        interest=Decimal("187.63"),
        fees=Decimal("35.00"),
        salaer=Decimal("700.00"),
        **changes,
    )


def settled_overpaid(**changes: Any) -> SettledPayment:
    """An overpayment: 100.00 more than the principal, kept as the customer's credit."""
    fields: dict[str, Any] = {
        "payment_id": 3,
        "received_on": date(2026, 2, 27),
        "kid": "0003004400071",
        "payer": "Kari Nordmann",
        "customer_number": 1044,
        "customer_name": "Kari Nordmann",
        "case_number": 2026000124,
        "invoice_numbers": (10044,),
        "amount": Decimal("600.00"),
        "principal": Decimal("500.00"),
        "credit": Decimal("100.00"),
    }
    fields.update(changes)
    return settled_payment(**fields)


def settlement_of(*payments: SettledPayment) -> Settlement:
    """Settlement 4711 of 2026-03-03 from the collector to the creditor."""
    return Settlement(
        4711,
        date(2026, 3, 3),
        SettlementParty("Fjordkraft Rørlegger AS", "988077917", "86011117947"),
        SettlementParty("Nordlys Inkasso AS", "123456785", "12345678903"),
        payments,
    )


def scope(uow_factory: UnitOfWorkFactory, orgnr: str = ORGNR, on: date = DAY) -> Scope:
    """The scope of the company with this orgnr (the test company by default)."""
    return Scope(company_id(find_company(orgnr, uow_factory)), COMMAND_LINE, on)
