"""A year of day-by-day runs over a mixed portfolio, checked against the rules of the legal
review (issue 12): two creditors in one database, one handing its claims to a collector and
one collecting its own; consumers and businesses; consolidated notices; payments in time,
partial, late and never; an objection and its resume. Whatever the engine did over the
year, no letter is dated on a non-banking day and no fee, salær or interest is charged
that the rules forbid. The checks read the stored rows, so they judge every letter and
charge of the year, not a few chosen ones."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fordring.domain.calendar import is_banking_day
from fordring.domain.law.builtin_rates import rate_book
from fordring.domain.law.salaer import SalaerLevel, salaer_cap
from tests.builders import ACCOUNT, ORGNR, OTHER_ORGNR
from tests.scenarios.story import Story

pytestmark = pytest.mark.e2e

COLLECTED = ORGNR  # hands its claims to Inkasso AS
OWN = OTHER_ORGNR  # collects its own claims
START, END = date(2026, 1, 5), date(2026, 12, 31)
# The second half of 2026 needs a late-interest rate the built-in tables do not have yet.
RATES = """
[[forsinkelsesrente]]
half_year = "2026 H2"
value = 12.00
source = "test data: the year scenario assumes the 2026 H1 rate continues"
confirmed = false

[[standardkompensasjon]]
half_year = "2026 H2"
value = 460
source = "test data: the year scenario assumes the 2026 H1 amount continues"
confirmed = false
"""
LETTER_FEE = Decimal("37.50")  # 1/20 × inkassosats 750 (2026)
DEMAND_FEE = Decimal("112.50")  # 3/20 × 750
DEADLINE_LETTERS = ("collection_notice", "payment_demand")


def orgnr(base: int) -> str:
    """A valid organisation number from an 8-digit base (MOD11, weights 3,2,7,6,5,4,3,2)."""
    while True:
        digits = f"{base:08d}"
        total = sum(int(d) * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return digits + str(check)
        base += 1


@dataclass(frozen=True)
class Event:
    day: date
    company: str
    what: str  # invoice | pay | pay_case | object | resume | pay_notice_in_time
    customer: int = 0
    amount: str = ""
    invoice: int = 0  # the invoice's number within its company


class Year:
    """The portfolio, told through the command line with `--company`."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.paid_in_time: list[tuple[str, int]] = []  # (company, case) paid by the deadline

    def ok(self, company: str, *args: str, day: date) -> Any:
        return self.story.ok("--company", company, *args, date=day.isoformat())

    def setup(self) -> None:
        for company, name, account in (
            (COLLECTED, "Test AS", ACCOUNT),
            (OWN, "Egen AS", "12345678903"),
        ):
            self.story.ok(
                "company", "add", "--orgnr", company, "--name", name, "--account", account,
                "--address", "Storgata 1", "--postcode", "0155", "--city", "Oslo",
                date=START.isoformat(),
            )  # fmt: skip
            settings = ["automatic_sending=yes", "automatic_handover=yes"]
            if company == COLLECTED:
                settings += ["collector_name=Inkasso AS", f"collector_orgnr={OTHER_ORGNR}"]
            self.ok(company, "collection", "agreement", "set", *settings, day=START)
            for n in range(6):
                args = ["customer", "add", "--name", f"Kunde {n} {company[:3]}"]
                if n < 4:
                    args += ["--consumer"]
                else:
                    args += ["--orgnr", orgnr(91000000 + 1000 * n + int(company[:2]))]
                args += ["--address", f"Vei {n}", "--postcode", "0565", "--city", "Oslo"]
                self.ok(company, *args, day=START)

    def events(self) -> Iterator[Event]:
        """Each customer is invoiced every other month; how each invoice is paid follows a
        seeded pattern, so the year is the same every time."""
        chooser = random.Random(12)
        for company in (COLLECTED, OWN):
            number = 0
            for month in range(1, 11, 2):
                issued = date(2026, month, 6)
                due = issued + timedelta(days=14)
                for customer in range(10000, 10006):
                    lines = 1 + (customer + month) % 2  # two invoices: a consolidated case
                    for _ in range(lines):
                        number += 1
                        amount = str(chooser.choice((900, 2400, 2500, 7400, 12000, 60000)))
                        yield Event(issued, company, "invoice", customer, amount, number)
                        yield from self._payment(chooser, company, number, due, amount)

    def _payment(
        self, chooser: random.Random, company: str, number: int, due: date, amount: str
    ) -> Iterator[Event]:
        kind = chooser.choice(("on_time", "after_reminder", "partial", "late", "never",
                               "in_time", "objected"))  # fmt: skip
        if kind == "on_time":
            yield Event(due - timedelta(days=2), company, "pay", amount=amount, invoice=number)
        elif kind == "after_reminder":
            yield Event(due + timedelta(days=11), company, "pay", amount=amount, invoice=number)
        elif kind == "partial":
            half = str(Decimal(amount) / 2)
            yield Event(due + timedelta(days=30), company, "pay", amount=half, invoice=number)
        elif kind == "late":
            yield Event(due + timedelta(days=95), company, "pay_case", invoice=number)
        elif kind == "in_time":
            # The debtor pays the notice on its deadline; the bank file comes much later.
            yield Event(due + timedelta(days=75), company, "pay_notice_in_time", invoice=number)
        elif kind == "objected":
            # Objected once handed over; the demand's deadline runs out while objected.
            yield Event(due + timedelta(days=50), company, "object", invoice=number)
            yield Event(due + timedelta(days=110), company, "resume", invoice=number)

    def case_of(self, company: str, invoice: int) -> int | None:
        """The number of the invoice's case (read behind the command line's back)."""
        (company_id,) = [c["id"] for c in self.story.rows("company") if c["orgnr"] == company]
        ids = [
            i["id"]
            for i in self.story.rows("invoice")
            if i["company_id"] == company_id and i["number"] == invoice
        ]
        links = {r["invoice_id"]: r["case_id"] for r in self.story.rows("case_invoice")}
        numbers = {c["id"]: c["number"] for c in self.story.rows("collection_case")}
        return int(numbers[links[ids[0]]]) if ids and ids[0] in links else None

    def play(self, event: Event) -> None:
        day, company = event.day, event.company
        if event.what == "invoice":
            line = f"Tjeneste;1;{event.amount};0"
            self.ok(company, "invoice", "create", "--customer", str(event.customer),
                    "--line", line, "--terms", "14", day=day)  # fmt: skip
            return
        if event.what == "pay":
            self.ok(company, "payments", "register", "--amount", event.amount,
                    "--invoice", str(event.invoice), day=day)  # fmt: skip
            return
        case = self.case_of(company, event.invoice)
        if case is None:
            return
        shown = self.ok(company, "collection", "case", str(case), day=day)
        if shown["state"] == "closed":
            return
        if event.what == "pay_case":
            owed = shown["owed"]
            if Decimal(owed) > 0:
                self.ok(company, "payments", "register", "--amount", owed,
                        "--kid", shown["kid"], day=day)  # fmt: skip
        elif event.what == "pay_notice_in_time":
            # The notice about this invoice (a case that took merged claims has older ones).
            due = day - timedelta(days=75)
            notices = [
                x
                for x in shown["letters"]
                if x["kind"] == "collection_notice" and date.fromisoformat(x["day"]) > due
            ]
            if notices and notices[-1]["deadline"] and Decimal(notices[-1]["total"]) > 0:
                self.ok(company, "payments", "register", "--amount", notices[-1]["total"],
                        "--date", notices[-1]["deadline"], "--kid", shown["kid"],
                        day=day)  # fmt: skip
                self.paid_in_time.append((company, case))
        elif event.what == "object" and shown["state"] not in ("objected", "legal"):
            self.ok(company, "collection", "object", str(case), "--reason", "Bestrider kravet",
                    day=day)  # fmt: skip
        elif event.what == "resume" and shown["state"] == "objected":
            self.ok(company, "collection", "resume", str(case), day=day)

    def run_to(self, day: date) -> None:
        for company in (COLLECTED, OWN):
            self.ok(company, "run", "--to", day.isoformat(), day=day)


