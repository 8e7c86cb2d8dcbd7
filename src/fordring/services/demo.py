"""Demo data: a company with customers and five months of invoices, some credited, some
paid (early, late, or only after a collection notice), and a quarter of collection played
day by day: payments arrive on their days and the daily run does the rest.

Four customers have recurring agreements (rent, a monthly fee, a quarterly service, a
consumer's subscription) that the daily run invoices; two businesses take EHF.

Deterministic (a seeded generator), so every run of `fordring demo` tells the same story.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Protocol

from fordring.domain.bank_files import BankTransaction
from fordring.domain.collection.agreement import PayTo, SettingsChange, SettingValue
from fordring.domain.identifiers import BankAccount, Orgnr
from fordring.domain.law.tables import RateBook
from fordring.domain.recurring import parse_interval
from fordring.domain.text_input import parse_customer_details, parse_line_spec
from fordring.services.business_day import DayTools, run_business_day
from fordring.services.case_views import list_cases, show_case
from fordring.services.collection_agreement import set_agreement
from fordring.services.companies import NewCompany, add_company, company_id
from fordring.services.customers import NewCustomer, add_customer
from fordring.services.daily_run import DayReport
from fordring.services.delivery import DeliveryReport
from fordring.services.invoicing import (
    NewCreditNote,
    NewInvoice,
    create_invoice,
    credit_invoice,
    list_invoices,
)
from fordring.services.payment_import import BankFileReader, ImportReport, import_bank_file
from fordring.services.payments import NewPayment, register_payment
from fordring.services.ports import UnitOfWorkFactory
from fordring.services.progress import Progress, no_progress
from fordring.services.recurring import NewAgreement, add_agreement
from fordring.services.scope import COMMAND_LINE, Scope

# The collection agreement of the demo: automatic sending and hand-over to a collector.
DEMO_CLIENT_ACCOUNT = "15032080119"
DEMO_AGREEMENT: dict[str, SettingValue] = {
    "automatic_sending": True,
    "automatic_handover": True,
    "collector_name": "Demo Inkasso AS",
    "collector_orgnr": "974760673",
    "pay_to": PayTo.CLIENT_ACCOUNT,  # debtors pay the collector; settled the next banking day
    "client_account": DEMO_CLIENT_ACCOUNT,
    # the collector's address and contacts on its letters (issue 12)
    "collector_street": "Postboks 1234 Sentrum",
    "collector_postcode": "0106",
    "collector_city": "Oslo",
    "collector_phone": "22 00 00 00",
    "collector_email": "post@inkasso.demo.example",
    "collector_web": "inkasso.demo.example",
}
CENT = Decimal("0.01")
INVOICE_DAYS = 150  # invoices issued over this many days before the demo's day
COLLECTION_DAYS = 91  # the quarter of collection played day by day

DEMO_ORGNR = Orgnr("923609016")
DEMO_ACCOUNT = BankAccount("86011117947")
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
    payments: tuple[tuple[date, int, Decimal], ...]  # (day, invoice number, amount) to come
    agreements: int = 0  # recurring invoice agreements
    peppol: tuple[str, ...] = ()  # participants that take EHF (the demo's offline list)
    scope: Scope | None = None  # the demo company's


# Recurring agreements of the demo: (customer index, text, line, interval, issue day).
_RECURRING = [
    (0, "Husleie", "Kontorlokaler Storgata 1;1;18500;25", "monthly", 1),
    (1, "Regnskapsbistand", "Fast månedshonorar;1;6400;25", "monthly", 15),
    (3, "Serviceavtale", "Service kaffemaskiner;1;2100;25", "quarterly", 1),
    (12, "Abonnement", "Treningsabonnement;1;549;0", "monthly", 31),
]


def seed(uow_factory: UnitOfWorkFactory, today: date) -> DemoSummary:
    """Fill an empty database with the demo company's customers and invoices."""
    rng = random.Random(2026)
    company = add_company(
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
    scope = Scope(company_id(company), COMMAND_LINE, today)
    numbers: list[int] = []
    peppol: list[str] = []
    for i, (name, city, postcode) in enumerate(_BUSINESSES):
        fields = {
            "kind": "business",
            "name": name,
            "orgnr": _orgnr(rng),
            "city": city,
            "postcode": postcode,
            "address": f"Industriveien {i + 1}",
            "email": f"post{i}@kunde.example",
            # One business gave its address for collection letters too (inkassoloven § 3a).
            "email_reliable": "yes" if i == 2 else "",
        }
        if i < 2:  # the first two take EHF
            peppol.append(f"0192:{fields['orgnr']}")
        details = parse_customer_details(fields)
        numbers.append(add_customer(NewCustomer(details), scope, uow_factory).number)
    for i, (name, city, postcode) in enumerate(_CONSUMERS):
        fields = {
            "kind": "consumer",
            "name": name,
            "city": city,
            "postcode": postcode,
            "address": f"Bjørkeveien {i + 3}",
            "exempt": "yes" if i == 0 else "",
        }
        details = parse_customer_details(fields)
        numbers.append(add_customer(NewCustomer(details), scope, uow_factory).number)
    start = today - timedelta(days=INVOICE_DAYS)
    invoices: list[int] = []
    payments: list[tuple[date, int, Decimal]] = []
    for i in range(100):
        issued = start + timedelta(days=i * INVOICE_DAYS // 100)
        lines = [
            "{};{};{};{}".format(text, rng.choice(["1", "2", "3", "7.5", "10"]), price, vat)
            for text, price, vat in rng.sample(_LINES, rng.randint(1, 3))
        ]
        cmd = NewInvoice(
            customer_number=rng.choice(numbers),
            lines=[parse_line_spec(spec) for spec in lines],
            terms_days=rng.choice([10, 14, 14, 30]),
        )
        stored = create_invoice(cmd, replace(scope, business_date=issued), uow_factory)
        invoices.append(stored.invoice.number)
        if rng.random() < 0.45:  # paid: on time, after a reminder, or after the notice
            late = rng.choice([0, 5, 12, 25, 40])
            paid_on = stored.invoice.due_date + timedelta(days=late)
            if paid_on <= today:
                payments.append((paid_on, stored.invoice.number, stored.open_amount))
    credited = rng.sample(invoices[:80], 8)
    for n, number in enumerate(sorted(credited)):
        on = today - timedelta(days=30 - n)
        credit_invoice(NewCreditNote(number), replace(scope, business_date=on), uow_factory)
    paid = tuple(sorted(p for p in payments if p[1] not in credited))
    first = today - timedelta(days=COLLECTION_DAYS - 1)
    for index, text, spec, interval, issue_day in _RECURRING:
        agreement = NewAgreement(
            numbers[index],
            text,
            [parse_line_spec(spec)],
            parse_interval(interval),
            issue_day,
            first.replace(day=1),
            terms_days=14,
        )
        add_agreement(agreement, scope, uow_factory)
    return DemoSummary(
        len(numbers), len(invoices), len(credited), paid, len(_RECURRING), tuple(peppol), scope
    )


class OcrWriter(Protocol):
    def __call__(
        self,
        path: Path,
        transactions: Sequence[BankTransaction],
        *,
        transmission: str,
        account: str,
        nets_date: date,
    ) -> Path: ...


@dataclass(frozen=True, slots=True)
class DemoBank:
    """Where the demo's bank file goes and how it is written and read."""

    folder: Path
    write: OcrWriter
    reader: BankFileReader


def bank_file_day(
    scope: Scope, uow_factory: UnitOfWorkFactory, bank: DemoBank, book: RateBook
) -> ImportReport:
    """The client account's OCR file of the scope's business date: payments to cases in
    collection by their KID (in full, in part, one too much), one with a KID nobody has and
    one with only an invoice number in the text; imported like any bank file."""
    day = scope.business_date
    cases = list_cases(None, scope, uow_factory)
    open_cases = [c for c in cases if c.state in ("in_collection", "notified", "listed")]
    account = DEMO_CLIENT_ACCOUNT
    paid: list[BankTransaction] = []
    for n, case in enumerate(open_cases[:6]):
        owed = show_case(case.number, scope, uow_factory, book).owed or case.remaining
        amount = {0: owed, 1: owed, 2: (owed / 2).quantize(CENT), 3: owed + 100}.get(n, owed)
        paid.append(
            BankTransaction(
                f"{n + 1}", account, amount, day, case.kid, payer_name=case.customer_name
            )
        )
    paid.append(
        BankTransaction(
            "7", account, Decimal("1234.00"), day, "1234567897", payer_name="Ukjent Betaler"
        )
    )
    open_invoices = [i for i in list_invoices(scope, True, uow_factory) if i.due_date > day]
    if open_invoices:
        invoice = open_invoices[0]
        paid.append(
            BankTransaction(
                "8",
                account,
                invoice.open_amount,
                day,
                None,
                text=f"Faktura {invoice.number}",
                payer_name=invoice.customer_name,
            )
        )
    bank.folder.mkdir(parents=True, exist_ok=True)
    path = bank.write(
        bank.folder / f"innbetalinger-{day}.ocr",
        paid,
        transmission="0000001",
        account=account,
        nets_date=day,
    )
    return import_bank_file(path, scope, uow_factory, bank.reader, book)


@dataclass(slots=True)
class Played:
    """What the quarter did: the days run, what was delivered after each, the settlement
    statements written and the client account's bank file."""

    days: list[DayReport] = field(default_factory=list)
    delivered: DeliveryReport = field(default_factory=DeliveryReport)
    documents: list[str] = field(default_factory=list)
    imported: ImportReport | None = None


def play(
    tools: DayTools,
    summary: DemoSummary,
    today: date,
    bank: DemoBank | None = None,
    progress: Progress = no_progress,
) -> Played:
    """The quarter up to `today`, day by day: that day's payments, then the business day
    (the run, then delivery, then settlement statements) as a finance person's daily run
    does it. On the banking day before `today` the client account's OCR file comes in;
    `today`'s run settles it. `progress` hears of each day played."""
    assert summary.scope is not None
    scope = summary.scope
    uow_factory, book = tools.uow_factory, tools.book
    set_agreement(SettingsChange(DEMO_AGREEMENT), scope, uow_factory)
    first = today - timedelta(days=COLLECTION_DAYS - 1)
    for day, number, amount in summary.payments:
        if day < first:
            register_payment(
                NewPayment(amount, day, invoice_number=number), scope, uow_factory, book
            )
    by_day: dict[date, list[tuple[int, Decimal]]] = {}
    for paid_on, number, amount in summary.payments:
        by_day.setdefault(paid_on, []).append((number, amount))
    played = Played()
    day = first
    while day <= today:
        on_the_day = replace(scope, business_date=day)  # the quarter is played as it happened
        for number, amount in by_day.get(day, []):
            register_payment(
                NewPayment(amount, day, invoice_number=number), scope, uow_factory, book
            )
        if bank is not None and day == today - timedelta(days=1):
            played.imported = bank_file_day(on_the_day, uow_factory, bank, book)
        done = run_business_day(on_the_day, day, tools)
        played.days += done.days
        played.documents += done.documents
        if done.delivered is not None:
            _add(played.delivered, done.delivered)
        day += timedelta(days=1)
        progress((day - first).days, COLLECTION_DAYS)
    return played


def _add(total: DeliveryReport, more: DeliveryReport) -> None:
    total.sent.update(more.sent)
    total.failed += more.failed
    total.print_batches += more.print_batches
    total.lists += more.lists
