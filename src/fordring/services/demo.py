"""Demo data: a company with customers and three months of invoices, some credited.

Deterministic (a seeded generator), so every run of `fordring demo` tells the same story.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from fordring.services.companies import NewCompany, add_company
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.invoicing import NewCreditNote, NewInvoice, create_invoice, credit_invoice
from fordring.services.ports import UnitOfWorkFactory

DEMO_ORGNR = "923609016"
DEMO_ACCOUNT = "86011117947"
_BUSINESSES = [
    ("Fjordkraft Bygg AS", "Bergen", "5003"),
    ("Nordlys Regnskap AS", "Tromsø", "9008"),
    ("Hansen & Berg ANS", "Oslo", "0150"),
    ("Trondheim Kaffebrenneri AS", "Trondheim", "7011"),
    ("Vestland Rør AS", "Stavanger", "4006"),
    ("Solberg Transport AS", "Drammen", "3015"),
    ("Lillehammer Sport AS", "Lillehammer", "2609"),
    ("Kystfisk AS", "Ålesund", "6002"),
    ("Bodø Elektro AS", "Bodø", "8006"),
    ("Grønn Hage Johansen", "Kristiansand", "4611"),
    ("Oslo Tannhelse AS", "Oslo", "0250"),
    ("Fredrikstad Maling AS", "Fredrikstad", "1606"),
]
_CONSUMERS = [
    ("Kari Nordmann", "Oslo", "0565"),
    ("Ola Hansen", "Bergen", "5010"),
    ("Ingrid Johansen", "Trondheim", "7030"),
    ("Per Olsen", "Tønsberg", "3110"),
    ("Sigrid Larsen", "Hamar", "2317"),
    ("Anders Pedersen", "Molde", "6413"),
    ("Marit Berg", "Harstad", "9405"),
    ("Jonas Nilsen", "Sandnes", "4306"),
]
_LINES = [
    ("Konsulenttime", "1250", "25"),
    ("Rørleggerarbeid", "980", "25"),
    ("Matvarer levert", "349.90", "15"),
    ("Persontransport", "520", "12"),
    ("Lisens regnskapsprogram", "399", "25"),
    ("Kursavgift (fritatt)", "2500", "0"),
    ("Materialer", "187.50", "25"),
    ("Reisetid", "650", "25"),
]


def _orgnr(rng: random.Random) -> str:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        body = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        check = 11 - sum(d * w for d, w in zip(body, weights, strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, body)) + str(check)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    customers: int
    invoices: int
    credit_notes: int


def seed(uow_factory: UnitOfWorkFactory, today: date) -> DemoSummary:
    """Fill an empty database with the demo company's customers and invoices."""
    rng = random.Random(2026)
    add_company(
        NewCompany(
            orgnr=DEMO_ORGNR,
            name="Demo Regnskap AS",
            account=DEMO_ACCOUNT,
            street="Storgata 1",
            postcode="0155",
            city="Oslo",
            email="faktura@demo.example",
        ),
        uow_factory,
    )
    numbers: list[int] = []
    for i, (name, city, postcode) in enumerate(_BUSINESSES):
        fields = {
            "kind": "business",
            "name": name,
            "orgnr": _orgnr(rng),
            "city": city,
            "postcode": postcode,
            "address": f"Industriveien {i + 1}",
            "email": f"post{i}@kunde.example",
        }
        numbers.append(add_customer(NewCustomer(fields), None, today, uow_factory).number)
    for i, (name, city, postcode) in enumerate(_CONSUMERS):
        fields = {
            "kind": "consumer",
            "name": name,
            "city": city,
            "postcode": postcode,
            "address": f"Bjørkeveien {i + 3}",
            "exempt": "yes" if i == 0 else "",
        }
        numbers.append(add_customer(NewCustomer(fields), None, today, uow_factory).number)
    start = today - timedelta(days=91)
    invoices: list[int] = []
    for i in range(100):
        issued = start + timedelta(days=i * 91 // 100)
        lines = [
            "{};{};{};{}".format(text, rng.choice(["1", "2", "3", "7.5", "10"]), price, vat)
            for text, price, vat in rng.sample(_LINES, rng.randint(1, 3))
        ]
        cmd = NewInvoice(
            customer_number=rng.choice(numbers),
            lines=lines,
            terms_days=rng.choice([10, 14, 14, 30]),
        )
        invoices.append(create_invoice(cmd, None, issued, uow_factory).invoice.number)
    credited = rng.sample(invoices[:80], 8)
    for n, number in enumerate(sorted(credited)):
        on = today - timedelta(days=30 - n)
        credit_invoice(NewCreditNote(number), None, on, uow_factory)
    return DemoSummary(len(numbers), len(invoices), len(credited))