@pytest.fixture(name="played")
def year(story: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Year:
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    monkeypatch.setenv("FORDRING_RATES_FILE", str(rates))
    played = Year(story)
    played.setup()
    events = sorted(
        (e for e in played.events() if e.day <= END), key=lambda e: (e.day, e.what != "invoice")
    )
    for day in sorted({e.day for e in events}):
        played.run_to(day - timedelta(days=1))
        for event in (e for e in events if e.day == day):
            played.play(event)
    played.run_to(END)
    return played


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def test_a_year_of_runs_breaks_no_rule_of_the_review(played: Year) -> None:
    year = played.story
    letters = year.rows("case_letter")
    charges = year.rows("charge")
    cases = {c["id"]: c for c in year.rows("collection_case")}
    invoices = {i["id"]: i for i in year.rows("invoice")}
    companies = {c["id"]: c["orgnr"] for c in year.rows("company")}
    events = sorted(year.rows("case_event"), key=lambda e: (_day(e["day"]), e["id"]))
    assert len(letters) > 100 and len({c["case_id"] for c in charges}) > 20  # a real year
    kinds = {x["kind"] for x in letters}
    assert {"reminder", "collection_notice", "payment_demand", "interest_note"} <= kinds

    # Letters only on days the post goes, with deadlines of at least 14 days on a banking day.
    for x in letters:
        sent = _day(x["letter_date"])
        assert is_banking_day(sent), (x["kind"], sent)
        if x["kind"] in DEADLINE_LETTERS:
            deadline = _day(x["deadline"])
            assert is_banking_day(deadline) and (deadline - sent).days >= 14, x

    # One fee per letter, within the regulation's amounts; none before day 14 after due.
    by_letter: dict[int, Decimal] = defaultdict(Decimal)
    fees_per_invoice: dict[tuple[int, str], int] = defaultdict(int)
    letter_kind = {x["id"]: x["kind"] for x in letters}
    letter_day = {x["id"]: _day(x["letter_date"]) for x in letters}
    for c in charges:
        if c["kind"] != "fee":
            continue
        assert c["letter_id"] is not None, c
        by_letter[c["letter_id"]] += c["amount"]
        fees_per_invoice[(c["invoice_id"], letter_kind[c["letter_id"]])] += 1
        due = _day(invoices[c["invoice_id"]]["due_date"])
        assert (letter_day[c["letter_id"]] - due).days >= 14, c
    for letter_id, total in by_letter.items():
        cap = DEMAND_FEE if letter_kind[letter_id] == "payment_demand" else LETTER_FEE
        assert total <= cap, (letter_kind[letter_id], total)
    for (_, kind), count in fees_per_invoice.items():
        assert count <= (2 if kind == "reminder" else 1), kind  # inkassoforskriften § 1-3

    # Salær only on cases handed to the collector, never above the heavy cap of the claim.
    book = rate_book()
    links = {(r["case_id"], r["invoice_id"]) for r in year.rows("case_invoice")}
    customers = {c["id"]: c for c in year.rows("customer")}
    salaer: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in charges:
        if c["kind"] == "salaer":
            salaer[c["case_id"]].append(c)
    assert salaer, "the collector's cases were charged salær"
    for case_id, rows in salaer.items():
        case = cases[case_id]
        assert companies[case["company_id"]] == COLLECTED, "salær on own collection"
        claims = [i for i in invoices.values() if (case_id, i["id"]) in links]
        size = sum((i["total_nok"] for i in claims), Decimal(0))
        cap = salaer_cap(
            size, level=SalaerLevel.HEAVY, due=min(_day(i["due_date"]) for i in claims),
            on=END, book=book, business=customers[case["customer_id"]]["kind"] == "business",
        ).amount  # fmt: skip
        assert sum((r["amount"] for r in rows), Decimal(0)) <= cap, (case["number"], cap)

    # Nothing is charged and no letter sent while a case stands objected; heavy salær
    # only more than 28 days after a demand's deadline that ran while not objected.
    objected: dict[int, list[tuple[date, date]]] = defaultdict(list)
    opened: dict[int, date] = {}
    for e in events:
        if e["kind"] == "object":
            opened[e["case_id"]] = _day(e["day"])
        elif e["kind"] in ("resume", "close", "object_upheld") and e["case_id"] in opened:
            objected[e["case_id"]].append((opened.pop(e["case_id"]), _day(e["day"])))
    for case_id, start in opened.items():
        objected[case_id].append((start, END + timedelta(days=1)))
    assert objected, "the year had objections"
    letter_case = {x["id"]: x["case_id"] for x in letters}
    for c in charges:
        # A charge that moved with its claim into a merged case belongs to its letter's case.
        charged_case = letter_case.get(c["letter_id"], c["case_id"])
        for start, stop in objected.get(charged_case, ()):
            assert not start < _day(c["charged_on"]) < stop, ("charged while objected", c)
    for x in letters:
        for start, stop in objected.get(x["case_id"], ()):
            assert not start < _day(x["letter_date"]) < stop, ("letter while objected", x)
    demands: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for x in letters:
        if x["kind"] == "payment_demand":
            demands[x["case_id"]].append((_day(x["letter_date"]), _day(x["deadline"])))
    for case_id, rows in salaer.items():
        for heavy in sorted(rows, key=lambda r: r["id"])[1:]:
            day = _day(heavy["charged_on"])
            overrun = [
                deadline
                for sent, deadline in demands[case_id]
                if day > deadline + timedelta(days=28)
                and not any(a <= deadline and sent < b for a, b in objected.get(case_id, ()))
            ]
            assert overrun, ("heavy salær without an overrun deadline", heavy)

    # Every resumed case gets a new letter with a new deadline (the first banking days after).
    for e in events:
        if e["kind"] == "resume":
            resumed = _day(e["day"])
            assert any(
                x["case_id"] == e["case_id"] and resumed <= _day(x["letter_date"])
                and x["deadline"] is not None
                for x in letters
            ), ("no letter after resume", cases[e["case_id"]]["number"])  # fmt: skip

    # A notice paid by its deadline leaves nothing owing and no salær, however late the
    # bank file comes (inkassoloven §§ 9 (2), 17).
    assert played.paid_in_time, "the year had payments in time registered late"
    for company, number in played.paid_in_time:
        case = year.ok("--company", company, "collection", "case", str(number), date="2026-12-31")
        assert (case["remaining"], case["salaer_open"]) == ("0.00", "0.00"), (company, number)

    for company in (COLLECTED, OWN):
        check = year.ok("--company", company, "ledger", "check", date=END.isoformat())
        assert check["ok"] and check["balanced"] and check["reconciled"], check
